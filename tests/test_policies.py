"""Actors that decide: the ``policies:`` section, each rule's known answer, and the engine phase.

The known-answer tests set one replicate's state by hand (the other replicate is the control), ask
the rule what it decides, and check the acts against the numbers written in the policy: a
decided reassurance is a reassurance of that intensity, toward that ally, in that replicate only.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.engine.decisions import Move
from sim.engine.ensemble import run_ensemble
from sim.engine.simulation import Simulation
from sim.errors import ScenarioError
from sim.events import Acts
from sim.events.reassurance import Reassurance
from sim.events.tariff import SECTORS
from sim.scenario import load_scenario

QUIET = {"horizon_months": 24, "replicates": 2}
NEVER = """
policies:
  patron: {trust_below: 0.0}
  challenger: {grievance_above: 1.0}
  allies: {fear_rise_above: 1.0}
"""


def simulation(write_scenario, body: str, **scalars) -> Simulation:
    return Simulation(load_scenario(write_scenario(body, **{**QUIET, **scalars})))


def decide(sim: Simulation, month: int = 0) -> tuple[list[Move], Acts]:
    """The rules' moves on the present state, applied to a quiet month's acts."""
    moves = sim.decider.decide(month, sim.state)
    quiet = Acts.none(2, sim.base.size, np.array([], dtype=int))
    return moves, sim.decider.apply(moves, sim.state, quiet, sim.params)


def at(sim: Simulation, code: str) -> int:
    return sim.base.index(code)


# --- the patron ---------------------------------------------------------------------------------


def test_the_patron_reassures_an_ally_whose_trust_fell_below_the_threshold(write_scenario):
    sim = simulation(write_scenario, "policies:\n  patron: {trust_below: 0.3, intensity: 0.4, "
                                     "targets: [JPN, AUS]}\n")
    jpn, us, aus = at(sim, "JPN"), at(sim, "US"), at(sim, "AUS")
    sim.state.trust[0, jpn, us] = 0.29  # replicate 0 falls below; replicate 1 stays at 0.34
    moves, acts = decide(sim)
    assert [(m.actor, m.act.type, m.target) for m in moves] == [("US", "reassurance", "JPN")]
    assert acts.cheap[0, jpn, us] == 0.4 and acts.cheap[1, jpn, us] == 0.0
    assert not acts.costly.any() and acts.cheap[:, aus, us].sum() == 0.0  # Australia: 0.56
    assert list(acts.rows) == [0]
    assert sim.decider.counts[("US", "reassurance", "JPN")].tolist() == [1.0, 0.0]


def test_a_costly_reassurance_is_a_costly_act(write_scenario):
    sim = simulation(write_scenario, "policies:\n  patron: {trust_below: 0.5, costly: true}\n")
    jpn, us = at(sim, "JPN"), at(sim, "US")
    _, acts = decide(sim)  # Japan starts at 0.34 < 0.5 in both replicates
    assert acts.costly[:, jpn, us].tolist() == [0.5, 0.5] and acts.cheap[:, jpn, us].sum() == 0


def test_the_cooldown_spaces_the_patrons_moves(write_scenario):
    sim = simulation(write_scenario, "policies:\n  patron: {trust_below: 0.5, targets: [JPN], "
                                     "cooldown_months: 3}\n")
    fired = [bool(sim.decider.decide(month, sim.state)) for month in range(7)]
    assert fired == [True, False, False, True, False, False, True]


def test_a_pressing_patron_reproaches_instead(write_scenario):
    sim = simulation(write_scenario, "policies:\n  patron: {stance: press, trust_below: 0.35, "
                                     "intensity: 0.3}\n")
    jpn, us, kor = at(sim, "JPN"), at(sim, "US"), at(sim, "KOR")
    moves, acts = decide(sim)
    assert {m.act.type for m in moves} == {"rhetoric"}
    assert acts.cheap[:, jpn, us].tolist() == [-0.3, -0.3]
    assert acts.cheap[:, kor, us].sum() == 0.0  # Korea's trust, 0.5, is above 0.35


# --- the challenger -----------------------------------------------------------------------------


def test_the_challenger_courts_an_aggrieved_ally(write_scenario):
    sim = simulation(write_scenario, "policies:\n  challenger: {grievance_above: 0.2, "
                                     "intensity: 0.3}\n")
    jpn, us, chn = at(sim, "JPN"), at(sim, "US"), at(sim, "CHN")
    sim.state.grievance[1, jpn, us] = 0.25
    moves, acts = decide(sim)
    assert [(m.actor, m.act.type, m.target) for m in moves] == [("CHN", "reengagement", "JPN")]
    assert acts.engagement[:, jpn, chn].tolist() == [0.0, 0.3]
    assert acts.cheap[1, jpn, chn] == 0.3 and acts.cheap[1, chn, jpn] == 0.3


def test_a_coercing_challenger_imposes_its_tariff_once(write_scenario):
    sim = simulation(write_scenario, "policies:\n  challenger: {stance: coerce, sector: "
                                     "agriculture, rate: 0.5, cooldown_months: 1}\n")
    jpn, us, chn = at(sim, "JPN"), at(sim, "US"), at(sim, "CHN")
    sim.state.grievance[:, jpn, us] = 0.3
    _, acts = decide(sim)
    hit = 0.5 * sim.params.salience_agriculture
    assert sim.state.tariffs[:, SECTORS.index("agriculture"), chn, jpn].tolist() == [0.5, 0.5]
    assert acts.costly[0, jpn, chn] == pytest.approx(-hit)
    assert acts.economic_harm[0, jpn, chn] == pytest.approx(hit)
    assert sim.decider.decide(1, sim.state) == []  # the tariff is in force: nothing to decide


# --- the allies ---------------------------------------------------------------------------------


def test_a_fearful_ally_arms_up_to_its_cap_and_partners_with_the_most_fearful(write_scenario):
    sim = simulation(write_scenario, "policies:\n  allies: {actors: [JPN], fear_rise_above: "
                                     "0.05, arm_pct: 0.2, max_pledge_pct: 0.3, strength: 0.25, "
                                     "partners: [KOR, AUS, PHL]}\n")
    jpn, aus, kor = at(sim, "JPN"), at(sim, "AUS"), at(sim, "KOR")
    fear, start = sim.state.abandonment_fear, sim.initial_fear
    fear[:, jpn] = start[jpn] + 0.1  # Japan's fear has risen in both replicates
    fear[0, aus], fear[0, kor] = start[aus] + 0.2, start[kor] + 0.1  # Australia most, in 0
    sim.state.defence_pledge[1, jpn] = 0.2  # replicate 1 has pledged before: 0.1 of room left
    moves, acts = decide(sim)
    assert [(m.actor, m.act.type, m.target) for m in moves] == [
        ("JPN", "arm", "JPN"), ("JPN", "partnership", "AUS")]
    assert sim.state.defence_pledge[:, jpn].tolist() == pytest.approx([0.2, 0.3])
    # Cha 2000: no partner in replicate 1, where no other ally fears more than it did
    assert acts.ties[:, jpn, aus].tolist() == [0.25, 0.0]
    assert acts.ties[0, aus, jpn] == 0.25 and acts.ties[0, jpn, kor] == 0.0


def test_an_ally_at_its_cap_does_not_arm_again(write_scenario):
    sim = simulation(write_scenario, "policies:\n  allies: {actors: [JPN], respond: arm, "
                                     "max_pledge_pct: 0.1}\n")
    jpn = at(sim, "JPN")
    sim.state.abandonment_fear[:, jpn] += 0.1
    sim.state.defence_pledge[:, jpn] = 0.1
    assert sim.decider.decide(0, sim.state) == []


def test_a_pledge_raises_defence_spending(write_scenario):
    body = "policies:\n  allies: {actors: [JPN], respond: arm, fear_rise_above: 0.0}\n"
    plain = Simulation(load_scenario(write_scenario(**QUIET))).run()
    armed_sim = simulation(write_scenario, body)
    armed_sim.state.abandonment_fear[:, at(armed_sim, "JPN")] += 0.01  # decides at month 0
    armed = armed_sim.run()
    jpn = at(armed_sim, "JPN")
    assert (armed.arrays["defence_spending"][-1, :, jpn]
            > plain.arrays["defence_spending"][-1, :, jpn]).all()


# --- the engine -------------------------------------------------------------------------------


def test_rules_that_never_fire_leave_every_number_unchanged(write_scenario, assert_identical):
    scalars = {"horizon_months": 18, "replicates": 3}
    plain = Simulation(load_scenario(write_scenario(extends="trump_second_term.yml", **scalars)))
    ruled = Simulation(load_scenario(write_scenario(NEVER, extends="trump_second_term.yml",
                                                    **scalars)))
    assert ruled.scenario.policies.any and not plain.scenario.policies.any
    assert_identical(plain.run().arrays, ruled.run().arrays)
    assert ruled.history.decisions == {}


def test_a_scenario_without_policies_keeps_its_digest(second_term):
    assert "policies" not in second_term.as_dict()


def test_a_move_from_outside_equals_the_same_scripted_event(write_scenario, assert_identical):
    """A role-play team's move is the same object a rule makes: a reassurance given as a move in
    month 3 gives the numbers of a reassurance scripted for month 3."""
    scripted = Simulation(load_scenario(write_scenario(
        "events:\n  - {type: reassurance, month: 3, targets: [JPN], intensity: 0.4}\n", **QUIET)))
    played = Simulation(load_scenario(write_scenario(**QUIET)))
    move = Move("US", "JPN", Reassurance(type="reassurance", targets=["JPN"], intensity=0.4,
                                         month=3), np.array([True, True]))
    for month in range(QUIET["horizon_months"]):
        played.step(moves=[move] if month == 3 else ())
    assert_identical(scripted.run().arrays, played.history.arrays)
    assert played.history.decisions[("US", "reassurance", "JPN")].tolist() == [1.0, 1.0]


def test_decisions_are_counted_the_same_in_blocks_and_whole(write_scenario):
    scenario = load_scenario(write_scenario(
        "policies:\n  patron: {trust_below: 0.3}\n  allies: {}\n",
        extends="trump_second_term.yml", horizon_months=12, replicates=6))
    whole = run_ensemble(scenario)
    blocks = run_ensemble(scenario, block_size=4)
    assert whole.decisions.keys() == blocks.decisions.keys()
    assert whole.decisions and ("US", "reassurance", "JPN") in whole.decisions
    for key, counts in whole.decisions.items():
        np.testing.assert_array_equal(counts, blocks.decisions[key])


# --- the loader -------------------------------------------------------------------------------


def error_of(write_scenario, body: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write_scenario(body))
    return caught.value


def test_an_unknown_role_is_refused_with_a_suggestion(write_scenario):
    err = error_of(write_scenario, "policies:\n  patrn: {trust_below: 0.3}\n")
    assert "unknown policy role 'patrn'. Did you mean 'patron'?" in str(err)
    assert err.where == "policies.patrn" and err.line == 3
    assert "challenger" in err.valid


def test_an_out_of_range_threshold_is_located(write_scenario):
    err = error_of(write_scenario, "policies:\n  patron:\n    trust_below: 1.5\n")
    assert err.where == "policies.patron.trust_below" and err.line == 4
    assert "1.5" in str(err)


def test_a_misspelt_field_gets_a_suggestion(write_scenario):
    err = error_of(write_scenario, "policies:\n  allies: {fear_rise_abve: 0.1}\n")
    assert "fear_rise_above" in str(err) and err.where == "policies.allies.fear_rise_abve"


def test_an_unknown_actor_in_a_policy_is_located(write_scenario):
    err = error_of(write_scenario, "policies:\n  challenger: {targets: [JPN, AUZ]}\n")
    assert "unknown actor 'AUZ'. Did you mean 'AUS'?" in str(err)
    assert err.where == "policies.challenger.targets[1]"


def test_a_child_replaces_or_removes_an_inherited_rule(write_scenario, tmp_path):
    parent = write_scenario("policies:\n  patron: {trust_below: 0.2}\n  allies: {}\n")
    child = tmp_path / "child.yml"
    child.write_text(f"extends: {parent}\npolicies:\n  patron: {{stance: press}}\n"
                     "  allies: null\n", encoding="utf-8")
    policies = load_scenario(child).policies
    # a role is replaced whole: the child's patron takes the default threshold, not the parent's
    assert policies.patron.stance == "press" and policies.patron.trust_below == 0.3
    assert policies.allies is None and policies.challenger is None


# --- the shipped scenario and its record -------------------------------------------------------


def test_the_shipped_scenario_decides_and_its_decisions_are_tabled(write_scenario):
    from sim.outputs.decisions import decision_table

    with_rules = load_scenario(write_scenario(extends="trump_second_term_with_policies.yml",
                                              horizon_months=12, replicates=8))
    assert with_rules.policies.patron and with_rules.policies.challenger
    assert with_rules.policies.allies
    ensemble = run_ensemble(with_rules)
    table = decision_table(ensemble)
    reassured = table[(table.actor == "US") & (table.act == "reassurance")
                      & (table.target == "JPN")]
    assert len(reassured) == 8 and (reassured["count"] >= 1).all()  # Japan's trust falls below 25%
    assert set(table.act) >= {"reassurance", "reengagement", "arm"}
    empty = decision_table(run_ensemble(load_scenario(write_scenario(**QUIET))))
    assert empty.empty and list(empty.columns) == ["replicate", "actor", "act", "target", "count"]


def test_a_run_with_policies_writes_what_was_decided(tmp_path):
    import pandas as pd

    from sim.cli import main as cli

    scenario = Path(__file__).resolve().parents[1] / "scenarios" / \
        "trump_second_term_with_policies.yml"
    out = tmp_path / "run"
    assert cli(["run", str(scenario), "--replicates", "6", "--no-plots", "--out", str(out)]) == 0
    decided = pd.read_csv(out / "decisions.csv")
    assert set(decided.columns) == {"replicate", "actor", "act", "target", "count"}
    assert decided["count"].sum() > 0 and set(decided["replicate"]) == set(range(6))


def test_a_scripted_arm_equals_the_allies_rule_arming(write_scenario, assert_identical):
    """``arm`` is an event kind: scripted for month 0 it gives the numbers of the allies' rule
    arming in month 0 (the rule's act is that kind), and it respects its cap."""
    body = "policies:\n  allies: {actors: [JPN], respond: arm, arm_pct: 0.3, max_pledge_pct: 0.4}\n"
    ruled = simulation(write_scenario, body)
    ruled.state.abandonment_fear[:, at(ruled, "JPN")] += 0.1  # decides at month 0, then cools
    scripted = simulation(write_scenario, "events:\n  - {type: arm, month: 0, actor: JPN, "
                                          "pct: 0.3, max_pledge_pct: 0.4}\n"
                                          "  - {type: arm, month: 1, actor: JPN, pct: 0.3, "
                                          "max_pledge_pct: 0.4}\n")
    ruled.step()
    scripted.step()
    assert_identical({k: v[:2] for k, v in scripted.history.arrays.items()},
                     {k: v[:2] for k, v in ruled.history.arrays.items()})
    scripted.step()  # the second pledge stops at the cap
    assert scripted.state.defence_pledge[:, at(scripted, "JPN")].tolist() == pytest.approx(
        [0.4, 0.4])
