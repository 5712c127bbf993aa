"""Figures drawn in worker processes are the figures drawn here, and a failing one stops the run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from sim.analysis.tables import quantiles
from sim.engine.ensemble import run_ensemble
from sim.figures import run as plots
from sim.figures.workers import SHARES, FigureWorkers
from sim.outputs.run_writer import write_run
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
TARIFFS = ROOT / "scenarios" / "tariff_escalation.yml"


@pytest.fixture(scope="module")
def ensemble():
    scenario = load_scenario(TARIFFS).model_copy(update={"replicates": 6, "horizon_months": 12})
    return run_ensemble(scenario)


def test_workers_draw_every_figure():
    assert sorted(name for share in SHARES for name in share) == sorted(plots.FILES)


def test_workers_write_the_same_pngs_as_drawing_here(ensemble, tmp_path):
    summary = quantiles(ensemble)
    serial = plots.make_plots(ensemble, summary, tmp_path / "serial")
    with FigureWorkers() as figures:
        figures.draw(summary, ensemble.scenario, tmp_path / "parallel")
        parallel = figures.wait()
    assert sorted(p.name for p in parallel) == sorted(p.name for p in serial)
    assert {p.name for p in (tmp_path / "parallel").iterdir()} == set(plots.FILES)
    for path in serial:
        drawn_there = (tmp_path / "parallel" / path.name).read_bytes()
        assert len(drawn_there) == path.stat().st_size, path.name
        assert drawn_there == path.read_bytes(), path.name


def test_run_folder_is_the_same_with_and_without_workers(ensemble, tmp_path):
    write_run(ensemble, tmp_path / "serial")
    write_run(ensemble, tmp_path / "parallel", figures=FigureWorkers())
    for path in sorted((tmp_path / "serial").rglob("*")):
        if path.is_file() and path.name != "metadata.json":  # metadata: the time it was created
            other = tmp_path / "parallel" / path.relative_to(tmp_path / "serial")
            assert other.read_bytes() == path.read_bytes(), path.name


def test_a_failing_figure_fails_the_run_and_writes_nothing(ensemble, tmp_path, monkeypatch):
    if sys.platform != "linux":
        pytest.skip("the broken drawing reaches the workers by fork")

    def broken(*args, **kwargs):
        raise RuntimeError("the network figure broke")

    monkeypatch.setattr(plots, "plot_partnership_network", broken)
    folder = tmp_path / "run"
    with pytest.raises(RuntimeError, match="network figure broke"):
        write_run(ensemble, folder, figures=FigureWorkers())
    assert list(tmp_path.iterdir()) == []  # neither the folder nor its hidden draft


@pytest.mark.parametrize("drawing", ["plot_alignment", "plot_trust_matrix"])  # one per share
def test_a_crashed_worker_fails_the_run(ensemble, tmp_path, monkeypatch, drawing):
    if sys.platform != "linux":
        pytest.skip("the crash reaches the workers by fork")
    import os

    monkeypatch.setattr(plots, drawing, lambda *a, **k: os._exit(3))
    with pytest.raises(Exception, match="terminated abruptly"):
        write_run(ensemble, tmp_path / "run", figures=FigureWorkers())
    assert list(tmp_path.iterdir()) == []
