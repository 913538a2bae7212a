"""Seeded simulators for every data set in the lecture.

Each function seeds torch's global generator exactly as the lecture does, so a
model created right after the call starts from the same weights as in class.
"""

from __future__ import annotations

from typing import NamedTuple

import torch

LECTURE_SEED = 202150754


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
