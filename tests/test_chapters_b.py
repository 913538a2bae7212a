"""Build tests of the two-node chapters: 05 (two ReLU nodes) and 06 (the unlucky seed)."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.build

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ["05_two_relu_nodes", "06_unlucky_seed"]


def page(site: Path, name: str) -> str:
    return (site / "lectures" / f"{name}.html").read_text(encoding="utf-8")


def source(name: str) -> str:
    return (ROOT / "lectures" / f"{name}.md").read_text(encoding="utf-8")


def test_two_nodes_page_draws_the_lectures_diagrams_from_the_model(built_site):
    html = page(built_site, "05_two_relu_nodes")
    assert html.count('<svg role="img"') >= 8  # matrix, units, nodes, deep, wide, 3 examples
    assert "ReLU(X@W1)@W2:=yhat" in html
    assert re.search(r">\*W1\[0,0\] = -?\d\.\d{3}<", html), "learned weights on the units view"
    assert "Layer 1: Identity" in html and "node1=yhat" in html and "x**3" in html
    assert "495 more" in html, "the wide network, abbreviated"
    assert "&#39;Sequential&#39; object has no attribute &#39;weight&#39;" in html or \
        "'Sequential' object has no attribute 'weight'" in html


def test_two_nodes_prose_quotes_glued_slopes(built_site):
    html = page(built_site, "05_two_relu_nodes")
    if "device: cpu" not in html:
        pytest.skip("the figures below were measured on the CPU")
    for number in ["[[1.8509, -1.0757]]", "[[1.7964], [-1.0394]]", "3.3250", "1.1182"]:
        assert number in html
    text = source("05_two_relu_nodes")
    assert "1.8509" not in text and "3.3250" not in text, "numbers in prose are glued, not typed"


def test_unlucky_seed_page_measures_escape_and_sweep(built_site):
    html = page(built_site, "06_unlucky_seed")
    if "device: cpu" not in html:
        pytest.skip("the figures below were measured on the CPU")
    for number in ["[[-0.6777, -0.0758]]", "[[-1.1267, 1.8194]]", "1.1533", "3.4190", "1.9624", "0.2952"]:
        assert number in html
    text = source("06_unlucky_seed")
    for typed in ["-0.6777", "1.8194", "1.9624", "0.2952", "1.1533"]:
        assert typed not in text, f"{typed} must be glued, not typed"
    assert "dead node   (layer1 row 1, bias 1, layer2 column 1) unchanged: True True True" in html
