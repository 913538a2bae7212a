"""Rebuilds never show a stale page, and never execute more than they must: what the README's
"How it works" promises for each kind of edit.

Every test starts from the same small book, built once: two small chapters, one that imports
the shared package and one that does not. Each test gets its own fresh copy of that build, at
the same path (the build's caches hold absolute paths), so each stands alone, in any order.
"""

import datetime
import json
import shutil
import subprocess
import sys
import textwrap

import pytest
import torch
from bs4 import BeautifulSoup

from small_book import chapter, page, small_book
from coursebook.build.repo_copy import build

pytestmark = pytest.mark.build

USES_PACKAGE = chapter(
    "패키지 · Uses the package",
    'from nnstep import describe, pick_device\nprint("device said:", describe(pick_device()))',
    prose="Prose of the first chapter.",
)
PLAIN = chapter("평범 · Plain Python", 'print("plain", 6 * 7)')
PAGES = ("book/index", "lectures/a_package", "lectures/b_plain", "book/glossary", "book/execution")


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    place = tmp_path_factory.mktemp("rebuild") / "book"
    small_book(place, {"a_package": USES_PACKAGE, "b_plain": PLAIN})
    first = build(place, COURSEBOOK_DEVICE="cpu")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "2 of 2 notebooks to run" in first.stdout
    pristine = place.parent / "pristine"
    place.rename(pristine)
    return place, pristine


@pytest.fixture
def repo(built_once):
    """The small book as its one build left it, at the path it was built in."""
    place, pristine = built_once
    shutil.rmtree(place, ignore_errors=True)
    shutil.copytree(pristine, place, symlinks=True)  # copies keep their times: nothing looks edited
    return place


def rebuild(repo, **env) -> subprocess.CompletedProcess:
    result = build(repo, **{"COURSEBOOK_DEVICE": "cpu", **env})
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def last_build(repo) -> dict:
    return json.loads((repo / "_build" / "execution.json").read_text())["last_build"]


def html(repo, docname: str) -> str:
    return (repo / "_build" / "html" / f"{docname}.html").read_text(encoding="utf-8")


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def cache_records(repo) -> int:
    return len(list((repo / "_build" / ".jupyter_cache" / "executed").iterdir()))


def test_noop_rebuild_executes_nothing(repo):
    records = cache_records(repo)
    result = rebuild(repo)
    assert "nothing changed since the last build" in result.stdout
    assert cache_records(repo) == records


def test_the_device_is_an_input_of_every_chapter(monkeypatch):
    """A build on another device runs every chapter again; the same device, however it was chosen, does not."""
    from coursebook.execution.executor import environment_fingerprint, machine_device

    assert environment_fingerprint("cpu") != environment_fingerprint("cuda")
    monkeypatch.setenv("COURSEBOOK_DEVICE", "cuda")
    assert machine_device() == "cuda" and environment_fingerprint() == environment_fingerprint("cuda")
    monkeypatch.delenv("COURSEBOOK_DEVICE")
    assert environment_fingerprint() == environment_fingerprint(machine_device())


def test_prose_edit_executes_nothing_and_shows_the_new_prose(repo):
    edit(repo / "lectures" / "a_package.md", "Prose of the first chapter.", "Edited prose, freshly written.")
    records = cache_records(repo)
    site = repo / "_build" / "html"
    result = rebuild(repo)
    assert "0 of 2 notebooks to run" in result.stdout
    assert cache_records(repo) == records
    assert "Edited prose, freshly written." in page(repo, "a_package")
    assert "Edited prose, freshly written." in (site / "_sources" / "lectures" / "a_package.ipynb").read_text(encoding="utf-8")


def test_code_edit_executes_that_chapter_only_and_the_status_page_and_stamps_say_so(repo):
    edit(repo / "lectures" / "b_plain.md", "6 * 7", "6 * 8")
    rebuild(repo)
    assert last_build(repo) == {"lectures/a_package": "cached", "lectures/b_plain": "executed"}
    assert "plain 48" in page(repo, "b_plain")

    status = BeautifulSoup(html(repo, "book/execution"), "html.parser")
    rows = {row.a["href"].rsplit("/", 1)[-1]: row.get_text(" ") for row in status.select("tbody tr")}
    assert set(rows) == {"a_package.html", "b_plain.html"}
    assert "cached" in rows["a_package.html"] and "executed" not in rows["a_package.html"]
    assert "executed" in rows["b_plain.html"] and "cached" not in rows["b_plain.html"]
    # Where each ran: the chapter that picks a device records it; the plain one records nothing.
    ran_on = {"a_package": ["cpu", f"torch {torch.__version__.split('+')[0]}"], "b_plain": ["not recorded"]}
    for name, facts in ran_on.items():
        [stamp] = BeautifulSoup(page(repo, name), "html.parser").select(".coursebook-stamp")
        for fact in facts:
            assert fact.split()[-1] in rows[f"{name}.html"], (fact, rows)
        for fact in (*facts, datetime.date.today().isoformat(), "commit unknown"):  # the copy is no git checkout
            assert fact in stamp.get_text(" "), (fact, stamp.get_text(" "))


def test_package_edit_reexecutes_its_users_and_the_page_shows_the_new_output(repo):
    edit(repo / "src" / "nnstep" / "device.py", "    return device.type\n", '    return device.type + " (edited in src)"\n')
    rebuild(repo)
    assert last_build(repo) == {"lectures/a_package": "executed", "lectures/b_plain": "cached"}
    assert "device said: cpu (edited in src)" in page(repo, "a_package")


def test_environment_change_reexecutes_everything(repo):
    with open(repo / "requirements.txt", "a") as requirements:
        requirements.write("# a changed environment\n")
    rebuild(repo)
    assert set(last_build(repo).values()) == {"executed"}


def test_new_chapter_is_scaffolded_built_and_found(repo):
    made = subprocess.run([sys.executable, "-m", "coursebook", "chapter", "c_new_topic"], cwd=repo, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    assert "lectures/c_new_topic" in (repo / "_toc.yml").read_text()
    rebuild(repo)
    text = page(repo, "c_new_topic")
    assert "device:" in text and 'lang="ko"' in text
    assert "c_new_topic.html" in html(repo, "book/index")


def test_a_deleted_chapters_page_leaves_the_site(repo):
    (repo / "lectures" / "b_plain.md").unlink()
    edit(repo / "_toc.yml", "  - file: lectures/b_plain\n", "")
    rebuild(repo)
    site = repo / "_build" / "html"
    assert not (site / "lectures" / "b_plain.html").exists()
    assert (site / "lectures" / "a_package.html").exists()
    for docname in ("book/index", "book/execution", "lectures/a_package"):
        assert "b_plain" not in html(repo, docname), docname
    index = sorted((site / "korean-search").glob("*.js"))  # the search index, split into files loaded on demand
    assert index and not any("b_plain" in part.read_text(encoding="utf-8") for part in index)


@pytest.mark.parametrize(
    "path, old, new",
    [
        ("book/index.md", "# 시험 · Test book", "# 시험 · Test book\n\nA new line on the landing page."),
        ("src/coursebook/chapters.py", '"""The book', '# an edited build tool\n"""The book'),
    ],
)
def test_an_edit_to_book_or_tools_is_not_a_noop_and_executes_nothing(repo, path, old, new):
    edit(repo / path, old, new)
    result = rebuild(repo)
    assert "nothing changed" not in result.stdout and "0 of 2 notebooks to run" in result.stdout
    if path.startswith("book/"):
        assert "A new line on the landing page." in html(repo, "book/index")


READ_MARKER = "read again by the edited extension"
EXTENSION_EDIT = textwrap.dedent(f"""

    _setup_before_the_edit = setup


    def setup(app):
        def mark(app, doctree):
            doctree += nodes.paragraph("", "{READ_MARKER}")

        app.connect("doctree-read", mark)
        return _setup_before_the_edit(app)
    """)


def append(path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as file:
        file.write(text)


def css_versions(repo) -> dict[str, str]:
    found = {}
    for docname in PAGES:
        link = BeautifulSoup(html(repo, docname), "html.parser").select_one('link[href*="coursebook-reader.css"]')
        found[docname] = link["href"].split("?v=")[-1]
    return found


@pytest.mark.parametrize("what", ["configuration", "extension", "template", "static file"])
def test_a_frame_edit_reaches_every_page(repo, what):
    """The frame (configuration, extensions, templates, static files) is shared by every page: an edit
    to it rebuilds every page, though no page's own source changed."""
    versions = css_versions(repo)
    if what == "configuration":
        edit(repo / "_config.yml", 'title: "신경망 기초 · Neural-network basics"', 'title: "Edited book title"')
        expected = "Edited book title"
    elif what == "extension":  # a change to what happens while a page is read
        append(repo / "src" / "coursebook" / "reader" / "language_switch.py", EXTENSION_EDIT)
        expected = READ_MARKER
    elif what == "template":
        for template in (repo / "src" / "coursebook" / "reader" / "templates").glob("*.html"):
            append(template, "<!-- an edited template -->\n")
        expected = "<!-- an edited template -->"
    else:
        # a rule every page can use (the published stylesheets keep no comments and no unused rules)
        append(repo / "src" / "coursebook" / "reader" / "static" / "coursebook-reader.css", "\nhtml { --an-edited-stylesheet: 1; }\n")
        expected = None
    rebuild(repo)
    if expected:
        for docname in PAGES:
            assert expected in html(repo, docname), docname
    else:
        assert "--an-edited-stylesheet: 1" in (repo / "_build" / "html" / "_static" / "coursebook-reader.css").read_text()
        new_versions = css_versions(repo)
        assert all(new_versions[d] != versions[d] for d in PAGES), (versions, new_versions)  # no page keeps the old one


def test_a_new_commit_restamps_every_chapter(repo):
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org"]
    for command in (["init", "--quiet"], ["add", "-A"], ["commit", "--quiet", "-m", "a commit"]):
        subprocess.run(git + command, cwd=repo, check=True, capture_output=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
    result = rebuild(repo)
    assert "nothing changed" not in result.stdout and "0 of 2 notebooks to run" in result.stdout
    for name in ("a_package", "b_plain"):
        [stamp] = BeautifulSoup(page(repo, name), "html.parser").select(".coursebook-stamp")
        assert f"commit {commit}" in stamp.get_text(" ")
