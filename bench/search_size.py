"""What one search loads, compressed, for the book as built and for its index grown to 50 chapters.

    .venv/bin/python -m bench.search_size [SITE] [--chapters 50] [--sections DIR]

A lighter companion of bench/growth.py (which builds a grown copy of the whole book): the grown
index is the built one with copies of its chapter pages added, taken in turn, each under its own
URL and numbered title, as bench/grow.py adds chapters, then split as a build splits it. Each query
is run as the search page runs it (tests/search_reference.search_split: meta, the term files it needs, the
texts of the first results shown); the files are weighed gzip -6, as a web server sends them.
Target: at most 150 KB for any query at 50 chapters.

``--sections DIR`` also writes the sections of both indexes (DIR/sections<chapters>.json), which
bench/minisearch_size.js indexes with MiniSearch, for docs/searching.md's comparison.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import coursebook.search.korean_search as ks  # noqa: E402
import search_reference as ref  # noqa: E402  (what the page's script does, in Python)

from bench.growth import QUERIES as GROWTH_QUERIES  # noqa: E402

NATURAL = [q["query"] for q in yaml.safe_load((ROOT / "tests" / "search_queries.yml").read_text(encoding="utf-8"))]
LONG = [
    "왜 렐루 노드는 학습률이 크면 죽은 노드가 되고 손실이 멈추나요",  # questions of many words load the most term files
    "what happens to the loss when the learning rate of the optimizer is too large",
]
QUERIES = list(dict.fromkeys(GROWTH_QUERIES + NATURAL + LONG))
TARGET_KB = 150


def read_site(site: Path) -> dict:
    """The built site's whole index (rules included), joined from its files."""

    def load(name: str) -> dict:
        raw = (site / ks.INDEX_DIR / f"{name}.js").read_text(encoding="utf-8")
        return json.loads(raw[raw.index(",") + 1 :].rstrip().removesuffix(");"))

    return ref.join_index(load)


def grown(index: dict, chapters: int) -> dict:
    """The index with copies of its chapter pages (those under lectures/) until it has `chapters`."""
    originals = [p for p in index["pages"] if p["url"].startswith("lectures/")]
    pages = list(index["pages"])
    for number in range(len(originals) + 1, chapters + 1):
        page = originals[(number - len(originals) - 1) % len(originals)]
        pages.append({"url": f"lectures/{number:02d}_copy.html", "title": f"{page['title']} ({number})", "sections": page["sections"]})
    return {"rules": index["rules"], "pages": pages}


def loaded_kb(index: dict) -> tuple[dict[str, float], int]:
    """{query: KB gzip that one search loads}, and the number of term files."""
    files = ks.split_index(index)
    raw = {
        name: f'{ks.INDEX_CALLBACK}("{name}",{json.dumps(data, ensure_ascii=False, separators=(",", ":"))});\n'.encode()
        for name, data in files.items()
    }
    size = {name: len(gzip.compress(text, 6)) for name, text in raw.items()}
    return {q: sum(size[n] for n in ref.search_split(files.__getitem__, q)[1]) / 1e3 for q in QUERIES}, files["meta"]["buckets"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--chapters", type=int, default=50)
    parser.add_argument("--sections", type=Path, help="write each index's sections here, for bench/minisearch_size.js")
    args = parser.parse_args()
    index = read_site(args.site)
    book = sum(p["url"].startswith("lectures/") for p in index["pages"])
    print(f"what one search loads, KB gzip, over {len(QUERIES)} queries")
    print("| chapters | term files | median | largest | largest query |\n|---|---|---|---|---|")
    for chapters, data in ((book, index), (args.chapters, grown(index, args.chapters))):
        kb, buckets = loaded_kb(data)
        if args.sections:
            sections = [
                {"id": f"{p}-{s}", "title": page["title"], "heading": heading, "text": text}
                for p, page in enumerate(data["pages"])
                for s, (_, heading, text) in enumerate(page["sections"])
            ]
            (args.sections / f"sections{chapters}.json").write_text(json.dumps(sections, ensure_ascii=False), encoding="utf-8")
        worst = max(kb, key=kb.get)
        print(f"| {chapters} | {buckets} | {statistics.median(kb.values()):.0f} | {kb[worst]:.0f} | {worst} |")
    print(f"target: at most {TARGET_KB} KB for any query at {args.chapters} chapters: {'met' if kb[worst] <= TARGET_KB else 'NOT met'}")


if __name__ == "__main__":
    main()
