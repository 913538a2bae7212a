"""A throwaway copy of the repository to build in, and a local server for built sites."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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


def build(repo: Path, **env: str) -> subprocess.CompletedProcess:
    """Run `make book`'s builder in the copy, importing the copy's own src/ (also in the kernels)."""
    environ = {**os.environ, "PYTHONPATH": str(repo / "src"), **env}
    return subprocess.run(
        [sys.executable, "-m", "tools.build_book"], cwd=repo, env=environ, capture_output=True, text=True
    )


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def served(directory: Path, handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) while the block runs; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
