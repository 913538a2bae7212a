"""The numbers on the pages are the lecture's, or what the lecture's own code gives on the book's data.

Expected values come from the lecture's printed output, or from running the lecture's step 1~4
loop as written there (plain torch, not nnstep.fit) on the book's seeded data. Checked on the CPU,
where the lecture's numbers reproduce bit for bit (see the cpu_site fixture).

Each check reads the number the chapter computed (its glue store, tests/glued.py) and the glued
elements that show it, never a string the page would contain anyway: chapter 02 prints the lecture's
reference numbers too. The "test of the test" functions run each check against a value off in its
last digit and expect it to fail.
"""

import re

import pytest
import torch
from glued import chapter_gluing, check_shown, glue_store, glued_on_page, value

from nnstep import data

LECTURE_POLYNOMIAL = "[3.9991, 3.0609, -2.0015]", "1.0014"  # printed in the lecture's 예제2
LECTURE_NOISE_MSE = "1.0025", "0.4611"  # printed in the lecture's 풀이4: zero predictor, 500-node fit


def lang_text(article, lang: str) -> str:
    return " ".join(block.get_text(" ") for block in article.select(f"div.lang-block[lang={lang}]"))


def lecture_loop(net, X, y, epochs: int, lr: float) -> list[float]:
    """The lecture's step 1~4, as written there; returns the loss of every epoch."""
    loss_fn = torch.nn.MSELoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        yhat = net(X)
        loss = loss_fn(y, yhat)
        loss.backward()
        optimizer.step()
        net.zero_grad()
        losses.append(loss.item())
    return losses


def two_relu_nodes(seed: int) -> torch.nn.Sequential:
    """풀이3's network, created as the lecture does."""
    torch.manual_seed(seed)
    layer1 = torch.nn.Linear(in_features=1, out_features=2, bias=False)
    layer2 = torch.nn.Linear(in_features=2, out_features=1, bias=False)
    return torch.nn.Sequential(layer1, torch.nn.ReLU(), layer2)


def matrix(W: torch.Tensor) -> str:
    return "[" + ", ".join("[" + ", ".join(f"{w:.4f}" for w in row) + "]" for row in W.tolist()) + "]"


def check_polynomial(store: dict[str, str]) -> None:
    """The estimates chapter 02's run computed are the lecture's printout, to the last digit."""
    assert (value(store, "poly_w"), value(store, "poly_b")) == LECTURE_POLYNOMIAL


def test_polynomial_estimates_are_the_lectures_in_both_languages(cpu_site, chapter_article, source):
    store = glue_store(cpu_site, "02_polynomial_regression")
    check_polynomial(store)
    shown = glued_on_page(chapter_article("02_polynomial_regression", cpu_site), source("02_polynomial_regression"))
    check_shown(store, shown, ["poly_w", "poly_b"])
    # The lecture's printout is typed once, as the reference of the chapter's comparison cell; never in the prose.
    cells = re.findall(r"```\{code-cell\}.*?```", source("02_polynomial_regression"), re.S)
    typed = [cell for cell in cells if "3.9991" in cell or "1.0014" in cell]
    assert len(typed) == 1 and "LECTURE_W, LECTURE_B = [3.9991, 3.0609, -2.0015], 1.0014" in typed[0]
    prose = re.sub(r"```.*?```", "", source("02_polynomial_regression"), flags=re.S)
    assert not any(number in prose for number in ("3.9991", "1.0014"))


def test_the_polynomial_checks_fail_on_a_last_digit_error(cpu_site, chapter_article, source):
    """The test of the test: 3.9990 computed instead of 3.9991 (or 1.0015 for 1.0014) fails both checks."""
    store = glue_store(cpu_site, "02_polynomial_regression")
    shown = glued_on_page(chapter_article("02_polynomial_regression", cpu_site), source("02_polynomial_regression"))
    for name, wrong in (("poly_w", "'[3.9990, 3.0609, -2.0015]'"), ("poly_b", "'1.0015'")):
        with pytest.raises(AssertionError):
            check_polynomial({**store, name: wrong})
        with pytest.raises(AssertionError):  # the page shows the real run's number, not this one
            check_shown({**store, name: wrong}, shown, [name])
    wrong_page = [(n, spec, "[3.9990, 3.0609, -2.0015]" if n == "poly_w" else text, lang) for n, spec, text, lang in shown]
    with pytest.raises(AssertionError):
        check_shown(store, wrong_page, ["poly_w"])


def test_the_four_decimals_sentence_is_glued_from_the_comparison(cpu_site, chapter_article, source):
    """index.md promises the lecture's numbers to four decimals on a CPU: chapter 02 checks it in code and says so."""
    article = chapter_article("02_polynomial_regression", cpu_site)
    assert "네 값 모두 소수 넷째 자리까지 강의의 출력과 같습니다" in lang_text(article, "ko")
    assert "all four values match the lecture\u2019s printout to four decimals" in lang_text(article, "en")
    prose = re.sub(r"```.*?```", "", source("02_polynomial_regression"), flags=re.S)
    assert "{glue:text}`poly_lecture_match_ko`" in prose and "{glue:text}`poly_lecture_match_en`" in prose
    assert "소수 넷째 자리까지 강의의 출력과 같습니다" not in prose, "the verdict is glued, not typed"


def check_noise(store: dict[str, str]) -> None:
    assert (value(store, "noise_mse_zero"), value(store, "noise_mse_net")) == LECTURE_NOISE_MSE


def test_noise_fit_is_the_lectures_in_both_languages(cpu_site, chapter_article, source):
    name = chapter_gluing("noise_mse_net", cpu_site)
    store = glue_store(cpu_site, name)
    check_noise(store)
    check_shown(store, glued_on_page(chapter_article(name, cpu_site), source(name)), ["noise_mse_zero", "noise_mse_net"])
    article = chapter_article(name, cpu_site)
    assert "소수점 넷째 자리까지 같습니다" in lang_text(article, "ko"), "the glued verdict of the page's own check"
    assert "the same as the two values printed in the lecture, to four decimals" in lang_text(article, "en")
    # The lecture's printout is typed once, as the reference of the page's check, and nowhere else
    printed = [line for line in source(name).splitlines() if any(n in line for n in LECTURE_NOISE_MSE)]
    assert len(printed) == 1 and printed[0].startswith("LECTURE_PRINTED = (1.0025, 0.4611)"), printed
    assert "printout" in printed[0], "commented as the lecture's printout"


def test_the_noise_check_fails_on_a_last_digit_error(cpu_site):
    store = glue_store(cpu_site, chapter_gluing("noise_mse_net", cpu_site))
    for name, wrong in (("noise_mse_zero", "'1.0024'"), ("noise_mse_net", "'0.4612'")):
        with pytest.raises(AssertionError):
            check_noise({**store, name: wrong})


def check_computed(store: dict[str, str], expected: dict[str, str]) -> None:
    """The chapter's run glued what the lecture's own code gives: name -> the text it must show."""
    assert {name: value(store, name) for name in expected} == expected


def test_two_nodes_weights_are_what_the_lectures_code_gives(cpu_site, chapter_article, source):
    curve = data.piecewise_linear()
    net = two_relu_nodes(seed=1)
    lecture_loop(net, curve.X, curve.y, epochs=1000, lr=0.1)
    store = glue_store(cpu_site, "05_two_relu_nodes")
    check_computed(store, {"n2_W1": matrix(net[0].weight.data.T), "n2_W2": matrix(net[2].weight.data.T)})
    check_shown(store, glued_on_page(chapter_article("05_two_relu_nodes", cpu_site), source("05_two_relu_nodes")), ["n2_W1", "n2_W2"])


def test_the_computed_check_fails_on_a_last_digit_error():
    store = {"n2_W1": "'[[1.8509, -1.0757]]'"}
    check_computed(store, {"n2_W1": "[[1.8509, -1.0757]]"})
    with pytest.raises(AssertionError):
        check_computed(store, {"n2_W1": "[[1.8509, -1.0758]]"})


def test_unlucky_seed_run_is_what_the_lectures_code_gives(cpu_site, chapter_article, source):
    curve = data.piecewise_linear()
    net = two_relu_nodes(seed=data.LECTURE_SEED)
    start = matrix(net[0].weight.data.T), matrix(net[2].weight.data.T)
    first_layer = []  # W1 after each update, to find when the escaping node's weight turns positive
    losses = []
    for _ in range(200):
        losses += lecture_loop(net, curve.X, curve.y, epochs=1, lr=0.1)
        first_layer.append(net[0].weight.data.flatten().clone())
    losses += lecture_loop(net, curve.X, curve.y, epochs=9800, lr=0.1)
    slopes = (net[0].weight.data.T[0] * net[2].weight.data.T[:, 0]).tolist()  # each node's slope W1*W2
    escaper = int((net[0].weight.data.flatten() > 0).nonzero()[0])
    crossing = next(update for update, W in enumerate(first_layer, start=1) if W[escaper] > 0)
    expected = {
        "us_W1_start": start[0],
        "us_W2_start": start[1],
        "us_W1_end": matrix(net[0].weight.data.T),
        "us_W2_end": matrix(net[2].weight.data.T),
        "us_loss_first": f"{losses[0]:.4f}",
        "us_loss_end": f"{losses[-1]:.4f}",
        "us_slope_right": f"{slopes[escaper]:.4f}",
        "us_slope_left": f"{slopes[1 - escaper]:.4f}",
        "us_escaped_node": str(escaper + 1),  # nodes are counted from 1 "us_cross_epoch": str(crossing),
    }
    store = glue_store(cpu_site, "06_unlucky_seed")
    check_computed(store, expected)
    shown = glued_on_page(chapter_article("06_unlucky_seed", cpu_site), source("06_unlucky_seed"))
    check_shown(store, shown, [name for name in expected if any(name == glued for glued, *_ in shown)])
    prose = " ".join(lang_text(chapter_article("06_unlucky_seed", cpu_site), "en").split())
    assert f"The weight of node {escaper + 1} , which started negative, crossed zero at update {crossing} " in prose


def best_bent_line_loss(X, y) -> float:
    """The lowest MSE of a line through the origin fitted to each half (x < 0, x >= 0) separately."""
    total = 0.0
    for half in (X[:, 0] < 0, X[:, 0] >= 0):
        xs, ys = X[half], y[half]
        slope = (xs * ys).sum() / (xs**2).sum()
        total += ((ys - slope * xs) ** 2).sum().item()
    return total / len(X)


def test_unlucky_seed_page_opens_with_a_seed_that_really_stays_stuck(cpu_site, source):
    store = glue_store(cpu_site, "06_unlucky_seed")
    seed = int(value(store, "us_stuck_seed"))
    assert re.search(rf"^STUCK_SEED = {seed}$", source("06_unlucky_seed"), flags=re.M)
    curve = data.piecewise_linear()
    net = two_relu_nodes(seed=seed)
    losses = lecture_loop(net, curve.X, curve.y, epochs=10000, lr=0.1)
    assert (net[0].weight.data < 0).all(), "no node ever covers x >= 0"
    floor = best_bent_line_loss(curve.X, curve.y)
    assert losses[-1] > 10 * floor and abs(losses[999] - losses[-1]) < 1e-4, "stuck well above the floor, for good"
    check_computed(
        store, {"us_stuck_W1": matrix(net[0].weight.data.T), "us_stuck_loss_end": f"{losses[-1]:.4f}", "us_floor_both": f"{floor:.4f}"}
    )


def test_no_number_on_these_pages_is_typed_into_the_source(source):
    for name in ("05_two_relu_nodes", "06_unlucky_seed"):
        prose = re.sub(r"```.*?```", "", source(name), flags=re.S)
        assert not re.search(r"-?\d\.\d{4}", prose), name
