"""Execution in shares, for several machines at once: `make plan`, `make execute`, `make book SHARDS=...`.

CI (.github/workflows/book.yml) runs the stale chapters on several runners at once
and builds the site from their results; the same commands do it on one machine:

    make plan MAX_SHARDS=4                    how many shares, and which chapters each gets
    make execute SHARD=k/N SHARD_DIR=path     run share k of N of the stale chapters into `path`
    make book SHARDS="path1 path2 ..."        merge those folders into the execution cache and build

Shares are balanced by each chapter's last run time (the execution record,
_build/execution.json), longest first, each to the share with least work so far.
Every machine that restored the same execution cache computes the same shares.

A chapter asks for a GPU in its front matter::

    coursebook:
      runner: gpu

When a GPU runner is configured (COURSEBOOK_GPU_RUNNER names its label, docs/) such
chapters form a share of their own, the last, which CI sends to that runner; a
cached run of them counts as fresh only if it ran on CUDA. With no GPU runner they
run on the CPU like any other chapter, and the share says so in the job summary.

A shard folder (SHARD_DIR) is self-contained:

    shard.json       the share ("k/N"), the device its chapters ran on, and each chapter's status
                     ("executed" or "failed")
    execution.json   the execution record of the chapters it ran, as _build/execution.json holds
                     them: the key (code, src/, requirements, Python, device), seconds, device, versions
    cache/           a jupyter-cache holding the executed notebooks, outputs included
    runinfo/         where each chapter ran, as its code recorded it (coursebook.runtime.record_run)
    reports/         the full error of each chapter that failed

Merging checks each chapter's key against this checkout's sources (the device
being the share's): a chapter executed from other sources runs again in the build.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import nbformat
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

from coursebook.chapters import Chapter, SourceError, checked_chapters
from coursebook.execution.executor import (
    ANSI,
    ExecutionFailed,
    Executor,
    Interrupted,
    Outcome,
    dependency_key,
    environment_fingerprint,
    machine_device,
    package_fingerprint,
    read_notebook,
    say,
)
from coursebook.build.lock import one_build_at_a_time
from coursebook.layout import BUILD, ROOT

FORMAT = 1  # of shard.json
GPU_RUNNER = "COURSEBOOK_GPU_RUNNER"  # the label of the GPU runner; empty: there is none
CPU_RUNNER = "ubuntu-latest"
SHARD_SECONDS = 240  # recorded run time that makes a share worth a runner's start (about a minute and a half)


class ShardError(SourceError):
    """A shard folder is missing, malformed or clashes with another; the message says which and what to do."""


# ---------------------------------------------------------------- which runner a chapter asks for


def requested_runner(chapter: Chapter, nb: nbformat.NotebookNode) -> str:
    """ "gpu" when the chapter's front matter says `coursebook: {runner: gpu}`, else "cpu"."""
    settings = nb.metadata.get("coursebook", {})
    runner = settings.get("runner", "cpu") if isinstance(settings, dict) else None
    if runner not in ("cpu", "gpu"):
        raise SourceError(
            f"{chapter.relpath}: the front matter's `coursebook:` must be a mapping such as `runner: gpu` (got {settings!r}). "
            "Write `coursebook:` and, indented below it, `runner: gpu`, or remove it to run on the CPU."
        )
    return runner


def gpu_runner() -> str:
    return os.environ.get(GPU_RUNNER, "").strip()


def routed_device(chapter: Chapter, nb: nbformat.NotebookNode) -> str | None:
    """The device a chapter is meant to run on: CUDA for GPU chapters when a GPU runner is configured,
    else None (this machine's)."""
    wants_gpu = requested_runner(chapter, nb) == "gpu"
    return "cuda" if wants_gpu and gpu_runner() else None


# ---------------------------------------------------------------- shares


def parse_shard(spec: str) -> tuple[int, int]:
    try:
        k, n = (int(part) for part in spec.split("/"))
    except ValueError:
        k = n = 0
    if not 1 <= k <= n:
        raise SourceError(f"SHARD={spec!r} is not a share: write k/N with 1 <= k <= N, e.g. SHARD=2/3.")
    return k, n


def stale_chapters(executor: Executor, chapters: list[Chapter]) -> list[tuple[Chapter, bool]]:
    """(chapter, meant for the GPU runner) of every chapter that must run, longest first."""
    package_key = package_fingerprint()
    stale = []
    for chapter in chapters:
        nb = read_notebook(chapter)
        if nb is None or not any(cell.cell_type == "code" for cell in nb.cells):
            continue
        key = dependency_key(nb, environment_fingerprint(routed_device(chapter, nb)), package_key)
        if not executor.is_fresh(chapter, nb, key):
            stale.append((chapter, routed_device(chapter, nb) == "cuda"))
    return sorted(stale, key=lambda item: (-executor.expected_seconds(item[0]), item[0].docname))


def partition(stale: list[tuple[Chapter, bool]], n: int, seconds: Callable[[Chapter], float]) -> tuple[list[list[Chapter]], int | None]:
    """N shares of the stale chapters, and the index of the GPU share (the last; None if there is none).

    The GPU chapters make the last share; the others go, longest first, each to the share
    with the least recorded run time so far (the first of those on a tie).
    """
    gpu = [chapter for chapter, on_gpu in stale if on_gpu]
    cpu = [chapter for chapter, on_gpu in stale if not on_gpu]
    shares: list[list[Chapter]] = [[] for _ in range(n)]
    gpu_share = n - 1 if gpu else None
    if gpu:
        if cpu and n < 2:
            raise SourceError(
                "the GPU chapters need a share of their own: run `make plan` for the number of shares, or use SHARD=k/2 or more."
            )
        shares[gpu_share] = gpu
    slots = range(n - 1) if gpu else range(n)
    load = [0.0] * n
    for chapter in sorted(cpu, key=lambda c: (-seconds(c), c.docname)):
        share = min(slots, key=lambda i: (load[i], i))
        shares[share].append(chapter)
        load[share] += seconds(chapter)
    return shares, gpu_share


def shares_needed(stale: list[tuple[Chapter, bool]], seconds: Callable[[Chapter], float], max_shards: int) -> int:
    """Enough shares to give each about SHARD_SECONDS of recorded work, at most max_shards (0: nothing to run)."""
    cpu = [chapter for chapter, on_gpu in stale if not on_gpu]
    has_gpu = len(cpu) < len(stale)
    if not cpu:
        return int(has_gpu)
    wanted = math.ceil(sum(seconds(c) for c in cpu) / SHARD_SECONDS)
    return max(1, min(max(1, max_shards - has_gpu), len(cpu), wanted)) + has_gpu


# ---------------------------------------------------------------- make plan


def plan(max_shards: int) -> int:
    executor = Executor(BUILD)
    stale = stale_chapters(executor, checked_chapters())
    n = shares_needed(stale, executor.expected_seconds, max_shards)
    shares, gpu_share = partition(stale, n, executor.expected_seconds) if n else ([], None)
    rows, matrix = [], []
    for index, share in enumerate(shares):
        runner = gpu_runner() if index == gpu_share else CPU_RUNNER
        matrix.append({"shard": f"{index + 1}/{n}", "index": index + 1, "runner": runner})
        listed = ", ".join(f"{c.relpath} ({executor.expected_seconds(c):.0f} s)" for c in share) or "(nothing)"
        rows.append(f"| {index + 1}/{n} | {runner} | {listed} |")
    print(f"plan: {len(stale)} chapter(s) to run, in {n} share(s)")
    print("\n".join(rows))
    wants_gpu = [] if gpu_runner() else [c.relpath for c in _chapters_asking_for_gpu(c for c, _ in stale)]
    notice = _gpu_notice(wants_gpu) if wants_gpu else ""
    if notice:
        print(notice)
    if os.environ.get("GITHUB_OUTPUT"):
        with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as output:
            output.write(f"shards={n}\nmatrix={json.dumps({'include': matrix})}\n")
    summary(
        f"### Execution plan: {len(stale)} chapter(s) to run, {n} share(s)\n\n"
        + ("| share | runner | chapters (last run time) |\n|---|---|---|\n" + "\n".join(rows) if rows else "Every chapter is cached.")
        + (f"\n\n{_callout('NOTE', notice)}" if notice else "")
    )
    return 0


def _chapters_asking_for_gpu(chapters: Iterable[Chapter]) -> list[Chapter]:
    return [c for c in chapters if (nb := read_notebook(c)) is not None and requested_runner(c, nb) == "gpu"]


def _gpu_notice(relpaths: list[str]) -> str:
    return (
        f"{', '.join(relpaths)} asks for a GPU runner (`coursebook: {{runner: gpu}}`), but none is configured "
        f"(repository variable `{GPU_RUNNER}`, README): it runs on the CPU."
    )


def _callout(kind: str, text: str) -> str:
    """A GitHub alert block (kind: NOTE, WARNING) for the job summary."""
    return f"> [!{kind}]\n> {text}"


# ---------------------------------------------------------------- make execute


def execute_shard(spec: str, shard_dir: Path | None, warm_kernels: bool = True) -> int:
    """Run share k of N of the stale chapters; into shard_dir if given, else into this checkout's cache."""
    k, n = parse_shard(spec)
    main = Executor(BUILD, warm_kernels=warm_kernels)
    main.device_of = routed_device
    stale = stale_chapters(main, checked_chapters())
    shares, gpu_share = partition(stale, n, main.expected_seconds)
    share = shares[k - 1]
    print(f"execute: share {k}/{n}: {len(share)} of the {len(stale)} chapter(s) to run", flush=True)
    notes = []  # (kind, text): printed, and shown in the job summary
    asking = [] if gpu_runner() else [c.relpath for c in _chapters_asking_for_gpu(share)]
    if asking:
        notes.append(("NOTE", _gpu_notice(asking)))
    if gpu_share == k - 1 and machine_device() != "cuda":
        notes.append(
            (
                "WARNING",
                f"This is the GPU share, but this machine has no CUDA device (the device variable or /dev/nvidia0): "
                f"its chapters run on {machine_device()}. Check the runner labelled `{gpu_runner()}`.",
            )
        )
    for _, note in notes:
        print(note, flush=True)
    notes = [_callout(kind, note) for kind, note in notes]
    if shard_dir is None:
        executor = main
    else:
        if shard_dir.exists() and any(shard_dir.iterdir()):
            raise ShardError(f"SHARD_DIR={shard_dir} is not empty: remove it, or name a new folder.")
        executor = Executor(shard_dir, warm_kernels=warm_kernels, cache_dir=shard_dir / "cache")
        # longest first within the share too, by the times recorded in this checkout
        executor.manifest["chapters"] = {c.docname: {"seconds": main.expected_seconds(c)} for c in share}
    failures: list[Outcome] = []
    try:
        outcomes = executor.run(share)
    except ExecutionFailed as error:
        failures = error.outcomes
        outcomes = failures
    if shard_dir is not None:
        _write_shard(shard_dir, f"{k}/{n}", executor, share, failures)
    heading = f"### Share {k}/{n}: {len(share)} chapter(s)"
    if failures:
        lines = [
            f"- **{o.chapter.relpath}** failed:\n\n  ```\n  {ANSI.sub('', o.error).strip().replace(chr(10), chr(10) + '  ')}\n  ```"
            for o in failures
        ]
        summary("\n\n".join([f"{heading}, {len(failures)} failed", *notes, *lines]))
        print("\n\n".join(o.error for o in failures), file=sys.stderr)
        return 1
    ran = [f"- {o.chapter.relpath}: {o.status} in {o.seconds:.1f} s" for o in outcomes]
    summary("\n\n".join([heading, *notes, "\n".join(ran) or "Nothing to run."]))
    return 0


def _write_shard(folder: Path, spec: str, executor: Executor, share: list[Chapter], failures: list[Outcome]) -> None:
    failed = {o.chapter.docname for o in failures}
    record = executor.manifest["chapters"]
    executed = [c.docname for c in share if c.docname not in failed and "key" in record.get(c.docname, {})]
    chapters = {**{docname: "executed" for docname in executed}, **{docname: "failed" for docname in failed}}
    (folder / "execution.json").write_text(json.dumps({"chapters": {d: record[d] for d in executed}}, indent=1, sort_keys=True))
    (folder / "shard.json").write_text(
        json.dumps({"format": FORMAT, "shard": spec, "device": machine_device(), "chapters": chapters}, indent=1, sort_keys=True)
    )
    for outcome in failures:
        (folder / "reports").mkdir(exist_ok=True)
        (folder / "reports" / f"{outcome.chapter.docname.replace('/', '__')}.log").write_text(
            ANSI.sub("", outcome.report or outcome.error) + "\n", encoding="utf-8"
        )


# ---------------------------------------------------------------- make book SHARDS=...


def execute_for_build(chapters: list[Chapter], warm_kernels: bool = True, shard_dirs: Iterable[Path] = ()) -> list[Outcome]:
    """What `make book` executes: merge the shard folders (if any), then run what is still stale here."""
    shard_dirs = list(shard_dirs)
    executor = Executor(BUILD, warm_kernels=warm_kernels)
    merged = merge_shards(executor, shard_dirs, chapters)
    executor.device_of = lambda chapter, nb: merged.get(chapter.docname) or routed_device(chapter, nb)
    outcomes = executor.run(chapters)
    if shard_dirs:
        here = [o.chapter.relpath for o in outcomes if o.status == "executed"]
        print(
            f"execute: {len(merged)} chapter(s) from {len(shard_dirs)} share(s)"
            + (f"; executed here, in no share: {', '.join(here)}" if here else ""),
            flush=True,
        )
        if here:
            summary(
                _callout(
                    "NOTE",
                    f"Executed by the build itself, in no share: {', '.join(here)} (the shares were planned from another execution cache).",
                )
            )
        # they ran in this build, elsewhere: the status page says "executed", not "cached"
        executor.manifest["last_build"].update({docname: "executed" for docname in merged})
        executor.save_manifest()
    return outcomes


def merge_shards(executor: Executor, shard_dirs: list[Path], chapters: list[Chapter]) -> dict[str, str]:
    """Put the shards' executed chapters into the executor's cache and record: {docname: device it ran on}."""
    by_name = {chapter.docname: chapter for chapter in chapters}
    package_key = package_fingerprint()
    merged: dict[str, str] = {}
    source: dict[str, Path] = {}
    for folder in shard_dirs:
        info, record = _read_shard(folder)
        cache = get_cache(str(folder / "cache"))
        for docname, status in sorted(info["chapters"].items()):
            chapter = by_name.get(docname)
            if status != "executed":
                continue
            if chapter is None:
                say(f"  {folder}: {docname}.md is not a chapter of this book; left out")
                continue
            if docname in source:
                raise ShardError(
                    f"{chapter.relpath} is in two shares, {source[docname]} and {folder}: pass each share's folder once, all from one plan."
                )
            nb = read_notebook(chapter)
            if record.get(docname, {}).get("key") != dependency_key(nb, environment_fingerprint(info["device"]), package_key):
                say(
                    f"  {folder}: {chapter.relpath} was executed from other sources (its code, src/ or the requirements differ); it runs here"
                )
                continue
            try:
                executed = cache.get_cache_bundle(cache.match_cache_notebook(nb).pk).nb
            except KeyError:
                raise ShardError(
                    f"{folder}/cache has no executed notebook of {chapter.relpath}, which {folder}/shard.json lists: "
                    "the folder is incomplete. Run `make execute` for that share again."
                ) from None
            executor.cache.cache_notebook_bundle(  # before any chapter runs: no other thread uses the cache
                CacheBundleIn(executed, str(chapter.path), data={"execution_seconds": record[docname].get("seconds", 0)}),
                check_validity=False,
                overwrite=True,
            )
            executor.manifest["chapters"][docname] = record[docname]
            merged[docname] = info["device"]
            source[docname] = folder
    return merged


def _read_shard(folder: Path) -> tuple[dict, dict]:
    """shard.json and the chapters of execution.json, checked."""
    if not folder.is_dir():
        raise ShardError(f"SHARDS: {folder} is not a folder. Pass the folders that `make execute SHARD=k/N SHARD_DIR=...` wrote.")
    try:
        info = json.loads((folder / "shard.json").read_text())
        record = (
            json.loads((folder / "execution.json").read_text())["chapters"]
            if any(s == "executed" for s in info["chapters"].values())
            else {}
        )
        ok = info.get("format") == FORMAT and isinstance(info["device"], str) and isinstance(info["chapters"], dict)
    except (OSError, ValueError, KeyError, TypeError):
        ok = False
    if not ok:
        raise ShardError(
            f"SHARDS: {folder}/shard.json (or execution.json) is missing or not a shard's (format {FORMAT}): "
            "pass the folders that `make execute SHARD=k/N SHARD_DIR=...` wrote, with this version of the book's tools."
        )
    return info, record


# ---------------------------------------------------------------- GitHub's job summary


def summary(markdown: str) -> None:
    """Append to the job summary when running on GitHub Actions."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(markdown.rstrip() + "\n\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    planning = commands.add_parser("plan", help="how many shares, and which stale chapters each runs")
    planning.add_argument("--max-shards", type=int, default=4)
    executing = commands.add_parser("execute", help="run one share of the stale chapters")
    executing.add_argument("--shard", default="1/1", help="k/N: share k of N (default 1/1: every stale chapter)")
    executing.add_argument("--dir", type=Path, help="write the results into this folder (default: this checkout's cache)")
    executing.add_argument("--fresh-kernels", action="store_true", help="a new Python for each chapter (see make book)")
    args = parser.parse_args()
    folder = args.dir.resolve() if getattr(args, "dir", None) else None
    os.chdir(ROOT)
    try:
        if args.command == "plan":
            status = plan(args.max_shards)
        else:
            with one_build_at_a_time():  # it reads, and without --dir writes, this checkout's execution cache
                status = execute_shard(args.shard, folder, warm_kernels=not args.fresh_kernels)
    except SourceError as error:
        print(f"\n{error}", file=sys.stderr)
        status = 1
    except Interrupted as stop:
        print(f"\n{stop}", file=sys.stderr)
        status = 130
    sys.exit(status)


if __name__ == "__main__":
    main()
