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

Text is cut into tokens: runs of Hangul syllables, and runs of ASCII letters and digits
(lowercased); code names as written (``optimizer.step``, ``zero_grad``) are words too (``words``).
The page's script matches queries with the rules the index carries (``build_index``: stop words,
endings, suffixes); tests/search_reference.py holds the same matching in Python, for the tests.

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

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.util import logging

from coursebook.bilingual.directives import lang_inline, pair_html
from coursebook.bilingual.korean_particles import PARTICLES
from coursebook.bilingual.text import HANGUL_SYLLABLE, SYLLABLES

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
ASSETS = HERE
INDEX_DIR = "korean-search"  # the split index, a folder at the site's root
INDEX_CALLBACK = "KOREAN_SEARCH_LOAD"  # every index file is a script calling it with (name, data)
ATTRIBUTE = "korean_search_sections"

# ---------------------------------------------------------------------------
# Tokens, and the rules the index carries to the page (static/korean-search.js)
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
        # the particles (coursebook.bilingual.korean_particles, the one list), then verb endings
        "endings": " ".join(PARTICLES)
        + """
            했습니다 합니다 됩니다 하는 하고 하여 해서 하면 한다 했다 하기 하지 하다 된다 되는 되어 했던
            인가요 일까요 할까요 될까요 했나요 됐나요 되나요 하나요 나요 까요 는지 는데 니까 면서
            한가요 는가요 은가요 을까요 한지 어요 아요 지요 려면 으면 면 한
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


# ---------------------------------------------------------------------------
# The index, split for loading on demand (read by korean-search.js)
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
        return {word[i : i + 2] for i in range(len(word) - 1)}
    return {word[:2]}


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
    files = {
        "meta": {
            "version": 2,
            "rules": index.get("rules", {}),
            "buckets": buckets,
            "results_at_once": RESULTS_AT_ONCE,
            "pages": [[page["url"], page["title"], [[a, h] for a, h, _ in page["sections"]]] for page in pages],
        }
    }
    files.update({f"t{b}": {"terms": bucket} for b, bucket in enumerate(terms)})
    files.update({f"p{p}": {"texts": [text for _, _, text in page["sections"]]} for p, page in enumerate(pages)})
    # the files follow from the index and the code that splits it
    build = hashlib.sha256(json.dumps(index, ensure_ascii=False).encode() + Path(__file__).read_bytes()).hexdigest()[:12]
    return {name: {"build": build, **data} for name, data in files.items()}


# ---------------------------------------------------------------------------
# Prose extraction from a doctree
# ---------------------------------------------------------------------------

MATH_PLACEHOLDER = "⋯"
SKIPPED_NODES = (
    nodes.literal_block,
    nodes.doctest_block,
    nodes.raw,
    nodes.math,
    nodes.math_block,
    nodes.comment,
    nodes.system_message,
    nodes.substitution_definition,
    nodes.image,
    nodes.problematic,
    addnodes.index,
    addnodes.toctree,
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
    node = (
        lang_inline(rawtext, "", classes=[VARIANTS_CLASS, "lang-inline", "lang-ko"], lang="ko")
        if not latin
        else nodes.inline(rawtext, "", classes=[VARIANTS_CLASS])
    )
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
                "it would be published in the search index",
                leak,
                location=env.docname,
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
        pages.append(
            {
                "url": app.builder.get_target_uri(docname),
                "title": _squash(title),
                "sections": records[docname]["sections"],
            }
        )
        synonyms += records[docname]["synonyms"]
    rules = {
        "min_term_length": MIN_TERM_LENGTH,
        "prefix_min_length": PREFIX_MIN_LENGTH,
        "token_pattern": TOKEN_RE.pattern,  # the script cuts text as the index was cut
        "syllables": SYLLABLES,
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
        raise ExtensionError(
            f"{app.env.doc2path('search')}: the book's search page is search.html, which would "
            "replace this page. Rename the file, and its line in _toc.yml."
        )
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
