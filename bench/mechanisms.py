"""What each speed mechanism buys: the operation it serves timed with it and without it, side by side.

    .venv/bin/python -m bench.mechanisms [--runs 3] [--chapters 50] [--only kept-parses,forked-kernels] [--sizes 9,50]

For the book as it is and for a copy grown to about 50 chapters (bench/grow.py), each
mechanism is switched off in a copy of the repository (a small edit of the copy's own
generator source, or `warm_kernels=False`), never in this checkout. Its copy and a copy
with the mechanism on are timed in turn, the order swapped every round:
- kept parses (execution/executor.py `read_notebook`, _build/parsed/): the prose-only
  rebuild, whose staleness check reads every chapter;
- forked kernels (execution/warm_kernel.py): executing every chapter from an empty
  _build (no execution cache), without Sphinx.
A mechanism stays only where it buys at least 5% of that operation (issue 18). The copies
for the rebuilds start from this checkout's execution cache, so nothing executes there;
the grown copy's chapters take their originals' records (the executor checks the key).
Prints medians, the ratio off / on, what the mechanism buys ((off - on) / off), and the
load average before and after each measurement: on a busy machine take the ratios, not the seconds.
The figure-number walk skip (a private route) and hard-linked publishing (under 5%), removed since,
were measured at commit 661b6b1 (docs/measurements.md).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.grow import grow
from bench.growth import edit_prose, sphinx_seconds
from coursebook.build.repo_copy import copy_repo
from coursebook.chapters import ROOT, checked_chapters

# Each mechanism switched off: (file of the copy, text, replacement); None: switched by an argument.
OFF = {
    "kept-parses": (
        "src/coursebook/execution/executor.py",
        "        return parse_chapter(chapter.path, text)  # JSON: nothing to keep\n",
        "        return parse_chapter(chapter.path, text)  # JSON: nothing to keep\n"
        "    return parse_chapter(chapter.path, text, source_map=True)\n",
    ),
    "forked-kernels": None,
}
EXECUTE = (
    "import sys; from coursebook.chapters import checked_chapters; from coursebook.sharding import execute_for_build; "
    "execute_for_build(checked_chapters(), warm_kernels=sys.argv[1] == 'on')"
)


def load() -> str:
    """The 1-minute load average."""
    return f"{os.getloadavg()[0]:.1f}"


def edit(repo: Path, change: tuple[str, str, str]) -> None:
    """One textual edit of the copy's source; fails loudly when the source no longer has the text."""
    name, old, new = change
    path = repo / name
    text = path.read_text(encoding="utf-8")
    if text.count(old) != 1:
        raise SystemExit(f"bench.mechanisms: {name} no longer has {old.strip()!r} once; update bench/mechanisms.py")
    path.write_text(text.replace(old, new), encoding="utf-8")


def run(repo: Path, *command: str) -> tuple[float, float, str]:
    """(seconds, CPU seconds, what it printed) of `python command...` run in the copy, importing the copy's own src/.

    CPU seconds (user + system, of the process and the children it waited for) vary much less with
    the machine's load than seconds do; a forked kernel is not waited for, so it is not counted."""
    env = {**os.environ, "PYTHONPATH": str(repo / "src")}
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *command], cwd=repo, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    cpu = _children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {repo}:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return seconds, cpu, done.stdout


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def build(repo: Path) -> tuple[float, float, str]:
    return run(repo, "-m", "coursebook", "build")


def books(parent: Path, chapters: int) -> dict[int, Path]:
    """{chapters: copy}: this book, and a copy grown to `chapters`; without _build."""
    small = copy_repo(parent / "book")
    found = {len(lectures(small)): small}
    if chapters:
        big = grow(parent / "grown", chapters)
        found[len(lectures(big))] = big
    return found


def lectures(repo: Path) -> list[Path]:
    return sorted((repo / "lectures").glob("*.md"))


def with_records(repo: Path) -> None:
    """Bring this checkout's execution cache and record; a grown copy's chapter gets its original's
    record (bench/grow.py takes the originals in turn), which the executor uses only if its key matches."""
    built = ROOT / "_build"
    shutil.copytree(built / ".jupyter_cache", repo / "_build" / ".jupyter_cache")
    record = json.loads((built / "execution.json").read_text())
    originals = [c.docname for c in checked_chapters(ROOT) if c.docname.startswith("lectures/")]
    for path in lectures(repo):
        if found := re.search(r"_copy(\d+)$", path.stem):
            original = originals[(int(found.group(1)) - 1) % len(originals)]
            if original in record["chapters"]:
                record["chapters"][f"lectures/{path.stem}"] = record["chapters"][original]
    (repo / "_build" / "execution.json").write_text(json.dumps(record))


def rebuilds(name: str, base: Path, parent: Path, runs: int) -> dict[str, dict[str, list[float]]]:
    """Prose-only and no-op rebuilds in a copy with the mechanism and one without, in turn."""
    copies = {}
    for variant in ("on", "off"):
        repo = parent / f"{name}-{variant}"
        shutil.copytree(base, repo, symlinks=True)
        if variant == "off":
            edit(repo, OFF[name])
        build(repo)  # settle: a copy elsewhere, or an edited generator, reads every page again
        copies[variant] = repo
    times = {variant: {"prose": [], "prose, CPU": [], "sphinx": [], "noop": []} for variant in copies}
    for n in range(runs):
        for variant in ("on", "off") if n % 2 == 0 else ("off", "on"):
            repo = copies[variant]
            edit_prose(repo, n=n)
            seconds, cpu, out = build(repo)
            times[variant]["prose"].append(seconds)
            times[variant]["prose, CPU"].append(cpu)
            times[variant]["sphinx"].append(sphinx_seconds(out))
            times[variant]["noop"].append(build(repo)[0])
    for repo in copies.values():
        shutil.rmtree(repo)
    return times


def executions(clean: Path, parent: Path, runs: int) -> dict[str, dict[str, list[float]]]:
    """Every chapter executed from an empty _build, with forked kernels and with fresh ones, in turn."""
    times = {"on": {"execute": []}, "off": {"execute": []}}
    for n in range(runs):
        for variant in ("on", "off") if n % 2 == 0 else ("off", "on"):
            repo = parent / f"kernels-{variant}"
            shutil.copytree(clean, repo, symlinks=True)
            times[variant]["execute"].append(run(repo, "-c", EXECUTE, variant)[0])
            print(f"  forked kernels {variant}: {times[variant]['execute'][-1]:.1f} s (load {load()})", flush=True)
            shutil.rmtree(repo)
    return times


def report(name: str, chapters: int, times: dict, loads: tuple[str, str]) -> list[str]:
    """Table rows: each operation's medians, off / on, and what the mechanism buys."""
    rows = []
    for operation in times["on"]:
        on, off = times["on"][operation], times["off"][operation]
        if None in on or None in off:
            continue
        a, b = statistics.median(on), statistics.median(off)
        runs = ", ".join(f"{x:.2f}" for x in on) + " / " + ", ".join(f"{x:.2f}" for x in off)
        rows.append(
            f"| {name} | {operation} | {chapters} | {a:.2f} | {b:.2f} | {b / a:.2f} | {(b - a) / b:+.1%} | {runs} | {loads[0]} → {loads[1]} |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each variant")
    parser.add_argument("--chapters", type=int, default=50, help="chapters of the grown copy (0: the book only)")
    parser.add_argument("--only", default=",".join(OFF), help=f"comma-separated, of: {', '.join(OFF)}")
    parser.add_argument("--sizes", default="", help="comma-separated chapter counts to measure (default: all)")
    args = parser.parse_args()
    names = args.only.split(",")
    if unknown := set(names) - set(OFF):
        raise SystemExit(f"unknown mechanism(s): {', '.join(sorted(unknown))}; known: {', '.join(OFF)}")
    print(f"load average at the start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)", flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        parent = Path(tmp)
        sized = books(parent, args.chapters if not args.sizes or str(args.chapters) in args.sizes.split(",") else 0)
        if args.sizes:
            sized = {n: repo for n, repo in sized.items() if str(n) in args.sizes.split(",")}
        for chapters, clean in sized.items():
            base = None
            for name in names:
                before = load()
                if OFF[name] is None:
                    times = executions(clean, parent, args.runs)
                else:
                    if base is None:  # built once per size, then copied for each mechanism
                        base = parent / f"built-{chapters}"
                        shutil.copytree(clean, base, symlinks=True)
                        with_records(base)
                        build(base)
                    times = rebuilds(name, base, parent, args.runs)
                found = report(name, chapters, times, (before, load()))
                print("\n".join(found), flush=True)
                rows += found
    print(f"\n{args.runs} runs of each variant, alternating; seconds; buys = (off - on) / off; runs: on / off")
    print("| mechanism | operation | chapters | on | off | off / on | buys | runs | load average (1 min), before → after |")
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print(f"\nload average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
