"""Seeded simulators for every data set in the lecture.

Each function seeds torch's global generator exactly as the lecture does, so a
model created right after the call starts from the same weights as in class.
"""

from __future__ import annotations

from typing import NamedTuple

import torch

LECTURE_SEED = 202150754


class Linear(NamedTuple):
    """예제1: y = w0 + w1 * x + noise."""

    x: torch.Tensor  # (n,) sorted inputs
    y: torch.Tensor  # (n, 1) noisy targets
    w0: float  # true intercept
    w1: float  # true slope

    @property
    def X(self) -> torch.Tensor:
        """The inputs as one (n, 1) column: the model with a bias."""
        return self.x.reshape(-1, 1)

    @property
    def X_ones(self) -> torch.Tensor:
        """(n, 2) design matrix [1, x]: the model with a constant column instead of a bias."""
        return torch.vstack([torch.ones_like(self.x), self.x]).T

    @property
    def truth(self) -> torch.Tensor:
        """The noise-free line w0 + w1 * x, as an (n, 1) column."""
        return self.w0 + self.w1 * self.X


def linear(seed: int | None = LECTURE_SEED, n: int = 100, w0: float = 2.5, w1: float = 4.0) -> Linear:
    """Simulate 예제1 in the style of 예제2: sorted x ~ N(0, 1), noise ~ N(0, 1).

    The lecture states this model without simulating it; the book does, with the
    lecture's seed (``seed=None`` leaves the RNG alone).
    """
    if seed is not None:
        torch.manual_seed(seed)
    x, _ = torch.randn(n).sort()
    epsilon = torch.randn(n, 1)
    y = w0 + w1 * x.reshape(n, 1) + epsilon
    return Linear(x, y, w0, w1)


class Polynomial(NamedTuple):
    """예제2: y = X @ W + bias + noise, with X = [x, x^2, x^3]."""

    x: torch.Tensor  # (n,) sorted inputs
    X: torch.Tensor  # (n, 3) design matrix [x, x**2, x**3]
    y: torch.Tensor  # (n, 1) noisy targets
    W: torch.Tensor  # (3, 1) true weights
    bias: float  # true intercept

    @property
    def truth(self) -> torch.Tensor:
        """The noise-free curve X @ W + bias."""
        return self.X @ self.W + self.bias


def polynomial(seed: int | None = LECTURE_SEED, n: int = 100) -> Polynomial:
    """Simulate 예제2 exactly as the lecture does (``seed=None`` leaves the RNG alone)."""
    if seed is not None:
        torch.manual_seed(seed)
    x, _ = torch.randn(n).sort()
    X = torch.vstack([x, x**2, x**3]).T
    W = torch.tensor([[4.0], [3.0], [-2.0]])
    bias = 1.0
    epsilon = torch.randn(n, 1)
    y = X @ W + bias + epsilon
    return Polynomial(x, X, y, W, bias)


class Curve(NamedTuple):
    """Inputs and targets as (n, 1) column tensors."""

    X: torch.Tensor
    y: torch.Tensor


def piecewise_linear(seed: int = LECTURE_SEED, n: int = 100, noise: float = 0.3) -> Curve:
    """예제3: slope 1 for x < 0, slope 3.5 for x >= 0, Gaussian noise, n points on [-1, 1].

    The lecture drew this noise from NumPy without a seed; a private torch
    generator makes it reproducible without touching the global RNG.
    """
    generator = torch.Generator().manual_seed(seed)
    x = torch.linspace(-1, 1, n)
    slope = torch.where(x < 0, 1.0, 3.5)
    y = slope * x + noise * torch.randn(n, generator=generator)
    return Curve(x.reshape(n, 1), y.reshape(n, 1))


def pure_noise(seed: int = LECTURE_SEED, n: int = 100) -> Curve:
    """풀이4's warning: x on [-1, 1] and y ~ N(0, 1), unrelated to x."""
    torch.manual_seed(seed)
    X = torch.linspace(-1, 1, n).reshape(n, 1)
    y = torch.randn(n, 1)
    return Curve(X, y)
