"""Time `make book` against a vanilla Jupyter Book build of the same chapters.

    .venv/bin/python -m bench.build_speed [--runs 3]

Side by side in one run, alternating, each in a fresh copy of the repository:
- ours:    tools/build_book.py from a clean _build (parallel execution, then Sphinx)
- vanilla: `jupyter-book build` with Jupyter Book's defaults (cache mode, serial execution)
- floor:   every chapter's code run as a plain Python script, one after another
Then the no-op and prose-only rebuilds of both. Prints medians, ratios and peak memory.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from tools.chapters import checked_chapters
from tools.execute import read_notebook
from tools.repo_copy import copy_repo

VANILLA_CONFIG = """\
title: vanilla
only_build_toc_files: true
exclude_patterns: [".*", "**/.*", "src", "tests", "tools", "bench"]
execute:
  execute_notebooks: cache
parse:
  myst_enable_extensions: [colon_fence, dollarmath, amsmath, deflist, substitution]
sphinx:
  local_extensions:   # needed to parse the chapters' ko/en blocks and status table
    bilingual: book/_ext
    execution_record: book/_ext
"""


def timed(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """(seconds, peak memory of the whole process tree in MiB).

    Memory is the proportional set size: a page shared by several processes (forked
    kernels share the zygote's torch) is split between them, not counted once for each.
    """
    start = time.perf_counter()
    process = psutil.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            try:
                tree = [process, *process.children(recursive=True)]
                peak = max(peak, sum(p.memory_full_info().pss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, stderr = process.communicate()
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{stderr.decode()[-2000:]}")
    return time.perf_counter() - start, peak / 2**20


def fresh_copy(parent: Path, vanilla: bool) -> Path:
    repo = copy_repo(parent / ("vanilla" if vanilla else "ours"))
    if vanilla:
        (repo / "_config.yml").write_text(VANILLA_CONFIG)
    return repo


def edit_prose(repo: Path) -> None:
    chapter = sorted((repo / "lectures").glob("*.md"))[0]
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n:::{en}\nOne more sentence.\n:::\n", encoding="utf-8")


def floor_seconds(parent: Path) -> float:
    """The chapters' code as plain Python scripts, run one after another."""
    total = 0.0
    env = {**os.environ, "MPLBACKEND": "Agg"}
    for chapter in checked_chapters():
        nb = read_notebook(chapter)
        if nb is None:
            continue
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        if not code:
            continue
        code = re.sub(r"^\s*[%!].*$", "", code, flags=re.M)  # IPython magics are not Python
        script = parent / f"{chapter.path.stem}.py"
        script.write_text(code)
        seconds, _ = timed([sys.executable, str(script)], chapter.path.parent, env)
        total += seconds
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    python = sys.executable
    jupyter_book = str(Path(python).parent / "jupyter-book")
    env = {**os.environ, "PYTHONPATH": ""}
    results: dict[str, list[float]] = {k: [] for k in ("ours", "vanilla", "ours_noop", "vanilla_noop", "ours_prose", "vanilla_prose", "floor")}
    memory: dict[str, float] = {"ours": 0.0, "vanilla": 0.0}
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            parent = Path(tmp)
            for kind in ("ours", "vanilla") if run % 2 == 0 else ("vanilla", "ours"):
                repo = fresh_copy(parent, vanilla=kind == "vanilla")
                environ = {**env, "PYTHONPATH": str(repo / "src")}
                command = [python, "-m", "tools.build_book"] if kind == "ours" else [jupyter_book, "build", str(repo)]
                seconds, peak = timed(command, repo, environ)
                results[kind].append(seconds)
                memory[kind] = max(memory[kind], peak)
                results[f"{kind}_noop"].append(timed(command, repo, environ)[0])
                edit_prose(repo)
                results[f"{kind}_prose"].append(timed(command, repo, environ)[0])
            results["floor"].append(floor_seconds(parent))
        print(f"run {run + 1}: " + ", ".join(f"{k} {v[-1]:.1f}s" for k, v in results.items()), flush=True)

    median = {k: statistics.median(v) for k, v in results.items()}
    cores = os.cpu_count() or 1
    print(f"\n{args.runs} runs, {cores} cores, medians (seconds):")
    print("| build | ours | vanilla | ours / vanilla |\n|---|---|---|---|")
    for label, key in (("clean", ""), ("no-op rebuild", "_noop"), ("prose-only rebuild", "_prose")):
        ours, vanilla = median[f"ours{key}"], median[f"vanilla{key}"]
        print(f"| {label} | {ours:.1f} | {vanilla:.1f} | {ours / vanilla:.2f} |")
    for label, key in (("no-op", "ours_noop"), ("prose-only", "ours_prose")):
        print(f"ours {label} rebuild / vanilla no-op rebuild = {median[key] / median['vanilla_noop']:.2f}")
    print(f"\nfloor: chapters' code as plain Python {median['floor']:.1f} s serial, {median['floor'] / cores:.1f} s over {cores} cores")
    print(f"ours clean / (floor / cores) = {median['ours'] / (median['floor'] / cores):.2f} (Sphinx's own time included)")
    print(f"peak memory (process tree, proportional set size): ours {memory['ours']:.0f} MiB, vanilla {memory['vanilla']:.0f} MiB")


if __name__ == "__main__":
    main()
