"""The patterns with their effect sizes, across noise and across parameter uncertainty, and in
their controls.

Three ensembles of readings per pattern, all with common random numbers:

1. the scenario at its parameter values (noise only): the quantity's median and 10-90% interval,
   and the share of replicates in which the pattern holds;
2. the same replicates, each drawing every uncertain global parameter uniformly from the register's
   plausible range (:mod:`sim.analysis.experiments.uncertainty`): the quantity across parameter
   uncertainty, and the share of the parameter space in which the pattern holds (the share of
   replicates, each with its own drawn parameters); with ``posterior``, each replicate takes a draw
   of the calibration's posterior sample instead (the ``parameters`` column says which);
3. each control of :data:`sim.analysis.patterns.table.CONTROLS` the pattern declares, built from
   the scenario (same actors, parameters and seed; other events): the share of replicates in
   which the pattern holds there, which must be at most ``CONTROL_CEILING`` for a pattern.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from sim import paths
from sim.analysis.experiments.uncertainty import draw, draw_posterior, uncertain_inputs
from sim.analysis.patterns.readings import PATTERNS, Runs, evaluate, require_actors, summary
from sim.analysis.patterns.table import CONTROL_CEILING, CONTROLS, PATTERN
from sim.evidence.params import STRUCTURAL, declarations
from sim.scenario import Scenario, load_scenario

RULE_SWITCHES = ("press_weight",)  # a choice of rule, not an uncertain quantity
PLAUSIBLE = "plausible ranges"  # the parameters column: uniform draws over the register's ranges
POSTERIOR = "posterior"  # ... or draws of the stored posterior sample


def parameter_space() -> str:
    """Every global parameter with a plausible range, except structural ones and rule switches,
    as a ``--vary`` list."""
    return ",".join(row["name"] for row in declarations()
                    if row["name"] not in STRUCTURAL and row["name"] not in RULE_SWITCHES)


def _background(scenario: Scenario) -> list:
    return [e for e in scenario.events if e.event.probability is not None]


def control_scenario(scenario: Scenario, name: str) -> Scenario:
    """The control ``name`` built from ``scenario``: same actors, parameters, seed and horizon."""
    if name == "baseline":
        events = _background(scenario)
    elif name == "tariffs_only":
        events = [e for e in scenario.events
                  if e.event.probability is not None or e.event.type == "tariff"]
    elif name == "us_reassurance":
        shipped = load_scenario(paths.scenario_file("us_reassurance"))
        if shipped.start != scenario.start:
            raise ValueError(f"the us_reassurance control starts {shipped.start}, the scenario "
                             f"{scenario.start}")
        events = [e for e in shipped.events if e.first_month <= scenario.horizon_months]
    else:
        raise KeyError(f"unknown control {name!r}; known: {', '.join(CONTROLS)}")
    return scenario.model_copy(update={"events": events, "name": f"control {name}"})


def controls(scenario: Scenario, replicates: int,
             advance: Callable[[int], None] | None = None) -> pd.DataFrame:
    """One row per pattern and declared control: the share of replicates in which it holds."""
    runs = {name: Runs(control_scenario(scenario, name), replicates) for name in CONTROLS}
    rows = []
    for p in PATTERNS:
        for name in p.spec.controls:
            fraction = float(np.mean(p.read(runs[name]).holds))
            rows.append({"pattern": p.number, "control": name, "fraction": fraction,
                         "fails": fraction <= CONTROL_CEILING})
            if advance:
                advance(1)
    return pd.DataFrame(rows)


def report(scenario: Scenario, replicates: int, vary: str | None = None,
           advance: Callable[[int], None] | None = None,
           posterior: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The pattern table (noise, parameter uncertainty, controls) and the controls' table; the
    parameter uncertainty is the plausible ranges of ``vary``, or the posterior sample."""
    require_actors(scenario)
    if posterior and vary:
        raise ValueError("the posterior sample fixes the parameters drawn: give no vary")
    table = evaluate(Runs(scenario, replicates), advance)
    drawn = Runs(scenario, replicates, varied=_varied(scenario, replicates, vary, posterior))
    extra = []
    for p in PATTERNS:
        reading = p.read(drawn)
        median, low, high = summary(reading.quantity)
        extra.append({"param_median": median, "param_low": low, "param_high": high,
                      "param_share": float(np.mean(reading.holds))})
        if advance:
            advance(1)
    table = pd.concat([table, pd.DataFrame(extra)], axis=1)
    table["parameters"] = POSTERIOR if posterior else PLAUSIBLE
    checked = controls(scenario, replicates, advance)
    by_pattern = checked.groupby("pattern")
    table["controls"] = [
        "; ".join(f"{r.control} {r.fraction:.0%}" for r in by_pattern.get_group(n).itertuples())
        for n in table["pattern"]]
    table["discriminates"] = [bool(by_pattern.get_group(n)["fails"].all())
                              for n in table["pattern"]]
    return table, checked


def _varied(scenario: Scenario, replicates: int, vary: str | None,
            posterior: bool) -> dict[str, np.ndarray]:
    if posterior:
        return draw_posterior(replicates, scenario.seed)
    inputs = uncertain_inputs(scenario, vary or parameter_space())
    return draw(inputs, replicates, scenario.seed)


def steps() -> int:
    """How many readings :func:`report` makes (for a progress bar)."""
    return 2 * len(PATTERNS) + sum(len(p.spec.controls) for p in PATTERNS)


def undiscriminating_patterns(table: pd.DataFrame) -> list[int]:
    """Rows declared patterns that hold in one of their controls: evidence they are not."""
    rows = table[(table["kind"] == PATTERN) & ~table["discriminates"]]
    return [int(n) for n in rows["pattern"]]
