def test_chapter_page_renders_korean_in_chromium(page, site_url):
    page.goto(f"{site_url}/lectures/02_polynomial_regression.html")
    assert "다항회귀" in page.title()
    assert page.locator("div.lang-block[lang=ko]").count() > 0
