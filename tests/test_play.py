"""The role-play game (sim/play): menus, refusals, rounds, the game's scenario, exact replay,
saving and resuming, the debrief, and many sessions at once."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from sim.engine.ensemble import run_ensemble
from sim.errors import UserError
from sim.events.tariff import Tariff
from sim.play import Game, MoveRefused
from sim.play.menu import menu
from sim.play.script import deciders, game_scenario
from sim.scenario import load_scenario

TEAMS = ["US", "JPN", "CHN", "KOR", "AUS"]
POLICIES = """
policies:
  patron: {stance: reassure, trust_below: 0.3, cooldown_months: 3}
  challenger: {stance: induce, grievance_above: 0.0, cooldown_months: 3}
  allies: {actors: [JPN, KOR, PHL], fear_rise_above: 0.0, cooldown_months: 3}
events:
  - {type: tariff, name: early steel, by: US, targets: [JPN], sector: steel, rate: 0.25,
     date: 2025-01-01}
  - {type: tariff, name: late autos, by: US, targets: [JPN], sector: autos, rate: 0.25,
     date: 2025-05-01}
  - {type: reengagement, name: Korea talks to China, actor: KOR, partner: CHN, date: 2025-07-01}
  - {type: rhetoric, name: grumbling, by: US, targets: [AUS], probability: 0.3,
     window: [2025-01-01, 2025-12-01]}
"""


@pytest.fixture
def short(write_scenario) -> Path:
    """A year of the trump_second_term story with rules, small and quick."""
    return write_scenario(POLICIES, extends="trump_second_term.yml", horizon_months=12,
                          replicates=4)


@pytest.fixture
def quiet(write_scenario) -> Path:
    """The baseline (background crises only, no rules) for a year."""
    return write_scenario(horizon_months=12, replicates=4)


def start(path: Path, root: Path, teams=TEAMS, **options) -> Game:
    options = {"replicates": 6, **options}
    return Game.start("seminar 1", path, teams, root=root, **options)


ROUND = {"US": ("tariff", {"target": "JPN", "sector": "autos", "rate": 0.25}),
         "JPN": ("arm", {"pct": 0.3}), "CHN": ("court", {"target": "KOR"}),
         "KOR": ("partner", {"target": "AUS"}), "AUS": ("hedge", {"intensity": 0.4})}


def play_round(game: Game, moves=ROUND) -> None:
    for actor, (option, values) in moves.items():
        game.submit(actor, option, values)


# --- menus ------------------------------------------------------------------------------------


def test_each_role_gets_its_own_menu(second_term):
    keys = {code: {o.key for o in menu(code, second_term)} for code in ("US", "CHN", "JPN",
                                                                       "RUS")}
    assert {"tariff", "lift_tariff", "statement", "pledge", "reproach",
            "defence_demand"} <= keys["US"]
    assert {"court", "trade_offer", "coerce", "rhetoric"} <= keys["CHN"]
    assert {"arm", "partner", "hedge", "engage_patron", "invest"} <= keys["JPN"]
    assert not keys["US"] & {"arm", "hedge", "court"} and not keys["JPN"] & {"tariff", "court"}
    assert keys["RUS"] == set()  # no team can play Russia
    assert all("nothing" in keys[c] for c in ("US", "CHN", "JPN"))


def test_every_move_explains_itself_with_a_citation_and_schema_ranges(second_term):
    for code in ("US", "CHN", "JPN"):
        for option in menu(code, second_term):
            assert len(option.explanation) > 60
            if option.kind is not None:
                assert any(ch.isdigit() for ch in option.explanation)  # a year: a citation
    rate = next(p for p in menu("US", second_term)[0].parameters if p.name == "rate")
    meta = Tariff.model_fields["rate"].metadata
    assert rate.bounds == (meta[0].ge, meta[1].le) == (0.0, 5.0)


# --- refusals ---------------------------------------------------------------------------------


def test_a_move_out_of_range_is_refused_naming_the_field(short, tmp_path):
    game = start(short, tmp_path)
    with pytest.raises(MoveRefused) as refused:
        game.submit("US", "tariff", {"target": "JPN", "sector": "autos", "rate": 7})
    assert refused.value.where == "rate"
    assert "rate must be a number from 0 to 5, got 7" in str(refused.value)
    assert "0.25 = 25 per cent" in refused.value.valid
    with pytest.raises(MoveRefused, match="sector must be one of steel, aluminium") as refused:
        game.submit("US", "tariff", {"target": "JPN", "sector": "rice", "rate": 0.1})
    with pytest.raises(MoveRefused, match="must be a number from 0 to 2, got true"):
        game.submit("JPN", "arm", {"pct": True})
    assert game.pending() == {}


def test_a_move_for_the_wrong_actor_or_target_is_refused(short, tmp_path):
    game = start(short, tmp_path)
    with pytest.raises(MoveRefused, match="'tariff' is not a move for JPN") as refused:
        game.submit("JPN", "tariff", {"target": "KOR", "sector": "steel", "rate": 0.1})
    assert "arm" in refused.value.valid and refused.value.where == "option"
    with pytest.raises(MoveRefused, match="target must be one of") as refused:
        game.submit("US", "pledge", {"target": "CHN"})
    assert "JPN" in refused.value.valid and "CHN" not in refused.value.valid
    with pytest.raises(MoveRefused, match="no team plays 'PHL'"):
        game.submit("PHL", "arm", {"pct": 0.1})
    with pytest.raises(MoveRefused, match="'speed' is not a value of the move 'arm'"):
        game.submit("JPN", "arm", {"pct": 0.1, "speed": 2})


def test_late_and_early_moves_are_refused(short, tmp_path):
    game = start(short, tmp_path)
    play_round(game)
    assert game.round == 2
    with pytest.raises(MoveRefused, match="too late: round 1 has been played") as refused:
        game.submit("JPN", "arm", {"pct": 0.1}, round=1)
    assert refused.value.valid == "round: 2"
    with pytest.raises(MoveRefused, match="round 3 has not started"):
        game.submit("JPN", "arm", {"pct": 0.1}, round=3)


def test_a_second_move_replaces_the_first_and_says_so(short, tmp_path):
    game = start(short, tmp_path)
    first = game.submit("JPN", "arm", {"pct": 0.1})
    second = game.submit("JPN", "hedge", {})
    assert first.replaced is None and second.replaced.option == "arm"
    assert "replaces your earlier move 'arm'" in second.message
    assert [m.option for m in game.moves()] == ["hedge"]


# --- rounds -----------------------------------------------------------------------------------


def test_the_round_runs_when_every_team_has_moved(short, tmp_path):
    game = start(short, tmp_path)
    for actor in TEAMS[:-1]:
        answer = game.submit(actor, *ROUND[actor])
        assert answer.report is None and game.round == 1
    assert game.waiting() == ["AUS"]
    answer = game.submit("AUS", *ROUND["AUS"])
    assert answer.report is not None and answer.report.round == 1 and game.round == 2
    assert "round 1 has run" in answer.message
    assert {m["actor"] for m in answer.report.moves} == set(TEAMS)
    assert game.pending() == {} and game.waiting() == TEAMS


def test_the_lecturer_advances_and_idle_teams_do_nothing(short, tmp_path):
    game = start(short, tmp_path)
    game.submit("JPN", "arm", {"pct": 0.5})
    report = game.advance()
    assert report.idle == ["US", "CHN", "KOR", "AUS"]
    assert report.months == ["2025-01", "2025-03"]
    pledge = game.latest_run()
    jpn = report.change("JPN", "trust_in_patron")
    assert jpn.before[1] == pytest.approx(0.34, abs=1e-6) and len(jpn.change) == 3
    # the rules of actors without a team still decide (the Philippines arms and partners)
    assert any(d["actor"] == "PHL" for d in report.decisions)
    assert pledge.month == 3


def test_the_game_ends_after_its_rounds(short, tmp_path):
    game = start(short, tmp_path, round_months=6)
    game.advance()
    game.advance()
    assert game.over
    with pytest.raises(MoveRefused, match="the game is over"):
        game.submit("JPN", "arm", {"pct": 0.1})
    with pytest.raises(UserError, match="the game is over"):
        game.advance()


# --- the game's scenario ----------------------------------------------------------------------


def test_team_actors_follow_no_rule_and_lose_their_later_scripted_decisions(short, tmp_path):
    game = start(short, tmp_path, teams=["US", "JPN", "KOR"], first_month=3)
    played = load_scenario(game.folder / "scenario.yml")
    assert played.policies.patron is None and played.policies.challenger is not None
    assert played.policies.allies.actors == ["PHL"]
    names = {e.event.name for e in played.events}
    assert "early steel" in names  # before the game: history
    assert "late autos" not in names and "Korea talks to China" not in names  # the teams decide
    grumbling = next(e for e in played.events if e.event.name == "grumbling")
    assert (grumbling.first_month, grumbling.last_month) == (0, 2)  # cut to end before
    assert {"Taiwan Strait tension", "South China Sea incident"} <= names  # shocks stay
    scripted = {e.event.name for e in game.scripted.events}
    assert {"late autos", "Korea talks to China"} <= scripted


def test_a_partnership_is_a_decision_of_each_member():
    assert deciders({"type": "partnership", "members": ["KOR", "AUS"]}) == ["KOR", "AUS"]
    assert deciders({"type": "security_crisis", "by": "CHN", "location": "TWN"}) == []
    scripted = {"start": "2025-01-01", "patron": "US", "challenger": "CHN",
                "actors": {"AUS": {"role": "ally"}},
                "events": [{"type": "partnership", "members": ["KOR", "AUS"], "month": 2}]}
    assert game_scenario(scripted, ["AUS"], 0, [], "g", "")["events"] == []


def test_moves_are_named_dated_and_sourced_events(short, tmp_path):
    game = start(short, tmp_path)
    play_round(game)
    game.submit("KOR", "partner", {"target": "JPN"})
    game.advance()
    played = load_scenario(game.folder / "scenario.yml")
    moves = {e.event.name: e for e in played.events if e.event.name.startswith("r")}
    assert moves["r2-KOR-partnership-JPN"].first_month == 3
    assert moves["r1-JPN-arm"].event.pct == 0.3
    assert moves["r1-US-tariff-JPN"].event.rate == 0.25
    assert "round 2, team KOR" in moves["r2-KOR-partnership-JPN"].event.source


def test_the_exported_game_replays_bit_for_bit(short, tmp_path):
    """The game's YAML through the ensemble runner of `sim run` gives the game's numbers."""
    game = start(short, tmp_path)
    play_round(game)
    game.submit("US", "pledge", {"target": "JPN", "intensity": 0.8})
    game.advance()
    (tmp_path / "replay.yml").write_text(game.scenario_yaml(), encoding="utf-8")
    replay = run_ensemble(load_scenario(tmp_path / "replay.yml"))
    ours = game.latest_run()
    assert replay.replicates == game.replicates and ours.month == 6
    for name, values in ours.arrays.items():
        assert np.array_equal(replay.arrays[name][:7], values), name
    assert (game.folder / "scenario.yml").read_text(encoding="utf-8") == game.scenario_yaml()


@pytest.mark.slow
def test_sim_run_replays_the_saved_game(short, tmp_path):
    """`python -m sim run` on the game folder's scenario.yml writes the game's numbers."""
    import pandas as pd

    game = start(short, tmp_path)
    play_round(game)
    subprocess.run([sys.executable, "-m", "sim", "run", str(game.folder / "scenario.yml"),
                    "--out", str(tmp_path / "replay"), "--no-plots"], check=True,
                   capture_output=True)
    table = pd.read_parquet(tmp_path / "replay" / "results.parquet",
                            filters=[("measure", "==", "trust"), ("partner", "==", "US"),
                                     ("actor", "==", "JPN"), ("month", "<=", 3)])
    run = game.latest_run()
    ours = run.arrays["trust"][:, :, run.index("JPN"), run.index("US")]  # (months, R)
    theirs = table.pivot(index="month", columns="replicate", values="value").to_numpy()
    assert np.array_equal(theirs, ours)


# --- saving and resuming ----------------------------------------------------------------------


@pytest.mark.slow
def test_a_resumed_game_continues_exactly(short, tmp_path):
    """After every move and every round a new Game from disk carries on as the old one would."""
    kept = start(short, tmp_path / "kept")
    resumed = start(short, tmp_path / "resumed")
    rounds = [ROUND, {"US": ("statement", {"target": "KOR"}), "JPN": ("nothing", {})},
              {"CHN": ("coerce", {"target": "AUS", "sector": "agriculture", "rate": 0.5})}]
    for moves in rounds:
        for actor, (option, values) in moves.items():
            kept.submit(actor, option, values)
            resumed.submit(actor, option, values)
            resumed = Game.load(resumed.folder)
            assert resumed.pending().keys() == kept.pending().keys()
        if kept.round == resumed.round:  # not every team moved: the lecturer advances
            kept.advance()
            resumed.advance()
        resumed = Game.load(resumed.folder)
        assert (resumed.round, resumed.version) == (kept.round, kept.version)
    assert [r.as_dict() for r in resumed.reports()] == [r.as_dict() for r in kept.reports()]
    for name, values in kept.latest_run().arrays.items():
        assert np.array_equal(resumed.latest_run().arrays[name], values), name


def test_a_new_game_does_not_replace_a_saved_one(short, tmp_path):
    game = start(short, tmp_path)
    game.submit("JPN", "arm", {"pct": 0.2})
    with pytest.raises(UserError, match="a game called 'seminar 1' exists already"):
        start(short, tmp_path)
    again = start(short, tmp_path, resume=True)
    assert again.pending()["JPN"].values == {"pct": 0.2}


def test_a_missing_or_corrupt_game_is_reported(short, tmp_path):
    with pytest.raises(UserError, match="no saved game here"):
        Game.load(tmp_path / "nobody")
    game = start(short, tmp_path)
    state = game.folder / "game.json"
    good = state.read_text(encoding="utf-8")
    state.write_text(good[: len(good) // 2], encoding="utf-8")
    with pytest.raises(UserError, match="corrupt and cannot be read") as refused:
        Game.load(game.folder)
    assert "never replaced" in refused.value.valid
    assert state.read_text(encoding="utf-8") == good[: len(good) // 2]  # left as it was
    data = json.loads(good)
    data["played"] = -1
    state.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(UserError, match="corrupt") as refused:
        Game.load(game.folder)
    assert refused.value.where == "played"
    data = json.loads(good)
    data["moves"] = [{"round": 1, "actor": "JPN", "option": "arm", "values": {"pct": 9}}]
    state.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(UserError, match="holds a move that cannot be played"):
        Game.load(game.folder)


# --- the debrief ------------------------------------------------------------------------------


def test_without_moves_the_class_path_is_the_scripted_one(quiet, tmp_path):
    """Teams that replace no rule and no scripted decision and make no move change nothing:
    the paired difference is exactly zero (common random numbers)."""
    game = start(quiet, tmp_path, teams=["US", "JPN"])
    game.advance()
    game.advance()
    result = game.debrief()
    differences = result.paths[result.paths["path"] == "difference"]
    assert len(differences) and (differences[["p10", "median", "p90"]] == 0).all().all()
    assert (result.table["difference_median"] == 0).all() and result.month == 6


def test_the_debrief_shows_what_a_move_did(quiet, tmp_path):
    game = start(quiet, tmp_path, teams=["US", "JPN"])
    game.submit("US", "tariff", {"target": "JPN", "sector": "all", "rate": 0.5})
    game.advance()
    row = game.debrief().table.set_index(["actor", "measure"]).loc[("JPN", "trust_in_patron")]
    assert row["difference_p90"] < 0 and row["class_higher"] == 0.0


# --- many sessions ----------------------------------------------------------------------------


def test_concurrent_submits_lose_no_move(short, tmp_path):
    game = start(short, tmp_path, auto_advance=False)
    barrier = threading.Barrier(len(TEAMS))
    errors = []

    def team(actor: str) -> None:
        barrier.wait()
        try:
            for _ in range(3):
                game.submit(actor, *ROUND[actor])
        except Exception as exc:  # pragma: no cover - the assertion below shows it
            errors.append(exc)

    threads = [threading.Thread(target=team, args=(a,)) for a in TEAMS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sorted(game.pending()) == sorted(TEAMS)
    assert game.version == 3 * len(TEAMS)
    assert sorted(m.actor for m in Game.load(game.folder).moves()) == sorted(TEAMS)


def test_concurrent_last_moves_run_the_round_once(short, tmp_path):
    game = start(short, tmp_path)
    for actor in TEAMS[:3]:
        game.submit(actor, *ROUND[actor])
    answers, lock = [], threading.Lock()

    def team(actor: str) -> None:
        answer = game.submit(actor, *ROUND[actor])
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=team, args=(a,)) for a in TEAMS[3:]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert game.round == 2 and len(game.reports()) == 1
    assert sum(a.report is not None for a in answers) == 1


def test_the_lecturer_chooses_how_many_rounds_a_game_lasts(short, tmp_path):
    """A seminar's game: 4 rounds unless the lecturer says otherwise, kept when resumed, over
    after them, and its YAML still replays the game exactly."""
    assert start(short, tmp_path / "a", round_months=1).calendar.rounds == 4  # not 12
    game = start(short, tmp_path / "b", round_months=1, rounds=2)
    assert Game.load(game.folder).calendar.rounds == 2
    game.submit("JPN", "arm", {"pct": 0.5})
    game.advance()
    game.submit("US", "pledge", {"target": "JPN", "intensity": 0.8})
    game.advance()
    assert game.over and Game.load(game.folder).over
    with pytest.raises(MoveRefused, match="the game is over"):
        game.submit("JPN", "arm", {"pct": 0.1})
    import yaml

    assert "2 of 2 rounds played" in yaml.safe_load(game.scenario_yaml())["description"]
    (tmp_path / "replay.yml").write_text(game.scenario_yaml(), encoding="utf-8")
    replay = run_ensemble(load_scenario(tmp_path / "replay.yml"))
    ours = game.latest_run()
    assert ours.month == 2
    for name, values in ours.arrays.items():
        assert np.array_equal(replay.arrays[name][:3], values), name
    assert game.debrief().month == 2
    with pytest.raises(UserError, match="rounds must be a whole number from 1 to 12"):
        start(short, tmp_path / "c", round_months=1, rounds=13)


def test_the_games_texts_say_which_team_moved(short, tmp_path):
    """China courting Japan is Japan's re-engagement in the model (actor: JPN); every text of
    the game says China moved."""
    import yaml

    from sim.dashboard.play_views import report_markdown

    game = start(short, tmp_path)
    game.submit("CHN", "court", {"target": "JPN"})
    game.submit("JPN", "hedge", {"intensity": 0.4})
    report = game.advance()
    words = "CHN courts JPN (re-engagement)"
    assert words in report_markdown(report)
    assert "JPN re-engages CHN (re-engagement)" in report_markdown(report)
    assert game.move_texts() == [f"round 1: {words}", "round 1: JPN re-engages CHN "
                                 "(re-engagement)"]
    played = yaml.safe_load(game.scenario_yaml())
    assert words in played["description"]
    court = next(e for e in played["events"] if e["name"] == "r1-CHN-reengagement-JPN")
    assert court["actor"] == "JPN" and court["source"].startswith(
        f"the class's move: {words}; game 'seminar 1', round 1, team CHN")


def test_the_debrief_counts_no_difference_within_a_tolerance():
    """Differences of +0.00 (float noise) are no difference, not "higher in 100%"."""
    from sim.play.debrief import TOLERANCE, _end_row, words

    base = np.linspace(0.2, 0.4, 10)
    tiny = _end_row("JPN", "alignment_economic", base + 1e-6, base, np.full(10, 1e-6))
    real = _end_row("KOR", "alignment_economic", base + 0.01, base,
                    np.r_[np.full(7, 0.01), np.full(3, -0.01)])
    within = _end_row("AUS", "alignment_economic", base, base, np.full(10, TOLERANCE))
    assert tiny["class_higher"] == 0.0 and within["class_higher"] == 0.0
    assert real["class_higher"] == 0.7 and real["class_lower"] == 0.3
    import pandas as pd

    said = words(pd.DataFrame([tiny, real, within]))["class higher in"].tolist()
    assert said == ["no difference", "70% of replicates (lower in 30%)", "no difference"]
