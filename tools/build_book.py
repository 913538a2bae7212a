"""`make book`: check the sources, execute the chapters, build the site, publish it.

The site is built into _build/staging and copied to _build/html only when the
whole build succeeded, so a failed build never leaves a half-updated site.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from .chapters import ROOT, SourceError, checked_chapters
from .execute import ExecutionFailed, Executor

BUILD = ROOT / "_build"
STAGING = BUILD / "staging"
SITE = BUILD / "html"
FAILED_MARK = BUILD / "LAST_BUILD_FAILED"


def build(fresh: bool = False) -> int:
    started = time.perf_counter()
    try:
        chapters = checked_chapters()
        Executor(BUILD).run(chapters)
    except (SourceError, ExecutionFailed) as error:
        return _fail(str(error))
    # A failed Sphinx run may have stored documents whose warnings will not repeat:
    # after a failure, read everything again.
    code = run_sphinx(fresh=fresh or FAILED_MARK.exists())
    if code != 0:
        return _fail("Sphinx reported the warnings or errors above (warnings count as errors). Fix them and run `make book` again.")
    publish()
    FAILED_MARK.unlink(missing_ok=True)
    print(f"\nbuilt in {time.perf_counter() - started:.1f} s. Open {SITE / 'index.html'}")
    return 0


def run_sphinx(fresh: bool) -> int:
    from jupyter_book.sphinx import build_sphinx  # slow import: only when building

    print("sphinx: reading and writing pages", flush=True)
    result = build_sphinx(
        str(ROOT), str(STAGING), noconfig=True, path_config=str(ROOT / "_config.yml"),
        doctreedir=str(BUILD / "doctrees"), confoverrides={
            "nitpicky": True,
            "external_toc_path": str(ROOT / "_toc.yml"),
            "latex_individualpages": False,
        },
        warningiserror=True, keep_going=True, freshenv=fresh, quiet=True,
    )
    return result if isinstance(result, int) else 1


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


def _fail(message: str) -> int:
    BUILD.mkdir(exist_ok=True)
    FAILED_MARK.write_text(message + "\n")
    print(f"\nmake book FAILED:\n{message}", file=sys.stderr)
    if SITE.exists():
        print(f"(the last good site is still in {SITE.relative_to(ROOT)})", file=sys.stderr)
    return 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fresh", action="store_true", help="re-read every page (executions stay cached)")
    args = parser.parse_args()
    os.chdir(ROOT)
    sys.exit(build(fresh=args.fresh))


if __name__ == "__main__":
    main()
