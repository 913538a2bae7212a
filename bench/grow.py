"""A bigger book for the growth benchmark: a copy of the repository with about 50 chapters.

    .venv/bin/python -m bench.grow DEST [--chapters 50]

The copy keeps the book's chapters and adds copies of them, taken in turn
(01, 02, ..., 08, 01, ...), until it has the number asked for. Each copy is a
chapter of its own: its file, its entry in _toc.yml, its title (numbered), and
its figure names and other labels (which are global in Sphinx) renamed, so the
book still builds with warnings as errors. Its code is its original's, so its
run time, outputs and prose are realistic; its words are not new, so the search
index's vocabulary grows less than a real book's would.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import yaml

from coursebook.chapters import checked_chapters
from coursebook.build.repo_copy import copy_repo

# Names that Sphinx keeps in one namespace for the whole book: a figure's :name:, a (label)= target.
LABEL = re.compile(r"^:name:\s*(\S+)\s*$|^\((\S+)\)=\s*$", re.M)
TITLE = re.compile(r"^# (.+)$", re.M)


def grow(dest: Path, chapters: int = 50) -> Path:
    """Copy the repository to dest and add chapter copies until the book has `chapters` chapters."""
    repo = copy_repo(dest)
    originals = [c for c in checked_chapters(repo) if c.docname.startswith("lectures/")]
    toc_path = repo / "_toc.yml"
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    entries = toc["chapters"] if "chapters" in toc else toc["parts"][-1]["chapters"]
    after = max(i for i, entry in enumerate(entries) if str(entry.get("file", "")).startswith("lectures/")) + 1
    added = []
    for number in range(len(originals) + 1, chapters + 1):
        original = originals[(number - len(originals) - 1) % len(originals)]
        copy = number - len(originals)
        name = f"{number:02d}_{original.path.stem.split('_', 1)[1]}_copy{copy}"
        text = original.path.read_text(encoding="utf-8")
        for label in {a or b for a, b in LABEL.findall(text)}:
            text = re.sub(rf"(?<![\w-]){re.escape(label)}(?![\w-])", f"{label}-copy{copy}", text)
        text = TITLE.sub(lambda m: f"# {m.group(1)} ({copy})", text, count=1)
        (repo / "lectures" / f"{name}.md").write_text(text, encoding="utf-8")
        added.append({"file": f"lectures/{name}"})
    entries[after:after] = added  # after the last chapter, before the glossary and the status page
    toc_path.write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return repo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--chapters", type=int, default=50)
    args = parser.parse_args()
    repo = grow(args.dest, args.chapters)
    print(f"{sum(c.docname.startswith('lectures/') for c in checked_chapters(repo))} chapters in {repo}")


if __name__ == "__main__":
    main()
