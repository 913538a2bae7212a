"""The language switch: 한국어 / English / 둘 다, kept across pages and visits."""

import re

import pytest
from book_pages import chapter_pages, offline_context, open_page, screenshot, site_pages, source_pages

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def state(page) -> dict:
    """What the reader sees: the choice, <html lang>, and which languages' blocks are visible."""
    return page.evaluate(
        """() => {
            const shown = (selector) => [...document.querySelectorAll(selector)].filter((el) => el.checkVisibility()).length;
            return {
                choice: document.documentElement.dataset.nnstepLang || null,
                lang: document.documentElement.lang,
                select: document.getElementById("nnstep-lang-select")?.value ?? null,
                ko: shown(".lang-block.lang-ko"),
                en: shown(".lang-block.lang-en"),
                koTotal: document.querySelectorAll(".lang-block.lang-ko").length,
                enTotal: document.querySelectorAll(".lang-block.lang-en").length,
            };
        }"""
    )


@pytest.fixture(scope="module")
def chapter(built_site) -> str:
    pages = chapter_pages(built_site)
    assert pages, "the site has no chapter page under lectures/"
    return pages[0]


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("ko-KR", "ko"), ("ko", "ko"), ("en-US", "en"), ("en-GB", "en"), ("fr-FR", "en")],
)
def test_first_visit_follows_the_browsers_language(browser, site_url, chapter, locale, expected):
    with offline_context(browser, locale=locale) as context:
        page = open_page(context, f"{site_url}/{chapter}")
        seen = state(page)
        assert seen["choice"] == expected and seen["select"] == expected
        assert seen["lang"] == expected
        shown, hidden = ("ko", "en") if expected == "ko" else ("en", "ko")
        assert seen[shown] == seen[f"{shown}Total"] > 0
        assert seen[hidden] == 0
        if locale == "ko-KR":
            screenshot(page, "chapter-ko-desktop")
        if locale == "en-US":
            screenshot(page, "chapter-en-desktop")


def test_the_choice_holds_across_pages_reloads_and_visits(browser, site_url, built_site, chapter):
    others = [p for p in site_pages(built_site) if p != chapter]
    with offline_context(browser, locale="en-US") as context:
        page = open_page(context, f"{site_url}/{chapter}")
        assert state(page)["choice"] == "en"

        page.select_option("#nnstep-lang-select", "ko")
        seen = state(page)
        assert seen["choice"] == "ko" and seen["lang"] == "ko" and seen["en"] == 0 and seen["ko"] > 0

        for other in others:  # every other page of the site
            page.goto(f"{site_url}/{other}")
            assert state(page)["choice"] == "ko", other
        page.reload()
        assert state(page)["choice"] == "ko"

        page.goto(f"{site_url}/{chapter}")
        page.select_option("#nnstep-lang-select", "both")
        seen = state(page)
        assert seen["choice"] == "both" and seen["lang"] == "ko", "both languages: the site's language stays ko"
        assert seen["ko"] == seen["koTotal"] and seen["en"] == seen["enTotal"]
        screenshot(page, "chapter-both-desktop")

        later = open_page(context, f"{site_url}/{chapter}")  # a new visit: another tab, same browser
        assert state(later)["choice"] == "both"


def test_english_readers_see_english_headings_and_every_block_keeps_its_lang(browser, site_url, built_site):
    with offline_context(browser, locale="en-US") as context:
        page = context.new_page()
        for name in source_pages(built_site):
            page.goto(f"{site_url}/{name}")
            wrong = page.evaluate(
                """() => [...document.querySelectorAll(".lang-block, .lang-inline")]
                    .filter((el) => !el.classList.contains(`lang-${el.lang}`))
                    .map((el) => el.outerHTML.slice(0, 80))"""
            )
            assert not wrong, f"{name}: blocks whose lang does not match their class: {wrong}"
            headings = page.evaluate(
                """() => [...document.querySelectorAll("article h1, article h2, article h3")]
                    .map((h) => h.innerText.replace(/#$/, "").trim())"""
            )
            korean = [h for h in headings if HANGUL.search(h) and "·" not in h]
            assert not korean, f"{name}: headings still in Korean when English is chosen: {korean}"


def test_the_switch_has_a_label_and_works_from_the_keyboard(browser, site_url, chapter):
    with offline_context(browser, locale="ko-KR") as context:
        page = open_page(context, f"{site_url}/{chapter}")
        switch = page.get_by_role("combobox", name=re.compile("Language"))
        assert switch.count() == 1, "the select has an accessible name through its <label>"
        assert switch.evaluate("(el) => el.labels.length") == 1

        for _ in range(60):  # reach it with Tab from the top of the page
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "nnstep-lang-select":
                break
        else:
            pytest.fail("Tab never reaches the language switch")
        page.keyboard.press("ArrowDown")  # 한국어 -> English
        assert state(page)["choice"] == "en"
        page.keyboard.press("ArrowDown")  # English -> 둘 다
        assert state(page)["choice"] == "both"


def test_without_javascript_both_languages_show(browser, site_url, built_site):
    with offline_context(browser, locale="en-US", java_script_enabled=False) as context:
        page = context.new_page()
        for name in site_pages(built_site):
            page.goto(f"{site_url}/{name}")
            seen = state(page)
            assert seen["choice"] is None
            assert seen["ko"] == seen["koTotal"] and seen["en"] == seen["enTotal"], name
            assert not page.locator("#nnstep-lang-select").is_visible(), "a switch that cannot work is hidden"
            if name.startswith("lectures/") and seen["koTotal"]:
                assert page.locator("h1 .lang-sep").first.is_visible()
                screenshot(page, "chapter-no-javascript")
