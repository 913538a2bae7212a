"""The whole book as one PDF per language, printed by Chromium from the built site.

    python -m coursebook pdf [SITE] [OUT]    # default: _build/html -> _build/pdf

``make pdf`` runs it through ``coursebook build --pdf``, which puts the PDFs into the site
(``coursebook: pdf: file_name:``, e.g. ``book-ko.pdf``, ``book-en.pdf``) and links them from every page's header.

Every page of ``_toc.yml``, in reading order, goes into one HTML file (outside the site): the
article of each built page (its code, outputs, plots and inline-SVG diagrams as they are), the
other language's blocks removed, ids made unique per page and links between pages turned into
links inside the file. The math is MathML already (coursebook.pages.mathml), which Chromium draws.
Chromium prints it all with a bookmark per heading and page numbers in the footer. No TeX is
involved; the Hangul comes from Debian's fonts-nanum (NanumBarunGothic), embedded by Chromium.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from coursebook.chapters import ROOT, toc_docnames
from coursebook.layout import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def languages() -> dict[str, str]:
    """{code: label} of the language pair (`coursebook: languages:`)."""
    return settings()["languages"]


def title(lang: str) -> str:
    return settings()["pdf"]["titles"].get(lang) or settings()["pdf"]["titles"].get(next(iter(languages())), "")


def pdf_name(lang: str) -> str:
    return settings()["pdf"]["file_name"].format(lang=lang)


def pdf_files() -> dict[str, str]:
    """What the pages link to when the build prints the PDF (the Sphinx setting coursebook_pdfs)."""
    return {lang: pdf_name(lang) for lang in languages()}


def anchor(docname: str, fragment: str = "") -> str:
    """A page's id (or one of its ids) inside the single file: unique across pages."""
    return docname.replace("/", "--") + (f"--{fragment}" if fragment else "")


PRINT_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
html { font-size: 10pt; }
body { margin: 0; background: white; color: black; }
/* Fonts named, Hangul included: a fallback font would be emboldened synthetically (Type 3 glyphs).
   NanumBarunGothic, not NanumGothic: NanumGothic's space glyph also serves U+0001, and a PDF
   viewer then copies every space out as U+0001. */
body { font-family: "DejaVu Sans", "NanumBarunGothic", sans-serif; word-break: keep-all; }  /* Korean breaks between words */
html:lang(ko) body { font-family: "NanumBarunGothic", sans-serif; }
h1, h2, h3, h4, h5, h6, .admonition-title, caption, th, dt { font-family: inherit !important; }
pre, code, kbd, samp { font-family: "DejaVu Sans Mono", "NanumBarunGothic", monospace; }
.print-page { break-before: page; }
.print-page:first-child { break-before: auto; }
h1, h2, h3, h4 { break-after: avoid; }
figure, img, svg, table { break-inside: avoid; }
img, svg { max-width: 100%; height: auto; }
figure img { max-height: 120mm; width: auto; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 8.5pt; }
div.highlight, pre { overflow: visible !important; max-height: none !important; }
div.math { overflow: visible !important; }  /* MathML: a wide formula is printed whole, not scrolled */
.cell_output { max-height: none !important; overflow: visible !important; }
a { color: inherit; text-decoration: none; }
"""

FOOTER = """<div style="font-size: 8pt; width: 100%; padding: 0 15mm; display: flex; justify-content: space-between;
  font-family: NanumBarunGothic, sans-serif; color: #555;"><span>{title}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>"""


def print_html(site: Path, lang: str) -> str:
    """One HTML document of the whole book in ``lang``; it loads images and styles from ``site`` (file URLs)."""
    site = site.resolve()
    pages = [name for name in toc_docnames() if (site / f"{name}.html").is_file()]
    known = {f"{name}.html": name for name in pages}
    head = BeautifulSoup((site / f"{pages[0]}.html").read_text(encoding="utf-8"), "html.parser")
    styles = "\n".join(
        f'<link rel="stylesheet" href="{urljoin(site.as_uri() + "/" + pages[0] + ".html", link["href"])}">'
        for link in head.select('link[rel="stylesheet"]')
    )
    body = []
    for name in pages:
        article = BeautifulSoup((site / f"{name}.html").read_text(encoding="utf-8"), "html.parser").select_one("article")
        _keep_language(article, lang)
        _make_local(article, name, known, site)
        for details in article.find_all("details"):  # folded code is printed unfolded, as plain code
            details.summary.decompose()
            details.name, details["class"] = "div", [c for c in details.get("class", []) if c != "admonition"]
        for tag in article.select("a.headerlink, .lang-sep, button, .toggle-details__summary"):
            tag.decompose()
        body.append(f'<section class="print-page" id="{anchor(name)}">{article.decode_contents()}</section>')
    return f"""<!DOCTYPE html>
<html lang="{lang}" data-coursebook-lang="{lang}" data-theme="light" data-mode="light">
<head><meta charset="utf-8"><title>{title(lang)}</title>
{styles}
<style>{PRINT_CSS}</style>
</head>
<body>{"".join(body)}</body>
</html>"""


def _keep_language(article, lang: str) -> None:
    """Remove every block and span of the other language (the page's language switch, fixed)."""
    for tag in article.find_all(attrs={"lang": True}):
        if not tag.decomposed and tag["lang"].split("-")[0] in languages() and not tag["lang"].startswith(lang):
            tag.decompose()


def _make_local(article, docname: str, known: dict[str, str], site: Path) -> None:
    """Ids unique to the page; images from the site; links between pages as links inside the file."""
    page = f"{docname}.html"
    for tag in article.find_all(id=True):
        tag["id"] = anchor(docname, tag["id"])
    for tag in article.find_all(["img", "source"], src=True):
        tag["src"] = urljoin(f"{site.as_uri()}/{page}", tag["src"])
        tag.attrs.pop("loading", None)  # a lazy image below the fold would never load for the printer
    for link in article.find_all("a", href=True):
        href = link["href"]
        if EXTERNAL.match(href):
            continue
        target = urlsplit(urljoin(page, href))
        if target.path in known or not target.path:
            link["href"] = "#" + anchor(known.get(target.path, docname), target.fragment)
        else:
            link.unwrap()  # a download or source file: nothing to follow on paper


def print_book(site: Path, out: Path) -> dict[str, Path]:
    """Print the site into ``out/`` under the configured file names for each language; return the files."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: the PDF is printed by Chromium. Run: sudo apt-get install -y chromium fonts-nanum")
    site = site.resolve()
    out.mkdir(parents=True, exist_ok=True)
    printed = {}
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as folder:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for lang in languages():
                source = Path(folder) / f"book-{lang}.html"  # outside the site: nothing is added to it
                source.write_text(print_html(site, lang), encoding="utf-8")
                page = browser.new_page()
                page.route(re.compile(r"^https?://"), lambda route: route.abort())  # nothing from the network
                page.goto(source.as_uri(), wait_until="load")
                page.wait_for_function("[...document.images].every((image) => image.complete && image.naturalWidth > 0)")
                target = out / pdf_name(lang)
                page.pdf(
                    path=str(target),
                    format="A4",
                    outline=True,
                    tagged=True,
                    print_background=True,
                    display_header_footer=True,
                    header_template="<span></span>",
                    footer_template=FOOTER.format(title=title(lang)),
                    margin={"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"},
                )
                page.close()
                printed[lang] = target
        finally:
            browser.close()
    return printed


def main() -> None:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_build" / "html"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "_build" / "pdf"
    started = time.perf_counter()
    for lang, path in print_book(site, out).items():
        print(f"{languages()[lang]}: {path} ({path.stat().st_size / 1e6:.1f} MB)")
    print(f"printed in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
