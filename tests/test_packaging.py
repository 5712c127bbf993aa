"""The package installs anywhere: the wheel carries the shipped scenarios, nothing looks for the
repository beside the code, and what only a checkout has (docs/ODD.md, calibrated.py to rewrite,
a git revision) is refused or reported as unknown elsewhere, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

from sim import paths
from sim.cli import main as cli
from sim.outputs import run_folder

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_under_sim_is_in_the_wheel():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "sim").rglob(
        "__init__.py")}
    assert on_disk <= listed, f"list these in pyproject.toml: {sorted(on_disk - listed)}"


def test_a_checkout_finds_its_own_scenarios():
    assert paths.checkout() == ROOT
    assert paths.scenario_dir() == ROOT / "scenarios"
    assert paths.scenario_file("baseline").is_file()


@pytest.fixture
def installed(monkeypatch):
    """As if running from a wheel: no source checkout."""
    monkeypatch.setattr(paths, "checkout", lambda: None)


def test_outside_a_checkout_docs_refuse_to_guess_a_file(installed, capsys):
    assert cli(["docs"]) == 2
    err = capsys.readouterr().err
    assert "no source checkout, so no docs/ODD.md to regenerate" in err
    assert "--path FILE" in err


def test_outside_a_checkout_calibrate_write_refuses_before_fitting(installed, capsys,
                                                                  monkeypatch):
    from sim.analysis.calibration import calibrate

    monkeypatch.setattr(calibrate, "run", lambda *a, **k: pytest.fail("fitted anyway"))
    assert cli(["calibrate", "--write"]) == 2
    assert "--write rewrites sim/evidence/calibrated.py" in capsys.readouterr().err


def test_outside_a_checkout_the_git_revision_is_unknown(installed, monkeypatch):
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("asked git"))
    assert run_folder.git_revision() == "unknown"


# --- the wheel, installed in a fresh environment ------------------------------------------------

def _run(python: Path, *args: str, cwd: Path, ok: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # only the wheel's sim
    done = subprocess.run([str(python), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)
    if ok:
        assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done


@pytest.mark.slow
def test_the_wheel_runs_outside_the_checkout(tmp_path):
    """Build the wheel, install it in a new venv (dependencies from this environment), and run
    the README's command, ``patterns`` with its default scenario and ``AllianceModel("baseline")``
    from a folder that is not the checkout."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w",
                    str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("alliance_sim-*.whl"))
    venv.create(tmp_path / "venv", system_site_packages=True, with_pip=True)
    python = tmp_path / "venv" / "bin" / "python"
    _run(python, "-m", "pip", "install", "--no-deps", "--quiet", str(wheel), cwd=tmp_path)
    work = tmp_path / "elsewhere"
    work.mkdir()

    where = _run(python, "-c", "import sim, sim.paths; print(sim.__file__); "
                 "print(sim.paths.scenario_dir())", cwd=work).stdout.split()
    assert all(Path(p).is_relative_to(tmp_path / "venv") for p in where), where
    shipped = Path(where[1]) / "tariff_escalation.yml"

    _run(python, "-m", "sim", "run", str(shipped), "--replicates", "20", "--out", "tariffs",
         cwd=work)
    meta = json.loads((work / "tariffs" / "metadata.json").read_text())
    assert meta["git_revision"] == "unknown"
    patterns = _run(python, "-m", "sim", "patterns", "--replicates", "20", "--out", "patterns",
                    cwd=work, ok=False)
    assert patterns.returncode in (0, 1), patterns.stderr  # 1: a pattern failed at 20 replicates
    assert (work / "patterns" / "patterns.csv").is_file()
    model = _run(python, "-c", "from sim.engine.model import AllianceModel; "
                 "m = AllianceModel('baseline', replicates=2); m.run(); "
                 "print(m.running, m.datacollector.get_model_vars_dataframe().shape)", cwd=work)
    assert model.stdout.split() == ["False", "(49,", "4)"]
    for verb in (["docs"], ["calibrate", "--write"]):
        refused = _run(python, "-m", "sim", *verb, cwd=work, ok=False)
        assert refused.returncode == 2 and "source checkout" in refused.stderr
        assert "Traceback" not in refused.stderr
