"""coursebook.execution.executor: what the build checks after running a chapter, and what it caches."""

import nbformat

from coursebook.chapters import ROOT, Chapter
from coursebook.execution.executor import describe_stderr

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
