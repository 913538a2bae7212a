import torch

from nnstep import data


def test_polynomial_shapes_and_truth():
    sim = data.polynomial()
    assert sim.x.shape == (100,) and sim.X.shape == (100, 3) and sim.y.shape == (100, 1)
    assert torch.all(sim.x[1:] >= sim.x[:-1]), "x is sorted, as in the lecture"
    assert torch.allclose(sim.X[:, 1], sim.x**2) and torch.allclose(sim.X[:, 2], sim.x**3)
    assert torch.allclose(sim.truth, sim.X @ torch.tensor([[4.0], [3.0], [-2.0]]) + 1.0)


def test_polynomial_is_seeded():
    assert torch.equal(data.polynomial().y, data.polynomial().y)
    assert not torch.equal(data.polynomial(seed=1).y, data.polynomial().y)


def test_piecewise_linear_has_two_slopes_and_leaves_global_rng_alone():
    torch.manual_seed(5)
    expected = torch.rand(1)
    torch.manual_seed(5)
    curve = data.piecewise_linear()
    assert torch.equal(torch.rand(1), expected)
    assert curve.X.shape == curve.y.shape == (100, 1)
    assert curve.X.min() == -1 and curve.X.max() == 1
    left, right = curve.X[:, 0] < 0, curve.X[:, 0] >= 0
    slope_left = torch.linalg.lstsq(curve.X[left], curve.y[left]).solution.item()
    slope_right = torch.linalg.lstsq(curve.X[right], curve.y[right]).solution.item()
    assert abs(slope_left - 1.0) < 0.3 and abs(slope_right - 3.5) < 0.3
    assert torch.equal(curve.y, data.piecewise_linear().y)


def test_pure_noise_is_unrelated_to_x():
    noise = data.pure_noise()
    assert noise.X.shape == noise.y.shape == (100, 1)
    assert abs(torch.corrcoef(torch.hstack([noise.X, noise.y]).T)[0, 1]) < 0.3
    assert torch.equal(noise.y, data.pure_noise().y)


def test_linear_shapes_truth_and_seed():
    sim = data.linear()
    assert sim.x.shape == (100,) and sim.y.shape == (100, 1)
    assert sim.X.shape == (100, 1) and sim.X_ones.shape == (100, 2)
    assert torch.all(sim.x[1:] >= sim.x[:-1]), "x is sorted, as in 예제2"
    assert torch.equal(sim.X_ones[:, 0], torch.ones(100)) and torch.equal(sim.X_ones[:, 1], sim.x)
    assert torch.allclose(sim.truth, sim.w0 + sim.w1 * sim.X)
    residual = sim.y - sim.truth
    assert abs(residual.mean().item()) < 0.3 and 0.7 < residual.std().item() < 1.3, "noise ~ N(0, 1)"
    assert torch.equal(sim.y, data.linear().y)
    assert not torch.equal(data.linear(seed=1).y, sim.y)


def test_linear_least_squares_recovers_the_line():
    sim = data.linear(w0=-1.0, w1=0.5, n=2000)
    w0_hat, w1_hat = torch.linalg.lstsq(sim.X_ones, sim.y).solution.flatten().tolist()
    assert abs(w0_hat + 1.0) < 0.1 and abs(w1_hat - 0.5) < 0.1
