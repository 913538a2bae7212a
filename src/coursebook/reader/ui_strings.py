"""The theme's own words in both languages, so the language switch covers them too.

Sphinx, pydata-sphinx-theme, sphinx-book-theme, myst-nb and their helpers print
their interface in one language: ``language: ko`` gives 검색, 이전, 다음 where a
Korean catalogue exists and English (Skip to main content, Color mode) where
none does. Every page is rendered through :class:`BilingualTemplates` (Sphinx's
public ``template_bridge`` setting), which reads the finished HTML with the standard
library's ``html.parser`` and rewrites:

- a text node that is one of the :data:`STRINGS` (in English, in this table's
  Korean, or in the Korean of the theme's own catalogue) becomes the two
  ``lang`` spans of ``bilingual.pair_html``, which coursebook-reader.css shows or
  hides; so does any text that reads ``한국어 · English`` (the book's title in
  the navigation bar, for instance);
- an attribute a reader meets (title, aria-label, placeholder, ...) that is one
  of the :data:`STRINGS` becomes ``한국어 · English``; coursebook-reader.js keeps the
  half of the chosen language (attributes cannot hold markup).

Code, math, SVG, scripts and anything already marked with ``lang`` are left
alone. Strings that scripts write after the page has loaded (the copy button's
tooltip) are handed to coursebook-reader.js as a small table.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.jinja2glue import BuiltinTemplateLoader
from sphinx.locale import get_translation

from coursebook.bilingual.directives import pair_html
from coursebook.bilingual.text import SEPARATOR, split_pair


@dataclass(frozen=True)
class UiString:
    en: str  # as the theme writes it in English (its message id); "{}" stands for a value such as a number
    ko: str  # what a Korean reader sees
    by_script: bool = False  # written by a script after load: coursebook-reader.js translates it


STRINGS = [
    # pydata-sphinx-theme (no Korean catalogue) and sphinx-book-theme
    UiString("Skip to main content", "본문으로 건너뛰기"),
    UiString("Back to top", "맨 위로"),
    UiString("Search", "검색"),
    UiString("Search this book...", "이 책에서 검색..."),
    UiString("Version warning", "버전 경고"),
    UiString("Site navigation", "사이트 탐색"),
    UiString("Main", "주 탐색"),
    UiString("Toggle primary sidebar", "왼쪽 사이드바 열고 닫기"),
    UiString("Toggle secondary sidebar", "오른쪽 사이드바 열고 닫기"),
    UiString("On this page", "이 페이지에서"),
    UiString("Page", "페이지"),
    UiString("Contents", "목차"),
    UiString("Color mode", "색상 모드"),
    UiString("Light", "밝게"),
    UiString("Dark", "어둡게"),
    UiString("System Settings", "시스템 설정"),
    UiString("previous", "이전"),
    UiString("next", "다음"),
    UiString("previous page", "이전 페이지"),
    UiString("next page", "다음 페이지"),
    UiString("Source repository", "소스 저장소"),
    UiString("Download this page", "이 페이지 내려받기"),
    UiString("Download source file", "원본 파일 내려받기"),
    UiString("Download notebook file", "노트북 파일 내려받기"),
    UiString("Print to PDF", "PDF로 인쇄"),
    UiString("Fullscreen mode", "전체 화면"),
    UiString("Colab logo", "Colab 로고"),
    UiString("By {}", "지은이: {}"),
    # Sphinx: permalinks and figure numbers
    UiString("Link to this heading", "이 제목의 링크"),
    UiString("Link to this term", "이 용어의 링크"),
    UiString("Link to this image", "이 그림의 링크"),
    UiString("Link to this table", "이 표의 링크"),
    UiString("Link to this code", "이 코드의 링크"),
    UiString("Link to this equation", "이 수식의 링크"),
    UiString("Link to this definition", "이 정의의 링크"),
    UiString("Fig. {}", "그림 {}"),
    UiString("Table {}", "표 {}"),
    # myst-nb: collapsed code cells
    UiString("Show code cell content", "코드 셀 보기"),
    UiString("Hide code cell content", "코드 셀 숨기기"),
    UiString("Show code cell source", "코드 보기"),
    UiString("Hide code cell source", "코드 숨기기"),
    UiString("Show code cell outputs", "출력 보기"),
    UiString("Hide code cell outputs", "출력 숨기기"),
    # sphinx-togglebutton and sphinx-copybutton write these from their scripts
    UiString("Toggle hidden content", "숨긴 내용 열고 닫기", by_script=True),
    UiString("Click to show", "눌러서 보기", by_script=True),
    UiString("Click to hide", "눌러서 숨기기", by_script=True),
    UiString("Copy", "복사", by_script=True),
    UiString("Copy to clipboard", "클립보드에 복사", by_script=True),
    UiString("Copied!", "복사했습니다", by_script=True),
    UiString("Failed to copy", "복사하지 못했습니다", by_script=True),
]

# Catalogues whose Korean may be on the page instead of the English: Sphinx's own (which
# pydata-sphinx-theme also uses), sphinx-book-theme's and sphinx-togglebutton's.
CATALOGUES = ("sphinx", "booktheme", "togglebutton")
# Attributes a reader sees or hears. Not alt text of figures: that is the chapter's own words.
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-bs-title", "data-tooltip", "data-toggle-hint")
SKIPPED_ELEMENTS = {"pre", "code", "kbd", "samp", "svg", "math", "mjx-container", "noscript", "select"}
RAW_TEXT_ELEMENTS = {"script", "style", "textarea", "title"}  # their content is not markup: left alone
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIPPED_CLASSES = {"cell_output", "highlight", "math"}  # a cell's output is the chapter's, not the theme's

SPACE = re.compile(r"\s+")


class Vocabulary:
    """Looks a string up in :data:`STRINGS`: in English, this table's Korean, or a catalogue's Korean."""

    def __init__(self, strings: list[UiString], translations: list) -> None:
        self.exact: dict[str, UiString] = {}
        self.patterns: list[tuple[re.Pattern, UiString]] = []
        for entry in strings:
            forms = {entry.en, entry.ko} | {self._catalogue_form(entry, translate) for translate in translations}
            if "{}" in entry.en:
                for form in forms:
                    self.patterns.append((re.compile(re.escape(form).replace(r"\{\}", "(.+?)") + r"\Z"), entry))
            else:
                self.exact.update(dict.fromkeys(forms, entry))

    @staticmethod
    def _catalogue_form(entry: UiString, translate) -> str:
        if "{}" not in entry.en:
            return str(translate(entry.en))
        translated = str(translate(entry.en.replace("{}", "%s"))).replace("%s", "{}")  # Sphinx: _("Fig. %s")
        if translated == entry.en and entry.en.endswith(" {}"):
            return str(translate(entry.en[:-3])) + " {}"  # the book theme: {{ translate("By") }} {{ author }}
        return translated

    def pair(self, text: str) -> tuple[str, str] | None:
        """(Korean, English) for a string of the table (or a ``한국어 · English`` string); None otherwise."""
        text = SPACE.sub(" ", text).strip()
        if not text:
            return None
        if text in self.exact:
            entry = self.exact[text]
            return entry.ko, entry.en
        for pattern, entry in self.patterns:
            if match := pattern.match(text):
                value = match[1]
                ko, en = split_pair(value) or (value, value)  # "지은이: 저자들 · By the authors"
                return entry.ko.format(ko), entry.en.format(en)
        return split_pair(text)

    def script_table(self) -> dict[str, list[str]]:
        """For coursebook-reader.js: every form of a string that a script writes -> [Korean, English]."""
        return {form: [entry.ko, entry.en] for form, entry in self.exact.items() if entry.by_script}


def bilingual_page(page: str, vocabulary: Vocabulary) -> str:
    """The page with the theme's strings in both languages (see the module's docstring)."""
    rewriter = _PageRewriter(page, vocabulary)
    rewriter.feed(page)
    rewriter.close()
    return "".join(rewriter.out)


class _PageRewriter(HTMLParser):
    """Reads the page with the standard library's HTML parser and copies it piece by piece: each
    piece is the page's own text from where the parser met it to where it met the next one, so
    whatever is not rewritten comes out exactly as it went in."""

    def __init__(self, page: str, vocabulary: Vocabulary) -> None:
        super().__init__(convert_charrefs=True)
        self.page, self.vocabulary = page, vocabulary
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", page)]
        self.out: list[str] = []
        self.pending: tuple[int, Callable[[str], str]] | None = None  # where the last piece began, how to copy it
        self.skipping: tuple[str, int] | None = None  # the outermost element whose text is left alone, and its depth

    def _piece(self, copy: Callable[[str], str] = str) -> None:
        """The piece that begins here; the one before it ends here and is copied."""
        line, column = self.getpos()
        here = self.line_starts[line - 1] + column
        self._flush(here)
        self.pending = (here, copy)

    def _flush(self, end: int) -> None:
        if self.pending is not None:
            begin, copy = self.pending
            self.out.append(copy(self.page[begin:end]))
            self.pending = None

    def close(self) -> None:
        super().close()
        self._flush(len(self.page))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, void=tag in VOID_ELEMENTS)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, void=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], void: bool) -> None:
        self._piece(lambda raw: _bilingual_attributes(raw, tag, attrs, self.vocabulary))
        if void:
            return
        if self.skipping:
            if tag == self.skipping[0]:
                self.skipping = (tag, self.skipping[1] + 1)
        elif tag in SKIPPED_ELEMENTS or tag in RAW_TEXT_ELEMENTS or (tag != "html" and _is_skipped(dict(attrs))):  # <html lang>: the page's
            self.skipping = (tag, 1)

    def handle_endtag(self, tag: str) -> None:
        self._piece()
        if self.skipping and tag == self.skipping[0]:
            self.skipping = (tag, self.skipping[1] - 1) if self.skipping[1] > 1 else None

    def handle_data(self, data: str) -> None:
        self._piece(str if self.skipping else lambda raw: _bilingual_text(raw, self.vocabulary))

    def handle_comment(self, data: str) -> None:
        self._piece()

    def handle_decl(self, decl: str) -> None:
        self._piece()

    def handle_pi(self, data: str) -> None:
        self._piece()

    def unknown_decl(self, data: str) -> None:
        self._piece()


def _is_skipped(attributes: dict[str, str | None]) -> bool:
    return "lang" in attributes or bool(SKIPPED_CLASSES & set((attributes.get("class") or "").split()))


def _bilingual_text(text: str, vocabulary: Vocabulary) -> str:
    pair = vocabulary.pair(html.unescape(text))
    if pair is None:
        return text
    before, after = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return before + pair_html(*pair) + after


def _bilingual_attributes(raw: str, tag: str, attrs: list[tuple[str, str | None]], vocabulary: Vocabulary) -> str:
    """The start tag as written, or, when an attribute a reader meets is one of the strings, the tag
    written again with that attribute as ``한국어 · English``."""
    pairs = {name: vocabulary.pair(value) for name, value in attrs if name in ATTRIBUTES and value}
    if not any(pairs.values()):
        return raw
    written = []
    for name, value in attrs:
        if pairs.get(name):
            value = SEPARATOR.join(pairs[name])
        written.append(name if value is None else f'{name}="{html.escape(value)}"')
    return f"<{tag} {' '.join(written)}{'/' if raw.endswith('/>') else ''}>"


class BilingualTemplates(BuiltinTemplateLoader):
    """Sphinx's own template loader, whose pages come out with the theme's strings in both languages."""

    def init(self, builder, theme=None, dirs=None) -> None:
        super().init(builder, theme, dirs)
        self.vocabulary = vocabulary()

    def render(self, template: str, context: dict) -> str:
        return bilingual_page(super().render(template, context), self.vocabulary)


def vocabulary() -> Vocabulary:
    return Vocabulary(STRINGS, [get_translation(catalogue) for catalogue in CATALOGUES])


def configure(app: Sphinx, config: Config) -> None:
    if config.template_bridge and config.template_bridge != f"{__name__}.BilingualTemplates":
        raise ValueError(f"template_bridge is already {config.template_bridge!r}; coursebook.reader.ui_strings needs its own")
    config.template_bridge = f"{__name__}.BilingualTemplates"


def add_script_table(app: Sphinx, config: Config) -> None:
    table = json.dumps(vocabulary().script_table(), ensure_ascii=False, sort_keys=True)
    app.add_js_file(None, body=f"window.coursebookUiStrings = {table};", priority=190)  # before coursebook-reader.js


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", configure)
    app.connect("config-inited", add_script_table)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
