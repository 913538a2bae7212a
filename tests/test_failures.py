"""Each way a build can fail: a clear non-zero exit that names the file and the fix,
and the last good site left exactly as it was.

Every test breaks a temporary copy of the repository that carries the built site and
the execution cache, so only the broken chapter runs.
"""

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from coursebook.chapters import FRONT_MATTER
from coursebook.build.repo_copy import build, copy_repo

pytestmark = pytest.mark.build

ROOT = Path(__file__).resolve().parent.parent


class Book:
    """A copy of the repository to break."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.site = root / "_build" / "html"

    def write(self, relpath: str, text: str | bytes) -> None:
        path = self.root / relpath
        path.write_bytes(text if isinstance(text, bytes) else text.encode())

    def add_chapter(self, name: str, body: str, front_matter: str = FRONT_MATTER + "\n") -> None:
        self.write(f"lectures/{name}.md", front_matter + f"# {name}\n\n" + body)
        self.list_in_toc(name)

    def list_in_toc(self, name: str) -> None:
        toc = (self.root / "_toc.yml").read_text()
        self.write("_toc.yml", toc.replace("  - file: book/glossary", f"  - file: lectures/{name}\n  - file: book/glossary"))

    def build(self, **env: str) -> subprocess.CompletedProcess:
        return build(self.root, timeout=300, **env)

    def snapshot(self) -> dict[str, str]:
        return {
            p.relative_to(self.site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(self.site.rglob("*"))
            if p.is_file()
        }

    def fails(self, *expected: str, **env: str) -> str:
        """Build; check the exit, the message and the untouched site; return the message."""
        before = self.snapshot()
        result = self.build(**env)
        message = result.stderr
        assert result.returncode != 0, result.stdout + result.stderr
        assert "make book FAILED" in message
        for text in expected:
            assert text in message, f"{text!r} not in:\n{message}"
        assert self.snapshot() == before, "the last good site changed"
        assert not (self.root / "_build" / "html.incoming").exists()
        assert (self.root / "_build" / "reports" / "failure.txt").read_text().strip() in message
        print(message)
        return message


@pytest.fixture
def book(built_site, tmp_path) -> Book:
    copy = copy_repo(tmp_path / "book", with_cache=True)
    shutil.copytree(ROOT / "_build" / "html", copy / "_build" / "html")
    return Book(copy)


def test_the_copy_runs_only_what_is_broken(book):
    """What keeps each test here short: the copy finds every chapter in the cache it brought (a file
    of the checkout that copies leave out, such as pip's egg-info, must not be one of the inputs)."""
    result = book.build()
    assert result.returncode == 0 and "execute: 0 of" in result.stdout, result.stdout + result.stderr


def test_a_chapter_that_raises_names_chapter_cell_and_error(book):
    book.add_chapter(
        "99_raises", "```{code-cell} ipython3\nx = 1\n```\n\n```{code-cell} ipython3\nraise ValueError('the loss is nan')\n```\n"
    )
    book.fails("lectures/99_raises.md, line 18 (code cell 2): ValueError: the loss is nan", "raise ValueError")
    assert "Traceback" in (book.root / "_build/reports/lectures__99_raises.log").read_text()


def test_a_chapter_that_never_ends_hits_the_cell_timeout(book):
    book.write("_config.yml", (book.root / "_config.yml").read_text().replace("timeout: 300", "timeout: 3"))
    book.add_chapter("99_forever", "```{code-cell} ipython3\nimport time\nwhile True:\n    time.sleep(0.1)\n```\n")
    book.fails("lectures/99_forever.md, line 14 (code cell 1): the cell ran longer than the 3 s time limit")


def test_a_chapter_whose_kernel_dies_names_the_cell_that_killed_it(book):
    book.add_chapter("99_dies", "```{code-cell} ipython3\nx = 1\n```\n\n```{code-cell} ipython3\nimport os\nos._exit(3)\n```\n")
    book.fails("lectures/99_dies.md, line 18 (code cell 2): the Python kernel died while running this cell", "os._exit(3)")


def test_a_chapter_saved_again_while_it_runs_is_not_kept(book):
    # As when an instructor saves during `make serve`'s rebuild: the results belong to the old code.
    book.add_chapter(
        "99_saved",
        "```{code-cell} ipython3\nimport pathlib\npage = pathlib.Path('99_saved.md')\n"
        "page.write_text(page.read_text().replace('# version 1', '# version 2'))  # version 1\n```\n",
    )
    book.fails("lectures/99_saved.md was changed while it ran, so its results were not kept. Run `make book` again")


def test_malformed_dot_in_a_chapter_carries_graphvizs_reason(book):
    book.add_chapter("99_bad_dot", "```{code-cell} ipython3\nfrom nnstep import gv\ngv('\"a\" -> ', alt='broken')\n```\n")
    book.fails(
        "lectures/99_bad_dot.md, line 14 (code cell 1): DiagramError: Graphviz could not draw this diagram",
        "syntax error in line 1",
        "Fix the DOT source",
    )


def test_a_broken_reference_and_a_missing_image_name_file_and_line(book):
    book.add_chapter("99_refs", "See {ref}`no-such-label`.\n\n![a missing plot](missing.png)\n", front_matter="")
    book.fails("lectures/99_refs.md:3: WARNING", "no-such-label", "lectures/99_refs.md:5: WARNING", "missing.png")


def test_a_page_that_would_leak_a_build_machine_path_is_not_published(book):
    book.add_chapter("99_leak", "```{code-cell} ipython3\nimport os\nprint(os.getcwd())\n```\n")
    book.fails("The built site has problems, so it was not published", "lectures/99_leak.html: contains the repository's absolute path")


def test_a_toc_entry_without_a_file(book):
    book.list_in_toc("99_ghost")
    book.fails("_toc.yml lists files that do not exist: lectures/99_ghost.md")


def test_a_chapter_missing_from_the_toc(book):
    book.write("lectures/99_orphan.md", "# orphan\n")
    book.fails('chapters missing from _toc.yml: lectures/99_orphan.md. Add "- file: lectures/99_orphan" under chapters: in _toc.yml')


def test_a_chapter_that_is_not_utf8(book):
    book.write("lectures/99_latin1.md", "# caf\xe9\n".encode("latin-1"))
    book.list_in_toc("99_latin1")
    book.fails("lectures/99_latin1.md is not valid UTF-8 (line 1, byte 5)", "Save it as UTF-8")


@pytest.mark.parametrize(
    "front_matter, expected",
    [
        (
            "---\nkernelspec: [python3\n---\n",
            "lectures/99_front.md, line 2 (expected ',' or ']', but got '<stream end>'): the front matter is not valid YAML",
        ),
        ("---\nkernelspec:\n  name: python3\n", "lectures/99_front.md: the front matter opened by '---' on line 1 is never closed"),
    ],
)
def test_broken_front_matter(book, front_matter, expected):
    book.add_chapter("99_front", "text\n", front_matter=front_matter)
    book.fails(expected)


def test_missing_graphviz_is_caught_before_anything_runs(book, tmp_path):
    shim = tmp_path / "shim" / "pygraphviz"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text("raise ImportError('libcgraph.so.6: cannot open shared object file')\n")
    book.fails(
        "required tools are missing or broken",
        "pygraphviz (Graphviz, which draws the diagrams",
        "libcgraph.so.6",
        "rm -rf .venv && make book",
        PYTHONPATH=str(shim.parent),
    )
