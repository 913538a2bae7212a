"""Time `make book` against a vanilla Jupyter Book build of the same chapters.

    .venv/bin/python -m bench.build_speed [--runs 3]

Side by side in one run, alternating, each in a fresh copy of the repository:
- ours:    python -m coursebook build from a clean _build (parallel execution, then Sphinx)
- vanilla: `jupyter-book build` with Jupyter Book's defaults (cache mode, serial execution)
- floor:   every chapter's code run as a plain Python script, one after another
Then the no-op and prose-only rebuilds of both. Prints medians, ratios and peak memory,
then the growth figure (bench/growth.py): the same on a copy grown to ~50 chapters.
The machine's load average is printed at the start and the end: timings on a busy
machine are longer and noisier.
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

from bench import growth
from coursebook.chapters import ROOT, checked_chapters
from coursebook.execution.executor import read_notebook
from coursebook.build.repo_copy import copy_repo

VANILLA_CONFIG = """\
title: vanilla
only_build_toc_files: true
exclude_patterns: [".*", "**/.*", "src", "tests", "docs", "bench"]
execute:
  execute_notebooks: cache
parse:
  myst_enable_extensions: [colon_fence, dollarmath, amsmath, deflist, substitution]
sphinx:
  extra_extensions:   # needed to parse the chapters' ko/en blocks and status table
    - coursebook.bilingual.directives
    - coursebook.execution.record
"""


def timed(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float, str]:
    """(seconds, peak memory of the whole process tree in MiB, what it printed).

    Memory is the proportional set size: a page shared by several processes (forked
    kernels share the zygote's torch) is split between them, not counted once for each.
    """
    start = time.perf_counter()
    process = psutil.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
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
    stdout, stderr = process.communicate()
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{stdout.decode()[-2000:]}{stderr.decode()[-2000:]}")
    return time.perf_counter() - start, peak / 2**20, stdout.decode(errors="replace")


def fresh_copy(parent: Path, vanilla: bool) -> Path:
    repo = copy_repo(parent / ("vanilla" if vanilla else "ours"))
    if vanilla:
        (repo / "_config.yml").write_text(VANILLA_CONFIG)
    return repo


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
        seconds = timed([sys.executable, str(script)], chapter.path.parent, env)[0]
        total += seconds
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chapters", type=int, default=50, help="chapters of the grown copy (0: no growth figure)")
    parser.add_argument("--no-vanilla-growth", action="store_true", help="no vanilla builds of the grown copy (they are slow)")
    args = parser.parse_args()
    print(f"load average at the start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)", flush=True)
    python = sys.executable
    jupyter_book = str(Path(python).parent / "jupyter-book")
    env = {**os.environ, "PYTHONPATH": ""}
    results: dict[str, list[float]] = {
        k: [] for k in ("ours", "vanilla", "ours_noop", "vanilla_noop", "ours_prose", "vanilla_prose", "floor")
    }
    sphinx: dict[str, list[float]] = {"clean_sphinx": [], "prose_sphinx": []}
    memory: dict[str, float] = {"ours": 0.0, "vanilla": 0.0}
    sizes: dict = {}
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            parent = Path(tmp)
            for kind in ("ours", "vanilla") if run % 2 == 0 else ("vanilla", "ours"):
                repo = fresh_copy(parent, vanilla=kind == "vanilla")
                environ = {**env, "PYTHONPATH": str(repo / "src")}
                command = [python, "-m", "coursebook", "build"] if kind == "ours" else [jupyter_book, "build", str(repo)]
                seconds, peak, stdout = timed(command, repo, environ)
                results[kind].append(seconds)
                memory[kind] = max(memory[kind], peak)
                results[f"{kind}_noop"].append(timed(command, repo, environ)[0])
                growth.edit_prose(repo, n=run)
                prose_seconds, _, prose_stdout = timed(command, repo, environ)
                results[f"{kind}_prose"].append(prose_seconds)
                if kind == "ours":
                    sphinx["clean_sphinx"].append(growth.sphinx_seconds(stdout))
                    sphinx["prose_sphinx"].append(growth.sphinx_seconds(prose_stdout))
                    sizes = sizes or growth.site_metrics(repo / "_build" / "html")
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

    if args.chapters:
        small = {
            "chapters": len(list((ROOT / "lectures").glob("*.md"))),
            "clean": median["ours"],
            "noop": median["ours_noop"],
            "prose": median["ours_prose"],
            "clean_sphinx": statistics.median(sphinx["clean_sphinx"]),
            "prose_sphinx": statistics.median(sphinx["prose_sphinx"]),
            "vanilla_clean": median["vanilla"],
            "vanilla_noop": median["vanilla_noop"],
            "vanilla_prose": median["vanilla_prose"],
            **sizes,
        }
        commands = {
            "ours": [python, "-m", "coursebook", "build"],
            "vanilla": lambda repo: [jupyter_book, "build", str(repo)],
            "env": lambda repo: {**env, "PYTHONPATH": str(repo / "src")},
        }
        with tempfile.TemporaryDirectory() as tmp:
            growth.growth(Path(tmp), args.chapters, args.runs, not args.no_vanilla_growth, small, timed, commands, VANILLA_CONFIG)
    print(f"\nload average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
