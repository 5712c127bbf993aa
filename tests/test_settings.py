"""Settings over a resolved scenario (--set and sweep points): checked like the file's own."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from sim.commands.arguments import setting
from sim.engine.ensemble import run_ensemble
from sim.errors import UserError
from sim.scenario.settings import apply_settings


def test_a_parameter_and_an_actor_value_are_applied(baseline):
    s = apply_settings(baseline, {"forgetting": 0.9, "JPN.dependence": 0.8})
    assert s.parameters.forgetting == 0.9 and s.actors["JPN"].dependence == 0.8
    assert s.parameter_overrides["forgetting"] == 0.9
    assert baseline.parameters.forgetting != 0.9  # the original is untouched
    assert s.as_dict()["actors"]["JPN"]["dependence"] == 0.8  # the run folder records it


def test_an_actor_value_changes_the_run(baseline):
    small = {"horizon_months": 6, "replicates": 2}
    before = run_ensemble(baseline.model_copy(update=small))
    after = run_ensemble(apply_settings(baseline, {"JPN.dependence": 0.3}).model_copy(
        update=small))
    j = before.index("JPN")
    assert (after.arrays["abandonment_fear"][:, :, j]
            != before.arrays["abandonment_fear"][:, :, j]).any()


@pytest.mark.parametrize(("setting", "message", "valid"), [
    ({"forgettin": 0.9}, "did you mean 'forgetting'", "sim params"),
    ({"forgetting": 2.0}, "outside its plausible range", None),
    ({"XXX.dependence": 0.5}, "unknown actor 'XXX'", "JPN"),
    ({"JPN.dependance": 0.5}, "did you mean 'dependence'", "alignment_security"),
    ({"JPN.name": 1.0}, "not a number an actor has", "dependence"),
    ({"JPN.dependence": 2.0}, "less than or equal to 1", "from 0.0 to 1.0"),
])
def test_bad_settings_say_what_is_valid(baseline, setting, message, valid):
    with pytest.raises(UserError) as info:
        apply_settings(baseline, setting)
    assert message in str(info.value)
    if valid:
        assert valid in info.value.valid


def test_command_line_form():
    assert setting("JPN.dependence=0.8") == ("JPN.dependence", 0.8)
    for bad in ("forgetting", "forgetting=high", "=0.3"):
        with pytest.raises(argparse.ArgumentTypeError, match="expected name=value"):
            setting(bad)


def test_run_with_set_records_the_values_and_a_bad_one_writes_nothing(tmp_path, capsys):
    from sim.cli import main as cli
    from sim.scenario import load_scenario

    tariffs = Path(__file__).resolve().parents[1] / "scenarios" / "tariff_escalation.yml"
    out = tmp_path / "run"
    assert cli(["run", str(tariffs), "--replicates", "3", "--no-plots", "--out", str(out),
                "--set", "forgetting=0.96", "--set", "JPN.dependence=0.9"]) == 0
    recorded = load_scenario(out / "scenario.yml")  # the folder's scenario reproduces the run
    assert recorded.parameters.forgetting == 0.96 and recorded.actors["JPN"].dependence == 0.9
    bad = tmp_path / "bad"
    assert cli(["run", str(tariffs), "--out", str(bad), "--set", "forgetting=2"]) == 2
    assert "outside its plausible range" in capsys.readouterr().err and not bad.exists()
