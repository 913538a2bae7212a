"""A phone's first visit (docs/page-weight.md): what each page transfers, and that none logs an error.

The site is served gzipped, as GitHub Pages serves it (coursebook.build.first_visit). Lighthouse's scores,
which move with the machine's load, are in `make bench` (bench/page_speed.py), not here.
"""

import pytest
from book_pages import chapter_pages, site_pages

from coursebook.build.first_visit import FIRST_VISIT_BUDGET, PHONE, first_visit, gzip_served


@pytest.fixture(scope="module")
def gzip_url(built_site):
    with gzip_served(built_site) as url:
        yield url


def test_the_server_compresses_text_as_github_pages_does(gzip_url):
    import urllib.request

    request = urllib.request.Request(f"{gzip_url}/search.html", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "gzip"


def test_a_first_visit_of_each_chapter_stays_within_the_budget(browser, gzip_url, built_site):
    chapters = chapter_pages(built_site)
    assert chapters, "no chapter pages: the check would check nothing"
    visits = {name: first_visit(browser, gzip_url, name, built_site) for name in chapters}
    over = {
        name: (sum(files.values()), sorted(files.items(), key=lambda item: -item[1])[:5])
        for name, files in visits.items()
        if sum(files.values()) > FIRST_VISIT_BUDGET
    }
    assert over == {}, f"over {FIRST_VISIT_BUDGET} bytes compressed (total, the largest files)"
    assert all(name in files for name, files in visits.items()), "the page itself is counted"


def test_no_page_logs_an_error_or_asks_for_a_missing_file(browser, gzip_url, built_site):
    problems = []
    for name in site_pages(built_site):
        context = browser.new_context(**PHONE)
        page = context.new_page()
        page.on("console", lambda message, name=name: message.type == "error" and problems.append(f"{name}: {message.text}"))
        page.on("pageerror", lambda error, name=name: problems.append(f"{name}: {error}"))
        page.on(
            "response", lambda response, name=name: response.status >= 400 and problems.append(f"{name}: {response.status} {response.url}")
        )
        page.goto(f"{gzip_url}/{name}", wait_until="load")
        page.wait_for_timeout(300)
        context.close()
    assert problems == []
