"""Where imported chapters go: their names, lectures/, and their lines in _toc.yml, all or nothing."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import yaml

from .reading import ImportRefused

CHAPTER_DIR = "lectures"
NUMBERED = re.compile(r"^(?P<number>\d+)_")
TOC_CHAPTER = re.compile(rf"^(?P<indent>\s*)- file: {CHAPTER_DIR}/\S+\s*$")


def slug(stem: str) -> str:
    """``"03 Intro to ReLU (Colab)"`` -> ``"intro_to_relu_colab"``: the part of a name a URL keeps readable."""
    stem = NUMBERED.sub("", re.sub(r"^\d+[\s.-]+", "", stem))
    words = re.findall(r"[a-z0-9]+", stem.lower())
    return "_".join(words)[:50].strip("_") or "notebook"


def taken_names(root: Path) -> set[str]:
    """Chapter names in lectures/ or _toc.yml already (any file type)."""
    names = {path.stem for path in (root / CHAPTER_DIR).glob("*") if path.suffix in (".md", ".ipynb")}
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    names |= set(re.findall(rf"file:\s*{CHAPTER_DIR}/([^\s.]+)", toc))
    return names


def next_names(root: Path, stems: list[str], chosen: str | None = None) -> list[str]:
    """A numbered name for each notebook, after the book's last chapter; a name already taken is refused."""
    taken = taken_names(root)
    numbers = [int(m["number"]) for name in taken if (m := NUMBERED.match(name))]
    number = max(numbers, default=0)
    names = []
    for stem in stems:
        number += 1
        name = chosen if chosen and len(stems) == 1 else f"{number:02d}_{slug(stem)}"
        same = sorted(t for t in taken if t == name or (NUMBERED.sub("", t) == NUMBERED.sub("", name)))
        if same:
            raise ImportRefused(
                f"{stem}: the chapter name {name!r} is taken ({CHAPTER_DIR}/{same[0]}). "
                "Remove that chapter first, or give another name with NAME=<number>_<topic>."
            )
        if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
            raise ImportRefused(f"{name!r}: a chapter name may hold only letters, digits, '_' and '-'.")
        taken.add(name)
        names.append(name)
    return names


def toc_with(toc: str, names: list[str]) -> str:
    """_toc.yml with one `- file: lectures/<name>` line per new chapter, after the last chapter's line."""
    lines = toc.splitlines()
    last = max((i for i, line in enumerate(lines) if TOC_CHAPTER.match(line)), default=None)
    if last is None:
        at = next((i + 1 for i, line in enumerate(lines) if line.strip() == "chapters:"), None)
        if at is None:
            raise ImportRefused("_toc.yml has no 'chapters:' list to add the chapters to. Add 'chapters:' under 'root:'.")
        indent = "  "
    else:
        at, indent = last + 1, TOC_CHAPTER.match(lines[last])["indent"]
    new = lines[:at] + [f"{indent}- file: {CHAPTER_DIR}/{name}" for name in names] + lines[at:]
    text = "\n".join(new) + "\n"
    listed = yaml.safe_load(text)  # what the build will read must name every new chapter
    if not all(f"{CHAPTER_DIR}/{name}" in str(listed) for name in names):
        raise ImportRefused(
            "_toc.yml has a layout this importer cannot add to; add the chapters by hand: "
            + ", ".join(f"- file: {CHAPTER_DIR}/{n}" for n in names)
        )
    return text


def write_all(root: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` ({path under root: bytes}) so that either all of them change or none does.

    Everything is first written to a folder beside them, then moved into place; if a move fails,
    the ones already moved are put back as they were.
    """
    for relative in files:
        target = root / relative
        if target.exists() and not relative == "_toc.yml":
            raise ImportRefused(f"{relative} exists already; nothing was written. Remove it or choose another name.")
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=root))
    placed: list[tuple[Path, Path | None]] = []  # (target, its backup, None when it did not exist)
    try:
        for index, (relative, data) in enumerate(files.items()):
            staged = staging / str(index)
            staged.write_bytes(data)
        order = sorted(files, key=lambda r: r == "_toc.yml")  # the table of contents last
        for relative in order:
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            backup = None
            if target.exists():
                backup = staging / f"{len(placed)}.backup"
                shutil.copy2(target, backup)
            os.replace(staging / str(list(files).index(relative)), target)
            placed.append((target, backup))
    except BaseException:
        for target, backup in reversed(placed):
            if backup is None:
                target.unlink(missing_ok=True)
                for folder in target.parents:  # the image folders made for it
                    if folder == root or any(folder.iterdir()):
                        break
                    folder.rmdir()
            else:
                os.replace(backup, target)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
