"""The four-step training loop of the lecture, written once."""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn

from .device import pick_device


class FitResult(NamedTuple):
    yhat: torch.Tensor  # predictions of the last forward pass, detached, on the CPU
    losses: list[float]  # loss of every epoch, before that epoch's step


def fit(
    net: nn.Module,
    X: torch.Tensor,
    y: torch.Tensor,
    *,
    epochs: int,
    lr: float | None = None,
    loss_fn: nn.Module | None = None,
    optimizer: torch.optim.Optimizer | None = None,
    device: torch.device | str | None = None,
    progress: int = 0,
) -> FitResult:
    """Train ``net`` on (X, y) with the lecture's step 1~4 loop.

    The optimizer defaults to plain SGD with learning rate ``lr``. ``progress=k`` prints the loss every k epochs. The net is trained on
    ``device`` (default: :func:`pick_device`) and handed back on the CPU.
    """
    if optimizer is None and lr is None:
        raise ValueError("fit() needs a learning rate (lr=...) or an optimizer (optimizer=...).")
    device = torch.device(device) if device is not None else pick_device()
    net.to(device)
    X, y = X.to(device), y.to(device)
    loss_fn = loss_fn if loss_fn is not None else nn.MSELoss()
    # Built after net.to(): an optimizer must hold the parameters on the device.
    optimizer = optimizer if optimizer is not None else torch.optim.SGD(net.parameters(), lr=lr)
    losses = []
    for epoch in range(epochs):
        yhat = net(X)  # step 1: forward
        loss = loss_fn(y, yhat)  # step 2: loss
        loss.backward()  # step 3: gradients
        optimizer.step()  # step 4: update ...
        optimizer.zero_grad()  # ... and clear the gradients for the next epoch
        losses.append(loss.detach())
        if progress and (epoch + 1) % progress == 0:
            print(f"epoch {epoch + 1:>6}: loss {loss.item():.4f}")
    net.to("cpu")
    return FitResult(yhat.detach().cpu(), torch.stack(losses).cpu().tolist())
