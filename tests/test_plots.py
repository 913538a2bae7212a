"""The plot helpers: Hangul glyphs, curves, grouped points, diverging loss curves, runs and columns,
and every figure in one language at a time."""

import io
import math
import re
import warnings

import matplotlib
import matplotlib.pyplot as plt
import pytest
import torch

from nnstep import data, plots
from coursebook.runtime.glue import Figures

HANGUL = re.compile(r"[\uac00-\ud7a3]")
# What may stay the same in both languages: numbers, math and the code's names (yhat, u1[:,0], lr = 0.1, ReLU).
CODE_WORDS = {"x", "y", "yhat", "lr", "ReLU", "sigmoid", "MSE", "u1", "v1", "W1", "W2", "X", "max"}


def texts(ax, language: str) -> list[str]:
    with plots.in_language(ax.figure, language) as shown:
        return shown


def assert_one_language(ax) -> None:
    """Korean: each text has Hangul or is numbers, math and code; English: no text has Hangul."""
    for text in texts(ax, "ko"):
        words = set(re.findall(r"[A-Za-z]+[0-9]*", text)) - CODE_WORDS
        assert HANGUL.search(text) or not words, f"the Korean figure shows {text!r}"
    for text in texts(ax, "en"):
        assert not HANGUL.search(text), f"the English figure shows {text!r}"


def test_korean_text_has_real_glyphs():
    curve = data.piecewise_linear()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" is a UserWarning
        ax = plots.plot_fit(curve.X, curve.y, yhat=curve.y, title="구간별 선형회귀 적합")
        ax.figure.savefig(io.BytesIO(), format="png")
    assert "NanumGothic" in matplotlib.rcParams["font.family"]


def test_the_package_does_not_force_a_backend():
    # matplotlib.use("Agg") in the package would make every figure vanish from the pages
    source = "".join(p.read_text() for p in __import__("pathlib").Path(plots.__file__).parent.glob("*.py"))
    assert "matplotlib.use(" not in source


def test_a_figure_for_glue_is_closed_so_the_notebook_draws_it_once():
    ax = plots.new_axes("x")
    figures = plots.for_glue(ax)
    assert isinstance(figures, Figures) and ax.figure.number not in plt.get_fignums()


def test_for_glue_draws_one_image_per_language_and_leaves_the_figure_as_it_was():
    x = torch.linspace(-1, 1, 5)
    ax = plots.plot_fit(x, x, yhat=x, title=("학습 후", "after training"))
    figures = plots.for_glue(ax)
    assert list(figures.images) == ["ko", "en"] and figures.images["ko"] != figures.images["en"]
    assert all(png.startswith(b"\x89PNG") for png in figures.images.values())
    assert ax.get_title() == "학습 후 · after training"  # the texts are back to both languages


def test_every_helper_draws_each_language_alone():
    x = torch.linspace(-1, 1, 10).reshape(10, 1)
    drawn = [
        plots.plot_fit(x, x**2, yhat=x, truth=x, title="학습 후 · after training"),
        plots.plot_losses({("시드 3", "seed 3"): [4.0, 2.0], "lr = 0.1": [4.0, math.inf]}, title=("손실", "loss")),
        plots.plot_curves(x, {"자료 · data": x, "sigmoid(200x)": x}, title="곡선 · curves", ylabel=("출력", "output")),
        plots.plot_points({("수렴", "converged"): ([1], [1])}, title="보폭 · steps", hlines={"lr = 0.1": 0.1}),
        plots.plot_columns(x, torch.hstack([x, -x]), ["u1[:,0]", ("yhat = 합", "yhat = sum")], title="u1 = X@W1", y=x),
        plots.plot_loss_runs(torch.rand(20, 3) + 0.1, ["성공 · fit", "멈춤 · stuck", "성공 · fit"], title="시드 · seeds"),
    ]
    for ax in drawn:
        assert_one_language(ax)
        assert any(HANGUL.search(text) for text in texts(ax, "ko"))
    runs = drawn[-1]
    assert texts(runs, "en")[-2:] == ["fit (2)", "stuck (1)"] and texts(runs, "ko")[-2:] == ["성공 (2)", "멈춤 (1)"]
    for ax in drawn:
        rendered(ax)


def test_the_language_check_can_fail():
    x = torch.linspace(-1, 1, 5)
    ax = plots.plot_fit(x, x, title="a stuck run")
    with pytest.raises(AssertionError, match="Korean figure"):
        assert_one_language(ax)
    with pytest.raises(ValueError, match="Korean figure would show 'a stuck run'"):
        plots.for_glue(ax)
    ax = plots.plot_fit(x, x)
    ax.plot(x, x, label="멈춤 stuck")  # one string, no separator: both languages in each figure
    ax.legend()
    with pytest.raises(ValueError, match="English figure would show '멈춤 stuck'"):
        plots.for_glue(ax)


def test_a_pair_is_split_only_when_it_reads_as_korean_then_english():
    assert plots.halves("자료 · data") == ("자료", "data")
    assert plots.halves(("자료", "data")) == ("자료", "data")
    assert plots.halves("lr = 0.1") == ("lr = 0.1", "lr = 0.1")
    assert plots.halves("a · b") == ("a · b", "a · b")
    assert plots.both("x", "x") == "x" and plots.both("자료", "data") == "자료 · data"


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
    assert labels == ["lr = 0.01", "lr = 0.1 (발산, 에폭 4) · lr = 0.1 (diverged, epoch 4)"]
    line = ax.get_lines()[1]
    y = line.get_ydata()
    assert list(y[:3]) == [4.0, 40.0, 4e30] and all(math.isnan(v) for v in y[3:])
    marker = ax.get_lines()[2]  # the "x" on the last finite loss
    assert marker.get_marker() == "x" and list(marker.get_ydata()) == [4e30]
    assert ax.get_yscale() == "log"
    rendered(ax)


def test_plot_losses_of_a_run_that_was_never_finite_has_no_marker():
    ax = plots.plot_losses({"nan": [math.nan, math.nan]}, log=False)
    assert len(ax.get_lines()) == 1 and "(diverged, epoch 1)" in ax.get_legend().get_texts()[0].get_text()
    rendered(ax)


def test_plot_curves_uses_the_given_styles():
    x = torch.linspace(-1, 1, 5)
    ax = plots.plot_curves(x, {"자료 · data": x, "적합값 · fit": x**2}, styles={"적합값 · fit": "--"}, title="곡선")
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


def test_column_and_bundle_plots_draw_without_missing_glyphs():
    x = torch.linspace(-1, 1, 10).reshape(10, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plots.plot_columns(x, torch.hstack([x, -x]), ["u1[:,0]", "u1[:,1]"], title="은닉 노드 hidden units")
        ax.figure.savefig(io.BytesIO(), format="png")
        assert len(ax.lines) == 3  # two columns and the zero line
        ax = plots.plot_columns(x, x, ["yhat"], y=x**2)
        assert len(ax.lines) == 3 and ax.get_legend().get_texts()[0].get_text() == "자료 · data"
        losses = torch.rand(20, 4) + 0.1
        ax = plots.plot_loss_runs(losses, ["성공 · fit", "멈춤 · stuck", "성공 · fit", "성공 · fit"], title="시드 · seeds")
        ax.figure.savefig(io.BytesIO(), format="png")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["성공 (3) · fit (3)", "멈춤 (1) · stuck (1)"]
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


def test_loss_plots_place_their_legend_without_searching_every_point():
    # loc="best" over thousands of epochs can take over a second on a busy machine, and then
    # matplotlib warns on stderr, which fails the chapter: seen in a clean build under load.
    runs = plots.plot_loss_runs(torch.rand(10000, 50) + 0.1, ["a"] * 25 + ["b"] * 25)
    losses = plots.plot_losses({"lr = 0.1": torch.rand(10000).tolist()})
    for ax in (runs, losses):
        assert ax.get_legend()._loc != 0, "0 is matplotlib's code for 'best'"
        plt.close(ax.figure)


def test_plot_fit_legend_says_jaryo_as_the_prose_does():
    x = torch.linspace(-1, 1, 5)
    ax = plots.plot_fit(x, x, yhat=x, truth=x)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["자료 · data", "참값 · truth", "적합값 · fit"]
    assert texts(ax, "ko")[-3:] == ["자료", "참값", "적합값"] and texts(ax, "en")[-3:] == ["data", "truth", "fit"]
    rendered(ax)
