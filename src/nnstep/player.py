"""Watch training happen: a player for recorded training runs, drawn in the browser.

    result = fit(net, X, y, epochs=1000, lr=0.1, record=True)
    play(result, title=("풀이2의 학습", "Solution 2, training"))

``play()`` returns a :class:`Player`, which a notebook (Jupyter, Colab) and the book's
pages show through ``_repr_html_``: the data with the fit at the current epoch, the loss
curve with a marker, epoch and loss as text, a slider with play/pause and step buttons
(keyboard: arrows, Home/End, space). Several runs (``play({"lr 0.1": a, "lr 0.01": b})``)
play side by side on one slider. ``nodes=True`` adds each hidden node's contribution,
``params=True`` the parameter values.

The HTML is self-contained (inline script and style, nothing from another host) and
small: the frames travel as compact numbers (curves quantised to a tenth of a drawing
unit), not as images. Python draws the last frame as a static figure, which is what a
reader without JavaScript, and a printed page, sees; the script copies it and redraws
only the parts that move.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

import torch
from matplotlib import ticker

from .recording import Recording, hidden_layers
from .train import FitResult

Text = str | tuple[str, str]  # the same in both languages, or (Korean, English)

BUDGET = 150_000  # bytes of HTML and data per player, at most
WIDTH, HEIGHT = 320, 200  # one panel, in drawing units
LEFT, RIGHT, TOP, BOTTOM = 42, 8, 18, 30  # margins around the plot area
MAX_RUNS, MAX_NODES, MAX_PARAM_VALUES = 4, 4, 8
DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
ICONS = {  # 16x16 icon paths for the buttons
    "back": "M3 2h2v12H3zM14 2v12L6 8z",
    "start": "M4 2v12l10-6z",
    "pause": "M3 2h4v12H3zM9 2h4v12H9z",
    "forward": "M11 2h2v12h-2zM2 2v12l8-6z",
}
_counter = itertools.count(1)


def play(
    runs: FitResult | Recording | Mapping[Text, FitResult | Recording],
    *,
    title: Text,
    about: Text | None = None,
    nodes: bool = False,
    params: bool | Sequence[str] = False,
    inputs: torch.Tensor | None = None,
) -> Player:
    """A player for one recorded run, or several side by side on one slider.

    ``runs``: the result of ``fit(..., record=True)`` (or its ``.recording``), or a mapping
    label -> result for several runs, which must share their frame epochs. ``title`` names
    the player (its accessible name); ``about`` says what to watch for. ``nodes=True`` draws
    each hidden node's contribution (for ``models.hidden_net``-shaped nets). ``params=True``
    shows every parameter's value per frame, or pass the names to show. ``inputs``: where to
    draw the fit (net inputs, e.g. a fine grid as a column); default: the training inputs.
    The horizontal axis is the inputs' first column.
    """
    named = runs if isinstance(runs, Mapping) else {"": runs}
    recordings = {label: _recording(run) for label, run in named.items()}
    if not 1 <= len(recordings) <= MAX_RUNS:
        raise ValueError(f"play() shows 1 to {MAX_RUNS} runs side by side; got {len(recordings)}.")
    epochs = [rec.epochs for rec in recordings.values()]
    if any(e != epochs[0] for e in epochs):
        raise ValueError(
            "play(): runs on one slider must be recorded at the same epochs: train them for as many epochs, with the same record=."
        )
    return Player(_Layout(recordings, _text(title), _text(about) if about else None, nodes, params, inputs).html())


@dataclass(frozen=True, repr=False)
class Player:
    """A training player as one self-contained piece of HTML."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:  # a notebook's plain-text fallback: not the whole HTML again
        return f"<nnstep training player, {self.size / 1000:.1f} KB>"

    @property
    def size(self) -> int:
        """Bytes of HTML and data (UTF-8, uncompressed)."""
        return len(self.html.encode("utf-8"))


def _recording(run: FitResult | Recording) -> Recording:
    recording = run if isinstance(run, Recording) else getattr(run, "recording", None)
    if not isinstance(recording, Recording):
        raise ValueError("play() needs a recorded run: train with fit(..., record=True) and pass its result.")
    if recording.predictions.shape[-1] != 1:
        raise ValueError(f"play() draws nets with one output; this one has {recording.predictions.shape[-1]}.")
    return recording


def _text(text: Text) -> tuple[str, str]:
    return (text, text) if isinstance(text, str) else (text[0], text[1])


def _bilingual(text: tuple[str, str], tag: str = "span") -> str:
    """Both languages, marked so that the book's language switch shows one of them (a notebook shows both).

    HTML spans are the book's ``lang-inline`` phrases, which its reader CSS hides by class. SVG
    ``tspan`` elements have no ``lang`` property for the book's checks to read, so they carry
    classes of their own (``np-ko``, ``np-en``), hidden by player.css under the same switch.
    """
    ko, en = (html.escape(part) for part in text)
    if ko == en:
        return ko
    classes = ("lang-inline lang-ko", "lang-sep", "lang-inline lang-en") if tag == "span" else ("np-ko", "np-sep", "np-en")
    return (
        f'<{tag} lang="ko" class="{classes[0]}">{ko}</{tag}><{tag} class="{classes[1]}"> · </{tag}>'
        f'<{tag} lang="en" class="{classes[2]}">{en}</{tag}>'
    )


def _num(value: float) -> str:
    """A drawing coordinate, to a tenth of a unit."""
    text = f"{round(value, 1) + 0.0:.1f}"  # + 0.0 turns -0.0 into 0.0
    return text.removesuffix(".0")


def _value(value: float) -> str:
    """A loss or parameter value as the chapters glue them."""
    return f"{value:.4f}" if math.isfinite(value) else str(value)


class _Scale:
    """Maps data values onto a panel's drawing units (linear, or log10 / log10(1 + x))."""

    def __init__(self, low: float, high: float, start: float, end: float, kind: str = "linear") -> None:
        self.kind, self.start, self.end = kind, start, end
        self.low, self.high = self._t(low), self._t(high)
        if self.high == self.low:
            self.low, self.high = self.low - 1, self.high + 1

    def _t(self, value: float) -> float:
        if self.kind == "linear":
            return value
        return math.log10(value if self.kind == "log" else 1 + value)

    def __call__(self, value: float) -> float:
        return self.start + (self._t(value) - self.low) / (self.high - self.low) * (self.end - self.start)

    def ticks(self, low: float, high: float) -> list[float]:
        """Round values to label the axis from ``low`` to ``high`` (matplotlib's choice of ticks)."""

        def inside(values) -> list[float]:
            return [float(t) for t in values if low - 1e-9 * abs(low) <= t <= high + 1e-9 * abs(high)]

        if self.kind == "linear":
            return inside(ticker.MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high))
        start = max(low, 1.0) if self.kind == "log1p" else low
        found = inside(ticker.LogLocator(base=10, subs=(1.0,)).tick_values(start, high))
        if len(found) < 2:
            found = inside(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)).tick_values(start, high))
        return [0.0, *(t for t in found if t >= 1)] if self.kind == "log1p" else found


def _encode(frames: Sequence[Sequence[float]], low: float, high: float) -> list[str]:
    """One curve's drawing y coordinates, frame after frame, as short text (decoded by decode() in player.js).

    Values are clamped to [low, high] and counted in tenths of a unit (offset by 200). Each
    point is written as its change since the previous frame: one base-64 digit for -32..31
    tenths, else "!" and the value in two digits, or "~" for not a number (the line breaks
    there). A run of k unchanged points is "." and one digit (k - 1); unchanged points at the
    end are left out, so a frame where nothing moved is "".
    """
    codes: list[str] = []
    previous: list[int | None] | None = None  # the first frame is written in full
    for values in frames:
        tokens, current = [], []
        for k, value in enumerate(values):
            q = None if math.isnan(value) else round(min(max(value, low), high) * 10) + 200
            before = previous[k] if previous is not None else None
            if previous is not None and q == before:
                tokens.append(None)  # unchanged
            elif q is None:
                tokens.append("~")
            elif before is not None and -32 <= q - before < 32:
                tokens.append(DIGITS[q - before + 32])
            else:
                tokens.append("!" + DIGITS[q // 64] + DIGITS[q % 64])
            current.append(q)
        while tokens and tokens[-1] is None:
            tokens.pop()
        out = []
        for unchanged, group in itertools.groupby(tokens, key=lambda token: token is None):
            group = list(group)
            if not unchanged:
                out += group
                continue
            for start in range(0, len(group), 64):
                out.append("." + DIGITS[len(group[start : start + 64]) - 1])
        codes.append("".join(out))
        previous = current
    return codes


def _decode(codes: Sequence[str]) -> list[list[float | None]]:
    """Every frame of a curve written by _encode, as drawing y coordinates (None: not a number)."""
    frames: list[list[int | None]] = []
    previous: list[int | None] = []
    for code in codes:
        current: list[int | None] = []
        i = 0
        while i < len(code):
            char = code[i]
            if char == "~":
                current.append(None)
            elif char == "!":
                current.append(DIGITS.index(code[i + 1]) * 64 + DIGITS.index(code[i + 2]))
                i += 2
            elif char == ".":
                current += previous[len(current) : len(current) + DIGITS.index(code[i + 1]) + 1]
                i += 1
            else:
                current.append(previous[len(current)] + DIGITS.index(char) - 32)
            i += 1
        current += previous[len(current) :]
        frames.append(current)
        previous = current
    return [[None if q is None else (q - 200) / 10 for q in frame] for frame in frames]


def _path(xs: Sequence[str], ys: Sequence[float | None]) -> str:
    """The same curve the script draws from the encoded numbers (see curve() in player.js)."""
    d, pen = [], "M"
    for x, y in zip(xs, ys):
        if y is None:
            pen = "M"
            continue
        d.append(f"{pen}{x} {_num(y)}")
        pen = "L"
    return "".join(d)


class _Layout:
    """Computes the drawing of every frame and writes the player's HTML."""

    def __init__(self, recordings: dict[Text, Recording], title, about, nodes: bool, params, inputs) -> None:
        self.recs = list(recordings.values())
        self.labels = [_text(label) for label in recordings] if len(recordings) > 1 else None
        self.title, self.about, self.nodes, self.params = title, about, nodes, params
        self.epochs = self.recs[0].epochs
        digest = hashlib.sha256(json.dumps([r.losses for r in self.recs]).encode()).hexdigest()[:8]
        self.id = f"nnstep-player-{digest}-{next(_counter)}"  # unique on a page, the same in every build
        self.inputs = None if inputs is None else torch.as_tensor(inputs).detach().cpu().reshape(len(inputs), -1)
        self.curves = [self._curves(rec) for rec in self.recs]
        self.fit_scales, self.loss_scales = self._fit_scales(), self._loss_scales()

    # --- what moves ------------------------------------------------------------------------------------------------

    def _curves(self, rec: Recording) -> dict:
        """Per frame: the fit (and each node's contribution) at the drawing inputs, sorted by x."""
        inputs = rec.X if self.inputs is None else self.inputs
        x = inputs.reshape(len(inputs), -1)[:, 0].double()
        order = torch.argsort(x, stable=True)
        fit = (rec.predictions if self.inputs is None else rec.predict(inputs))[..., 0].double()[:, order]
        nodes = None
        if self.nodes:
            if (width := hidden_layers(rec.model)[0].out_features) > MAX_NODES:
                raise ValueError(f"nodes=True draws at most {MAX_NODES} nodes' contributions; this net has {width} hidden nodes.")
            nodes = rec.contributions(inputs).double()[:, order, :]
        return {"x": x[order], "fit": fit, "nodes": nodes}

    def _fit_scales(self) -> tuple[_Scale, _Scale, tuple[float, float]]:
        xs = torch.cat([c["x"] for c in self.curves] + [rec.X.reshape(len(rec.X), -1)[:, 0].double() for rec in self.recs])
        ys = torch.cat([rec.y.reshape(-1).double() for rec in self.recs])
        low, high = ys.min().item(), ys.max().item()
        span = (high - low) or 1.0
        drawn = torch.cat(
            [c["fit"].reshape(-1) for c in self.curves] + [c["nodes"].reshape(-1) for c in self.curves if c["nodes"] is not None]
        )
        drawn = drawn[torch.isfinite(drawn)].clamp(low - span / 2, high + span / 2)
        if len(drawn):
            low, high = min(low, drawn.min().item()), max(high, drawn.max().item())
        pad = 0.04 * ((high - low) or 1.0)
        y_range = (low - pad, high + pad)
        return (_Scale(xs.min().item(), xs.max().item(), LEFT, WIDTH - RIGHT), _Scale(*y_range, HEIGHT - BOTTOM, TOP), y_range)

    def _loss_scales(self) -> tuple[_Scale, _Scale, tuple[float, float]]:
        last = self.epochs[-1]
        gaps = {b - a for a, b in zip(self.epochs[:-2], self.epochs[1:-1])}  # the last gap may be shorter
        x_kind = "log1p" if len(gaps) > 1 and last > 100 else "linear"  # frames spaced by frame_epochs(log=True)
        values = torch.tensor([v for rec in self.recs for v in rec.history], dtype=torch.float64)
        values = values[torch.isfinite(values)]
        low, high = (values.min().item(), values.max().item()) if len(values) else (0.0, 1.0)
        y_kind = "log" if low > 0 and high / low > 20 else "linear"
        if y_kind == "linear":
            low, high = min(low, 0.0), high + 0.05 * ((high - low) or 1.0)
        return (_Scale(0, max(last, 1), LEFT, WIDTH - RIGHT, x_kind), _Scale(low, high, HEIGHT - BOTTOM, TOP, y_kind), (low, high))

    def data(self) -> dict:
        fx, fy, _ = self.fit_scales
        lx, ly, _ = self.loss_scales

        def enc(frames: torch.Tensor) -> list[str]:  # (frames, points)
            return _encode([[fy(v) for v in frame] for frame in frames.tolist()], TOP, HEIGHT - BOTTOM)

        runs = []
        for rec, c in zip(self.recs, self.curves):
            runs.append(
                {
                    "xs": [_num(fx(v)) for v in c["x"].tolist()],
                    "fit": enc(c["fit"]),
                    "nodes": None if c["nodes"] is None else [enc(c["nodes"][:, :, j]) for j in range(c["nodes"].shape[-1])],
                    "my": [float(_num(ly(v))) if math.isfinite(v) and (ly.kind != "log" or v > 0) else None for v in rec.losses],
                    "loss": [_value(v) for v in rec.losses],
                    "params": self._params(rec),
                }
            )
        return {"epochs": self.epochs, "mx": [float(_num(lx(e))) for e in self.epochs], "labels": self.labels, "runs": runs}

    def _params(self, rec: Recording) -> list[str] | None:
        if not self.params:
            return None
        names = list(rec.params[0]) if self.params is True else list(self.params)
        unknown = [n for n in names if n not in rec.params[0]]
        if unknown:
            raise ValueError(f"params={names}: no parameter {unknown[0]!r}; the net has {list(rec.params[0])}.")
        if sum(rec.params[0][n].numel() for n in names) > MAX_PARAM_VALUES:
            raise ValueError(
                f"params= shows at most {MAX_PARAM_VALUES} numbers; pick a few by name: params=['...'] from {list(rec.params[0])}."
            )

        def shown(value: torch.Tensor) -> str:
            values = [_value(v) for v in value.reshape(-1).tolist()]
            return values[0] if value.numel() == 1 else "[" + ", ".join(values) + "]"

        return [" · ".join(f"{n} = {shown(frame[n])}" for n in names) for frame in rec.params]

    # --- the HTML --------------------------------------------------------------------------------------------------

    def html(self) -> str:
        data = self.data()
        final = len(self.epochs) - 1
        panels = "".join(self._fit_panel(r, data["runs"][r], final) for r in range(len(self.recs))) + self._loss_panel(data, final)
        script = _asset("player.js") + f'\nnnstepPlayer.mount(document.getElementById("{self.id}"));\n'
        json_text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
        parts = [
            f'<figure class="nnstep-player coursebook-own-colours" id="{self.id}" aria-labelledby="{self.id}-title" aria-describedby="{self.id}-about">',
            f"<style>{_asset('player.css')}</style>",
            f'<figcaption id="{self.id}-title" class="np-title">{_bilingual(self.title)}</figcaption>',
            f'<div class="np-view np-static" role="img" aria-labelledby="{self.id}-alt">',
            f'<div class="np-panels">{panels}</div>',
            self._legend(),
            self._readout(data, final),
            "</div>",
            f'<p id="{self.id}-alt" class="np-sr">{_bilingual(self._alt())}</p>',
            self._controls(),
            f'<p id="{self.id}-about" class="np-about">{_bilingual(self._summary())}</p>',
            f'<script type="application/json" class="np-data">{json_text}</script>',
            f"<script>{script}</script>",
            "</figure>",
        ]
        page = "\n".join(parts)
        size = len(page.encode("utf-8"))
        if size > BUDGET:
            raise ValueError(
                f"This player would be {size / 1000:.0f} KB (the budget is {BUDGET / 1000:.0f} KB): record fewer frames "
                "(record=frame_epochs(epochs, frames=40)), draw fewer inputs (inputs=...), or show fewer runs or nodes."
            )
        return page

    def _frame_and_ticks(self, sx: _Scale, sy: _Scale, x_range, y_range, x_label: tuple[str, str], y_label: tuple[str, str]) -> str:
        left, right, top, bottom = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM
        out = [f'<rect class="np-frame" x="{left}" y="{top}" width="{right - left}" height="{bottom - top}"/>']
        for t in sx.ticks(*x_range):
            x = _num(sx(t))
            out.append(f'<path class="np-tick" d="M{x} {bottom}v4"/><text x="{x}" y="{bottom + 14}" text-anchor="middle">{t:g}</text>')
        for t in sy.ticks(*y_range):
            y = _num(sy(t))
            out.append(f'<path class="np-tick" d="M{left} {y}h-4"/><text x="{left - 6}" y="{y}" dy="0.35em" text-anchor="end">{t:g}</text>')
        out.append(f'<text x="{(left + right) / 2:g}" y="{HEIGHT - 2}" text-anchor="middle">{self._svg_text(x_label)}</text>')
        out.append(f'<text x="4" y="{top - 6}">{self._svg_text(y_label)}</text>')
        return "".join(out)

    @staticmethod
    def _svg_text(text: tuple[str, str]) -> str:
        return _bilingual(text, tag="tspan")

    def _fit_panel(self, r: int, run: dict, final: int) -> str:
        fx, fy, y_range = self.fit_scales
        rec = self.recs[r]
        data_x = rec.X.reshape(len(rec.X), -1)[:, 0].tolist()
        dots = "".join(f"M{_num(fx(x))} {_num(fy(y))}h0" for x, y in zip(data_x, rec.y.reshape(-1).tolist()))
        x_range = (fx.low, fx.high)
        out = [f'<svg class="np-r{r}" viewBox="0 0 {WIDTH} {HEIGHT}" aria-hidden="true" focusable="false">']
        out.append(self._frame_and_ticks(fx, fy, x_range, y_range, ("x", "x"), ("y", "y")))
        if self.labels:
            out.append(f'<text x="{WIDTH - RIGHT}" y="{TOP - 6}" text-anchor="end">{self._svg_text(self.labels[r])}</text>')
        out.append(f'<path class="np-dots" d="{dots}"/>')
        out.append(f'<path class="np-fit" d="{_path(run["xs"], _decode(run["fit"])[final])}"/>')
        for j, node in enumerate(run["nodes"] or []):  # dashed over the fit: where a node alone makes the fit, both show
            out.append(f'<path class="np-node np-node{j}" d="{_path(run["xs"], _decode(node)[final])}"/>')
        out.append("</svg>")
        return "".join(out)

    def _loss_panel(self, data: dict, final: int) -> str:
        lx, ly, y_range = self.loss_scales
        out = [f'<svg class="np-losses" viewBox="0 0 {WIDTH} {HEIGHT}" aria-hidden="true" focusable="false">']
        out.append(self._frame_and_ticks(lx, ly, (0, self.epochs[-1]), y_range, ("에폭", "epoch"), ("손실", "loss")))
        x = data["mx"][final]
        out.append(f'<line class="np-cursor" x1="{x:g}" x2="{x:g}" y1="{TOP}" y2="{HEIGHT - BOTTOM}"/>')
        for r, rec in enumerate(self.recs):
            out.append(f'<path class="np-curve np-r{r}" d="{self._loss_path(rec.history)}"/>')
        for r, run in enumerate(data["runs"]):
            y = run["my"][final]
            hidden = ' visibility="hidden"' if y is None else ""
            out.append(f'<circle class="np-mark np-r{r}" r="4" cx="{x:g}" cy="{(y or 0):g}"{hidden}/>')
        out.append("</svg>")
        return "".join(out)

    def _loss_path(self, history: list[float]) -> str:
        """The loss after every epoch, thinned to the lowest and highest value per drawing unit (keeps oscillations)."""
        lx, ly, (low, high) = self.loss_scales
        columns: dict[int, list[tuple[int, float]]] = {}
        for epoch, loss in enumerate(history):
            if math.isfinite(loss) and (ly.kind != "log" or loss > 0):
                columns.setdefault(round(lx(epoch)), []).append((epoch, min(max(loss, low), high)))
        points = []
        for members in columns.values():
            lowest, highest = min(members, key=lambda m: m[1]), max(members, key=lambda m: m[1])
            flat = abs(ly(lowest[1]) - ly(highest[1])) < 1  # within one drawing unit: one point is enough
            points += [members[0]] if flat else sorted({lowest, highest})
        xs = [_num(lx(e)) for e, _ in points]
        return _path(xs, [ly(v) for _, v in points])

    def _legend(self) -> str:
        runs = [_bilingual(label) for label in self.labels] if self.labels else [_bilingual(("적합값과 손실", "fit and loss"))]
        items = [f'<li><span class="np-swatch np-dot"></span>{_bilingual(("자료", "data"))}</li>']
        items += [f'<li class="np-r{r}"><span class="np-swatch"></span>{label}</li>' for r, label in enumerate(runs)]
        width = max((c["nodes"].shape[-1] for c in self.curves if c["nodes"] is not None), default=0)
        items += [  # column j of the first layer's weights is node j + 1, counted from 1 as the diagrams and chapters count
            f'<li><span class="np-swatch np-dash np-node{j}"></span>{_bilingual((f"노드 {j + 1}의 기여", f"node {j + 1} contributes"))}</li>'
            for j in range(width)
        ]
        return f'<ul class="np-legend" aria-hidden="true">{"".join(items)}</ul>'

    def _readout(self, data: dict, final: int) -> str:
        last = self.epochs[-1]
        parts = [f'<span>{_bilingual(("에폭", "epoch"))} <b class="np-epoch">{last}</b> / {last}</span>']
        for r, run in enumerate(data["runs"]):
            label = f"{_bilingual(self.labels[r])}: " if self.labels else ""
            extra = f' <span class="np-params">{html.escape(run["params"][final])}</span>' if run["params"] else ""
            parts.append(
                f'<span class="np-r{r}">{label}{_bilingual(("손실", "loss"))} <b class="np-loss">{run["loss"][final]}</b>{extra}</span>'
            )
        return f'<p class="np-readout">{"".join(parts)}</p>'

    def _controls(self) -> str:
        def button(kind: str, label: tuple[str, str], icons: Sequence[str], extra: str = "") -> str:
            svg = "".join(
                f'<svg class="np-icon-{i}" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d="{ICONS[i]}"/></svg>'
                for i in icons
            )
            return f'<button type="button" class="np-{kind}"{extra}>{svg}<span class="np-sr">{_bilingual(label)}</span></button>'

        slider_label = f"{self.id}-slider"
        return (
            '<div class="np-controls" hidden>'
            + button("back", ("한 장면 뒤로", "Step back"), ["back"])
            + button("play", ("재생", "Play"), ["start", "pause"], ' aria-pressed="false"')
            + button("forward", ("한 장면 앞으로", "Step forward"), ["forward"])
            + f'<span id="{slider_label}" class="np-sr">{_bilingual(("에폭", "Epoch"))}</span>'
            + f'<input type="range" min="0" max="{len(self.epochs) - 1}" step="1" value="0" aria-labelledby="{slider_label}">'
            + "</div>"
        )

    def _first_last(self) -> list[tuple[str, str, str]]:
        found = []
        for r, rec in enumerate(self.recs):
            label = self.labels[r] if self.labels else ("", "")
            found.append((label, _value(rec.losses[0]), _value(rec.losses[-1])))
        return found

    def _alt(self) -> tuple[str, str]:
        last = self.epochs[-1]
        runs = self._first_last()
        ko = f"에폭 {last}의 마지막 장면: 자료 점과 학습된 적합값, 오른쪽에는 손실 곡선. " + " ".join(
            f"{(label[0] + ': ') if label[0] else ''}손실 {end}." for label, _, end in runs
        )
        en = f"The last frame, epoch {last}: the data points with the trained fit, and the loss curve beside them. " + " ".join(
            f"{(label[1] + ': ') if label[1] else ''}loss {end}." for label, _, end in runs
        )
        return ko, en

    def _summary(self) -> tuple[str, str]:
        last, count = self.epochs[-1], len(self.epochs)
        runs = self._first_last()
        ko = f"에폭 0부터 {last}까지 {count}개 장면. " + " ".join(
            f"{(label[0] + ': ') if label[0] else ''}손실 {start} → {end}." for label, start, end in runs
        )
        en = f"{count} frames from epoch 0 to {last}. " + " ".join(
            f"{(label[1] + ': ') if label[1] else ''}loss {start} → {end}." for label, start, end in runs
        )
        if self.about:
            ko, en = f"{self.about[0]} {ko}", f"{self.about[1]} {en}"
        return ko, en


def _asset(name: str) -> str:
    return resources.files("nnstep").joinpath("player_assets", name).read_text(encoding="utf-8")
