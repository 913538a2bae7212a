"""A deliberate error, shown as what it is: a short box saying the error is intended.

A chapter shows what does not work by running it: the cell is tagged ``raises-exception`` (the
importer tags a cell whose saved output was an error), nbclient lets it raise, and coursebook.execution.executor
fails the build if it no longer does. myst-nb renders the error as the full traceback; here, while
the page is read, that traceback becomes a box with the exception's type, its message and the
failing line, in both languages: no terminal colours, no frames of library code. An error in a cell
not tagged so is left as it is, and the site check refuses to publish it.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx

from coursebook.bilingual.directives import lang_inline
from coursebook.bilingual.text import SEPARATOR

TAG_CLASS = "tag_raises-exception"  # myst-nb's class for a cell tagged raises-exception
BOX_CLASS = "intended-error"
ARROW = re.compile(r"^-*>\s*(?P<number>\d+)\s(?P<code>.*)$")
HEADER = re.compile(r"^(?P<ename>[\w.]+)\s+Traceback \(most recent call last\)")
TITLE = ("의도한 오류: 이 코드는 일부러 실패합니다", "Intended error: this code fails on purpose")


def summary(traceback: str) -> tuple[str, str, str]:
    """(exception type, message, failing line) from an IPython traceback without colours."""
    lines = [line.rstrip() for line in traceback.splitlines()]
    header = next((m for line in lines if (m := HEADER.match(line))), None)
    ename = header["ename"] if header else ""
    last = next((line for line in reversed(lines) if line.strip()), "")
    if ename:
        last = next((line for line in reversed(lines) if line == ename or line.startswith(f"{ename}:")), last)
    name, _, message = last.partition(": ")
    arrow = next((m for line in lines if (m := ARROW.match(line.strip()))), None)
    failing = arrow["code"].strip() if arrow else ""
    if not failing:  # a SyntaxError shows its line under "Cell In[n], line k", with a caret below
        at = next((i for i, line in enumerate(lines) if line.strip().startswith("Cell In[")), None)
        failing = lines[at + 1].strip() if at is not None and at + 1 < len(lines) else ""
    return ename or name, message, failing


def box(ename: str, message: str, failing: str) -> nodes.admonition:
    title = nodes.title(
        "",
        "",
        lang_inline("", TITLE[0], classes=["lang-inline", "lang-ko"], lang="ko"),
        nodes.inline("", SEPARATOR, classes=["lang-sep"]),
        lang_inline("", TITLE[1], classes=["lang-inline", "lang-en"], lang="en"),
    )
    node = nodes.admonition("", title, classes=[BOX_CLASS, "caution"])
    if failing:
        node += nodes.literal_block(failing, failing, language="python", classes=["intended-error-line"])
    node += nodes.paragraph("", "", nodes.literal("", f"{ename}: {message}" if message else ename))
    return node


def shorten_intended_errors(app: Sphinx, doctree: nodes.document) -> None:
    for block in list(doctree.findall(nodes.literal_block)):
        if "traceback" not in block["classes"]:
            continue
        cell = next((a for a in _ancestors(block) if TAG_CLASS in a.get("classes", [])), None)
        if cell is not None:
            shown = box(*summary(block.astext()))
            block.replace_self(shown)
            shown["classes"] = [BOX_CLASS, "caution"]  # replace_self copied the traceback's classes


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def setup(app: Sphinx) -> dict:
    app.setup_extension("coursebook.bilingual.directives")
    app.connect("doctree-read", shorten_intended_errors)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
