"""A second course from the generator: `python -m coursebook new` makes one (its own package, numpy only, no
torch), and it builds, checks and passes its own tests with the generator it was given."""

import os
import subprocess
import sys

import pytest


def run(folder, *command, **env):
    environ = {**os.environ, "PYTHONPATH": str(folder / "src"), "COURSEBOOK_DEVICE": "cpu", **env}
    return subprocess.run([sys.executable, *command], cwd=folder, env=environ, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    folder = tmp_path_factory.mktemp("courses") / "statistics"
    made = subprocess.run(
        [sys.executable, "-m", "coursebook", "new", str(folder), "--package", "stats", "--title-ko", "통계", "--title-en", "Statistics"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    return folder


def test_the_new_course_has_its_own_package_two_chapters_and_the_two_commands(course):
    assert sorted(p.name for p in (course / "src").iterdir()) == ["coursebook", "stats"]
    assert sorted(p.name for p in (course / "lectures").glob("*.md")) == ["01_mean.md", "02_spread.md"]
    makefile = (course / "Makefile").read_text()
    assert "\nbook:" in makefile and "\ntest:" in makefile
    assert "make book" in (course / "README.md").read_text() and "make test" in (course / "README.md").read_text()
    pins = (course / "requirements.txt").read_text().splitlines()
    assert any(p.startswith("jupyter-book==") for p in pins) and any(p.startswith("numpy==") for p in pins)
    assert not any(p.startswith(("torch==", "nnstep")) for p in pins)
    assert "nnstep" not in (course / "_config.yml").read_text()


@pytest.mark.build
def test_the_new_course_builds_checks_and_passes_its_tests(course):
    built = run(course, "-m", "coursebook", "build")
    assert built.returncode == 0, built.stdout + built.stderr
    assert "make check` would fail" not in built.stdout  # the scaffold's pairs come confirmed
    page = (course / "_build" / "html" / "lectures" / "01_mean.html").read_text(encoding="utf-8")
    assert "평균" in page and "The mean" in page
    tested = run(course, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert run(course, "-m", "coursebook", "check").returncode == 0
