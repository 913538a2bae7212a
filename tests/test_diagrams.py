import re

import pytest
import torch
from torch import nn

from nnstep import DiagramError, from_model, gv, models


def clusters(source: str) -> list[str]:
    return re.findall(r'label="(Layer[^"]*)"', source)


def edges(source: str) -> set[tuple[str, str]]:
    labels = {node: quoted or bare for node, quoted, bare in re.findall(r'^\s*(n_\w+) \[label=(?:"([^"]*)"|(\w+))\]', source, re.M)}
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
    assert html.startswith('<figure class="coursebook-diagram"><svg role="img" aria-label="x to yhat"')
    assert "<?xml" not in html


def test_a_diagram_is_described_in_both_languages_for_the_switch_to_pick():
    html = gv('"x" -> "yhat"', alt=("x에서 yhat으로", "x to yhat"))._repr_html_()
    assert 'aria-label="x에서 yhat으로 · x to yhat"' in html  # coursebook-reader.js keeps the reader's half
    net = models.hidden_net(2, models.SharpSigmoid(), bias=True)
    korean, english = from_model(net, view="matrix").alt.split(" · ")
    assert korean.startswith("신경망 그림(행렬 보기)") and english.startswith("Network diagram (matrix view)")


def test_malformed_dot_is_a_clear_error():
    with pytest.raises(DiagramError, match="syntax error.*\n.*Fix the DOT source"):
        gv('"a" -> ').svg()


def test_unsupported_models_are_refused():
    with pytest.raises(ValueError, match="expected Linear"):
        from_model(nn.Sequential(nn.ReLU()))
    with pytest.raises(ValueError, match="unknown view"):
        from_model(nn.Linear(1, 1), view="fancy")


def trained_two_node_net() -> nn.Sequential:
    torch.manual_seed(1)
    net = models.hidden_net(2)
    with torch.no_grad():
        net[0].weight.copy_(torch.tensor([[1.8509], [-1.0757]]))
        net[2].weight.copy_(torch.tensor([[1.7964, -1.0394]]))
    return net


def test_units_view_can_show_the_learned_weights():
    net = trained_two_node_net()
    diagram = from_model(net, view="units", values=True)
    labels = re.findall(r'label="(\*W[^"]*)"', diagram.source)
    # W1 = layer1.weight.T (1x2), W2 = layer2.weight.T (2x1)
    assert labels == ["*W1[0,0] = 1.851", "*W1[0,1] = -1.076", "*W2[0,0] = 1.796", "*W2[1,0] = -1.039"]
    assert "W1 = [[1.851, -1.076]]" in diagram.alt and "W2 = [[1.796], [-1.039]]" in diagram.alt
    assert diagram.svg().count('class="node"') == 6


def test_units_view_without_values_is_unchanged():
    source = from_model(trained_two_node_net(), view="units").source
    assert "*W1[0,1]" in source and " = " not in source


def test_values_are_refused_outside_the_units_view():
    with pytest.raises(ValueError, match="units view only"):
        from_model(models.hidden_net(2), view="nodes", values=True)
