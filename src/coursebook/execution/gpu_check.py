"""`make gpu-check`: build the book on CUDA and on the CPU, side by side, and compare.

Run it on a machine with an NVIDIA GPU (it takes a few minutes). It builds two
fresh copies of the repository (no execution cache), one with the device variable cuda
and one with it cpu, asserts that every chapter ran on the device it
was given, and prints each chapter's run time on both.
`--device cpu` runs the same check on the CPU only (to test the script itself).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from coursebook.build.repo_copy import build, copy_repo
from coursebook.layout import settings


def build_on(device: str, parent: Path) -> tuple[dict, float]:
    repo = copy_repo(parent / device)
    start = time.perf_counter()
    result = build(repo, **{settings()["device_variable"]: device})
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"the {device} build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    chapters = json.loads((repo / "_build" / "execution.json").read_text())["chapters"]
    wrong = {name: run["device"] for name, run in chapters.items() if not run["device"].startswith(device)}
    if wrong:
        raise SystemExit(f"chapters that did not run on {device}: {wrong}")
    return chapters, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--device", default="cuda", help="the device to check against the CPU (default: cuda)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # one after the other: parallel builds would compete for the same cores
        checked, checked_total = build_on(args.device, Path(tmp))
        cpu, cpu_total = build_on("cpu", Path(tmp)) if args.device != "cpu" else (checked, checked_total)
    name = next(iter(checked.values()))["device"]
    print(f"\nall {len(checked)} chapters ran on {name}\n")
    print(f"| chapter | cpu (s) | {args.device} (s) | {args.device} / cpu |\n|---|---|---|---|")
    for chapter in sorted(checked):
        a, b = cpu[chapter]["seconds"], checked[chapter]["seconds"]
        print(f"| {chapter} | {a:.1f} | {b:.1f} | {b / a:.2f} |")
    print(f"| whole build | {cpu_total:.1f} | {checked_total:.1f} | {checked_total / cpu_total:.2f} |")


if __name__ == "__main__":
    main()
