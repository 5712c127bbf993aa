"""The role-play pages rendered headless (solara.render): what a click does to the game, and
what a refusal looks like on the page. Polling is off (``poll_seconds=0``): each test renders
the state it set up."""

from __future__ import annotations

import pytest

solara = pytest.importorskip("solara")
v = pytest.importorskip("ipyvuetify")

from sim.dashboard.play import LecturerPage, TeamPage  # noqa: E402
from sim.play import registry  # noqa: E402
from sim.play.registry import _REGISTRIES, Games  # noqa: E402

ARM = "added to the goal (% of GDP): from 0 to 2"


@pytest.fixture
def games(tmp_path, monkeypatch):
    """A games folder of the test's own, as `sim dashboard --games` sets it."""
    monkeypatch.setenv("ALLIANCE_SIM_GAMES", str(tmp_path / "games"))
    return registry()


def alerts(rc) -> list[tuple[str, str]]:
    return [(w.type, "".join(map(str, w.children))) for w in rc.find(v.Alert).widgets]


def wait_for(rc, widget, seconds: float = 30):
    """The widgets of class ``widget`` once there are some (made by a page's thread)."""
    import time

    deadline = time.monotonic() + seconds
    while not rc.find(widget).widgets and time.monotonic() < deadline:
        time.sleep(0.05)
    return rc.find(widget).widgets


def type_into(rc, label: str, text: str) -> None:
    field = rc.find(v.TextField, label=label).widget
    field.v_model = text
    field.fire_event("focusout", None)  # as leaving the field does


def test_a_team_submits_its_move_from_its_page(games):
    game = games.start("class", "baseline", ["US", "JPN"], replicates=4)
    _, rc = solara.render(TeamPage("JPN", poll_seconds=0), handle_error=False)
    type_into(rc, ARM, "0.5")
    rc.find(v.Btn, children=["Submit for round 1"]).widget.click()
    assert game.pending()["JPN"].values == {"pct": 0.5}
    assert ("success", "JPN: 'arm' for round 1 accepted") in alerts(rc)


def test_a_refused_move_is_explained_on_the_page(games):
    game = games.start("class", "baseline", ["US", "JPN"], replicates=4)
    _, rc = solara.render(TeamPage("JPN", poll_seconds=0), handle_error=False)
    type_into(rc, ARM, "7")
    rc.find(v.Btn, children=["Submit for round 1"]).widget.click()
    assert game.pending() == {}
    kind, text = alerts(rc)[-1]
    assert kind == "error" and "pct must be a number from 0 to 2, got 7" in text
    assert "valid: pct: a number from 0 to 2" in text


def test_a_stale_page_is_told_its_move_is_late(games):
    game = games.start("class", "baseline", ["US", "JPN"], replicates=4)
    _, rc = solara.render(TeamPage("JPN", poll_seconds=0), handle_error=False)
    game.advance()  # the lecturer runs the round before this page has heard of it
    rc.find(v.Btn, children=["Submit for round 1"]).widget.click()
    assert "too late: round 1 has been played" in alerts(rc)[-1][1]
    assert game.moves() == []


def test_the_lecturer_starts_a_game_and_runs_a_round(games):
    _, rc = solara.render(LecturerPage(poll_seconds=0), handle_error=False)
    rc.find(v.Btn, children=["Start the game"]).widget.click()
    game = games.current()
    assert game is not None and game.teams == ["US", "CHN", "JPN", "KOR", "AUS"]
    assert game.replicates == 100 and game.calendar.length == 3
    game.submit("JPN", "hedge", {})
    rc.find(v.Btn, children=["Run round 1 now"]).widget.click()
    assert game.played == 1 and game.reports()[0].idle == ["US", "CHN", "KOR", "AUS"]
    assert rc.find(v.Btn, children=["Run round 2 now"]).widget


def test_a_corrupt_saved_game_is_reported_on_the_lecturers_page(games, monkeypatch):
    game = games.start("class", "baseline", ["US", "JPN"], replicates=4)
    (game.folder / "game.json").write_text("{not json", encoding="utf-8")
    monkeypatch.setitem(_REGISTRIES, games.root, Games(games.root))  # a restarted server
    _, rc = solara.render(LecturerPage(poll_seconds=0), handle_error=False)
    assert any(kind == "error" and "corrupt" in text for kind, text in alerts(rc))
    assert rc.find(v.Btn, children=["Start the game"]).widget  # a new game can still start
    assert (game.folder / "game.json").read_text(encoding="utf-8") == "{not json"


def test_a_team_page_without_a_game_waits(games):
    _, rc = solara.render(TeamPage("JPN", poll_seconds=0), handle_error=False)
    assert any("No game is running yet" in text for _, text in alerts(rc))


def test_after_a_round_the_team_page_shows_the_report_and_the_path(games):
    game = games.start("class", "baseline", ["US", "JPN"], replicates=4)
    game.submit("JPN", "arm", {"pct": 0.5})
    game.advance()
    _, rc = solara.render(TeamPage("JPN", poll_seconds=0), handle_error=False)
    assert rc.find(v.Btn, children=["Submit for round 2"]).widget
    import ipywidgets

    images = wait_for(rc, ipywidgets.Image)  # drawn in a thread after the report shows
    assert len(images) == 1 and bytes(images[0].value).startswith(b"\x89PNG")  # the path
    drawn = game.cached(("path", ("JPN",), "The class's path so far: JPN"), None, 1)
    assert drawn == bytes(images[0].value)  # drawn once, for every page that shows it


def _resume_from_the_board(rc, name: str) -> None:
    rc.find(v.Btn, children=["Start or resume another game"]).widget.click()
    rc.find(v.Btn, children=[f"Resume {name}"]).widget.click()


@pytest.mark.parametrize("damage", ["truncated", "missing"])
def test_resuming_a_damaged_game_says_why_and_keeps_the_current_one(games, damage):
    other = games.start("other", "baseline", ["US", "JPN"], replicates=4)  # held in memory
    game = games.start("class", "baseline", ["US", "JPN"], replicates=4)
    _, rc = solara.render(LecturerPage(poll_seconds=0), handle_error=False)
    rc.find(v.Btn, children=["Start or resume another game"]).widget.click()
    if damage == "truncated":
        state = other.folder / "game.json"
        state.write_text(state.read_text(encoding="utf-8")[:40], encoding="utf-8")
        expected = "saved game is corrupt"
    else:
        import shutil

        shutil.rmtree(other.folder)
        expected = "no saved game here"
    rc.find(v.Btn, children=["Resume other"]).widget.click()
    assert any(kind == "error" and expected in text for kind, text in alerts(rc))
    assert games.current() is game  # the teams keep playing the current game
    assert not rc.find(v.Btn, children=["Run round 1 now"]).widgets  # not the old 'other'
    rc.find(v.Btn, children=["Back to the game 'class'"]).widget.click()
    assert rc.find(v.Btn, children=["Run round 1 now"]).widget


@pytest.mark.parametrize("before", ["7", "0.5"])
def test_a_value_that_is_not_a_number_is_not_submitted(games, before):
    game = games.start("class", "baseline", ["US", "JPN"], replicates=4)
    _, rc = solara.render(TeamPage("JPN", poll_seconds=0), handle_error=False)
    type_into(rc, ARM, before)
    type_into(rc, ARM, "abc")
    assert said_at(rc, ARM) == ("abc", ["pct must be a number from 0 to 2, got 'abc'"])
    rc.find(v.Btn, children=["Submit for round 1"]).widget.click()
    assert game.pending() == {}  # not the earlier value
    kind, text = alerts(rc)[-1]
    assert kind == "error" and "pct must be a number from 0 to 2, got 'abc'" in text
    type_into(rc, ARM, "1.5")
    assert said_at(rc, ARM) == ("1.5", [])
    rc.find(v.Btn, children=["Submit for round 1"]).widget.click()
    assert game.pending()["JPN"].values == {"pct": 1.5}


def said_at(rc, label: str) -> tuple[str, list[str]]:
    """A text field's text and the message shown under it in red (none: [])."""
    field = rc.find(v.TextField, label=label).widget
    return field.v_model, list(field.messages or []) if field.error else []


ROUNDS = "rounds (the game ends after them; 4 quarterly rounds are a year)"


@pytest.mark.parametrize(("label", "name"), [("replicates", "replicates"), (ROUNDS, "rounds")])
def test_the_start_form_refuses_a_number_that_is_not_one_beside_its_field(games, label, name):
    """The lecturer's whole-number fields were InputInt, which kept the old number when "abc"
    was typed: the game started with a value nobody typed. Now the text stays, is refused in
    red under the field, and the game does not start until a whole number is typed."""
    _, rc = solara.render(LecturerPage(poll_seconds=0), handle_error=False)
    type_into(rc, label, "3")
    type_into(rc, label, "abc")
    refusal = f"{name} must be a whole number, got 'abc'"
    assert said_at(rc, label) == ("abc", [refusal])
    rc.find(v.Btn, children=["Start the game"]).widget.click()
    assert games.current() is None and games.saved() == []  # not started with 3 (or 100)
    assert any(kind == "error" and refusal in text for kind, text in alerts(rc))
    type_into(rc, label, "2.5")
    assert said_at(rc, label) == ("2.5", [f"{name} must be a whole number, got '2.5'"])
    type_into(rc, label, " 2 ")
    assert said_at(rc, label) == (" 2 ", [])
    rc.find(v.Btn, children=["Start the game"]).widget.click()
    game = games.current()
    assert (game.replicates if name == "replicates" else game.calendar.rounds) == 2


@solara.component
def AtUrl(url: str, page):
    """``page`` as opened at ``url`` (the query string is what the page reads)."""
    from solara.routing import Router, router_context

    router_context.provide(Router(url, routes=[]))
    return page


@pytest.mark.parametrize("url", ["/play", "/play?key=wrong"])
def test_without_the_lecturers_key_the_board_is_read_only(games, monkeypatch, url):
    monkeypatch.setenv("ALLIANCE_SIM_LECTURER_KEY", "s3cret")
    game = games.start("class", "baseline", ["US", "JPN"], replicates=4)
    _, rc = solara.render(AtUrl(url, LecturerPage(poll_seconds=0)), handle_error=False)
    buttons = [w.children for w in rc.find(v.Btn).widgets]
    assert ["Run round 1 now"] not in buttons
    assert ["Start or resume another game"] not in buttons
    assert any("lecturer's link" in text and "key" in text for _, text in alerts(rc))
    assert rc.find(v.Tab, children=["Debrief"]).widget  # the game is shown
    assert game.played == 0


def test_without_the_lecturers_key_no_game_can_be_started(games, monkeypatch):
    monkeypatch.setenv("ALLIANCE_SIM_LECTURER_KEY", "s3cret")
    _, rc = solara.render(AtUrl("/play", LecturerPage(poll_seconds=0)), handle_error=False)
    assert not rc.find(v.Btn, children=["Start the game"]).widgets
    assert games.current() is None


def test_the_lecturers_key_opens_the_lecturers_actions(games, monkeypatch):
    monkeypatch.setenv("ALLIANCE_SIM_LECTURER_KEY", "s3cret")
    games.start("class", "baseline", ["US", "JPN"], replicates=4)
    _, rc = solara.render(AtUrl("/play?key=s3cret", LecturerPage(poll_seconds=0)),
                          handle_error=False)
    assert rc.find(v.Btn, children=["Run round 1 now"]).widget
    assert not any("lecturer's link" in text for _, text in alerts(rc))


def test_without_a_key_set_no_key_is_needed(games, monkeypatch):
    monkeypatch.delenv("ALLIANCE_SIM_LECTURER_KEY", raising=False)
    games.start("class", "baseline", ["US", "JPN"], replicates=4)
    _, rc = solara.render(AtUrl("/play", LecturerPage(poll_seconds=0)), handle_error=False)
    assert rc.find(v.Btn, children=["Run round 1 now"]).widget


def test_the_lecturer_key_and_link():
    from sim.play.registry import is_lecturer, lecturer_path, new_lecturer_key

    key = new_lecturer_key()
    assert len(key) >= 10 and key != new_lecturer_key()
    assert lecturer_path(key) == f"/play?key={key}"
    import os

    if "ALLIANCE_SIM_LECTURER_KEY" not in os.environ:
        assert is_lecturer(None) and is_lecturer("anything")


def test_the_lecturer_chooses_the_number_of_rounds(games):
    _, rc = solara.render(LecturerPage(poll_seconds=0), handle_error=False)
    label = "rounds (the game ends after them; 4 quarterly rounds are a year)"
    assert rc.find(v.TextField, label=label).widget.v_model == "4"
    type_into(rc, label, "2")
    rc.find(v.Btn, children=["Start the game"]).widget.click()
    game = games.current()
    assert game.calendar.rounds == 2 and game.calendar.length == 3
    assert rc.find(v.Btn, children=["Run round 1 now"]).widget


def page_text(rc) -> str:
    """The text of the page's Markdown (rendered to HTML templates)."""
    return "\n".join(str(w.template) for w in rc.find(v.VuetifyTemplate).widgets)


def test_the_debrief_lists_the_classs_moves_by_the_team_that_moved(games):
    from sim.dashboard.play_views import DebriefView

    game = games.start("class", "baseline", ["US", "CHN", "JPN"], replicates=4)
    game.submit("CHN", "court", {"target": "JPN"})
    game.advance()
    _, rc = solara.render(DebriefView(game, game.played), handle_error=False)
    assert "round 1: CHN courts JPN (re-engagement)" in page_text(rc)


def test_the_debrief_shows_progress_while_it_computes(games):
    import threading
    import time

    import ipywidgets

    from sim.dashboard.play_views import DebriefView

    game = games.start("class", "baseline", ["US", "JPN"], replicates=4)
    game.submit("JPN", "arm", {"pct": 0.5})
    game.advance()
    computed, release = game.debrief, threading.Event()

    def slow():  # a big game's debrief takes seconds
        release.wait(30)
        return computed()

    game.debrief = slow
    _, rc = solara.render(DebriefView(game, game.played), handle_error=False)
    assert rc.find(v.ProgressLinear).widget  # at once, not after the computation
    assert any("Computing the debrief" in text for _, text in alerts(rc))
    release.set()
    deadline = time.monotonic() + 30
    while not rc.find(ipywidgets.Image).widgets and time.monotonic() < deadline:
        time.sleep(0.1)
    assert bytes(rc.find(ipywidgets.Image).widget.value).startswith(b"\x89PNG")
    assert not rc.find(v.ProgressLinear).widgets
    assert "class higher in" in page_text(rc)


def test_a_team_page_starts_from_the_move_it_submitted(games, monkeypatch):
    """After a server restart the form shows the move the team submitted for the round, not
    the menu's first move with its defaults."""
    game = games.start("class", "baseline", ["US", "JPN"], replicates=4)
    game.submit("JPN", "hedge", {"intensity": 0.8})
    monkeypatch.setitem(_REGISTRIES, games.root, Games(games.root))  # a restarted server
    _, rc = solara.render(TeamPage("JPN", poll_seconds=0), handle_error=False)
    assert rc.find(v.Select, label="move").widget.v_model == "Re-engage China (hedge)"
    field = rc.find(v.TextField, label="how much engagement (0..1): from 0 to 1").widget
    assert field.v_model == "0.8"
    rc.find(v.Btn, children=["Submit for round 1"]).widget.click()  # submitted again as is
    assert registry().current().pending()["JPN"].values == {"intensity": 0.8}


def test_a_team_page_shows_one_reading_of_the_game(games):
    """The round's header, its form and the last report come from one snapshot: a round that
    runs while the page renders (the lecturer's click) never leaves the page half old, half
    new ("Round 2" above "No round has been played yet")."""
    game = games.start("class", "baseline", ["US", "JPN"], replicates=4)
    game.submit("JPN", "arm", {"pct": 0.5})
    menu = game.menu

    def menu_then_the_round_runs(actor):  # the form is rendered after the page's first reads
        if game.played == 0:
            game.advance()
        return menu(actor)

    game.menu = menu_then_the_round_runs
    _, rc = solara.render(TeamPage("JPN", poll_seconds=0), handle_error=False)
    text = page_text(rc)
    assert game.played == 1
    if "Round 2 of 4" in text:
        assert "Round 1:" in text and rc.find(v.Btn, children=["Submit for round 2"]).widget
    else:  # the reading before the round: consistent, and the next poll brings round 2
        assert "Round 1 of 4" in text and "No round has been played yet" in text
        assert "Your move this round: arm" in "".join(t for _, t in alerts(rc))
    now = game.snapshot()
    assert now.round == 2 and now.report.round == 1 and now.pending == {}


def test_a_team_page_shows_the_new_round_before_the_path_is_drawn(games):
    """The class's path (a re-run of the game) is drawn in a thread: the new round's form and
    report show at once, not seconds later."""
    import threading

    import ipywidgets

    game = games.start("class", "baseline", ["US", "JPN"], replicates=4)
    game.submit("JPN", "arm", {"pct": 0.5})
    game.advance()
    paths, release = game.paths, threading.Event()

    def slow():
        release.wait(30)
        return paths()

    game.paths = slow
    _, rc = solara.render(TeamPage("JPN", poll_seconds=0), handle_error=False)
    assert rc.find(v.Btn, children=["Submit for round 2"]).widget
    assert "Round 1:" in page_text(rc) and rc.find(v.ProgressLinear).widget
    release.set()
    assert wait_for(rc, ipywidgets.Image)


def test_the_lecturers_browser_keeps_the_key_across_the_dashboards_tabs(games, monkeypatch):
    """The dashboard's tabs lead to /play without the key: the browser session that opened
    the lecturer's link stays the lecturer's; another browser does not."""
    import sim.dashboard.play as play

    monkeypatch.setenv("ALLIANCE_SIM_LECTURER_KEY", "s3cret")
    monkeypatch.setattr(play, "_LECTURERS", set())
    games.start("class", "baseline", ["US", "JPN"], replicates=4)
    for session, url, lecturer in [("lecturer", "/play?key=s3cret", True),
                                   ("lecturer", "/play", True), ("student", "/play", False)]:
        monkeypatch.setattr(play, "_session", lambda s=session: s)
        _, rc = solara.render(AtUrl(url, LecturerPage(poll_seconds=0)), handle_error=False)
        assert bool(rc.find(v.Btn, children=["Run round 1 now"]).widgets) is lecturer, session


def _until(condition, seconds: float = 20) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the page did not follow the game in time"
        time.sleep(0.05)


def test_a_read_only_page_follows_games_started_elsewhere_without_a_reload(games, monkeypatch):
    """Someone at /play without the key (a projector, a student) opened the page before the
    lecturer started the game: the game appears, rounds advance and another game replaces it
    on the open page, as the registry's current game changes."""
    monkeypatch.setenv("ALLIANCE_SIM_LECTURER_KEY", "s3cret")
    _, rc = solara.render(AtUrl("/play", LecturerPage(poll_seconds=0.05)), handle_error=False)
    try:
        assert "No game is running yet" in page_text(rc)
        game = games.start("class", "baseline", ["US", "JPN"], replicates=4)  # another tab
        _until(lambda: "Round 1 of 4" in page_text(rc))
        assert ">class</h2>" in page_text(rc) and rc.find(v.Tab, children=["Debrief"]).widget
        game.advance()
        _until(lambda: "Round 2 of 4" in page_text(rc))
        games.start("second", "baseline", ["US", "KOR"], replicates=4)
        _until(lambda: ">second</h2>" in page_text(rc))
        assert not rc.find(v.Btn, children=["Run round 1 now"]).widgets  # still read only
    finally:
        rc.close()


def test_a_second_lecturers_tab_shows_the_game_the_first_started(games):
    _, first = solara.render(LecturerPage(poll_seconds=0.05), handle_error=False)
    _, second = solara.render(LecturerPage(poll_seconds=0.05), handle_error=False)
    try:
        assert second.find(v.Btn, children=["Start the game"]).widget
        first.find(v.Btn, children=["Start the game"]).widget.click()
        assert first.find(v.Btn, children=["Run round 1 now"]).widget  # at once, here
        _until(lambda: bool(second.find(v.Btn, children=["Run round 1 now"]).widgets))
        second.find(v.Btn, children=["Run round 1 now"]).widget.click()
        _until(lambda: bool(first.find(v.Btn, children=["Run round 2 now"]).widgets))
    finally:
        first.close()
        second.close()


def test_a_closed_page_stops_polling(games, monkeypatch):
    """Each open page polls in one thread; a closed page (Solara closes its render context
    when the browser's page closes or the session is culled) must not poll on."""
    import time

    import sim.dashboard.play as play

    looks = []
    current = play._current
    monkeypatch.setattr(play, "_current", lambda: (looks.append(1), current())[1])
    games.start("class", "baseline", ["US", "JPN"], replicates=4)
    _, rc = solara.render(TeamPage("JPN", poll_seconds=0.02), handle_error=False)
    _until(lambda: len(looks) > 5)
    rc.close()
    time.sleep(0.2)  # a poll under way ends
    after = len(looks)
    time.sleep(0.3)  # fifteen polls' time
    assert len(looks) == after


def test_the_play_figures_are_drawn_under_the_drawing_lock(games, monkeypatch):
    """Matplotlib's settings are global: a figure drawn in the slides look while another
    thread draws in the report's (a download) could leave the server in the wrong type sizes
    for good. The play's figures hold the server's drawing lock while they draw, and only
    then: the game's re-run comes first."""
    import sim.figures.play as figures
    from sim.dashboard import play_views
    from sim.dashboard.charts import DRAWING

    game = games.start("class", "baseline", ["US", "JPN"], replicates=4)
    game.submit("JPN", "arm", {"pct": 0.5})
    game.advance()
    seen = []
    paths, debrief = game.paths, game.debrief
    monkeypatch.setattr(game, "paths", lambda: seen.append(("paths", DRAWING.locked()))
                        or paths())
    monkeypatch.setattr(game, "debrief", lambda: seen.append(("debrief", DRAWING.locked()))
                        or debrief())
    for name in ("class_path_figure", "debrief_figure"):
        draw = getattr(figures, name)
        monkeypatch.setattr(figures, name, lambda *a, draw=draw, name=name: seen.append(
            (name, DRAWING.locked())) or draw(*a))
    assert play_views.path_png(game, ("JPN",), "path").startswith(b"\x89PNG")
    assert play_views.debrief_png(game, ("JPN",)).startswith(b"\x89PNG")
    assert seen == [("paths", False), ("class_path_figure", True),
                    ("debrief", False), ("debrief_figure", True)]
