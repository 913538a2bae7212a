"""The whole book as PDF, offered in every page's header when the build prints it (`make pdf`).

`python -m coursebook build --pdf` sets ``coursebook_pdfs`` (language -> file name) and puts those
files, printed by ``coursebook.pdf.printer``, into the site's root. A plain `make book` leaves it
empty: then the site has neither the files nor the links.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

LABELS = {"ko": "한국어 PDF", "en": "English PDF"}


def add_pdf_buttons(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    pdfs = app.config.coursebook_pdfs
    if not pdfs or "header_buttons" not in context:
        return
    buttons = [
        {
            "type": "link",
            "text": LABELS.get(lang, name),
            "tooltip": LABELS.get(lang, name),
            "icon": "fas fa-file-pdf",
            "url": context["pathto"](name, 1),
            "label": f"pdf-{lang}-button",
        }
        for lang, name in pdfs.items()
    ]
    context["header_buttons"].append(
        {
            "type": "group",
            "tooltip": "책 전체 PDF · The whole book as PDF",
            "icon": "fas fa-file-pdf",
            "buttons": buttons,
            "label": "book-pdf-buttons",
        }
    )


def connect_buttons(app: Sphinx) -> None:
    # After the theme's own handlers, as in notebooks.py: the header's list of buttons exists then.
    app.connect("html-page-context", add_pdf_buttons)


def setup(app: Sphinx) -> dict:
    app.add_config_value("coursebook_pdfs", {}, "html", types=[dict])
    app.connect("builder-inited", connect_buttons)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
