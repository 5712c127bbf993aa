"""The command line end to end, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TARIFFS = ROOT / "scenarios" / "tariff_escalation.yml"

pytestmark = pytest.mark.slow  # each test starts Python and runs a whole verb


def sim(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def test_run_writes_a_complete_run_folder(tmp_path):
    out = tmp_path / "run"
    done = sim("run", str(TARIFFS), "--out", str(out), "--replicates", "12", "--seed", "7")
    assert done.returncode == 0, done.stderr
    assert "Japan" in done.stdout and "trust in United States" in done.stdout
    assert {p.name for p in out.iterdir()} == {
        "results.parquet", "summary.csv", "end_state.csv", "bloc_energy.csv", "replicates.csv",
        "scenario.yml", "metadata.json", "summary.txt", "events.csv", "plots"}
    assert len(list((out / "plots").glob("*.png"))) == 5

    results = pd.read_parquet(out / "results.parquet")
    assert set(results.columns) == {"replicate", "month", "date", "actor", "partner", "measure",
                                    "value"}
    assert results["replicate"].nunique() == 12
    assert results["month"].max() == 48
    japan = results[(results.measure == "trust") & (results.actor == "JPN")
                    & (results.partner == "US") & (results.month == 0)]
    assert japan["value"].round(6).eq(0.34).all()

    summary = pd.read_csv(out / "summary.csv")
    assert {"median", "p10", "p90"} <= set(summary.columns)
    assert (summary["p10"] <= summary["median"] + 1e-9).all()
    assert (summary["median"] <= summary["p90"] + 1e-9).all()

    meta = json.loads((out / "metadata.json").read_text())
    assert meta["seed"] == 7 and meta["replicates"] == 12
    assert len(meta["scenario_hash"]) == 16 and meta["git_revision"]
    assert "perception" in meta["streams"]

    per_replicate = pd.read_csv(out / "replicates.csv")
    assert len(per_replicate) == 12
    assert (per_replicate["commitments_honoured"] <= per_replicate["commitment_tests"]).all()
    assert per_replicate["commitment_tests"].sum() == meta["commitment_tests"]

    energy = pd.read_csv(out / "bloc_energy.csv")
    assert len(energy) == 49 and (energy["p10"] <= energy["median"] + 1e-9).all()

    resolved = yaml.safe_load((out / "scenario.yml").read_text())
    assert resolved["name"] == "tariff_escalation" and resolved["seed"] == 7


def test_the_resolved_scenario_reproduces_the_run(tmp_path):
    first = tmp_path / "a"
    assert sim("run", str(TARIFFS), "--out", str(first), "--replicates", "4",
               "--no-plots").returncode == 0
    again = tmp_path / "b"
    done = sim("run", str(first / "scenario.yml"), "--out", str(again), "--no-plots")
    assert done.returncode == 0, done.stderr
    a = pd.read_parquet(first / "results.parquet")
    b = pd.read_parquet(again / "results.parquet")
    pd.testing.assert_frame_equal(a, b)


def test_existing_output_is_never_overwritten(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    done = sim("run", str(TARIFFS), "--out", str(out), "--replicates", "2")
    assert done.returncode == 2
    assert "exists" in done.stderr and "Traceback" not in done.stderr
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_validate_and_params(tmp_path):
    done = sim("validate", str(TARIFFS))
    assert done.returncode == 0 and "ok" in done.stdout
    done = sim("params", "--format", "csv")
    assert done.returncode == 0
    table = pd.read_csv(pd.io.common.StringIO(done.stdout))
    assert {"forgetting", "weight_costly", "honour_rate"} <= set(table["name"])
    assert table.set_index("name").loc["honour_rate", "kind"] == "literature"
    markdown = sim("params", "--format", "markdown").stdout.splitlines()
    assert markdown[0] == "| name | value | unit | range | kind | source |"
    assert len(markdown) == len(table) + 2


def test_patterns_command_prints_and_writes_the_table(tmp_path):
    out = tmp_path / "patterns"
    done = sim("patterns", "--replicates", "40", "--out", str(out))
    assert done.returncode == 0, done.stderr + done.stdout  # every pattern holds
    table = pd.read_csv(out / "patterns.csv")
    assert list(table["pattern"]) == list(range(1, 9))
    assert "holds in" in done.stdout and "PASS" in done.stdout
    assert {"median", "low", "high", "param_median", "param_share", "controls"} <= set(table)
    assert "Consistency checks" in done.stdout and "baseline" in done.stdout
    checked = pd.read_csv(out / "controls.csv")
    assert checked[checked["pattern"] <= 5]["fails"].all()
