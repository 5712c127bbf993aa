"""`sim sweep --method posterior`: the points are posterior rows; discover reads the folder,
sensitivity refuses it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analysis.calibration.calibrate import FITTED
from sim.analysis.experiments import uncertainty
from sim.analysis.experiments.sweep_reader import read_sweep
from sim.cli import main as cli

SECOND_TERM = Path(__file__).resolve().parents[1] / "scenarios" / "trump_second_term.yml"
OUTCOME = "trust:JPN:US@low"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("posterior") / "sweep"
    assert cli(["sweep", str(SECOND_TERM), "--method", "posterior", "--samples", "24",
                "--replicates", "2", "--outcome", OUTCOME, "--seed", "9",
                "--out", str(out)]) == 0
    return out


def test_the_points_are_posterior_rows_in_a_sweep_folder(folder):
    sample = uncertainty.posterior_parameters()
    sweep = read_sweep(folder)  # the folder contract holds
    design = json.loads((folder / "design.json").read_text("utf-8"))
    assert sweep.method == design["method"] == "posterior" and design["samples"] == 24
    assert sorted(sweep.names) == sorted(FITTED)
    rows = design["options"]["posterior_rows"]
    assert len(set(rows)) == 24  # no row twice while the sample has enough
    pd.testing.assert_frame_equal(sweep.experiments[sample.columns],
                                  sample.iloc[rows].reset_index(drop=True))


def test_more_points_than_the_posterior_resample_it_with_the_seed():
    size = len(uncertainty.posterior_parameters())
    experiments, design = uncertainty.posterior_design(size + 100, seed=3)
    again, _ = uncertainty.posterior_design(size + 100, seed=3)
    other, _ = uncertainty.posterior_design(size + 100, seed=4)
    assert len(experiments) == size + 100 and experiments.equals(again)
    assert not experiments.equals(other)
    assert len(set(design["options"]["posterior_rows"])) < size + 100  # some rows repeat
    assert np.array_equal(experiments["point"], np.arange(size + 100))


def test_sensitivity_refuses_a_posterior_sweep(folder, tmp_path, capsys):
    assert cli(["sensitivity", str(folder), "--out", str(tmp_path / "sa")]) == 2
    message = capsys.readouterr().err
    assert "a posterior design cannot be analysed for sensitivity" in message
    assert "sim discover" in message and "Traceback" not in message
    assert not (tmp_path / "sa").exists()


def test_discover_reads_a_posterior_sweep(folder, tmp_path, capsys):
    pytest.importorskip("ema_workbench")
    values = pd.read_parquet(folder / "outcomes.parquet")["value"]
    cut = float(values.quantile(0.3))
    code = cli(["discover", str(folder), "--where", f"{OUTCOME} < {cut}", "--fresh", "0",
                "--out", str(tmp_path / "found")])
    assert code == 0, capsys.readouterr().err
    assert (tmp_path / "found").is_dir()
