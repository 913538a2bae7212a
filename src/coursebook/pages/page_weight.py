"""A light first visit on a phone, and pages the Nu HTML Checker accepts (docs/page-weight.md).

When the build has written the site (``build-finished``), every page is finished once more:

- the theme's icons (``<i class="fa-solid fa-sun">``, also as ``<span>``) become the inline SVG that the theme's
  ``fontawesome.js`` would have drawn in the browser, taken from that very file, and the page
  no longer loads it (1.5 MB for a dozen icons);
- the theme's stylesheet keeps only the icon rules (``.fa-name:before``) of icons some page still
  draws with the icon font, and that font only the glyphs the stylesheet shows (as WOFF);
- ``<style>`` elements in the body (a notebook output's own styles) move to the head, once each;
- every ``<img>`` gets its ``width`` and ``height`` (read from the image), and all but a page's
  first image load lazily;
- a folded cell's title, which myst-nb writes as ``<p>`` inside ``<summary>``, becomes a
  ``<span>`` (a summary holds no paragraph);
- the scripts in the head load with ``defer`` (after the page is parsed, in the same order), except
  the language switch's, which must choose the language before the page paints; the theme's
  ``<link rel="preload">`` of its own deferred scripts goes (it made them compete with the stylesheets);
- a stylesheet that only ``@import``s another (the theme's ``theme.css``) is linked as that other;
- in highlighted code, the token spans whose colour is the code block's own (names, punctuation,
  spaces: half of a chapter's elements) become plain text;
- the stylesheets lose the rules no page can use (``unused_css.py``).

Each step leaves a finished page as it is, so pages Sphinx did not rewrite are not changed twice.
While pages are written (``html-page-context``), each gets a meta description from its first
paragraph. Math is typeset at build time by ``mathml.py``, so no page loads a math script.
"""

from __future__ import annotations

import base64
import html
import io
import logging
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from docutils import nodes
from PIL import Image
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError

from coursebook.pages import unused_css

FAVICON = Path(__file__).resolve().parent.parent / "reader" / "static" / "favicon.svg"
THEME_ICONS = Path("_static/scripts/fontawesome.js")
THEME_CSS = Path("_static/styles/pydata-sphinx-theme.css")
PYGMENTS_CSS = Path("_static/pygments.css")
ICON_TAG = re.compile(r'<(?P<tag>i|span) (?P<attrs>[^>]*\bclass="(?P<classes>[^"]*\bfa-[^"]*)"[^>]*)>\s*</(?P=tag)>')
ICON_SCRIPT = re.compile(r'[ \t]*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\n?')
STYLES = {"fa": "fas", "fas": "fas", "fa-solid": "fas", "far": "far", "fa-regular": "far", "fab": "fab", "fa-brands": "fab"}
NOT_NAMES = {"fa-lg", "fa-sm", "fa-xs", "fa-fw", "fa-2x", "fa-solid", "fa-regular", "fa-brands"}
STYLE_ELEMENT = re.compile(r"<style\b[^>]*>.*?</style>\s*", re.S)
IMG = re.compile(r"<img\b[^>]*>")
SUMMARY_TITLE = re.compile(
    r'(<summary\b[^>]*>\s*)<p (class="(?:collapsed|expanded) admonition-title">.*?)</p>(\s*)<p (class="(?:collapsed|expanded) admonition-title">.*?)</p>',
    re.S,
)
ICON_RULE = re.compile(r"(?<=[}\s])((?:\.fa-[a-z0-9-]+:(?:before|after),?)+)\{content:[^}]*\}")
PRELOADED_SCRIPT = re.compile(r'[ \t]*<link rel="preload" as="script" href="[^"]*"\s*/?>\n?')
HEAD_SCRIPT = re.compile(r'<script (?![^>]*\b(?:defer|async)\b)(?P<attrs>[^>]*\bsrc="(?P<src>[^"]*)"[^>]*)></script>')
BEFORE_PAINT = ("coursebook-reader.js",)  # sets <html data-coursebook-lang>, which hides the other language
STYLESHEET = re.compile(r'<link (?=[^>]*\brel="stylesheet")[^>]*\bhref="(?P<href>[^"]*)"[^>]*>')
ONLY_IMPORT = re.compile(r'^(?:\s|/\*.*?\*/)*@import (?:url\()?"(?P<url>[^"]+)"\)?;(?:\s|/\*.*?\*/)*$', re.S)
CODE_BLOCK = re.compile(r'<div class="highlight"><pre>.*?</pre>', re.S)
DESCRIPTION_LENGTH = 160  # characters per language; search engines show about that much


# --- icons ----------------------------------------------------------------------------------------------------------


def theme_icons(script: str) -> dict[tuple[str, str], tuple[int, int, str]]:
    """(style, name) -> (width, height, path) from fontawesome.js, whose packs are ``var p={...}`` then ``d("fab",p)``."""
    icons: dict[tuple[str, str], tuple[int, int, str]] = {}
    entry = re.compile(r'(?:"([a-z0-9-]+)"|\b([a-z][a-z0-9]*)):\[(\d+),(\d+),\[([^\]]*)\],"[0-9a-f]+","([^"]*)"\]')
    for pack in re.finditer(r"var p=\{(.*?)\};?\w*[^;]*?d\(\"(fa[a-z])\",p\)", script, re.S):
        style = pack.group(2)
        for found in entry.finditer(pack.group(1)):
            name, width, height, aliases, path = found.group(1) or found.group(2), *found.group(3, 4, 5, 6)
            for alias in [name, *re.findall(r'"([a-z0-9-]+)"', aliases)]:
                icons[(style, alias)] = (int(width), int(height), path)
    return icons


def icon_svg(match: re.Match, icons: dict, page: Path) -> str:
    classes = match["classes"].split()
    style = next((STYLES[c] for c in classes if c in STYLES), "fas")
    name = next((c[3:] for c in classes if c.startswith("fa-") and c not in NOT_NAMES), None)
    if name is None or (style, name) not in icons:
        raise ExtensionError(f"{page}: the icon {match['classes']!r} is not in the theme's {THEME_ICONS}; pick one it has")
    width, height, path = icons[(style, name)]
    attributes = match["attrs"].replace(f'class="{match["classes"]}"', f'class="{match["classes"]} svg-inline--fa"')
    title = re.search(r'\s+title="([^"]*)"', attributes)
    if title:  # an SVG takes its tooltip from a <title> child, not an attribute
        attributes = attributes.replace(title.group(), "")
    if "aria-hidden" not in attributes and "aria-label" not in attributes:
        attributes += ' aria-hidden="true"'
    tooltip = f"<title>{title.group(1)}</title>" if title else ""
    return f'<svg {attributes} focusable="false" viewBox="0 0 {width} {height}">{tooltip}<path fill="currentColor" d="{path}"/></svg>'


def used_icon_names(pages: list[str]) -> set[str]:
    """Icon names on elements that still draw with the icon font (not the SVGs made here)."""
    tags = (tag for page in pages for tag in re.findall(r'<(?!svg\b)\w+[^>]*\bclass="[^"]*\bfa-[^"]*"', page))
    return {name for tag in tags for name in re.search(r'class="([^"]*)"', tag).group(1).split() if name.startswith("fa-")}


def subset_theme_css(css: str, used: set[str]) -> str:
    """Drop the theme's ``.fa-name:before{content:...}`` rules of icons no page names (3,000 of them)."""

    def keep(rule: re.Match) -> str:
        names = re.findall(r"\.(fa-[a-z0-9-]+):", rule.group(1))
        return rule.group() if any(name in used for name in names) else ""

    return ICON_RULE.sub(keep, css)


FONT_FACE = re.compile(r"@font-face\{[^}]*\}")
FONT_URL = re.compile(r'url\((?P<url>[^)]*?\.ttf)\) format\("truetype"\)')


def subset_icon_fonts(css: str, css_path: Path) -> str:
    """Each icon font the stylesheet still names, cut to the glyphs its rules show (a few of 1,400), as WOFF.

    What still draws with the font (admonition titles, download links) names its glyph in a
    ``content:`` value; every private-use character in the stylesheet is kept.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    used = sorted({ord(c) for c in css if 0xE000 <= ord(c) <= 0xF8FF})
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # it reports each table it cuts at INFO

    def cut(face: re.Match) -> str:
        found = FONT_URL.search(face.group())
        if not found:
            return face.group()
        source = (css_path.parent / found["url"]).resolve()
        target = source.with_suffix(".subset.woff")
        font = TTFont(source, recalcTimestamp=False)
        subsetter = subset.Subsetter(subset.Options(flavor="woff", layout_features=[], name_IDs=[1, 2], notdef_outline=True))
        subsetter.populate(unicodes=used)
        subsetter.subset(font)
        font.flavor = "woff"
        font.save(target, reorderTables=True)
        url = found["url"][: -len(".ttf")] + ".subset.woff"
        return re.sub(r"src:[^;}]*", f'src:url({url}) format("woff")', face.group())

    return FONT_FACE.sub(cut, css)


# --- images ---------------------------------------------------------------------------------------------------------


def image_size(src: str, page: Path) -> tuple[int, int] | None:
    if src.startswith("data:image/") and ";base64," in src:
        data = base64.b64decode(src.split(",", 1)[1])
        source = io.BytesIO(data)
    else:
        parts = urlsplit(src)
        if parts.scheme or parts.netloc:
            return None  # another host's image: the site check refuses those anyway
        source = (page.parent / unquote(parts.path)).resolve()
        if not source.is_file():
            return None
    if str(src).split("?")[0].endswith(".svg"):
        return None  # an SVG scales; the browser knows its ratio from its viewBox
    with Image.open(source) as image:
        return image.size


def finish_images(text: str, page: Path) -> str:
    """Sizes on every image; ``loading="lazy"`` on all but the first of the article (the header's are in closed menus)."""
    first = [True]
    main_start = text.find("<main")

    def finish(match: re.Match) -> str:
        tag = match.group()
        in_main = body_start + match.start() > main_start >= 0
        is_first = first[0] and in_main
        first[0] = first[0] and not in_main
        if "decoding=" in tag:
            return tag  # finished already
        src = html.unescape(re.search(r'\ssrc="([^"]*)"', tag).group(1))
        extra = "" if is_first or " loading=" in tag else ' loading="lazy"'
        if " width=" not in tag and " height=" not in tag and (size := image_size(src, page)):
            extra += f' width="{size[0]}" height="{size[1]}"'
        return tag[:4] + extra + ' decoding="async"' + tag[4:]

    body_start = text.find("<body")
    if main_start < 0:
        main_start = body_start
    return text[:body_start] + IMG.sub(finish, text[body_start:])


# --- styles and summaries -------------------------------------------------------------------------------------------


def styles_to_head(text: str) -> str:
    body_start = text.find("<body")
    styles: list[str] = []

    def take(match: re.Match) -> str:
        style = match.group().strip()
        if style not in styles:
            styles.append(style)
        return ""

    body = STYLE_ELEMENT.sub(take, text[body_start:])
    if not styles:
        return text
    head = text[:body_start].replace("</head>", "\n".join(styles) + "\n</head>", 1)
    return head + body


def summary_spans(text: str) -> str:
    return SUMMARY_TITLE.sub(r"\1<span \2</span>\3<span \4</span>", text)


# --- what the first paint waits for --------------------------------------------------------------------------------


def defer_scripts(text: str) -> str:
    head_end = text.find("</head>")

    def defer(match: re.Match) -> str:
        if match["src"].split("?")[0].endswith(BEFORE_PAINT):
            return match.group()
        return f"<script defer {match['attrs']}></script>"

    head = PRELOADED_SCRIPT.sub("", text[:head_end])
    return HEAD_SCRIPT.sub(defer, head) + text[head_end:]


def flatten_imports(text: str, page: Path) -> str:
    """Link a stylesheet that only imports another as that other (one request instead of two in a row)."""

    def flatten(match: re.Match) -> str:
        href = match["href"]
        path = urlsplit(href).path
        source = (page.parent / unquote(path)).resolve()
        if urlsplit(href).scheme or not source.is_file():
            return match.group()
        only = ONLY_IMPORT.match(source.read_text(encoding="utf-8"))
        if not only or urlsplit(only["url"]).scheme:
            return match.group()
        imported = (Path(path).parent / only["url"]).as_posix()
        return match.group().replace(f'href="{href}"', f'href="{_normalise(imported)}"')

    head_end = text.find("</head>")
    return STYLESHEET.sub(flatten, text[:head_end]) + text[head_end:]


def _normalise(path: str) -> str:
    """``../_static/styles/../basic.css`` -> ``../_static/basic.css``, keeping leading ``../``."""
    parts: list[str] = []
    for part in path.split("/"):
        if part == ".." and parts and parts[-1] != "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def plain_code_classes(pygments_css: str) -> set[str]:
    """Pygments token classes drawn exactly as the code block around them, in every theme (light, dark)."""
    rules = re.findall(r"([^{}]*?)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", pygments_css, flags=re.S))
    base: dict[str, str] = {}
    tokens: dict[str, dict[str, str]] = {}
    for selector, declarations in rules:
        found = re.fullmatch(r"\s*(?P<scope>.*?)\s*\.highlight(?:\s+\.(?P<token>[\w-]+))?\s*", selector)
        if not found:
            continue
        colour = re.fullmatch(r"\s*color:\s*([^;\s]+)\s*;?\s*", declarations)
        if found["token"] is None:
            base[found["scope"]] = (re.search(r"(?<![-\w])color:\s*([^;\s}]+)", declarations) or [None, None])[1]
        else:
            tokens.setdefault(found["token"], {})[found["scope"]] = colour[1] if colour else None
    return {
        token
        for token, scopes in tokens.items()
        if base and all(scopes.get(scope, colour) == colour and colour for scope, colour in base.items()) and set(scopes) <= set(base)
    }


def plain_code(text: str, plain: set[str]) -> str:
    if not plain:
        return text
    span = re.compile(r'<span class="(?:' + "|".join(map(re.escape, sorted(plain))) + r')">([^<]*)</span>')
    return CODE_BLOCK.sub(lambda block: span.sub(r"\1", block.group()), text)


def finish_page(text: str, page: Path, icons: dict, plain: set[str] = frozenset()) -> str:
    text = ICON_TAG.sub(lambda match: icon_svg(match, icons, page), text)
    text = ICON_SCRIPT.sub("", text)
    text = defer_scripts(text)
    text = flatten_imports(text, page)
    text = plain_code(text, plain)
    text = styles_to_head(text)
    text = summary_spans(text)
    return finish_images(text, page)


def finish_site(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    finish_folder(Path(app.outdir))


def finish_folder(out: Path) -> None:
    """Every page of the site in ``out`` and the stylesheets they link, finished (again: each step is idempotent)."""
    pages = [p for p in out.rglob("*.html") if p.relative_to(out).parts[0] != "_static"]
    icons = theme_icons((out / THEME_ICONS).read_text(encoding="utf-8")) if (out / THEME_ICONS).is_file() else {}
    plain = plain_code_classes((out / PYGMENTS_CSS).read_text(encoding="utf-8")) if (out / PYGMENTS_CSS).is_file() else set()
    texts = {}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        finished = finish_page(text, page, icons, plain)
        if finished != text:
            page.write_text(finished, encoding="utf-8")
        texts[page] = finished
    if (out / THEME_CSS).is_file():
        css = (out / THEME_CSS).read_text(encoding="utf-8")
        subset = subset_icon_fonts(subset_theme_css(css, used_icon_names(list(texts.values()))), out / THEME_CSS)
        if subset != css:
            (out / THEME_CSS).write_text(subset, encoding="utf-8")
    prune_stylesheets(texts, out)


def linked_files(texts: dict[Path, str], pattern: re.Pattern, out: Path) -> set[Path]:
    """The site's own files that some page links with ``pattern`` (its group ``href`` or ``src``)."""
    found = set()
    for page, text in texts.items():
        for match in pattern.finditer(text):
            parts = urlsplit(html.unescape(match.group(1)))
            if not parts.scheme and not parts.netloc and parts.path:
                path = (page.parent / unquote(parts.path)).resolve()
                if path.is_file() and path.is_relative_to(out.resolve()):
                    found.add(path)
    return found


def prune_stylesheets(texts: dict[Path, str], out: Path) -> None:
    """Each stylesheet a page links, without the rules that name a class or ID no page or loaded script has."""
    scripts = linked_files(texts, re.compile(r'<script\b[^>]*\bsrc="([^"]*)"'), out)
    known = set().union(
        *(unused_css.words(text) for text in texts.values()),
        *(unused_css.words(path.read_text(encoding="utf-8", errors="replace")) for path in scripts),
    )
    for path in linked_files(texts, STYLESHEET, out):
        css = path.read_text(encoding="utf-8")
        pruned = unused_css.prune(css, known)
        if pruned != css:
            path.write_text(pruned, encoding="utf-8")


# --- meta description -----------------------------------------------------------------------------------------------


def description(doctree: nodes.document | None) -> str:
    """The page's first paragraph in each language (one paragraph when the page is not bilingual)."""
    if doctree is None:
        return ""
    found: dict[str, str] = {}
    for paragraph in doctree.findall(nodes.paragraph):
        text = " ".join(paragraph.astext().split())
        if len(text) < 20:
            continue
        language = next((a.get("lang") for a in _ancestors(paragraph) if a.get("lang")), "")
        found.setdefault(language, text if len(text) <= DESCRIPTION_LENGTH else text[: DESCRIPTION_LENGTH - 1].rstrip() + "…")
        if "ko" in found and "en" in found or "" in found:
            break
    return " · ".join(found[lang] for lang in ("ko", "en", "") if lang in found)


def _ancestors(node: nodes.Node):
    while node is not None:
        yield node
        node = node.parent


def add_description(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    text = description(doctree) or f"{context.get('title') or ''} · {app.config.project}".strip(" ·")
    context["metatags"] = context.get("metatags", "") + f'\n<meta name="description" content="{html.escape(text, quote=True)}">'


# --- console errors -------------------------------------------------------------------------------------------------


def configure(app: Sphinx, config: Config) -> None:
    """The theme's settings whose absence makes every page log an error."""
    # The theme reads its default mode from html_context; without one its script logs "Got invalid theme mode".
    config.html_context.setdefault("default_mode", "auto")
    if not config.html_favicon:
        config.html_favicon = str(FAVICON)  # else the browser asks for /favicon.ico, a 404


def unique_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Each script once (sphinx-thebe adds its ``const THEBE_JS_URL`` twice, a SyntaxError), none of thebe's unless used."""
    thebe = bool((app.config.html_theme_options.get("launch_buttons") or {}).get("thebe"))
    kept, seen = [], set()
    for script in context.get("script_files", []):
        key = (getattr(script, "filename", script), str(script), tuple(sorted(getattr(script, "attributes", {}).items())))
        if key in seen or (not thebe and ("THEBE_JS_URL" in key[1] or "sphinx-thebe" in str(key[0]))):
            continue
        seen.add(key)
        kept.append(script)
    context["script_files"] = kept
    if not thebe:
        context["css_files"] = [css for css in context.get("css_files", []) if "sphinx-thebe" not in str(getattr(css, "filename", css))]


def setup(app: Sphinx) -> dict:
    app.setup_extension("coursebook.pages.mathml")
    app.connect("config-inited", configure)
    app.connect("html-page-context", unique_scripts)
    app.add_css_file("page-weight.css", priority=850)
    app.connect("html-page-context", add_description)
    app.connect("build-finished", finish_site, priority=900)  # after the other extensions wrote their pages
    return {"parallel_read_safe": True, "parallel_write_safe": True}
