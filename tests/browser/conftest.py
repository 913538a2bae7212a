"""Browser fixtures: the built site served on 127.0.0.1 and headless Debian Chromium, offline.

Every context made through the ``browser`` fixture (whoever calls ``new_context``)
refuses each request that leaves 127.0.0.1 and notes it; a test during which a
page asked for the network fails, naming what it asked for.

Every test in this folder is marked ``browser`` (and, by tests/conftest.py, ``build``
when it uses the built site), so ``-m browser`` selects them and ``-m "not build"``
builds nothing.
"""

import re
import shutil
from pathlib import Path

import pytest
from local_server import served

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
OFFSITE = re.compile(r"^(?!https?://127\.0\.0\.1[:/])[a-z][a-z0-9+.-]*://")  # not data: or about:
HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)  # before -m deselects by mark
def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:  # a conftest's hook sees every test of the session
            item.add_marker(pytest.mark.browser)


class OfflineBrowser:
    """Chromium, whose every new context blocks (and notes) requests that leave the site."""

    def __init__(self, browser) -> None:
        self._browser = browser
        self.blocked: list[str] = []

    def new_context(self, **options):
        options.setdefault("locale", "ko-KR")
        context = self._browser.new_context(**options)
        context.route(OFFSITE, self._block)
        return context

    def new_page(self, **options):
        raise TypeError("open pages in a context: browser.new_context().new_page(), so the context can be closed")

    def _block(self, route) -> None:
        self.blocked.append(route.request.url)
        route.abort("blockedbyclient")

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def site_url(built_site):
    """Base URL of the built site, served by a quiet local HTTP server."""
    with served(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium) or apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield OfflineBrowser(instance)
        instance.close()


@pytest.fixture(autouse=True)
def no_network(request):
    """Fails a browser test during which a page asked for anything outside the site."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    start = len(browser.blocked)
    yield
    asked = browser.blocked[start:]
    assert not asked, f"pages asked for {len(asked)} things outside the site (blocked): {sorted(set(asked))[:10]}"


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
