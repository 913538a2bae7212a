"""One build at a time per checkout: `build`, and `execute` (which writes the same execution cache)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from coursebook.layout import BUILD

LOCK = BUILD / "build.lock"


@contextmanager
def one_build_at_a_time() -> Iterator[None]:
    """Hold _build/build.lock while building: a second build in this checkout waits, then does what is still stale.

    flock: the lock goes with the process, however it ends.
    """
    BUILD.mkdir(exist_ok=True)
    with open(LOCK, "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "?"
            print(f"another build is running in this checkout (process {holder}); waiting for it to finish ...", flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        lock.truncate(0)
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        yield
