"""The chapter notebooks for download and Colab (coursebook.notebooks.export), without a build."""

import subprocess
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent

import coursebook.notebooks.export as notebooks  # noqa: E402
from coursebook.chapters import FRONT_MATTER  # noqa: E402
from coursebook.notebooks.export import MystToJupyter, chapter_notebook, colab_url, format_glued, install_cell_source  # noqa: E402

CHAPTER = (
    FRONT_MATTER
    + """
# 예제: 시험 · A test

:::{ko}
한국어 설명, {term}`학습률`.
:::

:::{en}
English text with a {term}`learning rate <학습률>` and $x^2$.
:::

```{code-cell} ipython3
from coursebook.runtime import glue
glue("answer", "42", display=False)
```

(fig-label)=
```{glue:figure} some_fig
:alt: A plot.
:name: fig-some

{ko}`그림 설명` {en}`The caption`
```

The answer is {glue:text}`answer` and {glue:text}`ratio:.2f`.

```python
{ko}`this stays as written` inside plain code
```

```{literalinclude} ../src/thing.py
:pyobject: polynomial
```

```{note}
Mind the {ko}`보폭`.
```
"""
)


def test_markdown_loses_every_myst_only_construct():
    converter = MystToJupyter(glue={"answer": "'42'", "ratio": "0.123456"}, include=lambda path, options: f"# {path} {options}\n")
    text = converter.convert(CHAPTER.split("---\n", 2)[2])
    assert ":::" not in text and "{term}" not in text and "{glue:" not in text and "(fig-label)=" not in text
    assert "한국어 설명, 학습률." in text
    assert "a learning rate and $x^2$" in text
    assert "The answer is 42 and 0.12." in text
    assert "{ko}`this stays as written` inside plain code" in text, "plain code blocks are left alone"
    assert "```python\n# ../src/thing.py {'pyobject': 'polynomial'}\n```" in text
    assert "> **Note**\n>\n> Mind the 보폭." in text


def test_a_glued_figure_becomes_a_cell_that_shows_it_followed_by_its_caption():
    nb = chapter_notebook(CHAPTER, Path("c.md"), "install", MystToJupyter(include=lambda p, o: "pass"))
    sources = [cell.source for cell in nb.cells]
    at = sources.index('from coursebook.runtime import glued\nglued("some_fig")')
    assert nb.cells[at].cell_type == "code" and nb.cells[at + 1].cell_type == "markdown"
    assert sources[at + 1].startswith("*그림 설명 The caption*\n")


def test_a_figure_shown_before_the_code_that_draws_it_follows_that_code():
    chapter = (
        FRONT_MATTER
        + """
````{admonition} Solution
:class: dropdown

```{glue:figure} late_fig
The caption.
```
````

```{code-cell} ipython3
glue("late_fig", figure)
```
"""
    )
    nb = chapter_notebook(chapter, Path("c.md"), "install", MystToJupyter(), glued_in={"late_fig": 1})  # cell 1 glues it
    sources = [cell.source for cell in nb.cells]
    assert sources[1] == "> **Solution**"
    assert sources[2:] == ['glue("late_fig", figure)', 'from coursebook.runtime import glued\nglued("late_fig")', "*The caption.*"]


def test_roles_inside_code_spans_stay_as_written():
    text = MystToJupyter(glue={"x": "1"}).convert("Write `` {glue:text}`x` `` to get {glue:text}`x`.")
    assert text == "Write `` {glue:text}`x` `` to get 1."


def test_glued_text_is_formatted_as_myst_nb_formats_it():
    assert format_glued("'0.5'") == "0.5"
    assert format_glued("0.123456", ".2f") == "0.12"
    assert format_glued("'not a number'", ".2f") == "not a number"


def test_a_missing_glue_value_shows_its_name():
    assert MystToJupyter().convert("It is {glue:text}`missing`.") == "It is `missing`."


def test_the_notebook_starts_with_the_pinned_install_and_has_no_outputs(tmp_path):
    install = install_cell_source("https://github.com/o/r", "0" * 40, "nnstep")
    nb = chapter_notebook(CHAPTER, tmp_path / "c.md", install, MystToJupyter(include=lambda p, o: "pass"))
    nbformat.validate(nb)
    first = nb.cells[0]
    assert first.cell_type == "code" and first.source == install
    assert first.source.splitlines()[-1] == '%pip install --quiet "nnstep @ git+https://github.com/o/r@' + "0" * 40 + '"'
    assert [c.cell_type for c in nb.cells[1:3]] == ["markdown", "code"]
    assert all(c.outputs == [] for c in nb.cells if c.cell_type == "code")
    assert "jupytext" not in nb.metadata and "source_map" not in nb.metadata
    assert nb.metadata.kernelspec.name == "python3"
    assert [c.id for c in nb.cells] == [f"cell-{i}" for i in range(len(nb.cells))], "stable ids: same chapter, same file"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://github.com/nnstep-book/nn-basics",
            "https://colab.research.google.com/github/nnstep-book/nn-basics/blob/colab/lectures/x.ipynb",
        ),
        (
            "https://github.com/nnstep-book/nn-basics.git",
            "https://colab.research.google.com/github/nnstep-book/nn-basics/blob/colab/lectures/x.ipynb",
        ),
        ("https://gitlab.com/a/b", None),
        ("", None),
    ],
)
def test_colab_opens_github_repositories_only(url, expected):
    assert colab_url(url, "colab", "lectures/x") == expected


def test_outside_a_git_checkout_there_is_no_commit(tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_SHA", raising=False)
    assert notebooks.build_commit(tmp_path) is None
    monkeypatch.setenv("GITHUB_SHA", "a" * 40)
    assert notebooks.build_commit(tmp_path) == "a" * 40


def test_inside_this_checkout_the_commit_is_head(monkeypatch):
    monkeypatch.delenv("GITHUB_SHA", raising=False)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode:
        pytest.skip("not a git checkout")
    assert notebooks.build_commit(ROOT) == head.stdout.strip()


def test_the_executed_stamp_changes_when_the_cache_stores_the_chapter_again(tmp_path):
    """write_notebooks rewrites a chapter's notebook when this stamp changes (its glued values may have)."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(tmp_path))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("6 * 7")])
    record = cache.cache_notebook_bundle(CacheBundleIn(nb, "c.md"), check_validity=False)
    first = notebooks.executed_stamp(cache, record.pk)
    cache.merge_match_into_notebook(nb)  # a lookup touches the record: the stamp stays
    assert first is not None and notebooks.executed_stamp(get_cache(str(tmp_path)), record.pk) == first

    nb.cells[0].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "42"}, execution_count=1)]
    again = cache.cache_notebook_bundle(CacheBundleIn(nb, "c.md"), check_validity=False, overwrite=True)
    assert again.hashkey == record.hashkey
    assert notebooks.executed_stamp(cache, again.pk) not in (None, first)
    assert notebooks.executed_stamp(cache, None) is None and notebooks.executed_stamp(cache, again.pk + 1) is None


DELIBERATE = (
    FRONT_MATTER
    + """
# 오류 · Errors

```{code-cell} ipython3
:tags: [raises-exception]

x = [1, 2]
%time y = len(x)
x + 2
```

```{code-cell} ipython3
:tags: [raises-exception]

x +
```

```{code-cell} ipython3
print("the end", y)
```
"""
)


def test_a_deliberate_error_runs_past_in_colab_which_ignores_the_tag(tmp_path):
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = chapter_notebook(DELIBERATE, tmp_path / "c.md", "print('no install here')", MystToJupyter())
    wrapped, syntax = nb.cells[2], nb.cells[3]
    assert wrapped.metadata.tags == ["raises-exception"] and "x + 2" in wrapped.source and "%time y = len(x)" in wrapped.source
    assert wrapped.source.startswith("# 의도한 오류") and "Intended error" in wrapped.source.splitlines()[0]
    assert syntax.source == "x +", "code that does not compile cannot be wrapped: left as written"
    nb.cells.remove(syntax)
    for cell in nb.cells:
        cell.metadata.pop("tags", None)  # as Colab runs it: tags ignored, so only the code keeps the run going
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=False, resources={"metadata": {"path": str(tmp_path)}}).execute()
    shown = "".join(o.get("text", "") for o in wrapped.outputs)
    assert 'TypeError: can only concatenate list (not "int") to list' in shown
    assert nb.cells[-1].outputs[0].text == "the end 2\n"
    nb.cells[2].source = "x + 2"  # the same cell unwrapped stops the run: the check above can fail
    with pytest.raises(CellExecutionError):
        NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=False, resources={"metadata": {"path": str(tmp_path)}}).execute()
