"""Every Korean/English pair in a MyST source, with the line where each half starts.

A pair is one of:
- a `:::{ko}` block followed (after blank lines only) by a `:::{en}` block;
- a {ko}`...` role followed by an {en}`...` role in the same paragraph (figure captions);
- a heading or an admonition title written `한국어 · English`.

Code (code cells, plain code blocks, literalinclude, math) is skipped. A half without its partner is
reported too, so that a block can never escape the check by losing its translation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coursebook.bilingual.text import split_pair

FENCE = re.compile(r"^(?P<indent>\s*)(?P<mark>`{3,}|~{3,}|:{3,})\s*(?:\{(?P<name>[^}\s]+)\})?(?P<arg>.*)$")
CODE_DIRECTIVES = {"code-cell", "code-block", "code", "sourcecode", "literalinclude", "math", "raw", "eval-rst"}
ROLE = re.compile(r"\{(?P<lang>ko|en)\}(?P<ticks>`+)(?P<text>.+?)(?P=ticks)", re.S)
HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*$")


@dataclass(frozen=True)
class Half:
    lang: str  # "ko" or "en"
    line: int  # 1-based line of the first line of ``text``
    text: str


@dataclass(frozen=True)
class Pair:
    ko: Half
    en: Half


def scan(source: str) -> tuple[list[Pair], list[Half]]:
    """The pairs of a source, and the halves that have no partner."""
    lines = source.splitlines()
    pairs: list[Pair] = []
    orphans: list[Half] = []
    pending: Half | None = None  # a Korean block waiting for its English partner
    paragraph: list[tuple[int, str]] = []
    carried: list[Half] = []  # a {ko} role that ended its paragraph: its {en} may open the next one

    def end_paragraph() -> None:
        if paragraph:
            _pair_roles(paragraph, carried, pairs, orphans)
            paragraph.clear()

    open_bodies: list[str] = []  # the fences of directives whose body is MyST, innermost last
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = FENCE.match(line)
        if fence:
            end_paragraph()
            if pending and fence["name"] != "en":  # only blank lines may sit between the two halves
                orphans.append(pending)
                pending = None
            mark, name, arg = fence["mark"], fence["name"] or "", fence["arg"].strip()
            if not name and not arg and open_bodies and _closes(mark, open_bodies[-1]):
                open_bodies.pop()
                i += 1
                continue
            if name in ("ko", "en"):
                end = _closing(lines, i + 1, mark)
                half = Half(name, i + 2, "\n".join(lines[i + 1 : end]))
                if name == "ko":
                    pending = half
                elif pending:
                    pairs.append(Pair(pending, half))
                    pending = None
                else:
                    orphans.append(half)
                i = end + 1
                continue
            if name == "admonition":
                _pair_title(arg, i + 1, pairs)
            if name and name not in CODE_DIRECTIVES:
                open_bodies.append(mark)  # read on inside it
                i += 1
            else:
                i = _closing(lines, i + 1, mark) + 1  # code: skip it whole
            continue
        if line.strip():
            if pending:
                orphans.append(pending)
                pending = None
            heading = HEADING.match(line)
            if heading:
                end_paragraph()
                _pair_title(heading["title"], i + 1, pairs)
            else:
                paragraph.append((i + 1, line))
        else:
            end_paragraph()
        i += 1
    end_paragraph()
    orphans.extend(carried)
    if pending:
        orphans.append(pending)
    return pairs, orphans


def _closing(lines: list[str], start: int, mark: str) -> int:
    closing = re.compile(rf"^\s*{re.escape(mark[0])}{{{len(mark)},}}\s*$")
    return next((j for j in range(start, len(lines)) if closing.match(lines[j])), len(lines))


def _closes(line_mark: str, opened: str) -> bool:
    return line_mark[0] == opened[0] and len(line_mark) >= len(opened)


def _pair_title(title: str, line: int, pairs: list[Pair]) -> None:
    """``한국어 · English`` in a heading or an admonition's title; other titles are not pairs."""
    if halves := split_pair(title):
        pairs.append(Pair(Half("ko", line, halves[0]), Half("en", line, halves[1])))


def _pair_roles(paragraph: list[tuple[int, str]], carried: list[Half], pairs: list[Pair], orphans: list[Half]) -> None:
    """Pair each {ko} role with the {en} role after it; a glossary puts the {en} in the next paragraph."""
    first_line = paragraph[0][0]
    text = "\n".join(line for _, line in paragraph)
    pending = carried.pop() if carried else None
    if pending and not text.lstrip().startswith("{en}"):
        orphans.append(pending)
        pending = None
    for match in ROLE.finditer(text):
        half = Half(match["lang"], first_line + text.count("\n", 0, match.start()), match["text"])
        if half.lang == "ko":
            if pending:
                orphans.append(pending)
            pending = half
        elif pending:
            pairs.append(Pair(pending, half))
            pending = None
        else:
            orphans.append(half)
    if pending:
        carried.append(pending)
