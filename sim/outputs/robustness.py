"""The README's "Which conclusions are robust?": a Sobol sweep of the commentary's 2025, summed up.

``python -m sim docs --robustness`` runs the sweep (:data:`SWEEP`) and its sensitivity analysis and
keeps what the README needs in ``docs/robustness/``: the design, the spread of each outcome over
the plausible ranges, the Sobol indices and their plots. ``python -m sim docs`` then writes the
README's generated block from those files (:func:`robustness_table`), so the figures in the
README are those of a real sweep, never typed in.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from sim import paths

SCENARIO = "trump_second_term"
SWEEP = ["--method", "sobol", "--samples", "256", "--replicates", "10",
         "--vary", "all-assumptions", "--seed", "20250207",
         "--outcome", "trust:JPN:US@low", "--outcome", "trust:JPN:US@low_month",
         "--outcome", "trust:JPN:US@end", "--outcome", "trust:JPN:US@loss",
         "--outcome", "trust:AUS:US@low", "--outcome", "alignment_economic:JPN@end",
         "--outcome", "alignment_security:JPN@end", "--outcome", "defence_spending:JPN@end"]
TOP = 3  # parameters named per outcome


def folder() -> Path:
    root = paths.checkout()
    return (root if root is not None else Path.cwd()) / "docs" / "robustness"


def spread(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Per outcome, the expected outcome (mean of a point's replicates) across the design's
    points: 10th percentile, median and 90th percentile; and the median spread within a point
    (10-90% across its replicates), which is noise."""
    expected = outcomes.groupby(["outcome", "point"])["value"]
    means = expected.mean().groupby("outcome")
    noise = expected.quantile(0.9) - expected.quantile(0.1)
    return pd.DataFrame({
        "p10": means.quantile(0.1), "median": means.median(), "p90": means.quantile(0.9),
        "noise_p10_p90": noise.groupby("outcome").median(),
    }).reset_index()


def robustness_table() -> str:
    """The README block: the design, then per outcome its spread and the inputs it hangs on."""
    where = folder()
    if not (where / "design.json").is_file():
        return ("*No sweep recorded yet: run `python -m sim docs --robustness` (about a minute "
                "on two cores).*")
    design = json.loads((where / "design.json").read_text(encoding="utf-8"))
    spreads = pd.read_csv(where / "spread.csv").set_index("outcome")
    indices = pd.read_csv(where / "sensitivity.csv")
    total = indices[indices["index"] == "ST"]
    names = design["problem"]["names"]
    points = int(design["points"])
    lines = [
        f"Sobol sweep (Saltelli design, N = {design['samples']}) of `{SCENARIO}` over the "
        f"{len(names)} parameters whose source is an assumption, each across its plausible range "
        "(calibrated and literature values held at theirs: their uncertainty is the "
        f"calibration's): {points:,} points x {design['replicates']} replicates. For each "
        "outcome: its expected "
        "value (mean of a point's replicates) across the points, median and 10-90%; the spread "
        "within a point (noise); and the parameters with the largest total Sobol index ST "
        "(share of the variance across points they explain, with their interactions; 95% "
        "interval).",
        "",
        "| outcome | across the plausible ranges: median [10%, 90%] | noise within a point "
        "(10-90%) | hangs most on (ST, 95% interval) |",
        "|---|---|---|---|",
    ]
    for outcome, row in spreads.iterrows():
        fmt = _format(outcome)
        ranked = total[total["outcome"] == outcome].sort_values("value", ascending=False)
        top = "; ".join(f"`{r.parameter}` {r.value:.2f} +- {r.conf:.2f}"
                        for r in ranked.head(TOP).itertuples())
        lines.append(f"| `{outcome}` | {fmt(row['median'])} [{fmt(row['p10'])}, "
                     f"{fmt(row['p90'])}] | {_format(outcome, signed=False)(row['noise_p10_p90'])} "
                     f"| {top or 'none'} |")
    lines += ["", "Plots (sorted bars with intervals) are in `docs/robustness/plots/`; "
                  "regenerate everything with `python -m sim docs --robustness`."]
    return "\n".join(lines)


def _format(outcome: str, signed: bool = True):
    if outcome.endswith(("@low_month", "@high_month")):
        return lambda v: f"{v:.1f} months"
    if outcome.endswith("@loss"):
        return lambda v: f"{v:.2f}"
    if outcome.startswith("trust:"):
        return lambda v: f"{100 * v:.0f}%" if np.isfinite(v) else "n/a"
    if outcome.startswith("defence_spending"):
        return lambda v: f"{v:.2f}% of GDP"
    return (lambda v: f"{v:+.2f}") if signed else (lambda v: f"{v:.2f}")
