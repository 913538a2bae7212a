"""A training run, frame by frame: what ``fit(..., record=True)`` keeps for :mod:`nnstep.player`.

Frame ``i`` shows the state after ``epochs[i]`` epochs: the first frame (epoch 0) is the
starting point before any step, the last frame is the trained net that ``fit()`` hands
back. A frame's loss, parameters and predictions all belong to that one state.

Recording changes no number of the run: the frames are copies of what the loop computes
anyway (the loss and the predictions of each epoch's forward pass, taken before the
update), plus one forward pass after the last step, under ``torch.no_grad()``.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import torch
from torch import nn

NICE_STEPS = (1, 2, 5)  # frame steps are 1, 2, 5, 10, 20, 50, ... epochs


def frame_epochs(epochs: int, frames: int = 75, log: bool = False) -> list[int]:
    """The epochs to record for a run of ``epochs`` epochs: about ``frames`` of them, 0 and ``epochs`` included.

    Evenly spaced, every k epochs with k the round number (1, 2, 5, 10, 20, 50, ...) nearest to
    epochs / frames, so the default gives 47 to 119 frames: 1000 epochs give 101 (every 10),
    300 give 61 (every 5). With ``log=True`` they are spaced evenly on a log scale: every
    epoch at first, then wider and wider gaps (10000 epochs: 0, 1, 2, ..., 12, 14, 16, 18, ...,
    8815, 10000), for a run whose action is over in the first hundred of many thousand epochs.
    """
    if epochs < 0 or frames < 2:
        raise ValueError(f"frame_epochs(epochs={epochs}, frames={frames}): epochs must be >= 0 and frames >= 2")
    if log:
        points = {round(epochs ** (i / (frames - 2))) for i in range(frames - 1)} if epochs > 1 else {epochs}
        return sorted(points | {0, epochs})
    ideal = max(epochs / (frames - 1), 1)
    steps = [s * 10**p for p in range(int(math.log10(ideal)) + 2) for s in NICE_STEPS]
    step = min(steps, key=lambda s: abs(math.log(s / ideal)))
    return sorted(set(range(0, epochs, step)) | {epochs})


@dataclass(frozen=True)
class Recording:
    """Frames of one training run, on the CPU. ``nnstep.player.play()`` turns them into a player."""

    epochs: list[int]  # frame i shows the state after epochs[i] epochs (0: before the first step)
    losses: list[float]  # each frame's loss: the loss of that frame's parameters on (X, y)
    params: list[dict[str, torch.Tensor]]  # each frame's parameters, by name as in net.named_parameters()
    predictions: torch.Tensor  # (frames, n, outputs): each frame's predictions at the training inputs X
    history: list[float]  # the loss after e epochs for every e = 0 .. epochs[-1] (the loss curve)
    X: torch.Tensor  # the training inputs
    y: torch.Tensor  # the training targets
    model: nn.Module  # a CPU copy of the net (its structure; the frames hold the parameters)

    def __repr__(self) -> str:  # not every tensor of every frame
        return f"Recording({len(self.epochs)} frames, epochs {self.epochs[0]}..{self.epochs[-1]}, loss {self.losses[0]:.4f} -> {self.losses[-1]:.4f})"

    def predict(self, inputs: torch.Tensor) -> torch.Tensor:
        """Each frame's predictions at other inputs (a finer grid, say): (frames, m, outputs)."""
        inputs = torch.as_tensor(inputs).detach().cpu()
        with torch.no_grad():
            return torch.stack([torch.func.functional_call(self.model, params, (inputs,)) for params in self.params])

    def contributions(self, inputs: torch.Tensor | None = None) -> torch.Tensor:
        """Each hidden node's part of the output, per frame: (frames, m, width).

        For ``Sequential(Linear, activation, Linear)`` with one output (``models.hidden_net``):
        node j contributes ``activation(x @ W1.T + b1)[:, j] * W2[0, j]``; the contributions
        plus the output bias (if any) add up to the prediction.
        """
        first, activation, last = hidden_layers(self.model)
        inputs = self.X if inputs is None else torch.as_tensor(inputs).detach().cpu()
        found = []
        with torch.no_grad():
            for params in self.params:
                layer = {name.removeprefix("0."): value for name, value in params.items() if name.startswith("0.")}
                hidden = activation(torch.func.functional_call(first, layer, (inputs,)))
                found.append(hidden * params["2.weight"][0])
        return torch.stack(found)


def hidden_layers(model: nn.Module) -> tuple[nn.Linear, nn.Module, nn.Linear]:
    """The three parts of a ``Sequential(Linear, activation, Linear)`` with one output, or a clear error."""
    parts = list(model.children()) if isinstance(model, nn.Sequential) else []
    if len(parts) != 3 or not isinstance(parts[0], nn.Linear) or not isinstance(parts[2], nn.Linear) or parts[2].out_features != 1:
        raise ValueError(
            "Per-node contributions need a Sequential(Linear, activation, Linear) with one output, such as "
            f"models.hidden_net(2); this net is {type(model).__name__}. Leave nodes=False for it."
        )
    return parts[0], parts[1], parts[2]


def wanted_epochs(record: bool | str | Iterable[int], epochs: int) -> set[int]:
    """What ``record=`` asks for: True -> 47 to 119 evenly spaced frames; "log" -> dense early, sparse late
    (``frame_epochs(epochs, log=True)``); or the epochs to keep (0 and the last are always kept)."""
    if record is True or record == "log":
        return set(frame_epochs(epochs, log=record == "log"))
    chosen = set() if isinstance(record, str) else set(record)
    if isinstance(record, str) or not all(isinstance(e, int) and 0 <= e <= epochs for e in chosen):
        raise ValueError(
            f'record= takes True, "log", or epochs between 0 and {epochs} (whole numbers) such as frame_epochs({epochs}); got {record!r}.'
        )
    return chosen | {0, epochs}


class Recorder:
    """Keeps the frames during training on the training device, and moves them to the CPU once, at the end.

    Used by ``fit()`` and ``fit_many()`` (``runs`` nets at once: every kept tensor then has a
    leading dimension of ``runs``).
    """

    def __init__(self, record: bool | str | Iterable[int], epochs: int, net: nn.Module) -> None:
        # The last frame runs the net once more, which must change nothing: no dropout, no batch norm.
        if any(isinstance(m, (nn.modules.batchnorm._NormBase, nn.modules.dropout._DropoutNd)) for m in net.modules()):
            raise ValueError("record= works with nets whose forward pass is deterministic and changes nothing (no dropout, no batch norm).")
        self.wanted = wanted_epochs(record, epochs)
        self.epochs: list[int] = []
        self.losses: list[torch.Tensor] = []
        self.predictions: list[torch.Tensor] = []
        self.params: list[dict[str, torch.Tensor]] = []

    def keep(self, epoch: int, loss: torch.Tensor, yhat: torch.Tensor, params: Iterable[tuple[str, torch.Tensor]]) -> None:
        """Called in every epoch between the loss and the update: the state before the step ``epoch``."""
        if epoch in self.wanted:
            self.epochs.append(epoch)
            self.losses.append(loss.detach())
            self.predictions.append(yhat.detach())
            self.params.append({name: value.detach().clone() for name, value in params})  # the optimizer changes them in place

    def finish(
        self,
        loss: torch.Tensor,
        yhat: torch.Tensor,
        params: Iterable[tuple[str, torch.Tensor]],
        history: list[torch.Tensor],
        X: torch.Tensor,
        y: torch.Tensor,
        models: Sequence[nn.Module],
    ) -> list[Recording]:
        """One Recording per run, on the CPU.

        ``loss`` and ``yhat`` come from one more forward pass after the last step: they make the
        last frame, the trained state. ``history`` holds the loop's loss of every epoch.
        """
        self.keep(max(self.wanted), loss, yhat, params)
        epochs = self.epochs
        losses = torch.stack(self.losses).cpu()  # (frames,) or (frames, runs)
        history = torch.stack([*history, loss.detach()]).cpu()
        predictions = torch.stack(self.predictions).cpu()
        params = [{name: value.cpu() for name, value in frame.items()} for frame in self.params]
        X, y = X.detach().cpu().clone(), y.detach().cpu().clone()
        if len(models) == 1 and losses.ndim == 1:
            return [Recording(epochs, losses.tolist(), params, predictions, history.tolist(), X, y, _cpu_copy(models[0]))]
        return [
            Recording(
                epochs,
                losses[:, run].tolist(),
                [{name: value[run] for name, value in frame.items()} for frame in params],
                predictions[:, run],
                history[:, run].tolist(),
                X,
                y,
                _cpu_copy(model),
            )
            for run, model in enumerate(models)
        ]


def _cpu_copy(net: nn.Module) -> nn.Module:
    return copy.deepcopy(net).to("cpu").requires_grad_(False)
