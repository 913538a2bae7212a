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
            return super().translate_path("/" + path[len(PROJECT_PATH) :])

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
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = doc.split("third-party host\n", 1)[1].split("\n## ", 1)[0]
    for host in site_check.ALLOWED_HOSTS:
        assert f"`{host}`" in section, f"docs/architecture.md's 'no third-party host' section does not list {host}"


# The checks themselves, on a small hand-made site: each problem is found and named.


def make_site(tmp_path, pages: dict[str, str]) -> Path:
    for name, html in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(html, encoding="utf-8")
    return tmp_path


def test_link_check_finds_broken_links_anchors_and_root_relative_urls(tmp_path):
    site = make_site(
        tmp_path,
        {
            "index.html": '<a href="a/page.html#there">ok</a> <a href="a/page.html#nowhere">bad anchor</a>'
            '<a href="missing.html">missing</a> <img src="/_static/logo.png"> <a href="https://example.org/x">ext</a>'
            '<link rel="stylesheet" href="style.css">',
            "a/page.html": '<h1 id="there">x</h1><a href="../index.html">up</a> <a href="#%ED%95%9C">한</a><p id="한"></p>',
            "style.css": "@font-face { src: url('fonts/none.woff2') }",
        },
    )
    problems = "\n".join(site_check.internal_link_problems(site))
    assert "broken anchor 'a/page.html#nowhere'" in problems
    assert "index.html: broken link 'missing.html'" in problems
    assert "root-relative URL '/_static/logo.png'" in problems
    assert "style.css: broken link 'fonts/none.woff2'" in problems
    assert problems.count("\n") == 3, problems


def test_leak_check_finds_paths_env_values_and_tracebacks(tmp_path, monkeypatch):
    monkeypatch.setenv("NNSTEP_API_KEY", "s3cr3t-value-123")
    site = make_site(
        tmp_path,
        {
            "page.html": f'<div class="cell_output"><pre>{ROOT}/lectures</pre><pre>ValueError: bad</pre></div>',
            "data.json": '{"log": "Traceback (most recent call last)", "k": "s3cr3t-value-123"}',
            "notes.txt": "saved to /tmp/xyz",
        },
    )
    problems = "\n".join(site_check.leak_problems(site))
    assert "page.html: contains the repository's absolute path" in problems
    assert "page.html: a cell output reads like an error" in problems
    assert "data.json: contains a traceback" in problems
    assert "data.json: contains the value of $NNSTEP_API_KEY" in problems
    assert "notes.txt: contains a temporary directory" in problems


def test_third_party_check_names_unknown_hosts(tmp_path):
    site = make_site(
        tmp_path,
        {
            "index.html": '<script src="https://cdn.example.com/x.js"></script>'
            '<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"></script>'
        },
    )
    assert site_check.third_party_hosts(site) == {"cdn.example.com": {"index.html"}, "cdn.jsdelivr.net": {"index.html"}}
    problems = site_check.third_party_problems(site)
    assert len(problems) == 2 and all("ALLOWED_HOSTS" in problem for problem in problems)
    assert "cdn.example.com" in problems[0] and "cdn.jsdelivr.net" in problems[1]


# Every way a page or stylesheet can load a file from another host, each on its own: the check must name that host.
LOADS = {
    "script": ("index.html", '<script src="https://js.example.com/x.js"></script>'),
    "stylesheet": ("index.html", '<link rel="stylesheet" href="https://css.example.com/x.css">'),
    "font preload": ("index.html", '<link rel="preload" as="font" href="https://font.example.com/f.woff2">'),
    "icon": ("index.html", '<link rel="icon" href="https://icon.example.com/favicon.ico">'),
    "image": ("index.html", '<img src="https://img.example.com/a.png" alt="">'),
    "srcset": ("index.html", '<img src="a.png" srcset="a.png 1x, https://img.example.com/a@2x.png 2x" alt="">'),
    "picture source": ("index.html", '<picture><source srcset="https://img.example.com/a.webp"><img src="a.png" alt=""></picture>'),
    "iframe": ("index.html", '<iframe src="https://frame.example.com/embed"></iframe>'),
    "video": ("index.html", '<video src="https://media.example.com/v.mp4" poster="p.png"></video>'),
    "video poster": ("index.html", '<video src="v.mp4" poster="https://media.example.com/p.png"></video>'),
    "protocol-relative script": ("index.html", '<script src="//js.example.com/x.js"></script>'),
    "protocol-relative stylesheet": ("index.html", '<link rel="stylesheet" href="//css.example.com/x.css">'),
    "css url() in a style element": ("index.html", "<style>@font-face { src: url('https://font.example.com/f.woff2') }</style>"),
    "css url() in a style attribute": ("index.html", '<div style="background: url(//img.example.com/bg.png)"></div>'),
    "css @import in a style element": ("index.html", '<style>@import "https://css.example.com/more.css";</style>'),
    "css file url()": ("_static/theme.css", "@font-face { src: url(\"https://font.example.com/f.woff2\") format('woff2') }"),
    "css file @import url()": ("_static/theme.css", "@import url(https://css.example.com/more.css);"),
    "css file @import string": ("_static/theme.css", "@import '//css.example.com/more.css';"),
}


@pytest.mark.parametrize("kind", LOADS)
def test_third_party_check_names_the_host_of_every_kind_of_load(tmp_path, kind):
    name, text = LOADS[kind]
    site = make_site(tmp_path, {name: text})
    url = re.search(r"(?:https:)?//([a-z]+\.example\.com)", text)
    assert site_check.third_party_hosts(site) == {url.group(1): {name}}
    [problem] = site_check.third_party_problems(site)
    assert problem.startswith(f"{name} (and 0 more): ") and url.group(1) in problem


def test_third_party_check_leaves_links_and_the_sites_own_files_alone(tmp_path):
    site = make_site(
        tmp_path,
        {
            "index.html": '<a href="https://example.org/page">a link loads nothing</a>'
            '<link rel="canonical" href="https://book.example.org/index.html">'
            '<script src="_static/x.js"></script><img src="data:image/png;base64,iVBO" alt="">'
            '<style>@import "local.css"; .x { background: url(img/a.png) }</style>',
            "_static/theme.css": "@font-face { src: url(fonts/f.woff2) } .y { background: url('data:image/svg+xml;utf8,<svg/>') }",
        },
    )
    assert site_check.third_party_hosts(site) == {}
    assert site_check.third_party_problems(site) == []
