"""MathJax from the site itself, not from a CDN: the pages work offline and load nothing from another host.

The files come from the pinned ``django-static-mathjax`` package (MathJax 3.2.2,
requirements.txt), copied at build time into ``_static/mathjax/``:

- ``tex-mml-chtml.js``, the component Sphinx loads by default (from the CDN);
- ``output/chtml/fonts/woff-v2/``, the fonts it loads;
- ``input/tex/extensions/``, the TeX packages it loads by itself when a formula
  uses one (``\\boldsymbol``, ``\\color`` ...).

Not copied: the speech and explorer components (``a11y/``, ``sre/``, 4 MB) that only
MathJax's right-click menu asks for. The path ``_static/mathjax/tex-mml-chtml.js`` is
stable: the PDF printer relies on it.
"""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

SCRIPT = "tex-mml-chtml.js"
FOLDERS = ("output/chtml/fonts/woff-v2", "input/tex/extensions")
TARGET = "mathjax"  # under _static/


def mathjax_root() -> Path:
    """MathJax's ``es5`` folder inside the django-static-mathjax package."""
    try:
        import mathjax  # the django-static-mathjax package
    except ImportError as error:
        raise RuntimeError(
            "MathJax is served from the site and comes from the pinned package django-static-mathjax: "
            "run `make book` (it installs requirements.txt) or pip install -r requirements.txt"
        ) from error
    return Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"


def files(root: Path) -> list[Path]:
    """The files the site serves, relative to ``root``."""
    found = [Path(SCRIPT)]
    for folder in FOLDERS:
        found += sorted(path.relative_to(root) for path in (root / folder).rglob("*") if path.is_file())
    return found


def configure(app: Sphinx, config: Config) -> None:
    config.mathjax_path = f"{TARGET}/{SCRIPT}"  # relative: Sphinx serves it from _static/


def copy_mathjax(app: Sphinx) -> None:
    """Before any page is written, so Sphinx can stamp the script's URL with its checksum."""
    if app.builder.format != "html":
        return
    root = mathjax_root()
    target = Path(app.outdir, "_static", TARGET)
    for relative in files(root):
        source, copy = root / relative, target / relative
        if not copy.is_file() or not filecmp.cmp(source, copy, shallow=True):
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", configure)
    app.connect("builder-inited", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
