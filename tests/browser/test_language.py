"""The language switch: 한국어 / English / 둘 다, kept across pages and visits, and one language at a time."""

import re
from functools import cache
from pathlib import Path

import pytest
from book_pages import chapter_pages, offline_context, open_page, screenshot, settle, site_pages, wrong_language

HANGUL = re.compile(r"[\uac00-\ud7a3]")
MODES = ("ko", "en", "both")


def state(page) -> dict:
    """What the reader sees: the choice, <html lang>, and which languages' blocks are visible."""
    return page.evaluate(
        """() => {
            const shown = (selector) => [...document.querySelectorAll(selector)].filter((el) => el.checkVisibility()).length;
            return {
                choice: document.documentElement.dataset.coursebookLang || null,
                lang: document.documentElement.lang,
                select: document.getElementById("coursebook-lang-select")?.value ?? null,
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

        page.select_option("#coursebook-lang-select", "ko")
        seen = state(page)
        assert seen["choice"] == "ko" and seen["lang"] == "ko" and seen["en"] == 0 and seen["ko"] > 0

        for other in others:  # every other page of the site
            page.goto(f"{site_url}/{other}")
            assert state(page)["choice"] == "ko", other
        page.reload()
        assert state(page)["choice"] == "ko"

        page.goto(f"{site_url}/{chapter}")
        page.select_option("#coursebook-lang-select", "both")
        seen = state(page)
        assert seen["choice"] == "both" and seen["lang"] == "ko", "both languages: the site's language stays ko"
        assert seen["ko"] == seen["koTotal"] and seen["en"] == seen["enTotal"]
        screenshot(page, "chapter-both-desktop")

        later = open_page(context, f"{site_url}/{chapter}")  # a new visit: another tab, same browser
        assert state(later)["choice"] == "both"


def test_every_language_mark_matches_its_class(browser, site_url, built_site):
    with offline_context(browser, locale="en-US") as context:
        page = context.new_page()
        for name in site_pages(built_site):
            page.goto(f"{site_url}/{name}")
            wrong = page.evaluate(
                """() => [...document.querySelectorAll(".lang-ko, .lang-en")]
                    .filter((el) => !el.classList.contains(`lang-${el.lang}`))
                    .map((el) => el.outerHTML.slice(0, 80))"""
            )
            assert not wrong, f"{name}: elements whose lang does not match their class: {wrong}"


@cache
def english_ui_strings() -> tuple[frozenset[str], tuple[str, ...]]:
    """The English interface strings of Sphinx, the themes and their helpers, from their own catalogues.

    Independent of coursebook.reader.ui_strings: a string the theme prints that the book forgot to
    translate is found here. Returns exact strings, and regular expressions for the ones with a
    placeholder ("Fig. %s") whose fixed part has three letters or more.
    """
    import myst_nb.core.config
    import pydata_sphinx_theme
    import sphinx
    import sphinx_book_theme
    import sphinx_copybutton
    import sphinx_togglebutton
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    def folder(module) -> Path:
        return Path(module.__file__).parent

    ids = set()
    for pot in (folder(sphinx) / "locale" / "sphinx.pot", folder(pydata_sphinx_theme) / "locale" / "sphinx.pot"):
        with pot.open("rb") as file:
            ids |= {message.id for message in read_po(file) if isinstance(message.id, str)}
    for mo in (*folder(sphinx_book_theme).rglob("ko/LC_MESSAGES/*.mo"), *folder(sphinx_togglebutton).rglob("ko/LC_MESSAGES/*.mo")):
        with mo.open("rb") as file:
            ids |= {message.id for message in read_mo(file) if isinstance(message.id, str)}
    copybutton = (folder(sphinx_copybutton) / "_static" / "copybutton.js_t").read_text(encoding="utf-8")
    ids |= set(re.findall(r"'copy\w*': '([^']+)'", copybutton.split("'es'")[0]))  # its English messages
    fields = myst_nb.core.config.NbParserConfig.__dataclass_fields__
    for prompt in ("code_prompt_show", "code_prompt_hide"):
        ids |= {fields[prompt].default.format(type=kind) for kind in ("source", "outputs", "content")}

    exact, patterns = set(), []
    placeholder = re.compile(r"%(?:\([^)]*\))?[sd]|\{[^}]*\}")
    for message in ids:
        message = " ".join(message.split())
        pieces = placeholder.split(message)
        if len(pieces) == 1:
            exact.add(message)
        elif len(re.findall(r"[A-Za-z]", "".join(pieces))) >= 3:
            patterns.append("^" + ".+".join(re.escape(piece) for piece in pieces) + "$")
    exact.discard("")
    return frozenset(exact), tuple(sorted(patterns))


@pytest.fixture(scope="module")
def english_ui() -> tuple[frozenset[str], tuple[str, ...]]:
    exact, patterns = english_ui_strings()
    assert {"Search", "Contents", "previous", "Skip to main content", "Copy", "Show code cell content"} <= exact
    return exact, patterns


@pytest.mark.parametrize("mode", MODES)
def test_every_page_shows_one_language_at_a_time(browser, site_url, built_site, english_ui, mode):
    """English: no Hangul anywhere; Korean: nothing marked lang=en and none of the theme's English; both: both.

    What counts as a string is defined at WRONG_LANGUAGE_JS (book_pages.py): all text of the page
    outside code, math, cell outputs, figure images and diagrams, collapsed parts included, and the
    attributes a reader meets (tooltips, labels, placeholders).
    """
    problems, pages = [], site_pages(built_site)
    assert len(pages) >= 10, pages
    with offline_context(browser, locale="en-US", viewport={"width": 1280, "height": 900}) as context:
        context.add_init_script(f"localStorage.setItem('coursebook-lang', '{mode}')")
        page = context.new_page()
        for name in pages:
            page.goto(f"{site_url}/{name}")
            settle(page)
            problems += [f"{name}: {problem}" for problem in wrong_language(page, mode, *english_ui)]
    assert not problems, f"{len(problems)} strings in the wrong language ({mode}):\n" + "\n".join(problems[:40])


def test_switching_in_place_leaves_no_string_behind(browser, site_url, built_site, english_ui):
    """Tooltips, the copy button and the page title follow a switch made on the page, not only on load."""
    homework = next(p for p in chapter_pages(built_site) if "homework" in p)
    with offline_context(browser, locale="ko-KR", permissions=["clipboard-read", "clipboard-write"]) as context:
        page = open_page(context, f"{site_url}/{homework}")
        assert wrong_language(page, "ko", *english_ui) == []
        copy = page.locator("button.copybtn").first
        page.locator("div.cell div.highlight").first.hover()
        copy.click()
        assert copy.get_attribute("data-tooltip") == "복사했습니다", "the copy button's Copied! in Korean"
        for mode in ("en", "both", "ko", "en"):
            page.select_option("#coursebook-lang-select", mode)
            assert wrong_language(page, mode, *english_ui) == [], mode
        assert page.title().startswith("Homework") and not HANGUL.search(page.title())
        assert page.locator("button.theme-switch-button").first.get_attribute("data-bs-title") == "Color mode"
        page.wait_for_function("document.querySelector('button.copybtn').dataset.tooltip === 'Copy'")  # back from Copied!


def test_the_switch_has_a_label_and_works_from_the_keyboard(browser, site_url, chapter):
    with offline_context(browser, locale="ko-KR") as context:
        page = open_page(context, f"{site_url}/{chapter}")
        switch = page.get_by_role("combobox", name="언어")  # the label in the chosen language
        assert switch.count() == 1, "the select has an accessible name through its <label>"
        assert switch.evaluate("(el) => el.labels.length") == 1

        for _ in range(60):  # reach it with Tab from the top of the page
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "coursebook-lang-select":
                break
        else:
            pytest.fail("Tab never reaches the language switch")
        page.keyboard.press("ArrowDown")  # 한국어 -> English
        assert state(page)["choice"] == "en"
        page.keyboard.press("ArrowDown")  # English -> 둘 다
        assert state(page)["choice"] == "both"
        assert page.get_by_role("combobox", name="언어 · Language").count() == 1


def test_without_javascript_both_languages_show(browser, site_url, built_site):
    chapters = chapter_pages(built_site)
    assert chapters
    with offline_context(browser, locale="en-US", java_script_enabled=False) as context:
        page = context.new_page()
        for name in site_pages(built_site):
            page.goto(f"{site_url}/{name}")
            seen = state(page)
            assert seen["choice"] is None
            assert seen["ko"] == seen["koTotal"] and seen["en"] == seen["enTotal"], name
            assert not page.locator("#coursebook-lang-select").is_visible(), "a switch that cannot work is hidden"
            hidden = page.evaluate(
                """() => [...document.querySelectorAll(".lang-ko, .lang-en, .lang-sep")]
                    .filter((el) => !el.closest(".coursebook-lang-switch") && getComputedStyle(el).display === "none")
                    .map((el) => el.outerHTML.slice(0, 80))"""
            )
            assert not hidden, f"{name}: hidden without JavaScript: {hidden}"
            if name in chapters:
                assert seen["koTotal"] > 0 and seen["enTotal"] > 0, name
                assert page.locator("article h1 .lang-sep").first.is_visible(), name
        page.goto(f"{site_url}/{chapters[0]}")
        screenshot(page, "chapter-no-javascript")


def test_a_title_that_a_script_sets_follows_the_language_too(browser, site_url):
    """The search page puts the query in the page's title; that title is in the chosen language as well."""
    with offline_context(browser, locale="en-US") as context:
        page = open_page(context, f"{site_url}/search.html?q=network")
        page.wait_for_selector("#korean-search-results[data-state=done]", state="attached")
        page.wait_for_function("document.title.startsWith('network')")
        assert page.title() == "network - Search - Neural-network basics"
        page.select_option("#coursebook-lang-select", "ko")
        assert page.title() == "network - 검색 - 신경망 기초"
