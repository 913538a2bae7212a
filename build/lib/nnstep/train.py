"""The four-step training loop of the lecture, written once."""

from __future__ import annotations

import copy
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


class ManyFitResult(NamedTuple):
    yhat: torch.Tensor  # (runs, n, outputs): each net's predictions of its last forward pass, on the CPU
    losses: torch.Tensor  # (epochs, runs): each net's loss at every epoch, before that epoch's step


def fit_many(
    nets: list[nn.Module],
    X: torch.Tensor,
    y: torch.Tensor,
    *,
    epochs: int,
    lr: float,
    device: torch.device | str | None = None,
) -> ManyFitResult:
    """Train several copies of one architecture side by side, each exactly as ``fit()`` would.

    For seed sweeps: the nets (same architecture, different initial weights) run in
    lockstep through the same four steps, with the mean squared error and plain SGD
    of ``fit()``'s defaults. Each net's loss depends on its own weights only, so
    the gradient of the summed losses is each net's own gradient. One batched
    forward pass (``torch.func.vmap``) replaces a Python loop over the nets.
    The trained weights are written back into ``nets`` (on the CPU).
    """
    if not nets:
        raise ValueError("fit_many() needs at least one net.")
    device = torch.device(device) if device is not None else pick_device()
    params, buffers = torch.func.stack_module_state(nets)
    params = {name: value.detach().to(device).requires_grad_() for name, value in params.items()}
    buffers = {name: value.to(device) for name, value in buffers.items()}
    template = copy.deepcopy(nets[0]).to("meta")

    def predict(p: dict, b: dict, inputs: torch.Tensor) -> torch.Tensor:
        return torch.func.functional_call(template, (p, b), (inputs,))

    forward = torch.func.vmap(predict, in_dims=(0, 0, None))
    X, y = X.to(device), y.to(device)
    optimizer = torch.optim.SGD(params.values(), lr=lr)
    losses = []
    for epoch in range(epochs):
        yhat = forward(params, buffers, X)  # step 1: forward, every net at once
        loss = ((y - yhat) ** 2).flatten(start_dim=1).mean(dim=1)  # step 2: each net's MSE
        loss.sum().backward()  # step 3: each net's own gradients
        optimizer.step()  # step 4: update ...
        optimizer.zero_grad()  # ... and clear the gradients
        losses.append(loss.detach())
    with torch.no_grad():
        for index, net in enumerate(nets):
            for name, parameter in net.named_parameters():
                parameter.copy_(params[name][index].cpu())
    return ManyFitResult(yhat.detach().cpu(), torch.stack(losses).cpu())
