"""The one way the generator asks git about the course: which commit, and whether files were edited since."""

from __future__ import annotations

import subprocess
from pathlib import Path


def head_commit(folder: str | Path) -> str:
    """The checked-out commit (40 hex digits), or "" outside a git checkout."""
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def has_edits(folder: str | Path) -> bool:
    """Whether tracked files differ from that commit."""
    try:
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=folder, capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(status.strip())
