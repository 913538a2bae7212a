"""Chapter kernels forked from one process that has already imported the course's heavy libraries.

A fresh kernel costs each chapter about 2 s before its first line runs (starting
ipykernel, then importing a library such as torch), a fifth of a clean build on 2 cores. A "zygote"
process pays that once per build and forks a kernel for each chapter, so every
chapter still starts from a clean namespace in its own process.

A forked kernel must behave like a fresh one, so the zygote imports third-party
packages only (`coursebook: kernels: preload:`), never the book's own package (the
execution key's folders): each chapter imports that itself, and its import-time output
and warnings land in the chapter, as they do in a fresh kernel or on Colab. Forking is
used on Linux only, and only while the course's hooks (`kernels: hooks:`, a Python file)
see no reason against it, checked before every fork: e.g. CUDA cannot be used in a process
forked after it started. After each fork the hooks' `after_fork()` resets what a fresh
interpreter would not share (seeds, thread counts). Elsewhere, or when the zygote does not
start, `running_zygote` raises ZygoteUnavailable and the build runs each chapter
in a fresh Python.

jupyter_client still starts and manages an ordinary process per kernel: the small
launcher below. It hands its stdio, working directory, environment and connection
file to the zygote, forwards the signals it gets (interrupt, terminate) to the
forked kernel, and exits when the kernel does. If the launcher is killed, the
kernel notices and exits too.

    python warm_kernel.py serve SOCKET SETTINGS_JSON    # the zygote (stdin closed: it exits)
    python warm_kernel.py launch SOCKET -f FILE         # what jupyter_client starts per kernel

This file is run as a script, outside the coursebook package, so it imports only the standard library.
"""

from __future__ import annotations

import importlib
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

START_SECONDS = 120  # the zygote imports heavy libraries; on a loaded machine that can take a while
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"  # what ipykernel itself selects
FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT, signal.SIGHUP)


class ZygoteUnavailable(Exception):
    """Forked kernels cannot be used here; the message says why (run fresh kernels instead)."""


@contextmanager
def running_zygote(env: dict[str, str], preload: list[str] = (), hooks: str = "", sources: list[str] = ()) -> Iterator[str]:
    """Start a zygote with the kernels' environment; yield the socket that launchers connect to.

    ``preload``: the modules it imports; ``hooks``: the course's hooks file ("": none); ``sources``:
    the folders of the course's own code, which it must not import."""
    if sys.platform != "linux":
        raise ZygoteUnavailable(f"forked kernels are used on Linux only, not on {sys.platform}")
    with tempfile.TemporaryDirectory(prefix="coursebook-kernels-") as folder:
        socket_path = str(Path(folder) / "zygote")
        with open(Path(folder) / "zygote.log", "w+") as log:
            zygote = subprocess.Popen(
                [
                    sys.executable,
                    __file__,
                    "serve",
                    socket_path,
                    json.dumps({"preload": list(preload), "hooks": hooks, "sources": [str(Path(f).resolve()) for f in sources]}),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                env=env,
                start_new_session=True,  # like any kernel: a Ctrl-C in the terminal stops the build, not a cell
            )
            try:
                _wait_until_ready(zygote, log)
                yield socket_path
            finally:  # every kernel it forked has ended by now; if the build dies instead, stdin's end tells it to exit
                zygote.kill()
                zygote.wait()
                zygote.stdin.close()


def _wait_until_ready(zygote: subprocess.Popen, log) -> None:
    """The zygote says "ready" once its imports are done and forking is safe; else stop it and say why."""
    events = selectors.DefaultSelector()
    events.register(zygote.stdout, selectors.EVENT_READ)
    if not events.select(START_SECONDS):
        raise ZygoteUnavailable(f"the warm-kernel process did not start (no answer within {START_SECONDS} s)")
    answer = zygote.stdout.readline().decode().strip()
    if answer == "ready":
        return
    log.seek(0)  # it ended: its last words are on stderr
    why = answer.removeprefix("refused: ") or (log.read().strip().splitlines() or ["it exited"])[-1]
    raise ZygoteUnavailable(f"the warm-kernel process did not start ({why})")


def launch_command(socket_path: str, connection_file: str) -> list[str]:
    """The kernel command for jupyter_client: this file's launcher, connecting to the zygote."""
    return [sys.executable, __file__, "launch", socket_path, "-f", connection_file]


def serve(socket_path: str, settings: dict | None = None) -> None:
    settings = settings or {}
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    listener.listen(64)
    # matplotlib reads MPLBACKEND when it is imported, so set it as ipykernel would have.
    os.environ["MPLBACKEND"] = os.environ.get("MPLBACKEND") or INLINE_BACKEND
    for name in settings.get("preload", []):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the chapter will raise it again, with a better place to say so
            pass
    if settings.get("hooks"):
        load_hooks(settings["hooks"])
    refusal = preload_refusal([Path(folder) for folder in settings.get("sources", [])]) or fork_refusal()
    print(f"refused: {refusal}" if refusal else "ready", flush=True)
    if refusal:
        return
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # exited kernels are reaped by the system, never left as zombies
    events = selectors.DefaultSelector()
    events.register(listener, selectors.EVENT_READ)
    events.register(sys.stdin, selectors.EVENT_READ)
    while True:
        for key, _ in events.select():
            if key.fileobj is sys.stdin:  # the build closed our stdin: it is over
                return
            connection, _ = listener.accept()
            _fork_kernel(connection, listener)


_hooks: dict = {}  # the course's hooks file, run once by the zygote: its fork_refusal and after_fork


def load_hooks(path: str | Path) -> None:
    """Run the course's hooks file (a plain Python file, not a module of its package)."""
    import runpy

    _hooks.clear()
    _hooks.update(runpy.run_path(str(path)))


def fork_refusal() -> str:
    """Why a kernel forked now would not behave like a fresh one ("" when it would); checked before every fork."""
    refusal = _hooks.get("fork_refusal")
    return refusal() if refusal else ""


def preload_refusal(sources: list[Path]) -> str:
    """Checked once, after the imports: none of them may have imported the book's own modules (under ``sources``)."""

    def ours(module) -> bool:
        where = Path(getattr(module, "__file__", None) or "/").resolve()
        return any(where.is_relative_to(folder) for folder in sources)

    project = sorted(name for name, module in list(sys.modules.items()) if ours(module))
    if project:
        return f"the zygote imported the book's own modules ({', '.join(project[:3])}), which each chapter must import itself"
    return ""


def _fork_kernel(connection: socket.socket, listener: socket.socket) -> None:
    _, fds, _, _ = socket.recv_fds(connection, 1, 3)
    request = json.loads(connection.makefile("rb").readline())
    if refusal := fork_refusal():  # the zygote runs nothing but its imports: this never happens
        for fd in fds:
            os.close(fd)
        connection.sendall(f"refused: {refusal}\n".encode())
        connection.close()
        return
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        for fd in fds:
            os.close(fd)
        connection.sendall(f"{pid}\n".encode())
        connection.close()
        return
    listener.close()
    try:
        _become_kernel(connection, fds, request)
    finally:
        os._exit(1)  # never return into the zygote's loop


def _become_kernel(connection: socket.socket, fds: list[int], request: dict) -> None:
    """In the forked child: take on the launcher's stdio, directory and environment, then run ipykernel."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # so that the chapter's subprocesses report exit codes
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.path[0] = request["cwd"]  # as `python -m ipykernel_launcher` run there would have it
    _fresh_process_state()
    threading.Thread(target=_exit_with_launcher, args=(connection,), daemon=True).start()
    sys.argv = ["ipykernel_launcher", "-f", request["connection_file"]]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
    os._exit(0)


def _fresh_process_state() -> None:
    """What differs between a fork and a fresh interpreter: thread counts read at import, random seeds."""
    import random

    random.seed()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    if after_fork := _hooks.get("after_fork"):
        after_fork()


def _exit_with_launcher(connection: socket.socket) -> None:
    """The launcher never writes; end of file means it died, and the kernel must not outlive it."""
    while connection.recv(1):
        pass
    os._exit(1)


def launch(socket_path: str, connection_file: str, wait_seconds: float = 30.0) -> None:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            connection.connect(socket_path)
            break
        except (FileNotFoundError, ConnectionRefusedError):  # not listening yet, or (after a while) gone
            if time.monotonic() > deadline:
                raise SystemExit(f"warm_kernel: no zygote is listening on {socket_path}")
            time.sleep(0.05)
    socket.send_fds(connection, [b"k"], [0, 1, 2])
    request = {"connection_file": os.path.realpath(connection_file), "cwd": os.getcwd(), "env": dict(os.environ)}
    connection.sendall(json.dumps(request).encode() + b"\n")
    reply = connection.makefile("rb").readline().decode().strip()
    if not reply.isdigit():
        raise SystemExit(f"warm_kernel: the zygote on {socket_path} did not start a kernel: {reply or 'it closed the connection'}")
    pid = int(reply)
    for signum in FORWARDED_SIGNALS:
        signal.signal(signum, lambda signum, _frame: os.kill(pid, signum))
    # The zygote closed its end; the kernel holds the other copy until it exits.
    while connection.recv(1):
        pass


def main(argv: list[str]) -> None:
    if len(argv) == 3 and argv[0] == "serve":
        serve(argv[1], json.loads(argv[2]))
    elif len(argv) == 4 and argv[0] == "launch" and argv[2] == "-f":
        launch(argv[1], argv[3])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
