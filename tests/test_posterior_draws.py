"""Posterior draws per replicate (`--uncertainty posterior`): whole rows of the stored sample,
chosen by each replicate's own stream."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.calibration.calibrate import FITTED, load_posterior
from sim.analysis.experiments import uncertainty


def _as_rows(drawn: dict[str, np.ndarray]) -> pd.DataFrame:
    return pd.DataFrame(drawn)


def test_posterior_parameters_are_the_model_columns_only():
    columns = list(uncertainty.posterior_parameters().columns)
    assert sorted(columns) == sorted(FITTED)
    assert not any("offset" in c or "scale" in c or c == "distance" for c in columns)


def test_each_replicate_takes_a_whole_posterior_row_whatever_the_ensemble_size():
    sample = uncertainty.posterior_parameters()
    many = _as_rows(uncertainty.draw_posterior(80, seed=5))
    few = _as_rows(uncertainty.draw_posterior(7, seed=5))
    rows = uncertainty.posterior_rows(80, 5, len(sample))
    # each replicate's values are one row of posterior.csv, all parameters from the same row
    pd.testing.assert_frame_equal(many, sample.iloc[rows].reset_index(drop=True)[many.columns])
    pd.testing.assert_frame_equal(many.iloc[:7], few)  # replicate r: the same row
    assert len(set(rows)) > 50  # it spreads over the sample
    other = uncertainty.posterior_rows(80, 6, len(sample))
    assert not np.array_equal(rows, other)  # the seed chooses


def test_the_posterior_drawer_and_the_scenario_key(write_scenario, baseline):
    from sim.scenario import load_scenario

    drawn = uncertainty.drawer(baseline, "posterior")(10, 3)
    assert drawn.keys() == set(FITTED)
    path = write_scenario("uncertainty: posterior\n", extends="tariff_escalation.yml",
                          horizon_months=12, replicates=4)
    assert load_scenario(path).uncertainty == "posterior"


def test_run_with_posterior_uncertainty_writes_posterior_rows(tmp_path, write_scenario):
    from sim.cli import main as cli

    path = write_scenario("", extends="tariff_escalation.yml", horizon_months=12, replicates=12)
    out = tmp_path / "run"
    assert cli(["run", str(path), "--out", str(out), "--uncertainty", "posterior",
                "--no-plots"]) == 0
    drawn = pd.read_csv(out / "parameters.csv")
    sample = load_posterior()[list(FITTED)].to_numpy()
    # each replicate's values are one posterior row (to the 5 digits the CSV keeps)
    relative = np.abs(drawn[list(FITTED)].to_numpy()[:, None, :] - sample) / np.abs(sample)
    assert (relative.max(axis=2).min(axis=1) < 1e-4).all()
    summary = pd.read_csv(out / "summary.csv")
    assert "p10_with_parameters" in summary
