"""A throwaway copy of the repository, and `make book`'s builder run in it.

Used by `make reproducible`, `make bench`, `make gpu-check` and the tests that build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from coursebook.layout import ROOT

SKIP = {".venv", "_build", ".git", ".pytest_cache", "__pycache__"}


def copy_repo(dest: Path, with_cache: bool = False) -> Path:
    """Copy the working tree (no .venv, no builds); optionally bring the execution cache along."""
    shutil.copytree(ROOT, dest, ignore=lambda _dir, names: [n for n in names if n in SKIP or n.endswith(".egg-info")])
    if with_cache:
        for name in (".jupyter_cache", "execution.json"):
            source = ROOT / "_build" / name
            if source.is_dir():
                shutil.copytree(source, dest / "_build" / name)
            elif source.is_file():
                (dest / "_build").mkdir(exist_ok=True)
                shutil.copy2(source, dest / "_build" / name)
    return dest


def build(repo: Path, *options: str, timeout: float | None = None, **env: str) -> subprocess.CompletedProcess:
    """Run `make book`'s builder in the copy, importing the copy's own src/ (also in the kernels)."""
    return run_tool(repo, "build", *options, timeout=timeout, **env)


def run_tool(repo: Path, command: str, *options: str, timeout: float | None = None, **env: str) -> subprocess.CompletedProcess:
    """Run one of the generator's commands (`python -m coursebook command`) in the copy, importing the copy's own src/."""
    # A copy's build is not the CI job's: it writes nothing to the job's summary or outputs unless told to.
    inherited = {k: v for k, v in os.environ.items() if k not in ("GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT")}
    environ = {**inherited, "PYTHONPATH": str(repo / "src"), **env}
    return subprocess.run(
        [sys.executable, "-m", "coursebook", command, *options],
        cwd=repo,
        env=environ,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
