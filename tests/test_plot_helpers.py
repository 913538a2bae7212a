"""The plot helpers that chapters 07 and 08 use: curves, grouped points, diverging loss curves."""

import io
import math
import warnings

import matplotlib.pyplot as plt
import torch

from nnstep import plots


def rendered(ax) -> None:
    """Draw the figure as the book does, turning any warning (e.g. a missing glyph) into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax.figure.savefig(io.BytesIO(), format="png")
    plt.close(ax.figure)


def test_plot_losses_draws_a_diverged_run_up_to_its_last_finite_loss():
    converging = [4.0, 2.0, 1.0, 0.5]
    diverging = [4.0, 40.0, 4e30, math.inf, math.nan]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plots.plot_losses({"lr = 0.01": converging, "lr = 0.1": diverging}, title="학습률 비교")
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == ["lr = 0.01", "lr = 0.1 (발산 diverged, epoch 4)"]
    line = ax.get_lines()[1]
    y = line.get_ydata()
    assert list(y[:3]) == [4.0, 40.0, 4e30] and all(math.isnan(v) for v in y[3:])
    marker = ax.get_lines()[2]  # the "x" on the last finite loss
    assert marker.get_marker() == "x" and list(marker.get_ydata()) == [4e30]
    assert ax.get_yscale() == "log"
    rendered(ax)


def test_plot_losses_of_a_run_that_was_never_finite_has_no_marker():
    ax = plots.plot_losses({"nan": [math.nan, math.nan]}, log=False)
    assert len(ax.get_lines()) == 1 and "epoch 1" in ax.get_legend().get_texts()[0].get_text()
    rendered(ax)


def test_plot_curves_uses_the_given_styles():
    x = torch.linspace(-1, 1, 5)
    ax = plots.plot_curves(x, {"데이터 data": x, "적합값 fit": x**2}, styles={"적합값 fit": "--"}, title="곡선")
    solid, dashed = ax.get_lines()
    assert solid.get_linestyle() == "-" and dashed.get_linestyle() == "--"
    assert list(dashed.get_ydata()) == (x**2).tolist()
    rendered(ax)


def test_plot_points_draws_every_group_and_the_reference_lines():
    groups = {f"g{i}": ([i], [i]) for i in range(8)}  # more groups than marker shapes
    ax = plots.plot_points(groups, title="점", hlines={"lr = 0.1": 0.1})
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(groups)
    assert any(text.get_text() == "lr = 0.1" for text in ax.texts)
    rendered(ax)


def test_log_axis_ticks_below_one_have_a_real_minus_sign(caplog):
    # Mathtext does not warn about a missing glyph: it logs "substituting with a dummy symbol".
    ax = plots.plot_losses({"손실": [10.0, 1.0, 0.01, 0.0001]})
    with caplog.at_level("WARNING", logger="matplotlib"):
        rendered(ax)
    assert not [r for r in caplog.records if "glyph" in r.getMessage()], caplog.text
