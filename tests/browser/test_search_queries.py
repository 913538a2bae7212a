"""Queries as students type them (tests/search_queries.yml), run through the search page's own
script in Chromium: each must find its section among the first three results."""

from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from test_search import index, path_of, ref, results  # noqa: F401 (index: a fixture)

QUERIES = yaml.safe_load((Path(__file__).resolve().parents[1] / "search_queries.yml").read_text(encoding="utf-8"))
KINDS = {"question", "question-en", "spacing", "transliteration", "code", "term", "english"}
SHOWN = 3


def test_the_query_set_covers_every_kind(built_site):
    kinds = Counter(q["kind"] for q in QUERIES)
    assert set(kinds) <= KINDS, set(kinds) - KINDS
    assert all(kinds[k] >= 3 for k in ("question", "question-en", "spacing", "transliteration", "code")), kinds
    assert len({q["query"] for q in QUERIES}) == len(QUERIES), "each query once"
    for q in QUERIES:
        assert (built_site / q["page"]).is_file(), q


def found_in_top(shown: list[dict], query: dict) -> bool:
    """The expected page among the results, pointing to the expected section (its anchor or its heading)."""
    section = query.get("section")
    for result in shown:
        href = urlsplit(result["href"])
        if href.path == query["page"] and (section is None or section in (href.fragment, result["section"])):
            return True
    return False


def test_natural_queries_find_their_section_in_the_first_three(page, site_url, capsys):
    rows, misses, by_kind = [], [], Counter()
    for query in QUERIES:
        shown = results(page, site_url, query["query"], everything=False)[:SHOWN]
        ok = found_in_top(shown, query)
        by_kind[query["kind"], ok] += 1
        if not ok:
            misses.append((query["query"], [r["href"] for r in shown]))
        rows.append(
            f"  {'ok  ' if ok else 'MISS'} {query['kind']:<16} {query['query']}" + ("" if ok else f"  got {[r['href'] for r in shown]}")
        )
    with capsys.disabled():
        print(f"\nnatural queries, expected section in the first {SHOWN}:")
        print("\n".join(rows))
        for kind in sorted({k for k, _ in by_kind}):
            print(f"  {kind}: {by_kind[kind, True]}/{by_kind[kind, True] + by_kind[kind, False]}")
        print(f"natural queries found: {len(QUERIES) - len(misses)}/{len(QUERIES)}")
    assert not misses, misses


def test_the_page_ranks_the_natural_queries_as_the_reference_does(page, site_url, index):  # noqa: F811 (the fixture)
    """The script and search_reference.search agree on every page and its place, so the split-equals-whole
    check (tests/test_search_index.py, on the reference) holds for what students see."""
    for query in QUERIES:
        paths = [path_of(r["href"]) for r in results(page, site_url, query["query"])]
        assert paths == ref.search(index, query["query"]), query["query"]
