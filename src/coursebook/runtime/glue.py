"""glue(): the numbers and figures a chapter computes, for its text, in the book and in a notebook.

In the book build, myst-nb reads what ``glue()`` records and puts each value where the page asks
for it (``{glue:text}``, ``{glue:figure}``). Each glued output also names its value under this
package's own display-metadata key, :data:`GLUE_METADATA` (``IPython``'s ``_repr_mimebundle_``
protocol carries it into myst-nb's output), so the generator reads glued values from an executed
notebook without knowing myst-nb's storage format. A chapter's downloaded notebook needs no myst-nb:
there ``glue()`` only keeps the value, and the cell that stands where the page shows a glued
figure calls ``glued(name)`` to show it.

A figure drawn once per language is glued as :class:`Figures`: one output whose mime type
``FIGURES_MIME`` holds a PNG per language. The book's generator turns it into one ``<img>`` per
language inside the same ``{glue:figure}`` (docs/figures.md); a notebook shows them all.
"""

from __future__ import annotations

import base64
from typing import Any

FIGURES_MIME = "application/vnd.coursebook.figures+json"
GLUE_METADATA = "coursebook"  # output metadata: {"glue": name, "text/plain": the value's text}

_values: dict[str, Any] = {}


class Figures:
    """One figure as PNG images, one per language: ``Figures({"ko": png, "en": png})``."""

    def __init__(self, images: dict[str, bytes]) -> None:
        if not images or not all(isinstance(png, bytes) and png.startswith(b"\x89PNG") for png in images.values()):
            raise ValueError(f"Figures takes PNG bytes by language code, got {sorted(images)}")
        self.images = dict(images)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        encoded = {language: base64.b64encode(png).decode("ascii") for language, png in self.images.items()}
        return {FIGURES_MIME: encoded, "text/plain": repr(self)}

    def __repr__(self) -> str:
        return f"<figure in {', '.join(self.images)}>"


def glue(name: str, value: Any, display: bool = True) -> None:
    """Keep ``value`` under ``name`` (and hand it to myst-nb when the book is being built)."""
    _values[name] = value
    try:
        from myst_nb import glue as book_glue
    except ImportError:  # a plain notebook (Colab, Jupyter): nothing reads glued outputs there
        if display:
            _show(value)
        return
    book_glue(name, _Named(name, value), display)


class _Named:
    """A value displayed as itself, with display metadata that names it (:data:`GLUE_METADATA`)."""

    def __init__(self, name: str, value: Any) -> None:
        self.name, self.value = name, value

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        from IPython.core.formatters import format_display_data

        data, metadata = format_display_data(self.value, include=include, exclude=exclude)
        return data, {**metadata, GLUE_METADATA: {"glue": self.name, "text/plain": data.get("text/plain", "")}}

    def __repr__(self) -> str:
        return repr(self.value)


def glued(name: str) -> Any:
    """The value glued under ``name``: a notebook cell ending in ``glued("fig")`` shows the figure.

    A figure in several languages is shown in each of them, one image after another (and None is
    returned, so that the cell shows nothing more).
    """
    try:
        value = _values[name]
    except KeyError:
        raise KeyError(f"nothing is glued under {name!r} yet: run the cells above this one first") from None
    if isinstance(value, Figures):
        _show(value)
        return None
    return value


def _show(value: Any) -> None:
    from IPython.display import Image, display

    if isinstance(value, Figures):  # Jupyter has no renderer for FIGURES_MIME: show the PNGs
        for png in value.images.values():
            display(Image(data=png, format="png"))
    else:
        display(value)
