"""The training players in the built pages, driven as a reader drives them: slider, keys, buttons.

Every request that leaves 127.0.0.1 is refused, so a
player that needed the network would fail here.
"""

import re

import pytest
from book_pages import offline_context, open_page, screenshot
from local_server import served

PLAYER_PAGES = ["lectures/02_polynomial_regression.html", "lectures/03_piecewise_linear.html", "lectures/04_one_relu_node.html"]
# every page with a player (the tests above drive the first three in full; these are looked at on every screen)
ALL_PLAYER_PAGES = PLAYER_PAGES + [
    "lectures/05_two_relu_nodes.html",
    "lectures/06_unlucky_seed.html",
    "lectures/07_wide_network.html",
    "lectures/07b_overfitting.html",
    "lectures/08_homework_learning_rate.html",
]
TWO_RUN_PAGES = ["lectures/06_unlucky_seed.html", "lectures/08_homework_learning_rate.html"]  # two runs on one slider
LAPTOP, PHONE = {"width": 1280, "height": 900}, {"width": 375, "height": 740}


def settings(context, theme: str = "light", language: str = "ko") -> None:
    context.add_init_script(
        f"localStorage.setItem('theme', '{theme}'); localStorage.setItem('mode', '{theme}'); localStorage.setItem('coursebook-lang', '{language}');"
    )


# Every chapter page declares sphinx-thebe's settings twice (a `const` in two inline scripts of the
# theme's <head>), so the second throws. Not the player's; any other script error fails.
THEME_ERROR = "Identifier 'THEBE_JS_URL' has already been declared"


def watch(page) -> list[str]:
    """Page errors and every request that is not to the local site or the (locally served) MathJax."""
    problems: list[str] = []
    page.on("pageerror", lambda error: None if THEME_ERROR in str(error) else problems.append(f"script error: {error}"))
    page.on(
        "request",
        lambda request: (
            None
            if re.match(r"https?://127\.0\.0\.1[:/]|https://cdn\.jsdelivr\.net/npm/mathjax@3/", request.url)
            else problems.append(f"request to {request.url}")
        ),
    )
    return problems


def state(player) -> dict:
    """What the live view shows now."""
    return player.evaluate(
        """(root) => {
            const live = root.querySelector('.np-live');
            return {
                epoch: live.querySelector('.np-epoch').textContent,
                loss: live.querySelector('.np-loss').textContent,
                fit: live.querySelector('.np-fit').getAttribute('d'),
                mark: live.querySelector('.np-mark').getAttribute('cx'),
                slider: root.querySelector('.np-controls input').value,
                playing: root.querySelector('.np-play').getAttribute('aria-pressed'),
                staticFit: root.querySelector('.np-static .np-fit').getAttribute('d'),
            };
        }"""
    )


def reveal(player) -> None:
    """Open the box a player sits in (chapter 08's hidden solution) by its button (the chevron in its title)."""
    box = player.locator("xpath=ancestor::div[contains(@class, 'dropdown')][1]")
    if box.count() and not player.is_visible():
        box.locator(".admonition-title .toggle-button").first.click()
        player.wait_for(state="visible")


def epochs_of(player) -> list[int]:
    import json

    return json.loads(player.locator(".np-data").text_content())["epochs"]


@pytest.mark.parametrize("name", PLAYER_PAGES)
def test_slider_keys_and_buttons_move_the_drawing(browser, site_url, name):
    with offline_context(browser, viewport=LAPTOP) as context:
        page = context.new_page()
        problems = watch(page)
        page.goto(f"{site_url}/{name}")
        player = page.locator(".nnstep-player").first
        epochs = epochs_of(player)
        assert player.locator(".np-live").is_visible() and not player.locator(".np-static").is_visible()
        assert player.locator(".np-controls").is_visible()

        start = state(player)
        assert start["epoch"] == "0" and start["playing"] == "false", "no autoplay: it waits at the start"
        assert start["fit"] != start["staticFit"], "frame 0 is not the last frame"

        slider = player.locator(".np-controls input")
        slider.focus()
        page.keyboard.press("ArrowRight")
        one = state(player)
        assert one["epoch"] == str(epochs[1]) and one["fit"] != start["fit"] and one["mark"] != start["mark"]
        page.keyboard.press("End")
        end = state(player)
        assert end["epoch"] == str(epochs[-1]) and end["fit"] == end["staticFit"], "the last frame is the one Python drew"
        page.keyboard.press("Home")
        assert state(player)["fit"] == start["fit"]

        player.locator(".np-forward").click()
        assert state(player)["epoch"] == str(epochs[1])
        player.locator(".np-forward").press("ArrowRight")  # arrows work on the buttons too
        assert state(player)["epoch"] == str(epochs[2])
        player.locator(".np-back").click()
        player.locator(".np-back").press("End")
        assert state(player)["epoch"] == str(epochs[-1])
        player.locator(".np-back").press("Home")
        assert state(player)["epoch"] == "0"

        slider.focus()
        page.keyboard.press(" ")  # space plays ...
        assert state(player)["playing"] == "true"
        page.wait_for_function("(root) => root.querySelector('.np-live .np-epoch').textContent !== '0'", arg=player.element_handle())
        page.keyboard.press(" ")  # ... and pauses
        paused = state(player)
        assert paused["playing"] == "false" and paused["epoch"] != "0"
        page.wait_for_timeout(400)
        assert state(player)["epoch"] == paused["epoch"], "paused means paused"

        player.locator(".np-play").click()  # the button plays on to the end and stops there
        page.wait_for_function(
            "(root) => root.querySelector('.np-play').getAttribute('aria-pressed') === 'false'", arg=player.element_handle(), timeout=20_000
        )
        assert state(player)["epoch"] == str(epochs[-1])
        assert not problems, problems


def test_reduced_motion_plays_slowly(browser, site_url):
    with offline_context(browser, viewport=LAPTOP, reduced_motion="reduce") as context:
        page = open_page(context, f"{site_url}/{PLAYER_PAGES[0]}")
        assert int(page.locator(".nnstep-player").first.get_attribute("data-frame-ms")) >= 500
    with offline_context(browser, viewport=LAPTOP, reduced_motion="no-preference") as context:
        page = open_page(context, f"{site_url}/{PLAYER_PAGES[0]}")
        assert int(page.locator(".nnstep-player").first.get_attribute("data-frame-ms")) <= 150


@pytest.mark.parametrize("name", PLAYER_PAGES)
def test_without_javascript_and_in_print_the_last_frame_shows(browser, site_url, name):
    with offline_context(browser, viewport=LAPTOP, java_script_enabled=False) as context:
        page = context.new_page()
        page.goto(f"{site_url}/{name}")
        player = page.locator(".nnstep-player").first
        epochs = epochs_of(player)
        assert player.locator(".np-static").is_visible() and not player.locator(".np-controls").is_visible()
        assert player.locator(".np-static .np-epoch").text_content() == str(epochs[-1])
        assert player.locator(".np-live").count() == 0
    with offline_context(browser, viewport=LAPTOP) as context:
        page = open_page(context, f"{site_url}/{name}")
        player = page.locator(".nnstep-player").first
        player.locator(".np-controls input").focus()
        page.keyboard.press("Home")  # the reader left the player at the start ...
        page.emulate_media(media="print")  # ... and prints: the last frame, no controls
        assert player.locator(".np-static").is_visible() and not player.locator(".np-live").is_visible()
        assert not player.locator(".np-controls").is_visible()


@pytest.mark.parametrize(
    "viewport, theme, language",
    [(LAPTOP, "light", "ko"), (LAPTOP, "dark", "en"), (PHONE, "dark", "en"), (PHONE, "light", "ko")],
    ids=["laptop-light-ko", "laptop-dark-en", "phone-dark-en", "phone-light-ko"],
)
def test_players_fit_the_screen_and_speak_the_chosen_language(browser, site_url, viewport, theme, language):
    other = {"ko": "손실", "en": "loss"}
    with offline_context(browser, viewport=viewport) as context:
        settings(context, theme, language)
        for name in ALL_PLAYER_PAGES:
            page = open_page(context, f"{site_url}/{name}")
            players = page.locator(".nnstep-player")
            assert players.count() >= 1, name
            for index in range(players.count()):
                player = players.nth(index)
                reveal(player)
                player.scroll_into_view_if_needed()
                box = player.bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], f"{name}: the player sticks out: {box}"
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{name}: the page scrolls sideways"
                readout = player.locator(".np-live .np-readout").inner_text()
                assert other[language] in readout and other["en" if language == "ko" else "ko"] not in readout, readout
                axis = player.locator(".np-live svg.np-losses").evaluate(
                    "(svg) => [...svg.querySelectorAll('tspan')].filter((t) => t.getBBox().width > 0).map((t) => t.textContent).join(' ')"
                )
                assert axis == {"ko": "에폭 손실", "en": "epoch loss"}[language], f"the axis labels follow the switch: {axis}"
                slider = player.locator(".np-controls input")
                assert (language == "ko") == ("에폭" in slider.get_attribute("aria-valuetext")), "the slider speaks the page's language"
                screenshot(player, f"player-{name.split('/')[-1].removesuffix('.html')}-{index}-{viewport['width']}-{theme}-{language}")
            page.close()


def test_two_players_on_one_page_play_on_their_own(browser, tmp_path):
    """The second player's copy of the code only mounts it; each keeps its own frame."""
    import torch

    from nnstep import data, fit, models, play

    curve = data.piecewise_linear()
    torch.manual_seed(1)
    result = fit(models.hidden_net(2), curve.X, curve.y, epochs=200, lr=0.1, device="cpu", record=True)
    html = play(result, title="first", nodes=True).html + play(result, title="second").html
    (tmp_path / "index.html").write_text(
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>t</title></head><body>{html}</body></html>"
    )
    with served(tmp_path) as url, offline_context(browser) as context:
        page = context.new_page()
        problems = watch(page)
        page.goto(f"{url}/index.html")
        first, second = page.locator(".nnstep-player").nth(0), page.locator(".nnstep-player").nth(1)
        assert first.get_attribute("data-live") == "1" and second.get_attribute("data-live") == "1"
        second.locator(".np-controls input").focus()
        page.keyboard.press("End")
        assert state(first)["epoch"] == "0" and state(second)["epoch"] == "200"
        assert page.evaluate("typeof window.nnstepPlayer.mount") == "function"
        assert not problems, problems


def runs_now(player) -> dict:
    """What the live view shows of each run now."""
    return player.evaluate(
        """(root) => {
            const live = root.querySelector('.np-live');
            const all = (selector, attribute) => [...live.querySelectorAll(selector)].map((e) => attribute ? e.getAttribute(attribute) : e.textContent);
            return {
                epoch: live.querySelector('.np-epoch').textContent,
                fits: all('.np-fit', 'd'), nodes: all('.np-node', 'd'), losses: all('.np-readout .np-loss'), marks: all('.np-mark', 'cy'),
                labels: [...root.querySelectorAll('.np-live .np-legend li[class^=np-r]')].map((e) => e.innerText.trim()),
                staticFits: [...root.querySelectorAll('.np-static .np-fit')].map((e) => e.getAttribute('d')),
            };
        }"""
    )


@pytest.mark.parametrize("name", TWO_RUN_PAGES)
def test_two_runs_on_one_slider_both_move(browser, site_url, name):
    with offline_context(browser, viewport=LAPTOP) as context:
        settings(context, "light", "en")
        page = context.new_page()
        problems = watch(page)
        page.goto(f"{site_url}/{name}")
        player = page.locator(".nnstep-player").first
        reveal(player)
        epochs = epochs_of(player)
        assert player.locator(".np-live").is_visible() and player.locator(".np-controls").is_visible()
        start = runs_now(player)
        assert start["epoch"] == "0" and len(start["fits"]) == 2 and len(start["losses"]) == 2 and len(start["marks"]) == 2
        assert len(start["labels"]) == 2 and all(start["labels"]), "each run is named in the legend"
        slider = player.locator(".np-controls input")
        slider.focus()
        page.keyboard.press("ArrowRight")
        one = runs_now(player)
        assert one["epoch"] == str(epochs[1])
        assert all(a != b for a, b in zip(start["losses"], one["losses"])), "one step of the slider moves both runs' losses"
        assert all(a != b for a, b in zip(start["marks"], one["marks"])), "and both marks on the loss curves"
        page.keyboard.press("End")
        end = runs_now(player)
        assert end["epoch"] == str(epochs[-1]) and end["fits"] == end["staticFits"], "both runs end on the frame Python drew"
        assert all(a != b for a, b in zip(start["fits"], end["fits"])), "both fits moved"
        if start["nodes"]:  # chapter 06: each node's part is drawn for both runs, and moves with the slider
            assert len(start["nodes"]) == 4 and start["nodes"] != end["nodes"]
        assert not problems, problems
