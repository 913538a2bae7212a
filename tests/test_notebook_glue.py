"""The glued numbers in each downloaded notebook (coursebook.notebooks.export), fast: a small chapter is run
in this process (its cells exec'd; myst-nb's own glue() records the values, as in a kernel), stored in
a jupyter-cache, and write_notebooks fills the numbers in from there. The slow Colab-style test runs
the book's real notebooks; this one names the number that went missing in a second.
"""

from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from myst_nb.core.read import read_myst_markdown_notebook
from myst_parser.config.main import MdParserConfig

ROOT = Path(__file__).resolve().parent.parent

from coursebook.notebooks import export as notebooks  # noqa: E402
from coursebook.chapters import FRONT_MATTER  # noqa: E402

CHAPTER = (
    FRONT_MATTER
    + """
# 시험 · A test

The slope is {glue:text}`slope`, the loss {glue:text}`loss:.3f`.

```{code-cell} ipython3
:tags: [remove-cell]
from coursebook.runtime.glue import glue
slope = 3.99912 + OFFSET
glue("slope", f"{slope:.4f}", display=False)
glue("loss", 0.46114 + OFFSET, display=False)
```
"""
)


def executed(source: str, path: Path, offset: float, monkeypatch) -> nbformat.NotebookNode:
    """The chapter run cell by cell in this process; each display myst-nb's glue() makes becomes an output."""
    import myst_nb.ext.glue

    nb = read_myst_markdown_notebook(source, MdParserConfig(), path=str(path))
    namespace = {"OFFSET": offset}
    for cell in nb.cells:
        if cell.cell_type == "code":
            outputs = cell.outputs = []
            monkeypatch.setattr(
                myst_nb.ext.glue,
                "ipy_display",
                lambda data, raw, metadata, outputs=outputs: outputs.append(
                    nbformat.v4.new_output("display_data", data=data, metadata=metadata)
                ),
            )
            exec(cell.source, namespace)
    return nb


def computed(nb: nbformat.NotebookNode) -> dict[str, str]:
    """The glue store of an executed notebook: name -> the text/plain the chapter computed."""
    return {
        output.metadata["scrapbook"]["name"]: output.data[output.metadata["scrapbook"]["mime_prefix"] + "text/plain"]
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if "scrapbook" in output.get("metadata", {})
    }


@pytest.fixture
def book(tmp_path, monkeypatch):
    """A source folder with one chapter, a Sphinx-like app for write_notebooks, and a way to run the chapter."""
    path = tmp_path / "src" / "x.md"
    path.parent.mkdir()
    path.write_text(CHAPTER, encoding="utf-8")
    (path.parent / "_config.yml").write_text("coursebook:\n  install: mypackage\n", encoding="utf-8")
    app = SimpleNamespace(
        srcdir=str(path.parent),
        outdir=str(tmp_path / "html"),
        doctreedir=str(tmp_path / "doctrees"),
        builder=SimpleNamespace(format="html"),
        config=SimpleNamespace(nb_execution_cache_path="cache", html_theme_options={"repository_url": "https://github.com/o/r"}),
        env=SimpleNamespace(
            found_docs={"x"},
            metadata={"x": {"kernelspec": {"name": "python3"}}},
            doc2path=lambda docname: str(path.parent / f"{docname}.md"),
            dependencies={},
        ),
    )
    Path(app.doctreedir).mkdir()

    def run(offset: float = 0.0) -> nbformat.NotebookNode:
        nb = executed(CHAPTER, path, offset, monkeypatch)
        get_cache(str(path.parent / "cache")).cache_notebook_bundle(CacheBundleIn(nb, str(path)), check_validity=False, overwrite=True)
        return nb

    return SimpleNamespace(app=app, run=run, notebook=Path(app.outdir, "_sources", "x.ipynb"))


def prose(notebook: Path) -> str:
    return "\n".join(cell.source for cell in nbformat.read(notebook, as_version=4).cells if cell.cell_type == "markdown")


def check_glued_prose(text: str, values: dict[str, str]) -> None:
    """The notebook's prose shows each computed value as the page would: the text, and loss to 3 places."""
    expected = f"The slope is {values['slope'].strip(chr(39))}, the loss {float(values['loss']):.3f}."
    assert expected in text, f"expected {expected!r} in the notebook's prose:\n{text}"


def test_the_notebook_shows_the_numbers_the_chapter_computed(book):
    nb = book.run()
    notebooks.write_notebooks(book.app, None)
    values = computed(nb)
    assert values == {"slope": "'3.9991'", "loss": "0.46114"}
    check_glued_prose(prose(book.notebook), values)


def test_the_check_fails_on_a_number_off_in_its_last_digit(book):
    """The test of the test: a notebook whose numbers are off by one in the last digit shown fails it."""
    book.run()
    notebooks.write_notebooks(book.app, None)
    shown = prose(book.notebook)
    with pytest.raises(AssertionError):
        check_glued_prose(shown, {"slope": "'3.9990'", "loss": "0.46114"})
    with pytest.raises(AssertionError):
        check_glued_prose(shown, {"slope": "'3.9991'", "loss": "0.46214"})


def test_an_unchanged_notebook_is_not_written_again_and_new_results_are(book):
    book.run()
    notebooks.write_notebooks(book.app, None)
    first = book.notebook.stat()
    notebooks.write_notebooks(book.app, None)
    assert book.notebook.stat().st_mtime_ns == first.st_mtime_ns and book.notebook.stat().st_ino == first.st_ino

    nb = book.run(offset=0.001)  # the chapter ran again and computed other numbers
    notebooks.write_notebooks(book.app, None)
    assert book.notebook.stat().st_mtime_ns != first.st_mtime_ns
    check_glued_prose(prose(book.notebook), computed(nb))
    assert "3.9991" not in prose(book.notebook)


def test_each_glued_output_names_its_value_under_the_generator_s_own_key(monkeypatch):
    """glue() hands myst-nb the value wrapped so that its display metadata also names it: the page shows
    the same output as before, and the notebooks read name and text without myst-nb's format."""
    import myst_nb.ext.glue

    from coursebook.runtime.glue import GLUE_METADATA, Figures, glue

    outputs = []
    monkeypatch.setattr(myst_nb.ext.glue, "ipy_display", lambda data, raw, metadata: outputs.append((data, metadata)))
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 8
    glue("text", "0.1234", display=False)
    glue("number", 0.46114)
    glue("figure", Figures({"ko": png, "en": png}), display=False)
    for (data, metadata), name in zip(outputs, ("text", "number", "figure")):
        prefix = metadata["scrapbook"]["mime_prefix"]  # myst-nb's record of the same output, for comparison
        assert metadata[GLUE_METADATA] == {"glue": name, "text/plain": data[prefix + "text/plain"]}
    assert [data for data, _ in outputs][1] == {"text/plain": "0.46114"}, "shown as the value, not as the wrapper"
    assert "application/papermill.record/application/vnd.coursebook.figures+json" in outputs[2][0]
