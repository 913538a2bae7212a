"""tools/execute.py: what the build checks after running a chapter, and what it caches."""

import copy

import nbformat
from jupyter_cache import get_cache

from tools.chapters import ROOT, Chapter
from tools.execute import Executor, describe_stderr

CHAPTER = Chapter(ROOT / "lectures" / "99_example.md", "lectures/99_example")


def notebook(*outputs_per_cell):
    nb = nbformat.v4.new_notebook()
    for outputs in outputs_per_cell:
        cell = nbformat.v4.new_code_cell("ax = plots.plot_fit(x, y)\nglue('fig', ax.figure, display=False)")
        cell.metadata["tags"] = ["remove-output"]
        cell.outputs = [nbformat.v4.new_output("stream", name=name, text=text) for name, text in outputs]
        nb.cells.append(cell)
    nb.metadata["source_map"] = [10 * (i + 1) for i in range(len(outputs_per_cell))]
    return nb


def test_stderr_in_a_hidden_cell_names_the_chapter_line_and_message():
    nb = notebook([("stdout", "fine\n")], [("stderr", "Font 'default' does not have a glyph for '\\u2212'\n")])
    message = describe_stderr(CHAPTER, nb)
    assert "lectures/99_example.md, line 21 (cell 2)" in message
    assert "does not have a glyph" in message and "plots.plot_fit" in message


def test_stdout_alone_is_fine():
    assert describe_stderr(CHAPTER, notebook([("stdout", "device: cpu\n")])) == ""


def test_an_executed_chapter_is_found_in_the_cache_by_its_unexecuted_notebook(tmp_path):
    # myst-nb looks the chapter up by its unexecuted cells; anything the execution adds to
    # them (such as timings) would make it miss and run the chapter again.
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
    nb.cells.append(nbformat.v4.new_code_cell("print('device: cpu')"))
    unexecuted = copy.deepcopy(nb)
    executor = Executor(tmp_path)
    executor.cache = get_cache(str(tmp_path / "cache"))
    outcome = executor._execute(Chapter(tmp_path / "x.md", "lectures/x"), nb, threads=1)
    assert outcome.status == "executed", outcome.error
    executor.cache.match_cache_notebook(unexecuted)  # raises KeyError on a miss
