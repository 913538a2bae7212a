"""Bilingual headings (coursebook.reader.language_switch), without a build."""

import pytest
from docutils import nodes


from coursebook.reader.language_switch import mark_glossary_terms, split_title  # noqa: E402
from sphinx import addnodes  # noqa: E402


def languages(title: nodes.title) -> list[tuple[str, str]]:
    return [(child.get("lang") or "sep", child.astext()) for child in title.children]


def test_a_bilingual_heading_becomes_two_lang_spans_and_reads_the_same():
    title = nodes.title("", "예제2: 다항회귀 · Polynomial regression")
    assert split_title(title)
    assert languages(title) == [("ko", "예제2: 다항회귀"), ("sep", " · "), ("en", "Polynomial regression")]
    assert title.astext() == "예제2: 다항회귀 · Polynomial regression"


def test_markup_on_either_side_stays_in_its_half():
    title = nodes.title("", "", nodes.literal("", "fit()"), nodes.Text(" 함수 · The "), nodes.literal("", "fit()"), nodes.Text(" function"))
    assert split_title(title)
    assert languages(title) == [("ko", "fit() 함수"), ("sep", " · "), ("en", "The fit() function")]
    assert isinstance(title[0][0], nodes.literal) and isinstance(title[2][1], nodes.literal)


@pytest.mark.parametrize(
    "text",
    ["Only English", "한국어만", "English · 한국어", "가 · 나 · Three parts", "모형 · 2", "모형·The model"],
)
def test_other_headings_are_left_alone(text):
    title = nodes.title("", text)
    assert not split_title(title)
    assert title.astext() == text and len(title.children) == 1


def test_a_bold_run_in_heading_splits_like_a_title():
    strong = nodes.strong("", "1. 강의의 자료로 · On the lecture's data")
    assert split_title(strong)
    assert languages(strong) == [("ko", "1. 강의의 자료로"), ("sep", " · "), ("en", "On the lecture's data")]


def glossary(*entries: list[str]) -> addnodes.glossary:
    items = [nodes.definition_list_item("", *[nodes.term("", name) for name in names], nodes.definition()) for names in entries]
    return addnodes.glossary("", nodes.definition_list("", *items))


def test_glossary_names_are_marked_by_language_when_an_entry_has_both():
    tree = glossary(["잡음", "noise"], ["평균제곱오차", "mean squared error", "MSE"], ["ReLU"], ["시드"])
    mark_glossary_terms(tree)
    marks = {term.astext(): term["classes"] for term in tree.findall(nodes.term)}
    assert marks == {
        "잡음": ["lang-ko", "language-ko"],
        "noise": ["lang-en", "language-en"],
        "평균제곱오차": ["lang-ko", "language-ko"],
        "mean squared error": ["lang-en", "language-en"],
        "MSE": ["lang-en", "language-en"],
        "ReLU": [],  # one name for both languages: always shown
        "시드": [],
    }
