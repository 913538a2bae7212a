"""Helpers for the reader tests: every page of the built site, and pages opened offline.

The site loads MathJax from a CDN (third-party script). The tests run without a
network, so a browser context made here answers those requests from the MathJax
copy that the pinned ``django-static-mathjax`` package ships (MathJax 3.2.2, the
version the CDN URL's ``mathjax@3`` resolves to at the time of writing), and
refuses every other request that leaves 127.0.0.1: a page must not depend on
anything else from outside.
"""

from __future__ import annotations

import contextlib
import mimetypes
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
NOT_PAGES = ("_static/", "_sources/", "_images/", "reports/")
MATHJAX_URL = re.compile(r"/mathjax@3/es5/([^?#]+)")  # also handed to the browser: no Python-only syntax
OFFSITE = re.compile(r"^(?!https?://127\.0\.0\.1[:/])[a-z]+://")


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


def _mathjax_root() -> Path:
    import mathjax  # the django-static-mathjax package

    return (Path(mathjax.__file__).parent / "static" / "mathjax" / "es5").resolve()


def _serve_mathjax(route) -> None:
    match = MATHJAX_URL.search(route.request.url)
    path = (_mathjax_root() / match[1]).resolve() if match else None
    if path is None or not path.is_file() or _mathjax_root() not in path.parents:
        route.fulfill(status=404, body="")
        return
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    route.fulfill(status=200, body=path.read_bytes(), headers={"Content-Type": content_type, "Access-Control-Allow-Origin": "*"})


@contextlib.contextmanager
def offline_context(browser, **options) -> Iterator:
    """A browser context with MathJax served locally and nothing else from outside."""
    options.setdefault("locale", "ko-KR")
    context = browser.new_context(**options)
    context.route(OFFSITE, lambda route: route.abort())
    context.route(MATHJAX_URL, _serve_mathjax)  # the later route is tried first
    try:
        yield context
    finally:
        context.close()


def settle(page) -> None:
    """Wait until the page has loaded and MathJax (where the page uses it) has typeset."""
    page.wait_for_load_state("load")
    page.evaluate(
        """async () => {
            if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
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
