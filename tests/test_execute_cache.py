"""The executor's cached notebook must be the one myst-nb finds when Sphinx reads the page."""

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from jupyter_cache import get_cache

from coursebook.execution import executor as execute
from coursebook.chapters import FRONT_MATTER, Chapter
from coursebook.execution.executor import Executor, read_notebook

CHAPTER = (
    FRONT_MATTER
    + """
# t

```{code-cell} ipython3
1 + 1
```

```{code-cell} ipython3
:tags: [remove-input]
print("two")
```
"""
)


def test_executed_chapter_matches_a_fresh_read(tmp_path: Path):
    path = tmp_path / "tiny.md"
    path.write_text(CHAPTER, encoding="utf-8")
    chapter = Chapter(path, "tiny")
    executor = Executor(tmp_path / "build")
    executor.cache = get_cache(str(tmp_path / "cache"))
    outcome = executor._execute(chapter, read_notebook(chapter), key="k", threads=1)
    assert outcome.status == "executed", outcome.error
    # what myst-nb does at Sphinx time: read the file again and look it up
    record = executor.cache.match_cache_notebook(read_notebook(chapter))
    _, merged = executor.cache.merge_match_into_notebook(read_notebook(chapter))
    assert record.uri == str(path)
    assert merged.cells[-1].outputs[0]["text"] == "two\n"


def test_chapters_finishing_together_in_a_new_cache_are_all_stored(tmp_path: Path):
    """jupyter-cache creates its database on first use without a lock; the executor must not race it."""
    chapters = []
    for number in range(8):
        path = tmp_path / f"ch{number}.md"
        path.write_text(CHAPTER.replace("1 + 1", f"{number} + 1"), encoding="utf-8")
        chapters.append(Chapter(path, f"ch{number}"))
    executor = Executor(tmp_path / "build")
    executor.cache = get_cache(str(tmp_path / "cache"))
    start = threading.Barrier(len(chapters))

    def store(chapter: Chapter) -> None:
        start.wait()
        executor._store(chapter, read_notebook(chapter), {"key": "k", "seconds": 1.0})

    with ThreadPoolExecutor(len(chapters)) as pool:
        list(pool.map(store, chapters))  # re-raises the first error ("no such table: nbcache")
    assert len(executor.cache.list_cache_records()) == len(chapters)


def test_a_chapter_is_parsed_again_only_when_its_text_changed(tmp_path: Path, monkeypatch):
    """read_notebook keeps each parse in _build/parsed/; an unchanged chapter is not parsed again."""
    monkeypatch.setattr(execute, "PARSED", tmp_path / "parsed")
    parses = []
    parse = execute.parse_chapter
    monkeypatch.setattr(execute, "parse_chapter", lambda *a, **k: parses.append(1) or parse(*a, **k))
    path = tmp_path / "tiny.md"
    path.write_text(CHAPTER, encoding="utf-8")
    chapter = Chapter(path, "tiny")

    first = read_notebook(chapter)
    assert read_notebook(chapter) == first and len(parses) == 1  # the kept parse

    path.write_text(CHAPTER.replace("1 + 1", "2 + 2"), encoding="utf-8")
    edited = read_notebook(chapter)
    assert [c.source for c in edited.cells if c.cell_type == "code"][0] == "2 + 2" and len(parses) == 2

    (tmp_path / "parsed" / "tiny.json").write_text("{not json", encoding="utf-8")  # a kept parse cut short
    again = read_notebook(chapter)
    assert [c.source for c in again.cells] == [c.source for c in edited.cells] and len(parses) == 3  # (new random cell ids)
