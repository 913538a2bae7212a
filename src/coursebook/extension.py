"""The one Sphinx extension a course lists: it sets up every feature's Sphinx side."""

from __future__ import annotations

from sphinx.application import Sphinx

FEATURES = (
    "coursebook.bilingual.directives",  # {lang} blocks and "한국어 · English" pairs
    "coursebook.execution.record",  # where each chapter ran; the execution status table
    "coursebook.search.korean_search",  # search that finds Korean words with particles (search.html)
    "coursebook.reader.language_switch",  # language switch, bilingual headings, phone and dark-mode styles
    "coursebook.notebooks.export",  # .ipynb download and "Open in Colab" for every chapter
    "coursebook.pdf.links",  # the whole book as PDF in the header, when `make pdf` prints it
    "coursebook.pages.reading_time",  # "reading time of the main story" under each chapter's title
    "coursebook.bilingual.korean_particles",  # {josa}`으로/로`: the particle that fits the glued value before it
    "coursebook.execution.intended_errors",  # a cell tagged raises-exception shows a short "intended error" box
    "coursebook.pages.video",
    "coursebook.pages.page_weight",  # math as MathML, icons inline, sized lazy images: a light page on a phone  # {video} URL: loads nothing from the host until the reader clicks
)


def setup(app: Sphinx) -> dict:
    for feature in FEATURES:
        app.setup_extension(feature)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
