"""`make reproducible`: build the book three times from clean and compare what the chapters computed.

Each build runs in its own temporary copy of the repository with no execution
cache, so every chapter executes. The first build forks its kernels from a warm
one, as `make book` does (coursebook.execution.warm_kernel); the second starts a fresh Python
for every chapter, as Colab or a reader's Jupyter would, so this also proves that
forking changes nothing a chapter computes. The third executes the chapters in two
shares (`make execute SHARD=k/2`, as CI's runners do) and builds from the merged
shares (`make book SHARDS=...`), which must execute nothing (coursebook.sharding).

Compared: every output of every code cell (printed text, results, HTML such as
the diagrams, figures by a digest of their bytes) and every glued value. Both
builds use the same pinned libraries on the same machine, so even the figures'
pixels must agree. Exit 1, with each difference named by chapter and cell, when
the two builds disagree.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

from jupyter_cache import get_cache

from coursebook.chapters import checked_chapters
from coursebook.execution.executor import read_notebook
from coursebook.layout import ROOT
from coursebook.build.repo_copy import build, copy_repo, run_tool
from coursebook.runtime.glue import GLUE_METADATA


def clean_build(workdir: Path, *options: str) -> Path:
    """Copy the sources into workdir, build there from nothing, return the copy."""
    copy = copy_repo(workdir / ROOT.name)
    started = time.perf_counter()
    result = build(copy, *options)
    if result.returncode != 0:
        sys.exit(f"the clean build in {copy} failed:\n{result.stdout}{result.stderr}")
    print(f"  {' '.join(('clean build', *options))} in {time.perf_counter() - started:.0f} s", flush=True)
    return copy


def sharded_build(workdir: Path, shares: int = 2, *options: str) -> Path:
    """Copy the sources, execute them in shares (one after another, each into its own folder,
    as separate machines would), then build from the merged shares; return the copy.
    ``options`` go to each share's `coursebook execute` (say, --fresh-kernels)."""
    copy = copy_repo(workdir / ROOT.name)
    started = time.perf_counter()
    folders = [workdir / f"share-{k}" for k in range(1, shares + 1)]
    for k, folder in enumerate(folders, start=1):
        result = run_tool(copy, "execute", "--shard", f"{k}/{shares}", "--dir", str(folder), *options)
        if result.returncode != 0:
            sys.exit(f"share {k}/{shares} in {copy} failed:\n{result.stdout}{result.stderr}")
    result = build(copy, "--shards", *map(str, folders))
    if result.returncode != 0:
        sys.exit(f"the build from {shares} shares in {copy} failed:\n{result.stdout}{result.stderr}")
    if "execute: 0 of" not in result.stdout:
        sys.exit(f"the build from {shares} shares executed chapters itself:\n{result.stdout}")
    print(f"  {shares} shares, then a build from them, in {time.perf_counter() - started:.0f} s", flush=True)
    return copy


def computed(copy: Path) -> dict[str, str]:
    """'chapter, what' -> text, for every output and glued value of the chapters as they are now.

    Read from the execution cache: that is what the pages were made from.
    """
    found: dict[str, str] = {}
    cache = get_cache(str(copy / "_build" / ".jupyter_cache"))
    for source in checked_chapters(copy):
        nb = read_notebook(source)
        if nb is None or not any(cell.cell_type == "code" for cell in nb.cells):
            continue
        chapter = source.relpath
        try:
            executed = cache.get_cache_bundle(cache.match_cache_notebook(nb).pk).nb
        except KeyError:
            found[f"{chapter}, executed"] = "no run in the execution cache"
            continue
        code = [cell for cell in executed.cells if cell.cell_type == "code"]
        for number, cell in enumerate(code, start=1):
            # How a cell's printing is split into stream chunks depends on timing, not on what it printed.
            streams: dict[str, str] = {}
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream":
                    streams[output["name"]] = streams.get(output["name"], "") + output["text"]
            for name, text in streams.items():
                found[f"{chapter}, code cell {number} ({name})"] = text
            others = [o for o in cell.get("outputs", []) if o.get("output_type") != "stream"]
            for index, output in enumerate(others, start=1):
                glue = output.get("metadata", {}).get(GLUE_METADATA, {})
                what = f"glue {glue['glue']!r}" if glue else f"code cell {number}, output {index}"
                for kind, text in _texts(output).items():
                    found[f"{chapter}, {what} ({kind})"] = text
    return found


def _texts(output: dict) -> dict[str, str]:
    if output.get("output_type") == "error":
        return {"error": f"{output['ename']}: {output['evalue']}"}
    texts = {}
    for mime, value in output.get("data", {}).items():
        mime = "/".join(mime.split("/")[-2:])  # a glued output's data is under a prefix: .../image/png
        text = "".join(value) if isinstance(value, list) else str(value)
        texts[mime] = f"sha256 {hashlib.sha256(text.encode()).hexdigest()[:16]}" if mime.startswith("image/") else text
    return texts


def differences(first: dict[str, str], second: dict[str, str]) -> list[str]:
    found = []
    for key in sorted(first.keys() | second.keys()):
        a, b = first.get(key), second.get(key)
        if a != b:
            found.append(f"{key}:\n    first:  {_short(a)}\n    second: {_short(b)}")
    return found


def _short(text: str | None) -> str:
    if text is None:
        return "(missing)"
    return repr(text if len(text) < 300 else text[:300] + "...")


def compare(first: dict[str, str], second: dict[str, str], what: str) -> None:
    if found := differences(first, second):
        print(f"reproducible: FAILED, {len(found)} of {len(first)} outputs differ between two clean builds ({what}):", file=sys.stderr)
        print("\n".join(found), file=sys.stderr)
        print(
            "Seed what the differing cells compute, or keep timings and addresses out of outputs."
            " If a fork explains it (state a fresh Python would not share), see coursebook.execution.warm_kernel.",
            file=sys.stderr,
        )
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-sharded", action="store_true", help="leave out the third, sharded build")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reproducible-") as tmp:
        names = ("forked", "fresh") + (() if args.no_sharded else ("sharded",))
        workdirs = [Path(tmp) / name for name in names]
        for workdir in workdirs:
            workdir.mkdir()
        print(
            f"reproducible: building {len(names)} times from clean: forked kernels, fresh ones"
            + ("" if args.no_sharded else ", in two shares"),
            flush=True,
        )
        first = computed(clean_build(workdirs[0]))
        second = computed(clean_build(workdirs[1], "--fresh-kernels"))
        third = None if args.no_sharded else computed(sharded_build(workdirs[2]))
    if not first:
        sys.exit("no executed chapter was found in the execution cache: nothing to compare")
    compare(first, second, "first: forked kernels, second: fresh kernels")
    if third is not None:
        compare(first, third, "first: one machine, second: two shares merged")
    print(
        f"reproducible: OK, {2 if third is None else 3} clean builds (forked kernels, fresh kernels"
        + ("" if third is None else ", two shares")
        + f") gave the same {len(first)} outputs and glued values"
    )


if __name__ == "__main__":
    main()
