"""Graphviz diagrams: the lecture's ``gv()`` and diagrams drawn from a model.

DOT is rendered by the Graphviz that ships inside the ``pygraphviz`` wheel, so
no system ``dot`` is needed and every machine draws the same SVG.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Iterator

import graphviz
import pygraphviz
from torch import nn

LAYER_STYLE = {"style": "filled", "color": "lightgrey"}
SEPARATOR = " · "  # between the Korean and the English of a bilingual description
VIEW_NAMES = {"nodes": "노드", "matrix": "행렬", "units": "유닛"}  # the Korean of each view's name


class DiagramError(ValueError):
    """The DOT source could not be rendered."""


class Diagram:
    """DOT source that shows itself as an inline SVG in a notebook.

    ``alt`` is the text a screen reader (or a reader without images) gets: a pair
    ``("한국어 설명", "English description")`` becomes ``"한국어 설명 · English description"``, of which
    the book's language switch keeps the reader's half (as it does for every ``aria-label``).
    """

    def __init__(self, source: str, alt: str | tuple[str, str]) -> None:
        self.source = source
        self.alt = alt if isinstance(alt, str) else SEPARATOR.join(alt)
        self._svg: str | None = None

    def svg(self) -> str:
        """Render once, raising :class:`DiagramError` with Graphviz's reason on bad DOT."""
        if self._svg is None:
            self._svg = render_svg(self.source)
        return self._svg

    def _repr_html_(self) -> str:
        svg = self.svg()
        svg = svg[svg.index("<svg") :]  # drop the XML prolog and doctype
        label = html.escape(self.alt, quote=True)
        svg = svg.replace("<svg", f'<svg role="img" aria-label="{label}"', 1)
        return f'<figure class="coursebook-diagram">{svg}</figure>'

    def __repr__(self) -> str:
        return self.source


def render_svg(source: str) -> str:
    """DOT source -> SVG text."""
    with _stderr_captured() as graphviz_messages:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # a Graphviz warning means a diagram drawn wrong
                graph = pygraphviz.AGraph(string=source)
                svg = graph.draw(format="svg", prog="dot").decode("utf-8")
            # Graphviz names every drawing's parts graph0, node1, edge1...: prefix them with the
            # source's digest, so that several diagrams on one page keep their IDs unique.
            prefix = "gv" + hashlib.sha1(source.encode("utf-8")).hexdigest()[:8] + "-"
            return re.sub(r'\b(id="|href="#|url\(#)(?=[^"#)])', lambda m: m.group(1) + prefix, svg)
        except Exception as error:  # pygraphviz raises several types for bad DOT
            failure = error
    reason = "\n".join(line for line in graphviz_messages if "Fontconfig" not in line)
    first_lines = "\n".join(source.strip().splitlines()[:5])
    raise DiagramError(f"Graphviz could not draw this diagram: {failure}\n{reason}\nFix the DOT source, which begins:\n{first_lines}")


@contextlib.contextmanager
def _stderr_captured() -> Iterator[list[str]]:
    """Collect what the Graphviz C library prints to file descriptor 2 (its error reasons)."""
    lines: list[str] = []
    with tempfile.TemporaryFile() as sink:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(sink.fileno(), 2)
        try:
            yield lines
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            lines.extend(sink.read().decode("utf-8", "replace").strip().splitlines())


def gv(body: str, alt: str | tuple[str, str] = ("도식", "diagram")) -> Diagram:
    """The lecture's helper: wrap DOT statements in a left-to-right digraph."""
    return Diagram('digraph G{ rankdir="LR"' + body + "; }", alt)


def from_model(
    model: nn.Module,
    view: str = "nodes",
    inputs: list[str] | None = None,
    max_nodes: int = 6,
    values: bool = False,
) -> Diagram:
    """Draw a model of ``Linear`` layers (each optionally followed by one activation).

    The lecture's three views of the same network:

    - ``"nodes"``: Layer 0 holds the inputs (biases are not drawn, as in the
      lecture; name a column "1" to show a constant input), each hidden layer its nodes
      (labelled with the activation), the last layer ``yhat``; wide layers show
      their first and last nodes around a "⋮" node.
    - ``"matrix"``: one node per whole-matrix step, ``X -> X@W1 -> ReLU(X@W1) -> ...``.
    - ``"units"``: every unit, ``u1[:,j]`` before and ``v1[:,j]`` after the
      activation, with the weight on each edge (small networks only).
      ``values=True`` adds each weight's current value, e.g. ``*W1[0,1] = -1.076``,
      so the diagram shows what training learned.
    """
    layers = _layers(model)
    draw = {"nodes": _nodes_view, "matrix": _matrix_view, "units": _units_view}
    if view not in draw:
        raise ValueError(f"unknown view {view!r}: use one of {', '.join(draw)}")
    if values and view != "units":
        raise ValueError("values=True writes the weights on the units view only: use view='units'")
    dot = graphviz.Digraph("G", graph_attr={"rankdir": "LR"})
    if view == "units":
        _units_view(dot, layers, inputs, max_nodes, values=values)
    else:
        draw[view](dot, layers, inputs, max_nodes)
    shape = ", ".join(f"{linear.in_features}->{linear.out_features} {_activation_name(act)}" for linear, act in layers)
    korean, english = f"신경망 그림({VIEW_NAMES[view]} 보기), 층: {shape}", f"Network diagram ({view} view), layers: {shape}"
    if values:
        weights = ", ".join(f"W{index} = {_matrix_text(linear)}" for index, (linear, _) in enumerate(layers, start=1))
        korean, english = f"{korean}; 학습된 가중치 {weights}", f"{english}; learned weights {weights}"
    return Diagram(dot.source, alt=(korean, english))


def _nodes_view(dot: graphviz.Digraph, layers: list, inputs: list[str] | None, max_nodes: int) -> None:
    first = layers[0][0]
    if inputs is None:
        inputs = ["x"] if first.in_features == 1 else [f"x{i}" for i in range(1, first.in_features + 1)]
    if len(inputs) != first.in_features:
        raise ValueError(f"{len(inputs)} input names for {first.in_features} input features")
    previous = _cluster(dot, 0, "Layer 0", inputs)
    for index, (linear, activation) in enumerate(layers, start=1):
        if index < len(layers):  # one hidden layer: node1, node2 as in the lecture; more: h1_1, h2_1 by layer
            names = _node_names(linear.out_features, max_nodes, "node" if len(layers) == 2 else f"h{index}_")
            label = f"Layer {index}: {_activation_name(activation)}"
        elif len(layers) == 1:
            names, label = ["node1=yhat"], f"Layer 1: {_activation_name(activation)}"
        else:
            names, label = ["yhat"], f"Layer {index}"
        current = _cluster(dot, index, label, names)
        for source in previous:
            for target in current:
                dot.edge(_id(source), _id(target))
        previous = current


def _matrix_view(dot: graphviz.Digraph, layers: list, inputs: list[str] | None, max_nodes: int) -> None:
    previous = _cluster(dot, 0, "Layer 0", ["X"])[0]
    for index, (linear, activation) in enumerate(layers, start=1):
        weight = f"W{index}"
        with dot.subgraph(name=f"cluster_{index + 1}", graph_attr={**LAYER_STYLE, "label": f"Layer {index}"}) as layer:
            product = f"{previous}@{weight}"
            steps = [(product, f"@{weight}" + (", +b" if linear.bias is not None else ""))]
            if activation is not None:
                name = _activation_name(activation)
                steps.append((f"{name}({product})", name))
            if index == len(layers):
                steps[-1] = (steps[-1][0] + ":=yhat", steps[-1][1])
            for node, label in steps:
                _edge(layer, previous, node, label)
                previous = node


def _units_view(dot: graphviz.Digraph, layers: list, inputs: list[str] | None, max_nodes: int, values: bool = False) -> None:
    if any(linear.out_features > max_nodes for linear, _ in layers):
        raise ValueError(f"the units view draws at most {max_nodes} nodes a layer; use view='nodes'")
    previous = _cluster(dot, 0, "Layer 0", ["X"])
    for index, (linear, activation) in enumerate(layers, start=1):
        last = index == len(layers)
        with dot.subgraph(name=f"cluster_{index + 1}", graph_attr={**LAYER_STYLE, "label": f"Layer {index}"}) as layer:
            outputs = []
            for j in range(linear.out_features):
                u = "yhat" if last and activation is None else f"u{index}[:,{j}]"
                for i, source in enumerate(previous):
                    label = f"*W{index}[{i},{j}]"
                    if values:  # W = weight.T: the lecture's X @ W orientation
                        label += f" = {linear.weight[j, i].item():.3f}"
                    _edge(layer, source, u, label)
                if activation is not None:
                    v = "yhat" if last else f"v{index}[:,{j}]"
                    _edge(layer, u, v, _activation_name(activation))
                    u = v
                outputs.append(u)
        previous = outputs


def _layers(model: nn.Module) -> list[tuple[nn.Linear, nn.Module | None]]:
    modules = list(model) if isinstance(model, nn.Sequential) else [model]
    layers: list[tuple[nn.Linear, nn.Module | None]] = []
    for module in modules:
        if isinstance(module, nn.Linear):
            layers.append((module, None))
        elif layers and layers[-1][1] is None:
            layers[-1] = (layers[-1][0], module)
        else:
            raise ValueError(f"cannot draw {type(module).__name__} here: expected Linear, then one activation")
    if not layers:
        raise ValueError("the model has no Linear layer to draw")
    return layers


def _matrix_text(linear: nn.Linear) -> str:
    """W = weight.T as nested lists with three decimals, e.g. [[1.851, -1.076]]."""
    rows = linear.weight.detach().T.tolist()
    return "[" + ", ".join("[" + ", ".join(f"{w:.3f}" for w in row) + "]" for row in rows) + "]"


def _activation_name(activation: nn.Module | None) -> str:
    if activation is None or isinstance(activation, nn.Identity):
        return "Identity"
    return type(activation).__name__


def _node_names(count: int, max_nodes: int, prefix: str) -> list[str]:
    if count <= max_nodes:
        return [f"{prefix}{i}" for i in range(1, count + 1)]
    head = [f"{prefix}{i}" for i in range(1, max_nodes - 1)]
    return [*head, f"⋮ ({count - max_nodes + 1} more)", f"{prefix}{count}"]


def _cluster(dot: graphviz.Digraph, index: int, label: str, names: list[str]) -> list[str]:
    with dot.subgraph(name=f"cluster_{index + 1}", graph_attr={**LAYER_STYLE, "label": label}) as cluster:
        for name in names:
            cluster.node(_id(name), label=name)
    return names


def _edge(graph: graphviz.Digraph, source: str, target: str, label: str) -> None:
    graph.node(_id(target), label=target)
    graph.edge(_id(source), _id(target), label=label)


def _id(name: str) -> str:
    """A node id without ':' (DOT's port separator); the node keeps ``name`` as its label."""
    return "n_" + "".join(c if c.isalnum() else f"_{ord(c):x}" for c in name)
