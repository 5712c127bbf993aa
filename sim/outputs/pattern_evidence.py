"""docs/VALIDATION.md's patterns block: the pattern table of a stored ``sim patterns --posterior``.

``python -m sim docs --validation`` runs the patterns on :data:`SCENARIO` with
:data:`REPLICATES` replicates, each replicate's parameters drawn from the calibration's posterior,
and keeps the table in ``docs/validation/patterns.csv`` (:func:`stored_table`); ``python -m sim
docs`` then writes the block from that file (:func:`validation_block`), so the figures in
VALIDATION.md are those of a real run, never typed in.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim import paths
from sim.analysis.patterns.table import CONTROL_CEILING, SPECS

SCENARIO = "trump_second_term"
REPLICATES = 200
ARGUMENTS = ["--posterior", "--replicates", str(REPLICATES)]
DOCUMENTED_MISS = "documented miss"  # a declared pattern with reproduced=False (docs/TRACE.md)
COLUMNS = ["pattern", "kind", "claim", "quantity", "unit", "median", "low", "high",
           "param_median", "param_low", "param_high", "param_share", "parameters", "fraction",
           "threshold", "passes", "controls"]


def folder() -> Path:
    root = paths.checkout()
    return (root if root is not None else Path.cwd()) / "docs" / "validation"


def stored_table(patterns: pd.DataFrame, checked: pd.DataFrame) -> pd.DataFrame:
    """The table to keep: the pattern table, a documented miss as its own kind, and each
    control with its share and whether the pattern fails there."""
    table = patterns[COLUMNS].copy()
    missed = {spec.number for spec in SPECS if not spec.reproduced}
    table.loc[table["pattern"].isin(missed), "kind"] = DOCUMENTED_MISS
    by_pattern = checked.groupby("pattern")
    table["controls"] = [
        "; ".join(f"{r.control} {r.fraction:.0%} ({'fails' if r.fails else 'HOLDS'})"
                  for r in by_pattern.get_group(n).itertuples()) for n in table["pattern"]]
    return table


def validation_block() -> str:
    """The block, from docs/validation/patterns.csv."""
    path = folder() / "patterns.csv"
    if not path.is_file():
        return "*No pattern run stored yet: run `python -m sim docs --validation`.*"
    table = pd.read_csv(path)
    lines = [
        f"`python -m sim patterns --posterior` on `scenarios/{SCENARIO}.yml`, "
        f"{REPLICATES} replicates (stored in `docs/validation/patterns.csv`; regenerate with "
        "`python -m sim docs --validation`). Each quantity is given as median [10%, 90%] across "
        "replicates with noise only (the scenario's parameter values), and across replicates "
        "that each take one draw of the calibration's posterior (`sim/evidence/posterior.csv`). "
        "'holds' is the share of the posterior replicates in which the pattern holds. A control "
        f"fails when the pattern holds in at most {CONTROL_CEILING:.0%} of its replicates; a "
        "pattern is evidence only if it fails in every control. A documented miss is a pattern "
        "the model is known not to reproduce (docs/TRACE.md): reported, not tuned.",
        "",
        "| # | kind | pattern | quantity | noise only | with the posterior | holds (noise / "
        "posterior) | needs | controls |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in table.itertuples():
        lines.append(
            f"| {row.pattern} | {row.kind} | {_cell(row.claim)} | {_cell(row.quantity)} "
            f"({_cell(row.unit)}) | {_interval(row.median, row.low, row.high)} | "
            f"{_interval(row.param_median, row.param_low, row.param_high)} | "
            f"{row.fraction:.0%} / {row.param_share:.0%} | {row.threshold:.0%} | "
            f"{_cell(row.controls)} |")
    return "\n".join(lines)


def _interval(median: float, low: float, high: float) -> str:
    return f"{median:.3g} [{low:.3g}, {high:.3g}]"


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", r"\|").replace("<", "&lt;")
