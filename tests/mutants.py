"""`make mutants`: does each test catch the bug it claims to? A hand-made mutation check.

Each mutant below is one small, plausible bug in one file: ``old`` replaced by ``new`` (the text must
occur exactly once, so that a moved or edited line is reported, never silently skipped). For each,
the repository is copied to a temporary folder (sources, and the execution cache where the tests
build the book), the mutant applied there, and the tests that should catch it run in the copy.
A mutant is killed when those tests fail. First, the same tests run once on the unmutated copy: a
test that fails without a bug proves nothing.

    python tests/mutants.py            # every mutant; prints killed/total
    python tests/mutants.py -k css     # those whose name contains "css"
    python tests/mutants.py --list

Not part of `make test`: it runs the selected tests once per mutant (about ten minutes here).
Paths live in MUTANTS alone: when a file moves, edit its row.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coursebook.build.repo_copy import copy_repo  # noqa: E402


@dataclass(frozen=True)
class Mutant:
    name: str
    file: str  # relative to the repository
    old: str
    new: str
    tests: tuple[str, ...]  # pytest arguments, relative to the repository: files, -k expressions
    needs_build: bool = False  # its tests build the book: bring the execution cache along


MUTANTS = [
    # --- site check (tools/site_check.py)
    Mutant(
        "site check ignores <link> (stylesheets, fonts, icons)",
        "src/coursebook/build/site_check.py",
        '    "link": ("href",),\n',
        "",
        ("tests/test_site.py", "-m", "not build"),
    ),
    Mutant(
        "site check ignores iframes",
        "src/coursebook/build/site_check.py",
        '"iframe": ("src",),\n',
        "\n",
        ("tests/test_site.py", "-m", "not build"),
    ),
    Mutant(
        "site check misses protocol-relative //host",
        "src/coursebook/build/site_check.py",
        'urlsplit(url).hostname if re.match(r"^(https?:)?//", url, re.I)',
        'urlsplit(url).hostname if re.match(r"^https?://", url, re.I)',
        ("tests/test_site.py", "-m", "not build"),
    ),
    Mutant(
        "site check skips .css files",
        "src/coursebook/build/site_check.py",
        "        for url in css_urls(stylesheet.read_text(",
        "        for url in [] and css_urls(stylesheet.read_text(",
        ("tests/test_site.py", "-m", "not build"),
    ),
    Mutant(
        'site check misses @import "..."',
        "src/coursebook/build/site_check.py",
        "return CSS_URL.findall(text) + CSS_IMPORT.findall(text)",
        "return CSS_URL.findall(text)",
        ("tests/test_site.py", "-m", "not build"),
    ),
    # --- Korean spacing (tools/korean_spacing.py)
    Mutant(
        "spacing misses a particle after math ($x$ 를)",
        "src/coursebook/bilingual/korean_spacing.py",
        "(?<=[0-9A-Za-z`$)}\\]])",
        "(?<=[0-9A-Za-z`)}\\]])",
        ("tests/test_korean_spacing.py",),
    ),
    Mutant(
        "spacing misses a particle after a role or bracket",
        "src/coursebook/bilingual/korean_spacing.py",
        "(?<=[0-9A-Za-z`$)}\\]])",
        "(?<=[0-9A-Za-z$])",
        ("tests/test_korean_spacing.py",),
    ),
    Mutant(
        "--fix writes nothing back",
        "src/coursebook/bilingual/korean_spacing.py",
        '    path.write_text("\\n".join(lines), encoding="utf-8")\n',
        "",
        ("tests/test_korean_spacing.py",),
    ),
    # --- one language at a time (book/_static/nnstep-reader.css)
    Mutant(
        "the separator shows in one-language mode",
        "src/coursebook/reader/static/coursebook-reader.css",
        'html[data-coursebook-lang="ko"] .lang-sep,\nhtml[data-coursebook-lang="en"] .lang-sep {',
        "html .no-such-thing {",
        ("tests/browser/test_headings.py",),
        needs_build=True,
    ),
    # --- shards (tools/shards.py)
    Mutant(
        "a merge forgets to record a chapter",
        "src/coursebook/sharding.py",
        '            executor.manifest["chapters"][docname] = record[docname]\n',
        "",
        ("tests/test_shards.py", "-k", "after_a_merge"),
    ),
    Mutant(
        "shares are filled shortest first",
        "src/coursebook/sharding.py",
        "sorted(cpu, key=lambda c: (-seconds(c), c.docname))",
        "sorted(cpu, key=lambda c: (seconds(c), c.docname))",
        ("tests/test_shards.py", "-k", "balanced"),
    ),
    # --- execution (tools/execute.py)
    Mutant(
        "stale chapters run shortest first",
        "src/coursebook/execution/executor.py",
        "key=self.expected_seconds, reverse=True)",
        "key=self.expected_seconds)",
        ("tests/test_readme_claims.py", "-k", "longest_first"),
    ),
    Mutant(
        "the kernels import another checkout's package",
        "src/coursebook/execution/executor.py",
        '"MKL_NUM_THREADS": str(threads), "PYTHONPATH": path}',
        '"MKL_NUM_THREADS": str(threads)}',
        ("tests/test_own_package.py",),
    ),
    Mutant(
        "no refusal when the package comes from elsewhere",
        "src/coursebook/execution/executor.py",
        "            check_shared_packages(_kernel_environment(1), folder)\n",
        "            pass\n",
        ("tests/test_own_package.py", "-k", "refused"),
    ),
    Mutant(
        "the execution key ignores the shared package",
        "src/coursebook/execution/executor.py",
        "uses_package = not names or any(name in code for name in names)",
        "uses_package = False",
        ("tests/test_own_package.py", "-k", "shared_packages"),
    ),
    # --- notebooks (book/_ext/notebooks.py)
    Mutant(
        "a notebook shows the glue's name, not its number",
        "src/coursebook/notebooks/export.py",
        'return format_glued(self.glue[key], spec) if key in self.glue else f"`{key}`"',
        'return f"`{key}`"',
        ("tests/test_notebook_glue.py",),
    ),
    Mutant(
        "an unchanged notebook is written again",
        "src/coursebook/notebooks/export.py",
        'if target.is_file() and last.get("inputs") == inputs and results is not None and last.get("results") == results:',
        "if False:",
        ("tests/test_notebook_glue.py",),
    ),
    Mutant(
        "a chapter importing myst_nb passes the build",
        "src/coursebook/notebooks/export.py",
        r"""re.search(r"^\s*(from|import)\s+myst_nb\b", source, re.M)""",
        "False",
        ("tests/test_readme_claims.py", "-k", "myst_nb"),
    ),
    # --- make serve, make translations-ok (tools/serve.py, tools/translations.py)
    Mutant(
        "make serve never rebuilds after a save",
        "src/coursebook/build/serve.py",
        "            if now != seen:",
        "            if False:",
        ("tests/test_readme_claims.py", "-k", "serve"),
    ),
    Mutant(
        "make translations-ok without FILE confirms nothing",
        "src/coursebook/bilingual/translations.py",
        "files = [ROOT / name for name in argv[1:] if name.strip()] or None",
        "files = [ROOT / name for name in argv[1:] if name.strip()]",
        ("tests/test_readme_claims.py", "-k", "translations"),
    ),
    Mutant(
        "re-wrapping a paragraph counts as a change",
        "src/coursebook/bilingual/translations.py",
        'hashlib.sha256(" ".join(text.split()).encode())',
        "hashlib.sha256(text.encode())",
        ("tests/test_check.py", "-k", "rewrapping"),
    ),
    # --- the numbers on the pages
    Mutant(
        "a player's last frame is the loss before the last step",
        "src/nnstep/train.py",
        "[recording] = recorder.finish(loss_fn(final, y), final",
        "[recording] = recorder.finish(losses[-1], final",
        ("tests/test_player_html.py",),
    ),
    Mutant(
        "chapter 02 glues its estimates off in the last digit",
        "lectures/02_polynomial_regression.md",
        'glue("poly_w", "[" + ", ".join(f"{w:.4f}" for w in w_hat) + "]", display=False)',
        'glue("poly_w", "[" + ", ".join(f"{w - 1e-4:.4f}" for w in w_hat) + "]", display=False)',
        ("tests/test_lecture_results.py", "-k", "polynomial_estimates"),
        needs_build=True,
    ),
]


def run_tests(repo: Path, mutant: Mutant, timeout: float) -> tuple[int, str]:
    """Run the mutant's tests in the copy; (pytest's exit status, its last lines)."""
    env = {**os.environ, "PYTHONPATH": str(repo / "src"), "COURSEBOOK_DEVICE": os.environ.get("COURSEBOOK_DEVICE", "cpu")}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *mutant.tests]
    try:
        result = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, f"timed out after {timeout:.0f} s"
    lines = (result.stdout + result.stderr).strip().splitlines()
    failed = [line for line in lines if line.startswith(("FAILED ", "ERROR "))]
    return result.returncode, "\n".join(failed[:1] + lines[-2:])


def fresh_copy(where: Path, mutant: Mutant) -> Path:
    repo = where / "repo"
    shutil.rmtree(repo, ignore_errors=True)
    return copy_repo(repo, with_cache=mutant.needs_build)


def apply(repo: Path, mutant: Mutant, check_only: bool = False) -> None:
    path = repo / mutant.file
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if text.count(mutant.old) != 1:
        raise SystemExit(
            f"mutant {mutant.name!r}: {mutant.file} holds its text {text.count(mutant.old)} times, not once: "
            f"update its row in tests/mutants.py ({mutant.old!r})"
        )
    if not check_only:
        path.write_text(text.replace(mutant.old, mutant.new), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-k", default="", help="only the mutants whose name contains this")
    parser.add_argument("--list", action="store_true", help="list the mutants and their tests")
    parser.add_argument("--no-baseline", action="store_true", help="skip running the tests on the unmutated copy first")
    parser.add_argument("-v", "--verbose", action="store_true", help="name the test that killed each mutant")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per run of a mutant's tests")
    args = parser.parse_args()
    chosen = [m for m in MUTANTS if args.k.lower() in m.name.lower()]
    if args.list:
        for mutant in chosen:
            print(f"{mutant.name}\n    {mutant.file}  ->  pytest {' '.join(mutant.tests)}")
        return 0
    with tempfile.TemporaryDirectory(prefix="mutants-") as folder:
        where = Path(folder)
        for mutant in chosen:  # every mutant's text is where its row says, before anything runs
            apply(ROOT, mutant, check_only=True)
        if not args.no_baseline:
            groups = {(m.tests, m.needs_build): m for m in chosen}  # one run per distinct selection of tests
            for mutant in groups.values():
                status, tail = run_tests(fresh_copy(where, mutant), mutant, args.timeout)
                if status != 0:
                    print(f"baseline: pytest {' '.join(mutant.tests)} fails without any mutant (exit status {status}):\n{tail}")
                    return 1
            print(f"baseline: the tests of the {len(chosen)} mutants pass without them ({len(groups)} selections)", flush=True)
        survivors = []
        for number, mutant in enumerate(chosen, start=1):
            started = time.monotonic()
            repo = fresh_copy(where, mutant)
            apply(repo, mutant)
            status, tail = run_tests(repo, mutant, args.timeout)
            killed = status == 1  # a test failed; 2-5 (interrupted, internal error, usage, no tests) prove nothing
            print(
                f"[{number}/{len(chosen)}] {'killed  ' if killed else 'SURVIVED'} {mutant.name} "
                f"({mutant.file}; {time.monotonic() - started:.0f} s)",
                flush=True,
            )
            if killed and args.verbose:
                print("    " + tail.splitlines()[0], flush=True)
            if not killed:
                survivors.append(mutant)
                print(f"    pytest {' '.join(mutant.tests)} -> exit status {status}\n    " + tail.replace("\n", "\n    "), flush=True)
    print(f"\nmutants killed: {len(chosen) - len(survivors)}/{len(chosen)}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
