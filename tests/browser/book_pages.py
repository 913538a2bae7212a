"""Helpers for the reader tests: every page of the built site, opened offline, and what a reader sees of it.

The site serves everything itself (its math is MathML, in the pages). The ``browser`` fixture
(conftest.py) refuses every request that leaves 127.0.0.1 and fails the test that
made it, so a page that needs the network fails its tests.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
NOT_PAGES = ("_static/", "_sources/", "_images/", "reports/")


REFRESH = re.compile(r"""<meta[^>]+http-equiv=["']?refresh["']?[^>]*url=([^"'>\s]+)""", re.I)


def site_pages(site: Path = SITE, redirects: bool = False) -> list[str]:
    """Every HTML page of the built site, as paths relative to its root.

    Pages that only redirect (the site's index.html) leave the browser at once, so
    they are left out unless ``redirects`` is true.
    """
    pages = sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))
    pages = [page for page in pages if not page.startswith(NOT_PAGES)]
    return pages if redirects else [page for page in pages if not redirect_target(site, page)]


def redirect_target(site: Path, page: str) -> str | None:
    """Where a page sends the browser at once (meta refresh), or None."""
    match = REFRESH.search((site / page).read_text(encoding="utf-8", errors="replace")[:4000])
    return match[1] if match else None


def source_pages(site: Path = SITE) -> list[str]:
    """The pages written from a source file (not Sphinx's generated index and search pages)."""
    sources = {path.relative_to(site / "_sources").as_posix().rsplit(".", 1)[0] for path in (site / "_sources").rglob("*.*")}
    return [page for page in site_pages(site) if page.removesuffix(".html") in sources]


def chapter_pages(site: Path = SITE) -> list[str]:
    """The pages built from a chapter under lectures/."""
    return [page for page in site_pages(site) if page.startswith("lectures/")]


@contextlib.contextmanager
def offline_context(browser, **options) -> Iterator:
    """A browser context (Korean unless told otherwise) that is closed after the block; the fixture keeps it offline."""
    options.setdefault("locale", "ko-KR")
    context = browser.new_context(**options)
    try:
        yield context
    finally:
        context.close()


def settle(page) -> None:
    """Wait until the page has loaded and its fonts are ready."""
    page.wait_for_load_state("load")
    page.evaluate(
        """async () => {
            await document.fonts.ready;
        }"""
    )


def open_page(context, url: str):
    page = context.new_page()
    page.goto(url)
    settle(page)
    return page


def screenshot(page, name: str, **options) -> Path:
    """Save a screenshot under _build/screenshots (not committed) and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), **options)
    return path


# What counts as a string, for the one-language checks (wrong_language):
# - every text node of the page, shown or collapsed (a closed solution, a dropdown menu, the
#   visually hidden label of the switch), except where the language switch hides it (an ancestor
#   .lang-ko / .lang-en / .lang-sep with display: none);
# - the attributes a reader sees or hears: title, aria-label, placeholder, alt, Bootstrap's and the
#   copy button's tooltips, the toggle hint; and the page's <title>;
# not strings: code (pre, code, kbd), math (MathML), what the chapters' code printed or
#   drew (cell outputs), SVG diagrams (but their description, aria-label, is one), scripts and styles.
#   A figure's caption is a string, and so is each figure image's alt.
#   An icon's SVG inside a button is a string: it names the button.
# The switch names each language in that language ("한국어", "English"), marked with lang=: those
# two options are exempt in the other mode.
WRONG_LANGUAGE_JS = r"""([mode, englishUi, englishPatterns]) => {
    const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]/;
    const LATIN = /[A-Za-z]/;
    const ATTRIBUTES = ["title", "aria-label", "placeholder", "alt", "data-bs-title", "data-bs-original-title", "data-tooltip", "data-toggle-hint"];
    const NOT_STRINGS = "script, style, noscript, template, pre, code, kbd, mjx-container, .math, .cell_output";
    const english = new Set(englishUi);
    const patterns = englishPatterns.map((p) => new RegExp(p));
    const problems = [];
    const where = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "");
    const pair = (text) => {
        const halves = text.split(" · ");
        return halves.length === 2 && HANGUL.test(halves[0]) && !HANGUL.test(halves[1]) && LATIN.test(halves[1]);
    };
    const isEnglishUi = (text) => english.has(text) || patterns.some((p) => p.test(text));
    const hiddenByTheSwitch = (el) => {
        for (let e = el; e && e !== document.documentElement; e = e.parentElement)
            if (e.matches(".lang-ko, .lang-en, .lang-sep") && getComputedStyle(e).display === "none") return true;
        return false;
    };
    const notAString = (el) => el.closest(NOT_STRINGS) || (el.closest("svg") && !el.closest("button"));
    const ownName = (el) => {  // the switch's "한국어" in English mode, "English" in Korean mode
        const option = el.closest("#coursebook-lang-select option");
        return option && option.value !== "both" && option.lang === option.value;
    };
    const check = (text, el, what) => {
        text = text.replace(/\s+/g, " ").trim();
        if (!text || ownName(el)) return;
        if (mode === "en" && HANGUL.test(text)) problems.push(`Korean ${what} in ${where(el)}: ${text.slice(0, 80)}`);
        if (mode === "ko" && isEnglishUi(text)) problems.push(`the theme's English ${what} in ${where(el)}: ${text}`);
        if (mode === "both" && isEnglishUi(text) && !el.closest("[lang=en]")) problems.push(`the theme's ${what} in English only, in ${where(el)}: ${text}`);
        if (mode !== "both" && pair(text)) problems.push(`both languages in one ${what} in ${where(el)}: ${text.slice(0, 80)}`);
        const marked = el.closest("[lang]:not(html)");
        if (mode === "ko" && marked && marked.lang === "en" && what === "text") problems.push(`English (lang=en) text in ${where(el)}: ${text.slice(0, 80)}`);
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (el && !notAString(el) && !hiddenByTheSwitch(el)) check(node.textContent, el, "text");
    }
    for (const el of document.body.querySelectorAll(ATTRIBUTES.map((a) => `[${a}]`).join(","))) {
        if ((notAString(el) && !el.matches(".coursebook-diagram > svg")) || hiddenByTheSwitch(el)) continue;
        for (const name of ATTRIBUTES)
            if (el.hasAttribute(name)) check(el.getAttribute(name), el, `${name}=`);
    }
    for (const part of document.title.split(/ [\u2014-] /)) check(part, document.body, "page title");
    if (mode === "both") {
        const hidden = [...document.querySelectorAll(".lang-ko, .lang-en, .lang-sep")].filter((el) => getComputedStyle(el).display === "none");
        if (hidden.length) problems.push(`${hidden.length} elements hidden by the switch in "both", the first ${where(hidden[0])}`);
        for (const language of ["ko", "en"])
            if (!document.querySelector(`.lang-${language}`)) problems.push(`no .lang-${language} element on the page`);
    }
    const expected = mode === "en" ? "en" : "ko";
    if (document.documentElement.lang !== expected) problems.push(`<html lang=${document.documentElement.lang}>, not ${expected}`);
    return problems;
}"""


def wrong_language(page, mode: str, english_ui: set[str], english_patterns: list[str]) -> list[str]:
    """Strings in the wrong language for ``mode`` (ko, en or both); see WRONG_LANGUAGE_JS for what counts."""
    return page.evaluate(WRONG_LANGUAGE_JS, [mode, sorted(english_ui), english_patterns])
