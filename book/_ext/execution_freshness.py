"""Re-read a page whenever its chapter was executed again.

tools/execute.py re-runs a chapter when the shared package or the environment
changed, although the chapter's own file did not; Sphinx would not notice and
keep the old page. This extension compares each page's execution key with the
one stored when the page was last read, and marks the page outdated when they
differ.
"""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

ATTRIBUTE = "nnstep_execution_keys"


def _manifest(app: Sphinx) -> dict:
    path = Path(app.srcdir, app.config.nnstep_execution_manifest)
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _key(app: Sphinx, docname: str) -> str | None:
    return _manifest(app).get(docname, {}).get("key")


def find_outdated(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    stored = getattr(env, ATTRIBUTE, {})
    manifest = _manifest(app)
    return [
        docname
        for docname in env.found_docs
        if docname not in changed and manifest.get(docname, {}).get("key") != stored.get(docname)
    ]


def remember(app: Sphinx, doctree) -> None:
    env = app.env
    if not hasattr(env, ATTRIBUTE):
        setattr(env, ATTRIBUTE, {})
    getattr(env, ATTRIBUTE)[env.docname] = _key(app, env.docname)


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, ATTRIBUTE, {}).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    mine = getattr(env, ATTRIBUTE, {})
    mine.update({d: k for d, k in getattr(other, ATTRIBUTE, {}).items() if d in docnames})
    setattr(env, ATTRIBUTE, mine)


def setup(app: Sphinx) -> dict:
    app.add_config_value("nnstep_execution_manifest", "_build/execution.json", "env")
    app.connect("env-get-outdated", find_outdated)
    app.connect("doctree-read", remember)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
