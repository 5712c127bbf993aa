"""Reading a sweep folder (written by ``python -m sim sweep FILE``), checked against its contract.

- ``design.json``: ``{"method": "sobol"|"morris"|"lhs"|"grid", "samples": N, "seed": int,
  "replicates": k, "problem": {"names": [...], "bounds": [[low, high], ...]}, "options": {...}}``
- ``experiments.csv``: ``point`` (0..P-1) and one column per parameter;
- ``outcomes.parquet``: tidy ``point``, ``replicate``, ``outcome``, ``value``;
- ``status.json``: ``{"complete": true}`` once every point has run.

Kept small on purpose: :mod:`sim.analysis.sensitivity` reads the same folders, and the two readers
are meant to become one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import UserError

METHODS = ("sobol", "morris", "lhs", "grid")
OUTCOME_COLUMNS = ["point", "replicate", "outcome", "value"]
WRITER = "a complete folder written by `python -m sim sweep FILE`"


@dataclass(frozen=True)
class SweepFolder:
    """A complete sweep: its design, its points (one row each) and its tidy outcomes."""

    design: dict
    experiments: pd.DataFrame  # point, then one column per parameter, in point order
    outcomes: pd.DataFrame  # point, replicate, outcome, value

    @property
    def names(self) -> list[str]:
        return list(self.design["problem"]["names"])


def read_sweep(path: Path) -> SweepFolder:
    """The sweep in ``path``; a :class:`UserError` if it is not a complete sweep folder."""
    folder = Path(path)
    if not (folder / "design.json").is_file():
        why = "no such folder" if not folder.is_dir() else "not a sweep folder (no design.json)"
        raise UserError(why, file=str(folder), valid=WRITER)
    design = _json(folder / "design.json")
    _check_design(design, folder / "design.json")
    status = _json(folder / "status.json") if (folder / "status.json").is_file() else {}
    if status.get("complete") is not True:
        raise UserError("the sweep is incomplete (status.json does not say \"complete\": true)",
                        file=str(folder),
                        valid=f"resume it with `python -m sim sweep --resume {folder}`")
    experiments = _experiments(folder / "experiments.csv", design)
    outcomes = _outcomes(folder / "outcomes.parquet", len(experiments))
    return SweepFolder(design, experiments, outcomes)


def _json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot be read as JSON ({exc})", file=str(path)) from None
    if not isinstance(data, dict):
        raise UserError("expected a JSON object", file=str(path))
    return data


def _check_design(design: dict, path: Path) -> None:
    missing = [k for k in ("method", "samples", "seed", "replicates", "problem")
               if k not in design]
    if missing:
        raise UserError(f"lacks {', '.join(missing)}", file=str(path), valid=WRITER)
    if design["method"] not in METHODS:
        raise UserError(f"unknown method {design['method']!r}", file=str(path), where="method",
                        valid=", ".join(METHODS))
    problem = design["problem"]
    names = problem.get("names") if isinstance(problem, dict) else None
    bounds = problem.get("bounds") if isinstance(problem, dict) else None
    if (not isinstance(names, list) or not names or len(set(names)) != len(names)
            or not isinstance(bounds, list) or len(bounds) != len(names)
            or not all(isinstance(b, list) and len(b) == 2 and b[0] < b[1] for b in bounds)):
        raise UserError("problem needs distinct names and one [low, high] per name",
                        file=str(path), where="problem", valid=WRITER)


def _experiments(path: Path, design: dict) -> pd.DataFrame:
    if not path.is_file():
        raise UserError("the sweep folder has no experiments.csv", file=str(path.parent),
                        valid=WRITER)
    table = pd.read_csv(path)
    names = list(design["problem"]["names"])
    missing = [c for c in ["point", *names] if c not in table.columns]
    if missing:
        raise UserError(f"lacks the columns {', '.join(missing)}", file=str(path),
                        valid="point, " + ", ".join(names))
    if not np.array_equal(table["point"].to_numpy(), np.arange(len(table))):
        raise UserError("points must be numbered 0, 1, 2, ... in order", file=str(path),
                        where="point")
    if not np.isfinite(table[names].to_numpy(dtype=float)).all():
        raise UserError("some parameter values are missing", file=str(path))
    return table[["point", *names]]


def _outcomes(path: Path, points: int) -> pd.DataFrame:
    if not path.is_file():
        raise UserError("the sweep folder has no outcomes.parquet", file=str(path.parent),
                        valid=WRITER)
    table = pd.read_parquet(path)
    missing = [c for c in OUTCOME_COLUMNS if c not in table.columns]
    if missing:
        raise UserError(f"lacks the columns {', '.join(missing)}", file=str(path),
                        valid=", ".join(OUTCOME_COLUMNS))
    table = table[OUTCOME_COLUMNS].astype({"outcome": str, "value": float})
    if table.empty or not table["point"].isin(range(points)).all():
        raise UserError(f"no rows, or rows for points that experiments.csv lacks (0 to "
                        f"{points - 1})", file=str(path))
    if table["point"].nunique() != points:
        raise UserError(f"outcomes for {table['point'].nunique()} of {points} points",
                        file=str(path), valid="every point of experiments.csv")
    return table.reset_index(drop=True)
