"""Chapter kernels forked from one process that has already imported torch, matplotlib and nnstep.

A fresh kernel costs each chapter about 2 s before its first line runs (starting
ipykernel, then `import torch`), a fifth of a clean build on 2 cores. A "zygote"
process pays that once per build and forks a kernel for each chapter, so every
chapter still starts from a clean namespace in its own process.

jupyter_client still starts and manages an ordinary process per kernel: the small
launcher below. It hands its stdio, working directory, environment and connection
file to the zygote, forwards the signals it gets (interrupt, terminate) to the
forked kernel, and exits when the kernel does. If the launcher is killed, the
kernel notices and exits too.

    python tools/warm_kernel.py serve SOCKET             # the zygote (stdin closed: it exits)
    python tools/warm_kernel.py launch SOCKET -f FILE    # what jupyter_client starts per kernel

This file is run as a script, outside the tools package, so it imports only the standard library.
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

# Imported once by the zygote. A module that fails to import is skipped, so the
# chapter that imports it reports the error exactly as a fresh kernel would.
# Not ipykernel.kernelapp: its defaults read the kernel's environment (JPY_PARENT_PID) at import.
PRELOAD = ("numpy", "torch", "matplotlib.pyplot", "ipykernel.ipkernel", "myst_nb", "nnstep")
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"  # what ipykernel itself selects
FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT, signal.SIGHUP)


@contextmanager
def running_zygote(env: dict[str, str]) -> Iterator[str]:
    """Start a zygote with the kernels' environment; yield the socket that launchers connect to."""
    with tempfile.TemporaryDirectory(prefix="nnstep-kernels-") as folder:
        socket_path = str(Path(folder) / "zygote")
        zygote = subprocess.Popen(
            [sys.executable, __file__, "serve", socket_path],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
            start_new_session=True,  # like any kernel: a Ctrl-C in the terminal stops the build, not a cell
        )
        try:
            yield socket_path
        finally:
            zygote.stdin.close()  # its signal to exit
            zygote.wait()


def launch_command(socket_path: str, connection_file: str) -> list[str]:
    """The kernel command for jupyter_client: this file's launcher, connecting to the zygote."""
    return [sys.executable, __file__, "launch", socket_path, "-f", connection_file]


def serve(socket_path: str) -> None:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    listener.listen(64)  # launchers may connect while the imports below still run
    # matplotlib reads MPLBACKEND when it is imported, so set it as ipykernel would have.
    os.environ["MPLBACKEND"] = os.environ.get("MPLBACKEND") or INLINE_BACKEND
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the chapter will raise it again, with a better place to say so
            pass
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


def _fork_kernel(connection: socket.socket, listener: socket.socket) -> None:
    _, fds, _, _ = socket.recv_fds(connection, 1, 3)
    request = json.loads(connection.makefile("rb").readline())
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
    if "torch" in sys.modules:
        torch = sys.modules["torch"]
        torch.seed()
        # OpenMP read OMP_NUM_THREADS when the zygote imported torch; this kernel's may differ.
        threads = os.environ.get("OMP_NUM_THREADS", "")
        torch.set_num_threads(int(threads) if threads.isdigit() else os.cpu_count() or 1)


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
    reply = connection.makefile("rb").readline()
    if not reply:
        raise SystemExit(f"warm_kernel: the zygote on {socket_path} closed the connection without starting a kernel")
    pid = int(reply)
    for signum in FORWARDED_SIGNALS:
        signal.signal(signum, lambda signum, _frame: os.kill(pid, signum))
    # The zygote closed its end; the kernel holds the other copy until it exits.
    while connection.recv(1):
        pass


def main(argv: list[str]) -> None:
    if len(argv) == 2 and argv[0] == "serve":
        serve(argv[1])
    elif len(argv) == 4 and argv[0] == "launch" and argv[2] == "-f":
        launch(argv[1], argv[3])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
