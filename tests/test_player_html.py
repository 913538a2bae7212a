"""nnstep.player: self-contained, small, well-formed HTML whose last frame is the run's final state."""

import json
import math
import re
from html.parser import HTMLParser

import pytest
import torch

from nnstep import data, fit, models, play, player

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SVG_EMPTY = {"path", "rect", "circle", "line"}  # written as <x .../>


class TagBalance(HTMLParser):
    """Every element closed, in order: the player is one well-formed fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.ids += [value for name, value in attrs if name == "id"]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.ids += [value for name, value in attrs if name == "id"]

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def well_formed(html: str) -> TagBalance:
    parser = TagBalance()
    parser.feed(html)
    parser.close()
    assert not parser.problems and not parser.stack, (parser.problems, parser.stack)
    return parser


def player_data(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" class="np-data">(.*?)</script>', html, re.S)[1])


@pytest.fixture(scope="module")
def hidden_result():
    curve = data.piecewise_linear()
    torch.manual_seed(1)
    net = models.hidden_net(2)
    return net, fit(net, curve.X, curve.y, epochs=1000, lr=0.1, device="cpu", record=True)


def test_a_player_is_well_formed_small_and_self_contained(hidden_result):
    _, result = hidden_result
    shown = play(result, title=("풀이3", "Solution 3"), about=("노드를 보세요.", "Watch the nodes."), nodes=True, params=True)
    html = shown._repr_html_()
    parser = well_formed(html)
    assert len(parser.ids) == len(set(parser.ids)), "ids are unique"
    assert shown.size == len(html.encode()) < 60_000, shown.size
    assert "http" not in html and " src=" not in html and "<link" not in html, "nothing is loaded from anywhere"
    assert html.count("<script>") == 1 and html.count("<style>") == 1, "inline code and style"
    assert "KB>" in repr(shown) and len(repr(shown)) < 60, "a short plain-text fallback"
    for role in ('aria-labelledby="', 'aria-describedby="', 'role="img"'):
        assert role in html
    assert (
        '<span lang="ko" class="lang-inline lang-ko">풀이3</span>' in html and 'lang="en" class="lang-inline lang-en">Solution 3<' in html
    )
    assert "노드를 보세요." in html and "Watch the nodes." in html


def test_the_static_figure_is_the_last_frame_and_the_controls_wait_for_javascript(hidden_result):
    net, result = hidden_result
    rec = result.recording
    html = play(result, title="t", params=True).html
    found = player_data(html)
    assert found["epochs"] == rec.epochs
    [run] = found["runs"]
    assert run["loss"][-1] == f"{rec.losses[-1]:.4f}" and run["loss"][0] == f"{rec.losses[0]:.4f}"
    assert (
        run["params"][-1]
        == f"0.weight = [{net[0].weight[0, 0]:.4f}, {net[0].weight[1, 0]:.4f}] · 2.weight = [{net[2].weight[0, 0]:.4f}, {net[2].weight[0, 1]:.4f}]"
    )
    static = html[html.index('class="np-view np-static"') : html.index('class="np-controls"')]
    frames = player._decode(run["fit"])
    assert f'd="{player._path(run["xs"], frames[-1])}"' in static and frames[-1] != frames[0]
    assert f'<b class="np-epoch">{rec.epochs[-1]}</b>' in static and f'<b class="np-loss">{run["loss"][-1]}</b>' in static
    assert '<div class="np-controls" hidden>' in html
    assert re.search(r"@media print \{[^}]*np-static[^}]*display: block", html), "print shows the static last frame"
    alt = re.search(r'<p id="[^"]+-alt" class="np-sr">(.*?)</p>', html, re.S)[1]
    assert f"{rec.losses[-1]:.4f}" in alt and str(rec.epochs[-1]) in alt


def test_the_drawn_fit_follows_the_predictions(hidden_result):
    """Decoding the frames gives back each prediction's place in the panel, to a tenth of a unit."""
    _, result = hidden_result
    rec = result.recording
    layout = player._Layout({"": rec}, ("t", "t"), None, False, False, None)
    fx, fy, _ = layout.fit_scales
    run = layout.data()["runs"][0]
    decoded = player._decode(run["fit"])
    order = torch.argsort(rec.X[:, 0])
    for frame in (0, len(rec.epochs) // 2, len(rec.epochs) - 1):
        expected = [min(max(fy(v), player.TOP), player.HEIGHT - player.BOTTOM) for v in rec.predictions[frame, order, 0].tolist()]
        assert decoded[frame] == pytest.approx(expected, abs=0.051)
    assert [float(x) for x in run["xs"]] == pytest.approx([fx(v) for v in rec.X[order, 0].tolist()], abs=0.051)


def test_encoding_round_trips_jumps_gaps_and_long_stills():
    frames = [[0.0] * 70 + [5.0, math.nan], [0.0] * 70 + [5.3, math.nan], [0.0] * 70 + [150.0, 2.0], [0.0] * 70 + [150.0, 2.0]]
    codes = player._encode(frames, -10, 190)
    assert codes[1] == "._.Fj" and codes[3] == "", "70 unchanged points: 4 characters; an unchanged frame: none"
    decoded = player._decode(codes)
    assert decoded == [[0.0] * 70 + [5.0, None], [0.0] * 70 + [5.3, None], [0.0] * 70 + [150.0, 2.0], [0.0] * 70 + [150.0, 2.0]]
    assert player._decode(player._encode([[500.0, -500.0]], -10, 190)) == [[190.0, -10.0]], "clamped to the panel"


def test_several_runs_share_one_slider_and_each_keeps_its_label(hidden_result):
    _, result = hidden_result
    curve = data.piecewise_linear()
    torch.manual_seed(3)
    other = fit(models.hidden_net(2), curve.X, curve.y, epochs=1000, lr=0.01, device="cpu", record=True)
    html = play({"lr 0.1": result, ("학습률 0.01", "lr 0.01"): other}, title="two runs", nodes=True).html
    well_formed(html)
    found = player_data(html)
    assert len(found["runs"]) == 2 and found["labels"] == [["lr 0.1", "lr 0.1"], ["학습률 0.01", "lr 0.01"]]
    assert html.count('<circle class="np-mark') == 2 and html.count('class="np-fit"') == 2
    assert len(html.encode()) < 100_000


def test_two_players_on_a_page_have_their_own_ids(hidden_result):
    _, result = hidden_result
    first, second = play(result, title="a").html, play(result, title="a").html
    id_of = re.compile(r'<figure class="nnstep-player[^"]*" id="([^"]+)"')
    assert id_of.search(first)[1] != id_of.search(second)[1]
    well_formed(first + second)
    assert "window.nnstepPlayer = window.nnstepPlayer ||" in first, "the second copy of the code only mounts its player"


def test_play_refuses_what_it_cannot_draw(hidden_result):
    _, result = hidden_result
    curve = data.piecewise_linear()
    with pytest.raises(ValueError, match="record=True"):
        play(fit(models.linear(), curve.X, curve.y, epochs=3, lr=0.1, device="cpu"), title="t")
    shorter = fit(models.linear(), curve.X, curve.y, epochs=500, lr=0.1, device="cpu", record=True)
    with pytest.raises(ValueError, match="same epochs"):
        play({"a": result, "b": shorter}, title="t")
    with pytest.raises(ValueError, match="no parameter 'w'"):
        play(result, title="t", params=["w"])
    with pytest.raises(ValueError, match="Sequential"):
        play(shorter, title="t", nodes=True)
    wide = fit(models.hidden_net(20), curve.X, curve.y, epochs=1000, lr=0.01, device="cpu", record=True)
    with pytest.raises(ValueError, match="at most 4 nodes"):
        play(wide, title="t", nodes=True)


def test_a_player_over_the_budget_says_what_to_do(hidden_result, monkeypatch):
    _, result = hidden_result
    monkeypatch.setattr(player, "BUDGET", 10_000)
    with pytest.raises(ValueError, match=r"record fewer frames"):
        play(result, title="t")


def test_a_fine_grid_draws_the_fit_between_the_data_points(hidden_result):
    net, result = hidden_result
    grid = torch.linspace(-1, 1, 201).reshape(201, 1)
    run = player_data(play(result, title="t", inputs=grid).html)["runs"][0]
    assert len(run["xs"]) == 201 and len(player._decode(run["fit"])[-1]) == 201


def check_last_frame(found: dict, net, X, y, epochs: int) -> None:
    """The player's last frame is the trained net: its epoch is the run's end, and its loss is the MSE of
    the trained weights on the data, computed here afresh (not the loop's last loss, before the last step)."""
    [run] = found["runs"]
    with torch.no_grad():
        trained = torch.nn.functional.mse_loss(net(X), y).item()
    assert found["epochs"][-1] == epochs
    assert run["loss"][-1] == f"{trained:.4f}", (run["loss"][-1], trained)


def test_the_last_frame_shows_the_trained_nets_loss():
    """A short run, where each step moves the loss in the second decimal: the loss before the last step
    and the trained net's differ in what the player shows, so a last frame made of the wrong one fails."""
    curve = data.piecewise_linear()
    torch.manual_seed(1)
    net = models.hidden_net(2)
    result = fit(net, curve.X, curve.y, epochs=8, lr=0.1, device="cpu", record=True)
    found = player_data(play(result, title="t").html)
    check_last_frame(found, net, curve.X, curve.y, epochs=8)
    assert f"{result.losses[-1]:.4f}" != found["runs"][0]["loss"][-1], "the run's loop loss is the one before the last step"
    assert result.recording.losses[-1] == pytest.approx(torch.nn.functional.mse_loss(net(curve.X), curve.y).item(), rel=1e-6)


def test_the_last_frame_check_fails_on_a_last_digit_error():
    """The test of the test: a last frame off by 0.0001 fails."""
    curve = data.piecewise_linear()
    torch.manual_seed(1)
    net = models.hidden_net(2)
    result = fit(net, curve.X, curve.y, epochs=8, lr=0.1, device="cpu", record=True)
    found = player_data(play(result, title="t").html)
    off = f"{float(found['runs'][0]['loss'][-1]) + 0.0001:.4f}"
    with pytest.raises(AssertionError):
        check_last_frame({**found, "runs": [{**found["runs"][0], "loss": [*found["runs"][0]["loss"][:-1], off]}]}, net, curve.X, curve.y, 8)
