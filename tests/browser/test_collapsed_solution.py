"""The homework's solution (chapter 08) starts collapsed and opens on a click; the exercise stays open."""


def test_homework_solution_is_collapsed_until_clicked(page, site_url):
    page.goto(f"{site_url}/lectures/08_homework_learning_rate.html")
    solution = page.locator("div.dropdown.admonition")
    body = solution.locator("div.lang-block[lang=ko]").first
    assert solution.count() == 1
    assert not body.is_visible(), "the solution starts collapsed"
    solution.locator(".admonition-title").click()
    body.wait_for(state="visible")
    assert page.locator("div.tip.admonition div.lang-block[lang=ko]").first.is_visible(), "the exercise stays open"
