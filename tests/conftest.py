"""Shared fixtures: the book built once per test session, and readers for its chapter pages."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items):
    """A test that uses the built site builds the book: mark it, so `-m "not build"` builds nothing."""
    for item in items:
        if "built_site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.build)


@pytest.fixture(scope="session")
def built_site() -> Path:
    """Build the book once per test session, as `make book` does (cached executions make repeats fast)."""
    result = subprocess.run([sys.executable, "-m", "coursebook", "build"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def cpu_site(built_site, tmp_path_factory) -> Path:
    """A site whose chapters all ran on the CPU, where the lecture's printed numbers reproduce bit for bit.

    That is the session's site on a machine without a GPU. On a GPU machine the session's site ran on
    CUDA, so this builds a copy on the CPU once (its own build: a number check must never skip).
    """
    record = json.loads((ROOT / "_build" / "execution.json").read_text())
    if all(run.get("device") == "cpu" for run in record["chapters"].values()):
        return built_site
    from coursebook.build.repo_copy import build, copy_repo

    repo = copy_repo(tmp_path_factory.mktemp("cpu") / "repo", with_cache=True)
    result = build(repo, COURSEBOOK_DEVICE="cpu")
    assert result.returncode == 0, result.stdout + result.stderr
    return repo / "_build" / "html"


@pytest.fixture(scope="session")
def chapter_html(built_site):
    """name -> the built page of lectures/<name>.md, as text."""
    return lambda name, site=built_site: (site / "lectures" / f"{name}.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def chapter_article(chapter_html):
    """name -> the <article> of the chapter's built page, parsed."""
    return lambda name, site=None: BeautifulSoup(
        chapter_html(name) if site is None else chapter_html(name, site), "html.parser"
    ).select_one("article")


def chapter_source(name: str) -> str:
    """The MyST source of lectures/<name>.md."""
    return (ROOT / "lectures" / f"{name}.md").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def source():
    return chapter_source
