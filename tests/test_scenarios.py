"""Every shipped scenario loads, inherits as declared, and runs to a sane result."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.engine.ensemble import run_ensemble
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yml"))
REQUIRED = {"baseline", "tariff_escalation", "trump_second_term", "trump_first_term",
            "nippon_steel", "defence_spending_pressure", "ukraine_abandonment",
            "taiwan_strait_crisis", "japan_china_thaw", "us_reassurance", "like_minded_networks"}


def test_the_library_has_every_scenario_the_commentary_needs():
    assert REQUIRED <= {p.stem for p in SCENARIOS}


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_scenario_loads_and_runs(path):
    scenario = load_scenario(path)
    assert scenario.name == path.stem
    assert len(scenario.description) > 80, "a scenario's description tells its story"
    ensemble = run_ensemble(scenario, replicates=6)
    for name, array in ensemble.arrays.items():
        assert np.isfinite(array).all(), name
    trust = ensemble.dyads["trust"]
    assert (trust >= 0).all() and (trust <= 1).all()


@pytest.mark.parametrize("path", [p for p in SCENARIOS if p.stem != "baseline"],
                         ids=lambda p: p.name)
def test_scenarios_share_their_common_parts_through_extends(path):
    scenario = load_scenario(path)
    assert len(scenario.files) >= 2, "every scenario builds on another through extends:"
    assert Path(scenario.files[-1]).name == "baseline.yml"


def test_a_scenario_differs_from_its_parent_only_after_its_first_own_event():
    child = load_scenario(ROOT / "scenarios" / "nippon_steel.yml")
    parent = load_scenario(ROOT / "scenarios" / "baseline.yml")
    first = min(e.first_month for e in child.events if e.key not in {p.key for p in parent.events})
    a = run_ensemble(child, replicates=8)
    b = run_ensemble(parent, replicates=8)
    japan_us = (slice(None), slice(None), a.index("JPN"), a.index("US"))
    assert np.array_equal(a.arrays["trust"][: first + 1], b.arrays["trust"][: first + 1])
    assert not np.array_equal(a.arrays["trust"][japan_us], b.arrays["trust"][japan_us])


def test_extends_a_list_applies_parents_in_order_and_a_shared_ancestor_once(tmp_path):
    base = ROOT / "scenarios" / "baseline.yml"
    for name, rate, forgetting in (("a", 0.1, 0.90), ("b", 0.3, 0.95)):
        (tmp_path / f"{name}.yml").write_text(
            f"name: {name}\nextends: {base}\nparameters: {{forgetting: {forgetting}}}\n"
            f"events:\n  - {{type: tariff, name: t{name}, date: 2025-03-01, targets: [JPN], "
            f"sector: steel, rate: {rate}}}\n")
    (tmp_path / "child.yml").write_text("extends: [a.yml, b.yml]\n")
    child = load_scenario(tmp_path / "child.yml")
    keys = [e.key for e in child.events]
    baseline_keys = [e.key for e in load_scenario(base).events]
    assert keys == baseline_keys + ["ta", "tb"], "baseline's events once, then a's, then b's"
    assert child.parameters.forgetting == 0.95, "the later parent wins"
    assert [Path(f).name for f in child.files] == ["child.yml", "b.yml", "a.yml", "baseline.yml"]
