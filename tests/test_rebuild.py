"""Rebuilds never show a stale page, and never execute more than they must.

Built in a copy with two small chapters: one imports the shared package, one does not.
"""

import json
import textwrap

import pytest

from tools.chapters import FRONT_MATTER
from tools.repo_copy import build, copy_repo

pytestmark = pytest.mark.build

USES_PACKAGE = FRONT_MATTER + textwrap.dedent("""\
    # 패키지 · Uses the package

    Prose of the first chapter.

    ```{code-cell} ipython3
    from nnstep import describe, pick_device
    print("device said:", describe(pick_device()))
    ```
    """)
PLAIN = FRONT_MATTER + textwrap.dedent("""\
    # 평범 · Plain Python

    ```{code-cell} ipython3
    print("plain", 6 * 7)
    ```
    """)


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    repo = copy_repo(tmp_path_factory.mktemp("rebuild") / "repo")
    for chapter in (repo / "lectures").glob("*.md"):
        chapter.unlink()
    (repo / "book" / "index.md").write_text("# 시험 · Test book\n\n```{tableofcontents}\n```\n", encoding="utf-8")
    (repo / "lectures" / "a_package.md").write_text(USES_PACKAGE, encoding="utf-8")
    (repo / "lectures" / "b_plain.md").write_text(PLAIN, encoding="utf-8")
    (repo / "_toc.yml").write_text(
        "format: jb-book\nroot: book/index\nchapters:\n  - file: lectures/a_package\n  - file: lectures/b_plain\n"
        "  - file: book/glossary\n  - file: book/execution\n"
    )
    first = build(repo, NNSTEP_DEVICE="cpu")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "2 of 2 notebooks to run" in first.stdout
    return repo


def last_build(repo) -> dict:
    return json.loads((repo / "_build" / "execution.json").read_text())["last_build"]


def page(repo, name: str) -> str:
    return (repo / "_build" / "html" / "lectures" / f"{name}.html").read_text(encoding="utf-8")


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def cache_records(repo) -> int:
    return len(list((repo / "_build" / ".jupyter_cache" / "executed").iterdir()))


def test_noop_rebuild_executes_nothing(repo):
    records = cache_records(repo)
    result = build(repo, NNSTEP_DEVICE="cpu")
    assert result.returncode == 0, result.stderr
    assert "nothing changed since the last build" in result.stdout
    assert cache_records(repo) == records


def test_changed_device_setting_is_not_a_noop(repo):
    result = build(repo, NNSTEP_DEVICE="")  # the environment's device choice is an input too
    assert result.returncode == 0, result.stderr
    assert "2 of 2 notebooks to run" in result.stdout
    result = build(repo, NNSTEP_DEVICE="cpu")
    assert "2 of 2 notebooks to run" in result.stdout


def test_prose_edit_executes_nothing_and_shows_the_new_prose(repo):
    edit(repo / "lectures" / "a_package.md", "Prose of the first chapter.", "Edited prose, freshly written.")
    records = cache_records(repo)
    result = build(repo, NNSTEP_DEVICE="cpu")
    assert result.returncode == 0, result.stderr
    assert "0 of 2 notebooks to run" in result.stdout
    assert cache_records(repo) == records
    assert "Edited prose, freshly written." in page(repo, "a_package")


def test_code_edit_executes_that_chapter_only(repo):
    edit(repo / "lectures" / "b_plain.md", "6 * 7", "6 * 8")
    result = build(repo, NNSTEP_DEVICE="cpu")
    assert result.returncode == 0, result.stderr
    assert last_build(repo) == {"lectures/a_package": "cached", "lectures/b_plain": "executed"}
    assert "plain 48" in page(repo, "b_plain")


def test_package_edit_reexecutes_its_users_and_the_page_shows_the_new_output(repo):
    edit(repo / "src" / "nnstep" / "device.py", "    return device.type\n", '    return device.type + " (edited in src)"\n')
    result = build(repo, NNSTEP_DEVICE="cpu")
    assert result.returncode == 0, result.stderr
    assert last_build(repo) == {"lectures/a_package": "executed", "lectures/b_plain": "cached"}
    assert "device said: cpu (edited in src)" in page(repo, "a_package")


def test_environment_change_reexecutes_everything(repo):
    with open(repo / "requirements.txt", "a") as requirements:
        requirements.write("# a changed environment\n")
    result = build(repo, NNSTEP_DEVICE="cpu")
    assert result.returncode == 0, result.stderr
    assert set(last_build(repo).values()) == {"executed"}


def test_new_chapter_is_scaffolded_built_and_found(repo):
    import subprocess
    import sys

    made = subprocess.run([sys.executable, "-m", "tools.new_chapter", "c_new_topic"], cwd=repo, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    assert "lectures/c_new_topic" in (repo / "_toc.yml").read_text()
    result = build(repo, NNSTEP_DEVICE="cpu")
    assert result.returncode == 0, result.stdout + result.stderr
    html = page(repo, "c_new_topic")
    assert "device:" in html and 'lang="ko"' in html
    assert "c_new_topic.html" in (repo / "_build" / "html" / "book" / "index.html").read_text(encoding="utf-8")
