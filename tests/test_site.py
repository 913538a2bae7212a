"""The built site as GitHub Pages serves it: under /<repo>/, every link whole, nothing leaked,
scripts and styles from the site itself (and the documented third-party hosts only)."""

import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from local_server import QuietHandler, served
from coursebook.build import site_check

PROJECT_PATH = "/nn-basics/"  # https://<user>.github.io/nn-basics/
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.build
def test_no_root_relative_url_in_the_html(built_site):
    offenders = [
        f"{page.relative_to(built_site)}: {match}"
        for page in built_site.rglob("*.html")
        for match in re.findall(r"""(?:href|src)\s*=\s*["']/(?!/)[^"']*""", page.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.build
def test_every_internal_link_and_anchor_resolves(built_site):
    assert site_check.internal_link_problems(built_site) == []


@pytest.fixture(scope="module")
def project_url(built_site):
    """The site served under PROJECT_PATH only, as GitHub Pages serves a project site."""

    class UnderProjectPath(QuietHandler):
        def translate_path(self, path):
            if not path.startswith(PROJECT_PATH):
                return str(built_site / "__outside_the_project_path__")
            return super().translate_path("/" + path[len(PROJECT_PATH):])

    with served(built_site, UnderProjectPath) as url:
        yield url + PROJECT_PATH


@pytest.mark.build
def test_every_page_link_and_asset_loads_under_a_project_path(built_site, project_url):
    origin = urlsplit(project_url).netloc
    pages = [project_url] + [project_url + p.relative_to(built_site).as_posix() for p in site_check.html_files(built_site)]
    queue, seen, broken = list(pages), set(), []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                body, kind = response.read(), response.headers.get_content_type()
        except urllib.error.HTTPError as error:
            broken.append(f"{url} -> {error.code}")
            continue
        if kind == "text/html":
            links = site_check.references(BeautifulSoup(body.decode("utf-8"), "html.parser"))
        elif kind == "text/css":
            links = site_check.CSS_URL.findall(body.decode("utf-8", "replace"))
        else:
            continue
        for link in links:
            target = urljoin(url, link.strip()).split("#")[0].split("?")[0]
            if urlsplit(target).netloc == origin and target not in seen:
                queue.append(target)
    assert broken == []
    assert len(seen) > 20, "the crawl reached the theme's assets"


@pytest.mark.build
def test_nothing_from_the_build_machine_leaks_into_the_site(built_site):
    assert site_check.leak_problems(built_site) == []


@pytest.mark.build
def test_scripts_and_styles_come_from_the_site_or_documented_hosts(built_site):
    hosts = site_check.third_party_hosts(built_site)
    assert set(hosts) <= set(site_check.ALLOWED_HOSTS), hosts
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Third-party hosts", 1)[1].split("\n## ", 1)[0]
    for host in site_check.ALLOWED_HOSTS:
        assert f"`{host}`" in section, f"README's 'Third-party hosts' does not list {host}"


# The checks themselves, on a small hand-made site: each problem is found and named.

def make_site(tmp_path, pages: dict[str, str]) -> Path:
    for name, html in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(html, encoding="utf-8")
    return tmp_path


def test_link_check_finds_broken_links_anchors_and_root_relative_urls(tmp_path):
    site = make_site(tmp_path, {
        "index.html": '<a href="a/page.html#there">ok</a> <a href="a/page.html#nowhere">bad anchor</a>'
                      '<a href="missing.html">missing</a> <img src="/_static/logo.png"> <a href="https://example.org/x">ext</a>'
                      '<link rel="stylesheet" href="style.css">',
        "a/page.html": '<h1 id="there">x</h1><a href="../index.html">up</a> <a href="#%ED%95%9C">한</a><p id="한"></p>',
        "style.css": "@font-face { src: url('fonts/none.woff2') }",
    })
    problems = "\n".join(site_check.internal_link_problems(site))
    assert "broken anchor 'a/page.html#nowhere'" in problems
    assert "index.html: broken link 'missing.html'" in problems
    assert "root-relative URL '/_static/logo.png'" in problems
    assert "style.css: broken link 'fonts/none.woff2'" in problems
    assert problems.count("\n") == 3, problems


def test_leak_check_finds_paths_env_values_and_tracebacks(tmp_path, monkeypatch):
    monkeypatch.setenv("NNSTEP_API_KEY", "s3cr3t-value-123")
    site = make_site(tmp_path, {
        "page.html": f'<div class="cell_output"><pre>{ROOT}/lectures</pre><pre>ValueError: bad</pre></div>',
        "data.json": '{"log": "Traceback (most recent call last)", "k": "s3cr3t-value-123"}',
        "notes.txt": "saved to /tmp/xyz",
    })
    problems = "\n".join(site_check.leak_problems(site))
    assert "page.html: contains the repository's absolute path" in problems
    assert "page.html: a cell output reads like an error" in problems
    assert "data.json: contains a traceback" in problems
    assert "data.json: contains the value of $NNSTEP_API_KEY" in problems
    assert "notes.txt: contains a temporary directory" in problems


def test_third_party_check_names_unknown_hosts(tmp_path):
    site = make_site(tmp_path, {"index.html": '<script src="https://cdn.example.com/x.js"></script>'
                                              '<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"></script>'})
    assert site_check.third_party_hosts(site) == {"cdn.example.com": {"index.html"}, "cdn.jsdelivr.net": {"index.html"}}
    problems = site_check.third_party_problems(site)
    assert len(problems) == 2 and all("ALLOWED_HOSTS" in problem for problem in problems)
    assert "cdn.example.com" in problems[0] and "cdn.jsdelivr.net" in problems[1]
