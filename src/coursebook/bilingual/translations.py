"""The guard against drifting translations: every Korean/English pair is checked against the
version of the pair that someone last confirmed says the same in both languages.

The confirmed pairs live in `translations.lock` (one line per pair: file, Korean digest, English
digest). Changing one half of a pair without the other is drift, named with the file and line of the
half still to update; a pair new or rewritten on both sides waits to be confirmed.

    python -m coursebook translations ok [FILE ...]   # confirm the pairs as they are now (make translations-ok)

`make check` reports the findings and fails; `make book` prints them as warnings and builds anyway.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from coursebook.bilingual.pairs import Half, scan
from coursebook.chapters import Prose, chapter_prose, checked_chapters, read_text
from coursebook.layout import ROOT

LOCK = ROOT / "translations.lock"
HEADER = """\
# Korean/English pairs confirmed to say the same; `make check` compares the book's pairs with these.
# Written by `make translations-ok [FILE=lectures/<chapter>.md]`: run it after updating both halves.
# <file> <digest of the Korean half> <digest of the English half>
"""


def digest(text: str) -> str:
    """Of the words only: re-wrapping a paragraph is not a change."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:12]


def bilingual_files(root: Path = ROOT) -> list[Path]:
    """Every page of the book, in reading order: MyST files, and notebooks (their markdown cells)."""
    return [chapter.path for chapter in checked_chapters(root)]


def read_lock(path: Path = LOCK) -> dict[str, set[tuple[str, str]]]:
    confirmed: dict[str, set[tuple[str, str]]] = {}
    if not path.exists():
        return confirmed
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split()
        if len(fields) != 3:
            raise SystemExit(
                f"{path.name}, line {number}: expected '<file> <digest> <digest>'. "
                "Fix the line, or delete the file and run `make translations-ok` to confirm every pair anew."
            )
        confirmed.setdefault(fields[0], set()).add((fields[1], fields[2]))
    return confirmed


def findings(files: Iterable[Path] | None = None, lock: Path = LOCK) -> list[str]:
    """One line per drifted, unconfirmed or unpaired half, as `file:line: what to do`."""
    confirmed = read_lock(lock)
    problems = []
    for path in files if files is not None else bilingual_files():
        name = _name(path)
        prose = chapter_prose(path)
        pairs, orphans = scan(prose.text)
        known = confirmed.get(name, set())
        ko_known, en_known = {ko for ko, _ in known}, {en for _, en in known}
        for pair in pairs:
            ko, en = digest(pair.ko.text), digest(pair.en.text)
            if (ko, en) in known:
                continue
            if en in en_known and ko not in ko_known:
                problems.append(_stale(prose, name, stale=pair.en, changed=pair.ko))
            elif ko in ko_known and en not in en_known:
                problems.append(_stale(prose, name, stale=pair.ko, changed=pair.en))
            else:
                second = prose.at(pair.en.line)
                where = prose.where(name, pair.ko.line) + (f" and {second}" if second != prose.at(pair.ko.line) else "")
                problems.append(
                    f"{where}: a Korean/English pair not yet confirmed (new, or rewritten on both sides): "
                    f"check that the two say the same, then run `make translations-ok FILE={name}`."
                )
        for half in orphans:
            other = "English" if half.lang == "ko" else "Korean"
            problems.append(
                f"{prose.where(name, half.line)}: a {_language(half)} block without its {other} partner "
                f"right {'after' if half.lang == 'ko' else 'before'} it: write the {other} half."
            )
    return problems


def confirm(files: Iterable[Path] | None = None, lock: Path = LOCK) -> dict[str, int]:
    """Record the pairs of ``files`` (default: the whole book) as they are now; return pairs per file."""
    confirmed = read_lock(lock)
    counts = {}
    for path in files if files is not None else bilingual_files():
        pairs, _ = scan(chapter_prose(path).text)
        confirmed[_name(path)] = {(digest(p.ko.text), digest(p.en.text)) for p in pairs}
        counts[_name(path)] = len(pairs)
    lines = [f"{name} {ko} {en}" for name in sorted(confirmed) for ko, en in sorted(confirmed[name])]
    lock.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return counts


def _stale(prose: Prose, name: str, stale: Half, changed: Half) -> str:
    return (
        f"{prose.where(name, stale.line)}: update this {_language(stale)} half: its {_language(changed)} partner "
        f"({prose.at(changed.line)}) changed since the pair was confirmed. "
        f"Then run `make translations-ok FILE={name}`."
    )


def _language(half: Half) -> str:
    return "Korean" if half.lang == "ko" else "English"


def _name(path: Path) -> str:
    return path.resolve().relative_to(ROOT).as_posix()


def main(argv: list[str]) -> None:
    if not argv or argv[0] != "ok":
        raise SystemExit(__doc__)
    files = [ROOT / name for name in argv[1:] if name.strip()] or None
    for path in files or []:
        if not re.fullmatch(r".+\.(md|ipynb)", path.name) or not path.is_file():
            raise SystemExit(f"{path}: not a chapter file. Use FILE=lectures/<chapter>.md (or .ipynb), or no FILE for the whole book.")
    for name, count in confirm(files).items():
        print(f"confirmed {count} Korean/English pairs in {name}")


if __name__ == "__main__":
    main(sys.argv[1:])
