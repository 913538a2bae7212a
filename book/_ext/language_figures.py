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

from bilingual import LANGUAGES, lang_block, split_pair

MIME = "application/vnd.coursebook.figures+json"  # also in the chapters' runtime glue (Figures)


class LanguageFigures:
    """myst-nb MIME renderer plugin for :data:`MIME`."""

    mime_priority_overrides = [("*", MIME, 1)]  # before every other type of the same output

    @staticmethod
    def handle_mime(renderer: NbElementRenderer, data: MimeData, inline: bool) -> list[nodes.Element] | None:
        if data.mime_type != MIME:
            return None
        images = data.content  # its keys come back sorted from the notebook's JSON: shown in the book's order
        unknown = sorted(set(images) - set(LANGUAGES))
        if unknown or inline:
            renderer.logger.warning(
                f"a figure in {unknown or 'several languages'} cannot be shown {'inline' if inline else 'here'}: "
                f"glue one image per language of {', '.join(LANGUAGES)} and show it with {{glue:figure}}",
                subtype="figure_languages", line=data.line,
            )
            return []
        shown = []
        for language in (language for language in LANGUAGES if language in images):
            (image,) = renderer.render_image(
                MimeData("image/png", images[language], cell_metadata=data.cell_metadata, output_metadata={}, line=data.line)
            )
            shown.append((language, image))
        alts = split_pair(shown[0][1].get("alt", ""))
        if len(shown) > 1 and alts is None:
            renderer.logger.warning(
                "a figure drawn in both languages needs its description in both: "
                "write its :alt: as '한국어 설명 · English description'",
                subtype="figure_languages", line=data.line,
            )
            return []
        blocks = []
        for language, image in shown:
            if alts is not None:
                image["alt"] = alts[LANGUAGES.index(language)]
            image["loading"] = "lazy"  # the hidden language's image is then never fetched
            block = lang_block("", image, classes=["lang-figure", f"lang-{language}"])  # not commentary: no lang-block
            block["lang"] = language
            blocks.append(block)
        return blocks
