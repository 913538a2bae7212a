"""Every chapter as a Jupyter notebook: a download, and an "Open in Colab" launch.

Jupyter Book offers an ``.ipynb`` download only for chapters written as
notebooks, and its Colab button points at the chapter's path in the repository,
which for a MyST ``.md`` chapter is a file Colab cannot open. So, for every page
that is a notebook (its front matter has a ``kernelspec``), this extension

- writes ``_sources/<docname>.ipynb`` into the site at the end of each build:
  the chapter's cells without outputs, MyST-only markup turned into plain
  Jupyter markdown, and a first cell that installs the shared package pinned to
  the commit the site was built from (``git rev-parse HEAD``);
- lists that notebook in the theme's download menu, beside the ``.md`` source;
- adds a launch button that opens the notebook in Colab from the repository's
  ``nnstep_colab_branch`` branch (``colab`` unless set), where CI publishes the
  notebooks (``tools/push_colab_notebooks.sh``; see the README).

The repository comes from ``repository.url`` in ``_config.yml``.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import nbformat
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

COLAB = "https://colab.research.google.com/github"
PACKAGE = "nnstep"
GITHUB_REPO = re.compile(r"^https://github\.com/(?P<owner>[^/\s]+)/(?P<repo>[^/\s]+?)(?:\.git)?/?$")


# --- which pages, which commit, which links -------------------------------------------------


def is_notebook(app: Sphinx, docname: str) -> bool:
    return "kernelspec" in app.env.metadata.get(docname, {})


def repository_url(app: Sphinx) -> str:
    return str(app.config.html_theme_options.get("repository_url", "") or "").strip()


def build_commit(srcdir: str | Path) -> str | None:
    """The commit the site is built from, or None outside a git checkout."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=srcdir, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        result = None
    if result is not None and result.returncode == 0 and re.fullmatch(r"[0-9a-f]{40}", result.stdout.strip()):
        return result.stdout.strip()
    sha = os.environ.get("GITHUB_SHA", "")  # CI checkouts without .git still know their commit
    return sha if re.fullmatch(r"[0-9a-f]{40}", sha) else None


def colab_url(repo_url: str, branch: str, docname: str) -> str | None:
    match = GITHUB_REPO.match(repo_url)
    if not match or not branch:
        return None
    return f"{COLAB}/{match['owner']}/{match['repo']}/blob/{branch}/{docname}.ipynb"


def install_cell_source(repo_url: str, ref: str, needs_myst_nb: bool) -> str:
    """The notebook's first cell: the shared package at the book's commit (and myst-nb for glue)."""
    import myst_nb

    requirements = [f'"{PACKAGE} @ git+{repo_url}@{ref}"']
    if needs_myst_nb:
        requirements.append(f'"myst-nb=={myst_nb.__version__}"')
    return (
        "# 이 책을 만든 커밋의 공유 패키지를 설치합니다. Colab 같은 새 환경에서 맨 먼저 실행하세요.\n"
        "# Installs the shared package at the commit this book was built from: run this first in a fresh\n"
        "# environment such as Colab.\n"
        f"%pip install --quiet {' '.join(requirements)}"
    )


# --- MyST markdown -> Jupyter markdown -------------------------------------------------------

DIRECTIVE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,}|:{3,})\{(?P<name>[^}\s]+)\}[ \t]*(?P<arg>.*?)\s*$")
CODE_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
ROLE = re.compile(r"(?<!`)\{(?P<name>[A-Za-z][\w:+.-]*)\}(?P<ticks>`+)(?P<text>.+?)(?P=ticks)", re.S)
EXPLICIT_TARGET = re.compile(r"^(?P<text>.*?)\s*<[^<>]+>$", re.S)
LABEL_LINE = re.compile(r"^\([^()\s]+\)=\s*$")
OPTION_LINE = re.compile(r"^:(?P<key>[\w-]+):(?:\s+(?P<value>.*))?$")

ADMONITIONS = {"note", "tip", "hint", "important", "warning", "caution", "attention", "danger", "error", "seealso", "admonition"}
DROPPED = {"toctree", "tableofcontents", "contents", "index", "bibliography"}
CODE_ROLES = {"code", "file", "kbd", "command", "samp", "func", "class", "meth", "mod", "attr", "obj", "data", "exc"}
INT_OPTIONS = {"lineno-start", "dedent", "tab-width"}


class MystToJupyter:
    """Turns one chapter's markdown cells into markdown that Jupyter and Colab render.

    ``glue`` maps a glued name to its ``text/plain`` value from the book's run;
    ``include`` reads a ``literalinclude`` (path, options) into code.
    """

    def __init__(self, glue: dict[str, str] | None = None, include=None) -> None:
        self.glue = glue or {}
        self.include = include

    def convert(self, source: str) -> str:
        text = "\n".join(self._lines(source.splitlines())).strip("\n")
        return re.sub(r"\n{3,}", "\n\n", text)

    # block level

    def _lines(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        prose: list[str] = []

        def flush() -> None:
            if prose:
                out.extend(self.inline("\n".join(prose)).split("\n"))
                prose.clear()

        i = 0
        while i < len(lines):
            line = lines[i]
            directive = DIRECTIVE.match(line)
            fence = CODE_FENCE.match(line)
            if directive or fence:
                flush()
                mark = (directive or fence)["fence"]
                end = self._closing(lines, i + 1, mark)
                body = lines[i + 1 : end]
                if directive:
                    out.extend(["", *self.directive(directive["name"], directive["arg"], body), ""])
                else:
                    out.extend(lines[i : end + 1])  # plain code: untouched
                i = end + 1
                continue
            if not LABEL_LINE.match(line) and not line.startswith("%"):
                prose.append(line)
            i += 1
        flush()
        return out

    @staticmethod
    def _closing(lines: list[str], start: int, mark: str) -> int:
        closing = re.compile(rf"^ {{0,3}}{re.escape(mark[0])}{{{len(mark)},}}\s*$")
        for j in range(start, len(lines)):
            if closing.match(lines[j]):
                return j
        return len(lines)

    @staticmethod
    def _options(body: list[str]) -> tuple[dict[str, str], list[str]]:
        options: dict[str, str] = {}
        if body and body[0].strip() == "---":  # YAML block of options
            end = next((k for k in range(1, len(body)) if body[k].strip() == "---"), None)
            if end is not None:
                import yaml

                options = {str(k): str(v) for k, v in (yaml.safe_load("\n".join(body[1:end])) or {}).items()}
                return options, body[end + 1 :]
        k = 0
        while k < len(body) and (match := OPTION_LINE.match(body[k].strip())):
            options[match["key"]] = (match["value"] or "").strip()
            k += 1
        return options, body[k:]

    def directive(self, name: str, arg: str, body: list[str]) -> list[str]:
        options, content = self._options(body)
        if name in ("ko", "en"):
            return self._lines(content)
        if name in DROPPED:
            return []
        if name in ("glue:figure", "figure"):
            caption = " ".join(line.strip() for line in self._lines(content) if line.strip())
            return [f"*{caption}*"] if caption else []
        if name.startswith("glue"):
            return [self.glued(arg.split(":", 1)[0])]
        if name == "literalinclude":
            code = self.include(arg, options) if self.include else f"# see {arg}"
            language = options.get("language", "python")
            return [f"```{language}", *code.rstrip("\n").split("\n"), "```"]
        if name in ("code-block", "code", "sourcecode", "code-cell"):
            return [f"```{arg}", *content, "```"]
        if name == "math":
            return ["$$", *content, "$$"]
        if name in ADMONITIONS:
            title = arg if name == "admonition" else (arg or name.capitalize())
            inner = self._lines(content)
            return [f"> **{self.inline(title)}**", ">", *[f"> {line}".rstrip() for line in inner]]
        return self._lines(content)

    # inline level

    def inline(self, text: str) -> str:
        return ROLE.sub(self._role, text)

    def _role(self, match: re.Match) -> str:
        name, text = match["name"], match["text"]
        if name == "math":
            return f"${text}$"
        if name.startswith("glue"):
            key = text.rsplit(":", 1)[0] if name == "glue:text" and ":" in text else text
            fmt = text.rsplit(":", 1)[1] if name == "glue:text" and ":" in text else ""
            return self.glued(key.split("::")[-1], fmt)
        shown = EXPLICIT_TARGET.match(text)
        text = shown["text"] if shown else text.lstrip("~!")
        if name in CODE_ROLES or name.startswith("py:"):
            return f"`{text}`"
        return self.inline(text) if name in ("ko", "en") else text

    def glued(self, key: str, fmt: str = "") -> str:
        if key not in self.glue:
            return f"`{key}`"
        from myst_nb.core.variables import format_plain_text

        try:
            return format_plain_text(self.glue[key], fmt)
        except (ValueError, TypeError):
            return self.glue[key]


def chapter_notebook(
    source: str, path: Path, install: str, converter: MystToJupyter
) -> nbformat.NotebookNode:
    """The chapter as a clean notebook whose first cell is ``install``."""
    from myst_nb.core.read import read_myst_markdown_notebook
    from myst_parser.config.main import MdParserConfig

    nb = read_myst_markdown_notebook(source, MdParserConfig(), path=str(path))
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = converter.convert(cell.source)
            if not cell.source.strip():
                continue
        elif cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    first = nbformat.v4.new_code_cell(install)
    first.metadata["tags"] = ["install"]
    nb.cells = [first, *cells]
    nb.metadata.pop("source_map", None)
    nb.metadata.pop("jupytext", None)  # a download is a plain notebook, not one half of a jupytext pair
    nb.metadata.setdefault("language_info", {"name": "python"})
    nb.nbformat, nb.nbformat_minor = 4, 5
    nbformat.validate(nb)
    return nb


# --- Sphinx events ---------------------------------------------------------------------------


def add_notebook_buttons(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    """Before the theme builds its download menu: offer the generated .ipynb."""
    if doctree is not None and is_notebook(app, pagename):
        context["ipynb_source"] = f"{pagename}.ipynb"


def add_colab_button(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    """After the theme's own buttons: a launch menu with Colab first in the header."""
    if doctree is None or not is_notebook(app, pagename) or "header_buttons" not in context:
        return
    url = colab_url(repository_url(app), app.config.nnstep_colab_branch, pagename)
    if not url:
        return
    colab = {
        "type": "link",
        "text": "Colab",
        "tooltip": "Colab에서 열기 · Open in Colab",
        "icon": "_static/images/logo_colab.png",
        "url": url,
        "label": "launch-colab-button",
    }
    context["header_buttons"].insert(
        0,
        {
            "type": "group",
            "tooltip": "실행 환경에서 열기 · Launch",
            "icon": "fas fa-rocket",
            "buttons": [colab],
            "label": "launch-buttons",
        },
    )


def write_notebooks(app: Sphinx, exception: Exception | None) -> None:
    """Write every chapter's notebook, each build: the pinned commit changes with every commit."""
    if exception is not None or app.builder.format != "html":
        return
    repo_url = repository_url(app)
    commit = build_commit(app.srcdir)
    branch = str(app.config.html_theme_options.get("repository_branch", "") or "main")
    ref = commit or branch
    if commit is None:
        logger.info("notebooks: not a git checkout; the install cell pins the branch %r instead of a commit", branch)
    glue_folder = app.env.mystnb_config.output_folder
    from myst_nb.ext.glue.crossref import read_glue_cache
    from sphinx.directives.code import LiteralIncludeReader

    for docname in sorted(app.env.found_docs):
        if not is_notebook(app, docname):
            continue
        path = Path(app.env.doc2path(docname))

        def include(argument: str, options: dict[str, str], here: Path = path.parent) -> str:
            target = Path(app.srcdir, argument.lstrip("/")) if argument.startswith("/") else here / argument
            typed = {k: int(v) if k in INT_OPTIONS and v.isdigit() else v for k, v in options.items()}
            return LiteralIncludeReader(str(target), typed, app.config).read()[0]

        glue = {
            key: output.get("data", {}).get("text/plain", "")
            for key, output in read_glue_cache.__wrapped__(glue_folder, docname).items()  # not its lru_cache: fresh each build
        }
        source = path.read_text(encoding="utf-8")
        install = install_cell_source(repo_url, ref, needs_myst_nb="myst_nb" in source)
        nb = chapter_notebook(source, path, install, MystToJupyter(glue, include))
        target = Path(app.outdir, "_sources", f"{docname}.ipynb")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(nbformat.writes(nb), encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.add_config_value("nnstep_colab_branch", "colab", "html")
    app.connect("html-page-context", add_notebook_buttons, priority=500)
    app.connect("html-page-context", add_colab_button, priority=502)
    app.connect("build-finished", write_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
