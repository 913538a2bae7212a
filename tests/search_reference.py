"""The search page's matching rules in Python, for the tests only.

The browser matches (coursebook's search/static/korean-search.js); the build only cuts the prose
into words, writes the index and the rules it carries (coursebook.search.korean_search). This is
what the script does, written again so that the tests can check the rules, the ranking and the
split index without a browser, and so that tests/browser/test_search.py can check that the script
agrees with it on every query. bench/search_size.py uses ``search_split`` to weigh what one search
loads. Change a rule here and in the script together; docs/searching.md explains them for users.

Matching rules:

* A query term must be at least two syllables (Hangul) or two characters (Latin); shorter ones are
  dropped, so "x" or "가" finds nothing. Stop words (``LANGUAGES``: question words, function words)
  are dropped too.
* Hangul: one trailing particle or ending comes off when two syllables remain
  (신경망으로는 -> 신경망), and the rest matches a token that *contains* it: particles attach at
  the end, compounds put nouns side by side (함수 -> 활성화함수를). A term no token contains is cut
  into parts the book has (손실함수 -> 손실, 함수, where the book writes 손실 함수).
* Latin: a term matches a token that is equal to it, has the same light stem (plural -s/-es/-ies,
  -ed, -ing, -ise ~ -ize: "networks" ~ "network"), or starts with it when the term has four or more
  characters ("optim" -> "optimizer"). Numbers match only exactly.
* Synonyms: a glossary entry's names and declared variants (the ``variants`` role) are one group;
  a term also looks for its group's other names.
* A term that matches nothing is left out, so endings no list names never empty the results; pages
  matching the most terms rank first, then by score (``score_page``: the title and the best
  section, rare terms weighing more).
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable

from coursebook.search.korean_search import (
    KOREAN_ENDINGS,
    KOREAN_SUFFIXES,
    MIN_TERM_LENGTH,
    PREFIX_MIN_LENGTH,
    STOPWORDS,
    bucket_of,
    is_hangul,
    tokens,
    words,
)


def is_stopword(term: str) -> bool:
    return term in STOPWORDS or (is_hangul(term) and strip_korean_ending(term) in STOPWORDS)


def query_terms(query: str) -> list[str]:
    """The terms a query searches for: tokens of two or more characters, without stop words
    (unless the query has nothing else), each once (once for all its endings)."""
    terms = list(dict.fromkeys(t for t in words(query) if len(t) >= MIN_TERM_LENGTH))
    content = [t for t in terms if not is_stopword(t)]
    by_form = {lookup_form(t): t for t in reversed(content or terms)}  # 노드는 ... 노드가: one term, the first
    return [t for t in content or terms if by_form[lookup_form(t)] == t]


def english_stem(word: str) -> str:
    """A light, predictable stem: one inflectional ending off, nothing more; British and American
    spellings of -ise/-ize alike.

    networks -> network, studies -> study, losses -> loss, biases -> bias,
    fitted/fitting/fits -> fit, updated/updating/updates -> updat, memorizing/memorise -> memoris.
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
    return w[:2] + w[2:].replace("iz", "is").replace("yz", "ys")  # the first two letters file the word


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


def lookup_form(term: str) -> str:
    """The form a term is looked up by: a Hangul term without its ending, a Latin term as typed."""
    return (strip_korean_ending(term) or term) if is_hangul(term) else term


def synonym_key(word: str) -> str:
    return english_stem(word) if not is_hangul(word) else word


def synonym_table(groups: Iterable[Iterable[str]]) -> dict[str, list[str]]:
    """word (its synonym_key) -> the other names of its groups. A group is a glossary entry's
    names and declared variants (the ``variants`` role), as searched: lowercase, one space."""
    table: dict[str, list[str]] = {}
    for group in groups:
        names = list(group)
        for word in names:
            if len(tokens(word)) == 1 and len(word) >= MIN_TERM_LENGTH:
                others = table.setdefault(synonym_key(word), [])
                others += [o for o in names if o != word and o not in others]
    return table


def term_forms(term: str, synonyms: dict[str, list[str]]) -> tuple[list[str], list[list[str]]]:
    """The words a query term looks for (its lookup form, then its one-word synonyms), and its
    synonyms of several words, as their words (손실 함수 for 로스)."""
    form = lookup_form(term)
    found = synonyms.get(synonym_key(form), []) + synonyms.get(synonym_key(term), [])
    words = list(dict.fromkeys([form, *(s for s in found if " " not in s)]))
    phrases = [[w for w in s.split(" ") if len(w) >= MIN_TERM_LENGTH] for s in dict.fromkeys(found) if " " in s]
    return words, [phrase for phrase in phrases if phrase]


def term_keys(term: str, synonyms: dict[str, list[str]]) -> list[str]:
    """Every word a term may look for, so the term files under their keys are the ones to load."""
    words, phrases = term_forms(term, synonyms)
    return words + [word for phrase in phrases for word in phrase]


def word_hits(form: str, vocabulary: Iterable[str]) -> set[str]:
    """The words of the book a form matches: Hangul words containing it, Latin words like it."""
    if is_hangul(form):
        return {t for t in vocabulary if is_hangul(t) and form in t}
    return {t for t in vocabulary if latin_match(form, t)}


def split_compound(word: str, vocabulary: Iterable[str]) -> list[str] | None:
    """A Hangul word that no word of the book contains, cut into as few parts of two syllables or
    more as the book does contain (the first part as long as it can be): 손실함수 -> 손실, 함수
    where the book writes 손실 함수. Failing that, the word without a last syllable that is a noun
    of its own (KOREAN_SUFFIXES): 손실값 -> 손실, 초기값 -> 초기. None if there is no such cut."""
    vocabulary = list(vocabulary)
    parts = cut_compound(word, vocabulary)
    if parts or len(word) <= MIN_TERM_LENGTH or word[-1] not in KOREAN_SUFFIXES:
        return parts
    head = word[:-1]
    return [head] if word_hits(head, vocabulary) else cut_compound(head, vocabulary)


def cut_compound(word: str, vocabulary: list[str]) -> list[str] | None:
    """The fewest parts of two syllables or more, each in the book, that make the word (not itself)."""
    best: dict[int, list[str]] = {len(word): []}  # start -> the fewest parts that make word[start:]
    for start in range(len(word) - MIN_TERM_LENGTH, -1, -1):
        for end in range(len(word), start + MIN_TERM_LENGTH - 1, -1):
            if (start, end) == (0, len(word)) or end not in best:
                continue
            part = word[start:end]
            if (start not in best or 1 + len(best[end]) < len(best[start])) and word_hits(part, vocabulary):
                best[start] = [part, *best[end]]
    return best.get(0)


def resolve_terms(terms: list[str], vocabulary: Iterable[str], synonyms: dict) -> list[tuple[list[str], set[str]]]:
    """Each query term's (forms looked for, words of the book matched). A term whose forms match
    nothing becomes the words of its first synonym of several words (로스 -> 손실, 함수), or, for
    Hangul, the parts of a compound the book has (손실함수 -> 손실, 함수). A term that still matches
    nothing (an ending, a word the book does not have) has no words and is left out of the ranking."""
    vocabulary = list(vocabulary)
    resolved = []
    for term in terms:
        forms, phrases = term_forms(term, synonyms)
        hits = set().union(*(word_hits(form, vocabulary) for form in forms))
        parts = None
        if not hits:
            parts = phrases[0] if phrases else split_compound(forms[0], vocabulary) if is_hangul(term) else None
        resolved += [([part], word_hits(part, vocabulary)) for part in parts] if parts else [(forms, hits)]
    return resolved


def compound_keys(term: str) -> list[str]:
    """The keys a term's parts could be filed under, should it match nothing as it is."""
    form = lookup_form(term)
    return [form[i : i + 2] for i in range(len(form) - 1)] if is_hangul(term) else []


def ranked(found: list[tuple[int, int, int, str]]) -> list[str]:
    """(terms matched, score, order, url) of each page: pages matching the most terms first, then by score."""
    return [url for _, _, _, url in sorted(found, key=lambda f: (-f[0], -f[1], f[2]))]


TITLE_WEIGHT, HEADING_WEIGHT, TEXT_CAP = 5, 5, 3


def term_places(resolved: list[set[str]], title: set[str], headings: list[set[str]], counts) -> list[tuple]:
    """For each term, on one page: (found, in the title, its score in each section: HEADING_WEIGHT in
    the section's heading, a glossary entry's name being one, plus its occurrences in the section's
    text, up to TEXT_CAP). ``counts(hits, s)``: how often the words ``hits`` occur in section ``s``'s text."""
    places = []
    for hits in resolved:
        in_title = bool(hits & title)
        sections = [HEADING_WEIGHT * bool(hits & heading) + min(counts(hits, s), TEXT_CAP) for s, heading in enumerate(headings)]
        places.append((in_title or any(sections), in_title, sections))
    return places


def term_weights(pages: list[list[tuple]]) -> list[int]:
    """A term's weight: 1 + k for the largest k with (pages it is found on) * 2**k <= pages, so a rare
    word of the query (stuck) counts more than a common one (network). Integers, as in the script."""
    weights = []
    for t in range(len(pages[0]) if pages else 0):
        found, k = sum(page[t][0] for page in pages), 0
        while found and found * 2 ** (k + 1) <= len(pages):
            k += 1
        weights.append(1 + k)
    return weights


def score_page(places: list[tuple], weights: list[int]) -> tuple[int, int]:
    """(terms found, score) of a page: the title's score and its best section's, each term weighed,
    so a section about the query outranks its words scattered over a long page."""
    title = sum(w * TITLE_WEIGHT * in_title for (_, in_title, _), w in zip(places, weights))
    sections = [sum(w * place[2][s] for place, w in zip(places, weights)) for s in range(len(places[0][2]))] if places else []
    return sum(found for found, _, _ in places), title + max(sections, default=0)


def rank_pages(resolved: list[set[str]], pages: list[tuple]) -> list[str]:
    """pages: (order, url, title tokens, heading tokens of each section, counts(hits, s)) of every page."""
    places = [term_places(resolved, title, headings, counts) for _, _, title, headings, counts in pages]
    weights = term_weights(places)
    found = []
    for (order, url, *_), page in zip(pages, places):
        matched, score = score_page(page, weights)
        if matched:
            found.append((matched, score, order, url))
    return ranked(found)


def page_tokens(index: dict) -> list[tuple]:
    """Each page's (order, url, title tokens, each section's heading tokens, each section's text tokens counted)."""
    pages = []
    for order, page in enumerate(index["pages"]):
        headings = [set(words(heading)) for _, heading, _ in page["sections"]]
        texts = [Counter(words(text)) for _, _, text in page["sections"]]
        pages.append((order, page["url"], set(words(page["title"])), headings, texts))
    return pages


def search(index: dict, query: str, pages: list[tuple] | None = None) -> list[str]:
    """Reference search over a whole index: the URLs of the matching pages, best first.

    ``pages``: ``page_tokens(index)``, when many queries search the same index.
    """
    terms = query_terms(query)
    if not terms:
        return []
    pages = page_tokens(index) if pages is None else pages
    vocabulary = set().union(*(p[2].union(*p[3], *p[4]) for p in pages))
    synonyms = synonym_table(index.get("rules", {}).get("synonyms", []))
    resolved = [hits for _, hits in resolve_terms(terms, vocabulary, synonyms) if hits]
    return rank_pages(
        resolved,
        [
            (order, url, title, headings, lambda hits, s, texts=texts: sum(texts[s][t] for t in hits))
            for order, url, title, headings, texts in pages
        ],
    )


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

    Loads meta, the term files of the words a query term looks for (itself, its synonyms), for a
    Hangul term that matches nothing those of its syllable pairs (a compound's parts), and the
    texts of the first results shown. Gives the same pages in the same order as ``search`` over
    the whole index.
    """
    meta = load("meta")
    loaded = ["meta"]
    terms = query_terms(query)
    if not terms:
        return [], loaded
    synonyms = synonym_table(meta["rules"].get("synonyms", []))
    titles = [set(words(title)) for _, title, _ in meta["pages"]]
    headings = [[set(words(h)) for _, h in sections] for _, _, sections in meta["pages"]]
    postings: dict[str, list[list[int]]] = {}

    def read(keys: Iterable[str]) -> set[str]:
        """Load the term files of these keys; the vocabulary known so far."""
        for name in sorted({term_file(key, meta["buckets"]) for key in keys} - set(loaded)):
            postings.update(load(name)["terms"])
            loaded.append(name)
        return set(postings).union(*titles, *(h for page in headings for h in page))

    vocabulary = read(key for term in terms for key in term_keys(term, synonyms))
    unmatched = [t for t in terms if is_hangul(t) and not any(word_hits(f, vocabulary) for f in term_forms(t, synonyms)[0])]
    if unmatched:
        vocabulary = read(key for term in unmatched for key in compound_keys(term))
    resolved = [hits for _, hits in resolve_terms(terms, vocabulary, synonyms) if hits]
    places: Counter = Counter()  # (word, page, section) -> occurrences
    for word in set().union(*resolved):
        for page, section, count in postings.get(word, []):
            places[word, page, section] += count
    urls = rank_pages(
        resolved,
        [
            (p, url, titles[p], headings[p], lambda hits, s, p=p: sum(places[w, p, s] for w in hits))
            for p, (url, _, _) in enumerate(meta["pages"])
        ],
    )
    page_of = {url: p for p, (url, _, _) in enumerate(meta["pages"])}
    loaded += [f"p{page_of[url]}" for url in urls[: meta["results_at_once"]]]
    return urls, loaded
