"""A notebook's markdown as the book's prose: images kept as files, scripts neutralised,
paragraphs put into ``ko`` / ``en`` blocks by the script they are written in."""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from coursebook.bilingual.text import HANGUL

from .conventions import Report
from .reading import ImportRefused

HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.+?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(?P<mark>`{3,}|~{3,}|:{3,})")
MD_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<target><[^>]*>|[^)\s]+)(?P<title>\s+\"[^\"]*\")?\)")
HTML_IMAGE = re.compile(r"<img\b(?P<attrs>[^>]*)/?>", re.I | re.S)
ATTRIBUTE = re.compile(r"(?P<name>[\w-]+)\s*=\s*(?P<q>[\"'])(?P<value>.*?)(?P=q)", re.S)
SCRIPT = re.compile(r"<script\b.*?(?:</script\s*>|\Z)", re.I | re.S)
HANDLER = re.compile(r"(<[a-z][^>]*?)\s+on[a-z]+\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+)", re.I | re.S)
JS_URL = re.compile(r"(\b(?:href|src)\s*=\s*[\"']?)\s*javascript:(?:[^\"'>\s()]|\([^)]*\))*", re.I)
JS_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\(\s*javascript:(?:[^()\s]|\([^)]*\))*\)", re.I)
HTML_OPEN = re.compile(r"^\s*<(?P<tag>[a-zA-Z][\w-]*)\b")
VOID = {"img", "br", "hr", "input", "source", "meta", "link", "wbr"}
EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/svg+xml": ".svg", "image/webp": ".webp"}


@dataclass
class Images:
    """The image files a chapter brings: {path under lectures/: bytes}, named under ``folder``."""

    folder: str  # e.g. "images/09_intro"
    notebook_dir: Path
    files: dict[str, bytes] = field(default_factory=dict)

    def add(self, name: str, data: bytes) -> str:
        stem, suffix = Path(name).stem or "image", Path(name).suffix
        name = re.sub(r"[^\w.-]+", "_", stem, flags=re.A).strip("_") or "image"
        path = f"{self.folder}/{name}{suffix}"
        if path in self.files and self.files[path] != data:  # two different images of one name
            path = f"{self.folder}/{name}-{hashlib.sha256(data).hexdigest()[:8]}{suffix}"
        self.files[path] = data
        return path


def sanitise(source: str, cell: int, report: Report) -> str:
    """Scripts, event handlers and javascript: links removed, each reported."""
    source, scripts = SCRIPT.subn("", source)
    handlers = 0
    while True:
        source, count = HANDLER.subn(r"\1", source)
        if not count:
            break
        handlers += count
    source, urls = JS_URL.subn(r"\1#", source)
    source, links = JS_LINK.subn(r"\g<text>", source)
    urls += links
    for count, what in ((scripts, "a <script> element"), (handlers, "an event handler attribute (on...=)"), (urls, "a javascript: link")):
        if count:
            report(cell, f"removed {what}{f' ({count} times)' if count > 1 else ''}: the book's pages run no script from a chapter")
    return source


def images(source: str, cell: int, attachments: dict, images: Images, report: Report) -> str:
    """Every image as a file next to the chapter: cell attachments, data URIs and relative files."""
    counter = iter(range(1, 1000))

    def file_for(target: str) -> str | None:
        target = target.strip("<>")
        if target.startswith("attachment:"):
            name = unquote(target.removeprefix("attachment:"))
            bundle = attachments.get(name)
            if not bundle:
                raise ImportRefused(
                    f"cell {cell}: the image 'attachment:{name}' is not attached to the cell. "
                    "Attach it again in Jupyter, or remove the reference."
                )
            mime, data = next(iter(bundle.items()))
            suffix = Path(name).suffix or EXTENSIONS.get(mime, "")
            return images.add(Path(name).stem + suffix, _decode(data, mime))
        if target.startswith("data:"):
            header, _, payload = target.partition(",")
            mime = header[5:].split(";")[0]
            data = base64.b64decode(payload) if ";base64" in header else unquote(payload).encode()
            return images.add(f"cell{cell}-{next(counter)}{EXTENSIONS.get(mime, mimetypes.guess_extension(mime) or '')}", data)
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//", target, re.I):
            report(cell, f"an image loads from another host ({target[:80]}): download it next to the notebook to serve it from the site")
            return None
        path = (images.notebook_dir / unquote(target)).resolve()
        if not path.is_file():
            raise ImportRefused(
                f"cell {cell}: the image '{target}' is not there (looked for {path}). Put the file there, or remove the reference."
            )
        return images.add(path.name, path.read_bytes())

    def markdown(match: re.Match) -> str:
        new = file_for(match["target"])
        return match[0] if new is None else f"![{match['alt']}]({new}{match['title'] or ''})"

    def html(match: re.Match) -> str:
        """An <img> as a MyST image: Sphinx copies only the images its own markup names."""
        attrs = {m["name"].lower(): m["value"] for m in ATTRIBUTE.finditer(match["attrs"])}
        if "src" not in attrs:
            return match[0]
        new = file_for(attrs["src"])
        if new is None:
            return match[0]
        dropped = sorted(set(attrs) - {"src", "alt"})
        if dropped:
            report(cell, f"an <img>'s attributes {', '.join(dropped)} are not kept (the book sizes images to the page)")
        return f"![{attrs.get('alt', '')}]({new})"

    return HTML_IMAGE.sub(html, MD_IMAGE.sub(markdown, source))


def _decode(data: str | list, mime: str) -> bytes:
    text = "".join(data) if isinstance(data, list) else data
    return text.encode() if mime == "image/svg+xml" and text.lstrip().startswith("<") else base64.b64decode(text)


# --- language blocks ----------------------------------------------------------------------------


def blocks(source: str) -> list[tuple[str, str]]:
    """The markdown as (kind, text) units: "heading", "fence" (a fenced block), or "para"."""
    units: list[tuple[str, str]] = []
    lines = source.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if fence := FENCE.match(line):
            mark = fence["mark"]
            closing = re.compile(rf"^\s*{re.escape(mark[0])}{{{len(mark)},}}\s*$")
            end = next((j for j in range(i + 1, len(lines)) if closing.match(lines[j])), len(lines) - 1)
            units.append(("fence", "\n".join(lines[i : end + 1])))
            i = end + 1
            continue
        if HEADING.match(line):
            units.append(("heading", line))
            i += 1
            continue
        start = i
        while i < len(lines) and lines[i].strip() and not FENCE.match(lines[i]) and not HEADING.match(lines[i]):
            i += 1
        if (tag := HTML_OPEN.match(line)) and tag["tag"].lower() not in VOID:  # <details> ... </details>: one unit
            while i < len(lines) and _unclosed(tag["tag"], "\n".join(lines[start:i])):
                i += 1
        units.append(("para", "\n".join(lines[start:i])))
    return units


def _unclosed(tag: str, text: str) -> bool:
    return len(re.findall(rf"<{tag}\b", text, re.I)) > len(re.findall(rf"</{tag}\s*>", text, re.I))


def language(text: str) -> str | None:
    """ "ko" for Hangul, "en" for other words, None for a unit with no prose (math, code),
    "media" for a video or a picture alone, which belongs to both languages."""
    bare = re.sub(r"```.*?```|~~~.*?~~~|\$\$.*?\$\$|\$[^$\n]+\$|`[^`\n]*`", " ", text, flags=re.S)
    bare = re.sub(r"!\[[^\]]*\]\([^)]*\)|<[^>]+>|\]\([^)]*\)|https?://\S+", " ", bare)
    if text.lstrip().startswith(("```{video}", "```{figure}", ":::{figure}")) or re.fullmatch(r"\s*!\[[^\]]*\]\([^)]*\)\s*", text):
        return "media"
    if HANGUL.search(bare):
        return "ko"
    return "en" if re.search(r"[^\W\d_]{2,}", bare) else None


def in_language_blocks(units: list[tuple[str, str]]) -> str:
    """Headings stay outside; runs of one language become one block; a unit without prose between two
    of the same language joins them (math inside a Korean explanation), elsewhere it stands alone."""
    tagged = [(kind, text, None if kind == "heading" else language(text)) for kind, text in units]
    out: list[str] = []
    run: list[str] = []
    run_language: str | None = None
    pending: list[str] = []  # neutral units after a run, waiting to see whether the run goes on

    def close_run() -> None:
        nonlocal run, run_language
        if run:
            body = "\n\n".join(run)
            inner = max((len(m) for m in re.findall(r"^\s*(:{3,})", body, re.M)), default=0)
            fence = ":" * max(3, inner + 1)
            out.append(f"{fence}{{{run_language}}}\n{body}\n{fence}")
        run, run_language = [], None

    for kind, text, lang in tagged:
        if kind == "heading" or lang == "media" or (lang is None and not run):
            close_run()
            out.extend(pending)
            pending = []
            out.append(text)
        elif lang is None:
            pending.append(text)
        elif lang == run_language:
            run.extend(pending + [text])
            pending = []
        else:
            close_run()
            out.extend(pending)
            pending = []
            run, run_language = [text], lang
    close_run()
    out.extend(pending)
    return "\n\n".join(out)
