"""The model as a whole: batched equals one at a time, serial equals parallel, common random
numbers, no-op events, the Mesa side (agents, steps, keyword construction), actors added or
dropped, and seeds."""

from __future__ import annotations

import numpy as np
import pytest

from sim.cli import build_parser
from sim.commands.run import scenario_from_args
from sim.engine.ensemble import run_ensemble
from sim.engine.model import AllianceModel, Nation
from sim.scenario import load_scenario

CODES = ("US", "JPN", "CHN", "KOR", "AUS", "PHL", "TWN", "EUR", "RUS", "UKR")
INDIA = """\
actors:
  IND: {name: India, role: partner, capability: 0.08, like_minded: true, location: [28.6, 77.2],
        offensive: 0.3, dependence: 0.2, defence_spending: 2.4, alignment_economic: 0.1,
        alignment_security: 0.2, threat: 0.6, alliance_support: 0.5,
        trust: {US: 0.45, CHN: 0.1, JPN: 0.5}, ties: {JPN: 0.4, AUS: 0.3}}
"""


@pytest.fixture(scope="module")
def second_term_six(second_term):
    """The commentary's 2025, six replicates, in one block."""
    return run_ensemble(second_term, replicates=6, block_size=6)


# --- the way an ensemble is cut and run does not change a bit ---------------------------------

@pytest.mark.parametrize("block_size", [1, 2, 3, 4])
def test_blocks_of_any_size_give_the_same_bits(second_term, second_term_six, block_size,
                                               assert_identical):
    cut = run_ensemble(second_term, replicates=6, block_size=block_size)
    assert_identical(cut.arrays, second_term_six.arrays)
    assert np.array_equal(cut.commitment_tests, second_term_six.commitment_tests)
    assert np.array_equal(cut.commitments_honoured, second_term_six.commitments_honoured)


def test_a_replicate_is_the_same_whoever_runs_beside_it(second_term, second_term_six):
    """Replicate 4 run alone (first_replicate=4) is replicate 4 of the ensemble."""
    alone = AllianceModel(second_term, replicates=1, first_replicate=4).run()
    for name, array in alone.arrays.items():
        assert np.array_equal(array[:, 0], second_term_six.arrays[name][:, 4]), name


def test_replicates_differ(second_term_six):
    trust = second_term_six.trust("JPN", "US")[:, -1]
    assert len(np.unique(trust)) == len(trust)


@pytest.mark.slow
@pytest.mark.processes
def test_parallel_equals_serial(second_term, second_term_six, assert_identical, monkeypatch):
    import sim.engine.ensemble

    submitted = []

    class CountingPool(sim.engine.ensemble.ProcessPoolExecutor):
        def submit(self, *args, **kwargs):
            submitted.append(args[4])  # (run_block, scenario, seed, first, count)
            return super().submit(*args, **kwargs)

    monkeypatch.setattr(sim.engine.ensemble, "ProcessPoolExecutor", CountingPool)
    parallel = run_ensemble(second_term, replicates=6, workers=2)  # default block size
    assert submitted == [3, 3], "two workers get a block each even below the default block size"
    assert_identical(parallel.arrays, second_term_six.arrays)
    assert np.array_equal(parallel.commitment_tests, second_term_six.commitment_tests)


# --- common random numbers across scenarios -------------------------------------------------

@pytest.fixture(scope="module")
def baseline_six(baseline):
    return run_ensemble(baseline, replicates=6)


@pytest.mark.parametrize(("event", "first_month", "changed"), [
    ("{type: partnership, name: KOR-AUS pact, month: 47, members: [KOR, AUS]}", 47, "ties"),
    ("{type: rhetoric, name: late jibe, probability: 0.5, window: [40, 47], targets: [EUR]}", 40,
     "trust"),
])
def test_an_unrelated_late_event_leaves_every_earlier_month_alone(
        baseline_six, write_scenario, assert_identical, event, first_month, changed):
    """Common random numbers: the event draws from its own stream and shifts no other draw, so
    the months recorded before it acts (indices 0 .. first_month) are the baseline's, bit for bit,
    crises included."""
    run = run_ensemble(load_scenario(write_scenario(f"events:\n  - {event}\n")), replicates=6)
    assert_identical(run.arrays, baseline_six.arrays, months=slice(0, first_month + 1))
    assert not np.array_equal(run.arrays[changed][-1], baseline_six.arrays[changed][-1])
    assert baseline_six.commitment_tests.sum() > 0  # the baseline's own draws are in play
    assert np.array_equal(run.commitment_tests, baseline_six.commitment_tests)


@pytest.mark.parametrize("noop", [
    "{type: tariff, name: zero tariff, month: 5, targets: [JPN, KOR], sector: autos, rate: 0}",
    "{type: rhetoric, name: silent remark, month: 3, targets: [JPN, AUS], intensity: 0}",
    "{type: reassurance, name: empty pledge, month: 7, targets: [PHL], costly: true, "
    "intensity: 0}",
    "{type: support_cut, name: no cut, month: 2, partner: UKR, fraction: 0}",
])
def test_a_no_op_event_reproduces_the_baseline_exactly(baseline_six, write_scenario, noop,
                                                        assert_identical):
    scenario = load_scenario(write_scenario(f"events:\n  - {noop}\n"))
    run = run_ensemble(scenario, replicates=6)
    assert_identical(run.arrays, baseline_six.arrays)


def test_the_shocks_move_japans_trust_in_the_us(baseline_six, second_term_six):
    """Guards the tests above from passing vacuously: events do change the numbers."""
    shocked = second_term_six.trust("JPN", "US")[:, 12]
    calm = baseline_six.trust("JPN", "US")[:, 12]
    assert np.all(shocked < calm)


def test_a_crisis_tests_commitments_in_the_replicates_where_it_fires(baseline):
    model = AllianceModel(baseline, replicates=30)
    model.run()
    crises = [k for k, e in enumerate(model.schedule.events)
              if e.event.type == "security_crisis" and e.event.tests_commitment]
    fired = sum(model.schedule.fires[k].sum(axis=1) for k in crises)
    assert fired.sum() > 0
    assert np.array_equal(model.state.commitment_tests, fired)
    assert np.all(model.state.commitments_honoured <= model.state.commitment_tests)


def test_under_press_rival_rule_trust_follows_stakes_not_signals(baseline, second_term):
    """press_weight = 1 (Press 2005): credibility from present power and interests. Tariffs cut
    the patron's trade with Japan, so Japan's trust in the US falls under this rule too (both rules
    can move it); the Ukraine strand changes no Asian ally's trade with the US, so under this rule
    it leaves Asian trust in the US exactly where it is, while the reputation rule lowers it."""
    def run(scenario, press, drop_ukraine=False):
        params = scenario.parameters.with_overrides({"press_weight": press})
        events = [e for e in scenario.events
                  if not (drop_ukraine and e.event.type == "support_cut")]
        return run_ensemble(scenario.model_copy(update={"parameters": params, "events": events}),
                            replicates=3)

    pressed, calm = run(second_term, 1.0), run(baseline, 1.0)
    japan_falls = pressed.trust("JPN", "US")[:, 12] - calm.trust("JPN", "US")[:, 12]
    assert np.all(japan_falls < -0.02)
    for rule in (0.0, 1.0):
        with_cut, without = run(second_term, rule), run(second_term, rule, drop_ukraine=True)
        spill = [without.trust(c, "US")[:, 6] - with_cut.trust(c, "US")[:, 6]
                 for c in ("JPN", "KOR", "AUS", "PHL", "TWN")]
        if rule == 1.0:
            assert np.all(np.abs(spill) < 1e-12)
        else:
            assert np.all(np.array(spill) > 0)


# --- Mesa integration ---------------------------------------------------------------------------

def test_one_nation_agent_per_actor():
    model = AllianceModel(scenario="baseline", seed=3, replicates=2)  # as the dashboard builds it
    assert len(model.agents) == 10
    assert all(isinstance(agent, Nation) for agent in model.agents)
    assert tuple(agent.code for agent in model.agents) == CODES == model.base.codes
    japan = next(iter(model.agents.select(lambda a: a.code == "JPN")))
    assert np.array_equal(japan.trust_in("US"), model.state.trust[:, 1, 0])
    assert japan.trust_in("US") == pytest.approx([0.34, 0.34])


def test_steps_advance_to_the_horizon_and_no_further():
    model = AllianceModel(scenario="baseline", seed=3, replicates=2)
    assert model.steps == 0
    model.step()
    assert model.steps == 1
    assert model.date.isoformat() == "2025-02-01"
    model.run()
    assert model.steps == model.months == 48
    with pytest.raises(RuntimeError, match="horizon"):
        model.step()


def test_keyword_construction_sets_seed_and_size():
    model = AllianceModel(scenario="baseline", seed=3, replicates=2)
    assert model.root_seed == 3
    assert model.state.trust.shape == (2, 10, 10)
    assert model.history.arrays["trust"].shape == (49, 2, 10, 10)


def test_a_seed_typed_as_text_is_the_same_seed():
    """A text box delivers "3"; the model casts it, so Mesa's streams and ours are 3's."""
    text = AllianceModel(scenario="baseline", seed="3", replicates=2)
    number = AllianceModel(scenario="baseline", seed=int("3"), replicates=2)
    assert text.root_seed == 3 and isinstance(text.root_seed, int)
    assert text.random.random() == number.random.random()
    assert text.rng.random() == number.rng.random()
    left, right = text.run().arrays, number.run().arrays
    assert all(np.array_equal(left[k], right[k]) for k in left)


def test_a_model_can_be_built_from_a_path(write_scenario):
    model = AllianceModel(scenario=write_scenario(horizon_months=6), replicates=1)
    assert model.months == 6
    assert model.scenario.seed == 20250207


# --- actors added or dropped in YAML -----------------------------------------------------------

def test_dropping_ukraine_leaves_nine_agents_and_a_run(write_scenario):
    path = write_scenario("actors:\n  UKR: {drop: true}\n", horizon_months=12, replicates=3)
    model = AllianceModel(scenario=path)
    assert len(model.agents) == 9
    assert "UKR" not in model.base.codes
    history = model.run()
    assert history.arrays["trust"].shape == (13, 3, 9, 9)
    assert all(np.isfinite(a).all() for a in history.arrays.values())


def test_adding_india_in_yaml(write_scenario):
    scenario = load_scenario(write_scenario(INDIA, horizon_months=12, replicates=3))
    ensemble = run_ensemble(scenario)
    assert ensemble.codes == CODES + ("IND",)
    assert ensemble.arrays["trust"].shape == (13, 3, 11, 11)
    assert ensemble.trust("IND", "US")[:, 0] == pytest.approx([0.45] * 3)
    assert ensemble.arrays["ties"][0, 0, ensemble.index("JPN"), ensemble.index("IND")] == \
        pytest.approx(0.4)
    assert all(np.isfinite(a).all() for a in ensemble.arrays.values())
    assert len(AllianceModel(scenario).agents) == 11


def test_changing_one_entry_of_an_actor_table_keeps_the_others(baseline, write_scenario):
    changed = load_scenario(write_scenario(
        "actors:\n  JPN: {trust: {US: 0.72}, ties: {KOR: 0.5}}\n"))
    japan, before = changed.actors["JPN"], baseline.actors["JPN"]
    assert japan.trust == {**before.trust, "US": 0.72}
    assert japan.ties == {**before.ties, "KOR": 0.5}


# --- seeds --------------------------------------------------------------------------------------

def test_the_seed_option_changes_the_numbers_and_reproduces_them(write_scenario):
    path = write_scenario(horizon_months=24, replicates=3)

    def run(*extra: str):
        args = build_parser().parse_args(["run", str(path), *extra])
        return run_ensemble(scenario_from_args(args))

    default, seven, seven_again = run(), run("--seed", "7"), run("--seed", "7")
    assert seven.seed == 7 and default.seed == load_scenario(path).seed
    assert all(np.array_equal(seven.arrays[k], seven_again.arrays[k]) for k in seven.arrays)
    assert not np.array_equal(seven.arrays["trust"], default.arrays["trust"])
