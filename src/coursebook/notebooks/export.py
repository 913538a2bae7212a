"""Every chapter as a Jupyter notebook: a download, and an "Open in Colab" launch.

Jupyter Book offers an ``.ipynb`` download only for chapters written as
notebooks, and its Colab button points at the chapter's path in the repository,
which for a MyST ``.md`` chapter is a file Colab cannot open. So, for every page
that is a notebook (its front matter has a ``kernelspec``), this extension

- writes ``_sources/<docname>.ipynb`` into the site at the end of each build:
  the chapter's cells without outputs, MyST-only markup turned into plain
  Jupyter markdown (glued numbers filled in from the chapter's executed
  notebook in the jupyter-cache), a code cell ``glued("name")`` wherever the
  page shows a glued figure, and a first cell that installs the shared package
  pinned to the commit the site was built from (``git rev-parse HEAD``);
- lists that notebook in the theme's download menu, beside the ``.md`` source;
- adds a launch button that opens the notebook in Colab from the repository's
  branch ``coursebook: colab_branch:`` (``colab`` unless set), where CI publishes the
  notebooks (``push_colab_notebooks.sh``, ``python -m coursebook push-colab``).

The notebooks need no myst-nb: chapters glue with ``coursebook.runtime``, which works
with and without it. The repository comes from ``repository.url`` in ``_config.yml``.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import textwrap
from pathlib import Path
from typing import Any, NamedTuple

import nbformat
import yaml
from markdown_it.renderer import RendererHTML
from markdown_it.tree import SyntaxTreeNode
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from sphinx.application import Sphinx
from sphinx.util import logging

from coursebook.bilingual.korean_particles import chosen_particle
from coursebook import chapters
from coursebook.chapters import parse_chapter
from coursebook.config import of_app
from coursebook.git import head_commit
from coursebook.runtime.glue import GLUE_METADATA

logger = logging.getLogger(__name__)

COLAB = "https://colab.research.google.com/github"
GITHUB_REPO = re.compile(r"^https://github\.com/(?P<owner>[^/\s]+)/(?P<repo>[^/\s]+?)(?:\.git)?/?$")
SHA = re.compile(r"[0-9a-f]{40}")


# --- which pages, which commit, which links -------------------------------------------------


def is_notebook(app: Sphinx, docname: str) -> bool:
    return "kernelspec" in app.env.metadata.get(docname, {})


def repository_url(app: Sphinx) -> str:
    return str(app.config.html_theme_options.get("repository_url", "") or "").strip()


def build_commit(srcdir: str | Path) -> str | None:
    """The commit the site is built from, or None outside a git checkout."""
    sha = head_commit(srcdir) or os.environ.get("GITHUB_SHA", "")  # CI checkouts without .git still know their commit
    return sha if SHA.fullmatch(sha) else None


def colab_url(repo_url: str, branch: str, docname: str) -> str | None:
    match = GITHUB_REPO.match(repo_url)
    if not match or not branch:
        return None
    return f"{COLAB}/{match['owner']}/{match['repo']}/blob/{branch}/{docname}.ipynb"


def install_cell_source(repo_url: str, ref: str, package: str, note: dict[str, str] = {}) -> str:
    """The notebook's first cell: the shared package at the book's commit, nothing else ("": no cell)."""
    if not package:
        return ""
    return (
        "# 이 책을 만든 커밋의 공유 패키지를 설치합니다. Colab 같은 새 환경에서 맨 먼저 실행하세요.\n"
        + (f"# {note['ko']}\n" if note.get("ko") else "")
        + "# Installs the shared package at the commit this book was built from: run this first in a fresh\n"
        "# environment such as Colab." + (f" {note['en']}" if note.get("en") else "") + "\n"
        f'%pip install --quiet "{package} @ git+{repo_url}@{ref}"'
    )


INTENDED_ERROR = (
    "# 의도한 오류: 일부러 실패하는 셀입니다. 오류를 보여 주고 다음 셀로 넘어갑니다. · "
    "Intended error: this cell fails on purpose; it shows the error and the run goes on."
)


def runs_past_its_error(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A cell tagged ``raises-exception`` with its code inside a try that prints the error.

    Jupyter honours the tag, but Colab's "Run all" ignores tags and stops at the first error. Inside
    the try the code is as written, IPython line magics included (IPython reads them indented). A cell
    magic, or code that does not compile (a lesson on a SyntaxError), cannot be wrapped and is left as
    it is. The tag stays, for Jupyter and for the reader.
    """
    if cell.cell_type != "code" or "raises-exception" not in cell.metadata.get("tags", []) or cell.source.lstrip().startswith("%%"):
        return cell
    from IPython.core.inputtransformer2 import TransformerManager  # reads magics as the kernel will

    body = textwrap.indent(cell.source.strip("\n"), "    ")
    wrapped = f'{INTENDED_ERROR}\ntry:\n{body}\nexcept Exception as error:\n    print(f"{{type(error).__name__}}: {{error}}")'
    try:
        ast.parse(TransformerManager().transform_cell(wrapped))
    except SyntaxError:
        return cell
    cell.source = wrapped
    return cell


class Figure(NamedTuple):
    """Where the page shows the value glued as ``name``: a cell that shows it, then its caption."""

    name: str
    caption: str

    def notebook_cells(self) -> list[nbformat.NotebookNode]:
        show = nbformat.v4.new_code_cell(f'from coursebook.runtime import glued\nglued("{self.name}")')
        return [show, nbformat.v4.new_markdown_cell(self.caption)] if self.caption else [show]


# --- MyST markdown -> Jupyter markdown -------------------------------------------------------

MYST = create_md_parser(MdParserConfig(enable_extensions={"colon_fence", "dollarmath", "amsmath", "deflist", "substitution"}), RendererHTML)
ADMONITIONS = {"note", "tip", "hint", "important", "warning", "caution", "attention", "danger", "error", "seealso", "admonition"}
DROPPED = {"toctree", "tableofcontents", "contents", "index", "bibliography"}
CODE_ROLES = {"code", "file", "kbd", "command", "samp", "func", "class", "meth", "mod", "attr", "obj", "data", "exc"}
INT_OPTIONS = {"lineno-start", "dedent", "tab-width"}


def format_glued(text: str, spec: str = "") -> str:
    """A glued ``text/plain`` value as ``{glue:text}`name:spec``` shows it (quotes of a str removed)."""
    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if not spec:
        return str(value)
    kind = {"s": str, **dict.fromkeys("bcdoxX", int), **dict.fromkeys("eEfFgGn%", float)}.get(spec[-1])
    try:
        return format(kind(value) if kind else value, spec)
    except (TypeError, ValueError):
        return str(value)


class MystToJupyter:
    """Turns one chapter's markdown into cells that Jupyter and Colab render.

    ``glue`` maps a glued name to its ``text/plain`` value from the book's run;
    ``include`` reads a ``literalinclude`` (path, options) into code. MyST is read
    with myst-parser's own markdown-it parser: directives, roles, targets and
    comments are the tokens it finds, and everything else is kept as written.
    """

    def __init__(self, glue: dict[str, str] | None = None, include=None) -> None:
        self.glue = glue or {}
        self.include = include

    def cells(self, source: str) -> list[str | Figure]:
        """The markdown as Jupyter markdown, split where the page shows a glued value."""
        return _merged(self._blocks(source))

    def convert(self, source: str) -> str:
        """The markdown alone (glued figures left out): for captions and titles."""
        return "\n\n".join(part for part in self.cells(source) if isinstance(part, str))

    # block level

    def _blocks(self, source: str) -> list[str | Figure]:
        lines = source.splitlines()
        out: list[str | Figure] = []
        for block in SyntaxTreeNode(MYST.parse(source)).children:
            start, end = block.map or (0, 0)
            if block.type in ("fence", "colon_fence") and block.info.startswith("{"):
                name, _, arg = block.info[1:].partition("}")
                out += self.directive(name, arg.strip(), block.content)
            elif block.type == "fence":
                out.append("\n".join(lines[start:end]))  # plain code: untouched
            elif block.type not in ("myst_target", "myst_line_comment"):
                out.append(self._inline("\n".join(lines[start:end]), _inline_nodes(block)))
        return out

    def directive(self, name: str, arg: str, body: str) -> list[str | Figure]:
        options, content = _options(body)
        if name in ("ko", "en"):
            return self._blocks(content)
        if name in DROPPED:
            return []
        if name == "video":  # a notebook shows the address; the reader opens it
            return [f"[▶ {arg}]({arg})"]
        caption = self.convert(content)
        if name.startswith("glue"):  # {glue:figure} name, {glue} name, ...: a cell shows the value
            return [Figure(arg.split()[0], f"*{caption}*" if caption else "")]
        if name == "figure":
            return [f"*{caption}*"] if caption else []
        if name == "literalinclude":
            code = self.include(arg, options) if self.include else f"# see {arg}"
            return [f"```{options.get('language', 'python')}\n{code.rstrip()}\n```"]
        if name in ("code-block", "code", "sourcecode", "code-cell"):
            return [f"```{arg}\n{content.rstrip()}\n```"]
        if name == "math":
            return [f"$$\n{content.strip()}\n$$"]
        if name in ADMONITIONS:  # a quote block; a glued figure inside it breaks the quote
            title = self._inline(arg, _inline_nodes(arg)) if name == "admonition" else (arg or name.capitalize())
            parts = _merged([f"**{title}**", *self.cells(content)])
            return [_quoted(part) if isinstance(part, str) else part for part in parts]
        return self._blocks(content)

    # inline level

    def _inline(self, text: str, children: list[SyntaxTreeNode]) -> str:
        """``text`` with each role the parser found replaced, left to right; code spans are skipped."""
        out, pos = [], 0
        for child in children:
            if child.type == "code_inline" and (found := text.find(child.content, pos)) >= 0:
                out.append(text[pos : found + len(child.content)])
                pos = found + len(child.content)
            elif child.type == "myst_role":
                name = child.meta["name"]
                words = r"\s+".join(re.escape(word) for word in child.content.split(" "))
                match = re.compile(rf"\{{{re.escape(name)}\}}(`+){words}\1").search(text, pos)
                if match and name == "josa":  # the particle that fits the text just before it
                    out.append(text[pos : match.start()])
                    try:
                        out.append(chosen_particle("".join(out), child.content))
                    except ValueError:  # the page build reports it; the notebook keeps the pair
                        out.append(child.content)
                    pos = match.end()
                elif match:
                    out += [text[pos : match.start()], self.role(name, child.content)]
                    pos = match.end()
        return "".join(out) + text[pos:]

    def role(self, name: str, text: str) -> str:
        if name == "math":
            return f"${text}$"
        if name in ("glue", "glue:", "glue:any", "glue:text"):
            key, _, spec = text.partition(":") if name == "glue:text" else (text, "", "")
            key = key.split("::")[-1]
            return format_glued(self.glue[key], spec) if key in self.glue else f"`{key}`"
        shown = re.fullmatch(r"(?P<text>.*?)\s*<[^<>]+>", text, re.S)
        text = shown["text"] if shown else text.lstrip("~!")
        if name in CODE_ROLES or name.startswith("py:"):
            return f"`{text}`"
        return self._inline(text, _inline_nodes(text)) if name in ("ko", "en") else text


def _merged(parts: list[str | Figure]) -> list[str | Figure]:
    """Adjacent markdown joined into one cell; empty markdown dropped."""
    merged: list[str | Figure] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] = f"{merged[-1]}\n\n{part}"
        else:
            merged.append(part)
    return [part.strip("\n") if isinstance(part, str) else part for part in merged if part]


def _quoted(markdown: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in markdown.splitlines())


def _inline_nodes(block: SyntaxTreeNode | str) -> list[SyntaxTreeNode]:
    """The roles and code spans of a block (or of a line of markdown), in order."""
    tree = block if isinstance(block, SyntaxTreeNode) else SyntaxTreeNode(MYST.parse(block))
    return [node for node in tree.walk() if node.type in ("myst_role", "code_inline")]


def _options(body: str) -> tuple[dict[str, str], str]:
    """A directive's options (a YAML block, or ``:key: value`` lines) and the rest of its body."""
    lines = body.splitlines()
    if lines and lines[0].strip() == "---" and "---" in (line.strip() for line in lines[1:]):
        end = next(k for k in range(1, len(lines)) if lines[k].strip() == "---")
        options = yaml.safe_load("\n".join(lines[1:end])) or {}
        return {str(k): str(v) for k, v in options.items()}, "\n".join(lines[end + 1 :])
    options = {}
    while lines and (match := re.fullmatch(r":([\w-]+):(?:\s+(.*))?", lines[0].strip())):
        options[match[1]] = (match[2] or "").strip()
        lines = lines[1:]
    return options, "\n".join(lines)


def chapter_notebook(
    source: str, path: Path, install: str, converter: MystToJupyter, glued_in: dict[str, int] | None = None
) -> nbformat.NotebookNode:
    """The chapter as a clean notebook whose first cell is ``install``.

    ``glued_in`` maps a glued name to the index of the chapter's cell that glues it: a figure the
    page shows before the code that draws it (a solution above its code) follows that cell.
    """
    nb = parse_chapter(path, source)
    glued_in = glued_in or {}
    cells = [nbformat.v4.new_code_cell(install, metadata={"tags": ["install"]})] if install else []
    later: dict[int, list[nbformat.NotebookNode]] = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            cells += [runs_past_its_error(cell), *later.pop(index, [])]
            continue
        for part in converter.cells(cell.source):
            if isinstance(part, str) and cells[-1].cell_type == "markdown":  # a figure moved away between them
                cells[-1].source += f"\n\n{part}"
            elif isinstance(part, str):
                cells.append(nbformat.v4.new_markdown_cell(part))
            elif glued_in.get(part.name, -1) > index:
                later.setdefault(glued_in[part.name], []).extend(part.notebook_cells())
            else:
                cells += part.notebook_cells()
    nb.cells = cells
    nb.metadata.pop("source_map", None)
    nb.metadata.pop("jupytext", None)  # a download is a plain notebook, not one half of a jupytext pair
    nb.metadata.setdefault("language_info", {"name": "python"})
    nb.nbformat, nb.nbformat_minor = 4, 5
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index}"  # stable ids: the notebook changes only when the chapter does
    nbformat.validate(nb)
    return nb


def clean_notebook(nb: nbformat.NotebookNode, install: str) -> nbformat.NotebookNode:
    """A notebook chapter as readers download it: the install cell first, no saved outputs, no editor metadata."""
    for cell in nb.cells:
        cell.metadata = {"tags": cell.metadata["tags"]} if cell.metadata.get("tags") else {}
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            runs_past_its_error(cell)
    nb.cells.insert(0, nbformat.v4.new_code_cell(install, metadata={"tags": ["install"]}))
    nb.metadata = {
        "kernelspec": nb.metadata.get("kernelspec", {"name": "python3", "display_name": "Python 3"}),
        "language_info": {"name": "python"},
    }
    nb.nbformat, nb.nbformat_minor = 4, 5
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index}"
    nbformat.validate(nb)
    return nb


class Glued(NamedTuple):
    text: str  # its text/plain
    cell: int  # the index of the cell that glued it


def glued_values(cache_path: Path, nb: nbformat.NotebookNode) -> tuple[dict[str, Glued], int | None]:
    """Every value the chapter glued, from its executed notebook in the jupyter-cache, and that
    notebook's record in the cache (None: not executed yet, and the names stay in the text).

    ``coursebook.runtime.glue`` names each glued output under its own metadata key, so nothing here
    reads myst-nb's way of storing glued values; the cache is read through jupyter-cache's API."""
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_path))
    try:
        pk, executed = cache.merge_match_into_notebook(nb)
    except KeyError:
        return {}, None
    values = {}
    for index, cell in enumerate(executed.cells):
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get(GLUE_METADATA)
            if isinstance(record, dict) and "glue" in record:
                values[record["glue"]] = Glued(record.get("text/plain", ""), index)
    return values, pk


def executed_stamp(cache, pk: int | None) -> str | None:
    """When the cache stored this executed notebook: a chapter run again (or merged from a share)
    is a new cache record, with a new key and creation time. None when the record is gone."""
    if pk is None:
        return None
    try:
        record = cache.get_cache_record(pk)
    except KeyError:
        return None
    return f"{record.pk}:{record.hashkey}:{record.created.isoformat()}"


# --- Sphinx events ---------------------------------------------------------------------------


def add_notebook_buttons(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    """The .ipynb in the theme's download menu, and a launch menu with Colab first in the header.

    Runs after the theme has prepared ``header_buttons`` and before it fills the download menu
    (see ``setup``).
    """
    if doctree is None or not is_notebook(app, pagename) or "header_buttons" not in context:
        return
    context["ipynb_source"] = f"{pagename}.ipynb"
    url = colab_url(repository_url(app), of_app(app)["colab_branch"], pagename)
    if url:
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


def _inputs_digest(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def write_notebooks(app: Sphinx, exception: Exception | None) -> None:
    """Write each chapter's notebook when what it is made of changed: the chapter, the files it
    includes, the install cell (whose pinned commit changes with every commit), its executed
    results, or this code. Writing them all took a quarter of a prose-only rebuild with 8
    chapters, and most of one with 50."""
    if exception is not None or app.builder.format != "html":
        return
    from jupyter_cache import get_cache
    from sphinx.directives.code import LiteralIncludeReader

    commit = build_commit(app.srcdir)
    branch = str(app.config.html_theme_options.get("repository_branch", "") or "main")
    if commit is None:
        logger.info("notebooks: not a git checkout; the install cell pins the branch %r instead of a commit", branch)
    settings = of_app(app)
    install = install_cell_source(repository_url(app), commit or branch, settings["install"], settings["install_note"])
    cache_path = Path(app.srcdir, app.config.nb_execution_cache_path)
    cache = get_cache(str(cache_path))
    record_path = Path(app.doctreedir, "coursebook-notebooks.json")  # kept with Sphinx's own incremental state
    written = _read_record(record_path)
    code = Path(__file__).read_bytes() + Path(chapters.__file__).read_bytes()  # this code, and the chapter reader
    for docname in sorted(app.env.found_docs):
        if not is_notebook(app, docname):
            continue
        path = Path(app.env.doc2path(docname))
        source = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(from|import)\s+myst_nb\b", source, re.M):
            logger.warning(
                "%s imports myst_nb, which its notebook does not install: use `from coursebook.runtime import glue`",
                path.name,
                location=docname,
            )
        target = Path(app.outdir, "_sources", f"{docname}.ipynb")
        included = [_read_bytes(Path(app.srcdir, name)) for name in sorted(app.env.dependencies.get(docname, ()))]
        inputs = _inputs_digest(install, source, code, *included)
        last = written.get(docname, {})
        results = executed_stamp(cache, last.get("pk"))
        if target.is_file() and last.get("inputs") == inputs and results is not None and last.get("results") == results:
            continue

        def include(argument: str, options: dict[str, str], here: Path = path.parent) -> str:
            target = Path(app.srcdir, argument.lstrip("/")) if argument.startswith("/") else here / argument
            typed = {k: int(v) if k in INT_OPTIONS and v.isdigit() else v for k, v in options.items()}
            return LiteralIncludeReader(str(target), typed, app.config).read()[0]

        if path.suffix == ".ipynb":  # a notebook chapter: itself, cleaned, instead of the source Sphinx copied there
            nb, pk = clean_notebook(parse_chapter(path, source), install), None
        else:
            glued, pk = glued_values(cache_path, parse_chapter(path, source))
            converter = MystToJupyter({name: value.text for name, value in glued.items()}, include)
            nb = chapter_notebook(source, path, install, converter, {name: value.cell for name, value in glued.items()})
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(nbformat.writes(nb), encoding="utf-8")
        written[docname] = {"inputs": inputs, "pk": pk, "results": executed_stamp(cache, pk)}
    record_path.write_text(json.dumps(written, indent=1, sort_keys=True), encoding="utf-8")


def _read_record(path: Path) -> dict[str, dict]:
    """What each notebook was last written from ({} when unreadable: then every one is written)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {docname: entry for docname, entry in record.items() if isinstance(entry, dict)} if isinstance(record, dict) else {}


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""  # gone: Sphinx warns about the include itself


def connect_buttons(app: Sphinx) -> None:
    # Connected once the builder has started, so after the theme's own handlers however the theme
    # was loaded: at the default priority ours runs after the theme prepared header_buttons and
    # before it reads ipynb_source into the download menu. No priority number of the theme's is used.
    app.connect("html-page-context", add_notebook_buttons)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", connect_buttons)
    app.connect("build-finished", write_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
