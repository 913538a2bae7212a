"""glue(): the numbers and figures a chapter computes, for its text, in the book and in a notebook.

In the book build, myst-nb reads what ``glue()`` records and puts each value where the page asks
for it (``{glue:text}``, ``{glue:figure}``). A chapter's downloaded notebook needs no myst-nb:
there ``glue()`` only keeps the value, and the cell that stands where the page shows a glued
figure calls ``glued(name)`` to show it.
"""

from __future__ import annotations

from typing import Any

_values: dict[str, Any] = {}


def glue(name: str, value: Any, display: bool = True) -> None:
    """Keep ``value`` under ``name`` (and hand it to myst-nb when the book is being built)."""
    _values[name] = value
    try:
        from myst_nb import glue as book_glue
    except ImportError:  # a plain notebook (Colab, Jupyter): nothing reads glued outputs there
        if display:
            from IPython.display import display as show

            show(value)
        return
    book_glue(name, value, display)


def glued(name: str) -> Any:
    """The value glued under ``name``: a notebook cell ending in ``glued("fig")`` shows the figure."""
    try:
        return _values[name]
    except KeyError:
        raise KeyError(f"nothing is glued under {name!r} yet: run the cells above this one first") from None
