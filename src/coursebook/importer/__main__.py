"""`make import NB=path.ipynb|folder [NAME=09_topic]`: import notebooks as chapters, and report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import ImportRefused, import_notebooks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make import", description=__doc__)
    parser.add_argument("notebooks", nargs="+", type=Path, help="a .ipynb file or a folder of them")
    parser.add_argument("--name", help="the chapter's name (one notebook only), e.g. 09_topic")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the book's folder (default: here)")
    args = parser.parse_args(argv)
    try:
        chapters = import_notebooks(args.notebooks, args.root.resolve(), args.name)
    except ImportRefused as error:
        print(f"make import: nothing was imported.\n{error}", file=sys.stderr)
        return 1
    for chapter in chapters:
        images = f", {len(chapter.images)} image{'s' * (len(chapter.images) != 1)}" if chapter.images else ""
        print(f"{chapter.source} -> lectures/{chapter.name}.md ({chapter.title!r}{images})")
        for note in chapter.notes:
            print(f"  {chapter.source.name}, {note}")
    print(
        f"Listed {len(chapters)} chapter{'s' * (len(chapters) != 1)} in _toc.yml. "
        "`make check` lists the prose still to translate; `make book` builds the draft."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
