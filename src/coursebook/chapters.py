"""The book's sources as the build sees them: config, table of contents, chapters.

This is the one reader of a chapter's source (MyST .md or .ipynb): its front matter (front_matter),
its cells as myst-nb reads them (parse_chapter) and its prose lines for the checks (chapter_prose).
Every check here fails with a message that names the file and says what to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import yaml

from coursebook.config import load
from coursebook.layout import ROOT

SUFFIXES = (".md", ".ipynb")  # a chapter is written in MyST, or is a notebook as Jupyter Book takes it
# What makes a .md file a notebook for myst-nb (and so executed): every chapter starts with it.
FRONT_MATTER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
---
"""


class SourceError(Exception):
    """A book source is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class Chapter:
    path: Path  # absolute path of the .md (or .ipynb) file
    docname: str  # e.g. "lectures/02_polynomial_regression"

    @property
    def relpath(self) -> str:
        return f"{self.docname}{self.path.suffix}"


def load_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(read_text(path))
    except yaml.YAMLError as error:
        raise SourceError(f"{path.name}{_yaml_problem(error)}: not valid YAML. Fix the file and build again.") from None
    if not isinstance(data, dict):
        raise SourceError(f"{path.name} must be a YAML mapping. Fix the file and build again.")
    return data


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        raise SourceError(f"{_rel(path)} is not valid UTF-8 (line {line}, byte {error.start}). Save it as UTF-8 and build again.") from None
    except FileNotFoundError:
        raise SourceError(f"{_rel(path)} does not exist. Create it, or remove what refers to it.") from None


def toc_docnames(root: Path = ROOT) -> list[str]:
    """Every document named in _toc.yml, in reading order (root first)."""
    toc = load_yaml(root / "_toc.yml")
    names: list[str] = []

    def walk(entries: list) -> None:
        for entry in entries or []:
            if "file" in entry:
                names.append(str(entry["file"]).removesuffix(".md").removesuffix(".ipynb"))
            walk(entry.get("sections", []))
            walk(entry.get("chapters", []))
            for part in entry.get("parts", []):
                walk(part.get("chapters", []))

    if "root" not in toc:
        raise SourceError("_toc.yml has no 'root:' entry. Add 'root: book/index'.")
    names.append(str(toc["root"]).removesuffix(".md"))
    walk(toc.get("chapters", []))
    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    return names


def checked_chapters(root: Path = ROOT) -> list[Chapter]:
    """The chapters in _toc.yml, after checking that sources and table of contents agree."""
    docnames = toc_docnames(root)
    missing = [name for name in docnames if _source(root, name) is None]
    if missing:
        raise SourceError(
            "_toc.yml lists files that do not exist: "
            + ", ".join(f"{name}.md" for name in missing)
            + ". Create them or remove their lines from _toc.yml."
        )
    listed = set(docnames)
    chapter_dir = load(root)["chapters"]
    orphans = sorted(
        path.relative_to(root).with_suffix("").as_posix() for path in (root / chapter_dir).glob("*") if path.suffix in SUFFIXES
    )
    orphans = [name for name in orphans if name not in listed]
    if orphans:
        raise SourceError(
            "chapters missing from _toc.yml: "
            + ", ".join(f"{name}{_source(root, name).suffix}" for name in orphans)
            + ". Add "
            + ", ".join(f'"- file: {name}"' for name in orphans)
            + f" under chapters: in _toc.yml, or move the file out of {chapter_dir}/."
        )
    chapters = [Chapter(_source(root, name), name) for name in docnames]
    for chapter in chapters:
        check_front_matter(chapter)
    return chapters


def _source(root: Path, docname: str) -> Path | None:
    """The chapter's file: MyST (.md) or, as Jupyter Book allows, a notebook (.ipynb)."""
    return next((path for suffix in SUFFIXES if (path := root / f"{docname}{suffix}").is_file()), None)


def check_front_matter(chapter: Chapter) -> None:
    if chapter.path.suffix != ".ipynb":  # a notebook's metadata is JSON, read by nbformat
        front_matter(read_text(chapter.path), chapter.relpath)


def front_matter(text: str, name: str) -> tuple[dict, str]:
    """A MyST chapter's front matter (the YAML between '---' on line 1 and the next '---'), and the text after it.

    ``name`` is the file, for the messages; ({}, text) when the chapter has none.
    """
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end == -1:
        raise SourceError(f"{name}: the front matter opened by '---' on line 1 is never closed. Add a closing '---' line.")
    try:
        meta = yaml.safe_load(text[3:end])
    except yaml.YAMLError as error:
        raise SourceError(f"{name}{_yaml_problem(error)}: the front matter is not valid YAML. Fix it and build again.") from None
    if meta is not None and not isinstance(meta, dict):
        raise SourceError(f"{name}: the front matter must be a YAML mapping (key: value lines).")
    return meta or {}, text[end + 4 :].removeprefix("\n")


def parse_chapter(path: Path, text: str | None = None, source_map: bool = False):
    """The chapter's cells, and its front matter as their metadata, read as the build reads them.

    A MyST file is read by myst-nb's reader (``source_map``: each cell's line, as the executor keeps
    it), a notebook by nbformat, as myst-nb does. None for plain markdown (no jupytext front matter):
    myst-nb does not take it for a notebook. ``text``: the file's text, when the caller has it.
    """
    import nbformat  # loaded only where chapters are read, not by every import of this module

    text = read_text(path) if text is None else text
    if path.suffix == ".ipynb":
        try:
            return nbformat.reads(text, as_version=4)
        except (ValueError, KeyError) as error:
            raise SourceError(
                f"{_rel(path)} is not a notebook that Jupyter can read ({error}). "
                "Open and save it in Jupyter, or fix the JSON, and check again."
            ) from None
    from myst_nb.core.read import is_myst_markdown_notebook, read_myst_markdown_notebook
    from myst_parser.config.main import MdParserConfig

    if not is_myst_markdown_notebook(text):
        return None
    return read_myst_markdown_notebook(text, MdParserConfig(), add_source_map=source_map, path=str(path))


class Prose(NamedTuple):
    """A chapter's MyST as the prose checks read it (coursebook.bilingual.pairs scans it)."""

    text: str
    cells: tuple[int, ...] = ()  # a notebook's: the cell of each line of ``text``, as Jupyter counts (from 1)

    def where(self, name: str, line: int) -> str:
        """``file:line``; in a notebook, ``file: cell N``."""
        return f"{name}:{line}" if not self.cells else f"{name}: {self.at(line)}"

    def at(self, line: int) -> str:
        return f"line {line}" if not self.cells else f"cell {self.cells[min(line, len(self.cells)) - 1]}"


def chapter_prose(path: Path) -> Prose:
    """The chapter's text; for a notebook, its markdown cells as the page shows them.

    myst-nb parses each markdown cell and puts what it holds side by side on the page, so a Korean
    block ending one cell and an English block opening the next are a pair, as in a MyST file. A code
    or raw cell between them parts them: it stands here as an empty code block, which the scan skips.
    Empty cells and cells tagged remove-cell are not on the page, and are left out.
    """
    if path.suffix != ".ipynb":
        return Prose(read_text(path))
    nb = parse_chapter(path)
    lines: list[str] = []
    cells: list[int] = []
    for number, cell in enumerate(nb.cells, start=1):
        tags = cell.get("metadata", {}).get("tags", [])
        if not cell.source.strip() or "remove-cell" in tags or "remove_cell" in tags:
            continue
        part = cell.source.splitlines() if cell.cell_type == "markdown" else ["```", "```"]
        lines += [*part, ""]
        cells += [number] * (len(part) + 1)
    return Prose("\n".join(lines), tuple(cells))


def _yaml_problem(error: yaml.YAMLError) -> str:
    """ ", line N (what is wrong)" from a YAML error (front matter is parsed from after the '---' on line 1)."""
    mark = getattr(error, "problem_mark", None)
    line = f", line {mark.line + 1}" if mark else ""
    return f"{line} ({getattr(error, 'problem', None) or error})"


def _rel(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)
