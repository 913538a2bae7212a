"""Checks of a built site before it is published: links, leaks, third-party hosts.

`make book` runs them on the staged site and publishes nothing that fails; the
tests run them on _build/html. Each function returns a list of problems, one
line each, naming the file (relative to the site) and what is wrong.

    python -m coursebook site-check [SITE]     # default: _build/html
"""

from __future__ import annotations

import copy
import getpass
import os
import re
import socket
import sys
from collections import defaultdict
from collections.abc import Collection, Iterable
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from coursebook.layout import ROOT, SITE

# Hosts a page may load a script or stylesheet from, and why. None: the site serves everything itself
# (math is MathML, typeset when the site is built: coursebook.pages.mathml).
ALLOWED_HOSTS: dict[str, str] = {}
LINK_ATTRIBUTES = {
    "a": "href",
    "link": "href",
    "script": "src",
    "img": "src",
    "source": "src",
    "iframe": "src",
    "video": "src",
    "audio": "src",
}
EXTERNAL = re.compile(r"^([a-z][a-z0-9+.-]*:|//)", re.I)  # http:, mailto:, data:, javascript:, //host
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
CSS_IMPORT = re.compile(r"""@import\s+['"]([^'"]+)['"]""")  # @import url(...) is a url() already
# What a page loads (not what it links to): <link> covers stylesheets, fonts (preload) and icons.
LOADED_ATTRIBUTES = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src",),
    "source": ("src",),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "track": ("src",),
}
NOT_LOADED = {
    "canonical",
    "alternate",
    "author",
    "license",
    "help",
    "search",
    "next",
    "prev",
    "index",
    "me",
}  # <link rel> that only names a page
SCANNED_SUFFIXES = {".html", ".js", ".json", ".txt", ".ipynb", ".md", ".svg"}
TRACEBACK_MARKERS = ("Traceback (most recent call last)", "\x1b[")  # a traceback, or raw terminal colours
OUTPUT_ERROR = re.compile(r"\b\w+(Error|Exception|Warning):|^(Error|Warning):", re.M)  # not "Mean Squared Error:"
STANDARD_PATH_ENTRIES = {
    "/usr/local/sbin",
    "/usr/local/bin",
    "/usr/sbin",
    "/usr/bin",
    "/sbin",
    "/bin",
    "/usr/games",
    "/usr/local/games",
    "/snap/bin",
}


def html_files(site: Path) -> list[Path]:
    """The site's pages (the theme's own Jinja templates under _static/ are not pages)."""
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "_static")


def _soup(path: Path) -> BeautifulSoup:
    return _parsed(path, path.stat().st_mtime_ns)  # parsed once per version of the file


@cache
def _parsed(path: Path, mtime_ns: int) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _ids(path: Path) -> set[str]:
    return _ids_of(path, path.stat().st_mtime_ns)


@cache
def _ids_of(path: Path, mtime_ns: int) -> set[str]:
    soup = _soup(path)
    return {tag["id"] for tag in soup.find_all(id=True)} | {tag["name"] for tag in soup.find_all("a", attrs={"name": True})}


def references(soup: BeautifulSoup) -> list[str]:
    """Every URL a page links to or loads: href, src, srcset, and a meta refresh's target."""
    found = []
    for tag, attribute in LINK_ATTRIBUTES.items():
        found += [element[attribute] for element in soup.find_all(tag) if element.get(attribute)]
    found += [src for element in soup.find_all(srcset=True) for src in re.findall(r"(\S+)(?:\s+\S+)?(?:,|$)", element["srcset"])]
    for meta in soup.find_all("meta", attrs={"http-equiv": re.compile("^refresh$", re.I)}):
        if match := re.search(r"url=(.+)$", meta.get("content", ""), re.I):
            found.append(match.group(1).strip(" '\""))
    return found


def _chosen(paths: Iterable[Path], only: Collection[Path] | None) -> list[Path]:
    return [p for p in paths if only is None or p in only]


def internal_link_problems(site: Path, only: Collection[Path] | None = None) -> list[str]:
    """Broken internal links, anchors and assets, and root-relative URLs (which break under /<repo>/).

    ``only``: check the links of these files alone (the ones a rebuild changed).
    """
    problems = []
    for page in _chosen(html_files(site), only):
        for url in references(_soup(page)):
            problems += _check_url(site, page, url)
    for stylesheet in _chosen(sorted(site.rglob("*.css")), only):
        for url in CSS_URL.findall(stylesheet.read_text(encoding="utf-8", errors="replace")):
            problems += _check_url(site, stylesheet, url, anchors=False)
    return problems


def _check_url(site: Path, page: Path, url: str, anchors: bool = True) -> list[str]:
    where = page.relative_to(site).as_posix()
    url = url.strip()
    if not url or EXTERNAL.match(url):
        return []
    if url.startswith("/"):
        return [f"{where}: root-relative URL {url!r} breaks when the site is served from /<repo>/; make it relative"]
    parts = urlsplit(url)
    target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
    if target.is_dir():
        target = target / "index.html"
    try:
        target.relative_to(site.resolve())
    except ValueError:
        if target != page:
            return [f"{where}: {url!r} points outside the site"]
    if not target.is_file():
        return [
            f"{where}: broken link {url!r} (no file {target.relative_to(site.resolve()) if target.is_relative_to(site.resolve()) else target})"
        ]
    fragment = unquote(parts.fragment)
    if anchors and fragment and target.suffix == ".html" and fragment not in _ids(target):
        return [f"{where}: broken anchor {url!r} (no id {fragment!r} in {target.relative_to(site.resolve()).as_posix()})"]
    return []


def third_party_hosts(site: Path, only: Collection[Path] | None = None) -> dict[str, set[str]]:
    """Host -> the pages and stylesheets that load anything from it (a link to another site loads nothing)."""
    hosts: dict[str, set[str]] = defaultdict(set)
    for page in _chosen(html_files(site), only):
        for url in loaded_urls(_soup(page)):
            if host := _outside_host(url):
                hosts[host].add(page.relative_to(site).as_posix())
    for stylesheet in _chosen(sorted(site.rglob("*.css")), only):
        for url in css_urls(stylesheet.read_text(encoding="utf-8", errors="replace")):
            if host := _outside_host(url):
                hosts[host].add(stylesheet.relative_to(site).as_posix())
    return dict(hosts)


def loaded_urls(soup: BeautifulSoup) -> list[str]:
    """What a page loads: scripts, stylesheets, fonts and icons (<link>), images, frames, media, and CSS in it."""
    tags = [tag for tag in soup.find_all(list(LOADED_ATTRIBUTES)) if not (tag.name == "link" and set(tag.get("rel") or []) <= NOT_LOADED)]
    found = [tag[attribute] for tag in tags for attribute in LOADED_ATTRIBUTES[tag.name] if tag.get(attribute)]
    found += [src for tag in soup.find_all(srcset=True) for src in re.findall(r"(\S+)(?:\s+\S+)?(?:,|$)", tag["srcset"])]
    css = [style.get_text() for style in soup.find_all("style")] + [tag["style"] for tag in soup.find_all(style=True)]
    return found + [url for text in css for url in css_urls(text)]


def css_urls(text: str) -> list[str]:
    """Every url(...) and @import "..." of a stylesheet."""
    return CSS_URL.findall(text) + CSS_IMPORT.findall(text)


def _outside_host(url: str) -> str | None:
    """The host of an http(s): or protocol-relative //host URL; None for one the site serves (or data:)."""
    url = url.strip()
    return urlsplit(url).hostname if re.match(r"^(https?:)?//", url, re.I) else None


def third_party_problems(site: Path, only: Collection[Path] | None = None) -> list[str]:
    return [
        f"{sorted(pages)[0]} (and {len(pages) - 1} more): loads a file (script, stylesheet, font, image, frame) from {host}, which is not in "
        "ALLOWED_HOSTS of coursebook.build.site_check. Serve it from the site, or add it there and to docs/architecture.md's third-party hosts section."
        for host, pages in sorted(third_party_hosts(site, only).items())
        if host not in ALLOWED_HOSTS
    ]


def machine_strings() -> dict[str, str]:
    """Strings that identify the build machine -> what they are."""
    found = {
        str(ROOT): "the repository's absolute path",
        sys.prefix: "the virtual environment's path",
        sys.base_prefix: "the Python installation's path",
        "/root/": "a home directory",
        "/home/": "a home directory",
        "/tmp/": "a temporary directory",
    }
    user = getpass.getuser()
    found.setdefault(f"/{user}/", "the user name")
    found.setdefault(f"{user}@", "the user name")
    if len(host := socket.gethostname()) >= 6:  # a short one ("vm") would match ordinary words
        found.setdefault(host, "the host name")
    for name in ("HOME", "PWD", "VIRTUAL_ENV", "TMPDIR", "GITHUB_WORKSPACE", "RUNNER_TEMP", "RUNNER_TOOL_CACHE"):
        if len(value := os.environ.get(name, "")) > 1:
            found.setdefault(value, f"the value of ${name}")
    path = os.environ.get("PATH", "")
    found.setdefault(path, "the value of $PATH")
    for entry in path.split(os.pathsep):
        if len(entry) > 1 and entry not in STANDARD_PATH_ENTRIES:
            found.setdefault(entry, "an entry of $PATH")
    for name, value in os.environ.items():
        if re.search(r"TOKEN|SECRET|PASSWORD|API_KEY", name) and len(value) >= 8:
            found.setdefault(value, f"the value of ${name}")
    return {text: what for text, what in found.items() if text and text != "/"}


def leak_problems(site: Path, only: Collection[Path] | None = None) -> list[str]:
    """Build-machine paths, environment values and tracebacks anywhere in the site's text files."""
    needles = machine_strings()
    problems = []
    if (site / "reports").exists():
        problems.append("reports/: execution logs were written into the site; they must stay out of it")
    for path in _chosen(sorted(p for p in site.rglob("*") if p.suffix in SCANNED_SUFFIXES and p.is_file()), only):
        where = path.relative_to(site).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        for needle, what in needles.items():
            if needle in text:
                problems.append(f"{where}: contains {what} ({_context(text, needle)})")
        for marker in TRACEBACK_MARKERS:
            if marker in text:
                problems.append(f"{where}: contains a traceback or terminal output ({_context(text, marker)})")
        if path.suffix == ".html":
            problems += [f"{where}: {problem}" for problem in _output_problems(_soup(path))]
    return problems


def _output_problems(soup: BeautifulSoup) -> list[str]:
    problems = []
    for output in soup.select(".cell_output"):
        if output.select(".traceback, .stderr"):
            problems.append("a cell output shows an error or stderr")
        output = _without_intended_errors(output, problems)
        text = output.get_text(" ")
        if match := OUTPUT_ERROR.search(text):
            problems.append(f"a cell output reads like an error ({_context(text, match.group(0))})")
    return problems


def _without_intended_errors(output, problems: list[str]):
    """The output without the boxes of deliberate errors (coursebook.execution.intended_errors), which only a cell
    tagged raises-exception may show; any other error in the output is still found."""
    boxes = output.select(".intended-error")
    if not boxes:
        return output
    tagged = any("tag_raises-exception" in parent.get("class", []) for parent in output.parents)
    if not tagged:
        problems.append("an 'intended error' box in a cell not tagged raises-exception")
        return output
    output = copy.copy(output)  # the parsed page is shared between checks
    for found in output.select(".intended-error"):
        found.decompose()
    return output


def _context(text: str, needle: str) -> str:
    at = text.find(needle)
    return repr(text[max(0, at - 30) : at + len(needle) + 30])


def all_problems(site: Path, only: Collection[Path] | None = None) -> list[str]:
    """Every problem of the site; with ``only``, of those files (links into any file are still resolved)."""
    _parsed.cache_clear()  # don't keep old sites' pages in memory
    _ids_of.cache_clear()
    return internal_link_problems(site, only) + leak_problems(site, only) + third_party_problems(site, only)


def main() -> None:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else SITE
    problems = all_problems(site)
    print("\n".join(problems) or f"{site}: no broken link, leak or unknown third-party host")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
