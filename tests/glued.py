"""The numbers a chapter computed, and where its page shows them: for checks that must read the
number the code computed, never a string the page would contain anyway (a printout, a reference value).

- ``glue_store``: every value a chapter glued, from its executed notebook in the jupyter-cache of the
  build that made the site (what myst-nb filled the page from).
- ``glued_on_page``: each glued element of a page (``{glue:text}`name``` renders as a pasted-text span)
  with the name the source gives it there, and its language.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from coursebook.notebooks.export import format_glued, glued_values  # noqa: E402

from coursebook.chapters import Chapter  # noqa: E402
from coursebook.execution.executor import read_notebook  # noqa: E402

GLUE_ROLE = re.compile(r"\{glue(?::text)?\}`([^`:]+)(?::([^`]*))?`")
CODE_CELL = re.compile(r"^(`{3,}|~{3,})\{code-cell\}.*?^\1", re.S | re.M)


def repo_of(site: Path) -> Path:
    return site.parent.parent  # <repo>/_build/html


def chapter_gluing(name: str, site: Path) -> str:
    """The chapter (lectures/<it>.md) whose code glues ``name``: found, not assumed, as chapters move."""
    found = [p.stem for p in sorted((repo_of(site) / "lectures").glob("*.md")) if f'glue("{name}"' in p.read_text(encoding="utf-8")]
    assert len(found) == 1, f"glue {name!r} is glued by {found or 'no chapter'}"
    return found[0]


def glue_store(site: Path, chapter: str) -> dict[str, str]:
    """name -> the text/plain the chapter's run glued (a str's quotes kept: "'3.9991'")."""
    path = repo_of(site) / "lectures" / f"{chapter}.md"
    values, record = glued_values(repo_of(site) / "_build" / ".jupyter_cache", read_notebook(Chapter(path, f"lectures/{chapter}")))
    assert record is not None, f"{chapter} has no executed notebook in the jupyter-cache"
    return {name: value.text for name, value in values.items()}


def glued_on_page(article, source: str) -> list[tuple[str, str, str, str]]:
    """(name, format spec, text shown, language) of every glued text on the page, in order."""
    roles = GLUE_ROLE.findall(CODE_CELL.sub("", source))
    spans = article.select(".pasted-text")
    assert len(roles) == len(spans), f"{len(roles)} {{glue:text}} roles in the source, {len(spans)} glued texts on the page"
    found = []
    for (name, spec), span in zip(roles, spans):
        block = span.find_parent(attrs={"lang": True})
        found.append((name, spec or "", span.get_text(), block["lang"] if block else ""))
    return found


def check_shown(store: dict[str, str], shown: list[tuple[str, str, str, str]], names: list[str], langs=("ko", "en")) -> None:
    """Every glued element of these names shows the value the code computed, in each language."""
    for name in names:
        assert name in store, f"nothing glued under {name!r}"
        places = [(text, lang, spec) for glued, spec, text, lang in shown if glued == name]
        assert {lang for _, lang, _ in places} >= set(langs), f"{name!r} is not shown in each of {langs}: {places}"
        for text, lang, spec in places:
            assert text == format_glued(store[name], spec), f"{name!r} shows {text!r} ({lang}), the run computed {store[name]!r}"


def value(store: dict[str, str], name: str) -> str:
    """The glued text as {glue:text} shows it."""
    return format_glued(store[name])
