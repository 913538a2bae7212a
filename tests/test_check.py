"""`make check`: translation drift, unpaired halves and Korean particle spacing, caught in the sources."""

import subprocess
import sys
import textwrap

import pytest

from coursebook.bilingual.pairs import scan
from coursebook.bilingual.check import source_findings
from coursebook.build.repo_copy import copy_repo

CHAPTER = textwrap.dedent("""\
    # 모형 · The model

    :::{ko}
    첫 문장입니다.
    :::

    :::{en}
    The first sentence.
    :::

    ```{code-cell} ipython3
    print("{ko}`not a pair in code`")
    ```

    ````{admonition} 연습 1 · Exercise 1
    :class: tip
    :::{ko}
    안쪽 블록.
    :::
    :::{en}
    An inner block.
    :::
    ````

    {ko}`그림 설명` {en}`A caption`

    :::{ko}
    짝이 없는 블록.
    :::

    Some prose between.
    """)


def test_pairs_are_found_in_blocks_titles_captions_and_nested_directives():
    pairs, orphans = scan(CHAPTER)
    found = [(pair.ko.line, pair.ko.text.strip(), pair.en.line, pair.en.text.strip()) for pair in pairs]
    assert found == [
        (1, "모형", 1, "The model"),
        (4, "첫 문장입니다.", 8, "The first sentence."),
        (15, "연습 1", 15, "Exercise 1"),
        (18, "안쪽 블록.", 21, "An inner block."),
        (25, "그림 설명", 25, "A caption"),
    ]
    assert [(half.lang, half.line) for half in orphans] == [("ko", 28)], "the Korean block with no English after it"


def test_the_book_passes_make_check():
    assert source_findings() == []


@pytest.fixture
def book(tmp_path):
    return copy_repo(tmp_path / "book")


def run(book, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coursebook", *args], cwd=book, capture_output=True, text=True, timeout=60)


def test_an_edited_korean_sentence_names_its_english_partner_until_both_are_updated_and_confirmed(book):
    chapter = book / "lectures" / "02_polynomial_regression.md"
    text = chapter.read_text(encoding="utf-8")
    pairs, _ = scan(text)
    block = next(pair for pair in pairs if pair.ko.line != pair.en.line)  # the first commentary block
    chapter.write_text(text.replace(block.ko.text, block.ko.text + " 한 문장을 더했습니다.", 1), encoding="utf-8")

    result = run(book, "check")
    assert result.returncode == 1
    expected = (
        f"lectures/02_polynomial_regression.md:{block.en.line}: update this English half: its Korean partner (line {block.ko.line}) changed"
    )
    assert expected in result.stderr, result.stderr

    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace(block.en.text, block.en.text + " We added a sentence.", 1), encoding="utf-8")
    result = run(book, "check")
    assert result.returncode == 1 and "not yet confirmed" in result.stderr, "both halves changed: confirm the pair"

    confirmed = run(book, "translations", "ok", "lectures/02_polynomial_regression.md")
    assert confirmed.returncode == 0 and "confirmed" in confirmed.stdout
    result = run(book, "check")
    assert result.returncode == 0, result.stderr


def test_an_edited_english_sentence_names_its_korean_partner(book):
    chapter = book / "lectures" / "03_piecewise_linear.md"
    text = chapter.read_text(encoding="utf-8")
    block = next(pair for pair in scan(text)[0] if pair.ko.line != pair.en.line)
    chapter.write_text(text.replace(block.en.text, block.en.text.replace(" ", "  ", 1) + " Changed.", 1), encoding="utf-8")
    result = run(book, "check")
    assert f"03_piecewise_linear.md:{block.ko.line}: update this Korean half" in result.stderr, result.stderr


def test_rewrapping_a_paragraph_is_not_a_change(book):
    chapter = book / "lectures" / "03_piecewise_linear.md"
    text = chapter.read_text(encoding="utf-8")
    block = next(pair for pair in scan(text)[0] if pair.ko.line != pair.en.line)
    chapter.write_text(text.replace(block.ko.text, block.ko.text.replace(" ", "\n", 1), 1), encoding="utf-8")
    assert run(book, "check").returncode == 0


def test_a_spaced_particle_is_named_with_its_fix(book):
    chapter = book / "lectures" / "04_one_relu_node.md"
    text = chapter.read_text(encoding="utf-8")
    block = next(pair for pair in scan(text)[0] if pair.ko.line != pair.en.line)
    chapter.write_text(text.replace(block.ko.text, "풀이1 의 직선을 봅니다. `net` 을 만듭니다.", 1), encoding="utf-8")
    run(book, "translations", "ok", "lectures/04_one_relu_node.md")  # the pair itself is confirmed
    result = run(book, "check")
    assert f"04_one_relu_node.md:{block.ko.line}: '풀이1 의': a particle attaches to the word before it; write '풀이1의'." in result.stderr
    assert "'`net` 을'" in result.stderr and result.returncode == 1


def test_a_bad_lock_line_says_how_to_mend_it(book):
    (book / "translations.lock").write_text("lectures/x.md onlyonefield\n")
    result = run(book, "check")
    assert result.returncode == 1 and "translations.lock, line 1: expected '<file> <digest> <digest>'" in result.stderr


def test_a_particle_typed_after_a_glued_value_is_named_with_its_fix(book):
    chapter = book / "lectures" / "04_one_relu_node.md"
    text = chapter.read_text(encoding="utf-8")
    block = next(pair for pair in scan(text)[0] if pair.ko.line != pair.en.line)
    chapter.write_text(
        text.replace(
            block.ko.text,
            "손실은 {glue:text}`a`로 내려가고 {glue:text}`b`가 남으며, {glue:text}`c`{josa}`이/가` 됩니다. {glue:text}`d`입니다.",
            1,
        ),
        encoding="utf-8",
    )
    run(book, "translations", "ok", "lectures/04_one_relu_node.md")
    result = run(book, "check")
    assert result.returncode == 1
    line = f"04_one_relu_node.md:{block.ko.line}: "
    assert line + "'{glue:text}`a`로': the particle after a glued value must fit the value; write {josa}`으로/로`" in result.stderr
    assert line + "'{glue:text}`b`가'" in result.stderr
    assert "`c`" not in result.stderr and "`d`" not in result.stderr, "the role, and the copula 입니다, are fine"


def notebook_chapter() -> str:
    """A notebook chapter as an instructor writes one in Jupyter: language blocks in markdown cells."""
    import nbformat

    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook(
        cells=[
            md("# 노트북 · A notebook"),  # cell 1
            md(":::{ko}\n첫 문단입니다.\n:::"),  # cell 2 and cell 3: one pair, side by side on the page
            md(":::{en}\nThe first paragraph.\n:::"),
            code("x = 1"),
            md(":::{ko}\n`x` 를 봅니다.\n:::"),  # cell 5: no partner (a code cell follows), and a spaced particle
            code("print(x)"),
            md(":::{en}\nAn English block alone.\n:::"),  # cell 7: no partner
            md(":::{ko}\n숨긴 블록\n:::", metadata={"tags": ["remove-cell"]}),  # not on the page
        ]
    )
    return nbformat.writes(nb)


def test_a_notebook_chapter_is_checked_like_a_myst_one_each_finding_at_its_cell(tmp_path, monkeypatch):
    from coursebook.bilingual import korean_spacing, translations

    for module in (translations, korean_spacing):
        monkeypatch.setattr(module, "ROOT", tmp_path)
    path, lock = tmp_path / "nb.ipynb", tmp_path / "translations.lock"
    path.write_text(notebook_chapter(), encoding="utf-8")
    found = translations.findings([path], lock=lock)
    assert [problem.split(": a", 1)[0] for problem in found] == [
        "nb.ipynb: cell 1",
        "nb.ipynb: cell 2 and cell 3",
        "nb.ipynb: cell 5",
        "nb.ipynb: cell 7",
    ]
    assert "cell 5: a Korean block without its English partner" in found[2]
    assert "cell 7: a English block without its Korean partner" in found[3]
    assert korean_spacing.spacing_problems(path) == [
        "nb.ipynb: cell 5: '`x` 를': a particle attaches to the word before it; write '`x`를'."
    ]

    translations.confirm([path], lock=lock)
    path.write_text(notebook_chapter().replace("The first paragraph.", "The first paragraph, changed."), encoding="utf-8")
    drift = translations.findings([path], lock=lock)
    assert drift[0].startswith("nb.ipynb: cell 2: update this Korean half: its English partner (cell 3) changed"), drift
    assert len(drift) == 3, "the confirmed title pair passes; the two blocks without partners stay"


def test_a_notebook_that_is_not_json_is_named(tmp_path):
    from coursebook.chapters import SourceError, chapter_prose

    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(SourceError, match=r"broken\.ipynb is not a notebook that Jupyter can read"):
        chapter_prose(path)


def test_make_check_lists_a_notebook_chapter_s_missing_partners_by_cell(book):
    (book / "lectures" / "99_notebook.ipynb").write_text(notebook_chapter(), encoding="utf-8")
    toc = book / "_toc.yml"
    toc.write_text(toc.read_text().replace("  - file: book/glossary", "  - file: lectures/99_notebook.ipynb\n  - file: book/glossary"))
    result = run(book, "check")
    assert result.returncode == 1
    assert "lectures/99_notebook.ipynb: cell 5: a Korean block without its English partner" in result.stderr, result.stderr
    assert "lectures/99_notebook.ipynb: cell 5: '`x` 를'" in result.stderr
    assert "\n  lectures/99_notebook.ipynb: 2\n" in result.stderr, "the count per chapter"
