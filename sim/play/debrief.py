"""The debrief: the class's path against the ensemble of the scenario as scripted.

Both run with the game's seed and replicates, so replicate r of each draws the same random numbers
(common random numbers, :mod:`sim.engine.rng`): the difference ``class - scripted`` of replicate r
is what the teams' choices (and the rules and scripted decisions they replaced) changed, free of
sampling noise. With no moves, and no rules or scripted decisions of the team actors to replace,
it is exactly zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.play.report import BAND, MEASURES, series
from sim.play.rounds import Run

PATHS = ("class", "scripted", "difference")
TOLERANCE = 0.0005  # a paired difference within it is no difference (below what a table shows)


@dataclass(frozen=True)
class Debrief:
    """``paths``: per month, actor, measure and path (class, scripted, difference) the median and
    10-90% band; ``table``: the same at the last month played, one row per actor and measure,
    with the shares of replicates in which the class ended higher and lower (by more than
    :data:`TOLERANCE`)."""

    paths: pd.DataFrame
    table: pd.DataFrame
    month: int  # the last month recorded (the end of the last round played)


def _rows(values: np.ndarray, dates: list, actor: str, measure: str, path: str) -> pd.DataFrame:
    low, median, high = np.percentile(values, BAND, axis=0)
    return pd.DataFrame({"month": np.arange(values.shape[1]), "date": pd.to_datetime(dates),
                         "actor": actor, "measure": measure, "path": path, "p10": low,
                         "median": median, "p90": high})


def class_paths(played: Run, actors: list[str]) -> pd.DataFrame:
    """The class's path alone (path ``class``), as :attr:`Debrief.paths` has it."""
    dates = [played.scenario.month_date(t) for t in range(played.month + 1)]
    return pd.concat([_rows(series(played, measure, actor), dates, actor, measure, "class")
                      for measure in MEASURES for actor in actors], ignore_index=True)


def debrief(played: Run, scripted: Run, actors: list[str]) -> Debrief:
    """Compare ``played`` (the game) with ``scripted`` (the scenario as scripted), both run to
    the same month with the same seed and replicates, for ``actors``."""
    if played.month != scripted.month or played.codes != scripted.codes:
        raise ValueError("the debrief pairs two runs of the same months and actors")
    dates = [played.scenario.month_date(t) for t in range(played.month + 1)]
    frames, rows = [], []
    for measure in MEASURES:
        for actor in actors:
            ours, theirs = series(played, measure, actor), series(scripted, measure, actor)
            difference = ours - theirs
            for path, values in zip(PATHS, (ours, theirs, difference), strict=True):
                frames.append(_rows(values, dates, actor, measure, path))
            rows.append(_end_row(actor, measure, ours[:, -1], theirs[:, -1], difference[:, -1]))
    return Debrief(pd.concat(frames, ignore_index=True), pd.DataFrame(rows), played.month)


def _end_row(actor: str, measure: str, ours: np.ndarray, theirs: np.ndarray,
             difference: np.ndarray) -> dict:
    row = {"actor": actor, "measure": measure}
    for path, values in zip(PATHS, (ours, theirs, difference), strict=True):
        low, median, high = np.percentile(values, BAND)
        row.update({f"{path}_median": median, f"{path}_p10": low, f"{path}_p90": high})
    row["class_higher"] = float(np.mean(difference > TOLERANCE))
    row["class_lower"] = float(np.mean(difference < -TOLERANCE))
    return row


def _cell(row, path: str, signed: bool = False) -> str:
    """'31% [27%, 35%]' for trust, '+0.28 [+0.21, +0.30]' for an alignment."""
    trust = row.measure == "trust_in_patron"
    scale, unit, digits = (100.0, "%", 0) if trust else (1.0, "", 2)
    sign = "+" if signed else ""
    median, low, high = (round(getattr(row, f"{path}_{k}") * scale, digits) + 0.0  # never -0
                         for k in ("median", "p10", "p90"))
    unit = " pp" if trust and signed else unit
    return (f"{median:{sign}.{digits}f}{unit} [{low:{sign}.{digits}f}, "
            f"{high:{sign}.{digits}f}]")


def _higher(row) -> str:
    """In how many replicates the class ended higher (beyond :data:`TOLERANCE`), or "no
    difference" when every replicate's difference is within it."""
    lower = getattr(row, "class_lower", 0.0)
    if row.class_higher == 0 and lower == 0:
        return "no difference"
    return f"{row.class_higher:.0%} of replicates" + (f" (lower in {lower:.0%})" if lower else "")


def words(table: pd.DataFrame) -> pd.DataFrame:
    """The end table for people: trust in percent (differences in percentage points),
    alignments on their -1..+1 scale, each as median [10%, 90%]."""
    return pd.DataFrame([
        {"actor": row.actor, "measure": MEASURES[row.measure].split(" (")[0],
         "class (median [10-90%])": _cell(row, "class"), "as scripted": _cell(row, "scripted"),
         "class - scripted (paired)": _cell(row, "difference", signed=True),
         "class higher in": _higher(row)}
        for row in table.itertuples(index=False)])
