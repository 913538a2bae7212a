"""`make import`: notebooks (Colab, Quarto, Jupyter) in, chapters in the book's conventions out.

The notebooks are the fixtures of tests/fixtures/notebooks (written by write_fixtures.py there).
Each test imports into a folder holding only what the importer touches: lectures/ and _toc.yml.
tests/test_import_build.py builds the imported chapters.
"""

import base64
import json
import os
from pathlib import Path

import pytest
import yaml

from coursebook.importer import ImportRefused, import_notebooks
from coursebook.importer import placing
from coursebook.importer.__main__ import main

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
TOC = "format: jb-book\nroot: book/index\nchapters:\n  - file: lectures/01_intro\n  - file: book/glossary\n"


@pytest.fixture
def book(tmp_path: Path) -> Path:
    (tmp_path / "lectures").mkdir()
    (tmp_path / "lectures" / "01_intro.md").write_text("# Intro\n", encoding="utf-8")
    (tmp_path / "_toc.yml").write_text(TOC, encoding="utf-8")
    return tmp_path


def imported(book: Path, name: str) -> tuple[str, list[str], dict]:
    """The chapter's text, the report's lines and its front matter."""
    [chapter] = import_notebooks([FIXTURES / f"{name}.ipynb"], book)
    text = (book / "lectures" / f"{chapter.name}.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    return text, chapter.notes, front


def state(book: Path) -> dict[str, bytes]:
    return {p.relative_to(book).as_posix(): p.read_bytes() for p in sorted(book.rglob("*")) if p.is_file()}


def test_colab_export_loses_its_badge_and_metadata_and_keeps_math_tables_and_title(book):
    text, notes, front = imported(book, "colab_export")
    assert "colab.research.google.com" not in text and "Open In Colab" not in text
    for key in ("outputId", "base_uri", "provenance", "accelerator", "colab", "id:"):
        assert key not in text
    assert front == {
        "jupytext": {"text_representation": {"extension": ".md", "format_name": "myst"}},
        "kernelspec": {"name": "python3", "display_name": "Python 3"},
    }
    assert "\n# 평균과 분산\n" in text
    assert "$$\\bar x = \\frac{1}{n}\\sum_{i=1}^n x_i$$" in text
    assert "| 2.5 | 평균 |" in text
    assert ":::{ko}\n이 강의에서는" in text
    assert "cell 1: dropped an 'Open in Colab' badge" in "\n".join(notes)
    assert "cell 6: dropped an 'Open in Colab' badge" in "\n".join(notes)  # the text link in the last cell
    assert ":tags: [skip-execution]\n\n!pip install" in text
    assert ":tags: [remove-stderr]\n\nimport warnings" in text
    assert any(n.startswith("cell 5: wrote to stderr") for n in notes)
    assert "```{code-cell} ipython3\nxs = [1, 2, 3, 4]" in text  # written as the book's chapters are
    assert (book / "_toc.yml").read_text() == TOC.replace("01_intro\n", "01_intro\n  - file: lectures/02_colab_export\n")


def test_quarto_front_matter_options_and_shortcodes_are_mapped_or_reported(book):
    text, notes, front = imported(book, "quarto_lecture")
    report = "\n".join(notes)
    assert front["author"] == "김 교수" and front["date"] == "2026-03-02" and "title" not in front
    body = text.split("---\n", 2)[2]
    assert "format: html" not in body and "title:" not in body
    assert body.lstrip().startswith("# 회귀 입문")
    assert ":tags: [remove-input]\n\nprint('hidden code" in text
    assert ":tags: [remove-output]\n\nprint('shown code" in text
    assert ":tags: [raises-exception]\n\n#| label: fig-none\nint('not a number')" in text
    assert "#| echo" not in text and "#| error" not in text
    assert "cell 6: Quarto option 'label: fig-none' has no equivalent" in report
    assert "```{video} https://www.youtube.com/watch?v=abc123XYZ_0\n```" in text
    assert "{{<" not in text.replace("`{{< meta title >}}`", "")  # no shortcode left for MyST to choke on
    assert "cell 2: Quarto shortcode '{{< meta title >}}' has no equivalent" in report
    assert "cell 2: dropped a {{< pagebreak >}}" in report
    assert ":::{note}\n참고: 다음 셀은 코드를 숨깁니다.\n:::" in text and "callout" not in text
    assert ":::{ko}\n<details><summary>풀이</summary>\n\n빈 줄을 사이에 둔 풀이입니다.\n\n</details>\n:::" in text  # one block
    # the video belongs to both languages: it stands outside the Korean blocks around it
    before, after = text.split("```{video}")
    assert before.count(":::{ko}") == before.count("\n:::\n") and after.startswith(" https://")


def test_saved_errors_and_tags_become_deliberate_errors(book):
    text, notes, _ = imported(book, "deliberate_errors")
    assert text.count(":tags: [raises-exception]") == 2
    assert ":tags: [raises-exception]\n\nl+2" in text and ":tags: [raises-exception]\n\n{'a': 1}['b']" in text
    assert "cell 3: its saved output is an error (TypeError)" in "\n".join(notes)
    assert "Traceback" not in text and "\x1b" not in text  # saved outputs are not imported: the build runs the cells


def test_images_are_kept_as_files_and_scripts_neutralised(book):
    text, notes, _ = imported(book, "images_and_scripts")
    folder = book / "lectures" / "images" / "02_images_and_scripts"
    nb = json.loads((FIXTURES / "images_and_scripts.ipynb").read_text())
    attached = base64.b64decode(nb["cells"][0]["attachments"]["red.png"]["image/png"])
    assert (folder / "red.png").read_bytes() == attached
    assert (folder / "blue.png").read_bytes() == (FIXTURES / "figs" / "blue.png").read_bytes()
    [embedded] = [p for p in folder.iterdir() if p.name.startswith("cell2-")]
    assert embedded.read_bytes().startswith(b"\x89PNG")
    assert "![a red square](images/02_images_and_scripts/red.png)" in text
    assert "![a blue square](images/02_images_and_scripts/blue.png)" in text
    assert "data:image" not in text and "attachment:" not in text
    for gone in ("<script", "alert", "onerror", "javascript:"):
        assert gone not in text
    report = "\n".join(notes)
    assert "cell 3: removed a <script> element" in report and "cell 3: removed a javascript: link" in report
    assert "cell 2: removed an event handler attribute" in report


def test_english_prose_goes_into_english_blocks_under_a_renumbered_title(book):
    text, _, _ = imported(book, "english_only")
    assert ":::{en}\nA `for` loop" in text and ":::{ko}" not in text
    assert "\n## Counting\n" in text  # ### under the title would skip a level, which MyST warns about


def test_an_old_notebook_is_converted_and_says_so(book):
    text, notes, _ = imported(book, "old_format")
    assert "# An old notebook" in text and "print(6 * 7)" in text
    assert "converted from nbformat 3.0 to 4 (nbformat.convert)" in notes


def test_a_folder_imports_every_notebook_in_order(book):
    chapters = import_notebooks([FIXTURES], book)
    assert [c.name for c in chapters] == [
        "02_colab_export",
        "03_deliberate_errors",
        "04_english_only",
        "05_images_and_scripts",
        "06_old_format",
        "07_quarto_lecture",
        "08_uses_package",
    ]
    toc = yaml.safe_load((book / "_toc.yml").read_text())
    assert [e["file"] for e in toc["chapters"]][-2:] == ["lectures/08_uses_package", "book/glossary"]


@pytest.mark.parametrize(
    "content, expected",
    [
        (b'{"cells": [', "not valid JSON at line 1, column 12 (byte 11)"),
        (b"[1, 2]", "not a Jupyter notebook"),
        (b"\xff\xfe{}", "not UTF-8 text (byte 0)"),
        (b'{"nbformat": 2, "nbformat_minor": 0, "worksheets": [], "metadata": {}}', "nbformat 2 is too old"),
        (
            b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "markdown", "id": "a", "metadata": {}, "source": "x"},'
            b' {"cell_type": "code", "id": "b", "metadata": {}, "outputs": []}]}',
            "cell 2: does not follow the notebook format",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_file_and_place_and_nothing_changes(book, content, expected, capsys):
    bad = book / "lecture.ipynb"
    bad.write_bytes(content)
    before = state(book)
    assert main([str(bad), "--root", str(book)]) == 1
    message = capsys.readouterr().err
    assert "nothing was imported" in message and str(bad) in message and expected in message, message
    assert state(book) == before


def test_one_bad_notebook_in_a_folder_imports_none_of_them(book, tmp_path):
    folder = tmp_path / "semester"
    folder.mkdir()
    (folder / "a.ipynb").write_bytes((FIXTURES / "english_only.ipynb").read_bytes())
    (folder / "b.ipynb").write_text('{"cells": [}')
    before = state(book)
    with pytest.raises(ImportRefused, match="b.ipynb: not valid JSON"):
        import_notebooks([folder], book)
    assert state(book) == before


def test_a_missing_image_is_refused(book, tmp_path):
    nb = json.loads((FIXTURES / "english_only.ipynb").read_text())
    nb["cells"][0]["source"] = ["# Title\n", "\n", "![gone](figs/none.png)"]
    path = tmp_path / "gone.ipynb"
    path.write_text(json.dumps(nb))
    with pytest.raises(ImportRefused, match=r"cell 1: the image 'figs/none.png' is not there"):
        import_notebooks([path], book)


def test_a_name_already_taken_is_refused(book):
    import_notebooks([FIXTURES / "english_only.ipynb"], book)
    before = state(book)
    with pytest.raises(ImportRefused, match=r"'03_english_only' is taken \(lectures/02_english_only\)"):
        import_notebooks([FIXTURES / "english_only.ipynb"], book)
    with pytest.raises(ImportRefused, match="'01_intro' is taken"):
        import_notebooks([FIXTURES / "colab_export.ipynb"], book, name="01_intro")
    assert state(book) == before


def test_a_write_that_fails_halfway_is_undone(book, monkeypatch):
    before = state(book)
    real, calls = os.replace, []

    def failing(source, target):
        calls.append(target)
        if len(calls) == 3:
            raise OSError("disk full")
        return real(source, target)

    monkeypatch.setattr(placing.os, "replace", failing)
    with pytest.raises(OSError, match="disk full"):
        import_notebooks([FIXTURES / "images_and_scripts.ipynb"], book)
    assert len(calls) == 3 and state(book) == before
    assert not (book / "lectures" / "images").exists()
    assert not [p for p in book.iterdir() if p.name.startswith(".import-")]
