"""What a reader sees of a bilingual heading (`한국어 · English`): in one language, exactly that half,
with no separator left over; in both, the whole title as written."""

import re
from pathlib import Path

import pytest
from book_pages import chapter_pages, offline_context, settle

from coursebook.bilingual.text import SEPARATOR

ROOT = Path(__file__).resolve().parents[2]
HEADINGS = "article :is(h1, h2, h3, h4, h5, h6), article .admonition-title, article summary"


def title(page: str) -> str:
    """The `# ` title of the chapter a page is built from, as written."""
    source = (ROOT / page).with_suffix(".md").read_text(encoding="utf-8")
    return re.search(r"^# (.+?)\s*$", source, re.M).group(1)


def expected_h1(written: str, mode: str) -> str:
    korean, english = written.split(SEPARATOR)
    return {"ko": korean, "en": english, "both": f"{korean}{SEPARATOR}{english}"}[mode]


@pytest.mark.parametrize("mode", ["en", "ko", "both"])
def test_a_chapters_title_reads_exactly_its_half_in_one_language(browser, site_url, built_site, mode):
    pages = chapter_pages(built_site)
    assert pages
    seen, expected, leftovers = {}, {}, []
    with offline_context(browser, locale="en-US") as context:
        context.add_init_script(f"localStorage.setItem('coursebook-lang', '{mode}')")
        page = context.new_page()
        for name in pages:
            page.goto(f"{site_url}/{name}")
            settle(page)
            seen[name] = page.locator("article h1").first.inner_text()
            expected[name] = expected_h1(title(name), mode)
            if mode != "both":
                shown = page.evaluate(f"""() => [...document.querySelectorAll({HEADINGS!r})]
                    .filter((el) => el.checkVisibility()).map((el) => el.innerText)""")  # innerText of a hidden one is all its text
                leftovers += [f"{name}: {text!r}" for text in shown if "·" in text]
    assert seen == expected
    assert not leftovers, "a separator shows in one-language mode:\n" + "\n".join(leftovers)
