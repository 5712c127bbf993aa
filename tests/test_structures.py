"""Rival model structures (issue 8, item 5): the ``structure:`` section of a scenario.

Each alternative is checked on the behaviour that sets it apart from today's model, and on a
limiting case where it must agree with it; the defaults are today's model (the regression file).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.patterns import structures
from sim.engine.ensemble import run_ensemble
from sim.engine.mechanics import alliance_dilemma, hedging
from sim.errors import ScenarioError
from sim.outputs import structures as structure_doc
from sim.scenario import load_scenario
from sim.scenario.structure import Structure

SIZE = {"horizon_months": 12, "replicates": 4}
TARIFF_ON_JAPAN = ("  - {type: tariff, name: steel, month: 2, targets: [JPN], sector: steel, "
                   "rate: 0.25}\n")
BIG_TARIFF_ON_JAPAN = ("  - {type: tariff, name: all goods, month: 2, targets: [JPN], "
                       "sector: all, rate: 1.0}\n")
UKRAINE_CUT = "  - {type: support_cut, name: Ukraine cut, month: 2, partner: UKR, fraction: 0.5}\n"


def run(write_scenario, events: str = "", structure: str = "", parameters: str = "", **size):
    body = ("events:\n" + events if events else "") + structure + parameters
    return run_ensemble(load_scenario(write_scenario(body, **{**SIZE, **size})))


def japan_trust(result) -> np.ndarray:
    return result.trust("JPN", "US")  # (R, T + 1)


# --- the loader -------------------------------------------------------------------------------


def test_no_structure_section_is_todays_model(baseline):
    assert baseline.structure == Structure()
    assert "structure" not in baseline.as_dict()  # so the digest of every scenario is unchanged


def test_a_structure_loads_and_is_recorded(write_scenario):
    scenario = load_scenario(write_scenario("structure:\n  reputation: per_domain\n"))
    assert scenario.structure.reputation == "per_domain"
    assert scenario.structure.anchor == "fixed"
    assert scenario.as_dict()["structure"] == {"reputation": "per_domain"}


def test_a_child_overrides_one_choice_and_keeps_the_others(write_scenario):
    parent = write_scenario("structure:\n  reputation: per_domain\n  anchor: drifting\n")
    child = load_scenario(write_scenario("structure:\n  anchor: fixed\n", extends=str(parent)))
    assert (child.structure.reputation, child.structure.anchor) == ("per_domain", "fixed")


def test_an_unknown_choice_is_refused_with_its_line(write_scenario):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write_scenario("structure:\n  reputaton: per_domain\n"))
    assert "reputaton" in str(caught.value) and caught.value.line == 3


def test_an_unknown_variant_is_refused(write_scenario):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write_scenario("structure:\n  anchor: floating\n"))
    assert "drifting" in str(caught.value)


# --- per-domain reputation --------------------------------------------------------------------


def test_per_domain_a_tariff_on_japan_no_longer_hides_what_was_done_to_ukraine(write_scenario):
    """The referee's finding: pooled, Japan's own tariff that month nets out the Ukraine cut it
    observes (a tariff at least as heavy as the cut hides it entirely); kept per domain, the
    security news reaches Japan."""
    for structure, hidden in (("", True), ("structure:\n  reputation: per_domain\n", False)):
        tariff_only = japan_trust(run(write_scenario, BIG_TARIFF_ON_JAPAN, structure))
        both = japan_trust(run(write_scenario, BIG_TARIFF_ON_JAPAN + UKRAINE_CUT, structure))
        if hidden:
            np.testing.assert_array_equal(both, tariff_only)
        else:
            assert np.all(both[:, 3:] < tariff_only[:, 3:] - 1e-3)


def test_per_domain_with_full_spillover_is_the_pooled_model_for_one_domains_news(write_scenario):
    """With spill-over 1 each domain hears all the news; a single trade shock then moves both
    domains as the pooled reputation moves, and their mean is the pooled trust."""
    pooled = run(write_scenario, TARIFF_ON_JAPAN)
    split = run(write_scenario, TARIFF_ON_JAPAN, "structure:\n  reputation: per_domain\n",
                "parameters:\n  domain_spillover: 1.0\n")
    np.testing.assert_allclose(split.dyads["trust"], pooled.dyads["trust"], rtol=0, atol=1e-12)


def test_per_domain_a_trade_shock_moves_trust_less_without_spillover(write_scenario):
    """A trade shock damages economic reliability only; the recorded trust is the mean of the
    two domains, so it falls about half as far as the pooled trust with no spill-over."""
    start = japan_trust(run(write_scenario))
    pooled = japan_trust(run(write_scenario, BIG_TARIFF_ON_JAPAN))
    split = japan_trust(run(write_scenario, BIG_TARIFF_ON_JAPAN,
                            "structure:\n  reputation: per_domain\n",
                            "parameters:\n  domain_spillover: 0.0\n"))
    fall_pooled = (start - pooled)[:, 4].mean()
    fall_split = (start - split)[:, 4].mean()
    assert fall_pooled > 0.02
    assert 0.3 * fall_pooled < fall_split < 0.7 * fall_pooled


# --- drifting anchor --------------------------------------------------------------------------


def test_with_a_drifting_anchor_trust_does_not_return_to_its_2024_level(write_scenario):
    """Fixed: the routine flow pulls trust back to the surveyed level once the shocks stop.
    Drifting: the reference follows the damage, so without good news part of it stays for good
    (trust and reference close on each other; the share left is about d / (d + 1 - forgetting),
    about 0.4 at the defaults)."""
    long = {"horizon_months": 72}
    quiet = japan_trust(run(write_scenario, **long)).mean(axis=0)
    fixed = japan_trust(run(write_scenario, BIG_TARIFF_ON_JAPAN, **long)).mean(axis=0)
    drifting = japan_trust(run(write_scenario, BIG_TARIFF_ON_JAPAN,
                               "structure:\n  anchor: drifting\n", **long)).mean(axis=0)
    worst = (quiet - fixed).max()
    assert worst > 0.02
    assert quiet[-1] - fixed[-1] < 0.15 * worst  # recovered
    assert quiet[-1] - drifting[-1] > 0.25 * worst  # still damaged six years on


def test_a_drifting_anchor_changes_nothing_before_the_first_news(write_scenario):
    fixed = japan_trust(run(write_scenario, TARIFF_ON_JAPAN))
    drifting = japan_trust(run(write_scenario, TARIFF_ON_JAPAN, "structure:\n  anchor: drifting\n"))
    np.testing.assert_array_equal(fixed[:, :2], drifting[:, :2])
    assert not np.array_equal(fixed, drifting)


# --- the alliance security dilemma as a trade-off ---------------------------------------------


def test_tradeoff_an_ally_fearing_abandonment_tightens_at_the_price_of_entrapment(write_scenario):
    """Snyder 1984: fearing abandonment, a dependent ally draws closer to its patron, and so
    fears entrapment more; the loosening model only lets it drift away."""
    shocks = TARIFF_ON_JAPAN + UKRAINE_CUT
    loosening = run(write_scenario, shocks, horizon_months=24)
    tradeoff = run(write_scenario, shocks, "structure:\n  dilemma: tradeoff\n", horizon_months=24)
    security = (tradeoff.measure("alignment_security", "JPN")
                - loosening.measure("alignment_security", "JPN"))[:, -1]
    entrapment = (tradeoff.measure("entrapment_fear", "JPN")
                  - loosening.measure("entrapment_fear", "JPN"))[:, -1]
    assert np.all(security > 0) and np.all(entrapment > 0)


def test_tightening_known_answer():
    """gain x dependence x the rise in abandonment fear; nothing when the fear has not risen."""
    rise = np.array([[0.1, -0.2]])
    np.testing.assert_allclose(alliance_dilemma.tightening(rise, np.array([0.8, 0.9]), 0.5),
                               [[0.04, 0.0]])


# --- the comparison behind docs/STRUCTURES.md ---------------------------------------------------


def test_the_comparison_runs_each_variant_and_reads_japans_low(second_term):
    table = structures.comparison(second_term.model_copy(update={"horizon_months": 14}), 6)
    assert list(table["variant"].unique()) == [v.label for v in structures.VARIANTS]
    default = table[table["variant"] == structures.VARIANTS[0].label]
    assert set(default["pattern"].dropna()) == set(range(1, 9))
    headline = default[default["measure"] == "japan_trust_low"].iloc[0]
    end = default[default["measure"] == "japan_trust_end"].iloc[0]
    assert headline["value"] <= end["value"] and headline["value"] < 0.34  # it falls from 34%
    # the per-domain variant sees more of the Ukraine strand: a different low
    per_domain = table[(table["variant"] == "reputation: per_domain")
                       & (table["measure"] == "japan_trust_low")].iloc[0]
    assert per_domain["value"] != headline["value"]


def test_the_structures_block_is_written_from_the_stored_table(tmp_path):
    rows = [{"variant": v.label, "measure": "pattern", "pattern": n, "value": 1.0,
             "passes": True, "discriminates": True} for v in structures.VARIANTS
            for n in range(1, 9)]
    rows += [{"variant": v.label, "measure": m, "pattern": None, "value": x, "passes": None,
              "discriminates": None} for v in structures.VARIANTS
             for m, x in (("japan_trust_low", 0.2), ("japan_trust_low_month", 7.0),
                          ("japan_trust_2025_end", 0.24), ("japan_trust_end", 0.25))]
    path = tmp_path / "comparison.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    block = structure_doc.structures_block(path)
    assert "reputation: per_domain" in block and "0.20" in block and "2025-08" in block
    assert "(default)" in block


# --- a hedging index of mixed signals (Kuik 2008; Lim & Cooper 2015) ---------------------------


def test_mixed_signals_known_answers():
    """Half the distance between the axes: 0 when they agree (even at zero, where the distance
    index calls a state fully hedged), 1 at opposite poles."""
    economic = np.array([[0.0, 1.0, -1.0, 0.6]])
    security = np.array([[0.0, 1.0, 1.0, 0.8]])
    np.testing.assert_allclose(hedging.mixed_signals(economic, security), [[0.0, 0.0, 1.0, 0.1]])
    np.testing.assert_allclose(hedging.hedging(economic, security)[0, 0], 1.0)


def test_mixed_signals_is_recorded_and_grows_as_japan_hedges_on_the_economic_axis(second_term):
    """Pattern 2's story read as one number: the economic axis moves toward China while the
    security axis holds, so the axes diverge."""
    result = run_ensemble(second_term.model_copy(update={"horizon_months": 12}), replicates=8)
    mixed = result.measure("mixed_signals", "JPN")
    assert np.median(mixed[:, -1] - mixed[:, 0]) > 0.01


# --- the calibration fit of each structure (at the default's posterior) ------------------------


def test_the_stored_fit_of_the_default_is_the_calibrations_distance_at_the_posterior_median():
    from sim.analysis.calibration import abc, calibrate
    from sim.analysis.calibration.targets import load_targets

    table = pd.read_csv(structure_doc.folder() / "comparison.csv")
    for measure in structures.FIT_MEASURES:  # every variant has every fit column
        assert set(table.loc[table["measure"] == measure, "variant"]) == {
            v.label for v in structures.VARIANTS}
    stored = table[table["variant"] == structures.VARIANTS[0].label].set_index("measure")["value"]
    # the calibration machinery, on the calibration scenario as it is (no structure section)
    scenario, targets = calibrate.calibration_scenario(), load_targets()
    median = calibrate.load_posterior().median().to_frame().T
    seed = calibrate.DEFAULTS["seed"]
    values = abc.model_values(scenario, median, list(calibrate.FITTED), targets,
                              structures.FIT_REPLICATES, seed)
    polls = abc.read_polls(values, median, targets,
                           np.random.default_rng(np.random.SeedSequence([seed, 1])))
    assert stored["fit_distance"] == pytest.approx(abc.distance(polls, targets)[0], rel=1e-5)
    assert stored["fit_targets"] == len(targets)
    # the posterior predictive band of every draw, as calibrate.summarise reads it
    posterior = calibrate.load_posterior()
    draws = abc.model_values(scenario, posterior, list(calibrate.FITTED), targets,
                             calibrate.DEFAULTS["replicates"], seed)
    band = calibrate.predictive(abc.read_polls(
        draws, posterior, targets, np.random.default_rng(np.random.SeedSequence([seed, 1]))),
        targets)
    assert stored["fit_covered"] == sum(t["covered"] for t in band)
