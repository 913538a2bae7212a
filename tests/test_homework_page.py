"""The learning-rate homework (08): an exercise, and a solution hidden until clicked."""

import re

import torch

from nnstep import data

HOMEWORK = "08_homework_learning_rate"


def test_homework_has_an_exercise_and_a_collapsed_solution(chapter_html):
    html = chapter_html(HOMEWORK)
    exercise = re.search(r'<div class="tip admonition">(.*?)<p class="admonition-title">', html, re.S)
    text = " ".join(re.sub(r"<[^>]+>", "", html).split())  # the titles' halves are lang spans
    assert exercise and "숙제 · Exercise" in text
    start = html.index('<div class="dropdown admonition')
    solution = html[start : html.index('<div class="dropdown admonition', start + 1)]
    assert "풀이 보기 · Show the solution" in " ".join(re.sub(r"<[^>]+>", "", solution).split())
    assert 'lang="ko"' in solution and 'lang="en"' in solution
    assert solution.count('class="lang-figure lang-ko"') == solution.count('class="lang-figure lang-en"') == 2, (
        "the solution shows the two loss curves, the lecture's data and fresh data, in each language"
    )
    assert re.search(r'<td><p><span class="pasted-text">0\.\d{4}</span></p></td>', solution), "glued numbers in the tables"
    assert "tag_hide-cell" in html, "the solution's code is collapsed too"


def test_how_much_sooner_is_computed_from_the_epochs_it_quotes(chapter_article):
    sooner = next(
        b for b in chapter_article(HOMEWORK).select("div.lang-block[lang=en]") if "times sooner" in " ".join(b.get_text().split())
    )
    numbers = [float(span.get_text()) for span in sooner.select("span.pasted-text") if "[" not in span.get_text()]
    *_, floor, big, small, ratio = numbers
    assert big < small and ratio == round(small / big, 1), numbers


def test_advanced_material_sits_in_collapsed_going_further_blocks(chapter_article):
    article = chapter_article(HOMEWORK)
    dropdowns = article.select("div.dropdown.admonition")
    going_further = re.compile(r"더 알아보기: .+ · Going further: .+")  # one topic in each language
    further = [d for d in dropdowns if going_further.fullmatch(d.select_one(".admonition-title").get_text().strip())]
    assert len(further) >= 3, "the learning-rate sweep, the curvature and the many draws"
    text = " ".join(d.get_text() for d in further)
    assert "2/\\lambda_{\\max}" in text and "\\bf H" in text, "the Hessian and its largest eigenvalue"
    assert sum(len(d.select("img")) for d in further) >= 1, "the scatter of the many draws"
    assert sum(len(d.select("table")) for d in further) >= 3, "the sweep, curvature and seed tables"
    for hidden in article.select("div.admonition, div.cell, details"):
        hidden.decompose()
    main_story = article.get_text()
    assert "lambda" not in main_story and "Hessian" not in main_story, "the main story reads without the advanced part"


def test_no_alt_text_holds_a_number_the_run_did_not_compute(chapter_article):
    inputs = {"0", "0.01", "0.1", "2"}  # seed 0, the homework's two learning rates and the 2 of 2/lambda_max
    for img in chapter_article(HOMEWORK).select("img"):
        numbers = set(re.findall(r"\d+(?:\.\d+)?", img["alt"]))
        assert numbers <= inputs, (img["alt"], numbers - inputs)


def test_homework_glues_lambda_max_and_the_stable_step_of_the_lectures_data(cpu_site, chapter_html):
    sim = data.polynomial()
    A = torch.hstack([sim.X, torch.ones(len(sim.x), 1)]).double()
    lam = torch.linalg.eigvalsh(2 / len(A) * A.T @ A)[-1].item()
    html = chapter_html(HOMEWORK, cpu_site)
    assert f'<span class="pasted-text">{lam:.2f}</span>' in html
    assert f'<span class="pasted-text">{2 / lam:.4f}</span>' in html
    assert 2 / lam > 0.1, "the lecture's data is one of the lucky draws, as the page says"
