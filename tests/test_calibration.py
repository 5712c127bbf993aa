"""The recorded calibration is real: re-evaluating the fitted values reproduces the fit."""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis import calibrate
from sim.evidence.calibrated import CALIBRATED, FIT
from sim.evidence.params import Parameters


def test_fitted_values_are_the_defaults():
    defaults = Parameters()
    for name, value in CALIBRATED.items():
        assert getattr(defaults, name) == value
    assert set(CALIBRATED) == set(calibrate.FITTED)


def test_recorded_fit_reproduces_from_the_scenario():
    scenario = calibrate.first_term().model_copy(update={"seed": FIT["seed"]})
    values = calibrate.model_values(scenario, CALIBRATED, FIT["replicates"])
    recorded = [t["model"] for t in FIT["targets"]]
    assert values == pytest.approx(recorded, abs=1e-4)
    assert calibrate.rmse_points(values) == pytest.approx(FIT["rmse_points"], abs=1e-3)


def test_first_term_reproduces_the_lesson_of_the_surveys():
    """Trust moves by tens of points within a year; alliance support by a few."""
    scenario = calibrate.first_term()
    from sim.engine.ensemble import run_ensemble

    e = run_ensemble(scenario, replicates=32)
    japan = np.median(e.trust("JPN", "US"), axis=0)
    support = np.median(e.measure("alliance_support", "AUS"), axis=0)
    assert japan[0] - japan[:12].min() > 0.10
    assert abs(support[14] - support[2]) < 0.03


def test_the_fit_improves_on_a_poor_guess():
    scenario = calibrate.first_term()
    fitted = calibrate.rmse_points(calibrate.model_values(scenario, CALIBRATED, 32))
    poor = calibrate.rmse_points(calibrate.model_values(
        scenario, {**CALIBRATED, "weight_costly": 20.0}, 32))
    assert fitted < poor


def test_targets_are_the_surveys_shipped_with_the_package():
    """The calibration's numbers are the ones in sim/evidence/data/surveys.csv (one source of
    truth)."""
    import pandas as pd

    surveys = pd.read_csv(calibrate.SURVEYS)

    def value(country, measure, year):
        rows = surveys[(surveys.country == country) & (surveys.measure == measure)
                       & (surveys.year == year) & (surveys.target == "United States")]
        return float(rows["value_pct"].iloc[0]) / 100

    japan = [t for t in calibrate.TARGETS if t.actor == "JPN"]
    assert [t.value for t in japan] == [value("Japan", "favourable view", y) for y in (2017, 2018)]
    australia = next(t for t in calibrate.TARGETS if t.actor == "AUS" and t.measure == "trust")
    assert australia.value == value("Australia", "trust to act responsibly", 2018)
    support = next(t for t in calibrate.TARGETS if t.measure == "alliance_support")
    change = (value("Australia", "alliance important to security", 2018)
              - value("Australia", "alliance important to security", 2017))
    assert support.value == pytest.approx(change)
