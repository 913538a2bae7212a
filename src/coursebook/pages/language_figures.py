"""A figure in both languages: one ``{glue:figure}``, one ``<img>`` per language.

A chapter glues a figure drawn once per language as one output of the mime type
:data:`MIME`, ``{"ko": <base64 PNG>, "en": <base64 PNG>}``. This module is a myst-nb MIME
renderer plugin (myst-nb's documented entry point group ``myst_nb.mime_renderers``, declared in
pyproject.toml) that renders that output as one image per language, each a normal image file,
wrapped in a ``lang`` block of ``bilingual.py`` (class ``lang-figure``), so the language switch shows one of them and
``{glue:figure}`` keeps its caption, name and number. The figure's ``:alt:`` is written
``한국어 설명 · English description`` and each image gets its own half.

With the switch on one language, the other image is ``display: none``; with ``loading="lazy"``
a browser does not fetch it.
"""

from __future__ import annotations

from docutils import nodes
from myst_nb.core.render import MimeData, NbElementRenderer

from coursebook.bilingual.directives import LANGUAGES, lang_block
from coursebook.bilingual.text import split_pair

MIME = "application/vnd.coursebook.figures+json"  # also in the chapters' runtime glue (Figures)


class LanguageFigures:
    """myst-nb MIME renderer plugin for :data:`MIME`."""

    mime_priority_overrides = [("*", MIME, 1)]  # before every other type of the same output

    @staticmethod
    def handle_mime(renderer: NbElementRenderer, data: MimeData, inline: bool) -> list[nodes.Element] | None:
        if data.mime_type != MIME:
            return None
        images = data.content  # its keys come back sorted from the notebook's JSON: shown in the book's order
        languages = [language for language in LANGUAGES if language in images]
        if inline:
            return _refused(renderer, data, "is shown with {glue:figure}, not inline")
        if not languages or len(languages) < len(images):
            return _refused(renderer, data, f"has images in {sorted(images)}: glue one for each of {', '.join(LANGUAGES)}")
        shown = [(language, _image(renderer, data, images[language])) for language in languages]
        alts = split_pair(shown[0][1].get("alt", ""))
        if len(shown) > 1 and alts is None:
            return _refused(
                renderer,
                data,
                "drawn in each language needs its description in each: write its :alt: as '한국어 설명 · English description'",
            )
        blocks = []
        for language, image in shown:
            if alts is not None:
                image["alt"] = alts[LANGUAGES.index(language)]
            image["loading"] = "lazy"  # the hidden language's image is then never fetched
            block = lang_block("", image, classes=["lang-figure", f"lang-{language}"])  # not commentary: no lang-block
            block["lang"] = language
            blocks.append(block)
        return blocks


def _refused(renderer: NbElementRenderer, data: MimeData, problem: str) -> list:
    """A warning (an error in the book's build) at the figure's line, and nothing shown."""
    renderer.logger.warning(f"a figure {problem}", subtype="figure_languages", line=data.line)
    return []


def _image(renderer: NbElementRenderer, data: MimeData, encoded: str) -> nodes.image:
    """One PNG as myst-nb renders any image output: a file of its own, with the figure's options."""
    (image,) = renderer.render_image(MimeData("image/png", encoded, cell_metadata=data.cell_metadata, output_metadata={}, line=data.line))
    return image
