"""A chapter always runs this checkout's own shared package (tools/execute.py): in a copy of the
repository that shares this checkout's virtual environment, whose editable install points at this
checkout's src/, the copy's chapters import the copy's src/; and a build refuses, with one clear
line, to run chapters that would import the package from anywhere else."""

import os
import subprocess
import sys

import nbformat
import pytest

from small_book import chapter, page, small_book
from coursebook.execution import executor as execute

pytestmark = pytest.mark.build

SAYS_WHERE = chapter("어디 · Where", 'import nnstep\nprint("package from:", getattr(nnstep, "WHERE", "another checkout"))')


def build_as_a_user_would(repo, *options: str) -> subprocess.CompletedProcess:
    """`make book` in the copy with this checkout's venv, and no PYTHONPATH pointing anywhere."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, "-m", "coursebook", "build", *options],
        cwd=repo,
        env={**env, "COURSEBOOK_DEVICE": "cpu"},
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def copy(tmp_path):
    repo = small_book(tmp_path / "copy", {"a_where": SAYS_WHERE})
    with open(repo / "src" / "nnstep" / "__init__.py", "a", encoding="utf-8") as init:
        init.write('\nWHERE = "this copy"\n')
    return repo


def test_the_venvs_own_import_would_be_the_other_checkouts(copy):
    """The premise: outside a build, this venv's python imports the first checkout's package."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = subprocess.run(
        [sys.executable, "-c", "import nnstep; print(getattr(nnstep, 'WHERE', 'another checkout'))"],
        cwd=copy / "lectures",
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where == "another checkout\n"


@pytest.mark.parametrize("kernels", ["warm", "fresh"])
def test_a_copy_sharing_the_venv_runs_its_own_package(copy, kernels):
    result = build_as_a_user_would(copy, *(["--fresh-kernels"] if kernels == "fresh" else []))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "package from: this copy" in page(copy, "a_where")


def test_a_package_shadowing_this_checkouts_is_refused_with_one_line(copy):
    (copy / "lectures" / "nnstep").mkdir()
    (copy / "lectures" / "nnstep" / "__init__.py").write_text('WHERE = "a shadow"\n')
    result = build_as_a_user_would(copy)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert f"would import nnstep from {copy / 'lectures' / 'nnstep' / '__init__.py'}, not from this checkout's src/" in output
    assert not (copy / "_build" / "html").exists(), "nothing ran, nothing was published"


def test_the_shared_packages_are_what_src_holds(tmp_path, monkeypatch):
    """Generic: the names come from src/ (a package and a module here), never from the book's own name."""
    (tmp_path / "course_kit").mkdir()
    (tmp_path / "course_kit" / "__init__.py").write_text("")
    (tmp_path / "helpers.py").write_text("")
    (tmp_path / "notes").mkdir()  # not a package
    monkeypatch.setattr(execute, "SHARED", tmp_path)
    assert execute.shared_packages() == ["course_kit", "helpers"]
    # The execution key names the course's own folders (`coursebook: execution_key:`), never the book's name.
    monkeypatch.setattr(execute, "settings", lambda: {"execution_key": ["src/course_kit", "src/kit/runtime"]})
    assert execute.package_names() == ["course_kit", "kit.runtime"]
    uses = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("from course_kit import fit")])
    plain = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")])
    assert execute.dependency_key(uses, "env", "pkg1") != execute.dependency_key(uses, "env", "pkg2"), "its users re-run"
    assert execute.dependency_key(plain, "env", "pkg1") == execute.dependency_key(plain, "env", "pkg2")


def test_the_kernels_path_starts_with_this_checkouts_src(monkeypatch):
    """Also when the generator itself is installed from elsewhere (a course without src/coursebook),
    where nothing re-runs the command with this checkout's src/ first."""
    monkeypatch.delenv("PYTHONPATH", raising=False)
    path = execute._kernel_environment(1)["PYTHONPATH"].split(os.pathsep)
    assert path[0] == str(execute.SHARED)
