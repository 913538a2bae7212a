"""Chapters 01-04: what their text claims is what their code computed, and the lecture's slips are corrected."""

import re

import pytest

from nnstep import data

SENTENCE = re.compile(r"[^.!?]*[.!?]")


def lang_text(page, lang: str) -> str:
    """The page's text in one language (blocks, or the glossary's spans), with whitespace and quotes made plain."""
    text = " ".join(part.get_text(" ") for part in page.select(f"div.lang-block[lang={lang}], dd [lang={lang}]"))
    return re.sub(r"\s+", " ", text.replace("\u2019", "'"))


def prose(markdown: str) -> str:
    """The MyST source without code cells and other fenced blocks (a ```` fence holds prose: it is kept)."""
    return re.sub(r"^```(?!`).*?^```$", "", markdown, flags=re.S | re.M)


def test_full_batch_steps_are_not_called_stochastic(chapter_article, built_site):
    from bs4 import BeautifulSoup

    glossary = BeautifulSoup((built_site / "book" / "glossary.html").read_text(encoding="utf-8"), "html.parser")
    for page in (chapter_article("02_polynomial_regression"), glossary):
        ko, en = lang_text(page, "ko"), lang_text(page, "en")
        assert "전체 배치" in ko and "full-batch" in en
        for sentence in SENTENCE.findall(ko):
            if "확률적 경사하강법" in sentence:
                assert re.search(r"이름|미니배치|일부", sentence), sentence
        for sentence in SENTENCE.findall(en):
            if "stochastic gradient descent" in sentence.lower():
                assert re.search(r"named|mini-batch|random part", sentence), sentence


def test_the_hand_written_loop_follows_pytorchs_argument_order(source, chapter_article):
    code = "".join(re.findall(r"```\{code-cell\}.*?```", source("02_polynomial_regression"), re.S))
    assert "loss_fn(yhat, y_d)" in code and "loss_fn(y_d, yhat)" not in code
    en = lang_text(chapter_article("02_polynomial_regression"), "en")
    assert "(input, target)" in en and "loss_fn(y,yhat)" in en and "loss_fn(yhat,y)" in en, "the lecture mixes both"


def test_the_lectures_learning_rate_note_is_shown_and_corrected(chapter_article):
    article = chapter_article("02_polynomial_regression")
    block = next(b for b in article.select("div.lang-block[lang=ko]") if "underfitting이 일어났을떄" in b.get_text())
    links = [a["href"] for a in block.select("a[href]")]
    assert any("03_piecewise_linear" in href for href in links) and any("08_homework" in href for href in links)
    assert "과소적합" in block.get_text()


def test_step_clears_nothing_zero_grad_does(chapter_article):
    ko = lang_text(chapter_article("02_polynomial_regression"), "ko")
    update = ko[ko.index("업데이트") :]
    assert re.search(r"zero_grad\(\)\s*가 그래디언트를 0으로", update), "zero_grad() clears the gradients"
    assert not re.search(r"step\(\)\s*이[^.]*0으로 지웁니다", update), "step() does not clear the gradients"


def test_the_loss_levels_off_where_the_page_says(cpu_site, chapter_article, source):
    from test_lecture_results import lecture_loop  # the lecture's step 1~4, plain torch
    import torch

    sim = data.polynomial()
    net = torch.nn.Linear(3, 1, bias=True)
    losses = lecture_loop(net, sim.X, sim.y, epochs=1000, lr=0.01)
    final = losses[-1]
    level = 1 + next(i for i in range(len(losses)) if all(abs(v - final) <= 0.01 * final for v in losses[i:]))
    ko = lang_text(chapter_article("02_polynomial_regression", cpu_site), "ko")
    en = lang_text(chapter_article("02_polynomial_regression", cpu_site), "en")
    assert re.search(rf"{level}\s*번째 에폭부터는 마지막 손실의 1% 안에", ko)
    assert re.search(rf"from epoch {level} on it stays within 1%", en)
    text = prose(source("02_polynomial_regression"))
    assert "몇십 에폭" not in text and "few dozen" not in text and "(True, True)" not in text


def test_fit_equals_the_hand_written_loop_as_the_glued_sentence_says(chapter_article, source):
    article = chapter_article("02_polynomial_regression")
    assert "비트 하나까지 같습니다" in lang_text(article, "ko") or "비트까지 같지는 않습니다" in lang_text(article, "ko")
    assert "{glue:text}`poly_fit_same_ko`" in prose(source("02_polynomial_regression"))


@pytest.mark.parametrize(
    "name, label",
    [
        ("02_polynomial_regression", "listing-fit"),
        ("03_piecewise_linear", "listing-piecewise-data"),
        ("04_one_relu_node", "listing-hidden-net"),
    ],
)
def test_each_listing_carries_the_label_later_chapters_link_to(chapter_article, name, label):
    target = chapter_article(name).find(id=label)
    assert target is not None and target.select_one("pre"), f"{label} marks the literalinclude in {name}"


def test_the_unseeded_noise_is_explained_once_next_to_the_data(source):
    assert "시드 없이" in source("03_piecewise_linear") and "no seed" in source("03_piecewise_linear")
    for name in ("01_linear_model", "02_polynomial_regression", "04_one_relu_node"):
        assert "시드 없이" not in source(name), name


def test_no_learning_rate_beats_the_least_squares_line_in_exercise_3_1(chapter_article):
    section = chapter_article("03_piecewise_linear").find(id="exercises")
    solution = section.select("div.dropdown")[0]
    table = solution.select_one("div.lang-block[lang=en] table")
    losses = [cell.get_text(strip=True) for cell in table.select("td .pasted-text")]
    floor = solution.select_one("div.lang-block[lang=en] p .pasted-text").get_text(strip=True)
    assert len(losses) == 5 and "nan" in losses, "five learning rates, the largest diverged"
    assert all(loss == floor for loss in losses if loss != "nan"), "every converging rate ends on the floor"


@pytest.mark.parametrize("name", ["01_linear_model", "02_polynomial_regression", "03_piecewise_linear", "04_one_relu_node"])
def test_helpers_are_called_bojo_hamsu(source, name):
    """The lecture's gv() is a 보조 함수 (particle spacing is `make check`'s job, tools/korean_spacing.py)."""
    assert "도우미" not in source(name)
