"""Search that works for Korean: a prose index written at build time and a search page.

Sphinx's own search indexes whole space-separated words, so "곡선" never finds
"곡선을": a Korean noun almost always carries a particle or ending. This
extension indexes the prose of every page, section by section, into the folder
``korean-search/`` of the site, and replaces the theme's ``search.html`` with a
page whose script (``_static/korean-search.js``) matches queries in the browser.

The index is split so that a search loads only what its query needs, as
Pagefind does (see ``split_index``): a small ``meta.js`` (rules, synonyms, titles
and headings), the term files of the query's words (the words sharing their first
two letters, with where they occur), and the text of the results shown (ten at a time).

What is indexed: page titles, headings, paragraphs, lists, tables, admonitions,
figure captions and the glossary, including inline code in a sentence
(``torch.nn.MSELoss``). What is not: code cells, their outputs, literal blocks
(``literalinclude``), math, raw HTML and alt text. Code and outputs would bring
one-letter names, tensor dumps and machine paths into the index; the prose names
every API a reader would search for.

Matching rules (this module is the reference; the script does the same; docs/searching.md
explains them for users):

* Text is cut into tokens: runs of Hangul syllables, and runs of ASCII letters
  and digits (lowercased). Everything else separates tokens. Code names as
  written (``optimizer.step``, ``zero_grad``) are words too (``words``).
* A query term must be at least two syllables (Hangul) or two characters
  (Latin); shorter ones are dropped, so "x" or "가" finds nothing. Stop words
  (``LANGUAGES``: question words, function words) are dropped too.
* Hangul: one trailing particle or ending comes off when two syllables remain
  (신경망으로는 -> 신경망), and the rest matches a token that *contains* it:
  particles attach at the end, compounds put nouns side by side (함수 ->
  활성화함수를). A term no token contains is cut into parts the book has
  (손실함수 -> 손실, 함수, where the book writes 손실 함수).
* Latin: a term matches a token that is equal to it, has the same light stem
  (plural -s/-es/-ies, -ed, -ing, -ise ~ -ize: "networks" ~ "network"), or starts
  with it when the term has four or more characters ("optim" -> "optimizer").
  Numbers match only exactly.
* Synonyms: a glossary entry's names and declared variants (the ``variants``
  role) are one group; a term also looks for its group's other names.
* A term that matches nothing is left out, so endings no list names never empty
  the results; pages matching the most terms rank first, then by score
  (``score_page``: the title and the best section, rare terms weighing more).

A morphological analyser (kiwipiepy) would split Korean more exactly, but it
cannot run in the browser on the query side, and containment within a word
already finds every particle and compound form at no cost. Why not a search
library (MiniSearch, Pagefind): docs/searching.md, with measurements.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import unicodedata
import weakref
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.util import logging

from coursebook.bilingual.directives import lang_inline, pair_html
from coursebook.bilingual.text import HANGUL_SYLLABLE, SYLLABLES

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
ASSETS = HERE
INDEX_DIR = "korean-search"  # the split index, a folder at the site's root
INDEX_CALLBACK = "KOREAN_SEARCH_LOAD"  # every index file is a script calling it with (name, data)
ATTRIBUTE = "korean_search_sections"

# ---------------------------------------------------------------------------
# Tokens and matching (mirrored in static/korean-search.js)
# ---------------------------------------------------------------------------

TOKEN_RE = re.compile(f"[{SYLLABLES}]+|[A-Za-z0-9]+")
MIN_TERM_LENGTH = 2
PREFIX_MIN_LENGTH = 4

# What a query carries besides what it looks for, per language: the one place to change for another
# language pair. Stop words (question words, function words) are dropped from a query unless nothing
# else is left; endings (particles and verb endings) come off the end of a Hangul term.
LANGUAGES = {
    "en": {
        "stopwords": """
            a about after all also am an and any are as at be been being but by can could did do does
            doing done for from get gets getting got had has have having how i if in into is it its
            just me my of on or our should so some than that the their them then there these they this
            those to too very was we were what when where which while who why will with would you your
        """,
    },
    "ko": {
        "stopwords": """
            뭐예요 뭐에요 뭔가요 뭔지 무엇 무엇인가요 무엇인지 무슨 어떻게 어떤 어떻게요 왜요 언제 어디
            어디서 어느 누가 얼마나 이유 때문 때문에 되나요 되나 되요 돼요 됩니까 하나요 할까요 해요
            했나요 인가요 있나요 있어요 없나요 없어요 알려줘 알려주세요 설명해줘 설명해주세요 의미 그리고
            그런데 그래서 그러면 하지만 정말 너무 자꾸 계속 이것 그것 이거 그거
        """,
        "endings": """
            에서는 에게서 으로서 으로써 으로는 이라는 이라고 까지는 부터는 에서도 이나마
            으로 에서 에게 한테 까지 부터 보다 처럼 마다 조차 마저 이나 이란 이며 이고 에는 에도
            와는 과는 로서 로써 로는 라는 라고 이든 이랑 께서
            입니다 이에요 이었다 했습니다 합니다 됩니다 이다 예요 하는 하고 하여 해서 하면 한다 했다
            하기 하지 하다 된다 되는 되어 했던
            인가요 일까요 할까요 될까요 했나요 됐나요 되나요 하나요 나요 까요 는지 는데 니까 면서
            한가요 는가요 은가요 을까요 한지 어요 아요 지요 려면 으면 면
            은 는 이 가 을 를 의 에 와 과 도 로 만 나 랑 한
        """,
        # one-syllable nouns that end compounds (손실값, 은닉층수): a compound may go without one
        "suffixes": "값 수 층 률 율 량 법 식 점",
    },
}
STOPWORDS = frozenset(word for language in LANGUAGES.values() for word in language["stopwords"].split())
KOREAN_ENDINGS = tuple(sorted(set(LANGUAGES["ko"]["endings"].split()), key=lambda e: (-len(e), e)))
KOREAN_SUFFIXES = tuple(LANGUAGES["ko"]["suffixes"].split())


def normalize(text: str) -> str:
    """NFC, so that Hangul typed as separate jamo compares equal to composed syllables."""
    return unicodedata.normalize("NFC", text)


def is_hangul(token: str) -> bool:
    return bool(HANGUL_SYLLABLE.match(token))


def tokens(text: str) -> list[str]:
    """All tokens of ``text``, lowercased, in order (including one-character ones)."""
    return [match.group().lower() for match in TOKEN_RE.finditer(normalize(text))]


IDENTIFIER_RE = re.compile(r"[A-Za-z0-9]+(?:[._][A-Za-z0-9]+)+")


def words(text: str) -> list[str]:
    """What is searched in a text, and what a query searches for: its tokens, then each code name
    as written (optimizer.step, zero_grad), so a query for a code name ranks where it is written
    first, and the name without its leading parts (torch.nn.MSELoss: nn.mseloss too)."""
    text = normalize(text)
    names = []
    for match in IDENTIFIER_RE.finditer(text):
        name = match.group().lower()
        if re.search("[a-z]", name):
            starts = [0] + [i + 1 for i, c in enumerate(name) if c in "._"][:-1]
            names += [name[start:] for start in starts]
    return tokens(text) + names


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
    return [form[i:i + 2] for i in range(len(form) - 1)] if is_hangul(term) else []


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
    return rank_pages(resolved, [
        (order, url, title, headings, lambda hits, s, texts=texts: sum(texts[s][t] for t in hits))
        for order, url, title, headings, texts in pages
    ])


# ---------------------------------------------------------------------------
# The index, split for loading on demand (mirrored in korean-search.js)
# ---------------------------------------------------------------------------
#
# A query term matches only words that share its first two letters: a Hangul term
# matches words containing it (so containing its first two syllables, and so does
# the term without its ending), a Latin term words with its prefix or stem (a stem
# keeps the first two letters). So every word is filed under the two-letter keys a
# term could reach it by, hashed into a fixed number of term files: a Hangul word
# under each pair of adjacent syllables, a Latin word under its first two letters.
# One-letter words match no term and are left out. Titles and headings, which
# every search scores, are in meta.js; each page's text in a file of its own.

BUCKET_BYTES = 4_000  # a term file's size before compression, at most about this much on average
# (a query loads one file per key whatever their number, so smaller files make it load less: bench/search_size.py)
RESULTS_AT_ONCE = 10  # results shown (and page texts loaded) at a time; "more" shows the next ten


def bucket_of(key: str, buckets: int) -> int:
    """FNV-1a (32 bit) of the key's characters, modulo the number of term files."""
    value = 0x811C9DC5
    for char in key:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value % buckets


def word_keys(word: str) -> set[str]:
    """The two-letter keys under which a query term can reach this word."""
    if len(word) < MIN_TERM_LENGTH:
        return set()
    if is_hangul(word):
        return {word[i:i + 2] for i in range(len(word) - 1)}
    return {word[:2]}


def term_file(term: str, buckets: int) -> str:
    return f"t{bucket_of(term[:2], buckets)}"


def split_index(index: dict) -> dict[str, dict]:
    """The index as files, name -> data: "meta", "t<n>" (term files), "p<n>" (page texts).

    Every file carries the same "build" hash, so the page can tell files of two builds apart.
    """
    pages = index["pages"]
    postings: dict[str, list[list[int]]] = {}  # word -> [[page, section, count in the section's text]]
    for p, page in enumerate(pages):
        for s, (_anchor, _heading, text) in enumerate(page["sections"]):
            for word, count in Counter(words(text)).items():
                if len(word) >= MIN_TERM_LENGTH:
                    postings.setdefault(word, []).append([p, s, count])
    # bytes a word takes in its term files, about: the word in UTF-8 (3 bytes a syllable) and ~12 per place
    filed = sum((3 * len(w) + 4 + 12 * len(e)) * len(word_keys(w)) for w, e in postings.items())
    buckets = 1
    while filed / buckets > BUCKET_BYTES:
        buckets *= 2
    terms: list[dict] = [{} for _ in range(buckets)]
    for word in sorted(postings):
        for key in word_keys(word):
            terms[bucket_of(key, buckets)][word] = postings[word]
    files = {"meta": {
        "version": 2, "rules": index.get("rules", {}), "buckets": buckets, "results_at_once": RESULTS_AT_ONCE,
        "pages": [[page["url"], page["title"], [[a, h] for a, h, _ in page["sections"]]] for page in pages],
    }}
    files.update({f"t{b}": {"terms": bucket} for b, bucket in enumerate(terms)})
    files.update({f"p{p}": {"texts": [text for _, _, text in page["sections"]]} for p, page in enumerate(pages)})
    # the files follow from the index and the code that splits it
    build = hashlib.sha256(json.dumps(index, ensure_ascii=False).encode() + Path(__file__).read_bytes()).hexdigest()[:12]
    return {name: {"build": build, **data} for name, data in files.items()}


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
    urls = rank_pages(resolved, [
        (p, url, titles[p], headings[p], lambda hits, s, p=p: sum(places[w, p, s] for w in hits))
        for p, (url, _, _) in enumerate(meta["pages"])
    ])
    page_of = {url: p for p, (url, _, _) in enumerate(meta["pages"])}
    loaded += [f"p{page_of[url]}" for url in urls[:meta["results_at_once"]]]
    return urls, loaded


# ---------------------------------------------------------------------------
# Prose extraction from a doctree
# ---------------------------------------------------------------------------

MATH_PLACEHOLDER = "⋯"
SKIPPED_NODES = (
    nodes.literal_block, nodes.doctest_block, nodes.raw, nodes.math, nodes.math_block,
    nodes.comment, nodes.system_message, nodes.substitution_definition, nodes.image,
    nodes.problematic, addnodes.index, addnodes.toctree,
)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", normalize(text)).strip()


def _is_code(node: nodes.Node) -> bool:
    """Code cells, their outputs, math and anything else myst-nb adds for a notebook."""
    if isinstance(node, SKIPPED_NODES) or type(node).__module__.startswith("myst_nb"):
        return True
    if isinstance(node, nodes.container):
        classes = node.get("classes", [])
        return "nb_element" in node.attributes or any(c == "cell" or c.startswith("cell_") for c in classes)
    return isinstance(node, nodes.Element) and "output" in node.get("classes", [])


def _is_block(node: nodes.Node) -> bool:
    """Blocks are separated by a space; inline markup joins its neighbours ("**4단계**(순전파" stays one run)."""
    return not isinstance(node, (nodes.Inline, nodes.TextElement)) or isinstance(
        node, (nodes.paragraph, nodes.title, nodes.term, nodes.caption, nodes.rubric, nodes.line)
    )


def _is_glossary_entry(node: nodes.Node) -> bool:
    return isinstance(node, nodes.definition_list_item) and isinstance(node.parent.parent, addnodes.glossary)


@dataclass
class Section:
    anchor: str
    title: str
    parts: list[str] = field(default_factory=list)

    def record(self) -> list[str]:
        return [self.anchor, _squash(self.title), _squash("".join(self.parts))]


def prose(node: nodes.Node) -> str:
    """The readable text of a node, without code, outputs or math."""
    text = Section("", "")
    _collect(node, text, None)
    return _squash("".join(text.parts))


def extract_sections(doctree: nodes.Node) -> list[list[str]]:
    """[anchor, heading, text] for every section of a page and every glossary entry.
    The first record is the top of the page and has the anchor ""."""
    sections: list[Section] = []
    preamble = Section("", "")  # text outside any section, if a page has no heading
    for child in doctree.children if isinstance(doctree, nodes.document) else [doctree]:
        _collect(child, preamble, sections)
    records = [s.record() for s in sections]
    if preamble.parts and _squash("".join(preamble.parts)):
        records.insert(0, preamble.record())
    if records:
        records[0][0] = ""
    return records


def _collect(node: nodes.Node, current: Section, sections: list[Section] | None) -> None:
    """Append the prose under ``node`` to ``current``; with ``sections``, start a new
    record at every section and glossary entry."""
    if sections is not None and isinstance(node, nodes.section):
        title = next((c for c in node.children if isinstance(c, nodes.title)), None)
        section = Section(node["ids"][0] if node["ids"] else current.anchor, prose(title) if title is not None else "")
        sections.append(section)
        for child in node.children:
            if child is not title:
                _collect(child, section, sections)
        return
    if sections is not None and _is_glossary_entry(node):
        terms = [c for c in node.children if isinstance(c, nodes.term)]
        anchor = next((t["ids"][0] for t in terms if t["ids"]), current.anchor)
        entry = Section(anchor, " · ".join(prose(t) for t in terms))
        entry.parts.append(" ".join(prose(c) for c in node.children if not isinstance(c, nodes.term)))
        sections.append(entry)
        return
    if isinstance(node, nodes.Text):
        current.parts.append(node.astext())
        return
    if isinstance(node, nodes.math):
        current.parts.append(MATH_PLACEHOLDER)  # the snippet reads "행렬 ⋯ 와", not TeX source
        return
    if _is_code(node) or (isinstance(node, nodes.Element) and VARIANTS_CLASS in node["classes"]):
        return  # variants are searched through the synonyms of their entry (synonym_groups), not as text
    block = _is_block(node)
    if block:
        current.parts.append(" ")
    for child in node.children:
        _collect(child, current, sections)
    if block:
        current.parts.append(" ")


# ---------------------------------------------------------------------------
# Synonyms from the glossary
# ---------------------------------------------------------------------------

VARIANTS_CLASS = "search-variants"


def variants_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{variants}`렐루, 렐류``` in a glossary definition: other spellings of the entry's term
    (transliterations, synonyms) that a search for any of them should find the term by. Shown
    as "다른 표기 · Also written: 렐루, 렐류"."""
    words = [_squash(word) for word in text.split(",") if word.strip()]
    if not words:
        message = inliner.reporter.error("The {variants} role is empty: write the other spellings, separated by commas.", line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    # A Hangul spelling is for Korean readers: an English reader sees the Latin ones only, or nothing.
    korean = [word for word in words if HANGUL_SYLLABLE.search(word)]
    latin = [word for word in words if word not in korean]
    node = lang_inline(rawtext, "", classes=[VARIANTS_CLASS, "lang-inline", "lang-ko"], lang="ko") if not latin else nodes.inline(rawtext, "", classes=[VARIANTS_CLASS])
    node["variants"] = words
    node += nodes.raw("", (pair_html("다른 표기", "Also written") if latin else "다른 표기") + ": ", format="html")
    if korean and latin:
        node += lang_inline("", ", ".join(korean) + ", ", classes=["lang-inline", "lang-ko"], lang="ko")
    node += nodes.Text(", ".join(latin or korean))
    return [node], []


def synonym_groups(doctree: nodes.Node) -> list[list[str]]:
    """For every glossary entry: its names and declared variants, as searched (lowercase, one space)."""
    groups = []
    for item in doctree.findall(nodes.definition_list_item):
        if not _is_glossary_entry(item):
            continue
        names = [prose(term) for term in item.children if isinstance(term, nodes.term)]
        names += [word for node in item.findall(nodes.inline) if VARIANTS_CLASS in node["classes"] for word in node["variants"]]
        group = list(dict.fromkeys(" ".join(tokens(name)) for name in names if tokens(name)))
        if len(group) > 1:
            groups.append(group)
    return groups


# ---------------------------------------------------------------------------
# Sphinx events
# ---------------------------------------------------------------------------

LEAK_PATTERNS = ("Traceback (most recent call last)",)


def read_page(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    records = extract_sections(doctree)
    text = json.dumps(records, ensure_ascii=False)
    for leak in (str(Path(app.srcdir)), *LEAK_PATTERNS):
        if leak in text:
            logger.warning(
                "korean_search: the prose of this page contains %r (a machine path or a traceback); "
                "it would be published in the search index", leak, location=env.docname,
            )
    if not hasattr(env, ATTRIBUTE):
        setattr(env, ATTRIBUTE, {})
    getattr(env, ATTRIBUTE)[env.docname] = {"sections": records, "synonyms": synonym_groups(doctree)}


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, ATTRIBUTE, {}).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    mine = getattr(env, ATTRIBUTE, {})
    mine.update({d: r for d, r in getattr(other, ATTRIBUTE, {}).items() if d in docnames})
    setattr(env, ATTRIBUTE, mine)


def toc_order(env: BuildEnvironment, root: str) -> list[str]:
    """Documents in reading order: depth first through the toctrees from the root."""
    order: list[str] = []

    def visit(docname: str) -> None:
        if docname in order:
            return
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            visit(child)

    visit(root)
    return order + sorted(set(env.all_docs) - set(order))


def build_index(app: Sphinx) -> dict:
    env = app.env
    records = getattr(env, ATTRIBUTE, {})
    pages, synonyms = [], []
    for docname in toc_order(env, app.config.root_doc):
        if docname not in records or docname not in env.all_docs:
            continue
        title = env.titles[docname].astext() if docname in env.titles else docname
        pages.append({
            "url": app.builder.get_target_uri(docname),
            "title": _squash(title),
            "sections": records[docname]["sections"],
        })
        synonyms += records[docname]["synonyms"]
    rules = {
        "min_term_length": MIN_TERM_LENGTH,
        "prefix_min_length": PREFIX_MIN_LENGTH,
        "stopwords": sorted(STOPWORDS),
        "korean_endings": list(KOREAN_ENDINGS),
        "korean_suffixes": list(KOREAN_SUFFIXES),
        "synonyms": synonyms,
    }
    return {"rules": rules, "pages": pages}


# Each build's split index, kept here (not on Sphinx's app object, which is not ours).
_INDEX_FILES: weakref.WeakKeyDictionary[Sphinx, dict[str, dict]] = weakref.WeakKeyDictionary()


def index_files(app: Sphinx) -> dict[str, dict]:
    """The split index of this build (made once: the search page names its build hash)."""
    if app not in _INDEX_FILES:
        _INDEX_FILES[app] = split_index(build_index(app))
    return _INDEX_FILES[app]


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Give the search page the index's folder and build hash (to load it, and to bypass stale caches)."""
    if pagename == "search":
        context["korean_search_build"] = index_files(app)["meta"]["build"]
        context["korean_search_folder"] = INDEX_DIR


def write_index(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    folder = Path(app.outdir, INDEX_DIR)
    shutil.rmtree(folder, ignore_errors=True)  # the files of an earlier build, whose split may differ
    folder.mkdir()
    for name, data in index_files(app).items():
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        (folder / f"{name}.js").write_text(f'{INDEX_CALLBACK}("{name}",{payload});\n', encoding="utf-8")
    _INDEX_FILES.pop(app, None)


def without_sphinx_index(app: Sphinx) -> None:
    """Sphinx's own index is not built: nothing loads it (templates/layout.html), and it cost every
    build a pass over every page written. Sphinx then leaves the search page out, so search_page adds it."""
    if app.builder.format == "html":
        app.builder.search = False


def search_page(app: Sphinx):
    if "search" in app.env.found_docs:  # the search page would overwrite it without a word
        raise ExtensionError(f"{app.env.doc2path('search')}: the book's search page is search.html, which would "
                             "replace this page. Rename the file, and its line in _toc.yml.")
    yield "search", {}, "search.html"


def add_paths(app: Sphinx, config) -> None:
    """Our search.html template and static files, added after the book's own paths."""
    for option, folder in (("templates_path", ASSETS / "templates"), ("html_static_path", ASSETS / "static")):
        paths = list(getattr(config, option) or [])
        if not any(Path(app.confdir, p).resolve() == folder for p in paths):
            paths.append(str(folder))
        setattr(config, option, paths)


def setup(app: Sphinx) -> dict:
    app.add_role("variants", variants_role)
    app.connect("config-inited", add_paths)
    app.connect("builder-inited", without_sphinx_index)
    app.connect("html-collect-pages", search_page)
    app.connect("doctree-read", read_page)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("html-page-context", page_context)
    app.connect("build-finished", write_index)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}
