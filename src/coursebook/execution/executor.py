"""Execute the book's chapters in parallel into the cache that Sphinx reads.

Jupyter Book's cache is keyed on a notebook's own code cells only, so an edit to
``src/`` would leave stale outputs. Here each chapter is re-run when its code,
the shared package it imports, or the pinned environment changed; the result
goes into the same jupyter-cache, where myst-nb then finds it. Chapters run in
parallel, one core each, in kernels forked from a warm one (coursebook.execution.warm_kernel).

Each chapter is cached and recorded in _build/execution.json as soon as it
finishes, so a build stopped later (Ctrl-C, another chapter failing) never runs
it again. Ctrl-C ends every kernel and raises Interrupted.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_client import AsyncKernelManager
from myst_nb import __version__ as myst_nb_version
from myst_parser import __version__ as myst_parser_version
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from coursebook.chapters import Chapter, SourceError, load_yaml, parse_chapter, read_text
from coursebook.layout import BUILD, ROOT, files_under, fingerprint, settings
from coursebook.runtime import RUNINFO_VARIABLE
from coursebook.execution.warm_kernel import ZygoteUnavailable, launch_command, running_zygote

SHARED = ROOT / "src"  # the book's own packages: every chapter imports them from this checkout
PARSED = BUILD / "parsed"  # chapters as myst-nb reads them (read_notebook)
PARSER = f"myst-nb {myst_nb_version}, myst-parser {myst_parser_version}"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class ExecutionRefused(SourceError):
    """The chapters would not run this checkout's own code; the message says why and what to do."""


class ExecutionFailed(Exception):
    """One or more chapters raised or timed out; ``outcomes`` holds each failure."""

    def __init__(self, outcomes: list[Outcome]) -> None:
        self.outcomes = outcomes
        super().__init__("\n\n".join(o.error for o in outcomes))


class Interrupted(Exception):
    """Ctrl-C: the kernels were ended. ``kept`` finished (and are cached), ``stopped`` run next time."""

    def __init__(self, kept: list[Chapter], stopped: list[Chapter]) -> None:
        self.kept, self.stopped = kept, stopped
        finished = f"kept {_count(kept, 'finished chapter')} ({', '.join(c.relpath for c in kept)})" if kept else "no chapter had finished"
        super().__init__(f"{finished}; {_count(stopped, 'stopped chapter')} will run next time")


def _count(items: list, noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


class ChangedWhileRunning(Exception):
    """The chapter's file was saved again while it ran: its results belong to the old version."""


class _Stopped(Exception):
    """Raised in a chapter's thread, before its next cell, once the build is interrupted."""


@dataclass
class Outcome:
    chapter: Chapter
    status: str  # "cached", "executed", "failed" or "stopped"
    seconds: float = 0.0
    error: str = ""  # the short description printed by `make book`
    report: str = ""  # the same plus the full traceback, for _build/reports/


def machine_device() -> str:
    """The device chapters run on here: the device variable's (`coursebook: device_variable:`), else cuda when
    this machine has an NVIDIA device, else cpu."""
    return os.environ.get(settings()["device_variable"], "").strip() or ("cuda" if Path("/dev/nvidia0").exists() else "cpu")


def environment_fingerprint(device: str | None = None) -> str:
    """What every chapter depends on: the pinned requirements, Python, the device (this machine's by default)."""
    extra = f"{sys.version_info[:2]}|{device or machine_device()}"
    return fingerprint([ROOT / "requirements.txt"], extra)


def package_fingerprint() -> str:
    """The shared code every chapter runs (`coursebook: execution_key:`)."""
    return fingerprint(files_under(*settings()["execution_key"]))


def shared_packages() -> list[str]:
    """The importable names under src/ (packages and modules): what a chapter imports from this checkout."""
    if not SHARED.is_dir():
        return []
    return sorted(
        p.name if p.is_dir() else p.stem
        for p in SHARED.iterdir()
        if (p.is_dir() and (p / "__init__.py").is_file()) or (p.suffix == ".py" and p.is_file())
    )


def check_shared_packages(env: dict[str, str], cwd: Path) -> None:
    """Refuse to run chapters that would import a shared package from outside this checkout (another
    checkout's editable install, a copy of the package in the chapters' folder): its pages would show
    what that other code computes. Looked up as the kernel would, without importing anything."""
    names = shared_packages()
    if not names:
        return
    lookup = "import importlib.util, sys\nfor name in sys.argv[1:]:\n    spec = importlib.util.find_spec(name)\n    print(name, spec and spec.origin)"
    found = subprocess.run([sys.executable, "-c", lookup, *names], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    for line in found.stdout.splitlines():
        name, origin = line.split(" ", 1)
        if origin == "None" or not Path(origin).resolve().is_relative_to(SHARED.resolve()):
            raise ExecutionRefused(
                f"A chapter's kernel would import {name} from {origin}, not from this checkout's "
                f"{SHARED.relative_to(ROOT)}/ ({SHARED}): remove what shadows it there, or install this checkout "
                f"(pip install -e {ROOT}) in the environment the build runs in."
            )


def read_notebook(chapter: Chapter) -> nbformat.NotebookNode | None:
    """Read a MyST chapter exactly as myst-nb does, so the cache keys match (None: not a notebook).

    Every build reads every chapter to see which are stale, and parsing MyST is most of that
    (16 ms a chapter here), so the parsed notebook is kept in _build/parsed/ under a key of
    everything it is made from: the next read of an unchanged chapter is a JSON load.
    """
    text = read_text(chapter.path)
    if chapter.path.suffix == ".ipynb":
        return parse_chapter(chapter.path, text)  # JSON: nothing to keep
    key = hashlib.sha256("\0".join([PARSER, str(chapter.path), text]).encode()).hexdigest()
    kept = PARSED / f"{chapter.docname}.json"
    try:
        entry = json.loads(kept.read_text(encoding="utf-8"))
        if entry["key"] == key:
            return nbformat.from_dict(entry["notebook"])
    except (OSError, ValueError, KeyError, TypeError):
        pass  # none kept yet, or unreadable: parse
    nb = parse_chapter(chapter.path, text, source_map=True)
    if nb is not None:  # None: plain markdown; Sphinx itself warns about any code-cell in it
        write_in_one_rename(kept, json.dumps({"key": key, "notebook": nb}))
    return nb


def write_in_one_rename(path: Path, text: str) -> None:
    """Write a file so that a reader, or a build killed meanwhile, sees the old text or the new one.
    The temporary name is the writer's own: chapters are read from several threads."""
    path.parent.mkdir(parents=True, exist_ok=True)
    incoming = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.incoming")
    incoming.write_text(text, encoding="utf-8")
    incoming.replace(path)


def package_names() -> list[str]:
    """The importable names of the execution key's folders: src/nnstep -> nnstep, src/a/b -> a.b."""
    names = []
    for folder in settings()["execution_key"]:
        parts = Path(folder).parts
        names.append(".".join(parts[parts.index("src") + 1 :] if "src" in parts else parts[-1:]))
    return [name for name in names if name]


def dependency_key(nb: nbformat.NotebookNode, env_key: str, package_key: str) -> str:
    """Code cells + environment (+ the shared packages if the chapter names one of them)."""
    code = "\n\0".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    names = package_names()
    uses_package = not names or any(name in code for name in names)
    parts = [code, env_key, package_key if uses_package else ""]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


class Executor:
    def __init__(self, build_dir: Path, warm_kernels: bool = True, cache_dir: Path | None = None) -> None:
        config = load_yaml(ROOT / "_config.yml").get("execute", {})
        self.timeout = int(config.get("timeout", 300))
        self.cache = get_cache(str(cache_dir or ROOT / config.get("cache", "_build/.jupyter_cache")))
        # The device a cached run must have used to count as fresh, per chapter: (chapter, notebook) -> device,
        # None for this machine's. coursebook.sharding sets it for chapters that run on another machine.
        self.device_of = lambda chapter, nb: None
        # One thread at a time in the cache and the manifest: jupyter-cache is not thread-safe
        # (two chapters finishing together in a new cache both tried to create its database).
        self.lock = threading.Lock()
        self.build_dir = build_dir
        self.manifest_path = build_dir / "execution.json"
        self.manifest = self._load_manifest()
        self.warm_kernels = warm_kernels  # fork each kernel from one that has imported the preloads (warm_kernel.py)
        self.stopping = threading.Event()  # set by Ctrl-C: no further cell starts
        self.clients: set[NotebookClient] = set()  # the chapters running now, whose kernels Ctrl-C ends

    def _load_manifest(self) -> dict:
        """{"chapters": {docname: {key, seconds, executed_at, device, library versions}}, "last_build": {docname: status}}"""
        try:
            manifest = json.loads(self.manifest_path.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            manifest = {}
        return {"chapters": manifest.get("chapters", {}), "last_build": {}}

    def run(self, chapters: list[Chapter], workers: int | None = None) -> list[Outcome]:
        env_key, package_key = environment_fingerprint(), package_fingerprint()
        notebooks = {chapter: read_notebook(chapter) for chapter in chapters}
        notebooks = {c: nb for c, nb in notebooks.items() if nb and any(cell.cell_type == "code" for cell in nb.cells)}
        chapters = list(notebooks)
        keys = {chapter: dependency_key(nb, env_key, package_key) for chapter, nb in notebooks.items()}
        outcomes = [Outcome(c, "cached") for c in chapters if self.is_fresh(c, notebooks[c], self.fresh_key(c, notebooks[c], package_key))]
        self.manifest["last_build"] = {o.chapter.docname: o.status for o in outcomes}
        stale = sorted((c for c in chapters if c not in {o.chapter for o in outcomes}), key=self.expected_seconds, reverse=True)
        for folder in sorted({c.path.parent for c in stale}):
            check_shared_packages(_kernel_environment(1), folder)
        workers = max(1, min(workers or os.cpu_count() or 1, len(stale) or 1))
        # One thread per kernel, even when fewer chapters than cores run: these networks are too small to
        # gain from more, and a second OpenMP thread that has to share its core with anything else made
        # a 500-node fit 8 times slower (2.3 s against 20 s, measured here).
        threads = 1
        print(f"execute: {len(stale)} of {len(chapters)} notebooks to run ({workers} at a time)", flush=True)
        with self._kernels(stale, threads) as manager, ThreadPoolExecutor(workers) as pool:
            futures = [pool.submit(self._execute, c, notebooks[c], keys[c], threads, manager) for c in stale]
            try:
                for done, future in enumerate(as_completed(futures), start=1):
                    outcome = future.result()
                    say(f"  [{done}/{len(stale)}] {outcome.chapter.relpath}: {outcome.status} in {outcome.seconds:.1f} s")
                    outcomes.append(outcome)
            except KeyboardInterrupt:
                self._stop(futures)  # the threads return within seconds; leaving the pool waits for them
        if self.stopping.is_set():
            kept = [c for c in stale if self.manifest["last_build"].get(c.docname) == "executed"]
            raise Interrupted(kept, [c for c in stale if c not in kept])
        with self.lock:
            self.manifest["last_build"] = {o.chapter.docname: o.status for o in outcomes}
            self.save_manifest()
        failures = [o for o in outcomes if o.status == "failed"]
        if failures:
            raise ExecutionFailed(failures)
        return outcomes

    def _stop(self, futures: list) -> None:
        """Ctrl-C: start nothing more and end every kernel, so that each chapter's thread returns."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut this short
        self.stopping.set()
        for future in futures:
            future.cancel()  # those not started yet
        with self.lock:
            for client in self.clients:
                # The kernel, or for a forked one its launcher, which passes the signal on.
                process = getattr(getattr(client.km, "provisioner", None), "process", None)
                if process is not None and process.poll() is None:
                    process.terminate()

    @contextmanager
    def _kernels(self, stale: list[Chapter], threads: int) -> Iterator[type[AsyncKernelManager]]:
        """The kernel manager class for this build: forked from a zygote where that works, else fresh kernels."""
        manager = AsyncKernelManager
        with ExitStack() as stack:
            if self.warm_kernels and stale:
                try:
                    kernels = settings()["kernels"]
                    hooks = str(ROOT / kernels["hooks"]) if kernels.get("hooks") else ""
                    zygote = running_zygote(
                        _kernel_environment(threads),
                        kernels.get("preload", []),
                        hooks,
                        [ROOT / folder for folder in settings()["execution_key"]],
                    )
                    manager = warm_kernel_manager(stack.enter_context(zygote))
                except ZygoteUnavailable as reason:
                    say(f"execute: {reason}; each chapter runs in a fresh Python instead")
            yield manager

    def expected_seconds(self, chapter: Chapter) -> float:
        """The last run's time, else a guess from the file's size: longest first, so that no long
        chapter starts last while the other cores sit idle."""
        last = self.manifest["chapters"].get(chapter.docname, {}).get("seconds")
        return last if last is not None else chapter.path.stat().st_size / 2500

    def fresh_key(self, chapter: Chapter, nb: nbformat.NotebookNode, package_key: str) -> str:
        """The key of a cached run that this build may use: made on the device the chapter is meant for."""
        return dependency_key(nb, environment_fingerprint(self.device_of(chapter, nb)), package_key)

    def is_fresh(self, chapter: Chapter, nb: nbformat.NotebookNode, key: str) -> bool:
        if self.manifest["chapters"].get(chapter.docname, {}).get("key") != key:
            return False
        try:
            # The cache's key is made of the code cells (and the kernelspec): matching without the
            # prose, which the match would copy, halves the time of this check for every chapter.
            self.cache.match_cache_notebook(nbformat.from_dict({**nb, "cells": [c for c in nb.cells if c.cell_type == "code"]}))
        except KeyError:
            return False
        return True

    def _execute(
        self, chapter: Chapter, nb: nbformat.NotebookNode, key: str, threads: int, manager: type[AsyncKernelManager] = AsyncKernelManager
    ) -> Outcome:
        runinfo = self.build_dir / "runinfo" / f"{chapter.docname.replace('/', '__')}.json"
        runinfo.parent.mkdir(parents=True, exist_ok=True)
        runinfo.unlink(missing_ok=True)
        env = {**_kernel_environment(threads), RUNINFO_VARIABLE: str(runinfo)}
        running: dict[str, int] = {}  # which cell is executing, to name it after a timeout or a crash

        def cell_starts(cell, cell_index: int) -> None:
            if self.stopping.is_set():
                raise _Stopped
            running.update(index=cell_index)

        client = NotebookClient(
            nb,
            timeout=self.timeout,
            allow_errors=False,
            kernel_name="python3",
            kernel_manager_class=manager,
            resources={"metadata": {"path": str(chapter.path.parent)}},
            record_timing=False,  # timestamps in cell metadata would change the cache key myst-nb looks up
            on_cell_start=cell_starts,
        )
        say(f"  running {chapter.relpath} ...")
        start = time.perf_counter()
        with self.lock:
            self.clients.add(client)
        try:
            client.execute(env=env, stderr=subprocess.DEVNULL)  # the kernel's own log lines are noise
        except Exception as error:
            if self.stopping.is_set():  # whatever Ctrl-C's end of the kernel looked like from here
                return Outcome(chapter, "stopped", time.perf_counter() - start)
            if not isinstance(error, (CellExecutionError, CellTimeoutError, DeadKernelError)):
                raise
            message = describe_failure(chapter, nb, error, running.get("index"))
            report = f"{message}\n\nFull error:\n{ANSI.sub('', str(error))}"
            return Outcome(chapter, "failed", time.perf_counter() - start, message, report)
        finally:
            with self.lock:
                self.clients.discard(client)
        seconds = time.perf_counter() - start
        problem = describe_stderr(chapter, nb) or describe_no_longer_raising(chapter, nb)
        if problem:  # checked here because Sphinx never sees stderr in cells tagged remove-output
            return Outcome(chapter, "failed", seconds, problem)
        recorded = json.loads(runinfo.read_text()) if runinfo.exists() else {"device": "not recorded"}
        try:
            self._store(
                chapter,
                nb,
                {
                    "key": key,
                    "seconds": round(seconds, 2),
                    "executed_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    **recorded,
                },
            )
        except ChangedWhileRunning:
            return Outcome(
                chapter,
                "failed",
                seconds,
                f"{chapter.relpath} was changed while it ran, so its results "
                "were not kept. Run `make book` again (`make serve` does so by itself).",
            )
        return Outcome(chapter, "executed", seconds)

    def _store(self, chapter: Chapter, nb: nbformat.NotebookNode, record: dict) -> None:
        """Put an executed chapter into the cache where myst-nb will look for it, and record it at once."""
        with self.lock:
            self.cache.cache_notebook_bundle(
                CacheBundleIn(nb, str(chapter.path), data={"execution_seconds": record["seconds"]}),
                check_validity=False,
                overwrite=True,
            )
            # myst-nb looks the chapter up by its source; if that failed it would silently run it again.
            try:
                self.cache.match_cache_notebook(read_notebook(chapter))
            except KeyError:
                raise ChangedWhileRunning(chapter) from None
            self.manifest["chapters"][chapter.docname] = record
            self.manifest["last_build"][chapter.docname] = "executed"
            self.save_manifest()

    def save_manifest(self) -> None:
        """Write the record in one rename: a build killed meanwhile leaves the old record or the new one."""
        write_in_one_rename(self.manifest_path, json.dumps(self.manifest, indent=1, sort_keys=True))


def say(line: str) -> None:
    """Print a progress line in one write, so that lines from parallel chapters never run together."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _kernel_environment(threads: int) -> dict[str, str]:
    """One core's worth of threads per kernel: kernels running side by side must not fight over cores.
    This checkout's src/ comes first on the kernel's path, before any editable install of another checkout."""
    path = os.pathsep.join([str(SHARED), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))])
    return {**os.environ, "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads), "PYTHONPATH": path}


def warm_kernel_manager(socket_path: str) -> type[AsyncKernelManager]:
    """A kernel manager whose kernels are forked by the zygote listening on socket_path."""

    class WarmKernelManager(AsyncKernelManager):
        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            return launch_command(socket_path, os.path.realpath(self.connection_file))

    return WarmKernelManager


def describe_failure(chapter: Chapter, nb: nbformat.NotebookNode, error: Exception, running: int | None = None) -> str:
    """Chapter, line and cell of the failure, and the error itself, without the traceback noise.

    ``running`` is the index of the cell that was executing when the error came.
    """
    index, cell = _failing_cell(nb, running)
    source_map = nb.metadata.get("source_map", [])
    where = f"{chapter.relpath}"
    if index is not None:
        line = source_map[index] + 1 if index < len(source_map) else "?"
        number = sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code")
        where += f", line {line} (code cell {number})"
    if isinstance(error, CellTimeoutError):
        what = f"the cell ran longer than the {_timeout_of(error)} time limit (execute: timeout in _config.yml)"
    elif isinstance(error, DeadKernelError):
        what = "the Python kernel died while running this cell (a crash in native code, running out of memory, or an exit call)"
    else:
        output = next((o for o in (cell.get("outputs", []) if cell else []) if o.get("output_type") == "error"), {})
        name = output.get("ename") or getattr(error, "ename", None) or type(error).__name__
        value = output.get("evalue") or getattr(error, "evalue", None) or str(error)
        what = f"{name}: {ANSI.sub('', value)}"
    snippet = "\n".join("    | " + s for s in (cell.source.splitlines()[:6] if cell else []))
    return f"{where}: {what}\n{snippet}\nFix the chapter (or the code it calls in src/) and run `make book` again."


def describe_stderr(chapter: Chapter, nb: nbformat.NotebookNode) -> str:
    """Where a cell wrote to stderr (e.g. a "Glyph missing" warning), or "" if none did.

    myst-nb's stderr check (nb_output_stderr) skips the outputs that a cell's
    remove-output or remove-cell tag hides, and figures are usually drawn in such cells.
    """
    source_map = nb.metadata.get("source_map", [])
    for index, cell in enumerate(nb.cells):
        streams = [out for out in cell.get("outputs", []) if out.get("output_type") == "stream" and out.get("name") == "stderr"]
        if cell.cell_type != "code" or not streams or "remove-stderr" in cell.get("metadata", {}).get("tags", []):
            continue  # remove-stderr: the author chose to hide this cell's stderr, as myst-nb does
        line = source_map[index] + 1 if index < len(source_map) else "?"
        text = "\n".join("    ! " + s for s in "".join(out.get("text", "") for out in streams).strip().splitlines()[:5])
        snippet = "\n".join("    | " + s for s in cell.source.splitlines()[:6])
        return (
            f"{chapter.relpath}, line {line} (cell {index + 1}) wrote to stderr:\n{text}\n{snippet}\n"
            "Fix what it complains about (for a missing glyph: draw the text with a font that has it) and run `make book` again."
        )
    return ""


def describe_no_longer_raising(chapter: Chapter, nb: nbformat.NotebookNode) -> str:
    """Where a cell tagged raises-exception (a deliberate error) ran without one, or "": the lesson changed."""
    source_map = nb.metadata.get("source_map", [])
    for index, cell in enumerate(nb.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type == "code" and "raises-exception" in tags and "skip-execution" not in tags:
            if not any(out.get("output_type") == "error" for out in cell.get("outputs", [])):
                line = source_map[index] + 1 if index < len(source_map) else "?"
                snippet = "\n".join("    | " + s for s in cell.source.splitlines()[:6])
                return (
                    f"{chapter.relpath}, line {line} (cell {index + 1}) is tagged raises-exception, to show an error "
                    f"on purpose, but it ran without one:\n{snippet}\nThe lesson changed: make the cell fail again, "
                    "or remove the tag (and the prose about the error)."
                )
    return ""


def _failing_cell(nb: nbformat.NotebookNode, running: int | None):
    """The cell with an error output, else the one that was running (after a timeout or a crash)."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any(out.get("output_type") == "error" for out in cell.get("outputs", [])):
            return index, cell
    return (running, nb.cells[running]) if running is not None else (None, None)


def _timeout_of(error: Exception) -> str:
    match = re.search(r"after (\d+) seconds", str(error))
    return f"{match.group(1)} s" if match else "per-cell"
