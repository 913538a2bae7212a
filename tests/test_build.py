import re

import pytest

pytestmark = pytest.mark.build


def page(site, name: str) -> str:
    return (site / "lectures" / f"{name}.html").read_text(encoding="utf-8")


def test_polynomial_chapter_holds_executed_output_plots_and_diagrams(built_site):
    html = page(built_site, "02_polynomial_regression")
    assert re.search(r"device: (cpu|cuda|mps)", html)  # executed output of the first cell
    assert re.search(r'<img[^>]+src="[^"]+\.png"', html), "a matplotlib figure"
    assert html.count('<svg role="img"') >= 2, "the graphviz diagrams"
    assert "Traceback" not in html
    assert 'lang="ko"' in html and 'lang="en"' in html


def test_prose_quotes_the_lectures_estimates_through_glue(built_site):
    html = page(built_site, "02_polynomial_regression")
    if "device: cpu" not in html:
        pytest.skip("the lecture's figures reproduce bit for bit on the CPU only")
    assert "[3.9991, 3.0609, -2.0015]" in html and "1.0014" in html
    source = (built_site.parent.parent / "lectures" / "02_polynomial_regression.md").read_text()
    assert "3.9991" not in source, "numbers in prose must be glued, not typed"
