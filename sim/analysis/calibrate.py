"""Calibration: fit the speed and size of responses to the first Trump term's survey moves.

The fit plays ``scenarios/trump_first_term.yml`` with a fixed seed (common random numbers make the
objective deterministic) and minimises the root-mean-square error, in survey points, between the
ensemble median and the surveys below. The search is a coarse grid over the declared ranges, then a
shrinking pattern search around the best point: simple, deterministic, no extra dependency.
"""

from __future__ import annotations

import datetime as dt
import itertools
import pprint
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim import paths
from sim.calendar import months_between
from sim.engine.ensemble import run_ensemble
from sim.errors import UserError
from sim.evidence.params import declarations
from sim.scenario import Scenario, load_scenario

FITTED = ("forgetting", "weight_costly", "opinion_speed")
CALIBRATED_FILE = Path(__file__).parents[1] / "evidence" / "calibrated.py"
# the brief's survey table
SURVEYS = Path(__file__).parents[1] / "evidence" / "data" / "surveys.csv"


@dataclass(frozen=True)
class Target:
    """A survey level at ``date`` or, when ``since`` is given, the change since ``since``.

    Australia's alliance support is targeted as a change: the lesson is that it holds.
    """

    actor: str
    measure: str  # "trust" (in the patron) or "alliance_support"
    date: dt.date  # survey fieldwork month
    value: float  # share, or change in share
    source: str
    since: dt.date | None = None


TARGETS = (
    Target("JPN", "trust", dt.date(2017, 5, 1), 0.57,
           "Pew Global Attitudes spring 2017: 57% of Japanese favourable to the US (72% in 2016)"),
    Target("JPN", "trust", dt.date(2018, 5, 1), 0.67,
           "Pew Global Attitudes spring 2018: 67% favourable, a rebound of 10 points"),
    Target("AUS", "trust", dt.date(2018, 3, 1), 0.55,
           "Lowy Institute Poll 2018: 55% trust the US to act responsibly (61% in 2017, after "
           "the inauguration; the scenario assumes 70% before it)"),
    Target("AUS", "alliance_support", dt.date(2018, 3, 1), -0.01,
           "Lowy Institute Poll: the alliance important to Australia's security 77% (2017) -> "
           "76% (2018)", since=dt.date(2017, 3, 1)),
)


def model_values(scenario: Scenario, overrides: dict[str, float], replicates: int) -> np.ndarray:
    """Ensemble medians at each target's date, under ``overrides``."""
    params = scenario.parameters.with_overrides(overrides)
    ensemble = run_ensemble(scenario.model_copy(update={"parameters": params}),
                            replicates=replicates)
    out = []
    for t in TARGETS:
        series = (ensemble.trust(t.actor, scenario.patron) if t.measure == "trust"
                  else ensemble.measure(t.measure, t.actor)).astype(float)
        value = series[:, _month(scenario, t.date)]
        if t.since is not None:
            value = value - series[:, _month(scenario, t.since)]
        out.append(float(np.median(value)))
    return np.array(out)


def _month(scenario: Scenario, date: dt.date) -> int:
    return months_between(scenario.start, date)


def rmse_points(values: np.ndarray) -> float:
    observed = np.array([t.value for t in TARGETS])
    return float(100 * np.sqrt(np.mean((values - observed) ** 2)))


def fit(scenario: Scenario, replicates: int = 64, grid: int = 6, rounds: int = 12,
        progress: Callable[[str], None] | None = None) -> dict:
    """Grid search, then pattern search; returns the best values and the fit record."""
    ranges = {d["name"]: (d["low"], d["high"]) for d in declarations() if d["name"] in FITTED}

    def loss(point: dict[str, float]) -> float:
        return rmse_points(model_values(scenario, point, replicates))

    axes = [np.linspace(lo, hi, grid) for lo, hi in ranges.values()]
    best, best_loss = None, np.inf
    for values in itertools.product(*axes):
        point = dict(zip(ranges, (float(v) for v in values), strict=True))
        value = loss(point)
        if value < best_loss:
            best, best_loss = point, value
    if progress:
        progress(f"grid: best RMSE {best_loss:.2f} points at {best}")
    steps = {k: (hi - lo) / (grid - 1) / 2 for k, (lo, hi) in ranges.items()}
    for _ in range(rounds):
        improved = False
        for name, sign in itertools.product(ranges, (-1, 1)):
            lo, hi = ranges[name]
            trial = {**best, name: float(np.clip(best[name] + sign * steps[name], lo, hi))}
            value = loss(trial)
            if value < best_loss - 1e-9:
                best, best_loss, improved = trial, value, True
        if not improved:
            steps = {k: v / 2 for k, v in steps.items()}
        if progress:
            progress(f"refine: RMSE {best_loss:.2f} points at {best}")
    best = {k: round(v, 4) for k, v in best.items()}  # what calibrated.py will hold
    values = model_values(scenario, best, replicates)
    return {
        "values": best,
        "rmse_points": round(rmse_points(values), 3),
        "targets": [
            {"actor": t.actor, "measure": t.measure, "date": t.date.isoformat(),
             "since": t.since.isoformat() if t.since else None,
             "survey": t.value, "model": round(float(m), 4), "source": t.source}
            for t, m in zip(TARGETS, values, strict=True)
        ],
        "replicates": replicates,
        "seed": scenario.seed,
    }


def check_writable() -> None:
    """Refuse, before a long fit, to rewrite the defaults of an installed package."""
    if paths.checkout() is None:
        raise UserError("--write rewrites sim/evidence/calibrated.py of a source checkout; this "
                        "installation has none", valid="run without --write, or from a clone of "
                        "the repository")


def write_calibrated(record: dict, path: Path = CALIBRATED_FILE) -> None:
    """Make the fitted values the defaults, with the fit as their provenance."""
    fit_info = {
        "data": "first-term survey moves (Pew 2016-18 Japan; Lowy 2017-18 Australia) played "
                "by scenarios/trump_first_term.yml",
        "rmse_points": record["rmse_points"],
        "targets": record["targets"],
        "replicates": record["replicates"],
        "seed": record["seed"],
        "date": dt.date.today().isoformat(),
    }
    text = (
        '"""Calibrated parameter values: written by `python -m sim calibrate --write`; do not edit '
        'by hand.\n\nThe fit plays `scenarios/trump_first_term.yml` and matches the first-term '
        'survey\nmoves listed in FIT.\n"""\n\n'
        f"CALIBRATED = {pprint.pformat(record['values'], sort_dicts=False)}\n\n"
        f"FIT = {pprint.pformat(fit_info, sort_dicts=False, width=96)}\n"
    )
    path.write_text(text, encoding="utf-8")


def first_term() -> Scenario:
    return load_scenario(paths.scenario_file("trump_first_term"))
