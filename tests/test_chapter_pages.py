"""What every chapter page must hold, for every chapter listed in _toc.yml."""

import re

import pytest

from coursebook.chapters import checked_chapters

CHAPTERS = [c.docname.split("/")[-1] for c in checked_chapters() if c.docname.startswith("lectures/")]

# chapter -> the lecture's diagrams it must draw at least (inline SVG), and why
DIAGRAMS = {
    "01_linear_model": 5,  # the lecture's three gv() diagrams of 예제1, and its two layer views
    "02_polynomial_regression": 2,  # the lecture's gv() of 예제2, and its layer view
    "03_piecewise_linear": 1,  # the straight line as a network
    "04_one_relu_node": 2,  # the one-node network, before and after
    "05_two_relu_nodes": 8,  # matrix, units, nodes, deep, wide, and the three examples as layers
    "07_wide_network": 2,  # the 500-node network: nodes and matrix views
}


def test_the_lecture_is_all_there():
    assert len(CHAPTERS) >= 8


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_was_executed_without_errors(chapter_article, name):
    text = chapter_article(name).get_text()
    assert re.search(r"device: (cpu|cuda|mps)", text), "the first cell ran"
    assert "Traceback" not in text


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_commentary_block_comes_in_korean_and_english(chapter_article, name):
    body = chapter_article(name)
    ko, en = body.select("div.lang-block[lang=ko]"), body.select("div.lang-block[lang=en]")
    assert len(ko) >= 3 and len(ko) == len(en)
    assert all(block.get_text(strip=True) for block in ko + en)


@pytest.mark.parametrize("name", CHAPTERS)
def test_headings_are_bilingual(chapter_article, name):
    headings = chapter_article(name).select("h1, h2")
    assert headings
    for heading in headings:
        assert heading.select_one("[lang=ko]") and heading.select_one("[lang=en]"), heading.get_text()


@pytest.mark.parametrize("name", CHAPTERS)
def test_figures_are_plots_with_real_alt_text(chapter_article, name):
    images = chapter_article(name).select("img")
    assert any(img["src"].endswith(".png") for img in images), "a matplotlib figure"
    for img in images:
        alt = img.get("alt", "")
        assert len(alt) > 15 and not alt.endswith(".png"), f"real alt text: {img}"
    for svg in chapter_article(name).select("svg[role=img]"):
        assert len(svg.get("aria-label", "")) > 10, svg.get("aria-label")


@pytest.mark.parametrize("name", sorted(DIAGRAMS))
def test_chapter_draws_the_lectures_diagrams(chapter_article, name):
    assert len(chapter_article(name).select("figure.coursebook-diagram svg[role=img]")) >= DIAGRAMS[name]


@pytest.mark.parametrize("name", CHAPTERS)
def test_numbers_in_prose_are_glued_not_typed(source, name):
    prose = re.sub(r"```.*?```", "", source(name), flags=re.S)  # drop code cells and directives
    assert not re.search(r"\d\.\d{4}", prose), "a four-decimal number typed into the prose"


def test_the_diagrams_say_identity_where_the_lecture_wrote_indentity(chapter_article, source):
    labels = [text.get_text() for text in chapter_article("01_linear_model").select("figure.coursebook-diagram svg text")]
    assert labels.count("identity") >= 3, "the lecture's three diagrams of 예제1 end in the identity"
    assert "indentity" not in labels
    assert 'label="indentity"' not in source("01_linear_model")


def test_toc_lists_the_chapters_in_order_before_the_back_matter():
    toc = [c.docname for c in checked_chapters()]
    chapters = [name for name in toc if name.startswith("lectures/")]
    assert chapters == sorted(chapters), "chapters are numbered in reading order"
    assert toc.index(chapters[-1]) < toc.index("book/glossary")


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_collapsed_cell_says_what_it_holds(chapter_article, name):
    labels = [" ".join(p.get_text(" ").replace("\xa0", " ").split()) for p in chapter_article(name).select("details.hide p.collapsed")]
    assert not [label for label in labels if label.startswith("Show code cell")], "a label, not the default"
    assert len(labels) == len(set(labels)), f"each collapsed cell has its own label: {labels}"
