"""One notebook as one MyST chapter: the book's conventions applied cell by cell, written by jupytext."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import jupytext
import nbformat
import yaml

from coursebook.chapters import front_matter, parse_chapter

from . import conventions, prose
from .reading import ImportRefused

KERNELSPEC = {"name": "python3", "display_name": "Python 3"}
SHELL_INSTALL = re.compile(r"^\s*[!%]\s*pip\s+install\b", re.M)
COLAB_ONLY = re.compile(r"^\s*(from\s+google\.colab\b|import\s+google\.colab\b)", re.M)


@dataclass
class Converted:
    name: str  # the chapter's name, e.g. "09_intro"
    source: Path
    text: str  # the MyST chapter
    images: dict[str, bytes]  # path under lectures/ -> bytes
    title: str
    notes: list[str] = field(default_factory=list)  # "cell 3: ..." lines for the report


def convert(nb: nbformat.NotebookNode, source: Path, name: str, notes: list[str]) -> Converted:
    def report(cell: int | None, text: str) -> None:
        notes.append(f"cell {cell}: {text}" if cell else text)

    cells = list(enumerate(nb.cells, start=1))
    meta: dict = {}
    if cells and (found := conventions.front_matter(cells[0][1].source)) is not None and cells[0][1].cell_type in ("raw", "markdown"):
        meta = found
        cells = cells[1:]
        report(1, "front matter read (title, author, date) and removed from the page")
    title = str(meta.get("title") or nb.metadata.get("title") or "").strip()
    if not meta:
        authors = nb.metadata.get("authors")
        if authors:
            meta = {"author": authors}
    images = prose.Images(f"images/{name}", source.parent)
    out: list[nbformat.NotebookNode] = []
    for number, cell in cells:
        cell.source = cell.source.strip("\n")
        if cell.cell_type == "markdown":
            text = markdown(cell, number, images, report)
            if text.strip():
                out.append(nbformat.v4.new_markdown_cell(text))
        elif cell.cell_type == "code":
            out.append(code(cell, number, report))
        else:
            report(
                number,
                f"a raw cell ({cell.metadata.get('format') or cell.metadata.get('raw_mimetype') or 'no format'}) "
                "is not shown in the book: kept in the chapter as a raw cell",
            )
            out.append(nbformat.v4.new_raw_cell(cell.source))
    title = _titled(out, title, fallback=source.stem.replace("_", " "))
    # The lexer makes jupytext write "{code-cell} ipython3", as the book's chapters are written.
    chapter = nbformat.v4.new_notebook(cells=out, metadata={"language_info": {"name": "python", "pygments_lexer": "ipython3"}})
    text = jupytext.writes(chapter, fmt="md:myst")
    header = {
        "jupytext": {"text_representation": {"extension": ".md", "format_name": "myst"}},
        "kernelspec": KERNELSPEC,
        **conventions.author_and_date(meta),
    }
    kernel = nb.metadata.get("kernelspec", {}).get("language") or nb.metadata.get("language_info", {}).get("name")
    if kernel and kernel != "python":
        report(None, f"the notebook's kernel is {kernel!r}; the book runs every chapter in Python 3")
    front = "---\n" + yaml.safe_dump(header, allow_unicode=True, sort_keys=False) + "---\n"
    text = front + _body(text, source)
    _check_round_trip(text, chapter, source)
    return Converted(name, source, text, images.files, title, notes)


def markdown(cell: nbformat.NotebookNode, number: int, images: prose.Images, report: conventions.Report) -> str:
    text = conventions.drop_colab_links(cell.source, number, report)
    text = prose.sanitise(text, number, report)
    text = prose.images(text, number, cell.get("attachments", {}), images, report)
    text = conventions.shortcodes(text, number, report)
    text = conventions.divs(text, number, report)
    text = _escape_braces(text, number, report)
    return prose.in_language_blocks(prose.blocks(text))


def code(cell: nbformat.NotebookNode, number: int, report: conventions.Report) -> nbformat.NotebookNode:
    source, tags = conventions.cell_options(cell.source, number, report)
    tags = [*cell.metadata.get("tags", []), *tags]
    errors = [out for out in cell.get("outputs", []) if out.get("output_type") == "error"]
    if errors and "raises-exception" not in tags:
        tags.append("raises-exception")
        report(
            number,
            f"its saved output is an error ({errors[0].get('ename')}): tagged raises-exception, "
            "so the build runs it and expects that error",
        )
    if SHELL_INSTALL.search(source) and "skip-execution" not in tags:
        tags.append("skip-execution")
        report(
            number,
            "installs packages (pip install): not run by the build (tagged skip-execution); "
            "list the packages in requirements.txt instead. Readers' notebooks still run it",
        )
    elif COLAB_ONLY.search(source) and "skip-execution" not in tags:
        tags.append("skip-execution")
        report(number, "uses google.colab, which exists only in Colab: not run by the build (tagged skip-execution)")
    stderr = [out for out in cell.get("outputs", []) if out.get("output_type") == "stream" and out.get("name") == "stderr"]
    if stderr and "remove-stderr" not in tags:
        tags.append("remove-stderr")
        first = "".join(stderr[0].get("text", "")).strip().splitlines()[:1]
        report(
            number,
            f"wrote to stderr when it was saved ({first[0][:60] if first else 'a warning'}...): tagged remove-stderr, "
            "so the page leaves it out; remove the tag to have the build check it",
        )
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if "application/javascript" in data or prose.SCRIPT.search(str(data.get("text/html", ""))):
            report(number, "a saved output carried a script: saved outputs are not imported (the build runs the cell again)")
            break
    metadata = {"tags": list(dict.fromkeys(tags))} if tags else {}
    return nbformat.v4.new_code_cell(source, metadata=metadata)


def _escape_braces(text: str, number: int, report: conventions.Report) -> str:
    """``{{`` left in prose would be read as a MyST substitution, which fails the build: keep it as text."""
    outside_code = re.split(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", text, flags=re.S)  # code shows its braces as they are
    found = False
    for index in range(0, len(outside_code), 2):
        if "{{" in outside_code[index]:
            found = True
            outside_code[index] = outside_code[index].replace("{{", "&#123;&#123;")
    if found:
        report(number, "'{{' in the prose is kept as text (the book reads '{{ name }}' as a substitution)")
    return "".join(outside_code)


def _titled(cells: list[nbformat.NotebookNode], title: str, fallback: str) -> str:
    """Make the chapter's title its one top heading (adding it unless the notebook opens with it),
    and renumber the other headings below it without skipping a level (MyST warns about a skip)."""
    top = _headings(cells[0]) if cells and cells[0].cell_type == "markdown" else []
    opens_with = top[0][1]["title"] if top and top[0][0] == 0 else None
    if opens_with is None or (title and opens_with != title):
        title = title or fallback
        cells.insert(0, nbformat.v4.new_markdown_cell(f"# {title}"))
    title = title or opens_with
    levels = [len(m["hashes"]) for cell in cells[1:] for _, m in _headings(cell)]
    top_rest = [len(m["hashes"]) for _, m in _headings(cells[0])[1:]]
    base = min(levels + top_rest, default=2)
    previous = 1
    for position, cell in enumerate(cells):
        lines = cell.source.split("\n")
        for number, match in _headings(cell):
            if position == 0 and number == 0:
                lines[0] = f"# {match['title']}"
                continue
            level = max(2, min(len(match["hashes"]) - base + 2, previous + 1))
            lines[number] = f"{'#' * level} {match['title']}"
            previous = level
        cell.source = "\n".join(lines)
    return title


def _headings(cell: nbformat.NotebookNode) -> list[tuple[int, re.Match]]:
    """(line number, match) of each heading of a markdown cell, outside fenced blocks."""
    if cell.cell_type != "markdown":
        return []
    found, fence = [], None
    for number, line in enumerate(cell.source.split("\n")):
        if fence:
            if re.match(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$", line):
                fence = None
        elif marked := prose.FENCE.match(line):
            fence = marked["mark"]
        elif match := prose.HEADING.match(line):
            found.append((number, match))
    return found


def _body(text: str, source: Path) -> str:
    """jupytext's MyST without its own front matter (the chapter's is written above it)."""
    _, text = front_matter(text, str(source))
    return text if text.startswith("\n") else "\n" + text


def _check_round_trip(text: str, chapter: nbformat.NotebookNode, source: Path) -> None:
    """The chapter, read as the build reads it, has the same code: nothing of the lesson's code lost on the way."""
    back = parse_chapter(source.with_suffix(".md"), text)
    before = [c.source for c in chapter.cells if c.cell_type == "code"]
    after = [c.source for c in back.cells if c.cell_type == "code"]
    if before != after:
        raise ImportRefused(
            f"{source}: the MyST chapter would not read back with the same code cells; "
            "please report this notebook (written by jupytext, read back by myst-nb)."
        )
