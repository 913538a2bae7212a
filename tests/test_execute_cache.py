"""The executor's cached notebook must be the one myst-nb finds when Sphinx reads the page."""

from pathlib import Path

from jupyter_cache import get_cache

from tools.chapters import FRONT_MATTER, Chapter
from tools.execute import Executor, read_notebook

CHAPTER = FRONT_MATTER + """
# t

```{code-cell} ipython3
1 + 1
```

```{code-cell} ipython3
:tags: [remove-input]
print("two")
```
"""


def test_executed_chapter_matches_a_fresh_read(tmp_path: Path):
    path = tmp_path / "tiny.md"
    path.write_text(CHAPTER, encoding="utf-8")
    chapter = Chapter(path, "tiny")
    executor = Executor(tmp_path / "build")
    executor.cache = get_cache(str(tmp_path / "cache"))
    outcome = executor._execute(chapter, read_notebook(chapter), threads=1)
    assert outcome.status == "executed", outcome.error
    # what myst-nb does at Sphinx time: read the file again and look it up
    record = executor.cache.match_cache_notebook(read_notebook(chapter))
    _, merged = executor.cache.merge_match_into_notebook(read_notebook(chapter))
    assert record.uri == str(path)
    assert merged.cells[-1].outputs[0]["text"] == "two\n"
