"""Properties that hold for every valid parameter set and seed (hypothesis): bounds, no NaN, the
same seed giving the same bits, the landscape's descent, and the Beta reputation's trust."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.engine.ensemble import run_ensemble
from sim.engine.mechanics import landscape, reputation
from sim.engine.model import AllianceModel
from sim.evidence.params import declarations

RUNS = settings(max_examples=30, deadline=None)
QUICK = settings(max_examples=40, deadline=None)

UNIT = ("trust", "ties", "grievance_with_patron", "trade_with_patron", "trade_with_challenger",
        "hedging", "threat", "abandonment_fear", "entrapment_fear", "alliance_support")
AXES = ("alignment_economic", "alignment_security")
seeds = st.integers(min_value=0, max_value=2**63 - 1)


@st.composite
def overrides(draw) -> dict[str, float]:
    """Any subset of parameters, each anywhere in its declared range (ends included)."""
    out = {}
    for row in declarations():
        if draw(st.booleans()):
            out[row["name"]] = draw(st.floats(row["low"], row["high"], allow_nan=False))
    return out


def with_overrides(scenario, values: dict[str, float]):
    return scenario.model_copy(update={"parameters": scenario.parameters.with_overrides(values)})


@RUNS
@given(values=overrides(), seed=seeds)
def test_a_run_stays_in_bounds_and_the_same_seed_gives_the_same_bits(short_second_term,
                                                                      values, seed):
    scenario = with_overrides(short_second_term, values)
    first = run_ensemble(scenario, seed=seed).arrays
    for name, array in first.items():
        assert np.isfinite(array).all(), name
    for name in UNIT:
        assert first[name].min() >= 0.0 and first[name].max() <= 1.0, name
    for name in AXES:
        assert first[name].min() >= -1.0 and first[name].max() <= 1.0, name
    ceiling = np.array([a.defence_ceiling for a in scenario.actors.values()], dtype=np.float32)
    start = first["defence_spending"][0]
    assert first["defence_spending"].min() >= 0.0
    assert np.all(first["defence_spending"] <= np.maximum(ceiling, start) + 1e-6)

    again = run_ensemble(scenario, seed=seed).arrays
    assert all(np.array_equal(first[k], again[k]) for k in first)


@RUNS
@given(values=overrides(), seed=seeds)
def test_model_trust_is_the_beta_mean_of_its_evidence(short_second_term, values, seed):
    """Under pure reputation, every month, T = a / (a + b) off the diagonal, in (0, 1)."""
    values["press_weight"] = 0.0
    model = AllianceModel(with_overrides(short_second_term, values), seed=seed, replicates=2)
    off = ~np.eye(model.base.size, dtype=bool)
    for _ in range(model.months):
        model.step()
        a, b = model.state.evidence_for, model.state.evidence_against
        assert np.array_equal(model.state.trust[:, off], (a / (a + b))[:, off])
        assert np.all(model.state.trust[:, off] > 0.0) and np.all(model.state.trust[:, off] < 1.0)
        assert np.all(np.diagonal(model.state.trust, axis1=1, axis2=2) == 1.0)


months_of_evidence = st.lists(
    st.tuples(st.floats(0.0, 20.0), st.floats(0.0, 20.0), st.floats(0.2, 5.0)),
    min_size=1, max_size=36)


@QUICK
@given(prior=st.floats(0.01, 0.99), strength=st.floats(5.0, 80.0),
       forgetting=st.floats(0.85, 0.995), bias=st.floats(1.0, 4.0), months=months_of_evidence)
def test_beta_trust_stays_strictly_inside_the_unit_interval(prior, strength, forgetting, bias,
                                                            months):
    a0, b0 = np.array([prior * strength]), np.array([(1 - prior) * strength])
    a, b = a0.copy(), b0.copy()
    for positive, negative, noise in months:
        reputation.update(a, b, a0, b0, np.array([positive]), np.array([negative]), forgetting,
                          bias, np.array([noise]))
        trust = reputation.trust(a, b)
        assert a[0] > 0.0 and b[0] > 0.0
        assert 0.0 < trust[0] < 1.0
        assert trust[0] == a[0] / (a[0] + b[0])


@st.composite
def landscapes(draw):
    n = draw(st.integers(2, 8))
    size = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=n, max_size=n)))
    upper = np.array(draw(st.lists(st.floats(-1.0, 1.0), min_size=n * n, max_size=n * n)))
    propensity = np.triu(upper.reshape(n, n), k=1)
    propensity = propensity + propensity.T
    bloc = np.array(draw(st.lists(st.sampled_from([-1, 1]), min_size=n, max_size=n)))
    return size, propensity, bloc


@QUICK
@given(landscapes())
def test_each_myopic_switch_strictly_lowers_energy_until_none_does(case):
    """Axelrod & Bennett 1993: descent by single switches ends at a local minimum."""
    size, propensity, bloc = case
    energy = landscape.energy(size, propensity, bloc)
    for _ in range(2 ** len(bloc)):  # a strict descent visits each configuration at most once
        nxt = landscape.best_switch(size, propensity, bloc)
        if nxt is None:
            break
        assert np.count_nonzero(nxt != bloc) == 1
        lower = landscape.energy(size, propensity, nxt)
        assert lower < energy
        bloc, energy = nxt, lower
    else:
        raise AssertionError("the descent did not end")
    for i in range(len(bloc)):
        flipped = bloc.copy()
        flipped[i] = -flipped[i]
        assert landscape.energy(size, propensity, flipped) >= energy - 1e-12
    assert np.array_equal(landscape.settle(size, propensity, case[2]), bloc)
