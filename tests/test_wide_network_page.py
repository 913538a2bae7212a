"""The wide-network chapter (07): 500 sharp-sigmoid nodes, and overfitting pure noise."""


def test_wide_network_page_draws_the_network_abbreviated(chapter_html):
    assert "more)" in chapter_html("07_wide_network"), "the 500-node layer is abbreviated"


def test_the_custom_activation_is_shown_from_the_package_without_the_lectures_stale_comment(chapter_article):
    article = chapter_article("07_wide_network")
    code = " ".join(block.get_text() for block in article.select("div.highlight"))
    assert "def sharp_sigmoid" in code, "the activation's source is shown"
    assert "already implemented SiLU" not in code, "the lecture's comment is not repeated in code"
    for lang in ("ko", "en"):
        prose = " ".join(block.get_text(" ") for block in article.select(f"div.lang-block[lang={lang}]"))
        assert "SiLU" in prose, f"the {lang} prose says why the lecture's comment is wrong"
