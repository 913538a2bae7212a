"""The theme's own words in both languages (coursebook.reader.ui_strings), without a build."""

from coursebook.reader.ui_strings import STRINGS, UiString, Vocabulary, bilingual_page  # noqa: E402

CATALOGUE = {"Search": "검색", "Fig. %s": "그림 %s", "By": "으로", "Contents": "내용"}  # as Sphinx's Korean has them
VOCABULARY = Vocabulary(STRINGS, [lambda message: CATALOGUE.get(message, message)])
PAIR = '<span class="lang-inline lang-ko" lang="ko">{}</span><span class="lang-sep">\u00a0·\u00a0</span><span class="lang-inline lang-en" lang="en">{}</span>'


def test_a_theme_string_in_either_language_becomes_both():
    assert bilingual_page("<p>Search</p>", VOCABULARY) == f"<p>{PAIR.format('검색', 'Search')}</p>"
    assert bilingual_page("<p>검색</p>", VOCABULARY) == f"<p>{PAIR.format('검색', 'Search')}</p>"
    # the catalogue's Korean is recognised, and the table's Korean is shown
    assert (
        bilingual_page('<div class="toc">\n  내용\n</div>', VOCABULARY) == f'<div class="toc">\n  {PAIR.format("목차", "Contents")}\n</div>'
    )


def test_numbers_and_names_fill_the_patterns():
    assert (
        bilingual_page('<span class="caption-number">그림 12 </span>', VOCABULARY)
        == f'<span class="caption-number">{PAIR.format("그림 12", "Fig. 12")} </span>'
    )
    author = bilingual_page("<p>으로 저자들 · the authors</p>", VOCABULARY)
    assert author == f"<p>{PAIR.format('지은이: 저자들', 'By the authors')}</p>"


def test_bilingual_text_is_split_and_attributes_hold_both_halves():
    assert (
        bilingual_page("<p>신경망 기초 · Neural-network basics</p>", VOCABULARY)
        == f"<p>{PAIR.format('신경망 기초', 'Neural-network basics')}</p>"
    )
    page = '<button title="검색" aria-label="Search" data-x="Search" placeholder="Search this book...">x</button>'
    assert bilingual_page(page, VOCABULARY) == (
        '<button title="검색 · Search" aria-label="검색 · Search" data-x="Search" placeholder="이 책에서 검색... · Search this book...">x</button>'
    )


def test_code_math_scripts_outputs_and_marked_text_are_left_alone():
    untouched = [
        "<pre>Search</pre>",
        "<code>next</code>",
        "<p><code class='x'><span>Search</span></code></p>",
        "<script>if (a < b) { t = 'Search' }</script>",
        "<title>Search</title>",
        '<div class="cell_output docutils"><div><p>Search</p></div></div>',
        '<span lang="en">Search</span>',
        '<div lang="ko"><div><p>검색</p></div><p>검색</p></div>',
        '<span class="math notranslate">next</span>',
        "<svg><text>Search</text></svg>",
        "<p>Searching</p>",
    ]
    for page in untouched:
        assert bilingual_page(page, VOCABULARY) == page, page
    # after a skipped element closes, the rest of the page is treated again
    page = '<div lang="ko"><div>검색</div></div><p>Search</p><html lang="ko">'
    assert bilingual_page(page, VOCABULARY).endswith(f'<p>{PAIR.format("검색", "Search")}</p><html lang="ko">')


def test_the_html_elements_lang_does_not_switch_the_page_off():
    page = '<!DOCTYPE html>\n<html lang="ko"><body><p>Search</p></body></html>'
    assert PAIR.format("검색", "Search") in bilingual_page(page, VOCABULARY)


def test_a_page_is_the_same_when_treated_twice():
    page = '<html lang="ko"><p>Search</p><a title="next page">다음</a><p>그림 1 </p></html>'
    once = bilingual_page(page, VOCABULARY)
    assert once != page and bilingual_page(once, VOCABULARY) == once  # the theme renders parts, then the page


def test_scripts_get_only_the_strings_that_scripts_write():
    table = Vocabulary([UiString("Copy", "복사", by_script=True), UiString("Search", "검색")], []).script_table()
    assert table == {"Copy": ["복사", "Copy"], "복사": ["복사", "Copy"]}


def test_every_entry_reads_as_a_pair():
    for entry in STRINGS:
        assert entry.ko != entry.en and " · " not in entry.ko + entry.en, entry
        assert ("{}" in entry.en) == ("{}" in entry.ko), entry
