"""Each chapter states how long its main story takes to read, computed from its text.

The main story is the chapter without its exercises (the section titled `coursebook: exercises_heading:`, 연습문제 · Exercises here), without
anything collapsed (solutions and "더 알아보기 · Going further" blocks are dropdowns) and without code
cells that start hidden. The Korean estimate counts the Korean text, the English one the English
text; both add the code and figures a reader looks at. Shown under the title as
``읽는 시간 약 N분 · Reading time: about M min``.
"""

from __future__ import annotations

import math
import re

from docutils import nodes
from sphinx.application import Sphinx

from coursebook.bilingual.text import HANGUL_SYLLABLE
from coursebook.config import SETTINGS, of_app

from coursebook.bilingual.directives import lang_block, lang_inline

# Reading speeds for explanatory technical text, slower than for fiction: about 200 English words
# a minute, and 400 Korean syllables (a Korean word is two to three syllables and a particle).
ENGLISH_WORDS_PER_MINUTE = 200
KOREAN_SYLLABLES_PER_MINUTE = 400
SECONDS_PER_CODE_LINE = 5
SECONDS_PER_FIGURE = 10
HIDDEN_CELL_TAGS = {"tag_hide-cell", "tag_hide-input", "tag_remove-cell", "tag_remove-input"}


def reading_minutes(doctree: nodes.Node, exercises: str = SETTINGS["exercises_heading"].default) -> dict[str, int]:
    """{"ko": minutes, "en": minutes} for the main story of a chapter's doctree (``exercises``: that section's title)."""
    korean_syllables = english_words = code_lines = figures = 0
    for node in _main_story(doctree, exercises):
        if isinstance(node, nodes.Text):
            language = _language_of(node)
            text = str(node)
            if _inside(node, (nodes.literal_block, nodes.math, nodes.math_block, nodes.raw)):
                continue  # code is counted in lines, a diagram as a figure; TeX and SVG source are not words
            if language in ("ko", None):
                korean_syllables += len(HANGUL_SYLLABLE.findall(text))
            if language in ("en", None):
                english_words += len(re.findall(r"[A-Za-z]+(?:['’-][A-Za-z]+)*", text))
        elif isinstance(node, nodes.literal_block) and _in_code_cell_input(node):
            code_lines += len(node.astext().splitlines())
        elif isinstance(node, nodes.image) or (isinstance(node, nodes.raw) and "<svg" in node.astext()):
            figures += 1
    shared_seconds = code_lines * SECONDS_PER_CODE_LINE + figures * SECONDS_PER_FIGURE
    return {
        "ko": max(1, math.ceil(korean_syllables / KOREAN_SYLLABLES_PER_MINUTE + shared_seconds / 60)),
        "en": max(1, math.ceil(english_words / ENGLISH_WORDS_PER_MINUTE + shared_seconds / 60)),
    }


def _main_story(doctree: nodes.Node, exercises: str):
    """Every node outside the exercises, the collapsed blocks and the hidden cells."""

    def skipped(node: nodes.Node) -> bool:
        if not isinstance(node, nodes.Element):
            return False
        classes = set(node.get("classes", []))
        if "dropdown" in classes or classes & HIDDEN_CELL_TAGS:
            return True
        return isinstance(node, nodes.section) and node.next_node(nodes.title).astext().startswith(exercises)

    def walk(node: nodes.Node):
        if skipped(node):
            return
        yield node
        for child in node.children:
            yield from walk(child)

    yield from walk(doctree)


def _language_of(node: nodes.Node) -> str | None:
    """The language a text is written in, from the nearest block or phrase marked with one."""
    while node is not None:
        if isinstance(node, (lang_block, lang_inline)):
            return node["lang"]
        node = node.parent
    return None


def _inside(node: nodes.Node, kind: type | tuple[type, ...]) -> bool:
    while node is not None:
        if isinstance(node, kind):
            return True
        node = node.parent
    return False


def _in_code_cell_input(node: nodes.Node) -> bool:
    parent = node.parent
    return parent is not None and "cell_input" in parent.get("classes", [])


def add_reading_time(app: Sphinx, doctree: nodes.document) -> None:
    settings = of_app(app)
    if not app.env.docname.startswith(settings["chapters"].rstrip("/") + "/"):
        return
    title = doctree.next_node(nodes.title)
    if title is None:
        return
    minutes = reading_minutes(doctree, settings["exercises_heading"])
    line = nodes.paragraph(classes=["coursebook-reading-time"])
    line += lang_inline("", f"읽는 시간 약 {minutes['ko']}분", classes=["lang-inline", "lang-ko"], lang="ko")
    line += nodes.inline("", " · ", classes=["lang-sep"])
    line += lang_inline("", f"Reading time: about {minutes['en']} min", classes=["lang-inline", "lang-en"], lang="en")
    title.parent.insert(title.parent.index(title) + 1, line)


def setup(app: Sphinx) -> dict:
    app.setup_extension("coursebook.bilingual.directives")
    app.connect("doctree-read", add_reading_time, priority=900)  # after the search index has read the page
    return {"parallel_read_safe": True, "parallel_write_safe": True}
