"""Known answers for what each kind of event does to the month's acts (:mod:`sim.engine.schedule`).

Each test schedules one or two events in a short scenario over the baseline (its background crises
removed), asks the schedule for the month's :class:`~sim.events.Acts` and compares every array with
the one worked out by hand from the rule in the event's docstring: the expected entries are set,
everything else must be zero. Parameters the effect reads are overridden to round values so the
numbers are checkable by eye and the test also proves the effect reads them.
"""

from __future__ import annotations

import numpy as np
import pytest
from pytest import approx

from sim.engine.rng import Streams
from sim.engine.schedule import EventSchedule
from sim.engine.world import build_baseline, initial_state
from sim.scenario import load_scenario

HORIZON = 6
BACKGROUND = "[Taiwan Strait tension, Korean peninsula tension, South China Sea incident]"
ARRAYS = ("costly", "cheap", "economic_harm", "engagement", "ties")  # (R, N, N); crisis is (R, N)


def schedule_for(write_scenario, events: str, replicates: int = 3, parameters: str = ""):
    """The events of a baseline without background crises, over six months; the initial state."""
    body = "events:\n" + events + f"remove_events: {BACKGROUND}\n"
    if parameters:
        body += "parameters:\n" + parameters
    scenario = load_scenario(write_scenario(body, horizon_months=HORIZON, replicates=replicates))
    base = build_baseline(scenario)
    state = initial_state(base, replicates, scenario.parameters.prior_strength)
    streams = Streams(scenario.seed, np.arange(replicates))
    schedule = EventSchedule(scenario.events, base, streams, HORIZON)
    return schedule, state, scenario, base


def check_acts(acts, base, replicates: int, rows=None, crisis=None, **pairs) -> None:
    """Every array of ``acts`` equals the expected one: ``pairs[name]`` maps (receiver, actor)
    codes to a value, or to an (R,) array of values per replicate; ``crisis`` maps a location to
    its severity; anything not listed is zero. ``rows``: the replicates the acts name (all)."""
    n = base.size
    for name in ARRAYS:
        expected = np.zeros((replicates, n, n))
        for (i, j), value in pairs.get(name, {}).items():
            expected[:, base.index(i), base.index(j)] += value
        assert getattr(acts, name) == approx(expected, abs=1e-12), name
    expected_crisis = np.zeros((replicates, n))
    for loc, value in (crisis or {}).items():
        expected_crisis[:, base.index(loc)] = value
    assert acts.crisis == approx(expected_crisis, abs=1e-12), "crisis"
    rows = np.arange(replicates) if rows is None else rows
    assert np.array_equal(acts.rows, rows)


# --- agreement ----------------------------------------------------------------------------------

def test_withdrawing_from_a_trade_pact_is_a_costly_economic_defection(write_scenario):
    schedule, state, scenario, base = schedule_for(write_scenario, (
        "  - {type: agreement, month: 2, targets: [JPN, AUS], action: withdraw, severity: 0.7}\n"))
    acts = schedule.acts(2, state, scenario.parameters)
    check_acts(acts, base, 3,
               costly={("JPN", "US"): -0.7, ("AUS", "US"): -0.7},
               economic_harm={("JPN", "US"): 0.7, ("AUS", "US"): 0.7})


def test_withdrawing_from_a_non_economic_agreement_harms_no_economy(write_scenario):
    schedule, state, scenario, base = schedule_for(write_scenario, (
        "  - {type: agreement, month: 2, targets: [EUR], action: withdraw, economic: false, "
        "severity: 0.4}\n"))
    acts = schedule.acts(2, state, scenario.parameters)
    check_acts(acts, base, 3, costly={("EUR", "US"): -0.4})


def test_signing_an_agreement_is_costly_cooperation_without_harm(write_scenario):
    schedule, state, scenario, base = schedule_for(write_scenario, (
        "  - {type: agreement, month: 0, by: JPN, targets: [AUS], action: sign, severity: 0.5}\n"))
    acts = schedule.acts(0, state, scenario.parameters)
    check_acts(acts, base, 3, costly={("AUS", "JPN"): 0.5})


# --- investment block -----------------------------------------------------------------------------

@pytest.mark.parametrize(("action", "value_bn", "parameters", "severity"), [
    ("scrutiny", 5.0, "", 0.25 * 0.5),  # default scrutiny weight 0.25, half weight at USD 5 bn
    ("scrutiny", 15.0, "  scrutiny_severity: 0.8\n", 0.8 * 15 / 20),
    ("block", 5.0, "", 0.6 * 0.5),  # default block weight 0.6
    ("block", 15.0, "  block_severity: 1.0\n", 1.0 * 15 / 20),
    ("block", 0.0, "", 0.0),  # no money at stake, no act
])
def test_investment_block_weighs_scrutiny_or_block_by_deal_size(write_scenario, action, value_bn,
                                                                parameters, severity):
    schedule, state, scenario, base = schedule_for(write_scenario, (
        f"  - {{type: investment_block, month: 1, targets: [JPN], action: {action}, "
        f"value_bn: {value_bn}}}\n"), parameters=parameters)
    acts = schedule.acts(1, state, scenario.parameters)
    check_acts(acts, base, 3, costly={("JPN", "US"): -severity},
               economic_harm={("JPN", "US"): severity})


# --- defence demand -------------------------------------------------------------------------------

def test_a_defence_demand_sets_the_targets_demand_and_reads_as_a_reproach(write_scenario):
    schedule, state, scenario, base = schedule_for(write_scenario, (
        "  - {type: defence_demand, month: 3, targets: [JPN, KOR], target_pct: 3.5}\n"),
        parameters="  demand_reproach: 0.8\n")
    assert np.all(state.demand == 0.0)
    acts = schedule.acts(3, state, scenario.parameters)
    check_acts(acts, base, 3, cheap={("JPN", "US"): -0.8, ("KOR", "US"): -0.8})
    expected = np.zeros((3, base.size))
    expected[:, [base.index("JPN"), base.index("KOR")]] = 3.5
    assert np.array_equal(state.demand, expected)


# --- re-engagement ------------------------------------------------------------------------------

def test_reengagement_raises_the_actors_engagement_and_goodwill_both_ways(write_scenario):
    schedule, state, scenario, base = schedule_for(write_scenario, (
        "  - {type: reengagement, month: 1, actor: JPN, partner: CHN, intensity: 0.3}\n"))
    acts = schedule.acts(1, state, scenario.parameters)
    check_acts(acts, base, 3, engagement={("JPN", "CHN"): 0.3},
               cheap={("JPN", "CHN"): 0.3, ("CHN", "JPN"): 0.3})


# --- partnership ----------------------------------------------------------------------------------

def test_a_partnership_ties_every_ordered_pair_of_members_and_not_the_diagonal(write_scenario):
    schedule, state, scenario, base = schedule_for(write_scenario, (
        "  - {type: partnership, month: 4, members: [JPN, AUS, PHL], strength: 0.4}\n"))
    acts = schedule.acts(4, state, scenario.parameters)
    pairs = {(i, j): 0.4 for i in ("JPN", "AUS", "PHL") for j in ("JPN", "AUS", "PHL") if i != j}
    assert len(pairs) == 6
    check_acts(acts, base, 3, ties=pairs, cheap=pairs)
    assert np.all(np.diagonal(acts.ties, axis1=1, axis2=2) == 0.0)


# --- reassurance ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("costly", "kind"), [(False, "cheap"), (True, "costly")])
def test_reassurance_is_cheap_talk_unless_it_binds(write_scenario, costly, kind):
    schedule, state, scenario, base = schedule_for(write_scenario, (
        f"  - {{type: reassurance, month: 0, targets: [JPN, TWN], costly: {str(costly).lower()}, "
        "intensity: 0.6}\n"))
    acts = schedule.acts(0, state, scenario.parameters)
    check_acts(acts, base, 3, **{kind: {("JPN", "US"): 0.6, ("TWN", "US"): 0.6}})


# --- rhetoric -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("tone", "sign"), [("negative", -1.0), ("positive", 1.0)])
def test_rhetoric_is_cheap_talk_signed_by_its_tone(write_scenario, tone, sign):
    schedule, state, scenario, base = schedule_for(write_scenario, (
        f"  - {{type: rhetoric, month: 5, targets: [KOR, EUR], tone: {tone}, intensity: 0.9}}\n"))
    acts = schedule.acts(5, state, scenario.parameters)
    check_acts(acts, base, 3, cheap={("KOR", "US"): sign * 0.9, ("EUR", "US"): sign * 0.9})


def test_two_events_on_the_same_pair_in_one_month_add_up(write_scenario):
    schedule, state, scenario, base = schedule_for(write_scenario, (
        "  - {type: rhetoric, month: 2, targets: [JPN], tone: negative, intensity: 0.5}\n"
        "  - {type: reassurance, month: 2, targets: [JPN], intensity: 0.2}\n"))
    acts = schedule.acts(2, state, scenario.parameters)
    check_acts(acts, base, 3, cheap={("JPN", "US"): -0.3})


# --- support cut ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("parameters", "weight"), [
    ("", 1.5),  # the default support_cut_severity
    ("  support_cut_severity: 2.0\n", 2.0),
])
def test_a_support_cut_is_a_costly_defection_on_the_partner(write_scenario, parameters, weight):
    schedule, state, scenario, base = schedule_for(write_scenario, (
        "  - {type: support_cut, month: 2, partner: UKR, fraction: 0.5}\n"),
        parameters=parameters)
    acts = schedule.acts(2, state, scenario.parameters)
    check_acts(acts, base, 3, costly={("UKR", "US"): -weight * 0.5})


# --- security crisis ------------------------------------------------------------------------------

def aggression(base, location: str, severity: float) -> dict[tuple[str, str], float]:
    """costly[i, CHN] = -severity x proximity[location, i] for every i but China itself."""
    loc = base.index(location)
    return {(code, "CHN"): -severity * base.proximity[loc, i]
            for i, code in enumerate(base.codes) if code != "CHN"}


@pytest.mark.parametrize(("location", "tier_factor"), [
    ("TWN", 0.6),  # partnership
    ("JPN", 1.0),  # treaty
    ("RUS", 0.3),  # no commitment
])
def test_a_crisis_raises_threat_and_the_patron_honours_it_below_the_tiered_rate(
        write_scenario, location, tier_factor):
    schedule, state, scenario, base = schedule_for(write_scenario, (
        f"  - {{type: security_crisis, month: 1, location: {location}, severity: 0.5}}\n"),
        replicates=4, parameters="  honour_rate: 0.5\n")
    chance = 0.5 * tier_factor
    # the draws that decide: well below, just below, exactly at and well above the chance
    schedule.honour_draws[0][:, 1] = [0.0, chance - 1e-9, chance, 0.99]
    acts = schedule.acts(1, state, scenario.parameters)
    costly = aggression(base, location, 0.5)
    # honoured: +severity; abandoned: -support_cut_severity (1.5) x severity
    costly[(location, "US")] = np.array([0.5, 0.5, -0.75, -0.75])
    check_acts(acts, base, 4, crisis={location: 0.5}, costly=costly)
    assert np.array_equal(state.commitment_tests, [1, 1, 1, 1])
    assert np.array_equal(state.commitments_honoured, [1, 1, 0, 0])


def test_a_crisis_that_tests_no_commitment_counts_no_test(write_scenario):
    schedule, state, scenario, base = schedule_for(write_scenario, (
        "  - {type: security_crisis, month: 1, location: PHL, severity: 0.3, "
        "tests_commitment: false}\n"), replicates=4)
    acts = schedule.acts(1, state, scenario.parameters)
    check_acts(acts, base, 4, crisis={"PHL": 0.3}, costly=aggression(base, "PHL", 0.3))
    assert np.all(acts.costly[:, :, base.index("US")] == 0.0)
    assert np.all(state.commitment_tests == 0) and np.all(state.commitments_honoured == 0)


def test_a_crisis_at_the_patron_tests_no_commitment(write_scenario):
    schedule, state, scenario, base = schedule_for(write_scenario, (
        "  - {type: security_crisis, month: 1, location: US, severity: 0.4}\n"), replicates=4)
    acts = schedule.acts(1, state, scenario.parameters)
    check_acts(acts, base, 4, crisis={"US": 0.4}, costly=aggression(base, "US", 0.4))
    assert np.all(state.commitment_tests == 0)


def test_the_honour_draws_give_both_outcomes_at_the_default_rate(write_scenario):
    """Unpatched draws: where the draw is below 0.745 x 0.6 the patron helps, elsewhere not."""
    schedule, state, scenario, base = schedule_for(write_scenario, (
        "  - {type: security_crisis, month: 2, location: TWN, severity: 0.8}\n"), replicates=30)
    draws = schedule.honour_draws[0][:, 2].copy()
    acts = schedule.acts(2, state, scenario.parameters)
    honoured = draws < 0.745 * 0.6
    assert 0 < honoured.sum() < 30  # the seed gives both outcomes
    expected = np.where(honoured, 0.8, -1.5 * 0.8)
    assert acts.costly[:, base.index("TWN"), base.index("US")] == approx(expected)
    assert np.array_equal(state.commitments_honoured, honoured.astype(float))


# --- stochastic firing ----------------------------------------------------------------------------

def stream_draws(seed: int, key: str, replicates: int) -> np.ndarray:
    """(R, months, 2) uniforms of the event's stream, drawn here from the documented recipe:
    SeedSequence(seed, spawn_key=(replicate, the bytes of 1 + 'event:<key>' as one integer)),
    PCG64; column 0 decides
    whether the event fires, column 1 (a crisis) whether the patron honours its commitment."""
    out = []
    for r in range(replicates):
        name = int.from_bytes(b"\x01" + f"event:{key}".encode(), "big")
        seq = np.random.SeedSequence(seed, spawn_key=(r, name))
        out.append(np.random.Generator(np.random.PCG64(seq)).random((HORIZON, 2)))
    return np.array(out)


def in_window(first: int, last: int) -> np.ndarray:
    months = np.arange(HORIZON)
    return (months >= first) & (months <= last)


def test_a_stochastic_event_fires_exactly_where_its_draw_is_below_its_probability(
        write_scenario, baseline):
    replicates = 30
    jibe_draws = stream_draws(baseline.seed, "jibe", replicates)[:, :, 0]
    # the probability is one of the draws in the window: that draw is not below it, so no firing
    at = np.unravel_index(np.abs(jibe_draws[:, 1:5] - 0.3).argmin(), (replicates, 4))
    at = (at[0], at[1] + 1)
    p = float(jibe_draws[at])
    schedule, state, scenario, base = schedule_for(write_scenario, (
        f"  - {{type: rhetoric, name: jibe, probability: {p!r}, window: [1, 4], "
        "targets: [KOR], intensity: 0.5}\n"
        "  - {type: defence_demand, name: demand, probability: 0.2, window: [2, 5], "
        "targets: [JPN], target_pct: 3.0}\n"), replicates=replicates)
    assert scenario.seed == baseline.seed and scenario.events[0].event.probability == p
    jibe = (jibe_draws < p) & in_window(1, 4)
    demand = (stream_draws(scenario.seed, "demand", replicates)[:, :, 0] < 0.2) & in_window(2, 5)
    assert not jibe[at]
    assert 0 < jibe[:, 1:5].sum() < replicates * 4  # the seed makes it fire, not always
    assert 0 < demand[:, 2:].sum() < replicates * 4
    assert np.any(jibe & demand) and np.any(jibe & ~demand)  # months with both, and one alone
    jpn, kor, us = base.index("JPN"), base.index("KOR"), base.index("US")
    demanded = np.zeros(replicates, dtype=bool)
    for month in range(HORIZON):
        acts = schedule.acts(month, state, scenario.parameters)
        fired = jibe[:, month] | demand[:, month]
        assert np.array_equal(acts.rows, np.flatnonzero(fired)), month
        assert acts.quiet == (not fired.any())
        expected_cheap = np.zeros((replicates, base.size, base.size))
        expected_cheap[:, kor, us] = np.where(jibe[:, month], -0.5, 0.0)
        expected_cheap[:, jpn, us] = np.where(demand[:, month], -0.5, 0.0)
        assert np.array_equal(acts.cheap, expected_cheap), month
        for name in ("costly", "economic_harm", "engagement", "ties", "crisis"):
            assert np.all(getattr(acts, name) == 0.0), (month, name)
        assert np.all(acts.cheap[~fired] == 0.0)
        demanded |= demand[:, month]
        assert np.array_equal(state.demand[:, jpn], np.where(demanded, 3.0, 0.0)), month
    assert np.array_equal(schedule.fires[0], jibe)
    assert np.array_equal(schedule.fires[1], demand)


def test_a_stochastic_crisis_acts_and_tests_the_patron_only_where_it_fires(
        write_scenario, baseline):
    replicates = 30
    draws = stream_draws(baseline.seed, "strait", replicates)
    fires = (draws[:, :, 0] < 0.4) & in_window(0, HORIZON - 1)
    honoured = fires & (draws[:, :, 1] < 0.745 * 0.6)  # default rate x Taiwan's tier factor
    schedule, state, scenario, base = schedule_for(write_scenario, (
        "  - {type: security_crisis, name: strait, location: TWN, probability: 0.4, "
        "severity: 0.6}\n"), replicates=replicates)
    assert 0 < honoured.sum() < fires.sum() < fires.size  # the seed gives every outcome
    twn, chn, us = base.index("TWN"), base.index("CHN"), base.index("US")
    for month in range(HORIZON):
        acts = schedule.acts(month, state, scenario.parameters)
        fired = fires[:, month]
        assert np.array_equal(acts.rows, np.flatnonzero(fired)), month
        if not fired.any():
            continue
        assert acts.crisis[:, twn] == approx(np.where(fired, 0.6, 0.0))
        nearby = base.proximity[twn].copy()
        nearby[chn] = 0.0  # the aggressor does not judge itself
        expected = np.where(fired[:, None], -0.6 * nearby[None, :], 0.0)
        assert acts.costly[:, :, chn] == approx(expected)
        help_or_abandon = np.where(honoured[:, month], 0.6, -1.5 * 0.6)
        assert acts.costly[:, twn, us] == approx(np.where(fired, help_or_abandon, 0.0))
        for name in ARRAYS:
            assert np.all(getattr(acts, name)[~fired] == 0.0), (month, name)
        assert np.all(acts.crisis[~fired] == 0.0)
    assert np.array_equal(state.commitment_tests, fires.sum(axis=1))
    assert np.array_equal(state.commitments_honoured, honoured.sum(axis=1))


def test_a_dated_event_fires_in_every_replicate_in_its_month_only(write_scenario):
    schedule, state, scenario, base = schedule_for(write_scenario, (
        "  - {type: rhetoric, month: 3, targets: [JPN], intensity: 0.5}\n"), replicates=4)
    for month in range(HORIZON):
        acts = schedule.acts(month, state, scenario.parameters)
        if month == 3:
            check_acts(acts, base, 4, cheap={("JPN", "US"): -0.5})
        else:
            assert acts.quiet and acts.rows.size == 0
            assert not acts.cheap.flags.writeable  # the shared all-zero acts
            check_acts(acts, base, 4, rows=np.array([], dtype=int))
