"""What every chapter page must hold, for every chapter listed in _toc.yml."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tools.chapters import checked_chapters

pytestmark = pytest.mark.build

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = [c.docname.split("/")[-1] for c in checked_chapters() if c.docname.startswith("lectures/")]


def article(site: Path, name: str) -> BeautifulSoup:
    html = (site / "lectures" / f"{name}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").select_one("article")


def test_the_lecture_is_all_there():
    assert len(CHAPTERS) >= 8


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_was_executed_without_errors(built_site, name):
    text = article(built_site, name).get_text()
    assert re.search(r"device: (cpu|cuda|mps)", text), "the first cell ran"
    assert "Traceback" not in text


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_commentary_block_comes_in_korean_and_english(built_site, name):
    body = article(built_site, name)
    ko, en = body.select("div.lang-block[lang=ko]"), body.select("div.lang-block[lang=en]")
    assert len(ko) >= 3 and len(ko) == len(en)
    assert all(block.get_text(strip=True) for block in ko + en)


@pytest.mark.parametrize("name", CHAPTERS)
def test_headings_are_bilingual(built_site, name):
    headings = article(built_site, name).select("h1, h2")
    assert headings
    for heading in headings:
        assert heading.select_one("[lang=ko]") and heading.select_one("[lang=en]"), heading.get_text()


@pytest.mark.parametrize("name", CHAPTERS)
def test_figures_are_plots_with_real_alt_text(built_site, name):
    images = article(built_site, name).select("img")
    assert any(img["src"].endswith(".png") for img in images), "a matplotlib figure"
    for img in images:
        alt = img.get("alt", "")
        assert len(alt) > 15 and not alt.endswith(".png"), f"real alt text: {img}"
    for svg in article(built_site, name).select("svg"):
        if svg.get("role") == "img":
            assert len(svg.get("aria-label", "")) > 10


@pytest.mark.parametrize("name", CHAPTERS)
def test_numbers_in_prose_are_glued_not_typed(name):
    source = (ROOT / "lectures" / f"{name}.md").read_text(encoding="utf-8")
    prose = re.sub(r"```.*?```", "", source, flags=re.S)  # drop code cells and directives
    assert not re.search(r"\d\.\d{4}", prose), "a four-decimal number typed into the prose"
