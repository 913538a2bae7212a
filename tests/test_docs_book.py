"""The generator's documentation (docs/) is a course of its own: the generator builds it, in both languages."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from coursebook.bilingual.text import split_pair

DOCS = Path(__file__).resolve().parent.parent / "docs"
FENCE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})")
HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+)$")
ONLY_CODE = re.compile(r"(`[^`]+`\s*)+")


@pytest.mark.build
def test_the_docs_book_builds_with_the_generator_and_has_both_languages():
    env = {**os.environ, "COURSEBOOK_ROOT": str(DOCS)}
    result = subprocess.run([sys.executable, "-m", "coursebook", "build"], cwd=DOCS, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    page = BeautifulSoup((DOCS / "_build" / "html" / "author-guide.html").read_text(encoding="utf-8"), "html.parser")
    blocks = {lang: page.select(f"article [lang={lang}]") for lang in ("ko", "en")}
    assert blocks["ko"] and blocks["en"], "the author guide carries Korean and English blocks"
    assert (DOCS / "_build" / "html" / "configuration.html").is_file(), "the configuration reference is part of the docs"


def prose_outside_blocks(text: str) -> list[tuple[int, str]]:
    """(line, text) of what a page writes outside fenced blocks ({ko}/{en} blocks, code) and is not a heading
    of both languages (`한국어 · English`) or of code only: prose that one language's reader would meet untranslated."""
    lines, found, i = text.splitlines(), [], 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if fence:
            mark = fence[1]
            closing = re.compile(rf"^\s*{re.escape(mark[0])}{{{len(mark)},}}\s*$")
            i += 1
            while i < len(lines) and not closing.match(lines[i]):
                i += 1
        else:
            line = lines[i].strip()
            heading = HEADING.match(line)
            bilingual = heading and (split_pair(heading["title"]) or ONLY_CODE.fullmatch(heading["title"]))
            if line and not line.startswith("<!--") and not bilingual:
                found.append((i + 1, line))
        i += 1
    return found


def test_every_docs_page_writes_its_prose_in_both_languages():
    assert prose_outside_blocks("# 제목 · Title\n\nAn English paragraph.\n") == [(3, "An English paragraph.")]
    assert prose_outside_blocks("## 절 · Section\n\n:::{ko}\n글.\n:::\n\n:::{en}\nText.\n:::\n") == []
    untranslated = {
        page.name: lines for page in sorted(DOCS.glob("*.md")) if (lines := prose_outside_blocks(page.read_text(encoding="utf-8")))
    }
    assert untranslated == {}, "write these lines as :::{ko} / :::{en} blocks, headings as `한국어 · English`"


def test_the_docs_pass_make_check():
    env = {**os.environ, "COURSEBOOK_ROOT": str(DOCS)}
    result = subprocess.run([sys.executable, "-m", "coursebook", "check"], cwd=DOCS, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
