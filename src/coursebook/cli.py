"""`python -m coursebook COMMAND [options]`: the generator's commands (the Makefile's targets call them).

Each command is its feature's own `main()`, which parses the options after the command's name.
"""

from __future__ import annotations

import importlib
import inspect
import os
import subprocess
import sys
from pathlib import Path

# command -> (module, what it does); the module's main() reads sys.argv[1:]
COMMANDS = {
    "build": ("coursebook.build.pipeline", "execute the stale chapters, build the site, check it, publish it (make book)"),
    "plan": ("coursebook.sharding", "how the stale chapters would be shared out among runners (make plan)"),
    "execute": ("coursebook.sharding", "run share k of N of the stale chapters (make execute)"),
    "check": ("coursebook.bilingual.check", "check the sources fast: translation pairs, Korean spacing (make check)"),
    "translations": ("coursebook.bilingual.translations", "`translations ok [FILE]`: confirm that each pair says the same"),
    "spacing": ("coursebook.bilingual.korean_spacing", "`spacing --fix [FILE]`: attach spaced Korean particles"),
    "serve": ("coursebook.build.serve", "live preview on http://127.0.0.1:8000, rebuilt on save (make serve)"),
    "chapter": ("coursebook.build.new_chapter", "`chapter NAME`: scaffold a chapter and list it in _toc.yml (make chapter)"),
    "site-check": ("coursebook.build.site_check", "`site-check [SITE]`: check a built site"),
    "pdf": ("coursebook.pdf.printer", "`pdf [SITE] [OUT]`: print a built site as one PDF per language"),
    "reproducible": ("coursebook.execution.reproducible", "build three times from clean and compare (make reproducible)"),
    "gpu-check": ("coursebook.execution.gpu_check", "build on CUDA and on the CPU, compare per-chapter times (make gpu-check)"),
    "import": ("coursebook.importer.__main__", "`import NOTEBOOK|FOLDER [--name NAME]`: notebooks as chapters (make import NB=...)"),
    "new": ("coursebook.build.new_course", "`new DIR [--package NAME]`: start another course (make new-book DIR=...)"),
    "config-reference": ("coursebook.config", "write the configuration reference (docs/configuration.md)"),
}
SCRIPTS = {  # shell scripts shipped with the package
    "system-deps": ("build/system_deps.sh", "install the Debian packages the tests and the PDF need (Chromium, Korean fonts)"),
    "push-colab": ("notebooks/push_colab_notebooks.sh", "CI: publish the built notebooks to the Colab branch"),
}


def usage() -> str:
    rows = [*((name, doc) for name, (_, doc) in COMMANDS.items()), *((name, doc) for name, (_, doc) in SCRIPTS.items())]
    return "usage: python -m coursebook COMMAND [options]\n\n" + "\n".join(f"  {name:<17}{doc}" for name, doc in rows)


def run_this_checkouts_generator(argv: list[str]) -> None:
    """A course that carries its own generator (src/coursebook) is built by that one, even when the
    virtual environment's editable install points at another checkout (a worktree sharing a .venv)."""
    from coursebook.layout import ROOT

    own = ROOT / "src" / "coursebook"
    if own.is_dir() and own.resolve() != Path(__file__).resolve().parent and "COURSEBOOK_OWN_CHECKOUT" not in os.environ:
        path = os.pathsep.join(filter(None, [str(own.parent), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONPATH": path, "COURSEBOOK_OWN_CHECKOUT": "1"}
        os.execve(sys.executable, [sys.executable, "-m", "coursebook", *argv], env)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    run_this_checkouts_generator(argv)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in {**COMMANDS, **SCRIPTS}:
        print(usage(), file=sys.stderr if argv and argv[0] not in ("-h", "--help") else sys.stdout)
        raise SystemExit(0 if argv and argv[0] in ("-h", "--help") else 2)
    command, rest = argv[0], argv[1:]
    if command in SCRIPTS:
        raise SystemExit(subprocess.call([str(Path(__file__).parent / SCRIPTS[command][0]), *rest]))
    module = importlib.import_module(COMMANDS[command][0])
    keep = [command] if command in ("plan", "execute") else []  # sharding's own subcommands
    sys.argv = [f"coursebook {command}", *keep, *rest]
    takes_argv = any(p.default is p.empty for p in inspect.signature(module.main).parameters.values())
    status = module.main(sys.argv[1:]) if takes_argv else module.main()
    raise SystemExit(status)
