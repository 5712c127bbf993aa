"""Parameter uncertainty in a run: draws per replicate, in range, independent of the layout."""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis.experiments import uncertainty
from sim.engine.ensemble import run_ensemble
from sim.errors import UserError


def test_draws_are_in_range_reproducible_and_do_not_depend_on_the_ensemble_size(baseline):
    inputs = uncertainty.uncertain_inputs(baseline, "forgetting,tie_growth")
    many = uncertainty.draw(inputs, 50, seed=3)
    few = uncertainty.draw(inputs, 10, seed=3)
    for u in inputs:
        assert (many[u.name] >= u.low).all() and (many[u.name] <= u.high).all()
        assert np.array_equal(many[u.name][:10], few[u.name])  # replicate r draws the same
        assert many[u.name].std() > 0.1 * (u.high - u.low)  # it really spreads
    assert not np.array_equal(many["forgetting"], many["tie_growth"])  # a stream each


def test_all_assumptions_leaves_out_what_cannot_vary_per_replicate(baseline):
    names = [u.name for u in uncertainty.uncertain_inputs(baseline, "all-assumptions")]
    assert "background_trade" not in names and "perception_noise" in names
    with pytest.raises(UserError, match="one value per run"):
        uncertainty.uncertain_inputs(baseline, "forgetting,JPN.dependence")


def test_parameter_uncertainty_widens_the_band_with_the_same_noise(short_second_term):
    scenario = short_second_term.model_copy(update={"replicates": 40})
    inputs = uncertainty.uncertain_inputs(scenario, "forgetting,weight_costly,negativity_bias")
    noise = run_ensemble(scenario)
    both = run_ensemble(scenario, varied=uncertainty.draw(inputs, 40, scenario.seed))
    low_noise = noise.trust("JPN", "US").min(axis=1)
    low_both = both.trust("JPN", "US").min(axis=1)
    spread = np.subtract(*np.quantile(low_both, [0.9, 0.1]))
    assert spread > 2 * np.subtract(*np.quantile(low_noise, [0.9, 0.1]))
    assert np.array_equal(noise.trust("JPN", "US")[:, 0], both.trust("JPN", "US")[:, 0])


def test_run_with_uncertainty_writes_both_bands(tmp_path, write_scenario):
    """`sim run --uncertainty`: the summary carries both bands, the replicates' draws are kept,
    and the two-band figure is drawn; a scenario's `uncertainty:` asks the same."""
    import pandas as pd

    from sim.cli import main as cli
    from sim.scenario import load_scenario

    path = write_scenario("uncertainty: forgetting,weight_costly\n",
                          extends="tariff_escalation.yml", horizon_months=12, replicates=20)
    assert load_scenario(path).uncertainty == "forgetting,weight_costly"
    out = tmp_path / "run"
    assert cli(["run", str(path), "--out", str(out)]) == 0
    summary = pd.read_csv(out / "summary.csv")
    japan = summary[(summary.measure == "trust") & (summary.actor == "JPN")
                    & (summary.partner == "US")]
    wider = japan.p90_with_parameters - japan.p10_with_parameters
    assert (wider.iloc[6:] > (japan.p90 - japan.p10).iloc[6:]).mean() > 0.8
    drawn = pd.read_csv(out / "parameters.csv")
    assert list(drawn.columns) == ["replicate", "forgetting", "weight_costly"] and len(drawn) == 20
    assert (out / "plots" / "trust_bands.png").is_file()
    assert "with parameter uncertainty" in (out / "summary.txt").read_text()


def test_a_bad_uncertainty_key_is_located(write_scenario):
    from sim.errors import ScenarioError
    from sim.scenario import load_scenario

    path = write_scenario("uncertainty: forgettin\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.where == "uncertainty" and info.value.line is not None
    assert "did you mean 'forgetting'" in info.value.message
