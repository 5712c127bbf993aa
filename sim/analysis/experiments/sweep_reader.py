"""Reading a sweep folder (written by ``python -m sim sweep FILE``), checked against its contract.

The writer is :mod:`sim.outputs.sweep_writer`, in the outputs layer (it writes the folder whole,
chunk by chunk, with the run folders' helpers). The reader is here, in the analysis layer, because
the analyses take the :class:`Sweep` it returns (:mod:`sim.analysis.experiments.sensitivity`) and
a layer never imports a higher one.

A sweep folder holds:

- ``design.json``: ``{"method": "sobol"|"morris"|"lhs"|"grid"|"posterior", "samples": N,
  "seed": int, "replicates": k, "problem": {"names": [...], "bounds": [[low, high], ...]},
  "options": {...}}``;
  for sobol, ``options.calc_second_order`` (bool); for morris, ``options.num_levels`` (int) and
  ``samples`` trajectories; for posterior (draws of the calibration's posterior sample, bounds
  its range), ``options.posterior_rows``, the posterior.csv row of each point;
- ``experiments.csv``: ``point`` (0..P-1 in the sampler's row order) and one column per parameter;
- ``outcomes.parquet``: tidy ``point``, ``replicate``, ``outcome``, ``value``;
- ``status.json``: ``{"complete": true}`` once every point has run.

:func:`read_sweep` refuses, with a :class:`~sim.errors.UserError` that says what is wrong, a folder
that is not a sweep folder, a sweep still running or interrupted, and tables that do not match the
design.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import UserError

METHODS = ("sobol", "morris", "lhs", "grid", "posterior")
OUTCOME_COLUMNS = ("point", "replicate", "outcome", "value")
WRITER = "a folder written by `python -m sim sweep FILE`"


@dataclass(frozen=True)
class Sweep:
    """A complete sweep: its design, its points (one row per point) and its tidy outcomes."""

    folder: Path
    design: dict[str, Any]
    experiments: pd.DataFrame  # point, then one column per parameter, sorted by point
    outcomes: pd.DataFrame  # point, replicate, outcome, value

    @property
    def method(self) -> str:
        return self.design["method"]

    @property
    def names(self) -> list[str]:
        return list(self.design["problem"]["names"])

    @property
    def problem(self) -> dict[str, Any]:
        """The problem as SALib takes it."""
        problem = self.design["problem"]
        return {"num_vars": len(problem["names"]), "names": list(problem["names"]),
                "bounds": [list(map(float, b)) for b in problem["bounds"]]}

    @property
    def options(self) -> dict[str, Any]:
        return dict(self.design.get("options") or {})

    @property
    def outcome_names(self) -> list[str]:
        return sorted(self.outcomes["outcome"].unique())


def read_sweep(folder: Path) -> Sweep:
    """The sweep in ``folder``, checked; a :class:`UserError` if it is not a complete sweep."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError("no such folder", file=str(folder), valid=WRITER)
    if not (folder / "design.json").is_file():
        raise UserError("not a sweep folder: it has no design.json", file=str(folder),
                        valid=WRITER)
    design = _read_json(folder / "design.json")
    _check_design(design, folder / "design.json")
    _check_complete(folder)
    experiments = _read_experiments(folder / "experiments.csv", design)
    outcomes = _read_outcomes(folder / "outcomes.parquet", len(experiments),
                              int(design["replicates"]))
    return Sweep(folder, design, experiments, outcomes)


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot be read as JSON ({exc})", file=str(path)) from None
    if not isinstance(data, dict):
        raise UserError("expected a JSON object", file=str(path))
    return data


def _check_design(design: dict, path: Path) -> None:
    """Fields and types of design.json (see the module's docstring)."""
    where = str(path)
    missing = [k for k in ("method", "samples", "seed", "replicates", "problem")
               if k not in design]
    if missing:
        raise UserError(f"design.json lacks {', '.join(missing)}", file=where, valid=WRITER)
    if design["method"] not in METHODS:
        raise UserError(f"unknown method {design['method']!r}", file=where, where="method",
                        valid=", ".join(METHODS))
    for key in ("samples", "replicates"):
        if not _whole(design[key]) or design[key] < 1:
            raise UserError(f"{key} must be a whole number of at least 1", file=where, where=key)
    if not _whole(design["seed"]):
        raise UserError("seed must be a whole number", file=where, where="seed")
    problem = design["problem"]
    names = problem.get("names") if isinstance(problem, dict) else None
    bounds = problem.get("bounds") if isinstance(problem, dict) else None
    if not isinstance(names, list) or not names or len(set(names)) != len(names):
        raise UserError("problem.names must be a list of distinct parameter names", file=where,
                        where="problem.names")
    if not isinstance(bounds, list) or len(bounds) != len(names) or not all(
            isinstance(b, list) and len(b) == 2 and float(b[0]) < float(b[1]) for b in bounds):
        raise UserError("problem.bounds must hold one [low, high] pair (low < high) per name",
                        file=where, where="problem.bounds")
    if not isinstance(design.get("options", {}), dict):
        raise UserError("options must be an object", file=where, where="options")


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_complete(folder: Path) -> None:
    path = folder / "status.json"
    status = _read_json(path) if path.is_file() else {}
    if status.get("complete") is not True:
        raise UserError(
            "the sweep is not complete: some points have not run (status.json does not say "
            "\"complete\": true)", file=str(folder),
            valid=f"finish it first with `python -m sim sweep --resume {folder}`")


def expected_points(design: dict) -> int:
    """How many points the sampler writes for this design (0: not fixed by the design)."""
    n, d = int(design["samples"]), len(design["problem"]["names"])
    options = design.get("options") or {}
    if design["method"] == "sobol":  # Saltelli: A, B and one AB_j (and BA_j) per parameter
        return n * (2 * d + 2 if options.get("calc_second_order", True) else d + 2)
    if design["method"] == "morris":  # each trajectory moves one parameter at a time
        return n * (d + 1)
    return 0


def _read_experiments(path: Path, design: dict) -> pd.DataFrame:
    if not path.is_file():
        raise UserError("the sweep folder has no experiments.csv", file=str(path.parent),
                        valid=WRITER)
    table = pd.read_csv(path)
    names = list(design["problem"]["names"])
    missing = [c for c in ["point", *names] if c not in table.columns]
    if missing:
        raise UserError(f"experiments.csv lacks the columns {', '.join(missing)}",
                        file=str(path), valid="point, " + ", ".join(names))
    table = table[["point", *names]]
    if not np.array_equal(table["point"].to_numpy(), np.arange(len(table))):
        raise UserError("points must be numbered 0, 1, 2, ... in the sampler's row order",
                        file=str(path), where="point")
    wanted = expected_points(design)
    if wanted and len(table) != wanted:
        raise UserError(f"{len(table)} points, but a {design['method']} design of "
                        f"{design['samples']} samples and {len(names)} parameters has {wanted}",
                        file=str(path), valid="the sampler's rows, all of them, in order")
    values = table[names].to_numpy(dtype=float)
    low, high = np.array(design["problem"]["bounds"], dtype=float).T
    slack = 1e-9 * (high - low)
    if not np.isfinite(values).all() or ((values < low - slack) | (values > high + slack)).any():
        raise UserError("some parameter values are missing or outside the design's bounds",
                        file=str(path), valid="values within problem.bounds")
    return table.reset_index(drop=True)


def _read_outcomes(path: Path, points: int, replicates: int) -> pd.DataFrame:
    if not path.is_file():
        raise UserError("the sweep folder has no outcomes.parquet", file=str(path.parent),
                        valid=WRITER)
    table = pd.read_parquet(path)
    missing = [c for c in OUTCOME_COLUMNS if c not in table.columns]
    if missing:
        raise UserError(f"outcomes.parquet lacks the columns {', '.join(missing)}",
                        file=str(path), valid=", ".join(OUTCOME_COLUMNS))
    table = table[list(OUTCOME_COLUMNS)].astype({"outcome": str, "value": float})
    if table.empty:
        raise UserError("outcomes.parquet has no rows", file=str(path))
    if table.duplicated(["point", "replicate", "outcome"]).any():
        raise UserError("some (point, replicate, outcome) rows appear twice", file=str(path))
    if not table["point"].isin(range(points)).all():
        raise UserError(f"some rows name a point that experiments.csv does not have (0 to "
                        f"{points - 1})", file=str(path), where="point")
    counts = table.groupby(["outcome", "point"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=range(points), fill_value=0)
    rows, cols = np.nonzero(counts.to_numpy() != replicates)
    if len(rows):
        outcome, point = counts.index[rows[0]], counts.columns[cols[0]]
        have = counts.iat[rows[0], cols[0]]
        raise UserError(
            f"{len(rows)} (outcome, point) pairs lack replicates or have extra ones, e.g. "
            f"'{outcome}' at point {point} has {have} of {replicates}; points run from 0 to "
            f"{points - 1}", file=str(path),
            valid="every outcome at every point, with every replicate")
    if not np.isfinite(table["value"]).all():
        bad = table.loc[~np.isfinite(table["value"]), "outcome"].unique()
        raise UserError(f"missing or infinite values for {', '.join(map(str, bad))}",
                        file=str(path), valid="finite numbers")
    return table.reset_index(drop=True)
