import re

import pytest
from torch import nn

from nnstep import DiagramError, from_model, gv, models


def clusters(source: str) -> list[str]:
    return re.findall(r'label="(Layer[^"]*)"', source)


def edges(source: str) -> set[tuple[str, str]]:
    labels = {node: quoted or bare for node, quoted, bare in
              re.findall(r'^\s*(n_\w+) \[label=(?:"([^"]*)"|(\w+))\]', source, re.M)}
    pairs = re.findall(r"^\s*(n_\w+) -> (n_\w+)", source, re.M)
    return {(labels[a], labels[b]) for a, b in pairs}


def test_two_relu_nodes_draw_the_lectures_layers():
    net = nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 1))
    source = from_model(net).source
    assert clusters(source) == ["Layer 0", "Layer 1: ReLU", "Layer 2"]
    assert edges(source) == {("x", "node1"), ("x", "node2"), ("node1", "yhat"), ("node2", "yhat")}


def test_single_linear_layer_is_identity():
    source = from_model(nn.Linear(3, 1), inputs=["x", "x**2", "x**3"]).source
    assert clusters(source) == ["Layer 0", "Layer 1: Identity"]
    assert edges(source) == {("x", "node1=yhat"), ("x**2", "node1=yhat"), ("x**3", "node1=yhat")}


def test_matrix_and_units_views():
    net = models.hidden_net(2)
    matrix = edges(from_model(net, view="matrix").source)
    assert matrix == {("X", "X@W1"), ("X@W1", "ReLU(X@W1)"), ("ReLU(X@W1)", "ReLU(X@W1)@W2:=yhat")}
    units = from_model(net, view="units")
    assert ("u1[:,1]", "v1[:,1]") in edges(units.source)
    assert "*W2[1,0]" in units.source
    assert units.svg().count('class="node"') == 6


def test_wide_layer_is_abbreviated():
    net = models.hidden_net(500, models.SharpSigmoid(), bias=True)
    source = from_model(net).source
    assert "Layer 1: SharpSigmoid" in source and "node500" in source and "495 more" in source
    assert "node250" not in source


def test_rendered_diagram_is_accessible_inline_svg():
    html = gv('"x" -> "yhat"', alt="x to yhat")._repr_html_()
    assert html.startswith('<figure class="nnstep-diagram"><svg role="img" aria-label="x to yhat"')
    assert "<?xml" not in html


def test_malformed_dot_is_a_clear_error():
    with pytest.raises(DiagramError, match="syntax error.*\n.*Fix the DOT source"):
        gv('"a" -> ').svg()


def test_unsupported_models_are_refused():
    with pytest.raises(ValueError, match="expected Linear"):
        from_model(nn.Sequential(nn.ReLU()))
    with pytest.raises(ValueError, match="unknown view"):
        from_model(nn.Linear(1, 1), view="fancy")
