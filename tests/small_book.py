"""A small book to build in a throwaway copy of the repository.

The copy has this checkout's tools, src/ and book/ frame, and only the chapters a
test writes, so a build takes seconds instead of the whole book's minutes.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from tools.chapters import FRONT_MATTER
from tools.repo_copy import copy_repo


def chapter(title: str, *cells: str, prose: str = "Prose of this chapter.") -> str:
    """A chapter file: front matter, a bilingual title, a paragraph, then one code cell per source."""
    code = "".join(f"\n```{{code-cell}} ipython3\n{textwrap.dedent(cell).strip()}\n```\n" for cell in cells)
    return f"{FRONT_MATTER}\n# {title}\n\n{prose}\n{code}"


def small_book(dest: Path, chapters: dict[str, str]) -> Path:
    """Copy the repository to dest with these chapters ({name: text}) in lectures/ and _toc.yml, in order."""
    repo = copy_repo(dest)
    for old in (repo / "lectures").glob("*.md"):
        old.unlink()
    (repo / "book" / "index.md").write_text("# 시험 · Test book\n\n```{tableofcontents}\n```\n", encoding="utf-8")
    for name, text in chapters.items():
        (repo / "lectures" / f"{name}.md").write_text(text, encoding="utf-8")
    files = [f"lectures/{name}" for name in chapters] + ["book/glossary", "book/execution"]
    (repo / "_toc.yml").write_text("format: jb-book\nroot: book/index\nchapters:\n" + "".join(f"  - file: {f}\n" for f in files))
    return repo


def page(repo: Path, name: str) -> str:
    """The published page of lectures/<name>.md."""
    return (repo / "_build" / "html" / "lectures" / f"{name}.html").read_text(encoding="utf-8")
