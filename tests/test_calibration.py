"""The calibration: measurement model, targets, ABC determinism, and the stored result."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from sim.analysis.calibration import calibrate, measurement
from sim.analysis.calibration.targets import load_targets
from sim.evidence.calibrated import CALIBRATED, FIT
from sim.evidence.params import Parameters


# --- measurement model -----------------------------------------------------------------------
def test_lowy_trust_reads_the_model_trust_directly():
    c = measurement.CONSTRUCTS[measurement.TRUST]
    offset, scale = measurement.offset_scale(c, {})
    assert measurement.read(c, np.array([0.37]), offset, scale) == pytest.approx([0.37])


def test_favourable_view_has_its_own_offset_and_scale():
    c = measurement.CONSTRUCTS[measurement.FAVOURABLE]
    offset, scale = measurement.offset_scale(c, {"favourable_offset": 0.1,
                                                 "favourable_scale": 0.8})
    assert measurement.read(c, np.array([0.5]), offset, scale) == pytest.approx([0.5])  # .1+.4
    assert measurement.read(c, np.array([1.2]), offset, scale) == pytest.approx([1.0])  # clipped
    assert set(measurement.nuisance_priors()) == {"favourable_offset", "favourable_scale",
                                                  "confidence_offset", "confidence_scale"}


def test_sampling_error_is_binomial():
    assert measurement.sampling_sd(0.5, 1000) == pytest.approx(0.0158114, abs=1e-6)
    assert measurement.sampling_sd(0.0, 1000) > 0  # floored: a z-score never divides by zero
    polls = measurement.survey(np.random.default_rng(0), np.full(20000, 0.3), 1000)
    assert polls.mean() == pytest.approx(0.3, abs=0.001)
    assert polls.std() == pytest.approx(measurement.sampling_sd(0.3, 1000), rel=0.05)


# --- targets ---------------------------------------------------------------------------------
def test_targets_are_rows_of_the_survey_table_up_to_2024():
    surveys = pd.read_csv(calibrate.EVIDENCE / "data" / "surveys.csv")
    targets = load_targets()
    assert len(targets) >= 20
    for t in targets:
        assert t.date <= dt.date(2024, 12, 31)  # 2025 polls are kept for the out-of-sample test
        assert t.source in set(surveys.source)
    japan_2020 = next(t for t in targets if t.actor == "JPN" and t.date.year == 2020
                      and t.construct == measurement.FAVOURABLE)
    assert japan_2020.value == 0.41
    years = {t.date.year for t in targets}
    assert {2017, 2020, 2021} <= years  # a fall and a recovery


def test_targets_fall_inside_the_calibration_scenario():
    scenario = calibrate.calibration_scenario()
    end = scenario.month_date(scenario.horizon_months)
    assert all(scenario.start <= t.date <= end for t in load_targets())


# --- ABC -------------------------------------------------------------------------------------
def _small(seed: int = 3):
    return calibrate.run(samples=40, replicates=2, accept=0.25, seed=seed)


def test_calibrate_is_deterministic_on_a_small_configuration():
    (a, ra), (b, rb) = _small(), _small()
    assert calibrate.posterior_table(a) == calibrate.posterior_table(b)
    assert ra == rb
    c, _ = _small(seed=4)
    assert calibrate.posterior_table(c) != calibrate.posterior_table(a)


def test_posterior_is_the_nearest_share_of_the_prior():
    result, record = _small()
    assert len(result.posterior) == 10
    kept = result.posterior["distance"].to_numpy()
    rejected = result.prior["distance"].drop(result.prior["distance"].nsmallest(10).index)
    assert kept.max() <= rejected.min()
    assert record["tolerance"] == pytest.approx(kept.max(), abs=1e-4)
    for name in calibrate.FITTED:
        lo, hi = calibrate.model_priors()[name]
        assert result.prior[name].between(lo, hi).all()


def test_a_posterior_piled_on_a_bound_is_flagged():
    assert calibrate.on_bound(np.full(100, 0.199), 0.0, 0.2) == "upper"
    assert calibrate.on_bound(np.full(100, 0.001), 0.0, 0.2) == "lower"
    assert calibrate.on_bound(np.linspace(0, 0.2, 100), 0.0, 0.2) == ""


def test_write_reproduces_files_byte_for_byte(tmp_path):
    result, record = _small()
    calibrate.write(result, record, tmp_path / "c.py", tmp_path / "p.csv")
    first = (tmp_path / "c.py").read_text(), (tmp_path / "p.csv").read_text()
    result, record = _small()
    calibrate.write(result, record, tmp_path / "c.py", tmp_path / "p.csv")
    assert ((tmp_path / "c.py").read_text(), (tmp_path / "p.csv").read_text()) == first


# --- the stored result -----------------------------------------------------------------------
def test_defaults_are_the_posterior_medians():
    defaults = Parameters()
    assert set(CALIBRATED) == set(calibrate.FITTED)
    posterior = calibrate.load_posterior()
    for name, value in CALIBRATED.items():
        assert getattr(defaults, name) == value
        assert np.median(posterior[name]) == pytest.approx(value, abs=1e-3)
    assert len(posterior) == FIT["accepted"]


def test_posterior_predictive_covers_most_targets():
    assert calibrate.coverage(FIT) >= 0.8
    assert len(FIT["targets"]) == len(load_targets())


def test_stored_calibration_file_is_what_the_record_renders():
    text = calibrate.CALIBRATED_FILE.read_text(encoding="utf-8")
    assert text == calibrate.calibrated_text({**FIT, "excluded": {}})


@pytest.mark.slow
def test_full_calibration_reproduces_the_stored_posterior():
    config = {k: FIT[k] for k in ("samples", "replicates", "accept", "seed")}
    result, record = calibrate.run(**config)
    assert calibrate.posterior_table(result) == calibrate.POSTERIOR_FILE.read_text()
    assert calibrate.calibrated_text(record) == calibrate.CALIBRATED_FILE.read_text()
