"""The site works offline: everything comes from the site itself (the math is MathML in the page)."""

from book_pages import chapter_pages, offline_context, open_page


def test_a_chapter_typesets_its_math_with_every_outside_request_blocked(browser, site_url, built_site):
    chapter = next(name for name in chapter_pages(built_site) if 'class="math' in (built_site / name).read_text(encoding="utf-8"))
    failed = []
    with offline_context(browser) as context:
        context.on("requestfailed", lambda request: failed.append(request.url))
        context.on("response", lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"))
        page = open_page(context, f"{site_url}/{chapter}")
        assert page.locator("span.math math").count() > 0, "the formulas are MathML"
        assert page.locator("span.math math").first.bounding_box()["width"] > 0, "and the browser draws them"
        loaded = page.evaluate("performance.getEntriesByType('resource').map((entry) => entry.name)")
        assert all(url.startswith(site_url) for url in loaded), [url for url in loaded if not url.startswith(site_url)]
    assert failed == [], "every file the page asked for is on the site"


def test_a_request_that_leaves_the_site_is_refused_and_noted(browser):
    """The guard the other browser tests rely on: it blocks, and it notices."""
    start = len(browser.blocked)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content('<img src="https://example.invalid/pixel.png"><script src="http://example.invalid/x.js"></script>')
        assert page.evaluate("typeof window.x") == "undefined"
    finally:
        context.close()
    assert sorted(browser.blocked[start:]) == ["http://example.invalid/x.js", "https://example.invalid/pixel.png"]
    del browser.blocked[start:]  # blocked on purpose: not a failure of this test
