"""Tidy tables from an ensemble: one row per replicate, month, actor (and partner) and measure.

``tidy`` has every value; ``quantiles`` summarises it per month as the median and the 10-90% band
across replicates. Per-pair measures carry the ``partner`` column (row i's view of partner j);
per-state measures leave it empty.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.ensemble import Ensemble
from sim.history import DYADIC, MEASURES

QUANTILES = {"p10": 0.10, "median": 0.50, "p90": 0.90}


def tidy(ensemble: Ensemble, measures: list[str] | None = None) -> pd.DataFrame:
    """Long table: replicate, month, date, actor, partner, measure, value."""
    frames = []
    wanted = measures or list(MEASURES) + list(DYADIC)
    for name in wanted:
        if name in MEASURES:
            frames.append(_long(ensemble, name, ensemble.arrays[name], pair=False))
        elif name in DYADIC:
            frames.append(_long(ensemble, name, ensemble.arrays[name], pair=True))
        else:
            raise KeyError(f"unknown measure {name!r}; known: {', '.join(MEASURES | DYADIC)}")
    return pd.concat(frames, ignore_index=True)


def _long(ensemble: Ensemble, name: str, array: np.ndarray, pair: bool) -> pd.DataFrame:
    """Flatten a month-major array (T + 1, R, N[, N]) into rows, dropping self-pairs."""
    months, reps, n = array.shape[0], array.shape[1], array.shape[2]
    codes = np.array(ensemble.codes)
    dates = pd.to_datetime(ensemble.dates)
    idx = np.indices(array.shape).reshape(array.ndim, -1)
    values = array.reshape(-1)
    keep = np.ones(values.shape, dtype=bool) if not pair else idx[2] != idx[3]
    frame = pd.DataFrame({
        "replicate": idx[1][keep].astype(np.int32),
        "month": idx[0][keep].astype(np.int16),
        "date": dates[idx[0][keep]],
        "actor": pd.Categorical.from_codes(idx[2][keep], codes),
        "partner": (pd.Categorical.from_codes(idx[3][keep], codes) if pair
                    else pd.Categorical.from_codes(np.full(keep.sum(), -1), codes)),
        "measure": name,
        "value": values[keep],
    })
    del months, reps, n
    return frame


def quantiles(ensemble: Ensemble, measures: list[str] | None = None) -> pd.DataFrame:
    """Per month, actor, partner and measure: p10, median, p90 and mean across replicates."""
    rows = []
    wanted = measures or list(MEASURES) + list(DYADIC)
    dates = pd.to_datetime(ensemble.dates)
    codes = ensemble.codes
    for name in wanted:
        array = ensemble.arrays[name].astype(np.float64)  # (T + 1, R, N[, N])
        qs = np.quantile(array, list(QUANTILES.values()), axis=1)
        mean = array.mean(axis=1)
        pair = name in DYADIC
        for i, actor in enumerate(codes):
            for j, partner in enumerate(codes if pair else [""]):
                if pair and i == j:
                    continue
                at = (slice(None), i, j) if pair else (slice(None), i)
                rows.append(pd.DataFrame({
                    "month": np.arange(len(dates)), "date": dates, "actor": actor,
                    "partner": partner, "measure": name,
                    **{k: qs[(q, *at)] for q, k in enumerate(QUANTILES)},
                    "mean": mean[at],
                }))
    return pd.concat(rows, ignore_index=True)


def end_state(ensemble: Ensemble, actors: list[str] | None = None) -> pd.DataFrame:
    """The headline table: each ally's trust in the patron and alignment at the end, with bands."""
    scenario = ensemble.scenario
    actors = actors or [c for c in ensemble.codes if c not in (scenario.patron,)]
    rows = []
    for code in actors:
        series = {
            "trust_in_patron": ensemble.trust(code, scenario.patron),
            "trust_in_challenger": ensemble.trust(code, scenario.challenger),
            "alignment_economic": ensemble.measure("alignment_economic", code),
            "alignment_security": ensemble.measure("alignment_security", code),
            "hedging": ensemble.measure("hedging", code),
            "defence_spending": ensemble.measure("defence_spending", code),
        }
        for measure, values in series.items():
            start, end = values[:, 0].astype(float), values[:, -1].astype(float)
            p10, med, p90 = np.quantile(end, [0.1, 0.5, 0.9])
            rows.append({"actor": code, "measure": measure, "start": float(np.median(start)),
                         "end_median": med, "end_p10": p10, "end_p90": p90})
    return pd.DataFrame(rows)
