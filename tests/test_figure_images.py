"""Every figure of the book is drawn in each language: one image per language, each described in its own."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def glued_figures(text: str) -> list[str]:
    return re.findall(r"^```\{glue:figure\} (\S+)", text, flags=re.M)


def test_every_glued_figure_has_an_image_and_a_description_per_language(chapter_article):
    chapters = sorted((ROOT / "lectures").glob("*.md"))
    total = 0
    for path in chapters:
        expected = glued_figures(path.read_text(encoding="utf-8"))
        article = chapter_article(path.stem)
        figures = [figure for figure in article.select("figure") if figure.select(".lang-figure")]
        assert len(figures) == len(expected), f"{path.name}: {len(figures)} figures in two languages, {len(expected)} glued"
        for number, figure in enumerate(figures, start=1):
            where = f"{path.name}, figure {number}"
            images = {block["lang"]: block.find_all("img") for block in figure.select(".lang-figure")}
            assert sorted(images) == ["en", "ko"] and all(len(found) == 1 for found in images.values()), where
            (ko,), (en,) = images["ko"], images["en"]
            assert "_images/" in ko["src"] and "_images/" in en["src"], f"{where}: an image file each, not inline data"
            assert HANGUL.search(ko["alt"]) and not HANGUL.search(en["alt"]) and " · " not in ko["alt"] + en["alt"], where
            assert ko.get("loading") == en.get("loading") == "lazy", f"{where}: the hidden language's image must load lazily"
        total += len(figures)
    assert total > 30


def test_a_figure_described_in_one_language_fails_the_build_naming_its_chapter(tmp_path):
    from small_book import chapter, small_book
    from coursebook.build.repo_copy import build

    text = (
        chapter(
            "그림 · A figure",
            """
        from nnstep import plots
        from coursebook.runtime.glue import glue
        glue("some_fig", plots.for_glue(plots.new_axes(("제목", "a title"))), display=False)
        """,
        )
        + "\n```{glue:figure} some_fig\n:alt: A description in English only\n```\n"
    )
    result = build(small_book(tmp_path / "book", {"01_figure": text}))
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "01_figure" in output and "write its :alt: as '한국어 설명 · English description'" in output, output
