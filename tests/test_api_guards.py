"""The Python API refuses what the CLI refuses: a bad seed, count, block size or number of workers
is a ValueError that says what is wrong and what would be valid, never truncated, never an
IndexError, never memory nobody wrote."""

from __future__ import annotations

import numpy as np
import pytest

from sim import checks
from sim.cli import main as cli
from sim.engine.ensemble import run_ensemble
from sim.engine.model import AllianceModel


@pytest.fixture(scope="module")
def short(write_scenario):
    from sim.scenario import load_scenario
    return load_scenario(write_scenario(horizon_months=3, replicates=2))


@pytest.mark.parametrize(("seed", "message"), [
    (3.7, "seed must be a whole number, got 3.7 (float)"),
    (3.0, "seed must be a whole number, got 3.0 (float)"),
    (True, "seed must be a whole number, got True (bool)"),
    ("4.2", "seed must be a whole number, got '4.2' (str)"),
    (None, None),  # the scenario's own: fine
    (-1, "seed must be a whole number from 0 to"),
    (2**63, "seed must be a whole number from 0 to"),
])
def test_a_seed_that_is_not_a_whole_number_in_range_is_refused(short, seed, message):
    if message is None:
        assert run_ensemble(short, seed=seed).seed == short.seed
        return
    for call in (lambda: run_ensemble(short, seed=seed),
                 lambda: AllianceModel(short, seed=seed)):
        with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
            call()


@pytest.mark.parametrize("seed", [np.int64(7), np.uint32(7), "7", " 7 "])
def test_numpy_integers_and_text_of_whole_numbers_are_the_same_seed(short, seed):
    assert run_ensemble(short, seed=seed).seed == 7
    model = AllianceModel(short, seed=seed)
    assert model.root_seed == 7 and type(model.root_seed) is int


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"replicates": 0}, "replicates must be at least 1, got 0"),
    ({"replicates": -3}, "replicates must be at least 1, got -3"),
    ({"replicates": 2.5}, "replicates must be a whole number"),
    ({"block_size": 0}, "block_size must be at least 1, got 0"),
    ({"block_size": -1}, "block_size must be at least 1, got -1"),
    ({"block_size": 1.5}, "block_size must be a whole number"),
    ({"workers": 0}, "workers must be at least 1, got 0"),
    ({"workers": True}, "workers must be a whole number"),
])
def test_run_ensemble_refuses_bad_sizes(short, kwargs, message):
    with pytest.raises(ValueError, match=message):
        run_ensemble(short, **kwargs)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"replicates": 0}, "replicates must be at least 1, got 0"),
    ({"replicates": False}, "replicates must be a whole number"),
    ({"first_replicate": -1}, "first_replicate must be at least 0, got -1"),
])
def test_the_model_refuses_bad_sizes(short, kwargs, message):
    with pytest.raises(ValueError, match=message):
        AllianceModel(short, **kwargs)


def test_more_workers_than_cores_are_refused_with_the_cores_named(short, monkeypatch):
    monkeypatch.setattr(checks, "cores", lambda: 2)
    with pytest.raises(ValueError, match=r"workers must be at most 2, the cores of this "
                                         r"machine, got 50 \(results are the same"):
        run_ensemble(short, workers=50)
    assert run_ensemble(short, workers=2).replicates == 2


def test_the_cli_refuses_more_workers_than_cores(short, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(checks, "cores", lambda: 2)
    with pytest.raises(SystemExit) as stop:
        cli(["run", "scenarios/baseline.yml", "--workers", "50", "--out", str(tmp_path / "x")])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "argument --workers: must be at most 2, the cores of this machine, got 50" in err
    assert not (tmp_path / "x").exists()
