"""Book-wide figure numbers stay right on the incremental rebuilds `make book` relies on: after each
edit, the numbers (on the pages read again and on those that were not) equal a fresh build's.

Sphinx numbers them itself, walking every page after any edit. The generator once skipped that walk
when no outline changed, by replacing Sphinx's collector method: a private route, so it went although
it bought 7% of a prose rebuild at 9 chapters and 21% at 50 (docs/measurements.md).
A tiny Sphinx project (three pages, plain reStructuredText) built in this process: seconds, no book build.
"""

import base64
import io
import textwrap
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

DOT_PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
PAGES = {
    name: textwrap.dedent(text).lstrip()
    for name, text in {
        "index": "Book\n====\n\n.. toctree::\n\n   a\n   b\n",
        "a": """
        A
        =

        Text of a.

        .. figure:: dot.png
           :name: a-first

           First of a.

        .. figure:: dot.png
           :name: a-second

           Second of a.
        """,
        "b": """
        B
        =

        .. figure:: dot.png
           :name: b-only

           Only of b.

        .. table:: A table of b
           :name: b-table

           = =
           x y
           = =
        """,
    }.items()
}


def write(src: Path, pages: dict[str, str], conf: str = "") -> None:
    """The project's files; only those whose text changed are written (Sphinx reads again what is newer)."""
    src.mkdir(parents=True, exist_ok=True)
    files = {"conf.py": f"numfig = True\n{conf}"}
    files.update({f"{name}.rst": text for name, text in pages.items()})
    for name, text in files.items():
        if not (src / name).is_file() or (src / name).read_text(encoding="utf-8") != text:
            (src / name).write_text(text, encoding="utf-8")
    (src / "dot.png").write_bytes(DOT_PNG)


def build(src: Path, out: Path) -> dict:
    """Build (incrementally, if out holds an earlier build); the figure numbers by page."""
    warnings = io.StringIO()
    with docutils_namespace():
        app = Sphinx(str(src), str(src), str(out / "html"), str(out / "doctrees"), "html", status=None, warning=warnings)
        app.build()
    assert not warnings.getvalue(), warnings.getvalue()
    return {doc: {kind: dict(numbers) for kind, numbers in kinds.items()} for doc, kinds in app.env.toc_fignumbers.items()}


def fresh_numbers(tmp_path: Path, pages: dict[str, str], name: str, conf: str = "") -> dict:
    write(tmp_path / name / "src", pages, conf)
    return build(tmp_path / name / "src", tmp_path / name / "out")


def shown(out: Path, page: str, figure: str) -> str:
    """The number the page shows in the caption of ``figure``."""
    html = (out / "html" / f"{page}.html").read_text(encoding="utf-8")
    start = html.index(f'id="{figure}"')
    return html[html.index('caption-number">', start) :].split(">", 1)[1].split("<", 1)[0].strip()


def test_numbers_follow_every_edit(tmp_path):
    src, out = tmp_path / "book" / "src", tmp_path / "book" / "out"
    pages = dict(PAGES)
    write(src, pages)
    numbers = build(src, out)
    assert numbers == {
        "a": {"figure": {"a-first": (1,), "a-second": (2,)}},
        "b": {"figure": {"b-only": (3,)}, "table": {"b-table": (1,)}},
    }

    # A prose edit: the numbers stay.
    pages["a"] = pages["a"].replace("Text of a.", "Text of a, edited.")
    write(src, pages)
    assert build(src, out) == numbers
    assert shown(out, "b", "b-only") == "Fig. 3"

    # A new figure at the top of a: every later figure moves, on the page not read again too.
    pages["a"] = pages["a"].replace("Text of a, edited.", "Text of a, edited.\n\n.. figure:: dot.png\n   :name: a-new\n\n   New in a.\n")
    write(src, pages)
    numbers = build(src, out)
    assert numbers == fresh_numbers(tmp_path, pages, "fresh1")
    assert numbers["b"]["figure"] == {"b-only": (4,)}
    assert shown(out, "b", "b-only") == "Fig. 4"

    # A figure losing its caption is no longer numbered (Sphinx numbers only captioned ones).
    pages["a"] = pages["a"].replace("   First of a.\n", "")
    write(src, pages)
    numbers = build(src, out)
    assert numbers == fresh_numbers(tmp_path, pages, "fresh2")
    assert "a-first" not in numbers["a"]["figure"] and numbers["b"]["figure"] == {"b-only": (3,)}
    assert shown(out, "b", "b-only") == "Fig. 3"

    # A page leaving the book takes its numbers with it.
    pages["index"] = pages["index"].replace("   b\n", "")
    pages.pop("b")
    (src / "b.rst").unlink()
    write(src, pages)
    assert build(src, out) == fresh_numbers(tmp_path, pages, "fresh3") == {"a": numbers["a"]}


def test_numbers_follow_a_reordered_toctree_and_numbered_sections(tmp_path):
    """Chapters reordered in the toctree, then numbered, then a numbered section added: each time the
    pages show what a fresh build shows, on the pages that were not read again too."""
    src, out = tmp_path / "book" / "src", tmp_path / "book" / "out"
    conf = "numfig_secnum_depth = 2\n"  # figures numbered within sections: a new section moves them
    pages = dict(PAGES)
    write(src, pages, conf)
    build(src, out)
    assert shown(out, "a", "a-first") == "Fig. 1" and shown(out, "b", "b-only") == "Fig. 3"

    pages["index"] = pages["index"].replace("   a\n   b\n", "   b\n   a\n")
    write(src, pages, conf)
    numbers = build(src, out)
    assert numbers == fresh_numbers(tmp_path, pages, "reordered", conf)
    assert numbers["b"]["figure"] == {"b-only": (1,)} and numbers["a"]["figure"] == {"a-first": (2,), "a-second": (3,)}
    assert shown(out, "b", "b-only") == "Fig. 1" and shown(out, "a", "a-first") == "Fig. 2"

    pages["index"] = pages["index"].replace(".. toctree::\n", ".. toctree::\n   :numbered:\n")
    write(src, pages, conf)
    numbers = build(src, out)
    assert numbers == fresh_numbers(tmp_path, pages, "numbered", conf)
    assert shown(out, "b", "b-only") == "Fig. 1.1" and shown(out, "a", "a-second") == "Fig. 2.2"

    # A numbered section in a, before its second figure: that figure becomes the section's first.
    pages["a"] = pages["a"].replace(".. figure:: dot.png\n   :name: a-second", "Part\n----\n\n.. figure:: dot.png\n   :name: a-second")
    write(src, pages, conf)
    numbers = build(src, out)
    assert numbers == fresh_numbers(tmp_path, pages, "sectioned", conf)
    assert shown(out, "a", "a-second") == "Fig. 2.1.1" and shown(out, "b", "b-only") == "Fig. 1.1"
