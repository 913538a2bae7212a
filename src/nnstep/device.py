"""Where tensors live: cuda, then mps, then cpu, unless COURSEBOOK_DEVICE says otherwise."""

from __future__ import annotations

import os
from collections.abc import Mapping

import torch
from coursebook.runtime import DEVICE_VARIABLE, RUNINFO_VARIABLE, record_run


def pick_device(environ: Mapping[str, str] = os.environ) -> torch.device:
    """Return the device named by ``COURSEBOOK_DEVICE``, else the best one available.

    In the book's build it also records the choice, so that the site can say where each chapter ran.
    """
    requested = environ.get(DEVICE_VARIABLE, "").strip()
    if requested:
        device = _checked(requested)
    elif torch.cuda.is_available():
        device = torch.device("cuda")
    elif torch.backends.mps.is_available():
        device = torch.device("mps")
    else:
        device = torch.device("cpu")
    if environ.get(RUNINFO_VARIABLE):  # the book's build asks where each chapter ran
        record_run(describe(device), {"torch": torch.__version__.split("+")[0]}, environ)
    return device


def _checked(name: str) -> torch.device:
    try:
        device = torch.device(name)
    except RuntimeError:
        raise ValueError(f"{DEVICE_VARIABLE}={name!r} is not a device; use cpu, cuda, cuda:N or mps, or unset it.") from None
    available = {
        "cpu": True,
        "cuda": torch.cuda.is_available(),
        "mps": torch.backends.mps.is_available(),
    }
    if not available.get(device.type, False):
        raise ValueError(
            f"{DEVICE_VARIABLE}={name!r} but this machine has no {device.type} device; unset it to use the best device available."
        )
    return device


def describe(device: torch.device) -> str:
    """A human-readable name, e.g. 'cuda (NVIDIA H100 80GB HBM3)' or 'cpu'."""
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)})"
    return device.type
