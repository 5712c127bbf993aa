"""The eight patterns of the brief hold over an ensemble of the commentary's 2025 timeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.analysis.patterns import PATTERNS, Runs, evaluate
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def table():
    scenario = load_scenario(ROOT / "scenarios" / "trump_second_term.yml")
    return evaluate(Runs(scenario, replicates=100))


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: f"pattern{p.number}")
def test_pattern_holds_in_enough_replicates(table, pattern):
    row = table.set_index("pattern").loc[pattern.number]
    assert row["fraction"] >= pattern.threshold, pattern.claim


def test_patterns_can_fail_when_the_shocks_are_gone():
    """The checks are not vacuous: without events Japan's trust does not fall (pattern 1)."""
    scenario = load_scenario(ROOT / "scenarios" / "baseline.yml")
    quiet = evaluate(Runs(scenario, replicates=20)).set_index("pattern")
    assert quiet.loc[1, "fraction"] < 0.1
    assert quiet.loc[2, "fraction"] < 0.1


def test_the_rival_credibility_rule_breaks_the_ukraine_pattern():
    """Press 2005 (credibility from current capability, not past acts) predicts no spill-over
    from Ukraine: with it, pattern 5 fails. The reputation rule is what reproduces it."""
    scenario = load_scenario(ROOT / "scenarios" / "trump_second_term.yml")
    press = scenario.model_copy(update={
        "parameters": scenario.parameters.with_overrides({"press_weight": 1.0})})
    table = evaluate(Runs(press, replicates=20)).set_index("pattern")
    assert table.loc[5, "fraction"] < 0.5
