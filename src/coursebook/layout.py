"""Where the course's files are, and which of them a page is made from.

The build, the executor, the preview server and the tests all import these
names, so they agree on what counts as an input. The course is the folder of the
nearest _config.yml at or above the working directory (COURSEBOOK_ROOT overrides it).
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

from .config import load


def _course_root() -> Path:
    if os.environ.get("COURSEBOOK_ROOT"):
        return Path(os.environ["COURSEBOOK_ROOT"]).resolve()
    here = Path.cwd().resolve()
    return next((folder for folder in (here, *here.parents) if (folder / "_config.yml").is_file()), here)


ROOT = _course_root()
BUILD = ROOT / "_build"  # everything generated; `make clean` removes it
SITE = BUILD / "html"  # the published site

# Everything a page is made from: when none of it changed, neither did the site.
# The generator itself is one of them: GENERATOR, wherever it is installed.
GENERATOR = Path(__file__).resolve().parent
INPUTS = ("lectures", "book", "src", GENERATOR, "_toc.yml", "_config.yml", "requirements.txt")
# What every page shares (the generator's extensions, templates and assets among it): when any of
# it changed, every page is read and written again.
FRAME = (GENERATOR, "_toc.yml", "_config.yml")
# Generated next to the inputs, never one of them.
NOT_INPUTS = {"__pycache__", "_build"}


def files_under(*names: str | Path) -> list[Path]:
    """The files of these paths of the repository, without caches and build outputs."""
    paths = [name if isinstance(name, Path) else ROOT / name for name in names]
    found = [f for p in paths for f in (p.rglob("*") if p.is_dir() else [p]) if f.is_file()]
    # *.egg-info: pip's record of the editable install (its PKG-INFO holds the README); copies leave it out
    kept = [f for f in found if not any(part in NOT_INPUTS or part.endswith(".egg-info") for part in _relative(f).parts)]
    return list(dict.fromkeys(kept))


def _relative(path: Path) -> Path:
    """The path inside the course, or inside the folder the generator is installed in."""
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.relative_to(GENERATOR.parent)


def fingerprint(paths: list[Path], extra: str = "") -> str:
    """A short hash of the files' contents (and ``extra``), stable across machines."""
    digest = hashlib.sha256(extra.encode())
    for path in sorted(paths):
        digest.update(_relative(path).as_posix().encode())
        digest.update(path.read_bytes() if path.is_file() else b"\0absent")  # a course may have no requirements.txt
    return digest.hexdigest()[:16]


@cache
def settings() -> dict:
    """The course's `coursebook:` settings (coursebook.config)."""
    return load(ROOT)
