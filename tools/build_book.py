"""`make book`: check the tools and sources, execute the chapters, build the site, check it, publish it.

The site is built into _build/staging and copied to _build/html only when the
whole build succeeded and the staged site passed tools/site_check.py, so a
failed build never leaves a half-updated site. Every failure is also written to
_build/reports/ (CI uploads that folder when a build fails).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .chapters import ROOT, SourceError, checked_chapters, fingerprint
from .execute import ANSI, ExecutionFailed, environment_fingerprint
from .shards import execute_for_build, gpu_runner

BUILD = ROOT / "_build"
STAGING = BUILD / "staging"
SITE = BUILD / "html"
REPORTS = BUILD / "reports"
FAILED_MARK = BUILD / "LAST_BUILD_FAILED"
REINSTALL = "Reinstall the pinned environment: rm -rf .venv && make book"
SITE_STAMP = BUILD / "html.inputs"  # what the published site was built from
STAGING_STAMP = BUILD / "staging.frame"  # the frame the staged pages were written with


def files_under(*names: str) -> list[Path]:
    """The files of these paths of the repository, without caches and build outputs."""
    paths = [ROOT / name for name in names]
    found = [f for p in paths for f in (p.rglob("*") if p.is_dir() else [p]) if f.is_file()]
    return [f for f in found if not {"__pycache__", "_build"} & set(f.relative_to(ROOT).parts)]


# Everything a page is made from: when none of it changed, neither did the site.
INPUTS = ("lectures", "book", "src", "tools", "_toc.yml", "_config.yml", "requirements.txt")
# What every page shares: the table of contents, the configuration, the extensions and templates.
FRAME = ("book/_ext", "book/_static", "book/_templates", "_toc.yml", "_config.yml")

# What the build needs besides the packages it imports itself, and what each is for.
REQUIRED_MODULES = {
    "pygraphviz": "Graphviz, which draws the diagrams; it ships inside the pygraphviz wheel",
    "torch": "PyTorch, which the chapters run",
    "matplotlib": "the plots",
    "koreanize_matplotlib": "the Korean font of the plots",
    "ipykernel": "the Python kernel that executes the chapters",
    "nnstep": "the book's shared package (src/nnstep, installed by make)",
}


class ToolMissing(Exception):
    """A required tool is missing or broken; the message says which and how to fix it."""


def build(fresh: bool = False, warm_kernels: bool = True, shards: list[Path] = ()) -> int:
    """``shards``: folders of `make execute SHARD=k/N SHARD_DIR=...` to merge first (tools/shards.py)."""
    started = time.perf_counter()
    shutil.rmtree(REPORTS, ignore_errors=True)
    inputs = fingerprint(files_under(*INPUTS), extra=environment_fingerprint() + _head_commit() + gpu_runner())
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
    # A failed Sphinx run may have stored documents whose warnings will not repeat:
    # after a failure, read everything again.
    sphinx_started = time.perf_counter()
    code, log = run_sphinx(fresh=fresh or FAILED_MARK.exists())
    print(f"sphinx: done in {time.perf_counter() - sphinx_started:.1f} s", flush=True)
    if code != 0:
        _report("sphinx.log", log)
        return _fail(describe_sphinx_failure(log))
    from .site_check import all_problems

    if problems := all_problems(STAGING, only=None if fresh else changed_since_published()):
        return _fail(
            "The built site has problems, so it was not published:\n  "
            + "\n  ".join(problems)
            + "\nFix the chapter or template that produces them and run `make book` again."
        )
    publish()
    SITE_STAMP.write_text(inputs)
    FAILED_MARK.unlink(missing_ok=True)
    print(f"\nbuilt in {time.perf_counter() - started:.1f} s. Open {SITE / 'index.html'}")
    return 0


def warn_about_prose(shown: int = 10) -> None:
    """What `make check` would fail on, as warnings: a chapter being written still builds."""
    from .check import source_findings

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
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except OSError:
        return None


def preflight() -> None:
    """Fail early, with the fix, when a tool the chapters need is missing or broken."""
    problems = []
    for module, purpose in REQUIRED_MODULES.items():
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


def run_sphinx(fresh: bool) -> tuple[int, str]:
    """Build the staged site; return Sphinx's status and what it printed on stderr (its warnings)."""
    from jupyter_book.sphinx import build_sphinx  # slow import: only when building

    print("sphinx: reading and writing pages", flush=True)
    # Sphinx never deletes the output of a page that lost its source; start from an empty folder
    # whenever the set of pages or their frame may have changed (and when the commit changed, so
    # every page's stamp names it). Otherwise only changed pages are written.
    frame = fingerprint(files_under(*FRAME), extra=_head_commit())
    if fresh or _read(STAGING_STAMP) != frame:
        shutil.rmtree(STAGING, ignore_errors=True)
        STAGING_STAMP.unlink(missing_ok=True)
    log = io.StringIO()
    stderr, sys.stderr = sys.stderr, _Tee(sys.stderr, log)  # build_sphinx writes warnings to sys.stderr
    try:
        result = build_sphinx(
            str(ROOT), str(STAGING), noconfig=True, path_config=str(ROOT / "_config.yml"),
            doctreedir=str(BUILD / "doctrees"), confoverrides={
                "nitpicky": True,
                "external_toc_path": str(ROOT / "_toc.yml"),
                "latex_individualpages": False,
            },
            warningiserror=True, keep_going=True, freshenv=fresh, quiet=True,
        )
    finally:
        sys.stderr = stderr
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
    """Swap the staged site in as _build/html in one rename."""
    incoming = BUILD / "html.incoming"
    shutil.rmtree(incoming, ignore_errors=True)
    shutil.copytree(STAGING, incoming)
    outgoing = BUILD / "html.outgoing"
    if SITE.exists():
        SITE.rename(outgoing)
    incoming.rename(SITE)
    shutil.rmtree(outgoing, ignore_errors=True)


def _report(name: str, text: str) -> None:
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / name).write_text(ANSI.sub("", text) + "\n", encoding="utf-8")


def _fail(message: str) -> int:
    BUILD.mkdir(exist_ok=True)
    FAILED_MARK.write_text(message + "\n")
    _report("failure.txt", message)
    print(f"\nmake book FAILED:\n{message}", file=sys.stderr)
    kept = f"the last good site is still in {SITE.relative_to(ROOT)}; " if SITE.exists() else ""
    print(f"({kept}details in {REPORTS.relative_to(ROOT)}/)", file=sys.stderr)
    return 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fresh", action="store_true", help="re-read every page (executions stay cached)")
    parser.add_argument("--fresh-kernels", action="store_true",
                        help="start a new Python for each chapter instead of forking one that has imported torch")
    parser.add_argument("--shards", nargs="*", type=Path, default=[],
                        help="merge these folders of `make execute SHARD=k/N SHARD_DIR=...` and execute nothing they ran")
    args = parser.parse_args()
    shards = [folder.resolve() for folder in args.shards]
    os.chdir(ROOT)
    status = build(fresh=args.fresh, warm_kernels=not args.fresh_kernels, shards=shards)
    # Everything is written and closed by now. Skip the interpreter's teardown of Sphinx's
    # objects: it takes about 0.5 s, a fifth of a prose-only rebuild.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    main()
