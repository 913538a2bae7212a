"""Unit tests of what the two-node chapters (05, 06) added to nnstep."""

import io
import re
import warnings

import pytest
import torch
from torch import nn

from nnstep import data, fit, fit_many, from_model, models, plots


def trained_two_node_net() -> nn.Sequential:
    torch.manual_seed(1)
    net = models.hidden_net(2)
    with torch.no_grad():
        net[0].weight.copy_(torch.tensor([[1.8509], [-1.0757]]))
        net[2].weight.copy_(torch.tensor([[1.7964, -1.0394]]))
    return net


def test_units_view_can_show_the_learned_weights():
    net = trained_two_node_net()
    diagram = from_model(net, view="units", values=True)
    labels = re.findall(r'label="(\*W[^"]*)"', diagram.source)
    # W1 = layer1.weight.T (1x2), W2 = layer2.weight.T (2x1)
    assert labels == ["*W1[0,0] = 1.851", "*W1[0,1] = -1.076", "*W2[0,0] = 1.796", "*W2[1,0] = -1.039"]
    assert "W1 = [[1.851, -1.076]]" in diagram.alt and "W2 = [[1.796], [-1.039]]" in diagram.alt
    assert diagram.svg().count('class="node"') == 6


def test_units_view_without_values_is_unchanged():
    source = from_model(trained_two_node_net(), view="units").source
    assert "*W1[0,1]" in source and " = " not in source


def test_values_are_refused_outside_the_units_view():
    with pytest.raises(ValueError, match="units view only"):
        from_model(models.hidden_net(2), view="nodes", values=True)


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


def test_column_and_bundle_plots_draw_without_missing_glyphs():
    x = torch.linspace(-1, 1, 10).reshape(10, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plots.plot_columns(x, torch.hstack([x, -x]), ["u1[:,0]", "u1[:,1]"], title="은닉 노드 hidden units")
        ax.figure.savefig(io.BytesIO(), format="png")
        assert len(ax.lines) == 3  # two columns and the zero line
        ax = plots.plot_columns(x, x, ["yhat"], y=x**2)
        assert len(ax.lines) == 3 and ax.get_legend().get_texts()[0].get_text() == "데이터 data"
        losses = torch.rand(20, 4) + 0.1
        ax = plots.plot_loss_runs(losses, ["성공 fit", "멈춤 stuck", "성공 fit", "성공 fit"], title="시드 seeds")
        ax.figure.savefig(io.BytesIO(), format="png")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["성공 fit (3)", "멈춤 stuck (1)"]
    assert ax.get_xscale() == "log"


def test_plot_helpers_check_their_labels():
    with pytest.raises(ValueError, match="labels"):
        plots.plot_columns(torch.zeros(3, 1), torch.zeros(3, 2), ["one"])
    with pytest.raises(ValueError, match="group names"):
        plots.plot_loss_runs(torch.zeros(3, 2), ["a"])


def test_log_axes_label_small_losses_without_a_missing_minus_glyph(caplog):
    # mathtext's 10^{-1} needs U+2212, which NanumGothic lacks (matplotlib logs, not warns)
    ax = plots.plot_losses({"run": [2.0, 0.5, 0.08, 0.05]})
    with caplog.at_level("WARNING", logger="matplotlib"):
        ax.figure.savefig(io.BytesIO(), format="png")
    labels = [t.get_text() for t in ax.get_yticklabels() + ax.get_yticklabels(minor=True)]
    assert "0.1" in labels and not any("$" in label or "\u2212" in label for label in labels)
    assert "does not have a glyph" not in caplog.text
    ax = plots.plot_loss_runs(torch.tensor([[2.0], [0.05]]), ["a"])
    ax.figure.canvas.draw()
    assert not any("$" in t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels())
