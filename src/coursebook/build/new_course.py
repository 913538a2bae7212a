"""`make new-book DIR=path` (python -m coursebook new DIR): start another course with this generator.

The course gets its own shared package (src/<package>, numpy only), two bilingual chapters, a copy of
the generator (src/coursebook), and the same two commands: `make book` and `make test`. Its
requirements.txt pins, at the versions installed here, what the generator and its tests need.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from string import Template

from coursebook.layout import GENERATOR

SCAFFOLD = Path(__file__).resolve().parent / "new_course"
# What a course built by the generator installs; their dependencies come along, pinned the same way.
NEEDS = ("jupyter-book", "pytest", "beautifulsoup4", "playwright", "ipykernel", "numpy", "pyyaml", "setuptools")


def pinned_requirements(needs: tuple[str, ...] = NEEDS) -> str:
    """``name==version`` of each package in ``needs`` and of everything they require, as installed here."""
    seen: dict[str, str] = {}
    todo = list(needs)
    while todo:
        name = _canonical(todo.pop())
        if name in seen:
            continue
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # an optional dependency that is not installed here
        seen[name] = distribution.version
        for requirement in distribution.requires or []:
            if "extra ==" not in requirement:
                todo.append(re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0])
    lines = [f"{name}=={version}" for name, version in sorted(seen.items())]
    return "# Pinned by `python -m coursebook new` from the generator's own environment.\n" + "\n".join(lines) + "\n"


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def new_course(folder: Path, package: str, title_ko: str, title_en: str) -> list[Path]:
    if folder.exists() and any(folder.iterdir()):
        raise SystemExit(f"{folder} is not empty: name a new folder.")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", package) or package == "coursebook":
        raise SystemExit(f"--package {package!r}: a Python package name (lowercase letters, digits, _), not coursebook.")
    values = {"package": package, "title_ko": title_ko, "title_en": title_en, "title_en_lower": title_en.lower()}
    written = []
    for source in sorted(SCAFFOLD.rglob("*")):
        if source.is_dir() or "__pycache__" in source.parts:
            continue
        relative = source.relative_to(SCAFFOLD).as_posix().replace("src_package", f"src/{package}")
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(Template(source.read_text(encoding="utf-8")).safe_substitute(values), encoding="utf-8")
        written.append(target)
    (folder / "requirements.txt").write_text(pinned_requirements(), encoding="utf-8")
    shutil.copytree(GENERATOR, folder / "src" / "coursebook", ignore=shutil.ignore_patterns("__pycache__"))
    (folder / ".gitignore").write_text(".venv\n_build/\n__pycache__/\n*.egg-info/\n.pytest_cache/\n", encoding="utf-8")
    # The scaffold's pairs say the same: confirmed, so that `make check` watches each edit from here on.
    subprocess.run(
        [sys.executable, "-m", "coursebook", "translations", "ok"],
        cwd=folder,
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(folder / "src"), "COURSEBOOK_ROOT": str(folder.resolve())},
    )
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--package", help="the course's shared package (default: from the folder's name)")
    parser.add_argument("--title-ko", default="새 강의")
    parser.add_argument("--title-en", default="A new course")
    args = parser.parse_args()
    package = args.package or re.sub(r"\W+", "_", args.folder.resolve().name).lower().strip("_") or "course"
    new_course(args.folder, package, args.title_ko, args.title_en)
    print(f"created the course {args.folder} (package {package}). Next: cd {args.folder} && make book && make test")
