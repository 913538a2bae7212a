"""Every chapter ends with 2-4 exercises, each followed by its hidden solution whose answers were computed.

The shape is the shared markup (see lectures/08_homework_learning_rate.md and CONTENT conventions):
a "연습 N · Exercise N" tip, then a "풀이 보기 · Show the solution" dropdown holding glued values,
and after the exercises one collapsed code cell per exercise, labelled with what it holds.
"""

import re

import pytest

from coursebook.chapters import checked_chapters

WITH_EXERCISES = [c.docname.split("/")[-1] for c in checked_chapters() if c.docname.startswith("lectures/")]


def words(text: str) -> str:
    """Text as written, whether or not the reader split it into language spans (with non-breaking spaces)."""
    return " ".join(text.replace("\xa0", " ").split())


def title(box) -> str:
    return words(box.select_one(".admonition-title").get_text(" "))


def exercises_section(article):
    heading = article.find(lambda tag: tag.name == "h2" and "연습문제" in tag.get_text() and "Exercises" in tag.get_text())
    assert heading, "a '## 연습문제 · Exercises' section"
    return heading.find_parent("section")


@pytest.mark.parametrize("name", WITH_EXERCISES)
def test_exercises_end_the_chapter(chapter_article, name):
    sections = chapter_article(name).select("section > h2")
    assert sections and "연습문제" in sections[-1].get_text(), "the exercises are the chapter's last section"


@pytest.mark.parametrize("name", WITH_EXERCISES)
def test_each_exercise_is_followed_by_its_hidden_solution_with_computed_answers(chapter_article, name):
    boxes = exercises_section(chapter_article(name)).select("div.admonition")
    exercises = [box for box in boxes if "tip" in box["class"]]
    assert 2 <= len(exercises) <= 4
    for number, exercise in enumerate(exercises, start=1):
        assert title(exercise) == f"연습 {number} · Exercise {number}"
        solution = exercise.find_next_sibling("div")
        assert solution is not None and "dropdown" in solution["class"], f"exercise {number} has no dropdown after it"
        assert title(solution) == "풀이 보기 · Show the solution"
        for box in (exercise, solution):
            ko, en = box.select("div.lang-block[lang=ko]"), box.select("div.lang-block[lang=en]")
            assert ko and en and all(block.get_text(strip=True) for block in ko + en), "Korean and English"
        for lang in ("ko", "en"):
            glued = solution.select(f"div.lang-block[lang={lang}] .pasted-text")
            assert glued, f"exercise {number}'s {lang} solution quotes no computed value"
            assert all(value.get_text(strip=True) not in ("", "nan") or value.find_parent("td") for value in glued)


@pytest.mark.parametrize("name", WITH_EXERCISES)
def test_each_exercise_has_its_own_labelled_solution_code_that_ran(chapter_article, name):
    section = exercises_section(chapter_article(name))
    count = len([box for box in section.select("div.admonition") if "tip" in box["class"]])
    labels = [words(summary.get_text(" ")) for summary in section.select("details summary")]
    for number in range(1, count + 1):
        assert any(f"연습 {number} 풀이 코드 · Exercise {number}: the solution's code" in label for label in labels), number
    assert not any("Show code cell" in label for label in labels), "every collapsed cell says what it holds"
    assert "Traceback" not in section.get_text()


@pytest.mark.parametrize("name", WITH_EXERCISES)
def test_some_exercise_asks_to_change_and_run_code(source, name):
    text = source(name).split("## 연습문제 · Exercises", 1)[1]
    asks = re.findall(r"````\{admonition\} 연습 \d · Exercise \d\n(.*?)````", text, re.S)
    assert any("`" in ask and re.search(r"학습|바꿔|만들면|넣고", ask) for ask in asks), (
        "at least one exercise names code to change and run"
    )
