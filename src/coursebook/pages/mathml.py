"""Math typeset when the site is built, as MathML: the pages carry no math script.

Sphinx's documented route for this is a math renderer (``app.add_html_math_renderer``,
chosen by ``html_math_renderer``): this one turns each formula's TeX into MathML with
the pure-Python ``latex2mathml`` (requirements.txt), which current browsers draw
themselves (Chromium since 109, Firefox, Safari), and which Chromium prints into the PDFs.
The TeX stays in the page as the formula's annotation, so copying and screen readers keep it.

A formula latex2mathml cannot read stops the build with the page, line and TeX.
"""

from __future__ import annotations

import html
import re

from docutils import nodes
from latex2mathml.converter import convert
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxTranslator

RENDERER = "mathml"
FENCES = "&#x0005B;|&#x00028;|&#x0007B;|&#x0007C;|&#x02016;|&#x0005D;|&#x00029;|&#x0007D;"
OPENING_FENCE = re.compile(rf"<mo>({FENCES})</mo>(?=<mtable)")
CLOSING_FENCE = re.compile(rf"(?<=</mtable>)<mo>({FENCES})</mo>")


def mathml(self: SphinxTranslator, node: nodes.Element, latex: str, display: str) -> str:
    try:
        rendered = convert(latex, display=display)
    except Exception as error:  # latex2mathml raises several types for TeX it cannot read
        where = f"{node.source or self.builder.current_docname}:{node.line or '?'}"
        raise ExtensionError(
            f"{where}: this formula could not be turned into MathML ({type(error).__name__}: {error}):\n  {latex}\n"
            "Fix the TeX (latex2mathml reads the common LaTeX math commands), or write it another way."
        ) from error
    # A matrix's brackets stretch to its height: latex2mathml writes them as plain operators beside the table.
    rendered = OPENING_FENCE.sub(r'<mo stretchy="true">\1</mo>', CLOSING_FENCE.sub(r'<mo stretchy="true">\1</mo>', rendered))
    start, end = rendered.index(">") + 1, rendered.rindex("</math>")
    annotation = f'<annotation encoding="application/x-tex">{html.escape(latex)}</annotation>'
    return f"{rendered[:start]}<semantics><mrow>{rendered[start:end]}</mrow>{annotation}</semantics></math>"


def visit_math(self: SphinxTranslator, node: nodes.math) -> None:
    self.body.append(f'<span class="math notranslate nohighlight">{mathml(self, node, node.astext(), "inline")}</span>')
    raise nodes.SkipNode


def visit_math_block(self: SphinxTranslator, node: nodes.math_block) -> None:
    number = node.get("number")
    # tabindex: a formula wider than a phone scrolls (page-weight.css), and a keyboard must reach it too.
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight", tabindex="0"))
    if number:
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, "Link to this equation")
        self.body.append("</span>")
    latex = node.astext()
    parts = [latex] if node.get("nowrap") else [part for part in latex.split("\n\n") if part.strip()]
    self.body.append("".join(mathml(self, node, part, "block") for part in parts))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def choose(app: Sphinx, config: Config) -> None:
    config.html_math_renderer = RENDERER


def setup(app: Sphinx) -> dict:
    app.add_html_math_renderer(RENDERER, (visit_math, None), (visit_math_block, None))
    app.connect("config-inited", choose)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
