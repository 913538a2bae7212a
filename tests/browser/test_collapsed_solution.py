"""The homework's solution (chapter 08) starts collapsed and opens on a click; the exercise stays open."""


def test_homework_solution_is_collapsed_until_clicked(page, site_url):
    page.goto(f"{site_url}/lectures/08_homework_learning_rate.html")
    # the solution is the first dropdown of the section "풀이 · Solution"; "Going further" and the exercises' solutions follow
    solution = page.locator("section#solution div.dropdown.admonition").first
    body = solution.locator("div.lang-block[lang=ko]").first
    assert "풀이 보기" in solution.locator(".admonition-title").inner_text()
    assert not body.is_visible(), "the solution starts collapsed"
    solution.locator(".admonition-title").click()
    body.wait_for(state="visible")
    assert page.locator("div.tip.admonition div.lang-block[lang=ko]").first.is_visible(), "the exercise stays open"
