"""nnstep: the shared code of the course book (data, models, the training loop, diagrams, plots)."""

from . import data, diagrams, models, plots
from .device import describe, pick_device
from .diagrams import Diagram, DiagramError, from_model, gv
from .player import Player, play
from .recording import Recording, frame_epochs
from .train import FitResult, ManyFitResult, fit, fit_many

__all__ = [
    "Diagram",
    "DiagramError",
    "FitResult",
    "data",
    "describe",
    "diagrams",
    "ManyFitResult",
    "fit",
    "fit_many",
    "frame_epochs",
    "from_model",
    "gv",
    "models",
    "pick_device",
    "play",
    "Player",
    "plots",
    "Recording",
]
