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
    assert (
        "&#39;Sequential&#39; object has no attribute &#39;weight&#39;" in html or "'Sequential' object has no attribute 'weight'" in html
    )


def test_unlucky_seed_page_checks_the_dead_node(chapter_html):
    html = chapter_html("06_unlucky_seed")
    assert "dead node   (layer1 row 1, bias 1, layer2 column 1) unchanged: True True True" in html


def test_two_nodes_page_draws_solution_4_as_it_is(chapter_html, source):
    """The wide network shown as "solution 4" is solution 4's model: sharp sigmoid, with biases."""
    assert "models.hidden_net(500, models.SharpSigmoid(), bias=True)" in source("05_two_relu_nodes")
    html = chapter_html("05_two_relu_nodes")
    assert "Layer 1: SharpSigmoid" in html, "the layers view names the activation"
    assert "SharpSigmoid(X@W1)" in html and "@W1, +b" in html and "@W2, +b" in html, "the matrix view shows the biases"
    assert "Layer 1: ReLU" in html and "495 more" in html


def test_two_node_chapters_link_back_instead_of_including_the_code_again(chapter_article, source):
    for name in ("05_two_relu_nodes", "06_unlucky_seed"):
        assert "literalinclude" not in source(name), name
        links = {a["href"] for a in chapter_article(name).select("a.reference.internal")}
        assert "03_piecewise_linear.html#listing-piecewise-data" in links, name
        assert "04_one_relu_node.html#listing-hidden-net" in links, name
    assert "시드 없이" not in source("05_two_relu_nodes") + source("06_unlucky_seed"), "chapter 03 says it, once"


def test_unlucky_seed_page_keeps_the_advanced_material_collapsed(chapter_article):
    article = chapter_article("06_unlucky_seed")
    going_further = [
        a
        for a in article.select("div.admonition.dropdown")
        if a.select_one(".admonition-title").get_text().startswith("더 알아보기 · Going further")
    ]
    assert len(going_further) >= 2
    inside = " ".join(block.get_text() for block in going_further)
    assert r"\frac{\partial L}" in inside and "Left half dropped" in inside
    for block in going_further:
        block.decompose()
    for block in article.select("details, div.admonition.dropdown"):
        block.decompose()
    main_story = article.get_text()
    assert r"\frac{\partial L}" not in main_story, "the gradient formulas are not in the main story"


def test_unlucky_seed_page_opens_with_a_run_that_stays_stuck(chapter_article):
    headings = [h.get_text() for h in chapter_article("06_unlucky_seed").select("h2")]
    stuck = next(i for i, h in enumerate(headings) if "A run that gets stuck" in h)
    lecture = next(i for i, h in enumerate(headings) if "The lecture's seed" in h or "The lecture’s seed" in h)
    assert stuck == 0 and lecture == 1, headings
