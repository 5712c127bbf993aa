"""Sweeps: a design run batched, the same bits on every executor, resumed after a kill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main as cli

ROOT = Path(__file__).resolve().parents[1]
SECOND_TERM = ROOT / "scenarios" / "trump_second_term.yml"
pytest.importorskip("SALib")


def sweep(tmp_path: Path, name: str, *extra: str, samples: str = "6") -> Path:
    out = tmp_path / name
    code = cli(["sweep", str(SECOND_TERM), "--method", "lhs", "--samples", samples,
                "--replicates", "2", "--vary", "forgetting,negativity_bias,JPN.dependence",
                "--outcome", "trust:JPN:US@low", "--outcome", "alignment_security:JPN@end",
                "--chunk-runs", "4", "--seed", "9", "--out", str(out), *extra])
    assert code == 0
    return out


@pytest.fixture(scope="module")
def serial(tmp_path_factory) -> Path:
    return sweep(tmp_path_factory.mktemp("serial"), "serial")


def test_the_folder_holds_design_experiments_and_tidy_outcomes(serial):
    design = json.loads((serial / "design.json").read_text())
    assert design["method"] == "lhs" and design["replicates"] == 2 and design["chunks"] == 3
    experiments = pd.read_csv(serial / "experiments.csv")
    assert list(experiments.columns) == ["point", "forgetting", "negativity_bias",
                                         "JPN.dependence"]
    outcomes = pd.read_parquet(serial / "outcomes.parquet")
    assert len(outcomes) == 6 * 2 * 2
    assert set(outcomes["outcome"]) == {"trust:JPN:US@low", "alignment_security:JPN@end"}
    assert json.loads((serial / "status.json").read_text())["complete"] is True
    # the points differ, so do their outcomes; a point's replicates differ by noise
    low = outcomes[outcomes["outcome"] == "trust:JPN:US@low"].pivot(
        index="point", columns="replicate", values="value")
    assert low[0].nunique() == 6 and (low[0] != low[1]).all()


@pytest.mark.slow
@pytest.mark.parametrize("executor", [["--workers", "2"], ["--scheduler", "local",
                                                           "--workers", "2"]])
def test_every_executor_gives_the_same_bits(serial, tmp_path, executor):
    if "local" in executor:
        pytest.importorskip("distributed")
    other = sweep(tmp_path, "other", *executor)
    assert pd.read_parquet(other / "outcomes.parquet").equals(
        pd.read_parquet(serial / "outcomes.parquet"))


@pytest.mark.slow
def test_a_killed_sweep_resumes_to_the_same_bits(tmp_path):
    """Kill the process once the first chunk is on disk; resume; compare with a clean sweep."""
    out = tmp_path / "killed"
    args = [sys.executable, "-m", "sim", "sweep", str(SECOND_TERM), "--method", "lhs",
            "--samples", "40", "--replicates", "2", "--vary", "forgetting,tie_growth",
            "--outcome", "trust:JPN:US@low", "--chunk-runs", "8", "--seed", "4",
            "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(args, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not list(out.glob("chunks/chunk-*.parquet")):
        assert process.poll() is None and time.monotonic() < deadline, "no chunk was written"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    written = len(list((out / "chunks").glob("chunk-*.parquet")))
    assert 0 < written < 10 and not (out / "outcomes.parquet").exists()
    assert not list((out / "chunks").glob(".*"))  # no half-written chunk is left visible
    resumed = subprocess.run([sys.executable, "-m", "sim", "sweep", "--resume", str(out)],
                             cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    clean = tmp_path / "clean"
    subprocess.run(args[:-1] + [str(clean)], cwd=tmp_path, env=env, check=True, timeout=300,
                   capture_output=True)
    assert pd.read_parquet(out / "outcomes.parquet").equals(
        pd.read_parquet(clean / "outcomes.parquet"))


@pytest.mark.parametrize(("argv", "message"), [
    (["--vary", "forgettin"], "did you mean 'forgetting'"),
    (["--vary", "forgetting=0.1:0.5"], "must lie within"),
    (["--vary", "XXX.dependence"], "unknown actor"),
    (["--outcome", "trust:JPN@low"], "MEASURE:ACTOR:PARTNER"),
    (["--outcome", "trust:JPN:US@2031-01"], "outside the run"),
    (["--workers", "999"], "cores"),
    (["--scheduler", "udp://nowhere"], "not understood"),
])
def test_bad_input_is_refused_before_anything_is_written(tmp_path, capsys, argv, message):
    out = tmp_path / "never"
    code = cli(["sweep", str(SECOND_TERM), "--samples", "2", "--out", str(out), *argv])
    assert code == 2 and message in capsys.readouterr().err
    assert not out.exists()


def test_resume_refuses_what_is_not_its_own(serial, tmp_path, capsys):
    assert cli(["sweep", "--resume", str(tmp_path)]) == 2
    assert "not a sweep folder" in capsys.readouterr().err
    copy = tmp_path / "copy"
    copy.mkdir()
    for f in serial.iterdir():
        if f.is_file():
            (copy / f.name).write_bytes(f.read_bytes())
    meta = json.loads((copy / "metadata.json").read_text())
    (copy / "metadata.json").write_text(json.dumps({**meta, "model_version": "0.0"}))
    assert cli(["sweep", "--resume", str(copy)]) == 2
    assert "was made by" in capsys.readouterr().err
    other = ROOT / "scenarios" / "baseline.yml"
    assert cli(["sweep", str(other), "--resume", str(serial)]) == 2
    assert "another scenario" in capsys.readouterr().err


def test_an_existing_folder_is_never_overwritten(serial, capsys):
    before = (serial / "outcomes.parquet").read_bytes()
    assert cli(["sweep", str(SECOND_TERM), "--out", str(serial)]) == 2
    assert "exists already" in capsys.readouterr().err
    assert (serial / "outcomes.parquet").read_bytes() == before
