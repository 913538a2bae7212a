"""The players in the built chapters, in the main story where the chapters train, each ending where its runs end."""

import functools
import json
import re

import pytest

from coursebook.chapters import ROOT
from coursebook.execution.reproducible import computed

# chapter -> its players in page order -> for each run of a player, the glue that holds that run's
# final loss, computed by the chapter's own code (the training loop's last loss, or for the overfitting chapter's
# noise a forward pass of the trained net), not by the recording.
FINAL_LOSSES = {
    "02_polynomial_regression": [["poly_loss"]],
    "03_piecewise_linear": [["pw1_loss"]],
    "04_one_relu_node": [["relu_loss"]],
    "05_two_relu_nodes": [["n2_loss_last"]],
    "06_unlucky_seed": [["us_loss_end", "us_stuck_loss_end"]],
    "07_wide_network": [["wide_loss_last"]],
    "07b_overfitting": [["noise_play_loss"]],
    "08_homework_learning_rate": [["hw_loss_small", "hw_loss_big"]],
}
NODES = {"05_two_relu_nodes": 2, "06_unlucky_seed": 2}  # players that draw each hidden node's part


def players(chapter_article, name: str) -> list:
    return chapter_article(name).select("figure.coursebook-own-colours")


@functools.cache
def glue_store() -> dict[str, str]:
    return computed(ROOT)  # the executed notebooks of the session's build


def glued(name: str, key: str) -> str:
    found = glue_store().get(f"lectures/{name}.md, glue {key!r} (text/plain)")
    assert found is not None, f"no glue {key!r} in {name}: update FINAL_LOSSES in {__file__}"
    return found.strip("'\"")


def data_of(player) -> dict:
    return json.loads(player.select_one("script.np-data").string)


def check_final_losses(player, finals: list[str]) -> None:
    """Each run of the player ends on the final loss the chapter computed (its glue store), in its data and
    in the static figure a reader without JavaScript sees."""
    data = data_of(player)
    assert [run["loss"][-1] for run in data["runs"]] == finals, "each run ends where the chapter says it ends"
    assert [b.get_text() for b in player.select(".np-static .np-loss")] == finals, "and so does the static figure"


@pytest.mark.parametrize("name", FINAL_LOSSES)
def test_each_players_last_frame_has_the_glued_final_loss_of_each_run(chapter_article, name):
    found = players(chapter_article, name)
    assert len(found) == len(FINAL_LOSSES[name]), f"{name}: one player per entry of FINAL_LOSSES"
    for player, keys in zip(found, FINAL_LOSSES[name]):
        check_final_losses(player, [glued(name, key) for key in keys])
        data = data_of(player)
        assert 40 <= len(data["epochs"]) <= 120 and data["epochs"][0] == 0


def test_the_final_loss_check_fails_on_a_last_digit_error(chapter_article):
    """The test of the test: each player's check, given a final loss off by 0.0001, fails."""
    for name, entries in FINAL_LOSSES.items():
        for player, keys in zip(players(chapter_article, name), entries):
            finals = [glued(name, key) for key in keys]
            off = [f"{float(finals[0]) + 0.0001:.4f}", *finals[1:]]
            with pytest.raises(AssertionError):
                check_final_losses(player, off)


@pytest.mark.parametrize("name", FINAL_LOSSES)
def test_a_player_sits_in_a_section_with_both_languages_around_it(chapter_article, name):
    for player in players(chapter_article, name):
        section = player.find_parent("section")
        heading = section.find(["h2", "h3"])
        assert heading.select_one("[lang=ko]") and heading.select_one("[lang=en]")
        assert section.select("div.lang-block[lang=ko]") and section.select("div.lang-block[lang=en]")
        for lang in ("ko", "en"):
            assert player.select_one(f"figcaption [lang={lang}]").get_text(strip=True), "a title in both languages"
        assert len(str(player).encode()) < 150_000
        assert not player.find_parent("details"), "not in a collapsed cell: players are shown, in the prose's order"


def test_players_of_several_runs_name_each_run_in_both_languages(chapter_article):
    for name in ("06_unlucky_seed", "08_homework_learning_rate"):
        [player] = players(chapter_article, name)
        data = data_of(player)
        assert len(data["runs"]) == 2 and len(data["labels"]) == 2
        panels = player.select(".np-static .np-panels > svg")
        assert len(panels) == 3, "a fit panel per run and the loss panel"
        readouts = player.select(".np-static .np-readout > span[class^=np-r]")
        assert [r.get("class") for r in readouts] == [["np-r0"], ["np-r1"]], "a loss readout per run"


@pytest.mark.parametrize("name", NODES)
def test_node_players_draw_each_nodes_part_for_each_run(chapter_article, name):
    [player] = players(chapter_article, name)
    for run in data_of(player)["runs"]:
        assert len(run["nodes"]) == NODES[name]
    legend = player.select_one(".np-legend").get_text(" ")
    assert "node 1 contributes" in legend and "node 2 contributes" in legend, "nodes counted from 1, as the diagrams name them"
    assert "node 0" not in legend


def test_the_homework_player_is_part_of_the_hidden_solution(chapter_article):
    """The player answers the homework: it sits inside the dropdown "Show the solution", not before it."""
    [player] = players(chapter_article, "08_homework_learning_rate")
    box = player.find_parent("div", class_="dropdown")
    assert box and "풀이 보기 · Show the solution" in " ".join(box.select_one(".admonition-title").get_text().split())


def test_the_players_scripts_pass_the_site_checks(built_site, chapter_article):
    """Inline and self-contained: nothing from another host, no path of the build machine."""
    from coursebook.build.site_check import leak_problems, third_party_problems

    pages = [built_site / "lectures" / f"{name}.html" for name in FINAL_LOSSES]
    assert not leak_problems(built_site, pages) and not third_party_problems(built_site, pages)
    for page in pages:
        for player in players(chapter_article, page.stem):
            assert not player.select("script[src], link, img[src^=http]")
            assert not re.search(r"https?://", str(player))
