"""Parameter uncertainty in a run: draws per replicate, in range, independent of the layout."""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis import uncertainty
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
