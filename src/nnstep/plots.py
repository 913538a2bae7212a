"""Plot helpers with a font that has Hangul, so Korean labels never turn into boxes.

Every figure speaks one language at a time. Text in a figure (a title, an axis label, a legend
entry, an annotation) is written as a pair, ``("자료", "data")``, or as one string
``"자료 · data"`` (how the book writes bilingual headings); the helpers take either, and raw
matplotlib calls take the string (``ax.plot(x, y, label="항등함수 · identity")``). ``for_glue``
then draws the figure once per language, each text showing its own half, and glues both images
as one figure (docs/figures.md). Text that is the same in both languages (``"u1 = X@W1"``,
``"lr = 0.1"``, the ticks) is written once.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence

import koreanize_matplotlib  # noqa: F401  (sets NanumGothic, which ships with it)
import matplotlib.pyplot as plt
import torch
from matplotlib import ticker
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from coursebook.runtime.glue import Figures

# NanumGothic has Hangul but no minus sign (U+2212), which the tick labels of a log axis need
# (10^-1 is set in mathtext, in the first font of the list). Mathtext then draws a blank box and
# only logs a message. So Latin text, digits and math come from DejaVu Sans, and Hangul falls
# back to NanumGothic.
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]

# Loss curves fall from the upper left, so the upper right is free. A fixed place, because
# matplotlib's "best" placement searches every point of every curve (thousands of epochs), and
# when that takes over a second on a busy machine it warns on stderr, which fails the build.
LOSS_LEGEND = "upper right"

LANGUAGES = ("ko", "en")
SEPARATOR = " · "  # the book's separator of a bilingual heading or label: 한국어 · English
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
LATIN = re.compile(r"[A-Za-z]")
ENGLISH_PHRASE = re.compile(r"[A-Za-z]{2,}[\s,]+[A-Za-z]{2,}")  # two words in a row, e.g. "a stuck run"

Label = str | tuple[str, str]  # "자료 · data", ("자료", "data"), or "lr = 0.1" for both languages


def halves(text: Label) -> tuple[str, str]:
    """The Korean and the English of a label; a text that is not a pair is the same in both."""
    if isinstance(text, tuple):
        korean, english = text
        return korean, english
    parts = text.split(SEPARATOR)
    if len(parts) == 2:
        korean, english = (part.strip() for part in parts)
        if HANGUL.search(korean) and not HANGUL.search(english) and LATIN.search(english):
            return korean, english
    return text, text


def both(korean: str, english: str) -> str:
    """One string for both languages, as matplotlib's own ``label=`` and ``set_title`` take it."""
    return korean if korean == english else f"{korean}{SEPARATOR}{english}"


def _both(text: Label | None) -> str | None:
    return None if text is None else both(*halves(text))


def new_axes(title: Label | None = None, xlabel: Label = "x", ylabel: Label = "y") -> Axes:
    """A fresh figure of the book's size with labelled axes."""
    _, ax = plt.subplots(figsize=(6, 3.6))
    if title:
        ax.set_title(_both(title))
    ax.set_xlabel(_both(xlabel))
    ax.set_ylabel(_both(ylabel))
    return ax


def plot_fit(
    x: torch.Tensor,
    y: torch.Tensor,
    yhat: torch.Tensor | None = None,
    truth: torch.Tensor | None = None,
    title: Label | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Data as dots, with the true curve and/or a fitted curve as dashed lines."""
    ax = ax or new_axes(title)
    ax.plot(_flat(x), _flat(y), ".", label=both("자료", "data"))
    if truth is not None:
        ax.plot(_flat(x), _flat(truth), "--", label=both("참값", "truth"))
    if yhat is not None:
        ax.plot(_flat(x), _flat(yhat), "--", label=both("적합값", "fit"))
    ax.legend()
    return ax


def plot_losses(histories: Mapping[Label, Sequence[float]], title: Label | None = None, log: bool = True) -> Axes:
    """Loss per epoch, one line per run.

    A run that diverged (its loss turned inf or nan) is drawn up to its last finite
    loss, marked there with an "x", and its legend entry says at which epoch it blew up.
    """
    ax = new_axes(title, xlabel=("에폭", "epoch"), ylabel=("손실 (MSE)", "loss (MSE)"))
    for label, losses in histories.items():
        values = torch.as_tensor(list(losses), dtype=torch.float64)
        finite = torch.isfinite(values)
        shown = torch.where(finite, values, torch.nan)
        epochs = torch.arange(1, len(values) + 1)
        if not finite.all():
            blown = int((~finite).nonzero()[0]) + 1  # first epoch with a non-finite loss
            korean, english = halves(label)
            label = (f"{korean} (발산, 에폭 {blown})", f"{english} (diverged, epoch {blown})")
        (line,) = ax.plot(epochs, shown, label=_both(label))
        if not finite.all() and finite.any():
            last = int(finite.nonzero()[-1])
            ax.plot(epochs[last], shown[last], "x", color=line.get_color(), markersize=9)
    if log:
        ax.set_yscale("log")
        _plain_log_ticks(ax.yaxis)
    ax.legend(loc=LOSS_LEGEND)
    return ax


def plot_curves(
    x: torch.Tensor,
    curves: Mapping[Label, torch.Tensor],
    styles: Mapping[Label, str] | None = None,
    title: Label | None = None,
    xlabel: Label = "x",
    ylabel: Label = "y",
    ax: Axes | None = None,
) -> Axes:
    """Several curves over the same x, one line each; ``styles`` maps a label to a format such as "--" or "."."""
    ax = ax or new_axes(title, xlabel, ylabel)
    styles = styles or {}
    for label, values in curves.items():
        ax.plot(_flat(x), _flat(values), styles.get(label, "-"), label=_both(label))
    ax.legend()
    return ax


def plot_points(
    groups: Mapping[Label, tuple[Sequence[float], Sequence[float]]],
    title: Label | None = None,
    xlabel: Label = "x",
    ylabel: Label = "y",
    hlines: Mapping[Label, float] | None = None,
) -> Axes:
    """A scatter plot with one marker style per group, and labelled horizontal reference lines."""
    ax = new_axes(title, xlabel, ylabel)
    for (label, (xs, ys)), marker in zip(groups.items(), itertools.cycle("oxs^v+")):
        ax.plot(_flat(torch.as_tensor(xs)), _flat(torch.as_tensor(ys)), marker, linestyle="none", label=_both(label))
    for label, level in (hlines or {}).items():
        ax.axhline(level, linestyle="--", linewidth=1, color="grey")
        ax.annotate(_both(label), (1, level), xycoords=("axes fraction", "data"), ha="right", va="bottom", color="grey")
    ax.legend()
    return ax


def for_glue(ax: Axes) -> Figures:
    """The figure of ``ax`` drawn once per language, for ``glue()``; the figure is closed in pyplot.

    Closed, because otherwise the notebook would also draw it at the end of the cell. Each text of
    the figure shows the half of its language; a figure whose English still shows Hangul, or whose
    Korean shows an English phrase, has a label written in one language only: that raises, naming it.
    """
    plt.close(ax.figure)
    images = {}
    for language in LANGUAGES:
        with in_language(ax.figure, language) as texts:
            for text in texts:
                _check_language(text, language)
            images[language] = _png(ax.figure)
    return Figures(images)


@contextlib.contextmanager
def in_language(figure: Figure, language: str) -> Iterator[list[str]]:
    """The figure with every text in one language (ticks included), and those texts; restored after."""
    index = LANGUAGES.index(language)
    figure.canvas.draw()  # lays out the ticks, so that their labels exist
    written = [(text, text.get_text()) for text in figure.findobj(Text) if text.get_visible() and text.get_text()]
    try:
        for text, both_languages in written:
            text.set_text(halves(both_languages)[index])
        yield [text.get_text() for text, _ in written]
    finally:
        for text, both_languages in written:
            text.set_text(both_languages)


def _check_language(text: str, language: str) -> None:
    if "$" in text:  # mathtext
        return
    if language == "en" and HANGUL.search(text):
        raise ValueError(f"the English figure would show {text!r}: write it as a pair, ('한국어', 'English') or '한국어 · English'")
    if language == "ko" and not HANGUL.search(text) and ENGLISH_PHRASE.search(text):
        raise ValueError(f"the Korean figure would show {text!r}: write it as a pair, ('한국어', 'English') or '한국어 · English'")


def _png(figure: Figure) -> bytes:
    """The figure as PNG, drawn as a notebook draws a figure it shows (IPython's own function)."""
    from IPython.core.pylabtools import print_figure

    return print_figure(figure, "png")


def _flat(values: torch.Tensor) -> torch.Tensor:
    return torch.as_tensor(values).detach().cpu().reshape(-1)


def plot_columns(
    x: torch.Tensor,
    columns: torch.Tensor,
    labels: Sequence[Label],
    title: Label | None = None,
    ylabel: Label = "",
    styles: Sequence[str] | None = None,
    y: torch.Tensor | None = None,
) -> Axes:
    """Each column of an (n, k) tensor against x, e.g. the two units u1[:,0] and u1[:,1].

    ``y`` adds the data as grey dots behind the lines.
    """
    columns = torch.as_tensor(columns).detach().cpu()
    if columns.ndim != 2 or columns.shape[1] != len(labels):
        raise ValueError(f"{len(labels)} labels for columns of shape {tuple(columns.shape)}")
    ax = new_axes(title, ylabel=ylabel)
    if y is not None:
        ax.plot(_flat(x), _flat(y), ".", color="grey", alpha=0.5, label=both("자료", "data"))
    styles = styles or ["-"] * len(labels)
    for column, label, style in zip(columns.T, labels, styles):
        solid = not any(mark in style for mark in ("--", ":", "-."))
        ax.plot(_flat(x), column, style, label=_both(label), linewidth=3 if solid else 1.5, alpha=0.8 if solid else 1)
    ax.axhline(0, color="grey", linewidth=0.6)
    ax.legend()
    return ax


def plot_loss_runs(
    losses: torch.Tensor,
    groups: Sequence[Label],
    title: Label | None = None,
    logx: bool = True,
) -> Axes:
    """Many runs' loss curves ((epochs, runs) tensor), one colour per group, counted in the legend."""
    losses = torch.as_tensor(losses).detach().cpu()
    if losses.ndim != 2 or losses.shape[1] != len(groups):
        raise ValueError(f"{len(groups)} group names for losses of shape {tuple(losses.shape)}")
    ax = new_axes(title, xlabel=("에폭", "epoch"), ylabel=("손실 (MSE)", "loss (MSE)"))
    epochs = range(1, losses.shape[0] + 1)
    names = list(dict.fromkeys(groups))  # first-seen order
    for colour, name in enumerate(names):
        members = [i for i, group in enumerate(groups) if group == name]
        for k, run in enumerate(members):
            label = both(*(f"{half} ({len(members)})" for half in halves(name))) if k == 0 else None
            ax.plot(epochs, losses[:, run], color=f"C{colour}", alpha=0.5, linewidth=1, label=label)
    ax.set_yscale("log")
    _plain_log_ticks(ax.yaxis)
    if logx:
        ax.set_xscale("log")
        _plain_log_ticks(ax.xaxis)
    ax.legend(loc=LOSS_LEGEND)
    return ax


class _PlainLogFormatter(ticker.LogFormatter):
    """Log-axis labels as plain numbers (0.1, 1, 10) instead of mathtext powers of ten.

    Mathtext writes the minus of 10^-1 as U+2212, which NanumGothic lacks: the label
    would show a dummy box. Plain numbers use the ASCII hyphen.
    """

    def _num_to_string(self, x: float, vmin: float, vmax: float) -> str:
        return f"{x:g}"


def _plain_log_ticks(axis) -> None:
    axis.set_major_formatter(_PlainLogFormatter())
    axis.set_minor_formatter(_PlainLogFormatter(labelOnlyBase=False, minor_thresholds=(2, 0.4)))
