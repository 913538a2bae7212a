"""The generator's documentation (docs/) is a course of its own: the generator builds it, in both languages."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.build
def test_the_docs_book_builds_with_the_generator_and_has_both_languages():
    env = {**os.environ, "COURSEBOOK_ROOT": str(DOCS)}
    result = subprocess.run([sys.executable, "-m", "coursebook", "build"], cwd=DOCS, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    page = BeautifulSoup((DOCS / "_build" / "html" / "author-guide.html").read_text(encoding="utf-8"), "html.parser")
    blocks = {lang: page.select(f"article [lang={lang}]") for lang in ("ko", "en")}
    assert blocks["ko"] and blocks["en"], "the author guide carries Korean and English blocks"
    assert (DOCS / "_build" / "html" / "configuration.html").is_file(), "the configuration reference is part of the docs"
