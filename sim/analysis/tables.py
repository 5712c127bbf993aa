"""Tidy tables from an ensemble: one row per replicate, month, actor (and partner) and measure.

``tidy`` has every value; ``quantiles`` summarises it per month as the median and the 10-90% band
across replicates. Per-pair measures carry the ``partner`` column (row i's view of partner j);
per-state measures leave it empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from sim.engine.ensemble import Ensemble
from sim.measures import DYADIC, MEASURES

QUANTILES = {"p10": 0.10, "median": 0.50, "p90": 0.90}
MEASURE_NAMES = list(MEASURES) + list(DYADIC)


def tidy(ensemble: Ensemble, measures: list[str] | None = None) -> pd.DataFrame:
    """Long table: replicate, month, date, actor, partner, measure, value."""
    return pd.concat(list(_tidy_parts(ensemble, measures)), ignore_index=True)


def write_tidy(ensemble: Ensemble, path: Path) -> None:
    """Write the long table to Parquet one measure at a time, so memory stays bounded."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    try:
        for part in _tidy_parts(ensemble, None):
            table = pa.Table.from_pandas(part, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema)
            writer.write_table(table.cast(writer.schema))
    finally:
        if writer is not None:
            writer.close()


def _tidy_parts(ensemble: Ensemble, measures: list[str] | None) -> Iterator[pd.DataFrame]:
    for name in measures or list(MEASURES) + list(DYADIC):
        if name not in MEASURES and name not in DYADIC:
            raise KeyError(f"unknown measure {name!r}; known: {', '.join(MEASURES | DYADIC)}")
        yield _long(ensemble, name, ensemble.arrays[name], pair=name in DYADIC)


def _long(ensemble: Ensemble, name: str, array: np.ndarray, pair: bool) -> pd.DataFrame:
    """Flatten a month-major array (T + 1, R, N[, N]) into rows, dropping self-pairs."""
    shape = array.shape
    n = shape[2]
    keep = np.broadcast_to(~np.eye(n, dtype=bool), shape) if pair else None

    def column(axis: int) -> np.ndarray:
        view = np.arange(shape[axis], dtype=np.int32).reshape(
            [-1 if a == axis else 1 for a in range(len(shape))])
        full = np.broadcast_to(view, shape)
        return full[keep] if pair else full.reshape(-1)

    values = array[keep] if pair else array.reshape(-1)
    codes = list(ensemble.codes)
    month = column(0)
    return pd.DataFrame({
        "replicate": column(1),
        "month": month.astype(np.int16),
        "date": pd.to_datetime(ensemble.dates)[month],
        "actor": pd.Categorical.from_codes(column(2), codes),
        "partner": pd.Categorical.from_codes(column(3) if pair else np.full(len(values), -1),
                                             codes),
        "measure": pd.Categorical.from_codes(
            np.full(len(values), MEASURE_NAMES.index(name), dtype=np.int8), MEASURE_NAMES),
        "value": values,
    })


def quantiles(ensemble: Ensemble, measures: list[str] | None = None) -> pd.DataFrame:
    """Per month, actor, partner and measure: p10, median, p90 and mean across replicates."""
    wanted = measures or list(MEASURES) + list(DYADIC)
    dates = pd.to_datetime(ensemble.dates)
    return pd.concat([_quantile_rows(ensemble, name, dates) for name in wanted],
                     ignore_index=True)


def _quantile_rows(ensemble: Ensemble, name: str, dates: pd.DatetimeIndex) -> pd.DataFrame:
    """One measure's rows of :func:`quantiles`: actor by actor (partner by partner for per-pair
    measures, leaving out self-pairs), each actor's months in order; built as whole columns
    rather than one small frame per series, which cost more than the quantiles themselves."""
    array = ensemble.arrays[name].astype(np.float64)  # (T + 1, R, N[, N])
    qs = np.quantile(array, list(QUANTILES.values()), axis=1)  # (3, T + 1, N[, N])
    mean = array.mean(axis=1)  # (T + 1, N[, N])
    codes = np.array(ensemble.codes, dtype=object)
    n, months = len(codes), len(dates)
    if name in DYADIC:
        actor, partner = np.nonzero(~np.eye(n, dtype=bool))  # row-major: actor, then partner
        series = (actor, partner)
        partners = codes[partner]
    else:
        actor = np.arange(n)
        series = (actor,)
        partners = np.full(n, "", dtype=object)

    def by_series(values: np.ndarray) -> np.ndarray:  # (T + 1, series) -> series-major rows
        return values[(slice(None), *series)].T.reshape(-1)

    return pd.DataFrame({
        "month": np.tile(np.arange(months), len(actor)),
        "date": np.tile(dates.values, len(actor)),
        "actor": np.repeat(codes[actor], months), "partner": np.repeat(partners, months),
        "measure": name,
        **{k: by_series(qs[q]) for q, k in enumerate(QUANTILES)},
        "mean": by_series(mean),
    })


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


def bloc_energy(ensemble: Ensemble) -> pd.DataFrame:
    """Axelrod & Bennett's frustration of the two blocs (split by security alignment), per month:
    p10, median and p90 across replicates. Falling energy: blocs follow affinities more closely."""
    energy = ensemble.bloc_energy
    qs = np.quantile(energy, list(QUANTILES.values()), axis=0)
    return pd.DataFrame({"month": np.arange(energy.shape[1]),
                         "date": pd.to_datetime(ensemble.dates),
                         **{k: qs[q] for q, k in enumerate(QUANTILES)}})


def per_replicate(ensemble: Ensemble) -> pd.DataFrame:
    """One row per replicate: the crises that tested the patron's commitments and how many it
    honoured (to split an ensemble by what the patron did, as in the Taiwan Strait scenario)."""
    return pd.DataFrame({"replicate": np.arange(ensemble.replicates),
                         "commitment_tests": ensemble.commitment_tests.astype(int),
                         "commitments_honoured": ensemble.commitments_honoured.astype(int)})


WITH_PARAMETERS = ("p10_with_parameters", "p90_with_parameters")  # the wider band's columns


def has_parameter_band(summary: pd.DataFrame) -> bool:
    """Whether a summary carries the band with parameter uncertainty (``run --uncertainty``)."""
    return WITH_PARAMETERS[0] in summary


def with_parameter_band(summary: pd.DataFrame, wider: pd.DataFrame) -> pd.DataFrame:
    """``summary`` (noise only) with the 10-90% band and median of ``wider`` (the same run with
    parameter uncertainty) beside it, as ``p10_with_parameters``... columns."""
    keys = ["month", "actor", "partner", "measure"]
    extra = wider[keys + ["p10", "median", "p90"]].rename(
        columns={c: f"{c}_with_parameters" for c in ("p10", "median", "p90")})
    return summary.merge(extra, on=keys, how="left", validate="one_to_one")


def drawn_parameters(ensemble: Ensemble) -> pd.DataFrame:
    """The values each replicate drew (a run with parameter uncertainty): one row a replicate."""
    table = pd.DataFrame({name: values for name, values in ensemble.varied.items()})
    table.insert(0, "replicate", np.arange(ensemble.replicates))
    return table
