"""Designs over the uncertain inputs: ranges from the register, SALib's samplers, seeded."""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis.experiments import design
from sim.errors import UserError
from sim.evidence.params import STRUCTURAL, declarations

pytest.importorskip("SALib")


def test_all_assumptions_are_the_register_rows_whose_source_is_an_assumption(baseline):
    inputs = design.uncertainties(baseline, design.ALL_ASSUMPTIONS)
    expected = [r["name"] for r in declarations()
                if r["source"].kind == "assumption" and r["name"] not in STRUCTURAL]
    assert [u.name for u in inputs] == expected and len(expected) >= 10
    row = {r["name"]: r for r in declarations()}["perception_noise"]
    chosen = {u.name: u for u in inputs}["perception_noise"]
    assert (chosen.low, chosen.high) == (row["low"], row["high"])


def test_actor_values_get_a_band_clipped_to_their_bounds_or_a_given_range(baseline):
    inputs = design.uncertainties(baseline, "JPN.dependence, forgetting=0.9:0.98, US.capability")
    jpn, forgetting, us = inputs
    value = baseline.actors["JPN"].dependence
    assert (jpn.low, jpn.high) == pytest.approx((value - 0.1, min(1.0, value + 0.1)))
    assert (forgetting.low, forgetting.high) == (0.9, 0.98)
    assert us.low >= 0.0


@pytest.mark.parametrize(("vary", "message"), [
    ("", "names no input"), ("forgettin", "did you mean 'forgetting'"),
    ("forgetting=0.5:0.9", "must lie within"), ("forgetting=0.9", "not LOW:HIGH"),
    ("forgetting,forgetting", "twice"), ("XXX.dependence", "unknown actor"),
])
def test_bad_vary_says_what_is_valid(baseline, vary, message):
    with pytest.raises(UserError, match=message):
        design.uncertainties(baseline, vary)


@pytest.mark.parametrize(("method", "samples", "points"), [
    ("grid", 3, 9), ("lhs", 7, 7), ("morris", 4, 4 * 3), ("sobol", 8, 8 * 4),
])
def test_each_design_has_the_documented_size_and_stays_in_range(baseline, method, samples,
                                                                 points):
    inputs = design.uncertainties(baseline, "forgetting,negativity_bias")
    table, record = design.sample(method, inputs, samples, seed=5)
    assert len(table) == points and list(table["point"]) == list(range(points))
    for u in inputs:
        assert table[u.name].between(u.low, u.high).all()
    assert record["method"] == method and record["problem"]["names"] == [u.name for u in inputs]
    again, _ = design.sample(method, inputs, samples, seed=5)
    assert np.array_equal(table.to_numpy(), again.to_numpy())  # seeded


def test_unknown_method_and_no_samples_are_refused(baseline):
    inputs = design.uncertainties(baseline, "forgetting")
    with pytest.raises(UserError, match="unknown design"):
        design.sample("fast", inputs, 4, seed=1)
    with pytest.raises(UserError, match="at least 1"):
        design.sample("lhs", inputs, 0, seed=1)
