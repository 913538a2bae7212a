"""Ctrl-C during `make book`: the kernels end, one line says what was kept, every chapter
that finished stays cached, the last good site stays in place, and no traceback."""

import json
import os
import signal
import time

import psutil
import pytest

from small_book import chapter, page, read_until, small_book, snapshot, started_build, waiting_chapter
from coursebook.build.repo_copy import build

pytestmark = pytest.mark.build


def kernels_of(repo) -> list[psutil.Process]:
    """The chapters' kernel processes (and their launchers): they run in lectures/."""
    return [p for p in psutil.process_iter(["cwd"]) if p.info["cwd"] == str(repo / "lectures")]


def test_ctrl_c_keeps_finished_chapters_and_the_site_and_ends_the_kernels(tmp_path):
    repo = small_book(
        tmp_path / "book",
        {
            "a_fast": chapter("빠름 · Fast", "print('fast chapter, version', 1 + 1)"),
            "b_slow": waiting_chapter("느림 · Slow", "'slow chapter, version', 1 + 1"),
        },
    )
    go = repo / "go"
    go.touch()
    first = build(repo, COURSEBOOK_DEVICE="cpu")
    assert first.returncode == 0, first.stdout + first.stderr
    site = snapshot(repo / "_build" / "html")
    go.unlink()
    (repo / "waiting").unlink()
    for name, old, new in (("a_fast", "1 + 1", "1 + 2"), ("b_slow", "1 + 1", "1 + 2")):
        path = repo / "lectures" / f"{name}.md"
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    with started_build(repo) as make:
        output = read_until(make, "a_fast.md: executed", "running lectures/b_slow.md")
        deadline = time.monotonic() + 60
        while not (repo / "waiting").exists() and time.monotonic() < deadline:  # its cell runs: the kernel is up
            time.sleep(0.1)
        kernels = kernels_of(repo)
        assert kernels, "the slow chapter's kernel is running"
        os.killpg(make.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole foreground process group
        output += make.communicate(timeout=60)[0]

    assert make.returncode in (130, -signal.SIGINT), output  # make itself dies of the SIGINT: the shell says 130
    assert "Traceback" not in output and "KeyboardInterrupt" not in output, output
    [line] = [line for line in output.splitlines() if "interrupted" in line]
    assert line == (
        "make book interrupted: kept 1 finished chapter (lectures/a_fast.md); 1 stopped chapter will run"
        " next time; _build/html still holds the last complete site."
    )
    assert snapshot(repo / "_build" / "html") == site
    gone, alive = psutil.wait_procs(kernels, timeout=10)
    assert not alive, f"kernels still running after Ctrl-C: {alive}"

    go.touch()
    again = build(repo, COURSEBOOK_DEVICE="cpu")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "1 of 2 notebooks to run" in again.stdout
    assert json.loads((repo / "_build" / "execution.json").read_text())["last_build"] == {
        "lectures/a_fast": "cached",
        "lectures/b_slow": "executed",
    }
    assert "fast chapter, version 3" in page(repo, "a_fast")
    assert "slow chapter, version 3" in page(repo, "b_slow")
