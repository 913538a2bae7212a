"""What Sphinx knows about the chapters' execution, read from coursebook.execution.executor's record.

- Freshness: coursebook.execution.executor re-runs a chapter when the shared package or the
  environment changed although the chapter's own file did not; Sphinx would keep
  the old page. A page whose execution key differs from the one stored when it
  was last read is marked outdated.
- A stamp at the foot of each executed chapter: device, library versions, build
  date, commit.
- The ``execution-status`` directive: a table of every chapter's run.
"""

from __future__ import annotations

import datetime
import html
import json
import weakref
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from coursebook.bilingual.directives import pair_html
from coursebook.git import has_edits, head_commit

ATTRIBUTE = "coursebook_execution_keys"
STATUS_PAGES = "coursebook_status_pages"


def _manifest(app: Sphinx) -> dict:
    path = Path(app.srcdir, app.config.coursebook_execution_manifest)
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _key(app: Sphinx, docname: str) -> str | None:
    return _manifest(app).get("chapters", {}).get(docname, {}).get("key")


def find_outdated(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    stored = getattr(env, ATTRIBUTE, {})
    chapters = _manifest(app).get("chapters", {})
    stale = [
        docname for docname in env.found_docs if docname not in changed and chapters.get(docname, {}).get("key") != stored.get(docname)
    ]
    return stale + sorted(getattr(env, STATUS_PAGES, set()) & env.found_docs)  # status is new every build


def remember(app: Sphinx, doctree) -> None:
    env = app.env
    if not hasattr(env, ATTRIBUTE):
        setattr(env, ATTRIBUTE, {})
    getattr(env, ATTRIBUTE)[env.docname] = _key(app, env.docname)


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, ATTRIBUTE, {}).pop(docname, None)
    getattr(env, STATUS_PAGES, set()).discard(docname)


def merge(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    mine = getattr(env, ATTRIBUTE, {})
    mine.update({d: k for d, k in getattr(other, ATTRIBUTE, {}).items() if d in docnames})
    setattr(env, ATTRIBUTE, mine)
    setattr(env, STATUS_PAGES, getattr(env, STATUS_PAGES, set()) | (getattr(other, STATUS_PAGES, set()) & set(docnames)))


def _commit(srcdir: str) -> str:
    head = head_commit(srcdir)[:7]
    return head + ("+edits" if has_edits(srcdir) else "") if head else "unknown"


# The commit each build names, looked up once per build (kept here, not on Sphinx's app object).
_COMMITS: weakref.WeakKeyDictionary[Sphinx, str] = weakref.WeakKeyDictionary()


def stamp(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Append 'where and when this ran' to the body of every executed chapter."""
    run = _manifest(app).get("chapters", {}).get(pagename)
    if not run or "body" not in context:
        return
    if app not in _COMMITS:
        _COMMITS[app] = _commit(app.srcdir)
    built = datetime.date.today().isoformat()
    facts = " · ".join(html.escape(part) for part in (run.get("device", "?"), *versions(run), built, f"commit {_COMMITS[app]}"))
    context["body"] += f'<p class="coursebook-stamp">{pair_html("실행 환경", "Executed on")}: {facts}</p>\n'


# The table's words, (Korean, English): the language switch shows one of them.
STATUS_LABELS = {"executed": ("실행함", "executed (cache miss)"), "cached": ("캐시", "cached (hit)")}
COLUMNS = (
    ("장", "Chapter"),
    ("실행 시간 (s)", "Run time (s)"),
    ("이번 빌드", "This build"),
    ("장치", "Device"),
    ("라이브러리", "Libraries"),
    ("실행 시각", "Executed at"),
)
# What the executor records of every run; anything else is a library version the chapter's code
# recorded with coursebook.runtime.record_run (e.g. torch).
RUN_FACTS = {"key", "seconds", "executed_at", "device"}


def versions(run: dict) -> list[str]:
    """["torch 2.13.0", ...]: the library versions a run recorded."""
    return [f"{name} {version}" for name, version in sorted(run.items()) if name not in RUN_FACTS]


class ExecutionStatus(SphinxDirective):
    """A table of every executed chapter: run time, cache hit or miss, device."""

    def run(self) -> list[nodes.Node]:
        env = self.env
        if not hasattr(env, STATUS_PAGES):
            setattr(env, STATUS_PAGES, set())
        getattr(env, STATUS_PAGES).add(env.docname)
        manifest = _manifest(self.env.app)
        rows = []
        for docname, run in sorted(manifest.get("chapters", {}).items()):
            if docname not in env.found_docs:
                continue
            status = manifest.get("last_build", {}).get(docname, "")
            label = STATUS_LABELS.get(status)
            link = (
                html.escape(self.env.app.builder.get_relative_uri(env.docname, docname))
                if hasattr(self.env.app.builder, "get_relative_uri")
                else ""
            )
            title = html.escape(env.titles[docname].astext() if docname in env.titles else docname)
            cells = [
                f'<a href="{link}">{title}</a>' if link else title,
                f"{run.get('seconds', 0):.1f}",
                pair_html(*label) if label else html.escape(status),
                html.escape(run.get("device", "")),
                html.escape(", ".join(versions(run))),
                html.escape(run.get("executed_at", "")),
            ]
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        header = "".join(f'<th scope="col">{pair_html(*h) if isinstance(h, tuple) else h}</th>' for h in COLUMNS)
        table = (
            # its own scrolling box (reachable by keyboard), so a phone page does not scroll sideways;
            # its label is split by coursebook-reader.js like every "한국어 · English" attribute
            '<div class="coursebook-status" tabindex="0" role="region" aria-label="실행 기록 · Execution record">'
            '<table class="table">'
            f"<caption>{pair_html('장별 실행 기록', 'Execution record per chapter')}</caption>"
            f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        )
        return [nodes.raw("", table, format="html")]


def setup(app: Sphinx) -> dict:
    app.add_config_value("coursebook_execution_manifest", "_build/execution.json", "env")
    app.connect("env-get-outdated", find_outdated)
    app.connect("doctree-read", remember)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("html-page-context", stamp)
    app.add_directive("execution-status", ExecutionStatus)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
