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


@pytest.mark.parametrize("term", ["overfitting", "wide-network", "learning-rate", "seed", "noise", "divergence",
                                  "sigmoid", "Hessian", "ReLU", "step-function"])
def test_glossary_defines_the_terms_in_both_languages(built_site, term):
    html = (built_site / "book" / "glossary.html").read_text(encoding="utf-8")
    entry = re.search(rf'<dt[^>]* id="term-{term}"[^>]*>.*?</dd>', html, re.S)  # dt: class and lang of the name's language
    assert entry, term
    assert 'lang="ko"' in entry.group(0) and 'lang="en"' in entry.group(0)
