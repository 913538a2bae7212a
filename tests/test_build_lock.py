"""One build at a time per checkout: a second `make book` (or `make serve`'s rebuild, which runs
the same builder) says a build is running, waits for it, then does only what is still stale."""

import sys

import pytest

from small_book import read_until, small_book, started_build, waiting_chapter

pytestmark = pytest.mark.build


def test_a_second_build_waits_for_the_first_then_does_only_what_is_still_stale(tmp_path):
    repo = small_book(tmp_path / "book", {"a_slow": waiting_chapter("느림 · Slow", "'slow chapter done'")})
    builder = (sys.executable, "-m", "coursebook", "build")
    with started_build(repo, *builder) as first:
        first_output = read_until(first, "running lectures/a_slow.md")
        with started_build(repo, *builder) as second:
            said = read_until(second, "another build is running")
            assert f"another build is running in this checkout (process {first.pid}); waiting for it to finish" in said
            (repo / "go").touch()
            first_output += first.communicate(timeout=300)[0]
            second_output = said + second.communicate(timeout=300)[0]
    assert first.returncode == 0, first_output
    assert second.returncode == 0, second_output
    assert "1 of 1 notebooks to run" in first_output
    assert "nothing changed since the last build" in second_output and "notebooks to run" not in second_output
