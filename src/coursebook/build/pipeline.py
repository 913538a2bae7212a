"""`python -m coursebook build` (make book): check the tools and sources, execute the chapters, build the site, check it, publish it.

The site is built into _build/staging and copied to _build/html only when the
whole build succeeded and the staged site passed coursebook.build.site_check, so a
failed or interrupted build never leaves a half-updated site. Every failure is
also written to _build/reports/ (CI uploads that folder when a build fails).
One build at a time per checkout: a second one waits for the first.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import io
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from coursebook.pdf.printer import pdf_files
from coursebook.chapters import SourceError, checked_chapters
from coursebook.git import head_commit
from coursebook.execution.executor import ANSI, ExecutionFailed, Interrupted, environment_fingerprint
from coursebook.build.lock import one_build_at_a_time
from coursebook.layout import BUILD, FRAME, INPUTS, ROOT, SITE, files_under, fingerprint, settings
from coursebook.sharding import execute_for_build, gpu_runner

STAGING = BUILD / "staging"
REPORTS = BUILD / "reports"
REINSTALL = "Reinstall the pinned environment: rm -rf .venv && make book"
SITE_STAMP = BUILD / "html.inputs"  # what the published site was built from
STAGING_STAMP = BUILD / "staging.frame"  # the frame the staged pages were completely written with


class ToolMissing(Exception):
    """A required tool is missing or broken; the message says which and how to fix it."""


class SphinxInterrupted(BaseException):
    """Ctrl-C while Sphinx runs: not a KeyboardInterrupt, which Sphinx would catch and announce itself."""


def _interrupt_sphinx(signum, frame) -> None:
    raise SphinxInterrupted


def build(fresh: bool = False, warm_kernels: bool = True, pdf: bool = False, shards: list[Path] = ()) -> int:
    """``shards``: folders of `make execute SHARD=k/N SHARD_DIR=...` to merge first (coursebook.sharding)."""
    started = time.perf_counter()
    shutil.rmtree(REPORTS, ignore_errors=True)
    inputs = fingerprint(
        files_under(*INPUTS, settings()["chapters"]),
        extra=environment_fingerprint() + _head_commit() + gpu_runner() + ("+pdf" if pdf else ""),
    )
    if not fresh and not shards and SITE.exists() and _read(SITE_STAMP) == inputs:
        print(f"nothing changed since the last build: {SITE / 'index.html'} is up to date")
        return 0
    try:
        preflight()
        chapters = checked_chapters()
        warn_about_prose()
        execute_for_build(chapters, warm_kernels, shards)
    except ExecutionFailed as error:
        for outcome in error.outcomes:
            _report(outcome.chapter.docname.replace("/", "__") + ".log", outcome.report)
        return _fail(str(error))
    except (ToolMissing, SourceError) as error:
        return _fail(str(error))
    except Interrupted as stop:
        return interrupted(str(stop))
    sphinx_started = time.perf_counter()
    code, log = run_sphinx(fresh=fresh, pdf=pdf)
    print(f"sphinx: done in {time.perf_counter() - sphinx_started:.1f} s", flush=True)
    if code != 0:
        _report("sphinx.log", log)
        return _fail(describe_sphinx_failure(log))
    if pdf and (problem := print_pdfs()):
        return _fail(problem)
    from coursebook.build.site_check import all_problems

    changed = None if fresh else changed_since_published()
    if problems := all_problems(STAGING, only=changed):
        return _fail(
            "The built site has problems, so it was not published:\n  "
            + "\n  ".join(problems)
            + "\nFix the chapter or template that produces them and run `make book` again."
        )
    publish()
    SITE_STAMP.write_text(inputs)
    print(f"\nbuilt in {time.perf_counter() - started:.1f} s. Open {SITE / 'index.html'}")
    return 0


def warn_about_prose(shown: int = 10) -> None:
    """What `make check` would fail on, as warnings: a chapter being written still builds."""
    from coursebook.bilingual.check import source_findings

    if problems := source_findings():
        more = f"\n  ... and {len(problems) - shown} more" if len(problems) > shown else ""
        print("warning: `make check` would fail:\n  " + "\n  ".join(problems[:shown]) + more, flush=True)


def changed_since_published() -> set[Path]:
    """Staged files that differ from the published site's (only these need checking again)."""
    changed = set()
    for staged in STAGING.rglob("*"):
        published = SITE / staged.relative_to(STAGING)
        if staged.is_file() and not (published.is_file() and published.read_bytes() == staged.read_bytes()):
            changed.add(staged)
    return changed


def _head_commit() -> str:
    """The checked-out commit (pages are stamped with it); empty outside a git checkout."""
    return head_commit(ROOT)


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except OSError:
        return None


def preflight() -> None:
    """Fail early, with the fix, when a tool the chapters need is missing or broken."""
    problems = []
    # What the build needs besides the packages it imports itself (`coursebook: required_modules:`).
    for module, purpose in settings()["required_modules"].items():
        try:
            if module == "pygraphviz":
                _draw_test_graph()
            elif importlib.util.find_spec(module) is None:
                raise ImportError(f"No module named {module!r}")
        except Exception as error:  # an ImportError, or a Graphviz that cannot draw
            problems.append(f"  - {module} ({purpose}): {type(error).__name__}: {error}")
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        KernelSpecManager().get_kernel_spec("python3")
    except Exception as error:
        problems.append(f"  - the 'python3' Jupyter kernel, which executes the chapters: {type(error).__name__}: {error}")
    if problems:
        raise ToolMissing("required tools are missing or broken:\n" + "\n".join(problems) + f"\n{REINSTALL}")


def _draw_test_graph() -> None:
    """Import pygraphviz and lay out a graph: a Graphviz that cannot draw fails here, not in a chapter."""
    import pygraphviz

    with tempfile.TemporaryFile() as sink:
        saved = os.dup(2)
        os.dup2(sink.fileno(), 2)  # Graphviz's C library prints font notices on fd 2
        try:
            pygraphviz.AGraph("digraph { a -> b }").draw(format="svg", prog="dot")
        except Exception as error:
            sink.seek(0)
            raise RuntimeError(f"{error} {sink.read().decode(errors='replace').strip()}".strip()) from None
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def print_pdfs() -> str | None:
    """`make pdf`: print the staged site into a PDF per language, beside its pages (None, or what failed)."""
    from coursebook.pdf.printer import print_book

    started = time.perf_counter()
    print("pdf: printing the book", flush=True)
    try:
        print_book(STAGING, STAGING)
    except Exception as error:  # Chromium missing or failing: say so, keep the last good site
        return f"Printing the PDF failed: {type(error).__name__}: {error}"
    print(f"pdf: done in {time.perf_counter() - started:.1f} s", flush=True)
    return None


def run_sphinx(fresh: bool, pdf: bool = False) -> tuple[int, str]:
    """Build the staged site; return Sphinx's status and what it printed on stderr (its warnings)."""
    from jupyter_book.sphinx import build_sphinx  # slow import: only when building

    print("sphinx: reading and writing pages", flush=True)
    # The one rule for what every page shares: when the frame (the table of contents, the
    # configuration, the extensions with their templates and static files, and the commit each
    # page is stamped with) is not the one the staged pages were completely written with, Sphinx
    # starts over: an empty folder, every page read and written again. Sphinx itself never deletes
    # the page of a removed source and never notices an edited extension. Otherwise it reads and
    # writes only the pages that changed. A run that does not finish (a warning, Ctrl-C) leaves
    # no stamp, so the next one starts over too: it may have stored pages whose warnings will not repeat.
    frame = fingerprint(files_under(*FRAME), extra=_head_commit() + ("+pdf" if pdf else ""))  # +pdf: links and files
    fresh = fresh or _read(STAGING_STAMP) != frame
    STAGING_STAMP.unlink(missing_ok=True)
    if fresh:
        shutil.rmtree(STAGING, ignore_errors=True)
    log = io.StringIO()
    stderr, sys.stderr = sys.stderr, _Tee(sys.stderr, log)  # build_sphinx writes warnings to sys.stderr
    sigint = signal.signal(signal.SIGINT, _interrupt_sphinx)
    try:
        result = build_sphinx(
            str(ROOT),
            str(STAGING),
            noconfig=True,
            path_config=str(ROOT / "_config.yml"),
            doctreedir=str(BUILD / "doctrees"),
            confoverrides={
                "nitpicky": True,
                "external_toc_path": str(ROOT / "_toc.yml"),
                "latex_individualpages": False,
                "coursebook_pdfs": pdf_files() if pdf else {},
            },
            warningiserror=True,
            keep_going=True,
            freshenv=fresh,
            quiet=True,
        )
    finally:
        sys.stderr = stderr
        signal.signal(signal.SIGINT, sigint)
    if not isinstance(result, int):
        log.write(f"\nSphinx stopped: {type(result).__name__}: {result}\n")
        return 1, log.getvalue()
    if result == 0:
        STAGING_STAMP.write_text(frame)
    return result, log.getvalue()


def describe_sphinx_failure(log: str) -> str:
    """The warnings (with paths relative to the repository), then what to do."""
    lines = [ANSI.sub("", line).replace(f"{ROOT}{os.sep}", "") for line in log.splitlines()]
    problems = [line for line in lines if re.search(r"\b(WARNING|ERROR|CRITICAL|SEVERE)\b|Sphinx stopped", line)]
    listed = "\n  ".join(problems or lines[-10:] or ["(Sphinx printed nothing)"])
    return (
        f"Sphinx found problems in the pages (warnings count as errors):\n  {listed}\n"
        "Fix each file:line named above (a broken reference, a missing image, ...) and run `make book` again."
    )


class _Tee(io.TextIOBase):
    def __init__(self, *streams) -> None:
        self.streams = streams

    def write(self, text: str) -> int:
        for stream in self.streams:
            stream.write(text)
        return len(text)

    def flush(self) -> None:
        for stream in self.streams:
            stream.flush()


def publish() -> None:
    """Swap a copy of the staged site in as _build/html in one rename; a Ctrl-C meanwhile waits until it is done.

    A copy, because Sphinx rewrites the staged files in place in the next build. (Hard-linking the
    unchanged files bought 4% of a prose rebuild at 50 chapters: docs/measurements.md.)
    """
    incoming, outgoing = BUILD / "html.incoming", BUILD / "html.outgoing"
    for leftover in (incoming, outgoing):  # from a build that was killed here
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(STAGING, incoming)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        if SITE.exists():
            SITE.rename(outgoing)
        incoming.rename(SITE)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    shutil.rmtree(outgoing, ignore_errors=True)


def _report(name: str, text: str) -> None:
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / name).write_text(ANSI.sub("", text) + "\n", encoding="utf-8")


def _fail(message: str) -> int:
    _report("failure.txt", message)
    print(f"\nmake book FAILED:\n{message}", file=sys.stderr)
    kept = f"the last good site is still in {SITE.relative_to(ROOT)}; " if SITE.exists() else ""
    print(f"({kept}details in {REPORTS.relative_to(ROOT)}/)", file=sys.stderr)
    return 1


def interrupted(what: str = "chapters that finished are kept and will not run again") -> int:
    """Ctrl-C: one line, no traceback; the exit status a shell gives a process stopped by Ctrl-C."""
    site = f"{SITE.relative_to(ROOT)} still holds the last complete site" if SITE.exists() else "no site was published"
    print(f"\nmake book interrupted: {what}; {site}.", file=sys.stderr, flush=True)
    return 130


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fresh", action="store_true", help="re-read every page (executions stay cached)")
    parser.add_argument("--pdf", action="store_true", help="also print the book as PDF into the site and link it (make pdf)")
    parser.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="start a new Python for each chapter instead of forking one that has imported the preloads",
    )
    parser.add_argument(
        "--shards",
        nargs="*",
        type=Path,
        default=[],
        help="merge these folders of `make execute SHARD=k/N SHARD_DIR=...` and execute nothing they ran",
    )
    args = parser.parse_args()
    shards = [folder.resolve() for folder in args.shards]
    os.chdir(ROOT)
    try:
        with one_build_at_a_time():
            status = build(fresh=args.fresh, warm_kernels=not args.fresh_kernels, pdf=args.pdf, shards=shards)
    except (KeyboardInterrupt, SphinxInterrupted):  # Ctrl-C outside the chapters' execution, which handles its own
        status = interrupted()
    # Everything is written and closed by now. Skip the interpreter's teardown of Sphinx's
    # objects: it takes about 0.5 s, a fifth of a prose-only rebuild.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    main()
