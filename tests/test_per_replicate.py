"""Parameters per replicate: a whole design runs in one batched simulation.

Three promises: with every replicate given the scenario's own values the numbers are bit for bit
those of an ordinary run; a replicate with its own values gives bit for bit what a run with those
values as the scenario's would; and every point of a design shares its replicates' random numbers.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.engine.ensemble import run_ensemble, run_points
from sim.evidence.params import STRUCTURAL, Parameters, names
from sim.scenario.settings import apply_settings

SIZE = {"horizon_months": 14, "replicates": 4}
BATCHABLE = [n for n in names() if n not in STRUCTURAL]


@pytest.fixture(scope="module")
def scenario(short_second_term):
    return short_second_term.model_copy(update=SIZE)


def test_the_scenarios_own_values_per_replicate_change_nothing(scenario, assert_identical):
    defaults = Parameters()
    own = {n: np.full(4, getattr(scenario.parameters, n)) for n in BATCHABLE}
    assert all(getattr(defaults, n) is not None for n in own)
    plain = run_ensemble(scenario)
    varied = run_ensemble(scenario, varied=own)
    assert_identical(plain.arrays, varied.arrays)
    assert np.array_equal(plain.commitments_honoured, varied.commitments_honoured)
    assert np.array_equal(plain.bloc_energy, varied.bloc_energy)


def test_each_point_of_a_design_equals_its_own_run(scenario, assert_identical):
    """Three points that move many mechanisms at once, in one batch, against one run each."""
    design = {"forgetting": [0.9, 0.95, 0.99], "negativity_bias": [1.0, 2.0, 3.5],
              "challenger_growth": [0.0, 0.03, 0.06], "prior_strength": [10.0, 20.0, 60.0],
              "honour_partnership": [0.3, 0.6, 0.9], "observed_other_tier": [0.3, 0.7, 1.0],
              "patron_exposure_floor": [0.05, 0.2, 0.5], "tie_growth": [0.2, 0.6, 1.5],
              "salience_steel": [0.2, 0.5, 1.0], "press_weight": [0.0, 0.3, 0.0]}
    design = {k: v for k, v in design.items() if k in BATCHABLE}
    batch = run_points(scenario, design, replicates=3, seed=11)
    for p in range(3):
        alone = run_ensemble(apply_settings(scenario, {k: v[p] for k, v in design.items()}),
                             replicates=3, seed=11)
        rows = slice(3 * p, 3 * p + 3)
        assert_identical({k: v[:, rows] for k, v in batch.arrays.items()}, alone.arrays)
        assert np.array_equal(batch.commitments_honoured[rows], alone.commitments_honoured)


def test_actor_values_and_structural_parameters_run_one_world_each(scenario, assert_identical):
    design = {"JPN.dependence": [0.6, 0.9, 0.6], "proximity_km": [3000.0, 3000.0, 5000.0],
              "forgetting": [0.9, 0.95, 0.97]}
    batch = run_points(scenario, design, replicates=2, seed=3)
    for p in range(3):
        alone = run_ensemble(apply_settings(scenario, {k: v[p] for k, v in design.items()}),
                             replicates=2, seed=3)
        assert_identical({k: v[:, 2 * p:2 * p + 2] for k, v in batch.arrays.items()},
                         alone.arrays)


def test_points_share_their_replicates_random_numbers(scenario):
    """Two points with the same values are the same run, whatever else is in the batch."""
    batch = run_points(scenario, {"forgetting": [0.95, 0.9, 0.95]}, replicates=2, seed=5)
    trust = batch.arrays["trust"]
    assert np.array_equal(trust[:, 0:2], trust[:, 4:6])
    assert not np.array_equal(trust[:, 0:2], trust[:, 2:4])


def test_values_outside_the_declared_range_or_structural_ones_are_refused(scenario):
    with pytest.raises(ValueError, match="outside its plausible range"):
        scenario.parameters.per_replicate({"forgetting": np.array([0.9, 0.5])})
    with pytest.raises(ValueError, match="one value per simulation"):
        scenario.parameters.per_replicate({"proximity_km": np.array([2000.0, 3000.0])})
    with pytest.raises(ValueError, match="one value per replicate"):
        scenario.parameters.per_replicate({"forgetting": np.array([0.9]),
                                           "tie_growth": np.array([0.5, 0.6])})
