"""The whole book as PDF (coursebook.pdf.printer, `make pdf`), read back with a pure-Python PDF reader.

The PDFs are printed once per session from the session's built site into a temporary folder
(the site itself is left as `make book` built it).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from coursebook.pdf.printer import CHROMIUM, languages, pdf_files, print_html
from coursebook.chapters import ROOT, toc_docnames

import coursebook.pdf.links as pdf_links  # noqa: E402

HANGUL = re.compile(r"[가-힣]")
pytestmark = pytest.mark.browser  # Chromium prints the PDF


@pytest.fixture(scope="session")
def pdfs(built_site, tmp_path_factory) -> dict[str, PdfReader]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium) or apt-get install chromium fonts-nanum")
    out = tmp_path_factory.mktemp("pdf")
    started = time.perf_counter()
    # In its own process, as `make pdf` runs it: the browser tests may hold Playwright's loop in this one.
    result = subprocess.run(
        [sys.executable, "-m", "coursebook", "pdf", str(built_site), str(out)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    print(f"\nprinted both PDFs in {time.perf_counter() - started:.1f} s")
    return {lang: PdfReader(out / name) for lang, name in pdf_files().items()}


@pytest.fixture(scope="session")
def texts(pdfs) -> dict[str, list[str]]:
    return {lang: [page.extract_text() for page in reader.pages] for lang, reader in pdfs.items()}


def visible_text(site: Path, lang: str) -> str:
    """The printed document's text as the browser draws it (without scripts, styles and what is never drawn)."""
    soup = BeautifulSoup(print_html(site, lang), "html.parser")
    for tag in soup(["script", "style", "title"]):
        tag.decompose()
    for tag in soup.select("[hidden], .np-sr"):  # not drawn: hidden until a script shows it, or for screen readers only
        tag.decompose()
    return soup.get_text()


def squeezed(text: str) -> str:
    """Without white space, and with the font's ligatures (ﬁ, ﬂ) read back as their letters."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def page_titles(site: Path, lang: str) -> list[str]:
    """Each page's title (its h1) in one language, as the site shows it with the switch on ``lang``."""
    titles = []
    for name in toc_docnames():
        h1 = BeautifulSoup((site / f"{name}.html").read_text(encoding="utf-8"), "html.parser").select_one("article h1")
        half = h1.select_one(f'[lang="{lang}"]')
        for link in h1.select("a.headerlink"):
            link.decompose()
        titles.append((half or h1).get_text().strip())
    return titles


def test_every_font_is_embedded(pdfs):
    for lang, reader in pdfs.items():
        fonts = {}
        for page in reader.pages:
            for key, font in (page["/Resources"].get("/Font") or {}).items():
                font = font.get_object()
                fonts[font.get("/BaseFont", f"Type 3 font {key} on page {page.page_number + 1}")] = font
        assert fonts, f"{lang}: no fonts at all"
        for name, font in fonts.items():
            if font["/Subtype"] == "/Type3":  # glyphs drawn by procedures inside the PDF
                assert font["/CharProcs"], f"{lang}: {name} has no glyphs"
                continue
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)["/FontDescriptor"]
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), f"{lang}: {name} is not embedded"
        if lang == "ko":
            assert any("Nanum" in name for name in fonts), f"no Korean font in {sorted(fonts)}"


def test_the_korean_text_comes_out_as_it_went_in(pdfs, texts, built_site):
    """Every Hangul syllable on the printed pages is in the PDF's text as often: no missing glyph, no box."""
    for lang in pdfs:
        text = "".join(texts[lang])
        # A MathML brace or bracket stretched from pieces (U+239B-U+23AD) has extender glyphs with no
        # character: they come out as NUL next to the pieces, and are no text lost.
        text = re.sub(r"(?<=[\u239b-\u23ad])(\n?\x00)+|(\x00\n?)+(?=[\u239b-\u23ad])", "", text)
        controls = set(re.findall(r"[\x00-\x08\x0b-\x1f]", text))
        assert not controls, f"{lang}: control characters in the PDF's text (a font maps them to its space): {controls}"
        printed = Counter(HANGUL.findall(text))  # counted, not in order: a PDF's text need not follow the page's order,
        # and syllables, not words: the HTML's text runs table cells together
        shown = Counter(HANGUL.findall(visible_text(built_site, lang)))
        assert lang == "en" or shown.total() > 10000
        missing = shown - printed
        assert not missing, f"{lang}: Hangul on the pages but not in the PDF's text: {dict(missing.most_common(20))}"


def test_each_language_has_its_own_pdf(texts, built_site):
    korean, english = (squeezed("".join(texts[lang])) for lang in ("ko", "en"))
    for name in toc_docnames():
        article = BeautifulSoup((built_site / f"{name}.html").read_text(encoding="utf-8"), "html.parser").select_one("article")
        for lang, other in (("ko", english), ("en", korean)):
            block = article.select_one(f'div[lang="{lang}"] p')
            if block is not None:
                assert squeezed(block.get_text())[:40] not in other, f"{name}: a {lang} paragraph in the other language's PDF"


def test_every_page_of_the_book_has_its_title_and_a_bookmark(pdfs, texts, built_site):
    for lang, reader in pdfs.items():
        bookmarks = [item.title for item in reader.outline if not isinstance(item, list)]
        text = squeezed("".join(texts[lang]))
        titles = page_titles(built_site, lang)
        assert len(titles) == len(toc_docnames()) >= 10
        for title in titles:
            assert squeezed(title) in text, f"{lang}: the title {title!r} is not in the PDF's text"
            assert squeezed(title) in map(squeezed, bookmarks), f"{lang}: no bookmark {title!r} in {bookmarks}"


def test_math_is_typeset_not_left_as_tex(texts):
    for lang, pages in texts.items():
        text = "".join(pages)
        leftovers = re.findall(r"\\(?:frac|hat|begin|mathbf|sum|\(|\[)|\$", text)
        assert not leftovers, f"{lang}: raw TeX in the PDF's text: {leftovers[:10]}"


def test_every_page_is_numbered(texts):
    for lang, pages in texts.items():
        for number, text in enumerate(pages, start=1):
            assert re.search(rf"(?<!\d){number}\s*/\s*{len(pages)}(?!\d)", text), f"{lang}: page {number} has no page number"


def test_every_plot_is_in_the_pdf_and_diagrams_are_vectors(pdfs, built_site):
    """As many raster images as the pages show plots in that language, and every diagram as SVG."""
    for lang, reader in pdfs.items():
        other = next(code for code in languages() if code != lang)
        plots = diagrams = 0
        for name in toc_docnames():
            article = BeautifulSoup((built_site / f"{name}.html").read_text(encoding="utf-8"), "html.parser").select_one("article")
            shown = lambda tag: tag.find_parent(class_=f"lang-{other}") is None  # noqa: E731 (not in the other language's block)
            plots += len([img for img in article.find_all("img") if "_images/" in img.get("src", "") and shown(img)])
            diagrams += len([figure for figure in article.select("figure.coursebook-diagram") if shown(figure)])
        assert plots > 30 and diagrams > 20
        printed = BeautifulSoup(print_html(built_site, lang), "html.parser")
        assert len(printed.select("figure.coursebook-diagram svg")) == diagrams, f"{lang}: a diagram is missing"
        count = sum(len(page.images) for page in reader.pages)  # raster images: a diagram drawn as one would add to them
        assert count == plots, f"{lang}: {count} raster images in the PDF, the pages show {plots} plots"


def test_the_header_links_the_pdfs_only_when_the_build_printed_them():
    def header(pdfs: dict) -> list:
        app = SimpleNamespace(config=SimpleNamespace(coursebook_pdfs=pdfs))
        context = {"header_buttons": [], "pathto": lambda name, resource: f"../{name}"}
        pdf_links.add_pdf_buttons(app, "lectures/x", "page.html", context, None)
        return context["header_buttons"]

    assert header({}) == []
    (group,) = header(pdf_files())
    assert [button["url"] for button in group["buttons"]] == [f"../nnstep-book-{lang}.pdf" for lang in languages()]
