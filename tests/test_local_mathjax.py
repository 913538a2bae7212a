"""MathJax served from the site (coursebook.pages.local_mathjax), without a build."""

from types import SimpleNamespace


import coursebook.pages.local_mathjax as local_mathjax  # noqa: E402


def test_the_pinned_package_has_what_the_pages_load():
    root = local_mathjax.mathjax_root()
    files = local_mathjax.files(root)
    names = {path.as_posix() for path in files}
    assert "tex-mml-chtml.js" in names
    assert "output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff" in names  # the fonts it asks for
    assert "input/tex/extensions/boldsymbol.js" in names  # a package TeX loads when a formula needs it
    assert all((root / path).is_file() for path in files)
    assert 'VERSION="3.2.2"' in (root / "tex-mml-chtml.js").read_text(encoding="utf-8").replace(" ", "")  # as pinned


def test_the_copy_lands_under_static_and_is_redone_only_when_it_differs(tmp_path):
    app = SimpleNamespace(builder=SimpleNamespace(format="html"), outdir=str(tmp_path))
    local_mathjax.copy_mathjax(app)
    script = tmp_path / "_static" / "mathjax" / "tex-mml-chtml.js"
    assert script.is_file() and (tmp_path / "_static/mathjax/output/chtml/fonts/woff-v2/MathJax_Zero.woff").is_file()
    script.write_text("stale", encoding="utf-8")
    local_mathjax.copy_mathjax(app)
    assert script.read_bytes() == (local_mathjax.mathjax_root() / "tex-mml-chtml.js").read_bytes()


def test_sphinx_is_pointed_at_the_copy():
    config = SimpleNamespace(mathjax_path="https://cdn.example/mathjax.js")
    local_mathjax.configure(None, config)
    assert config.mathjax_path == "mathjax/tex-mml-chtml.js"  # relative: under _static/
