"""Figures in one language: the switch shows each figure's image, and its description, in the reader's language."""

import re

import pytest
from book_pages import chapter_pages, offline_context, open_page

HANGUL = re.compile(r"[\uac00-\ud7a3]")

# Per page: each figure's images by language, which are shown, what the reader heard of each diagram,
# and the figure images the browser fetched once the whole page was scrolled through.
SEEN_JS = """async () => {
    const figures = [...document.querySelectorAll("article figure")].filter((f) => f.querySelector(".lang-figure"));
    const image = (figure, language) => [...figure.querySelectorAll(`.lang-figure.lang-${language} img`)];
    const about = (img) => ({src: img.src, alt: img.alt, shown: img.checkVisibility(), lang: img.closest("[lang]").lang});
    for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight / 2) {  // lazy images load near view
        window.scrollTo(0, y);
        await new Promise((done) => setTimeout(done, 30));
    }
    await new Promise((done) => setTimeout(done, 300));
    return {
        figures: figures.map((f) => ({ko: image(f, "ko").map(about), en: image(f, "en").map(about)})),
        diagrams: [...document.querySelectorAll(".coursebook-diagram > svg")]  // folded ones too: a screen reader may open them
            .map((svg) => svg.getAttribute("aria-label")),
        fetched: performance.getEntriesByType("resource").map((entry) => entry.name).filter((url) => url.includes("/_images/")),
    };
}"""


@pytest.mark.parametrize("mode", ["ko", "en", "both"])
def test_each_figure_shows_the_readers_language_and_fetches_no_other(browser, site_url, built_site, mode):
    figures = diagrams = 0
    with offline_context(browser, locale="en-US" if mode == "en" else "ko-KR") as context:
        context.add_init_script(f"localStorage.setItem('coursebook-lang', '{mode}')")
        for name in chapter_pages(built_site):
            page = open_page(context, f"{site_url}/{name}")
            assert page.evaluate("document.documentElement.dataset.coursebookLang") == mode, name
            seen = page.evaluate(SEEN_JS)
            page.close()
            for number, figure in enumerate(seen["figures"], start=1):
                where = f"{name}, figure {number}"
                assert len(figure["ko"]) == len(figure["en"]) == 1, f"{where}: {figure}"
                (ko,), (en,) = figure["ko"], figure["en"]
                assert (ko["lang"], en["lang"]) == ("ko", "en"), where
                assert HANGUL.search(ko["alt"]) and " · " not in ko["alt"], f"{where}: Korean alt {ko['alt']!r}"
                assert not HANGUL.search(en["alt"]) and re.search("[A-Za-z]", en["alt"]), f"{where}: English alt {en['alt']!r}"
                assert (ko["shown"], en["shown"]) == {"ko": (True, False), "en": (False, True), "both": (True, True)}[mode], where
                if mode != "both" and ko["src"] != en["src"]:  # a figure without words is one file for both
                    hidden = en if mode == "ko" else ko
                    assert hidden["src"] not in seen["fetched"], f"{where}: the hidden image was downloaded"
                    assert (ko if mode == "ko" else en)["src"] in seen["fetched"], f"{where}: the shown image never loaded"
                figures += 1
            for label in seen["diagrams"]:
                assert label, f"{name}: a diagram without a description"
                if mode == "ko":
                    assert HANGUL.search(label) and " · " not in label, f"{name}: diagram described as {label!r}"
                if mode == "en":
                    assert not HANGUL.search(label), f"{name}: diagram described as {label!r}"
                diagrams += 1
    assert figures > 30 and diagrams > 20, (figures, diagrams)
