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
    start = html.index('<div class="dropdown admonition">')
    solution = html[start:html.index('<section id="', start)]
    assert "풀이 보기 · Show the solution" in " ".join(re.sub(r"<[^>]+>", "", solution).split())
    assert 'lang="ko"' in solution and 'lang="en"' in solution
    assert solution.count("<img") >= 3, "the loss curves and the seed scatter sit inside the solution"
    assert "2/\\lambda_{\\max}" in solution
    assert re.search(r'<td><p><span class="pasted-text">0\.\d{4}</span></p></td>', solution), "glued numbers in the tables"
    assert "tag_hide-cell" in html, "the solution's code is collapsed too"


def test_homework_glues_lambda_max_and_the_stable_step_of_the_lectures_data(cpu_site, chapter_html):
    sim = data.polynomial()
    A = torch.hstack([sim.X, torch.ones(len(sim.x), 1)]).double()
    lam = torch.linalg.eigvalsh(2 / len(A) * A.T @ A)[-1].item()
    html = chapter_html(HOMEWORK, cpu_site)
    assert f'<span class="pasted-text">{lam:.2f}</span>' in html
    assert f'<span class="pasted-text">{2 / lam:.4f}</span>' in html
    assert 2 / lam > 0.1, "the lecture's data is one of the lucky draws, as the page says"
