"""The players in the built chapters: one per chapter where the story trains, each ending where the run ends."""

import json
import re

import pytest

from tools.chapters import ROOT
from tools.check_reproducible import computed

# chapter -> the glue that holds the chapter's final loss of the recorded run, computed by the
# chapter's own code (the training loop's last loss), not by the recording.
FINAL_LOSS = {
    "02_polynomial_regression": "poly_loss",
    "03_piecewise_linear": "pw1_loss",
    "04_one_relu_node": "relu_loss",
}


def players(chapter_article, name: str) -> list:
    return chapter_article(name).select("figure.nnstep-player")


def glued(name: str, key: str) -> str:
    found = computed(ROOT).get(f"lectures/{name}.md, glue {key!r} (text/plain)")
    assert found is not None, f"no glue {key!r} in {name}: update FINAL_LOSS in {__file__}"
    return found.strip("'\"")


@pytest.mark.parametrize("name", FINAL_LOSS)
def test_the_players_last_frame_has_the_glued_final_loss(chapter_article, chapter_html, name):
    [player] = players(chapter_article, name)
    data = json.loads(player.select_one("script.np-data").string)
    final = glued(name, FINAL_LOSS[name])
    assert data["runs"][0]["loss"][-1] == final, "the player ends where the chapter says the run ends"
    assert final in chapter_html(name)
    assert player.select_one(".np-static .np-loss").get_text() == final, "and so does the static figure"
    assert 40 <= len(data["epochs"]) <= 120 and data["epochs"][0] == 0


@pytest.mark.parametrize("name", FINAL_LOSS)
def test_a_player_sits_in_the_main_story_with_both_languages_around_it(chapter_article, name):
    [player] = players(chapter_article, name)
    section = player.find_parent("section")
    heading = section.find(["h2", "h3"])
    assert heading.select_one("[lang=ko]") and heading.select_one("[lang=en]")
    assert section.select("div.lang-block[lang=ko]") and section.select("div.lang-block[lang=en]")
    for lang in ("ko", "en"):
        assert player.select_one(f"figcaption [lang={lang}]").get_text(strip=True), "a title in both languages"
    assert len(str(player).encode()) < 150_000


def test_the_players_scripts_pass_the_site_checks(built_site, chapter_article):
    """Inline and self-contained: nothing from another host, no path of the build machine."""
    from tools.site_check import leak_problems, third_party_problems

    pages = [built_site / "lectures" / f"{name}.html" for name in FINAL_LOSS]
    assert not leak_problems(built_site, pages) and not third_party_problems(built_site, pages)
    for page in pages:
        for player in players(chapter_article, page.stem):
            assert not player.select("script[src], link, img[src^=http]")
            assert not re.search(r"https?://", str(player))
