"""Plot helpers with a font that has Hangul, so Korean labels never turn into boxes."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import koreanize_matplotlib  # noqa: F401  (sets NanumGothic, which ships with it)
import matplotlib.pyplot as plt
import torch
from matplotlib import ticker
from matplotlib.axes import Axes
from matplotlib.figure import Figure

# NanumGothic has Hangul but no minus sign (U+2212), which the tick labels of a log axis need
# (10^-1 is set in mathtext, in the first font of the list). Mathtext then draws a blank box and
# only logs a message. So Latin text, digits and math come from DejaVu Sans, and Hangul falls
# back to NanumGothic.
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]

# Loss curves fall from the upper left, so the upper right is free. A fixed place, because
# matplotlib's "best" placement searches every point of every curve (thousands of epochs), and
# when that takes over a second on a busy machine it warns on stderr, which fails the build.
LOSS_LEGEND = "upper right"


def new_axes(title: str | None = None, xlabel: str = "x", ylabel: str = "y") -> Axes:
    """A fresh figure of the book's size with labelled axes."""
    _, ax = plt.subplots(figsize=(6, 3.6))
    if title:
        ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def plot_fit(
    x: torch.Tensor,
    y: torch.Tensor,
    yhat: torch.Tensor | None = None,
    truth: torch.Tensor | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Data as dots, with the true curve and/or a fitted curve as dashed lines."""
    ax = ax or new_axes(title)
    ax.plot(_flat(x), _flat(y), ".", label="자료 data")
    if truth is not None:
        ax.plot(_flat(x), _flat(truth), "--", label="참값 truth")
    if yhat is not None:
        ax.plot(_flat(x), _flat(yhat), "--", label="적합값 fit")
    ax.legend()
    return ax


def plot_losses(histories: Mapping[str, Sequence[float]], title: str | None = None, log: bool = True) -> Axes:
    """Loss per epoch, one line per run.

    A run that diverged (its loss turned inf or nan) is drawn up to its last finite
    loss, marked there with an "x", and its legend entry says at which epoch it blew up.
    """
    ax = new_axes(title, xlabel="에폭 epoch", ylabel="손실 loss (MSE)")
    for label, losses in histories.items():
        values = torch.as_tensor(list(losses), dtype=torch.float64)
        finite = torch.isfinite(values)
        shown = torch.where(finite, values, torch.nan)
        epochs = torch.arange(1, len(values) + 1)
        if not finite.all():
            blown = int((~finite).nonzero()[0]) + 1  # first epoch with a non-finite loss
            label = f"{label} (발산 diverged, epoch {blown})"
        (line,) = ax.plot(epochs, shown, label=label)
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
    curves: Mapping[str, torch.Tensor],
    styles: Mapping[str, str] | None = None,
    title: str | None = None,
    xlabel: str = "x",
    ylabel: str = "y",
    ax: Axes | None = None,
) -> Axes:
    """Several curves over the same x, one line each; ``styles`` maps a label to a format such as "--" or "."."""
    ax = ax or new_axes(title, xlabel, ylabel)
    styles = styles or {}
    for label, values in curves.items():
        ax.plot(_flat(x), _flat(values), styles.get(label, "-"), label=label)
    ax.legend()
    return ax


def plot_points(
    groups: Mapping[str, tuple[Sequence[float], Sequence[float]]],
    title: str | None = None,
    xlabel: str = "x",
    ylabel: str = "y",
    hlines: Mapping[str, float] | None = None,
) -> Axes:
    """A scatter plot with one marker style per group, and labelled horizontal reference lines."""
    ax = new_axes(title, xlabel, ylabel)
    for (label, (xs, ys)), marker in zip(groups.items(), itertools.cycle("oxs^v+")):
        ax.plot(_flat(torch.as_tensor(xs)), _flat(torch.as_tensor(ys)), marker, linestyle="none", label=label)
    for label, level in (hlines or {}).items():
        ax.axhline(level, linestyle="--", linewidth=1, color="grey")
        ax.annotate(label, (1, level), xycoords=("axes fraction", "data"), ha="right", va="bottom", color="grey")
    ax.legend()
    return ax


def for_glue(ax: Axes) -> Figure:
    """The figure of ``ax``, closed in pyplot: for myst-nb's ``glue()``, which keeps it.

    Without this the notebook would also draw the figure at the end of the cell,
    so every glued figure would be rendered twice.
    """
    plt.close(ax.figure)
    return ax.figure


def _flat(values: torch.Tensor) -> torch.Tensor:
    return torch.as_tensor(values).detach().cpu().reshape(-1)


def plot_columns(
    x: torch.Tensor,
    columns: torch.Tensor,
    labels: Sequence[str],
    title: str | None = None,
    ylabel: str = "",
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
        ax.plot(_flat(x), _flat(y), ".", color="grey", alpha=0.5, label="자료 data")
    styles = styles or ["-"] * len(labels)
    for column, label, style in zip(columns.T, labels, styles):
        solid = not any(mark in style for mark in ("--", ":", "-."))
        ax.plot(_flat(x), column, style, label=label, linewidth=3 if solid else 1.5, alpha=0.8 if solid else 1)
    ax.axhline(0, color="grey", linewidth=0.6)
    ax.legend()
    return ax


def plot_loss_runs(
    losses: torch.Tensor,
    groups: Sequence[str],
    title: str | None = None,
    logx: bool = True,
) -> Axes:
    """Many runs' loss curves ((epochs, runs) tensor), one colour per group, counted in the legend."""
    losses = torch.as_tensor(losses).detach().cpu()
    if losses.ndim != 2 or losses.shape[1] != len(groups):
        raise ValueError(f"{len(groups)} group names for losses of shape {tuple(losses.shape)}")
    ax = new_axes(title, xlabel="에폭 epoch", ylabel="손실 loss (MSE)")
    epochs = range(1, losses.shape[0] + 1)
    names = list(dict.fromkeys(groups))  # first-seen order
    for colour, name in enumerate(names):
        members = [i for i, group in enumerate(groups) if group == name]
        for k, run in enumerate(members):
            label = f"{name} ({len(members)})" if k == 0 else None
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
