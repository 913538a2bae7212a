"""The two-node chapters: 05 (two ReLU nodes, taken apart) and 06 (the unlucky seed)."""

import re


def test_two_nodes_page_draws_the_lectures_diagrams_from_the_model(chapter_html):
    html = chapter_html("05_two_relu_nodes")
    assert "ReLU(X@W1)@W2:=yhat" in html, "the matrix view"
    assert re.search(r">\*W1\[0,0\] = -?\d\.\d{3}<", html), "learned weights on the units view"
    assert "Layer 1: Identity" in html and "node1=yhat" in html and "x**3" in html, "예제1 and 예제2 as layers"
    assert "495 more" in html, "the wide network, abbreviated"


def test_two_nodes_page_shows_why_net3_has_no_weight(chapter_html):
    html = chapter_html("05_two_relu_nodes")
    assert "&#39;Sequential&#39; object has no attribute &#39;weight&#39;" in html or \
        "'Sequential' object has no attribute 'weight'" in html


def test_unlucky_seed_page_checks_the_dead_node(chapter_html):
    html = chapter_html("06_unlucky_seed")
    assert "dead node   (layer1 row 1, bias 1, layer2 column 1) unchanged: True True True" in html
