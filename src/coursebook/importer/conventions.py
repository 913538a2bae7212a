"""Colab's and Quarto's conventions, mapped onto the book's (MyST, myst-nb tags).

Each function takes what it maps and a ``report(cell, text)`` callback; whatever has no equivalent
is reported with the notebook's cell number (counted from 1, as Jupyter shows it), never dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import yaml

Report = Callable[[int | None, str], None]

FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(?P<yaml>.*?)\n---[ \t]*\s*\Z", re.S)
KEPT_FRONT_MATTER = ("author", "authors", "date", "subtitle", "description", "license")

# --- Colab ------------------------------------------------------------------------------------

COLAB = r"https?://colab\.research\.google\.com"
COLAB_LINKS = [
    re.compile(rf"\[!\[[^\]]*\]\([^)]*\)\]\({COLAB}[^)]*\)"),  # [![Open In Colab](badge.svg)](colab url)
    re.compile(rf"<a\b[^>]*href=[\"']{COLAB}[^\"']*[\"'][^>]*>.*?</a>", re.S | re.I),  # Colab's own HTML badge
    re.compile(rf"!\[[^\]]*\]\({COLAB}/assets/[^)]*\)"),  # the badge image alone
    re.compile(rf"\[[^\]]*\]\({COLAB}[^)]*\)"),  # [Open in Colab](colab url)
]


def drop_colab_links(source: str, cell: int, report: Report) -> str:
    for pattern in COLAB_LINKS:
        source, count = pattern.subn("", source)
        if count:
            report(cell, "dropped an 'Open in Colab' badge or link (the book adds its own)")
    return source


# --- Front matter -----------------------------------------------------------------------------


def front_matter(source: str) -> dict | None:
    """A Quarto/Jekyll front-matter cell (``---`` YAML ``---``) as a dict, else None."""
    match = FRONT_MATTER.match(source)
    if not match:
        return None
    try:
        meta = yaml.safe_load(match["yaml"])
    except yaml.YAMLError:
        return None
    return meta if isinstance(meta, dict) else None


def author_and_date(meta: dict) -> dict:
    """What the chapter keeps of the front matter besides its title (as the page's metadata)."""
    kept = {}
    for key in KEPT_FRONT_MATTER:
        value = meta.get(key)
        if value in (None, "", []):
            continue
        if key == "authors":
            key = "author"
        if isinstance(value, list):  # Quarto: author: [{name: ...}, ...] or a list of names
            value = ", ".join(str(v.get("name", v)) if isinstance(v, dict) else str(v) for v in value)
        elif isinstance(value, dict):
            value = str(value.get("name", value))
        kept[key] = str(value)
    return kept


# --- Quarto cell options (#| key: value) -------------------------------------------------------

OPTION = re.compile(r"^#\|\s?(?P<option>.*)$")
# option, value -> the myst-nb tag that does the same; the other value of each is the book's default.
TAGS = {
    ("echo", False): "remove-input",
    ("output", False): "remove-output",
    ("include", False): "remove-cell",
    ("error", True): "raises-exception",
    ("eval", False): "skip-execution",
    ("warning", False): "remove-stderr",
    ("code-fold", True): "hide-input",
    ("code-fold", "show"): "hide-input",
}
DEFAULTS = {("echo", True), ("output", True), ("include", True), ("error", False), ("eval", True), ("warning", True), ("code-fold", False)}


def cell_options(source: str, cell: int, report: Report) -> tuple[str, list[str]]:
    """The code without the options that were mapped, and the tags they map to.

    Options with no equivalent stay in the code as the comments they are, and are reported.
    """
    lines = source.splitlines()
    tags: list[str] = []
    kept: list[str] = []
    index = 0
    while index < len(lines) and (match := OPTION.match(lines[index])):
        index += 1
        try:
            option = yaml.safe_load(match["option"])
        except yaml.YAMLError:
            option = None
        if not isinstance(option, dict) or len(option) != 1:
            report(cell, f"a Quarto option line that is not 'key: value' ({lines[index - 1]!r}): kept as a comment")
            kept.append(lines[index - 1])
            continue
        ((key, value),) = option.items()
        if (key, value) in TAGS:
            tags.append(TAGS[key, value])
        elif (key, value) not in DEFAULTS:
            report(cell, f"Quarto option '{key}: {value}' has no equivalent in the book: kept as a comment, not applied")
            kept.append(lines[index - 1])
    return "\n".join(kept + lines[index:]), tags


# --- Quarto shortcodes and divs ----------------------------------------------------------------

SHORTCODE = re.compile(r"\{\{(?P<kind>[<%])\s*(?P<name>[\w-]+)\s*(?P<args>.*?)\s*[>%]\}\}")
CALLOUTS = {"note": "note", "tip": "tip", "warning": "warning", "important": "important", "caution": "caution"}
DIV = re.compile(r"^(?P<fence>:{3,})\s*\{(?P<attrs>[^}]*)\}\s*$")
DIV_CLOSE = re.compile(r"^:{3,}\s*$")


def shortcodes(source: str, cell: int, report: Report) -> str:
    def replace(match: re.Match) -> str:
        name, args = match["name"], match["args"].strip()
        if name == "video" and args:
            url, *rest = args.split()
            if rest:
                report(cell, f"video shortcode options {' '.join(rest)!r} are not kept (the video block takes only the address)")
            return f"\n\n```{{video}} {url.strip(chr(34) + chr(39))}\n```\n\n"
        if name == "pagebreak":
            report(cell, "dropped a {{< pagebreak >}} shortcode (the PDF starts each chapter on a new page)")
            return ""
        if name == "kbd" and args:
            return f"{{kbd}}`{args}`"
        report(cell, f"Quarto shortcode '{match[0]}' has no equivalent in the book: shown as literal text")
        return f"`{match[0]}`"

    return SHORTCODE.sub(replace, source)


def divs(source: str, cell: int, report: Report) -> str:
    """Quarto callouts become admonitions; other fenced divs lose their fences (their content stays)."""
    out: list[str] = []
    stack: list[str | None] = []  # for each open div: its MyST fence, or None when the fences were dropped
    for line in source.splitlines():
        if match := DIV.match(line):
            attrs = match["attrs"]
            callout = re.search(r"\.callout-(\w+)", attrs)
            title = re.search(r"title=\"([^\"]*)\"", attrs)
            if callout and callout[1] in CALLOUTS:
                fence = match["fence"]
                out.append(
                    f"{fence}{{admonition}} {title[1]}\n:class: {CALLOUTS[callout[1]]}" if title else f"{fence}{{{CALLOUTS[callout[1]]}}}"
                )
                stack.append(fence)
            else:
                report(cell, f"Quarto div '{{{attrs}}}' has no equivalent in the book: its content is kept, without it")
                stack.append(None)
            continue
        if stack and DIV_CLOSE.match(line):
            fence = stack.pop()
            if fence:
                out.append(fence)
            continue
        out.append(line)
    return "\n".join(out)
