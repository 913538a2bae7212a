"""The lecture's architectures, built from plain ``torch.nn`` parts."""

from __future__ import annotations

import torch
from torch import nn


def sharp_sigmoid(input: torch.Tensor, sharpness: float = 200.0) -> torch.Tensor:
    """sigmoid(200x): almost a step from 0 to 1 at x = 0 (the lecture's ``study``)."""
    return torch.sigmoid(sharpness * input)


class SharpSigmoid(nn.Module):
    """The lecture's custom activation (``STUDYHARD``) as an ``nn.Module``."""

    def __init__(self, sharpness: float = 200.0) -> None:
        super().__init__()
        self.sharpness = sharpness

    def forward(self, input: torch.Tensor) -> torch.Tensor:
        return sharp_sigmoid(input, self.sharpness)

    def extra_repr(self) -> str:
        return f"sharpness={self.sharpness:g}"


def linear(in_features: int = 1, bias: bool = True) -> nn.Linear:
    """yhat = X @ W (+ b): 예제1, 예제2 and 풀이1."""
    return nn.Linear(in_features, 1, bias=bias)


def hidden_net(width: int, activation: nn.Module | None = None, bias: bool = False) -> nn.Sequential:
    """x -> Linear(1, width) -> activation -> Linear(width, 1): 풀이2 to 풀이4.

    The activation defaults to ReLU; pass ``SharpSigmoid()`` for 풀이4.
    """
    return nn.Sequential(
        nn.Linear(1, width, bias=bias),
        activation if activation is not None else nn.ReLU(),
        nn.Linear(width, 1, bias=bias),
    )
