"""Plot helpers with a font that has Hangul, so Korean labels never turn into boxes."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import koreanize_matplotlib  # noqa: F401  (sets NanumGothic, which ships with it)
import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes

# NanumGothic has Hangul but no minus sign (U+2212), which the tick labels of a log axis need
# (10^-1 is set in mathtext, in the first font of the list). Mathtext then draws a blank box and
# only logs a message. So Latin text, digits and math come from DejaVu Sans, and Hangul falls
# back to NanumGothic.
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]


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
    ax.plot(_flat(x), _flat(y), ".", label="데이터 data")
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
    ax.legend()
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


def _flat(values: torch.Tensor) -> torch.Tensor:
    return torch.as_tensor(values).detach().cpu().reshape(-1)
