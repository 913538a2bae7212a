import io
import warnings

import matplotlib

from nnstep import data, plots


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
    import matplotlib.pyplot as plt

    ax = plots.new_axes("x")
    figure = plots.for_glue(ax)
    assert figure is ax.figure and figure.number not in plt.get_fignums()
