"""The reader's side of the site: the language switch, bilingual headings, phone and dark-mode styles.

- ``static/coursebook-reader.js`` (loaded in <head>, before the page paints) sets
  ``<html data-coursebook-lang="ko|en|both">`` and ``<html lang>`` from the reader's
  choice, which it keeps in localStorage; on a first visit it follows the
  browser's languages. ``static/coursebook-reader.css`` hides the other
  language only under that attribute, so without JavaScript both languages show.
- ``templates/lang-switch.html`` is the control, placed first among the
  theme's article-header buttons.
- Headings are written ``한국어 · English``; :class:`SplitBilingualTitles` wraps the
  two halves in the ``lang_inline`` nodes of ``bilingual/directives.py``, so the switch
  shows one of them. The text itself does not change: page titles, the search
  index and anchors read exactly as before. The same goes for admonition titles,
  rubrics and a paragraph that is one bold line (a run-in heading).
- A glossary entry named in both languages (``잡음`` / ``noise``) shows the name
  of the chosen language; a name shared by both (``ReLU``) always shows.
- The theme's own words (``ui_strings.py``) are set up from here.
"""

from __future__ import annotations

import html
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms import SphinxTransform

from coursebook.bilingual.directives import lang_inline
from coursebook.bilingual.text import HANGUL, SEPARATOR, is_pair

HERE = Path(__file__).resolve().parent


class SplitBilingualTitles(SphinxTransform):
    """``모형 · The model`` -> <span lang=ko>모형</span><span class=lang-sep> · </span><span lang=en>The model</span>."""

    default_priority = 500  # while reading: before the title and toc collectors copy the titles

    def apply(self, **kwargs) -> None:
        for title in self.document.findall(nodes.title):
            if isinstance(title.parent, (nodes.section, nodes.document, nodes.Admonition)):
                split_title(title)
        for rubric in self.document.findall(nodes.rubric):
            split_title(rubric)
        for paragraph in self.document.findall(nodes.paragraph):
            if len(paragraph.children) == 1 and isinstance(paragraph[0], nodes.strong):
                split_title(paragraph[0])  # **1. 강의의 자료로 · On the lecture's data**
        for glossary in self.document.findall(addnodes.glossary):
            mark_glossary_terms(glossary)


def mark_glossary_terms(glossary: addnodes.glossary) -> None:
    """Each entry's Korean names become lang=ko and its other names lang=en, when it has both."""
    for item in glossary.findall(nodes.definition_list_item):
        terms = [child for child in item.children if isinstance(child, nodes.term)]
        korean = [bool(HANGUL.search(term.astext())) for term in terms]
        if any(korean) and not all(korean):
            for term, is_korean in zip(terms, korean):
                language = "ko" if is_korean else "en"
                term["classes"] += [f"lang-{language}", f"language-{language}"]  # language-xx: the writer's lang=


def split_title(title: nodes.TextElement) -> bool:
    """Split in place when the title reads ``Korean · English``; False when it does not."""
    if title.astext().count(SEPARATOR) != 1 or next(title.findall(lang_inline), None) is not None:
        return False
    index = next((i for i, child in enumerate(title.children) if isinstance(child, nodes.Text) and SEPARATOR in child), None)
    if index is None:  # the separator sits inside markup, such as code
        return False
    korean_text, english_text = str(title[index]).split(SEPARATOR)
    korean = [*title.children[:index], nodes.Text(korean_text)]
    english = [nodes.Text(english_text), *title.children[index + 1 :]]
    korean_words, english_words = ("".join(n.astext() for n in part) for part in (korean, english))
    if not is_pair(korean_words, english_words):
        return False
    title.children = []
    title += [
        lang_inline("", "", *korean, classes=["lang-inline", "lang-ko"], lang="ko"),
        nodes.inline("", SEPARATOR, classes=["lang-sep"]),
        lang_inline("", "", *english, classes=["lang-inline", "lang-en"], lang="en"),
    ]
    return True


def configure(app: Sphinx, config: Config) -> None:
    config.html_static_path.append(str(HERE / "static"))
    config.templates_path.append(str(HERE / "templates"))
    options = config.html_theme_options
    end = options.get("article_header_end", ["article-header-buttons.html"])
    end = [end] if isinstance(end, str) else list(end)
    if "lang-switch.html" not in end:
        options["article_header_end"] = ["lang-switch.html", *end]


REDIRECT = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="0; url={url}">
<link rel="canonical" href="{url}">
<title>{title}</title>
</head>
<body>
<p><a href="{url}">{title}</a></p>
</body>
</html>
"""


def write_root_redirect(app: Sphinx, exception: Exception | None) -> None:
    """The site's front door, index.html, when the book's root page is elsewhere.

    sphinx-external-toc writes a bare <meta> redirect there, with no language or
    title (an accessibility failure on the first page every reader opens); this
    runs first and writes a complete page, so that one is not written.
    """
    if exception is not None or app.builder.name != "html" or app.config.root_doc == "index":
        return
    url = html.escape(app.builder.get_target_uri(app.config.root_doc), quote=True)
    title = html.escape(app.config.html_title or app.config.project)
    Path(app.outdir, "index.html").write_text(
        REDIRECT.format(lang=html.escape(app.config.language or "en"), url=url, title=title), encoding="utf-8"
    )


def setup(app: Sphinx) -> dict:
    app.setup_extension("coursebook.bilingual.directives")
    app.setup_extension("coursebook.reader.ui_strings")  # the theme's own words in both languages
    app.connect("config-inited", configure)
    app.add_transform(SplitBilingualTitles)
    app.connect("build-finished", write_root_redirect, priority=400)  # before sphinx-external-toc's
    app.add_js_file("coursebook-reader.js", priority=200)  # in <head>, not deferred: no flash of the other language
    app.add_css_file("coursebook-reader.css", priority=900)  # after the theme's styles
    return {"parallel_read_safe": True, "parallel_write_safe": True}
