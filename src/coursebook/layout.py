"""Where the project's files are, and which of them a page is made from.

The build, the executor, the preview server and the tests all import these
names, so they agree on what counts as an input.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"  # everything generated; `make clean` removes it
SITE = BUILD / "html"  # the published site

# Everything a page is made from: when none of it changed, neither did the site.
INPUTS = ("lectures", "book", "src", "tools", "_toc.yml", "_config.yml", "requirements.txt")
# What every page shares: when any of it changed, every page is read and written again.
FRAME = ("book/_ext", "book/_static", "book/_templates", "_toc.yml", "_config.yml")
# Generated next to the inputs, never one of them.
NOT_INPUTS = {"__pycache__", "_build"}


def files_under(*names: str) -> list[Path]:
    """The files of these paths of the repository, without caches and build outputs."""
    paths = [ROOT / name for name in names]
    found = [f for p in paths for f in (p.rglob("*") if p.is_dir() else [p]) if f.is_file()]
    # *.egg-info: pip's record of the editable install (its PKG-INFO holds the README); copies leave it out
    return [f for f in found if not any(part in NOT_INPUTS or part.endswith(".egg-info") for part in f.relative_to(ROOT).parts)]


def fingerprint(paths: list[Path], extra: str = "") -> str:
    """A short hash of the files' contents (and ``extra``), stable across machines."""
    digest = hashlib.sha256(extra.encode())
    for path in sorted(paths):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
