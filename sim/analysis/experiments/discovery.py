"""Scenario discovery: which combinations of assumptions lead to an outcome of interest.

1. Each point of a sweep is *of interest* when a condition over its outcomes (see
   :mod:`sim.analysis.experiments.conditions`) holds in at least ``share`` of its replicates.
2. PRIM (Friedman and Fisher 1999; Bryant and Lempert 2010 for scenario discovery) peels the
   parameter space, a few points at a time, towards a box dense in points of interest; each step of
   the *peeling trajectory* trades coverage (the share of all points of interest inside the box)
   for density (the share of the box's points that are of interest).
3. One box is chosen from the trajectory: by default the densest with coverage >= 0.5.
4. The box is checked on fresh samples (out of sample): Latin hypercube points drawn inside the box
   and in the whole space are run, and the density inside the box is compared with that outside.

Everything here takes and returns DataFrames; nothing is read or written.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.experiments.conditions import Condition
from sim.engine.rng import generator
from sim.errors import UserError

Bounds = Mapping[str, tuple[float, float]]  # parameter -> (low, high)
Evaluate = Callable[[pd.DataFrame], pd.DataFrame]  # experiments -> tidy outcomes
PEEL_ALPHA = 0.05  # share of the box's points peeled per step (EMA Workbench's default)
MASS_MIN = 0.05  # PRIM stops peeling below this share of all points (EMA Workbench's default)


@dataclass(frozen=True)
class Peeling:
    """PRIM's peeling trajectory and the limits of every box on it."""

    trajectory: pd.DataFrame  # box, coverage, density, mass, restricted, points, of_interest
    limits: list[dict[str, tuple[float, float]]]  # per box: parameter -> (low, high)


def bounds_of(design: dict) -> dict[str, tuple[float, float]]:
    """Each swept parameter's range, from a sweep's ``design.json``."""
    problem = design["problem"]
    return {name: (float(low), float(high))
            for name, (low, high) in zip(problem["names"], problem["bounds"], strict=True)}


def points_of_interest(outcomes: pd.DataFrame, condition: Condition,
                       share: float) -> pd.DataFrame:
    """Per point: replicates, how many meet the condition, that share, and whether it is of
    interest (the share reaches ``share``). A missing outcome value counts as not meeting it."""
    rows = outcomes[outcomes["outcome"].isin(condition.names)]
    wide = rows.pivot(index=["point", "replicate"], columns="outcome", values="value")
    wide = wide.reindex(columns=condition.names)
    holds = pd.Series(condition.evaluate({n: wide[n].to_numpy() for n in condition.names}),
                      index=wide.index)
    table = holds.groupby(level="point").agg(replicates="size", holding="sum").reset_index()
    table["share"] = table["holding"] / table["replicates"]
    table["of_interest"] = table["share"] >= share
    return table


def peel(experiments: pd.DataFrame, of_interest: np.ndarray, peel_alpha: float = PEEL_ALPHA,
         mass_min: float = MASS_MIN) -> Peeling:
    """PRIM's peeling and pasting over ``experiments`` (one column per parameter)."""
    prim = _prim_module()
    y = np.asarray(of_interest, dtype=int)
    # For 0/1 cases any threshold in (0, 1] counts the same cases of interest. A tiny one keeps
    # PRIM from swapping the trajectory for its "dump box" when the last box is thin: the box is
    # chosen here from the whole trajectory.
    algorithm = prim.Prim(experiments.reset_index(drop=True), y, threshold=1e-9,
                          peel_alpha=peel_alpha, mass_min=mass_min)
    box = algorithm.find_box()
    traj = box.peeling_trajectory
    trajectory = pd.DataFrame({
        "box": np.arange(len(traj)), "coverage": traj["coverage"].to_numpy(float),
        "density": traj["density"].to_numpy(float), "mass": traj["mass"].to_numpy(float),
        "restricted": traj["res_dim"].to_numpy(int), "points": traj["n"].to_numpy(int),
        "of_interest": traj["k"].to_numpy(int)})
    limits = [{name: (float(lims[name].iloc[0]), float(lims[name].iloc[1]))
               for name in experiments.columns} for lims in box.box_lims]
    return Peeling(trajectory, limits)


def _prim_module():
    """EMA Workbench's PRIM, imported only when needed (it is heavy), with a clear message."""
    try:
        with warnings.catch_warnings():  # "ipyparallel not installed": irrelevant here
            warnings.simplefilter("ignore")
            from ema_workbench.analysis import prim
    except ImportError:
        raise UserError("scenario discovery needs EMA Workbench, which is not installed",
                        valid='pip install -e ".[discover]"') from None
    return prim


def choose_box(trajectory: pd.DataFrame, min_coverage: float = 0.5,
               box: int | None = None) -> int:
    """``box`` if given, else the densest box with coverage >= ``min_coverage`` (the larger of
    equally dense boxes, that is the earlier in the trajectory)."""
    last = len(trajectory) - 1
    if box is not None:
        if not 0 <= box <= last:
            raise UserError(f"the trajectory has no box {box}", where="--box",
                            valid=f"a box from 0 to {last} (see trajectory.csv)")
        return box
    eligible = trajectory[trajectory["coverage"] >= min_coverage - 1e-12]
    if eligible.empty:
        raise UserError(f"no box covers {min_coverage:.0%} of the points of interest",
                        where="--min-coverage", valid="a smaller --min-coverage")
    best = eligible["density"].max()
    return int(eligible.loc[eligible["density"] >= best - 1e-12, "box"].iloc[0])


def box_table(limits: Mapping[str, tuple[float, float]], initial: Mapping[str, tuple[float, float]],
              bounds: Bounds) -> pd.DataFrame:
    """One row per restricted parameter: the box's limits, which side is restricted, and the
    parameter's full range. A side PRIM did not move (it sits at the sample's extreme) is the
    range's own end."""
    rows = []
    for name, (low, high) in limits.items():
        start_low, start_high = initial[name]
        cut_low, cut_high = low > start_low, high < start_high
        if not (cut_low or cut_high):
            continue
        range_low, range_high = bounds[name]
        rows.append({"parameter": name,
                     "box_low": low if cut_low else range_low,
                     "box_high": high if cut_high else range_high,
                     "restricted": "both" if cut_low and cut_high else
                                   ("low" if cut_low else "high"),
                     "range_low": range_low, "range_high": range_high,
                     "kept": ((high if cut_high else range_high) - (low if cut_low else range_low))
                             / (range_high - range_low)})
    return pd.DataFrame(rows, columns=["parameter", "box_low", "box_high", "restricted",
                                       "range_low", "range_high", "kept"])


def box_bounds(box: pd.DataFrame, bounds: Bounds) -> dict[str, tuple[float, float]]:
    """Every parameter's range inside the box: the box's limits where restricted, else the full
    range."""
    inside = {name: (float(low), float(high)) for name, (low, high) in bounds.items()}
    for row in box.itertuples():
        inside[row.parameter] = (float(row.box_low), float(row.box_high))
    return inside


def in_box(experiments: pd.DataFrame, box: pd.DataFrame) -> np.ndarray:
    """Whether each row of ``experiments`` lies inside the box (limits included)."""
    inside = np.ones(len(experiments), dtype=bool)
    for row in box.itertuples():
        values = experiments[row.parameter].to_numpy(float)
        inside &= (values >= row.box_low) & (values <= row.box_high)
    return inside


def latin_hypercube(bounds: Bounds, samples: int, rng: np.random.Generator) -> pd.DataFrame:
    """``samples`` points, one per stratum of every parameter's range, strata paired at random."""
    columns = {}
    for name, (low, high) in bounds.items():
        strata = (rng.permutation(samples) + rng.random(samples)) / samples
        columns[name] = low + strata * (high - low)
    return pd.DataFrame(columns)


def fresh_check(box: pd.DataFrame, bounds: Bounds, evaluate: Evaluate, condition: Condition,
                share: float, samples: int, seed: int) -> pd.DataFrame:
    """The box on data PRIM has not seen: ``samples`` Latin hypercube points drawn inside the box
    and as many in the whole space, run by ``evaluate`` and judged as the sweep's points were.

    One row per region: ``in the box`` (the points drawn inside it), ``whole space`` (the base
    rate), and the whole-space points that fell ``whole space: inside the box`` and ``whole space:
    outside the box``; with points, points of interest and density. ``coverage`` (whole space,
    inside the box only) is the share of the whole space's points of interest that the box holds.
    """
    inside = latin_hypercube(box_bounds(box, bounds), samples, generator(seed, 0, "fresh:box"))
    space = latin_hypercube(bounds, samples, generator(seed, 0, "fresh:space"))
    drawn = pd.concat([inside, space], ignore_index=True)
    drawn.insert(0, "point", np.arange(len(drawn)))
    interest = points_of_interest(evaluate(drawn), condition, share).set_index("point")
    flags = interest["of_interest"].reindex(drawn["point"], fill_value=False).to_numpy(bool)
    box_flags, space_flags = flags[:samples], flags[samples:]
    space_in_box = in_box(space, box)
    regions = [("in the box", box_flags), ("whole space", space_flags),
               ("whole space: inside the box", space_flags[space_in_box]),
               ("whole space: outside the box", space_flags[~space_in_box])]
    table = pd.DataFrame([{"region": name, "points": len(f), "of_interest": int(f.sum()),
                           "density": f.mean() if len(f) else np.nan} for name, f in regions])
    table["coverage"] = np.nan
    total = space_flags.sum()
    table.loc[2, "coverage"] = space_flags[space_in_box].sum() / total if total else np.nan
    return table


def summary(condition: Condition, share: float, interest: pd.DataFrame,
            trajectory: pd.DataFrame, chosen: int, box: pd.DataFrame,
            fresh: pd.DataFrame | None, note: str = "") -> str:
    """A few lines for a person: how many points are of interest, the box and how it held up."""
    stats = trajectory.iloc[chosen]
    found = int(interest["of_interest"].sum())
    lines = [f"Condition: {condition.text}",
             f"Points of interest (the condition holds in at least {share:.0%} of replicates): "
             f"{found} of {len(interest)} ({found / len(interest):.0%})",
             f"Box {chosen} of the peeling trajectory (boxes 0 to {len(trajectory) - 1}): coverage "
             f"{stats['coverage']:.0%}, density {stats['density']:.0%}, mass {stats['mass']:.0%} "
             f"({int(stats['points'])} points), {int(stats['restricted'])} restricted "
             f"parameter(s)"]
    for row in box.itertuples():
        lines.append(f"  {row.parameter}: {row.box_low:.4g} to {row.box_high:.4g} "
                     f"(range {row.range_low:.4g} to {row.range_high:.4g}; "
                     f"{row.kept:.0%} of it kept)")
    if box.empty:
        lines.append("  (no parameter restricted: the whole space)")
    if fresh is None:
        lines.append(f"Fresh check: not run. {note}".rstrip())
    else:
        by = fresh.set_index("region")
        lines.append(f"Fresh check ({int(by.loc['in the box', 'points'])} new points in the box "
                     f"and as many in the whole space): density in the box "
                     f"{by.loc['in the box', 'density']:.0%}, outside it "
                     f"{by.loc['whole space: outside the box', 'density']:.0%}, whole space "
                     f"{by.loc['whole space', 'density']:.0%}; coverage "
                     f"{by.loc['whole space: inside the box', 'coverage']:.0%}")
    return "\n".join(lines)
