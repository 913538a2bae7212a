import pytest
import torch

from nnstep import data, fit, fit_many, models


def test_fit_reproduces_the_lectures_polynomial_estimates():
    sim = data.polynomial()
    net = models.linear(3)  # created right after the data, as in the lecture
    result = fit(net, sim.X, sim.y, epochs=1000, lr=0.01, device="cpu")
    assert net.weight.detach().flatten().tolist() == pytest.approx([3.9991, 3.0609, -2.0015], abs=5e-5)
    assert net.bias.item() == pytest.approx(1.0014, abs=5e-5)
    assert len(result.losses) == 1000 and result.losses[-1] < result.losses[0]
    assert result.yhat.shape == (100, 1) and not result.yhat.requires_grad


def test_wide_network_fits_noise_as_in_the_lecture():
    noise = data.pure_noise()
    torch.manual_seed(1)
    net = models.hidden_net(500, models.SharpSigmoid(), bias=True)
    result = fit(net, noise.X, noise.y, epochs=5000, lr=0.001, device="cpu")
    mse = torch.nn.MSELoss()
    assert mse(noise.y, noise.y * 0).item() == pytest.approx(1.0025, abs=5e-5)
    assert mse(noise.y, result.yhat).item() == pytest.approx(0.4611, abs=5e-5)


def test_fit_needs_a_learning_rate_or_an_optimizer():
    with pytest.raises(ValueError, match="learning rate"):
        fit(models.linear(), torch.zeros(3, 1), torch.zeros(3, 1), epochs=1)


def test_fit_prints_progress(capsys):
    fit(models.linear(), torch.ones(4, 1), torch.ones(4, 1), epochs=4, lr=0.1, progress=2, device="cpu")
    assert capsys.readouterr().out.count("loss") == 2


def test_sharp_sigmoid_is_almost_a_step():
    act = models.SharpSigmoid()
    out = act(torch.tensor([-0.1, 0.0, 0.1]))
    assert out[0] < 1e-8 and out[1] == 0.5 and out[2] > 1 - 1e-6
    assert "sharpness=200" in repr(act)


def test_fit_many_trains_each_net_as_fit_does():
    curve = data.piecewise_linear()
    seeds = [1, 3, 202150754]
    alone, together = [], []
    for seed in seeds:
        torch.manual_seed(seed)
        alone.append(models.hidden_net(2))
        torch.manual_seed(seed)
        together.append(models.hidden_net(2))
    results = [fit(net, curve.X, curve.y, epochs=300, lr=0.1, device="cpu") for net in alone]
    many = fit_many(together, curve.X, curve.y, epochs=300, lr=0.1, device="cpu")
    assert many.losses.shape == (300, 3) and many.yhat.shape == (3, 100, 1)
    for k, (net, result) in enumerate(zip(alone, results)):
        assert torch.allclose(together[k][0].weight, net[0].weight, atol=1e-5)
        assert torch.allclose(together[k][2].weight, net[2].weight, atol=1e-5)
        assert many.losses[:, k].tolist() == pytest.approx(result.losses, abs=1e-5)
        assert torch.allclose(many.yhat[k], result.yhat, atol=1e-5)


def test_fit_many_handles_biases_and_needs_nets():
    curve = data.piecewise_linear()
    torch.manual_seed(0)
    nets = [models.hidden_net(3, bias=True) for _ in range(2)]
    before = nets[0][0].bias.detach().clone()
    many = fit_many(nets, curve.X, curve.y, epochs=5, lr=0.1, device="cpu")
    assert not torch.equal(nets[0][0].bias, before)
    assert many.losses[-1].lt(many.losses[0]).all()
    with pytest.raises(ValueError, match="at least one net"):
        fit_many([], curve.X, curve.y, epochs=1, lr=0.1)
