"""The growth figure of `make bench`: the book as it is and a copy grown to about 50 chapters (bench/grow.py).

Called by bench/build_speed.py after its side-by-side runs, whose figures make the
first column. In the grown copy, for ours and for vanilla `jupyter-book build`:
a clean build, then no-op and prose-only rebuilds; for ours also Sphinx's share of
each build, the sizes of the site and of the search index (and how much of the
index a search loads), and how a rebuild grows with the number of pages changed.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
from pathlib import Path

import coursebook.search.korean_search as ks
from bench.grow import grow

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import search_reference as ref  # noqa: E402  (what the page's script does, in Python)

SPHINX = re.compile(r"sphinx: done in ([0-9.]+) s")
QUERIES = [
    "신경망",
    "신경망으로",
    "함수",
    "손실",
    "학습률",
    "기울기",
    "과적합",
    "은닉층",
    "잡음",
    "gradient descent",
    "learning rate",
    "overfitting",
    "network",
    "optim",
    "신경망 학습률 손실",
    "outputs",
    "the",
    "양자역학",
]
PAGES_CHANGED = (1, 2, 4, 8, 16, 32)
PROSE = "\n:::{{ko}}\n문장 하나 더 ({n}).\n:::\n\n:::{{en}}\nOne more sentence ({n}).\n:::\n"


def sphinx_seconds(stdout: str) -> float | None:
    found = SPHINX.search(stdout)
    return float(found.group(1)) if found else None


def edit_prose(repo: Path, pages: int = 1, n: int = 0) -> None:
    """Add a sentence pair at the end of the first `pages` chapters."""
    for chapter in sorted((repo / "lectures").glob("*.md"))[:pages]:
        chapter.write_text(chapter.read_text(encoding="utf-8") + PROSE.format(n=n), encoding="utf-8")


def site_metrics(site: Path) -> dict:
    """Size of the site and of the search index; what one search loads, compressed (gzip -6, as a web server would)."""
    files = [f for f in site.rglob("*") if f.is_file()]
    folder = site / ks.INDEX_DIR
    raw = {f.stem: f.read_bytes() for f in folder.iterdir()}
    data = {name: json.loads(text[text.index(b",") + 1 :].rstrip().removesuffix(b");").decode()) for name, text in raw.items()}
    compressed = {name: len(gzip.compress(text, 6)) for name, text in raw.items()}
    whole = ref.join_index(data.__getitem__)
    loaded = [sum(compressed[name] for name in ref.search_split(data.__getitem__, query)[1]) for query in QUERIES]
    return {
        "site_mb": sum(f.stat().st_size for f in files) / 1e6,
        "files": len(files),
        "index_kb": sum(map(len, raw.values())) / 1e3,
        "whole_index_gz_kb": len(gzip.compress(json.dumps(whole, ensure_ascii=False, separators=(",", ":")).encode(), 6)) / 1e3,
        "query_gz_kb_median": statistics.median(loaded) / 1e3,
        "query_gz_kb_max": max(loaded) / 1e3,
    }


def measure(repo: Path, command: list[str], env: dict, runs: int, timed) -> dict:
    """A clean build of the copy, then `runs` no-op and `runs` prose-only rebuilds: medians (seconds)."""
    seconds, _, stdout = timed(command, repo, env)
    result = {"clean": seconds, "clean_sphinx": sphinx_seconds(stdout), "noop": [], "prose": [], "prose_sphinx": []}
    for n in range(runs):
        result["noop"].append(timed(command, repo, env)[0])
        edit_prose(repo, n=n)
        seconds, _, stdout = timed(command, repo, env)
        result["prose"].append(seconds)
        result["prose_sphinx"].append(sphinx_seconds(stdout))
    return {k: statistics.median(v) if isinstance(v, list) and None not in v else v for k, v in result.items()}


def changed_pages(repo: Path, command: list[str], env: dict, runs: int, timed) -> dict[int, tuple[float, float]]:
    """{pages changed: (rebuild seconds, Sphinx seconds)}, medians of `runs` edits each."""
    found = {}
    for pages in PAGES_CHANGED:
        totals, sphinx = [], []
        for n in range(runs):
            edit_prose(repo, pages, n=100 * pages + n)
            seconds, _, stdout = timed(command, repo, env)
            totals.append(seconds)
            sphinx.append(sphinx_seconds(stdout))
        found[pages] = (statistics.median(totals), statistics.median(sphinx))
    return found


def growth(parent: Path, chapters: int, runs: int, vanilla: bool, small: dict, timed, commands, vanilla_config: str) -> None:
    """Measure the grown copy and print the growth tables; `small` holds the book's own figures."""
    ours = grow(parent / "grown-ours", chapters)
    env = commands["env"](ours)
    big = measure(ours, commands["ours"], env, runs, timed)
    big.update(site_metrics(ours / "_build" / "html"))
    sweep = changed_pages(ours, commands["ours"], env, runs, timed)
    if vanilla:
        plain = grow(parent / "grown-vanilla", chapters)
        (plain / "_config.yml").write_text(vanilla_config)
        big_vanilla = measure(plain, commands["vanilla"](plain), commands["env"](plain), runs, timed)
    else:
        big_vanilla = {}
    count = sum(1 for _ in (ours / "lectures").glob("*.md"))
    print(
        f"\ngrowth: the book ({small['chapters']} chapters) and a copy grown to {count} chapters (bench/grow.py); "
        f"clean builds: 1 run each at {count}; rebuilds: medians of {runs}"
    )
    print(f"| | {small['chapters']} chapters | {count} chapters | {count} / {small['chapters']} |\n|---|---|---|---|")
    rows = [
        ("clean build, ours (s)", "clean", "{:.1f}"),
        ("  of it Sphinx (s)", "clean_sphinx", "{:.1f}"),
        ("no-op rebuild, ours (s)", "noop", "{:.2f}"),
        ("prose edit, ours (s)", "prose", "{:.2f}"),
        ("  of it Sphinx (s)", "prose_sphinx", "{:.2f}"),
        ("site (MB)", "site_mb", "{:.1f}"),
        ("site (files)", "files", "{:d}"),
        ("search index, all files (KB)", "index_kb", "{:.0f}"),
        ("search index as one file, gzip (KB): what every search loaded before the split", "whole_index_gz_kb", "{:.0f}"),
        ("loaded by one search, gzip (KB), median", "query_gz_kb_median", "{:.0f}"),
        ("loaded by one search, gzip (KB), largest", "query_gz_kb_max", "{:.0f}"),
    ]
    for label, key, form in rows:
        a, b = small.get(key), big.get(key)
        if a is None or b is None:
            continue
        print(f"| {label} | {form.format(a)} | {form.format(b)} | {b / a:.2f} |")
    for label, key in (("clean build, vanilla (s)", "clean"), ("no-op rebuild, vanilla (s)", "noop"), ("prose edit, vanilla (s)", "prose")):
        a, b = small.get(f"vanilla_{key}"), big_vanilla.get(key)
        if a is not None and b is not None:
            print(f"| {label} | {a:.1f} | {b:.1f} | {b / a:.2f} |")
    print(f"\nprose edit at {count} chapters / at {small['chapters']}: {big['prose'] / small['prose']:.2f} (target: at most 1.5)")
    print(
        f"largest search at {count} chapters loads {big['query_gz_kb_max']:.0f} KB gzip (target: at most 150), "
        f"over {len(QUERIES)} queries: {', '.join(QUERIES)}"
    )
    print(
        f"\npages changed at once, {count} chapters (ours; medians of {runs}):\n| pages changed | rebuild (s) | of it Sphinx (s) |\n|---|---|---|"
    )
    for pages, (total, sphinx) in sweep.items():
        print(f"| {pages} | {total:.1f} | {sphinx:.1f} |")
