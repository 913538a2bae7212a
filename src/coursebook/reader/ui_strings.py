"""The theme's own words in both languages, so the language switch covers them too.

Sphinx, pydata-sphinx-theme, sphinx-book-theme, myst-nb and their helpers print
their interface in one language: ``language: ko`` gives 검색, 이전, 다음 where a
Korean catalogue exists and English (Skip to main content, Color mode) where
none does. Every page is rendered through :class:`BilingualTemplates` (Sphinx's
public ``template_bridge`` setting), which rewrites the finished HTML:

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
from dataclasses import dataclass

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
RAW_TEXT_ELEMENTS = {"script", "style", "textarea", "title"}  # their content is not markup
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIPPED_CLASSES = {"cell_output", "highlight", "math"}  # a cell's output is the chapter's, not the theme's

TOKEN = re.compile(
    r"""(?P<comment><!--.*?-->)
      | (?P<declaration><![^>]*>)
      | (?P<end></(?P<end_name>[A-Za-z][\w:.-]*)\s*>)
      | (?P<start><(?P<name>[A-Za-z][\w:.-]*)(?P<attributes>(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*/?>)""",
    re.S | re.X,
)
ATTRIBUTE = re.compile(r"""(?P<name>[^\s"'>/=]+)(?:(?P<eq>\s*=\s*)(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+)))?""")
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
    out: list[str] = []
    skipping: tuple[str, int] | None = None  # the outermost element whose text is left alone, and its depth
    position = 0
    while position < len(page):
        match = TOKEN.search(page, position)
        end = match.start() if match else len(page)
        if end > position:
            text = page[position:end]
            out.append(text if skipping else _bilingual_text(text, vocabulary))
        if not match:
            break
        position = match.end()
        if match["start"]:
            name = match["name"].lower()
            out.append(_bilingual_attributes(match["start"], match["attributes"], vocabulary))
            if name in RAW_TEXT_ELEMENTS:  # copy up to its end tag as it is
                close = re.compile(rf"</{name}\s*>", re.I).search(page, position)
                stop = close.start() if close else len(page)
                out.append(page[position:stop])
                position = stop
            elif name in VOID_ELEMENTS or match["start"].endswith("/>"):
                pass
            elif skipping:
                if name == skipping[0]:
                    skipping = (name, skipping[1] + 1)
            elif name in SKIPPED_ELEMENTS or (name != "html" and _is_skipped(match["attributes"])):  # <html lang>: the page's
                skipping = (name, 1)
        else:
            out.append(match.group())
            if match["end"] and skipping and match["end_name"].lower() == skipping[0]:
                skipping = (skipping[0], skipping[1] - 1) if skipping[1] > 1 else None
    return "".join(out)


def _attributes(text: str) -> dict[str, str]:
    return {
        m["name"].lower(): html.unescape(m["dq"] if m["dq"] is not None else m["sq"] if m["sq"] is not None else m["bare"] or "")
        for m in ATTRIBUTE.finditer(text)
    }


def _is_skipped(attributes: str) -> bool:
    values = _attributes(attributes)
    return "lang" in values or bool(SKIPPED_CLASSES & set(values.get("class", "").split()))


def _bilingual_text(text: str, vocabulary: Vocabulary) -> str:
    pair = vocabulary.pair(html.unescape(text))
    if pair is None:
        return text
    before, after = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return before + pair_html(*pair) + after


def _bilingual_attributes(tag: str, attributes: str, vocabulary: Vocabulary) -> str:
    if not any(f"{name}=" in attributes for name in ATTRIBUTES):
        return tag

    def rewrite(m: re.Match) -> str:
        value = m["dq"] if m["dq"] is not None else m["sq"]
        if m["name"].lower() not in ATTRIBUTES or value is None:
            return m.group()
        pair = vocabulary.pair(html.unescape(value))
        if pair is None:
            return m.group()
        return f'{m["name"]}{m["eq"]}"{html.escape(SEPARATOR.join(pair))}"'

    return tag.replace(attributes, ATTRIBUTE.sub(rewrite, attributes), 1)


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
