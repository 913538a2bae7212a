"""Sphinx directives ``ko`` and ``en``: one commentary block in one language.

    :::{ko}
    한국어 설명
    :::

renders as ``<div class="lang-block" lang="ko">``, so the page can show one
language or both, and screen readers pronounce each block correctly. The roles
of the same names mark a phrase inside a paragraph, such as a figure caption:
``{ko}`점은 관측값` {en}`Dots are observations` `` gives ``<span lang="ko">``.
"""

from __future__ import annotations

import html

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

LANGUAGES = ("ko", "en")


def pair_html(korean: str, english: str) -> str:
    """Both halves as the spans the language switch shows or hides (plain text in, escaped HTML out).

    The separator's spaces are non-breaking: where the theme lays words out as flex items (its
    search button), ordinary spaces at an item's edge would vanish.
    """
    return (
        f'<span class="lang-inline lang-ko" lang="ko">{html.escape(korean)}</span>'
        '<span class="lang-sep">\u00a0·\u00a0</span>'
        f'<span class="lang-inline lang-en" lang="en">{html.escape(english)}</span>'
    )


class lang_block(nodes.container):
    """A container whose content is written in one language."""


class lang_inline(nodes.inline):
    """A phrase written in one language."""


class LanguageDirective(SphinxDirective):
    has_content = True
    language = ""

    def run(self) -> list[nodes.Node]:
        if not self.content:
            raise self.error(f"The {{{self.language}}} block is empty: write its text or remove it.")
        node = lang_block(classes=["lang-block", f"lang-{self.language}"])
        node["lang"] = self.language
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def language_role(language: str):
    def role(name, rawtext, text, lineno, inliner, options=None, content=None):
        node = lang_inline(classes=["lang-inline", f"lang-{language}"])
        node["lang"] = language
        children, messages = inliner.parse(text, lineno, inliner, node)  # keeps math and glue working
        node.extend(children)
        return [node], messages

    return role


def visit_lang_html(translator, node: nodes.Element) -> None:
    inline = isinstance(node, lang_inline)
    # No newline after an opening <span>: it would put a space inside the phrase ("풀이 · \nSolution").
    translator.body.append(translator.starttag(node, "span" if inline else "div", suffix="" if inline else "\n", lang=node["lang"]))


def depart_lang_html(translator, node: nodes.Element) -> None:
    translator.body.append("</span>" if isinstance(node, lang_inline) else "</div>\n")


UNTRANSLATED = {  # the note a reader of the missing language sees above the block shown instead
    "ko": ("en", "Not yet translated into English: the Korean text follows."),
    "en": ("ko", "아직 한국어로 번역되지 않았습니다. 영어 원문을 보여 드립니다."),
}


def show_untranslated(app: Sphinx, doctree: nodes.document) -> None:
    """A block without its partner shows in both languages, under a note saying so (a draft, not a gap);
    with ``bilingual_missing_partner: error`` in _config.yml it fails the build instead."""
    for block in list(doctree.findall(lang_block)):
        siblings = block.parent.children if block.parent is not None else []
        index = siblings.index(block)
        at = index + 1 if block["lang"] == "ko" else index - 1
        partner = siblings[at] if 0 <= at < len(siblings) else None
        if isinstance(partner, lang_block) and partner["lang"] != block["lang"]:
            continue
        other, note = UNTRANSLATED[block["lang"]]
        if app.config.bilingual_missing_partner == "error":
            logger.warning("a %s block without its %s partner (bilingual_missing_partner: error)", block["lang"], other, location=block)
            continue
        block["classes"] = ["lang-block", "lang-untranslated"]  # not lang-ko/lang-en: no language hides it
        paragraph = nodes.paragraph("", "", nodes.emphasis("", note), classes=["untranslated-note", f"lang-{other}"])
        paragraph["lang"] = other
        block.insert(0, paragraph)


def setup(app: Sphinx) -> dict:
    # "draft": a block without its partner is built and marked "not yet translated"; "error": it fails the build.
    app.add_config_value("bilingual_missing_partner", "draft", "env", [str])
    app.connect("doctree-read", show_untranslated)
    app.add_node(lang_block, html=(visit_lang_html, depart_lang_html))
    app.add_node(lang_inline, html=(visit_lang_html, depart_lang_html))
    for language in LANGUAGES:
        app.add_directive(language, type(f"{language}_directive", (LanguageDirective,), {"language": language}))
        app.add_role(language, language_role(language))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
