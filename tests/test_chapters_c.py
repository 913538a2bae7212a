"""The wide-network chapter (07), the learning-rate homework (08), the landing page and the glossary."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.build

ROOT = Path(__file__).resolve().parent.parent
WIDE, HOMEWORK = "07_wide_network", "08_homework_learning_rate"


def page(site: Path, name: str) -> str:
    return (site / "lectures" / f"{name}.html").read_text(encoding="utf-8")


def source(name: str) -> str:
    return (ROOT / "lectures" / f"{name}.md").read_text(encoding="utf-8")


def lang_blocks(html: str, lang: str) -> list[str]:
    """The text of every <div lang=...> commentary block (they hold no nested divs but tables)."""
    return re.findall(rf'<div class="lang-block lang-{lang}" lang="{lang}">(.*?)\n</div>', html, re.S)


def test_wide_network_page_shows_the_diagram_and_the_custom_activation(built_site):
    html = page(built_site, WIDE)
    assert html.count('<svg role="img"') >= 2, "the node and matrix diagrams"
    assert "more)" in html, "the 500-node layer is abbreviated"
    assert "def sharp_sigmoid" in re.sub(r"<[^>]+>", "", html), "the activation's source is shown"
    assert "SiLU" in html, "the lecture's stale comment is corrected"


def test_noise_fit_reproduces_the_lecture_on_the_cpu(built_site):
    html = page(built_site, WIDE)
    if "device: cpu" not in html:
        pytest.skip("the lecture's 1.0025 / 0.4611 reproduce on the CPU only")
    for lang in ("ko", "en"):
        prose = " ".join(lang_blocks(html, lang))
        assert "1.0025" in prose and "0.4611" in prose, f"the glued MSE pair in the {lang} prose"
    assert "1.0025" not in source(WIDE) and "0.4611" not in source(WIDE)


def test_homework_has_an_exercise_and_a_collapsed_solution(built_site):
    html = page(built_site, HOMEWORK)
    exercise = re.search(r'<div class="tip admonition">(.*?)<p class="admonition-title">', html, re.S)
    assert exercise and "숙제 · Exercise" in html
    start = html.index('<div class="dropdown admonition">')
    solution = html[start:html.index('<section id="', start)]
    assert "풀이 보기 · Show the solution" in solution
    assert 'lang="ko"' in solution and 'lang="en"' in solution
    assert solution.count("<img") >= 3, "the loss curves and the seed scatter sit inside the solution"
    assert "2/\\lambda_{\\max}" in solution
    assert re.search(r'<td><p><span class="pasted-text">0\.\d{4}</span></p></td>', solution), "glued numbers in the tables"
    assert "tag_hide-cell" in html, "the solution's code is collapsed too"


def test_homework_glues_lambda_max_and_the_stable_step_of_the_lectures_data(built_site):
    import torch

    from nnstep import data

    sim = data.polynomial()
    A = torch.hstack([sim.X, torch.ones(len(sim.x), 1)]).double()
    lam = torch.linalg.eigvalsh(2 / len(A) * A.T @ A)[-1].item()
    html = page(built_site, HOMEWORK)
    assert f'<span class="pasted-text">{lam:.2f}</span>' in html
    assert f'<span class="pasted-text">{2 / lam:.4f}</span>' in html
    assert 2 / lam > 0.1, "the lecture's data is one of the lucky draws, as the page says"


def test_landing_page_links_the_existing_chapters_only(built_site):
    html = (built_site / "book" / "index.html").read_text(encoding="utf-8")
    for target in ("02_polynomial_regression", "07_wide_network", "08_homework_learning_rate", "glossary"):
        assert f'{target}.html"' in html, target
    links = set(re.findall(r'href="([^"#]+\.html)', html))
    for link in links:
        assert (built_site / "book" / link).resolve().exists(), f"broken link {link}"
    text = re.sub(r"<[^>]+>", "", html)
    assert "make book" in text and "make test" in text and "Colab" in text
    assert 'lang="ko"' in html and 'lang="en"' in html


@pytest.mark.parametrize("term", ["overfitting", "wide-network", "learning-rate", "seed", "noise", "divergence",
                                  "sigmoid", "Hessian", "ReLU", "step-function"])
def test_glossary_defines_the_terms_in_both_languages(built_site, term):
    html = (built_site / "book" / "glossary.html").read_text(encoding="utf-8")
    entry = re.search(rf'<dt id="term-{term}">.*?</dd>', html, re.S)
    assert entry, term
    assert 'lang="ko"' in entry.group(0) and 'lang="en"' in entry.group(0)
