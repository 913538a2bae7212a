"""README promises that no other test covered: `make serve` rebuilds on save, a chapter importing
myst_nb fails the build, stale chapters run longest first, `make translations-ok` without FILE.
Each on a small book (tests/small_book.py) or on the executor alone: seconds, not the whole book."""

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from small_book import chapter, read_until, small_book, started_build
from coursebook.execution import executor as execute
from coursebook.chapters import Chapter
from coursebook.build.repo_copy import build

MAKE = ("make", "-o", ".venv/.installed", f"PY={sys.executable}")  # the copy has no .venv of its own


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.mark.build
def test_make_serve_serves_the_book_and_rebuilds_on_save(tmp_path, monkeypatch):
    repo = small_book(tmp_path / "book", {"a_served": chapter("미리보기 · Preview", "print(6 * 7)", prose="First prose.")})
    port = free_port()
    monkeypatch.setenv("PORT", str(port))
    with started_build(repo, *MAKE, "serve") as serve:
        read_until(serve, f"serving http://127.0.0.1:{port}/")
        url = f"http://127.0.0.1:{port}"
        first = fetch(f"{url}/lectures/a_served.html")
        assert "First prose." in first and "/__build__" in first, "the page, with the script that reloads it"
        assert fetch(f"{url}/__build__") == "1"
        source = repo / "lectures" / "a_served.md"
        source.write_text(source.read_text(encoding="utf-8").replace("First prose.", "Edited prose."), encoding="utf-8")
        deadline = time.monotonic() + 120  # polled, not read from its output: a serve that never rebuilds prints nothing
        while fetch(f"{url}/__build__") != "2":  # the open page reloads when this changes
            assert time.monotonic() < deadline, "no rebuild within 2 minutes of the save"
            time.sleep(0.5)
        edited = fetch(f"{url}/lectures/a_served.html")
        assert "Edited prose." in edited and "First prose." not in edited


@pytest.mark.build
def test_the_build_fails_on_a_chapter_that_imports_myst_nb(tmp_path):
    repo = small_book(
        tmp_path / "book",
        {
            "a_myst_nb": chapter(
                "글루 · Glue", 'from myst_nb import glue\nglue("x", "1", display=False)', prose="The value is {glue:text}`x`."
            )
        },
    )
    result = build(repo, COURSEBOOK_DEVICE="cpu")
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "a_myst_nb.md imports myst_nb, which its notebook does not install: use `from coursebook.runtime import glue`"
        in result.stdout + result.stderr
    )
    assert not (repo / "_build" / "html").exists(), "nothing published"


def test_stale_chapters_run_longest_first_by_their_last_run_time(tmp_path, monkeypatch):
    """The executor starts the stale chapters in order of their recorded time; a chapter never run is
    guessed from its size. One worker, so the order they start in is the order they run in."""
    chapters = {}
    for name, size in (("short", 1), ("long", 1), ("new_small", 1), ("middle", 1), ("new_big", 8)):
        path = tmp_path / "lectures" / f"{name}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(chapter(name, f"print({name!r})", prose="x" * (size * 2500)), encoding="utf-8")
        chapters[name] = Chapter(path, f"lectures/{name}")
    executor = execute.Executor(tmp_path / "build", warm_kernels=False, cache_dir=tmp_path / "cache")
    executor.manifest["chapters"] = {
        "lectures/short": {"seconds": 2.0},
        "lectures/long": {"seconds": 90.0},
        "lectures/middle": {"seconds": 30.0},
    }
    monkeypatch.setattr(execute, "PARSED", tmp_path / "parsed")
    started = []
    monkeypatch.setattr(
        execute.Executor,
        "_execute",
        lambda self, c, nb, key, threads, manager: (
            started.append(c.docname.removeprefix("lectures/")) or execute.Outcome(c, "executed", 0.0)
        ),
    )
    executor.run(list(chapters.values()), workers=1)
    assert started == ["long", "middle", "new_big", "short", "new_small"]


def test_make_translations_ok_without_file_confirms_every_chapter(tmp_path):
    repo = small_book(
        tmp_path / "book",
        {
            "a_one": chapter("하나 · One", "print(1)", prose=":::{ko}\n첫 문단.\n:::\n\n:::{en}\nThe first paragraph.\n:::"),
            "b_two": chapter("둘 · Two", "print(2)", prose=":::{ko}\n둘째 문단.\n:::\n\n:::{en}\nThe second paragraph.\n:::"),
        },
    )
    check = lambda: subprocess.run([sys.executable, "-m", "coursebook", "check"], cwd=repo, capture_output=True, text=True, timeout=120)
    before = check()
    assert before.returncode == 1
    assert "a_one.md" in before.stderr and "b_two.md" in before.stderr and "not yet confirmed" in before.stderr
    result = subprocess.run([*MAKE, "translations-ok"], cwd=repo, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "confirmed 2 Korean/English pairs in lectures/a_one.md" in result.stdout
    assert "confirmed 2 Korean/English pairs in lectures/b_two.md" in result.stdout
    after = check()
    assert after.returncode == 0, after.stderr
