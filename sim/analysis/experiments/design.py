"""Designs of experiments over the uncertain inputs: which values each point of a sweep takes.

An uncertain input is a global parameter (its declared plausible range, from the evidence
register) or an actor's value such as ``JPN.dependence`` (a band around the scenario's value,
clipped to the field's bounds, or a range the user gives as ``JPN.dependence=0.6:0.9``). The
designs are SALib's samplers (Saltelli's extension of Sobol sequences, Morris trajectories, Latin
hypercubes) and a full grid, all seeded, so a sweep folder records everything that makes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import UserError
from sim.evidence.actors import ActorSpec
from sim.evidence.params import STRUCTURAL, declarations
from sim.scenario import Scenario
from sim.scenario.settings import split_name

METHODS = ("grid", "lhs", "morris", "sobol")
# draws of the stored posterior sample (sim.analysis.experiments.uncertainty)
POSTERIOR = "posterior"
ALL_ASSUMPTIONS = "all-assumptions"
ACTOR_BAND = 0.1  # half-width of an actor value's default range, on its own scale (assumption)


@dataclass(frozen=True)
class Uncertain:
    """One input a design varies, with its range and why that range."""

    name: str
    low: float
    high: float
    source: str


def uncertainties(scenario: Scenario, vary: str) -> list[Uncertain]:
    """The inputs named by ``--vary``: ``a,b,JPN.dependence[=low:high]``, or every global
    parameter whose source is an assumption (except those that shape the world's fixed arrays,
    :data:`~sim.evidence.params.STRUCTURAL`, which take a simulation per value: name them to
    vary them)."""
    declared = {row["name"]: row for row in declarations()}
    if vary.strip() == ALL_ASSUMPTIONS:
        return [Uncertain(n, row["low"], row["high"], row["source"].describe())
                for n, row in declared.items()
                if row["source"].kind == "assumption" and n not in STRUCTURAL]
    items = [item.strip() for item in vary.split(",") if item.strip()]
    if not items:
        raise UserError("--vary names no input",
                        valid=f"--vary forgetting,JPN.dependence or --vary {ALL_ASSUMPTIONS}")
    found = [_uncertain(item, scenario, declared) for item in items]
    names = [u.name for u in found]
    if len(set(names)) != len(names):
        raise UserError(f"--vary names an input twice: {', '.join(names)}",
                        valid="each input once")
    return found


def _uncertain(item: str, scenario: Scenario, declared: dict[str, dict]) -> Uncertain:
    name, equals, span = item.partition("=")
    code, field = split_name(name, scenario)
    if code is None:
        row = declared[field]
        low, high, source = row["low"], row["high"], row["source"].describe()
    else:
        value = getattr(scenario.actors[code], field)
        floor, ceiling = _bounds(field)
        low, high = max(floor, value - ACTOR_BAND), min(ceiling, value + ACTOR_BAND)
        source = f"assumption: {value:g} (the scenario's) +- {ACTOR_BAND:g}"
        row = {"low": floor, "high": ceiling}
    if equals:
        low, high = _span(item, span)
        if not row["low"] <= low < high <= row["high"]:
            raise UserError(f"--vary {item}: the range must lie within [{row['low']:g}, "
                            f"{row['high']:g}] and have low < high",
                            valid=f"{name}={row['low']:g}:{row['high']:g} or narrower")
        source = "range given with --vary"
    return Uncertain(name, float(low), float(high), source)


def _span(item: str, span: str) -> tuple[float, float]:
    try:
        low, high = (float(x) for x in span.split(":"))
    except ValueError:
        raise UserError(f"--vary {item}: the range is not LOW:HIGH",
                        valid="e.g. --vary forgetting=0.9:0.98") from None
    return low, high


def _bounds(field: str) -> tuple[float, float]:
    limits = {type(m).__name__: m for m in ActorSpec.model_fields[field].metadata}
    return float(limits["Ge"].ge), float(limits["Le"].le)


def problem(inputs: Sequence[Uncertain]) -> dict[str, Any]:
    """SALib's description of the inputs."""
    return {"num_vars": len(inputs), "names": [u.name for u in inputs],
            "bounds": [[u.low, u.high] for u in inputs]}


def sample(method: str, inputs: Sequence[Uncertain], samples: int, seed: int,
           second_order: bool = False, levels: int = 4) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The experiments table (``point`` and one column per input) and the design's record.

    ``samples`` is, per method: the base sample N of Saltelli's scheme (N x (D + 2) points, or
    N x (2D + 2) with second-order indices); the number of Morris trajectories (N x (D + 1)
    points); the number of Latin hypercube points; the number of levels per input of a grid.
    """
    if method not in METHODS:
        raise UserError(f"unknown design '{method}'", valid=", ".join(METHODS))
    if samples < 1:
        raise UserError("--samples must be at least 1", valid="a positive whole number")
    spec = problem(inputs)
    options: dict[str, Any] = {}
    if method == "grid":
        axes = [np.linspace(u.low, u.high, samples) for u in inputs]
        points = np.array(list(product(*axes)))
    elif method == "lhs":
        points = _salib("latin").sample(spec, samples, seed=seed)
    elif method == "morris":
        options = {"num_levels": levels}
        points = _salib("morris").sample(spec, samples, num_levels=levels, seed=seed)
    else:
        options = {"calc_second_order": second_order}
        points = _salib("sobol").sample(spec, samples, calc_second_order=second_order, seed=seed)
    experiments = pd.DataFrame(points, columns=spec["names"])
    experiments.insert(0, "point", np.arange(len(experiments)))
    design = {"method": method, "samples": samples, "seed": seed,
              "problem": {"names": spec["names"], "bounds": spec["bounds"]},
              "sources": {u.name: u.source for u in inputs}, "options": options}
    return experiments, design


def _salib(sampler: str):
    """A SALib sampler module, with a clear message when the sweep extra is missing."""
    try:
        import importlib

        return importlib.import_module(f"SALib.sample.{sampler}")
    except ImportError:
        raise UserError("this design needs SALib, which is not installed",
                        valid='pip install -e ".[sweep]"') from None
