"""Build checks for the chapters on 예제1 (linear model) and 예제3's 풀이1 and 풀이2."""

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
def test_chapter_draws_its_diagrams(built_site, name):
    assert page(built_site, name).count('<svg role="img"') >= CHAPTERS[name]


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
