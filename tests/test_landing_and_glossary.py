"""The landing page and the glossary."""

import re

import pytest


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


@pytest.mark.parametrize(
    "term",
    [
        "overfitting",
        "wide-network",
        "learning-rate",
        "seed",
        "noise",
        "divergence",
        "sigmoid",
        "Hessian",
        "ReLU",
        "step-function",
        "gradient",
        "stochastic-gradient-descent",
        "universal-approximation-theorem",
    ],
)
def test_glossary_defines_the_terms_in_both_languages(built_site, term):
    html = (built_site / "book" / "glossary.html").read_text(encoding="utf-8")
    entry = re.search(rf'<dt[^>]* id="term-{term}"[^>]*>.*?</dd>', html, re.S)  # dt: class and lang of the name's language
    assert entry, term
    assert 'lang="ko"' in entry.group(0) and 'lang="en"' in entry.group(0)


def glossary_entry(built_site, term: str) -> str:
    html = (built_site / "book" / "glossary.html").read_text(encoding="utf-8")
    return re.sub(r"<[^>]+>", "", re.search(rf'<dt[^>]* id="term-{term}"[^>]*>.*?</dd>', html, re.S).group(0))


def test_universal_approximation_is_stated_with_its_conditions(built_site):
    entry = glossary_entry(built_site, "universal-approximation-theorem")
    for condition in (
        "continuous",
        "bounded interval",
        "biases",
        "enough nodes",
        "fixed number of nodes",
        "연속함수",
        "유한",
        "편향",
        "충분히",
        "노드 수가 정해진",
    ):
        assert condition in entry, condition
    wide = glossary_entry(built_site, "wide-network")
    assert "almost any curve" not in wide and "universal approximation" in wide and "fixed number of nodes" in wide


def test_landing_page_backs_its_reproducibility_claim_with_the_check(built_site):
    html = (built_site / "book" / "index.html").read_text(encoding="utf-8")
    principles = html[html.index("principles") :]
    assert "02_polynomial_regression.html" in principles, "the four-decimals claim links the chapter that checks it"
    assert "fit anything" not in html and "무엇이든 맞추고" not in html
    assert "연습문제" in html and "exercises" in html
