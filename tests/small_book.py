"""A small book to build in a throwaway copy of the repository.

The copy has this checkout's tools, src/ and book/ frame, and only the chapters a
test writes, so a build takes seconds instead of the whole book's minutes.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from coursebook.chapters import FRONT_MATTER
from coursebook.build.repo_copy import copy_repo


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


def waiting_chapter(title: str, printed: str) -> str:
    """A chapter that creates the file `waiting` at the top of the copy (not an input) once its cell
    runs, then runs until its test creates the file `go` there, then prints the expression ``printed``;
    it gives up after two minutes, so that no kernel outlives a failed test for long."""
    return chapter(
        title,
        f"""
        import pathlib, time
        pathlib.Path("../waiting").touch()
        deadline = time.monotonic() + 120
        while not pathlib.Path("../go").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        print({printed})
        """,
    )


def _signals_as_from_a_shell() -> None:
    """A shell starts a command with Ctrl-C and termination unblocked and handled by default, whatever
    the test process inherited or set: without this, `make book` and its kernels would inherit them."""
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)


@contextmanager
def started_build(repo: Path, *command: str) -> Iterator[subprocess.Popen]:
    """`make book` (or another command) running in the copy, in its own process group as from a terminal;
    whatever a failed test left running is killed afterwards."""
    command = command or ("make", "-o", ".venv/.installed", f"PY={sys.executable}", "book")  # -o: the copy has no .venv
    process = subprocess.Popen(
        command,
        cwd=repo,
        env={**os.environ, "PYTHONPATH": str(repo / "src"), "COURSEBOOK_DEVICE": "cpu"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        preexec_fn=_signals_as_from_a_shell,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        process.stdout.close()


def read_until(process: subprocess.Popen, *texts: str, timeout: float = 300) -> str:
    """What the process printed up to the line where all of texts have appeared."""
    seen, deadline = [], time.monotonic() + timeout
    while not all(text in "".join(seen) for text in texts):
        line = process.stdout.readline()
        assert line and time.monotonic() < deadline, f"never printed {texts}:\n{''.join(seen)}"
        seen.append(line)
    return "".join(seen)


def snapshot(site: Path) -> dict[str, str]:
    """Every file of a site and a digest of its bytes."""
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}
