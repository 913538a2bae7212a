"""fit(..., record=...): the frames describe the run, and recording changes no number of it."""

import copy

import pytest
import torch

from nnstep import data, fit, fit_many, frame_epochs, models


def polynomial_run(**options):
    sim = data.polynomial()
    net = models.linear(3)  # created right after the data: the lecture's initial weights
    start = copy.deepcopy(net)
    return sim, net, start, fit(net, sim.X, sim.y, epochs=1000, lr=0.01, device="cpu", **options)


def hidden_run(**options):
    curve = data.piecewise_linear()
    torch.manual_seed(1)
    net = models.hidden_net(2)
    return curve, net, fit(net, curve.X, curve.y, epochs=1000, lr=0.1, device="cpu", **options)


def test_recording_leaves_the_lectures_estimates_bit_identical():
    _, plain, _, plain_result = polynomial_run()
    _, recorded, _, recorded_result = polynomial_run(record=True)
    assert recorded.weight.detach().flatten().tolist() == pytest.approx([3.9991, 3.0609, -2.0015], abs=5e-5)
    assert recorded.bias.item() == pytest.approx(1.0014, abs=5e-5)
    assert torch.equal(recorded.weight, plain.weight) and torch.equal(recorded.bias, plain.bias)
    assert recorded_result.losses == plain_result.losses and torch.equal(recorded_result.yhat, plain_result.yhat)
    assert plain_result.recording is None and recorded_result.recording is not None


def test_recording_leaves_a_hidden_net_bit_identical():
    _, plain, plain_result = hidden_run()
    _, recorded, recorded_result = hidden_run(record="log")
    for a, b in zip(plain.parameters(), recorded.parameters()):
        assert torch.equal(a, b)
    assert recorded_result.losses == plain_result.losses


def test_fit_puts_the_prediction_first_as_pytorch_does_and_mse_does_not_notice():
    """fit() calls loss_fn(yhat, y); the lecture wrote loss_fn(y, yhat). For MSE both give the same bits."""
    sim = data.polynomial()
    net = models.linear(3)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
    loss_fn = torch.nn.MSELoss()
    for _ in range(1000):
        loss = loss_fn(sim.y, net(sim.X))  # the lecture's order
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    _, fitted, _, _ = polynomial_run()
    assert torch.equal(fitted.weight, net.weight) and torch.equal(fitted.bias, net.bias)

    seen = []

    def spy(input, target):
        seen.append((input.requires_grad, target.requires_grad))
        return torch.nn.functional.mse_loss(input, target)

    fit(models.linear(), torch.ones(4, 1), torch.ones(4, 1), epochs=1, lr=0.1, loss_fn=spy, device="cpu")
    assert seen == [(True, False)], "the prediction (which carries the graph) comes first"


def test_frames_are_about_eighty_and_start_before_the_first_step():
    for epochs in (50, 200, 1000, 5000, 10000):
        chosen = frame_epochs(epochs)
        assert 40 <= len(chosen) <= 120 and chosen[0] == 0 and chosen[-1] == epochs, (epochs, len(chosen))
    spaced = frame_epochs(10000, log=True)
    assert 40 <= len(spaced) <= 120 and spaced[:4] == [0, 1, 2, 3] and spaced[-1] == 10000
    assert spaced[-1] - spaced[-2] > 100 * (spaced[2] - spaced[1]), "dense early, sparse late"
    assert frame_epochs(1000) == list(range(0, 1001, 10))


def test_each_frame_describes_one_state():
    sim, net, start, result = polynomial_run(record=True)
    rec = result.recording
    assert rec.epochs == list(range(0, 1001, 10)) and len(rec.losses) == len(rec.params) == len(rec.predictions) == 101
    # The first frame: the starting point, before any step.
    assert torch.equal(rec.params[0]["weight"], start.weight) and torch.equal(rec.params[0]["bias"], start.bias)
    # Frame e < last: the loss fit() computed at the start of epoch e + 1, i.e. of the weights after e steps.
    for epoch, loss in zip(rec.epochs[:-1], rec.losses[:-1]):
        assert loss == result.losses[epoch]
    # Every frame: its predictions are its parameters' predictions, and its loss is theirs.
    mse = torch.nn.MSELoss()
    for params, predictions, loss in zip(rec.params, rec.predictions, rec.losses):
        assert torch.equal(torch.func.functional_call(rec.model, params, (sim.X,)), predictions)
        assert mse(predictions, sim.y).item() == loss
    assert len(rec.history) == 1001 and rec.history[:1000] == result.losses and rec.history[-1] == rec.losses[-1]
    assert repr(rec).startswith("Recording(101 frames, epochs 0..1000, loss ") and len(repr(rec)) < 100, "a short repr"


def test_the_last_frame_is_the_trained_net():
    sim, net, _, result = polynomial_run(record=[0, 500])
    rec = result.recording
    assert rec.epochs == [0, 500, 1000], "0 and the last epoch are always kept"
    assert torch.equal(rec.params[-1]["weight"], net.weight) and torch.equal(rec.params[-1]["bias"], net.bias)
    with torch.no_grad():
        assert torch.equal(rec.predictions[-1], net(sim.X))
        assert rec.losses[-1] == torch.nn.MSELoss()(net(sim.X), sim.y).item()
    assert rec.losses[-1] != result.losses[-1], "the loop's last loss belongs to the weights before the last step"


def test_fit_many_records_each_net_as_fit_does():
    curve = data.piecewise_linear()
    alone, together = [], []
    for seed in (1, 3):
        torch.manual_seed(seed)
        alone.append(models.hidden_net(2))
        torch.manual_seed(seed)
        together.append(models.hidden_net(2))
    plain = fit_many(copy.deepcopy(together), curve.X, curve.y, epochs=300, lr=0.1, device="cpu")
    many = fit_many(together, curve.X, curve.y, epochs=300, lr=0.1, device="cpu", record=True)
    assert torch.equal(many.losses, plain.losses) and plain.recordings is None
    for net, rec in zip(alone, many.recordings):
        single = fit(net, curve.X, curve.y, epochs=300, lr=0.1, device="cpu", record=True).recording
        assert rec.epochs == single.epochs
        assert rec.losses == pytest.approx(single.losses, abs=1e-5)
        assert torch.allclose(rec.predictions, single.predictions, atol=1e-5)
        assert torch.allclose(rec.params[-1]["0.weight"], net[0].weight, atol=1e-5)


def test_contributions_of_the_hidden_nodes_add_up_to_the_fit():
    curve, net, result = hidden_run(record=True)
    rec = result.recording
    parts = rec.contributions()
    assert parts.shape == (len(rec.epochs), 100, 2)
    assert torch.allclose(parts.sum(dim=-1, keepdim=True), rec.predictions, atol=1e-6)
    grid = torch.linspace(-1, 1, 7).reshape(7, 1)
    assert torch.allclose(rec.predict(grid)[-1], net(grid).detach(), atol=1e-6)
    with pytest.raises(ValueError, match="Sequential"):
        polynomial_run(record=True)[3].recording.contributions()


def test_bad_record_requests_are_refused_clearly():
    with pytest.raises(ValueError, match="between 0 and 10"):
        fit(models.linear(), torch.ones(4, 1), torch.ones(4, 1), epochs=10, lr=0.1, record=[20])
    with pytest.raises(ValueError, match='"log"'):
        fit(models.linear(), torch.ones(4, 1), torch.ones(4, 1), epochs=10, lr=0.1, record="every")
    noisy = torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.Dropout(0.5))
    with pytest.raises(ValueError, match="dropout"):
        fit(noisy, torch.ones(4, 1), torch.ones(4, 1), epochs=10, lr=0.1, record=True)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_recording_on_cuda_hands_back_cpu_frames():
    curve = data.piecewise_linear()
    torch.manual_seed(1)
    net = models.hidden_net(2)
    result = fit(net, curve.X, curve.y, epochs=200, lr=0.1, device="cuda", record=True)
    rec = result.recording
    assert rec.predictions.device.type == "cpu" and rec.params[-1]["0.weight"].device.type == "cpu"
    assert torch.equal(rec.params[-1]["0.weight"], net[0].weight)
    assert rec.losses[:-1] == [result.losses[e] for e in rec.epochs[:-1]]
    many = fit_many([models.hidden_net(2) for _ in range(2)], curve.X, curve.y, epochs=50, lr=0.1, device="cuda", record=True)
    assert all(r.predictions.device.type == "cpu" for r in many.recordings)
