"""The search page's matching rules in Python, for the tests only: what coursebook-search's
korean-search.js does in the browser, written again so that the tests can check the rules and the
split index without a browser (tests/browser/test_search.py checks that both agree).

The build itself only tokenizes and writes the index (coursebook.search.korean_search).
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable

from coursebook.search.korean_search import (
    KOREAN_ENDINGS, MIN_TERM_LENGTH, PREFIX_MIN_LENGTH, STOPWORDS, bucket_of, is_hangul, tokens,
)


def query_terms(query: str) -> list[str]:
    """The terms a query searches for: tokens of two or more characters, without
    English stop words (unless the query has nothing else), each once."""
    terms = list(dict.fromkeys(t for t in tokens(query) if len(t) >= MIN_TERM_LENGTH))
    content = [t for t in terms if t not in STOPWORDS]
    return content or terms


def english_stem(word: str) -> str:
    """A light, predictable stem: one inflectional ending off, nothing more.

    networks -> network, studies -> study, losses -> loss, biases -> bias,
    fitted/fitting/fits -> fit, updated/updating/updates -> updat.
    """
    w = word
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zzes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is", "as")):
        w = w[:-1]
    elif w.endswith("ing") and len(w) >= 6:
        w = w[:-3]
    elif w.endswith("ed") and len(w) >= 5:
        w = w[:-2]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouylsz":
        w = w[:-1]  # fitt -> fit
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]  # update -> updat, so updated ~ updates ~ update
    return w


def strip_korean_ending(term: str) -> str | None:
    """The term without one trailing particle or ending, if at least two syllables remain."""
    for ending in KOREAN_ENDINGS:
        if term.endswith(ending) and len(term) - len(ending) >= MIN_TERM_LENGTH:
            return term[: -len(ending)]
    return None


def latin_match(term: str, token: str) -> bool:
    if token == term:
        return True
    if term.isdigit() or token.isdigit() or is_hangul(token):
        return False
    if english_stem(token) == english_stem(term):
        return True
    return len(term) >= PREFIX_MIN_LENGTH and token.startswith(term)


def resolve_term(term: str, vocabulary: Iterable[str]) -> tuple[str, set[str]]:
    """Which tokens of the book a query term matches, and the form that matched
    (the term itself, or for Hangul the term without its ending)."""
    vocabulary = list(vocabulary)
    if is_hangul(term):
        form = term
        hits = {t for t in vocabulary if is_hangul(t) and term in t}
        stem = None if hits else strip_korean_ending(term)
        if stem:
            form = stem
            hits = {t for t in vocabulary if is_hangul(t) and stem in t}
        return form, hits
    return term, {t for t in vocabulary if latin_match(term, t)}


def page_tokens(index: dict) -> list[tuple]:
    """Each page's (order, url, title tokens, heading tokens, text tokens counted, all its tokens)."""
    pages = []
    for order, page in enumerate(index["pages"]):
        title = set(tokens(page["title"]))
        headings, text = set(), Counter()
        for _anchor, heading, body in page["sections"]:
            headings.update(tokens(heading))
            text.update(tokens(body))
        pages.append((order, page["url"], title, headings, text, title | headings | set(text)))
    return pages


def search(index: dict, query: str, pages: list[tuple] | None = None) -> list[str]:
    """Reference search over a whole index: the URLs of the matching pages, best first.

    ``pages``: ``page_tokens(index)``, when many queries search the same index.
    """
    terms = query_terms(query)
    if not terms:
        return []
    pages = page_tokens(index) if pages is None else pages
    vocabulary = set().union(*(p[5] for p in pages)) if pages else set()
    resolved = [resolve_term(term, vocabulary)[1] for term in terms]
    if not all(resolved):
        return []
    found = []
    for order, url, title, headings, text, everything in pages:
        if not all(hits & everything for hits in resolved):
            continue
        score = sum(
            10 * bool(hits & title) + 5 * bool(hits & headings) + min(sum(text[t] for t in hits), 5)
            for hits in resolved
        )
        found.append((-score, order, url))
    return [url for _, _, url in sorted(found)]


def term_file(term: str, buckets: int) -> str:
    return f"t{bucket_of(term[:2], buckets)}"


def join_index(load) -> dict:
    """The whole index ({"rules", "pages"}) read back from its files; ``load(name)`` gives a file's data."""
    meta = load("meta")
    pages = []
    for p, (url, title, sections) in enumerate(meta["pages"]):
        texts = load(f"p{p}")["texts"]
        pages.append({"url": url, "title": title, "sections": [[a, h, t] for (a, h), t in zip(sections, texts)]})
    return {"rules": meta["rules"], "pages": pages}


def search_split(load, query: str) -> tuple[list[str], list[str]]:
    """What the search page does: (URLs of the matching pages, best first; names of the files it loaded).

    Loads meta, the term file of each query term, and the texts of the first results shown.
    Gives the same pages in the same order as ``search`` over the whole index.
    """
    meta = load("meta")
    loaded = ["meta"]
    terms = query_terms(query)
    if not terms:
        return [], loaded
    postings: dict[str, list[list[int]]] = {}
    for name in sorted({term_file(term, meta["buckets"]) for term in terms}):
        postings.update(load(name)["terms"])
        loaded.append(name)
    titles = [set(tokens(title)) for _, title, _ in meta["pages"]]
    headings = [set(tokens(" ".join(h for _, h in sections))) for _, _, sections in meta["pages"]]
    vocabulary = set(postings).union(*titles, *headings)
    resolved = [resolve_term(term, vocabulary)[1] for term in terms]
    if not all(resolved):
        return [], loaded
    found = []
    for p, (url, _, _) in enumerate(meta["pages"]):
        score = 0
        for hits in resolved:
            in_text = sum(count for word in hits for page, _, count in postings.get(word, []) if page == p)
            if not (in_text or hits & titles[p] or hits & headings[p]):
                break
            score += 10 * bool(hits & titles[p]) + 5 * bool(hits & headings[p]) + min(in_text, 5)
        else:
            found.append((-score, p, url))
    found.sort()
    loaded += [f"p{p}" for _, p, _ in found[:meta["results_at_once"]]]
    return [url for _, _, url in found], loaded
