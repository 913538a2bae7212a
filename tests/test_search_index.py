"""The Korean-aware search: its rules (tests/search_reference.py, what the page does), its prose
extraction and the index a build writes (coursebook.search.korean_search). The browser side is in
tests/browser/test_search.py."""

import io
import json
from pathlib import Path

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import docutils_namespace

ROOT = Path(__file__).resolve().parent.parent

import coursebook.search.korean_search as ks  # noqa: E402
import search_reference as ref  # noqa: E402

# ---------------------------------------------------------------- tokens and rules


def test_the_matching_has_one_python_copy_and_it_is_not_in_the_package():
    """The page matches; the build only writes the index. A merge once undid this move: the matching had
    grown in coursebook.search.korean_search while its copy in tests/ still held the old rules."""
    own = [name for name, value in vars(ref).items() if getattr(value, "__module__", None) == ref.__name__]
    assert own and not [name for name in own if hasattr(ks, name)]


def test_tokens_split_hangul_from_latin_and_lowercase():
    assert ks.tokens("PyTorch로 신경망의 기초를") == ["pytorch", "로", "신경망의", "기초를"]
    assert ks.tokens("학습 4단계(순전파, torch.nn.MSELoss())") == ["학습", "4", "단계", "순전파", "torch", "nn", "mseloss"]
    assert ks.tokens("in_features=3, x_i^2") == ["in", "features", "3", "x", "i", "2"]


def test_code_names_are_words_as_written_too():
    assert ks.words("optimizer.step() 뒤 zero_grad(), torch.nn.MSELoss, 3.14") == [
        "optimizer",
        "step",
        "뒤",
        "zero",
        "grad",
        "torch",
        "nn",
        "mseloss",
        "3",
        "14",
        "optimizer.step",
        "zero_grad",
        "torch.nn.mseloss",
        "nn.mseloss",
    ]
    assert ref.query_terms("optimizer.step") == ["optimizer", "step", "optimizer.step"]


def test_decomposed_hangul_is_composed_before_matching():
    decomposed = "\u1100\u1169\u11a8\u1109\u1165\u11ab"  # 곡선 typed as jamo
    assert ks.tokens(decomposed) == ["곡선"]


@pytest.mark.parametrize("query", ["x", "a", "가", "X", "ㅋㅋ", "!!!", "  ", "w 수"])
def test_one_letter_and_non_word_queries_have_no_terms(query):
    assert ref.query_terms(query) == []


def test_query_terms_drop_short_terms_and_stopwords_but_not_everything():
    assert ref.query_terms("the learning rate") == ["learning", "rate"]
    assert ref.query_terms("why does my network get stuck") == ["network", "stuck"]
    assert ref.query_terms("과적합이 뭐예요") == ["과적합이"]
    assert ref.query_terms("학습률이 크면 어떻게 되나요") == ["학습률이", "크면"]
    assert ref.query_terms("렐루 노드가 죽는 이유가") == ["렐루", "노드가", "죽는"], "a stop word with its particle"
    assert ref.query_terms("노드는 왜 노드가") == ["노드는"], "one word with two endings is one term"
    assert ref.query_terms("a 신경망") == ["신경망"]
    assert ref.query_terms("the") == ["the"]
    assert ref.query_terms("곡선 곡선") == ["곡선"]


@pytest.mark.parametrize(
    "words",
    [
        ("network", "networks"),
        ("study", "studies"),
        ("loss", "losses"),
        ("bias", "biases"),
        ("fit", "fits", "fitted", "fitting"),
        ("memorise", "memorising", "memorizing", "memorized"),  # British and American spellings
        ("update", "updates", "updated", "updating"),
        ("train", "trains", "trained", "training"),
        ("epoch", "epochs"),
        ("batch", "batches"),
    ],
)
def test_english_inflections_share_a_stem(words):
    assert len({ref.english_stem(w) for w in words}) == 1, {w: ref.english_stem(w) for w in words}


@pytest.mark.parametrize("pair", [("linear", "line"), ("bias", "bit"), ("node", "nodes_x"), ("gas", "ga")])
def test_the_stemmer_keeps_different_words_apart(pair):
    assert ref.english_stem(pair[0]) != ref.english_stem(pair[1])


@pytest.mark.parametrize(
    "term, stem",
    [
        ("신경망으로", "신경망"),
        ("신경망으로는", "신경망"),
        ("곡선을", "곡선"),
        ("학습하는", "학습"),
        ("오차입니다", "오차"),
        ("기울기로", "기울기"),
        ("멈추나요", "멈추"),
        ("줄이려면", "줄이"),
        ("차이", None),
        ("하나", None),
        ("신경망", None),  # no ending, or one syllable would be left
    ],
)
def test_a_trailing_particle_or_ending_comes_off_only_if_two_syllables_remain(term, stem):
    assert ref.strip_korean_ending(term) == stem


VOCABULARY = [
    "곡선을",
    "곡선은",
    "활성화함수를",
    "손실함수",
    "함수",
    "신경망의",
    "신경망",
    "network",
    "networks",
    "optimizer",
    "optim",
    "fits",
    "202150754",
    "2021",
    "x",
    "i",
    "bf",
    "망으",
]


@pytest.mark.parametrize(
    "term, expected",
    [
        ("곡선", {"곡선을", "곡선은"}),
        ("함수", {"활성화함수를", "손실함수", "함수"}),  # compounds by their parts
        ("활성화함수", {"활성화함수를"}),
        ("신경망으로", {"신경망의", "신경망"}),  # the particle comes off
        ("신경망의", {"신경망의", "신경망"}),  # even when the book has the word as typed
        ("network", {"network", "networks"}),
        ("networks", {"network", "networks"}),
        ("optim", {"optimizer", "optim"}),  # prefix, four letters or more
        ("fitted", {"fits"}),
        ("2021", {"2021"}),  # numbers match exactly
        ("양자역학", set()),
        ("zebra", set()),
        ("qwxz", set()),
        ("bf", {"bf"}),
    ],
)
def test_resolve_term(term, expected):
    [(_, hits)] = ref.resolve_terms([term], VOCABULARY, {})
    assert hits == expected


SPACED = ["손실", "손실을", "함수", "함수는", "넓은", "신경망", "신경", "학습률", "relu", "활성화", "epoch", "에폭"]


@pytest.mark.parametrize(
    "term, parts",
    [
        ("손실함수", ["손실", "함수"]),  # the book writes 손실 함수
        ("손실함수를", ["손실", "함수"]),  # with a particle
        ("넓은신경망", ["넓은", "신경망"]),  # the longest first part: 신경망, not 신경 + 망
        ("양자역학", None),
        ("손실양자", None),  # every part must be in the book
        ("손실값", ["손실"]),  # a last syllable of its own (값, 수, 층) may go, if nothing else works
        ("넓은신경망값", ["넓은", "신경망"]),
        ("양자값", None),
        ("손실산", None),  # 산 is not such a syllable (부동산 must not find 부동소수점)
    ],
)
def test_a_compound_the_book_spells_with_a_space_is_cut_into_its_words(term, parts):
    resolved = ref.resolve_terms([term], SPACED, {})
    if parts is None:
        assert resolved == [([ref.lookup_form(term)], set())]
    else:
        assert [forms for forms, _ in resolved] == [[p] for p in parts]
        assert all(hits for _, hits in resolved)


GROUPS = [["relu", "렐루"], ["활성화 함수", "activation function", "액티베이션"], ["에폭", "epoch", "에포크"]]


@pytest.mark.parametrize(
    "term, forms, hits",
    [
        ("렐루", ["렐루", "relu"], {"relu"}),  # a transliteration declared in the glossary
        ("렐루가", ["렐루", "relu"], {"relu"}),  # with a particle
        ("relu", ["relu", "렐루"], {"relu"}),
        ("에포크마다", ["에포크", "에폭", "epoch"], {"에폭", "epoch"}),
        ("epochs", ["epochs", "에폭", "에포크"], {"에폭", "epoch"}),  # a plural finds the name's group
        ("액티베이션", None, None),  # only names of two words: their words
    ],
)
def test_synonyms_from_the_glossary(term, forms, hits):
    table = ref.synonym_table(GROUPS)
    resolved = ref.resolve_terms([term], SPACED, table)
    if forms is None:
        assert [(f, bool(h)) for f, h in resolved] == [(["활성화"], True), (["함수"], True)]
    else:
        assert resolved == [(forms, hits)]


def test_synonyms_do_not_make_nonsense_match():
    table = ref.synonym_table(GROUPS)
    assert ref.resolve_terms(["zebra", "양자역학"], SPACED, table) == [(["zebra"], set()), (["양자역학"], set())]


def _index(*pages):
    return {"pages": [{"url": url, "title": title, "sections": sections} for url, title, sections in pages]}


TOY = _index(
    ("a.html", "곡선 · Curves", [["", "곡선 · Curves", "곡선을 그립니다. We draw curves."]]),
    (
        "b.html",
        "활성화 · Activation",
        [
            ["", "활성화 · Activation", "활성화함수를 고릅니다. Pick an activation function."],
            ["loss", "손실 · Loss", "손실함수는 오차를 잽니다."],
        ],
    ),
    ("c.html", "용어집 · Glossary", [["", "용어집 · Glossary", ""], ["term-0", "곡선 · curve", "선. A line."]]),
)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("곡선", ["a.html", "c.html"]),
        ("곡선은", ["a.html", "c.html"]),
        ("함수", ["b.html"]),
        ("curve", ["a.html", "c.html"]),
        ("곡선 zebra", ["a.html", "c.html"]),  # a word the book does not have is left out
        ("곡선이 뭐예요", ["a.html", "c.html"]),  # so is a question's ending
        ("양자역학", []),
        ("zebra qwxz", []),  # nonsense finds nothing
        ("x", []),
    ],
)
def test_search_over_an_index(query, expected):
    assert sorted(ref.search(TOY, query)) == expected


def test_title_matches_rank_first():
    assert ref.search(TOY, "곡선")[0] == "a.html"


def test_pages_matching_more_of_the_query_rank_first():
    # a.html has 곡선 in its title and heading, c.html has both words with less weight: more words first
    assert ref.search(TOY, "곡선 line") == ["c.html", "a.html"]
    # one word each: activation is on one page of three, 곡선 on two, so activation weighs twice as much
    assert ref.search(TOY, "곡선 activation") == ["b.html", "a.html", "c.html"]
    assert ref.term_weights([[(True,)], [(True,)], [(False,)], [(False,)]]) == [2]
    assert ref.term_weights([[(True,)], [(False,)], [(False,)], [(False,)]]) == [3]


# ---------------------------------------------------------------- the split index


def test_term_files_are_chosen_by_fnv1a_of_the_first_two_letters():
    assert ks.bucket_of("a", 2**32) == 0xE40C292C and ks.bucket_of("foobar", 2**32) == 0xBF9CF968  # FNV-1a test vectors
    assert ref.term_file("곡선을", 16) == ref.term_file("곡선", 16) == f"t{ks.bucket_of('곡선', 16)}"
    # a Hangul word is filed under every pair of adjacent syllables, a Latin word under its first two letters
    assert ks.word_keys("활성화함수를") == {"활성", "성화", "화함", "함수", "수를"}
    assert ks.word_keys("networks") == {"ne"} and ks.word_keys("x") == set() and ks.word_keys("가") == set()


TOY_QUERIES = [
    "곡선",
    "곡선은",
    "함수",
    "curve",
    "곡선 line",
    "곡선 zebra",
    "양자역학",
    "x",
    "손실",
    "activation",
    "오차를",
    "손실함수",
    "활성화손실",
    "곡선이 뭐예요",
    "손실값",
    "활성화함수값이",
]


@pytest.mark.parametrize("query", TOY_QUERIES)
def test_the_split_index_finds_what_the_whole_index_finds(query):
    files = ks.split_index(TOY)
    found, loaded = ref.search_split(files.__getitem__, query)
    assert found == ref.search(TOY, query)
    terms = ref.query_terms(query)
    pages = [name for name in loaded if name.startswith("p")]
    keys = [k for t in terms for k in ref.term_keys(t, {}) + ref.compound_keys(t)]
    assert loaded[0] == "meta" and len(loaded) <= 1 + len(keys) + len(pages)
    assert len(pages) == min(len(found), ks.RESULTS_AT_ONCE) if terms else not pages


def test_the_split_index_joins_back_into_the_whole_index():
    files = ks.split_index(TOY)
    assert ref.join_index(files.__getitem__)["pages"] == TOY["pages"]
    assert len({data["build"] for data in files.values()}) == 1, "every file names the same build"
    assert ks.split_index(TOY) == files, "the same prose gives the same files"


def test_a_search_loads_only_its_terms_files_and_the_texts_of_the_results_shown():
    many = _index(*[(f"{n}.html", f"곡선 {n}", [["", f"곡선 {n}", f"곡선을 그립니다 {n}."]]) for n in range(25)])
    files = ks.split_index(many)
    found, loaded = ref.search_split(files.__getitem__, "곡선")
    assert len(found) == 25
    assert loaded == ["meta", ref.term_file("곡선", files["meta"]["buckets"])] + [f"p{n}" for n in range(ks.RESULTS_AT_ONCE)]


# ---------------------------------------------------------------- prose extraction


def _doctree(rst: str) -> nodes.document:
    document = new_document("<test>", get_default_settings(Parser))
    Parser().parse(rst, document)
    return document


PAGE = """
Page title
==========

곡선을 **그립니다**\\ (점선). The :math:`y_i` stays out.

.. code-block:: python

   import hstack_only_in_code

.. math::

   \\hat{y} = w_0

.. figure:: plot.png
   :alt: alt text is not indexed

   점선은 참값입니다 (a caption).

Second section
--------------

- one item with ``MSELoss`` inline
"""


def test_extraction_keeps_prose_captions_and_inline_code_but_not_code_math_or_alt():
    sections = ks.extract_sections(_doctree(PAGE))
    assert [s[:2] for s in sections] == [["", "Page title"], ["second-section", "Second section"]]
    text = sections[0][2]
    assert "곡선을 그립니다(점선)." in text, "inline markup must not split a word from its particle"
    assert "점선은 참값입니다" in text
    assert "hstack" not in text and "hat" not in text and "y_i" not in text and "alt text" not in text
    assert ks.MATH_PLACEHOLDER in text
    assert "MSELoss" in sections[1][2]


def test_extraction_skips_notebook_cells_and_outputs():
    document = _doctree("Title\n=====\n\n본문 문단입니다.\n")
    cell = nodes.container(classes=["cell"])
    cell += nodes.literal_block("", "print('cell_code_token')")
    output = nodes.container(classes=["cell_output"])
    output += nodes.literal_block("", "Traceback (most recent call last): /work/site-packages/x.py", classes=["output"])
    cell += output
    document[0] += cell
    text = ks.extract_sections(document)[0][2]
    assert text == "본문 문단입니다."


def test_each_glossary_entry_is_its_own_record_with_its_anchor():
    document = _doctree("Glossary\n========\n\nIntro.\n")
    glossary = addnodes.glossary()
    entries = nodes.definition_list(classes=["glossary"])
    item = nodes.definition_list_item()
    item += nodes.term("", "과적합", ids=["term-0"])
    item += nodes.term("", "overfitting", ids=["term-overfitting"])
    item += nodes.definition("", nodes.paragraph("", "잡음까지 맞추는 것. Fitting the noise."))
    entries += item
    glossary += entries
    document[0] += glossary
    records = ks.extract_sections(document)
    assert records == [["", "Glossary", "Intro."], ["term-0", "과적합 · overfitting", "잡음까지 맞추는 것. Fitting the noise."]]


def test_a_glossary_entry_s_names_and_variants_make_a_synonym_group():
    document = _doctree("Glossary\n========\n")
    glossary = addnodes.glossary()
    entries = nodes.definition_list(classes=["glossary"])
    item = nodes.definition_list_item()
    item += nodes.term("", "ReLU", ids=["term-ReLU"])
    variants = nodes.inline("", "", classes=[ks.VARIANTS_CLASS])
    variants["variants"] = ["렐루", "Rectified  Linear Unit"]
    variants += nodes.Text("렐루, Rectified Linear Unit")
    item += nodes.definition("", nodes.paragraph("", "음수를 자른다. ", variants))
    entries += item
    single = nodes.definition_list_item()  # an entry with one name and no variants: no group
    single += nodes.term("", "시드", ids=["term-0"])
    single += nodes.definition("", nodes.paragraph("", "난수의 출발점."))
    entries += single
    glossary += entries
    document[0] += glossary
    assert ks.synonym_groups(document) == [["relu", "렐루", "rectified linear unit"]]
    records = ks.extract_sections(document)
    assert "렐루" not in records[1][2], "variants are found through their group, which may expand to a name of two words"


# ---------------------------------------------------------------- the written index


def index_file(site: Path, name: str) -> dict:
    """One file of the split index, as the browser reads it: a call KOREAN_SEARCH_LOAD("name", {...});"""
    raw = (site / ks.INDEX_DIR / f"{name}.js").read_text(encoding="utf-8")
    prefix = f'{ks.INDEX_CALLBACK}("{name}",'
    assert raw.startswith(prefix) and raw.rstrip().endswith(");")
    return json.loads(raw[len(prefix) :].rstrip().removesuffix(");"))


def load_index(site: Path) -> tuple[dict, int]:
    """The whole index, joined from its files, and the size of all its files together."""
    size = sum(f.stat().st_size for f in (site / ks.INDEX_DIR).iterdir())
    return ref.join_index(lambda name: index_file(site, name)), size


@pytest.mark.build
def test_the_index_covers_every_page_and_nothing_else(built_site):
    index, size = load_index(built_site)
    urls = [p["url"] for p in index["pages"]]
    print(f"\nsearch index: {size} bytes for {len(urls)} pages")
    for url in ("book/index.html", "lectures/02_polynomial_regression.html", "book/glossary.html"):
        assert url in urls
        assert (built_site / url).exists()
    assert not any(u.startswith(("search", "genindex")) for u in urls)
    assert len(urls) == len(set(urls))
    assert index["rules"]["korean_endings"] == list(ks.KOREAN_ENDINGS)
    assert not (built_site / "korean-search-index.js").exists(), "the unsplit index of earlier builds is gone"


def test_no_page_loads_sphinx_s_own_index(built_site):
    """The theme would load Sphinx's whole-book searchindex.js in every page's head; the book searches
    with its split index, on its search page only, so Sphinx's index is neither built nor loaded."""
    assert (built_site / "search.html").is_file() and not (built_site / "searchindex.js").exists()
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "searchindex.js" not in text and "searchtools.js" not in text, page.relative_to(built_site)


@pytest.mark.build
def test_the_index_holds_prose_only(built_site):
    index, size = load_index(built_site)
    raw = json.dumps(index, ensure_ascii=False)
    for leak in (str(ROOT), "/work/", "site-packages", "Traceback", "jupyter_execute", "_build", "<Figure size"):
        assert leak not in raw, leak
    chapter = next(p for p in index["pages"] if p["url"] == "lectures/02_polynomial_regression.html")
    text = " ".join(" ".join(s) for s in chapter["sections"])
    # prose, headings, captions and glued numbers are in ...
    for words in ("다항식에서", "점선을", "편향 대신 상수열", "MSELoss", "[3.9991, 3.0609, -2.0015]"):
        assert words in text
    # ... code cells, outputs, the literalinclude and math are not
    for code in ("hstack", "randperm", "manual_seed", "def polynomial", "Parameter containing", "\\bf"):
        assert code not in text, code
    glossary = next(p for p in index["pages"] if p["url"] == "book/glossary.html")
    assert any(anchor.startswith("term-") and "과적합" in heading for anchor, heading, _ in glossary["sections"])


@pytest.mark.build
def test_the_index_stays_small(built_site):
    index, size = load_index(built_site)
    prose = sum(len(json.dumps(p, ensure_ascii=False).encode()) for p in index["pages"])
    # the prose once (page texts), each word with where it occurs (term files, a Hangul word under
    # each of its syllable pairs), titles and headings once more (meta)
    assert size < 4 * prose, (size, prose)
    assert size < 60_000 * len(index["pages"])


@pytest.mark.build
@pytest.mark.parametrize("query", ["x", "y", "i", "w", "b", "bf", "hat", "qwxz", "hstack", "randperm", "axes"])
def test_code_and_math_tokens_find_nothing(built_site, query):
    index, _ = load_index(built_site)
    chapter = [p for p in index["pages"] if p["url"] == "lectures/02_polynomial_regression.html"]
    assert ref.search({"pages": chapter}, query) == []


@pytest.mark.build
def test_the_split_index_gives_the_same_results_as_the_whole_one(built_site):
    """Before the split every search read the whole index: same pages, same order, for every two-letter
    start of a word of the book (the broadest queries), every fourth word whole, every eighth with a
    particle added, every pair of adjacent Hangul words of the book written as one (compounds cut
    apart again), the glossary's names and variants, the browser tests' queries, the natural
    queries and nonsense."""
    import yaml
    from browser.test_search import NOTHING, QUERIES

    index, _ = load_index(built_site)
    files = {f.stem: index_file(built_site, f.stem) for f in (built_site / ks.INDEX_DIR).iterdir()}
    meta, pages = files["meta"], ref.page_tokens(index)
    index["rules"] = meta["rules"]  # the synonyms
    words = sorted({w for page in index["pages"] for section in page["sections"] for w in ks.words(" ".join(section))})
    queries = {w[:2] for w in words} | set(words[::4]) | {w + "으로" for w in words[::8]}
    texts = [ks.tokens(text) for page in index["pages"] for _, _, text in page["sections"]]
    queries |= {a + b for text in texts for a, b in zip(text[::7], text[1::7]) if ks.is_hangul(a) and ks.is_hangul(b)}
    queries |= {name for group in meta["rules"]["synonyms"] for name in group}
    natural = yaml.safe_load((ROOT / "tests" / "search_queries.yml").read_text(encoding="utf-8"))
    queries |= {q for q, _, _ in QUERIES} | {q["query"] for q in natural} | set(NOTHING)
    synonyms = ref.synonym_table(meta["rules"]["synonyms"])
    differ = []
    for query in sorted(queries):
        found, loaded = ref.search_split(files.__getitem__, query)
        if found != ref.search(index, query, pages):
            differ.append(query)
        keys = [k for t in ref.query_terms(query) for k in ref.term_keys(t, synonyms) + ref.compound_keys(t)]
        assert len([n for n in loaded if n.startswith("t")]) <= len(keys)
    print(f"\nsplit index: {len(queries)} queries, {meta['buckets']} term files, {len(differ)} different")
    assert len(queries) > 2500 and not differ, differ[:20]


def test_no_search_field_carries_the_invalid_autocorrect_attribute(built_site):
    """The theme's search field had autocorrect="off", which the Nu HTML checker rejects."""
    from bs4 import BeautifulSoup

    pages = sorted(p for p in built_site.rglob("*.html") if "_static" not in p.parts)
    fields = 0
    for page in pages:
        for field in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("input[type=search]"):
            fields += 1
            assert not field.has_attr("autocorrect"), page.relative_to(built_site)
            assert field.get("autocapitalize") == "off" and field.get("spellcheck") == "false"
    assert fields >= len(pages) - 1, "every page but the root's redirect has the search dialog's field"


def test_a_page_named_search_stops_the_build_instead_of_being_replaced_by_the_search_page(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["coursebook.search.korean_search"]\n', encoding="utf-8")
    (src / "index.rst").write_text("Book\n====\n\n.. toctree::\n\n   search\n", encoding="utf-8")
    (src / "search.rst").write_text("Search\n======\n\nHow the search works.\n", encoding="utf-8")
    with docutils_namespace(), pytest.raises(ExtensionError, match=r"search\.rst: the book's search page .* Rename the file"):
        Sphinx(str(src), str(src), str(tmp_path / "html"), str(tmp_path / "doctrees"), "html", status=None, warning=io.StringIO()).build()
