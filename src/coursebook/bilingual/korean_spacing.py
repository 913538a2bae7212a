"""A Korean particle attaches to the word before it: 풀이1의, 예제1을, 0으로, `net`을, $x$를.

After a glued value the particle's form must come from the value ({josa}`으로/로`, coursebook.bilingual.
korean_particles.py): a form typed after it fits one number and not the next.

Flagged only after a digit, a Latin letter, inline code, math or a role (a closing `, $, ), }, ]),
where a space before a particle is always a slip; after a Hangul word a spaced 이 or 가 may be a
word of its own, so those are left to the writer.
"""

from __future__ import annotations

import re
from pathlib import Path

from coursebook.bilingual.korean_particles import PARTICLES
from coursebook.bilingual.pairs import scan
from coursebook.bilingual.text import SYLLABLES
from coursebook.chapters import chapter_prose, read_text
from coursebook.layout import ROOT

SPACED_PARTICLE = re.compile(
    r"(?<=[0-9A-Za-z`$)}\]]) (?P<particle>" + "|".join(sorted(PARTICLES, key=len, reverse=True)) + r")(?=[\s.,:;!?)\]]|$)"
)
# A particle whose form depends on the sound before it, typed right after a glued value. 이/가/을/를 only
# as whole words (이고, 이며, 입니다 are the copula, the same after any number; 가지, 이상 are words).
GLUED_PARTICLE = re.compile(
    r"\{glue(?::\w*)?\}`[^`]+`(?P<particle>으로|로|이었|였|이에요|예요|은|는|과|와|(?:이|가|을|를|아|야)" + f"(?![{SYLLABLES}]))"
)
CODE_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def korean_lines(path: Path):
    """(`file:line`, line) for every line of Korean prose outside code fences: what both checks read."""
    name = path.resolve().relative_to(ROOT).as_posix()
    prose = chapter_prose(path)
    pairs, orphans = scan(prose.text)
    for half in [pair.ko for pair in pairs] + [half for half in orphans if half.lang == "ko"]:
        in_code = False
        for offset, line in enumerate(half.text.splitlines()):
            if CODE_FENCE.match(line):
                in_code = not in_code
            elif not in_code:
                yield prose.where(name, half.line + offset), line


def spacing_problems(path: Path) -> list[str]:
    """`file:line: ...` for every particle set apart from the word it belongs to, in the Korean text."""
    problems = []
    for where, line in korean_lines(path):
        for match in SPACED_PARTICLE.finditer(line):
            before = line[max(0, match.start() - 12) : match.start()].split(" ")[-1]
            problems.append(
                f"{where}: '{before} {match['particle']}': a particle attaches to the word before it; write '{before}{match['particle']}'."
            )
    return problems


def glued_particle_problems(path: Path) -> list[str]:
    """`file:line: ...` for every particle typed directly after a glued value, in the Korean text."""
    problems = []
    for where, line in korean_lines(path):
        for match in GLUED_PARTICLE.finditer(line):
            typed = match["particle"]
            problems.append(
                f"{where}: '{match[0]}': the particle after a glued value must "
                f"fit the value; write {{josa}}`{PAIR_OF[typed]}` instead of '{typed}'."
            )
    return problems


PAIR_OF = {
    form: pair for pair in ("이/가", "을/를", "은/는", "과/와", "아/야", "으로/로", "이었/였", "이에요/예요") for form in pair.split("/")
}


def fix_spacing(path: Path) -> int:
    """Attach every flagged particle in ``path`` (Korean text only); return how many were fixed."""
    lines = read_text(path).split("\n")
    flagged = {int(problem.split(":")[1]) for problem in spacing_problems(path)}
    fixed = 0
    for number in flagged:
        lines[number - 1], count = SPACED_PARTICLE.subn(r"\g<particle>", lines[number - 1])
        fixed += count
    path.write_text("\n".join(lines), encoding="utf-8")
    return fixed


def main() -> None:
    import sys

    if sys.argv[1:2] != ["--fix"]:
        raise SystemExit("usage: python -m coursebook spacing --fix [FILE ...]   (attaches spaced particles)")
    from coursebook.bilingual.translations import bilingual_files

    for path in [ROOT / name for name in sys.argv[2:]] or bilingual_files():
        if path.suffix == ".ipynb":  # its lines are JSON: fixed in Jupyter, where `make check` points
            if spacing_problems(path):
                print(f"{path.relative_to(ROOT)}: a notebook, not fixed here; `make check` names its cells")
        elif count := fix_spacing(path):
            print(f"{path.relative_to(ROOT)}: attached {count} particles")


if __name__ == "__main__":
    main()
