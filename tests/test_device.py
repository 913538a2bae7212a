import pytest
import torch

from nnstep.device import pick_device


def test_override_wins(monkeypatch):
    # Every device available, so that an ignored override would pick cuda, not cpu.
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert pick_device({}) == torch.device("cuda")
    assert pick_device({"COURSEBOOK_DEVICE": "cpu"}) == torch.device("cpu")
    assert pick_device({"COURSEBOOK_DEVICE": "mps"}) == torch.device("mps")
    assert pick_device({"COURSEBOOK_DEVICE": " cuda:1 "}) == torch.device("cuda", 1)


def test_default_prefers_cuda_then_mps_then_cpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert pick_device({}) == torch.device("cpu")
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert pick_device({}) == torch.device("mps")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert pick_device({}) == torch.device("cuda")


def test_bad_override_is_a_clear_error():
    with pytest.raises(ValueError, match="COURSEBOOK_DEVICE='gpu'.*cpu, cuda"):
        pick_device({"COURSEBOOK_DEVICE": "gpu"})


def test_unavailable_device_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError, match="no cuda device"):
        pick_device({"COURSEBOOK_DEVICE": "cuda"})


def test_choice_is_recorded_for_the_build(tmp_path):
    record = tmp_path / "runinfo.json"
    pick_device({"COURSEBOOK_DEVICE": "cpu", "COURSEBOOK_RUNINFO": str(record)})
    info = __import__("json").loads(record.read_text())
    assert info["device"] == "cpu" and info["torch"] == torch.__version__.split("+")[0]
