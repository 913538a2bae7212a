"""Where tensors live: cuda, then mps, then cpu, unless NNSTEP_DEVICE says otherwise."""

from __future__ import annotations

import os
from collections.abc import Mapping

import torch

DEVICE_VARIABLE = "NNSTEP_DEVICE"


def pick_device(environ: Mapping[str, str] = os.environ) -> torch.device:
    """Return the device named by ``NNSTEP_DEVICE``, else the best one available."""
    requested = environ.get(DEVICE_VARIABLE, "").strip()
    if requested:
        return _checked(requested)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def _checked(name: str) -> torch.device:
    try:
        device = torch.device(name)
    except RuntimeError:
        raise ValueError(
            f"{DEVICE_VARIABLE}={name!r} is not a device; use cpu, cuda, cuda:N or mps, or unset it."
        ) from None
    available = {
        "cpu": True,
        "cuda": torch.cuda.is_available(),
        "mps": torch.backends.mps.is_available(),
    }
    if not available.get(device.type, False):
        raise ValueError(
            f"{DEVICE_VARIABLE}={name!r} but this machine has no {device.type} device; "
            "unset it to use the best device available."
        )
    return device


def describe(device: torch.device) -> str:
    """A human-readable name, e.g. 'cuda (NVIDIA H100 80GB HBM3)' or 'cpu'."""
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)})"
    return device.type
