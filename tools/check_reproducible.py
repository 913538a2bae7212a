"""`make reproducible`: build the book twice from clean and compare what the chapters computed.

Each build runs in its own temporary copy of the repository with no execution
cache, so every chapter executes. The first build forks its kernels from a warm
one, as `make book` does (tools/warm_kernel.py); the second starts a fresh Python
for every chapter, as Colab or a reader's Jupyter would, so this also proves that
forking changes nothing a chapter computes.

Compared: every output of every code cell (printed text, results, HTML such as
the diagrams, figures by a digest of their bytes) and every glued value. Both
builds use the same pinned libraries on the same machine, so even the figures'
pixels must agree. Exit 1, with each difference named by chapter and cell, when
the two builds disagree.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import time
from pathlib import Path

from jupyter_cache import get_cache

from .layout import ROOT
from .repo_copy import build, copy_repo

def clean_build(workdir: Path, *options: str) -> Path:
    """Copy the sources into workdir, build there from nothing, return the copy."""
    copy = copy_repo(workdir / ROOT.name)
    started = time.perf_counter()
    result = build(copy, *options)
    if result.returncode != 0:
        sys.exit(f"the clean build in {copy} failed:\n{result.stdout}{result.stderr}")
    print(f"  {' '.join(('clean build', *options))} in {time.perf_counter() - started:.0f} s", flush=True)
    return copy


def computed(copy: Path) -> dict[str, str]:
    """'chapter, what' -> text, for every output and glued value the build executed.

    Read from the execution cache: that is what the pages were made from.
    """
    found: dict[str, str] = {}
    cache = get_cache(str(copy / "_build" / ".jupyter_cache"))
    for record in cache.list_cache_records():
        chapter = Path(record.uri).relative_to(copy).as_posix()
        code = [cell for cell in cache.get_cache_bundle(record.pk).nb.cells if cell.cell_type == "code"]
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
                glue = output.get("metadata", {}).get("scrapbook", {})
                what = f"glue {glue['name']!r}" if glue else f"code cell {number}, output {index}"
                for kind, text in _texts(output, glue.get("mime_prefix", "")).items():
                    found[f"{chapter}, {what} ({kind})"] = text
    return found


def _texts(output: dict, mime_prefix: str = "") -> dict[str, str]:
    if output.get("output_type") == "error":
        return {"error": f"{output['ename']}: {output['evalue']}"}
    texts = {}
    for mime, value in output.get("data", {}).items():
        mime = mime.removeprefix(mime_prefix)
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


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="reproducible-") as first_dir, tempfile.TemporaryDirectory(prefix="reproducible-") as second_dir:
        print("reproducible: building twice from clean: forked kernels, then fresh ones", flush=True)
        first = computed(clean_build(Path(first_dir)))
        second = computed(clean_build(Path(second_dir), "--fresh-kernels"))
    if not first:
        sys.exit("no executed chapter was found in the execution cache: nothing to compare")
    if found := differences(first, second):
        print(f"reproducible: FAILED, {len(found)} of {len(first)} outputs differ between two clean builds"
              " (first: forked kernels, second: fresh kernels):", file=sys.stderr)
        print("\n".join(found), file=sys.stderr)
        print("Seed what the differing cells compute (see nnstep.data), or keep timings and addresses out of outputs."
              " If a fork explains it (state a fresh Python would not share), see tools/warm_kernel.py.", file=sys.stderr)
        sys.exit(1)
    print(f"reproducible: OK, two clean builds (forked kernels, fresh kernels) gave the same {len(first)} outputs and glued values")


if __name__ == "__main__":
    main()
