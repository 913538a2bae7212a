"""`make check`: the fast checks of the book's sources, without executing anything.

- the table of contents and the chapter files agree, and each chapter's front matter parses;
- every Korean block has its English partner, and no pair has drifted since it was confirmed
  (coursebook.bilingual.translations);
- Korean particles attach to the word before them, and after a glued value take their form from it
  (coursebook.bilingual.korean_spacing).

`make book` prints the same findings as warnings and builds anyway, so `make serve` keeps working
while a chapter is being written; `make check` (and so `make test`) fails on them.
"""

from __future__ import annotations

import sys
from collections import Counter

from coursebook.chapters import SourceError
from coursebook.bilingual.korean_spacing import glued_particle_problems, spacing_problems
from coursebook.bilingual.translations import bilingual_files, findings


def source_findings() -> list[str]:
    """What is wrong with the sources' prose, one `file:line: ...` line each (empty: nothing)."""
    files = bilingual_files()
    return findings(files) + [problem for path in files for problem in spacing_problems(path) + glued_particle_problems(path)]


def main() -> int:
    try:
        problems = source_findings()
    except SourceError as error:
        print(f"make check FAILED:\n{error}", file=sys.stderr)
        return 1
    if problems:
        print("make check FAILED:\n  " + "\n  ".join(problems), file=sys.stderr)
        untranslated = Counter(p.split(":", 1)[0] for p in problems if " partner right " in p)
        if untranslated:
            print(
                "blocks without their translation, per chapter:\n  "
                + "\n  ".join(f"{name}: {count}" for name, count in untranslated.items()),
                file=sys.stderr,
            )
        print(
            f"({len(problems)} problem{'s' if len(problems) > 1 else ''}; `make translations-ok FILE=...` "
            "confirms a pair once both halves say the same)",
            file=sys.stderr,
        )
        return 1
    print(f"make check: {len(bilingual_files())} pages, every Korean/English pair confirmed, particles attached")
    return 0


if __name__ == "__main__":
    sys.exit(main())
