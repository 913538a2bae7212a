"""Build checks for the chapters on 예제1 (linear model) and 예제3's 풀이1 and 풀이2."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.build

ROOT = Path(__file__).resolve().parent.parent

# chapter -> the fewest inline SVG diagrams it must show
CHAPTERS = {
    "01_linear_model": 5,  # the lecture's three gv() diagrams and two from_model() layer views
    "03_piecewise_linear": 1,
    "04_one_relu_node": 2,
}


def page(site: Path, name: str) -> str:
    return (site / "lectures" / f"{name}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(CHAPTERS))
def test_chapter_is_bilingual_executed_and_illustrated(built_site, name):
    html = page(built_site, name)
    assert re.search(r"device: (cpu|cuda|mps)", html), "the first cell ran"
    assert html.count('lang="ko"') >= 3 and html.count('lang="en"') >= 3, "ko and en commentary blocks"
    assert re.search(r'<img[^>]+src="[^"]+\.png"', html), "a matplotlib figure"
    assert re.search(r'<img[^>]+alt="[^"]{10,}"', html), "figures carry alt text"
    assert html.count('<svg role="img"') >= CHAPTERS[name], "the graphviz diagrams"
    assert "Traceback" not in html


@pytest.mark.parametrize("name", sorted(CHAPTERS))
def test_prose_numbers_are_glued_not_typed(built_site, name):
    source = (ROOT / "lectures" / f"{name}.md").read_text(encoding="utf-8")
    prose = re.sub(r"```.*?```", "", source, flags=re.S)  # drop code cells and directives
    assert not re.search(r"\d\.\d{4}", prose), "a four-decimal number typed into the prose"
    assert "{glue:text}" in source


def test_linear_model_chapter_fixes_the_lectures_typo(built_site):
    html = page(built_site, "01_linear_model")
    assert "identity" in html
    source = (ROOT / "lectures" / "01_linear_model.md").read_text(encoding="utf-8")
    assert 'label="indentity"' not in source


def test_toc_lists_these_chapters_in_order_before_the_glossary():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    order = ["01_linear_model", "03_piecewise_linear", "04_one_relu_node", "book/glossary"]
    positions = [toc.index(name) for name in order]
    assert positions == sorted(positions)
