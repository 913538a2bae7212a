"""Plot helpers with a font that has Hangul, so Korean labels never turn into boxes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import koreanize_matplotlib  # noqa: F401  (sets NanumGothic, which ships with it)
import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes


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
    """Loss per epoch, one line per run."""
    ax = new_axes(title, xlabel="에폭 epoch", ylabel="손실 loss (MSE)")
    for label, losses in histories.items():
        ax.plot(range(1, len(losses) + 1), losses, label=label)
    if log:
        ax.set_yscale("log")
    ax.legend()
    return ax


def _flat(values: torch.Tensor) -> torch.Tensor:
    return torch.as_tensor(values).detach().cpu().reshape(-1)
