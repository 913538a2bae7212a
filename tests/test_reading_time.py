"""Each chapter states the reading time of its main story, computed from its text."""

import pytest
from docutils import nodes


from coursebook.bilingual.directives import lang_block  # noqa: E402
from coursebook.pages.reading_time import reading_minutes  # noqa: E402

from coursebook.chapters import checked_chapters  # noqa: E402


def block(lang: str, text: str) -> lang_block:
    node = lang_block(lang=lang)
    node += nodes.paragraph("", text)
    return node


def chapter(*children: nodes.Node) -> nodes.section:
    section = nodes.section()
    section += nodes.title("", "제목 · Title")
    for child in children:
        section += child
    return section


KOREAN = "가나다라" * 199  # 796 syllables and the title's 2: two minutes at 400 a minute
ENGLISH = "word " * 399  # 399 words and the title's 1: two minutes at 200 a minute


def test_each_language_is_timed_from_its_own_text():
    assert reading_minutes(chapter(block("ko", KOREAN), block("en", ENGLISH))) == {"ko": 2, "en": 2}
    assert reading_minutes(chapter(block("ko", KOREAN * 2), block("en", ENGLISH))) == {"ko": 4, "en": 2}


def test_exercises_and_collapsed_blocks_are_not_the_main_story():
    exercises = nodes.section()
    exercises += nodes.title("", "연습문제 · Exercises")
    exercises += block("en", ENGLISH * 5)
    dropdown = nodes.admonition(classes=["dropdown"])
    dropdown += block("ko", KOREAN * 5)
    assert reading_minutes(chapter(block("ko", KOREAN), block("en", ENGLISH), exercises, dropdown)) == {"ko": 2, "en": 2}


def test_shown_code_and_figures_add_to_both_languages_hidden_code_does_not():
    def cell(lines: int, *tags: str) -> nodes.container:
        cell_input = nodes.container(classes=["cell_input"])
        cell_input += nodes.literal_block("", "x = 1\n" * lines)
        outer = nodes.container(classes=["cell", *tags])
        outer += cell_input
        return outer

    base = [block("ko", KOREAN), block("en", ENGLISH)]
    diagram = nodes.raw("", "<svg><text>word</text></svg>" * 500, format="html")  # a figure, not 500 words
    shown = reading_minutes(chapter(*base, cell(24), diagram))  # 24 lines at 5 s, one figure
    hidden = reading_minutes(chapter(*base, cell(240, "tag_hide-cell")))
    assert shown == {"ko": 5, "en": 5} and hidden == {"ko": 2, "en": 2}


CHAPTERS = [c.docname for c in checked_chapters() if c.docname.startswith("lectures/")]


@pytest.mark.parametrize("docname", CHAPTERS)
def test_every_chapter_page_states_its_reading_time_in_both_languages(built_site, docname):
    from bs4 import BeautifulSoup

    page = BeautifulSoup((built_site / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
    line = page.select_one("article p.coursebook-reading-time")
    assert line is not None
    assert line.select_one("[lang=ko]").get_text(strip=True).startswith("읽는 시간 약 ")
    assert line.select_one("[lang=en]").get_text(strip=True).startswith("Reading time: about ")
