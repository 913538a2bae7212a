"""Bring your own lectures: Jupyter, Colab and Quarto notebooks as chapters of the book.

    python -m coursebook.importer NOTEBOOK.ipynb|FOLDER [--name 09_topic]     (make import NB=...)

jupytext reads and writes the formats and nbformat validates; this package adds the mapping of
Colab's and Quarto's conventions onto the book's (docs/importing.md). Every notebook is converted
in memory first; only when all of them convert are lectures/ and _toc.yml written, in one step.
"""

from __future__ import annotations

from pathlib import Path

from .chapter import Converted, convert
from .placing import CHAPTER_DIR, next_names, toc_with, write_all
from .reading import ImportRefused, read_notebook

__all__ = ["Converted", "ImportRefused", "import_notebooks"]


def notebooks_in(path: Path) -> list[Path]:
    if path.is_dir():
        found = sorted(p for p in path.glob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        if not found:
            raise ImportRefused(f"{path}: no .ipynb file in this folder.")
        return found
    if not path.is_file():
        raise ImportRefused(f"{path}: no such file or folder.")
    return [path]


def import_notebooks(paths: list[Path], root: Path, name: str | None = None) -> list[Converted]:
    """Convert every notebook, then write all the chapters and their _toc.yml lines (or nothing)."""
    notebooks = [nb for path in paths for nb in notebooks_in(path)]
    if name and len(notebooks) > 1:
        raise ImportRefused("NAME= names one chapter; a folder of notebooks is named after its files.")
    names = next_names(root, [p.stem for p in notebooks], name)
    converted = []
    for path, chapter_name in zip(notebooks, names):
        notes: list[str] = []
        converted.append(convert(read_notebook(path, notes), path, chapter_name, notes))
    files = {f"{CHAPTER_DIR}/{c.name}.md": c.text.encode("utf-8") for c in converted}
    for chapter in converted:
        files.update({f"{CHAPTER_DIR}/{image}": data for image, data in chapter.images.items()})
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    files["_toc.yml"] = toc_with(toc, [c.name for c in converted]).encode("utf-8")
    write_all(root, files)
    return converted
