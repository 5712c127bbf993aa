"""The model as Mesa users drive it: ``running`` ends at the horizon, a DataCollector reports the
headline measures each month, ``mesa.batch_run`` works, the model pickles, and ensembles run the
numeric core without building Mesa models at all."""

from __future__ import annotations

import pickle

import mesa
import numpy as np
import pytest

from sim.engine import ensemble
from sim.engine.model import REPORTERS, AllianceModel


def test_a_model_stepped_to_its_horizon_is_no_longer_running(write_scenario):
    model = AllianceModel(scenario=write_scenario(horizon_months=3), replicates=2)
    for _ in range(2):
        model.step()
        assert model.running
    model.step()
    assert not model.running
    with pytest.raises(RuntimeError, match="horizon"):  # a clear error, never a silent month
        model.step()


def test_mesa_run_model_stops_at_the_horizon(write_scenario):
    model = AllianceModel(scenario=write_scenario(horizon_months=4), replicates=1)
    model.run_model()  # Mesa's own loop: steps while `running`
    assert model.steps == model.months == 4


def test_the_datacollector_reports_japans_mean_over_replicates_each_month(write_scenario):
    model = AllianceModel(scenario=write_scenario(horizon_months=5), replicates=3)
    model.run()
    frame = model.datacollector.get_model_vars_dataframe()
    assert list(frame.columns) == list(REPORTERS)
    assert len(frame) == model.months + 1  # the initial month and every step
    jpn, us = model.base.index("JPN"), model.base.index("US")
    recorded = model.history.arrays["trust"][:, :, jpn, us].mean(axis=1)  # float32 record
    assert frame["japan_trust_in_patron"].to_numpy() == pytest.approx(recorded, abs=1e-6)
    assert frame.notna().all().all()
    assert frame["japan_trust_in_patron"].nunique() > 1  # it moves: not a stale value


def test_batch_run_returns_the_reporters():
    results = mesa.batch_run(AllianceModel, parameters={"scenario": "baseline", "replicates": 1,
                                                        "seed": [3, 4]},
                             iterations=2, max_steps=12, number_processes=1,
                             display_progress=False)
    assert len(results) == 4
    for row in results:
        assert row["Step"] == 12
        assert all(np.isfinite(row[name]) for name in REPORTERS)
    by_seed = {row["seed"]: row["japan_trust_in_patron"] for row in results}
    assert by_seed[3] != by_seed[4]


def test_a_stepped_model_pickles_and_carries_on(write_scenario):
    model = AllianceModel(scenario=write_scenario(horizon_months=4), replicates=2)
    model.step()
    copy = pickle.loads(pickle.dumps(model))
    copy.run()
    model.run()
    assert np.array_equal(copy.history.arrays["trust"], model.history.arrays["trust"])


def test_an_ensemble_builds_no_mesa_model(baseline, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("run_ensemble built a Mesa model")

    monkeypatch.setattr(AllianceModel, "__init__", refuse)
    assert ensemble.run_ensemble(baseline, replicates=2).replicates == 2
