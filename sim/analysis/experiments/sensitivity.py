"""Global sensitivity of a sweep's outcomes to its parameters: Sobol indices or Morris screening.

The analysis is of the **expected** outcome: each point's replicates are averaged first, so the
indices say how the parameters move the mean over the model's own randomness, not a single run.
How much of an outcome's spread is that randomness is reported beside them
(:func:`replicate_noise`).

- A ``sobol`` design (Saltelli's cross-sampled matrices) gives variance-based indices: S1, the
  share of the outcome's variance due to one parameter alone, and ST, its share including all its
  interactions (S2, pairs, if the design has them). Confidence intervals are bootstrapped.
- A ``morris`` design (one-at-a-time trajectories) gives elementary effects: mu* (mean absolute
  effect, the importance), mu (mean signed effect) and sigma (their spread: non-linearity or
  interaction), with a bootstrapped interval on mu*.

Results are tidy tables: ``outcome, parameter, index, value, conf`` (conf is the half-width of the
95% interval, empty where the method gives none). SALib is imported only inside the functions that
need it (the optional extra ``sweep``).
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis import outcomes as outcome_names
from sim.analysis.experiments.sweep_reader import Sweep
from sim.errors import UserError
from sim.evidence.actors import DEFAULT_ACTORS, with_article

SUPPORTED = ("sobol", "morris")
RESAMPLES = 1000  # bootstrap resamples for the confidence intervals
CONF_LEVEL = 0.95
MAIN_INDEX = {"sobol": "ST", "morris": "mu_star"}  # what ranks the parameters
COLUMNS = ["outcome", "parameter", "index", "value", "conf"]
INSTALL = 'pip install -e ".[sweep]"'


@dataclass(frozen=True)
class Sensitivity:
    """Indices of the outcomes that vary, and the outcomes that do not (no index is defined)."""

    method: str
    table: pd.DataFrame  # COLUMNS
    flat: tuple[str, ...]  # outcomes with the same expected value at every point
    noise: pd.Series  # per outcome: share of its variance between replicates at the same point


def check_method(method: str) -> None:
    """Refuse a design these estimators cannot read (lhs, grid, posterior) and say which ones
    work."""
    if method not in SUPPORTED:
        raise UserError(
            f"a {method} design cannot be analysed for sensitivity: Sobol indices need Saltelli's "
            "cross-sampled matrices (pairs of points that differ in one parameter) and Morris "
            f"screening needs one-at-a-time trajectories; {_article(method)} {method} design has "
            "neither" + (" (posterior draws suit `sim discover`, not sensitivity indices)"
                         if method == "posterior" else ""),
            where="method", valid="run the sweep with method: sobol (indices of variance) or "
                                  "morris (a cheaper screening)")


def _article(word: str) -> str:
    return "an" if word[0] in "aeiolu" else "a"


def choose_outcomes(available: Sequence[str], wanted: Sequence[str] | None) -> list[str]:
    """The outcomes asked for (all if none), or a :class:`UserError` naming the valid ones."""
    if not wanted:
        return list(available)
    unknown = [name for name in wanted if name not in available]
    if unknown:
        raise UserError(f"the sweep has no outcome {', '.join(map(repr, unknown))}",
                        where="--outcome", valid=", ".join(available))
    return list(dict.fromkeys(wanted))


def expected_outcomes(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Mean over replicates: one row per point (in order), one column per outcome."""
    return outcomes.pivot_table(index="point", columns="outcome", values="value",
                                aggfunc="mean").sort_index()


def replicate_noise(outcomes: pd.DataFrame) -> pd.Series:
    """Per outcome, the share of its variance that lies between replicates of the same point
    (0: the model's randomness does not move it; near 1: the parameters barely do)."""
    within = outcomes.groupby(["outcome", "point"])["value"].var(ddof=0).groupby("outcome").mean()
    total = outcomes.groupby("outcome")["value"].var(ddof=0)
    return (within / total.where(total > 0)).fillna(0.0).rename("replicate_noise")


def check_layout(method: str, points: np.ndarray, options: dict) -> None:
    """The rows must be the sampler's, in its order: Sobol's A, AB_j, (BA_j,) B blocks, or Morris
    trajectories that move one parameter per step. Shuffled rows would give wrong indices."""
    d = points.shape[1]
    if method == "sobol":
        second = bool(options.get("calc_second_order", True))
        blocks = points.reshape(-1, 2 * d + 2 if second else d + 2, d)
        a, b = blocks[:, 0], blocks[:, -1]
        good = all(_one_column_from(blocks[:, 1 + j], a, b, j) for j in range(d))
        if second:
            good &= all(_one_column_from(blocks[:, 1 + d + j], b, a, j) for j in range(d))
    else:
        steps = np.diff(points.reshape(-1, d + 1, d), axis=1) != 0
        good = bool((steps.sum(axis=2) == 1).all() and (steps.sum(axis=1) == 1).all())
    if not good:
        raise UserError(
            f"the points are not a {method} sampler's rows in its order", where="experiments.csv",
            valid="experiments.csv rows in the sampler's order (point 0 is its first row)")


def _one_column_from(rows: np.ndarray, base: np.ndarray, donor: np.ndarray, j: int) -> bool:
    """Are ``rows`` the ``base`` rows with column ``j`` taken from ``donor``?"""
    others = np.arange(base.shape[1]) != j
    return np.array_equal(rows[:, others], base[:, others]) and np.array_equal(rows[:, j],
                                                                              donor[:, j])


def _salib(module: str):
    """``SALib.analyze.sobol`` or ``.morris``; a clear message if the extra is not installed."""
    import importlib

    try:
        return importlib.import_module(f"SALib.analyze.{module}")
    except ModuleNotFoundError:
        raise UserError("sensitivity analysis needs SALib, which is not installed",
                        valid=INSTALL) from None


def bootstrap_seed(seed: int) -> int:
    """The bootstrap's seed, drawn from the sweep's (never 0: SALib would then use global
    state)."""
    state = np.random.SeedSequence([int(seed), zlib.crc32(b"sensitivity")]).generate_state(1)
    return int(state[0]) or 1


def sobol_indices(problem: dict, expected: np.ndarray, second_order: bool,
                  seed: int) -> pd.DataFrame:
    """S1, ST (and S2) with bootstrap half-widths: ``parameter, index, value, conf``."""
    sobol = _salib("sobol")
    si = sobol.analyze(problem, np.asarray(expected, dtype=float),
                       calc_second_order=second_order, num_resamples=RESAMPLES,
                       conf_level=CONF_LEVEL, seed=bootstrap_seed(seed))
    names = problem["names"]
    rows = [(name, index, si[index][k], si[f"{index}_conf"][k])
            for index in ("S1", "ST") for k, name in enumerate(names)]
    if second_order:
        rows += [(f"{names[i]} & {names[j]}", "S2", si["S2"][i, j], si["S2_conf"][i, j])
                 for i in range(len(names)) for j in range(i + 1, len(names))]
    return pd.DataFrame(rows, columns=COLUMNS[1:])


def morris_indices(problem: dict, points: np.ndarray, expected: np.ndarray, num_levels: int,
                   seed: int) -> pd.DataFrame:
    """mu*, mu and sigma, with a bootstrap half-width on mu*: ``parameter, index, value, conf``."""
    morris = _salib("morris")
    si = morris.analyze(problem, np.asarray(points, dtype=float),
                        np.asarray(expected, dtype=float), num_resamples=RESAMPLES,
                        conf_level=CONF_LEVEL, num_levels=num_levels,
                        seed=bootstrap_seed(seed))
    rows = [(name, index, float(si[index][k]),
             float(si["mu_star_conf"][k]) if index == "mu_star" else np.nan)
            for index in ("mu_star", "mu", "sigma") for k, name in enumerate(problem["names"])]
    return pd.DataFrame(rows, columns=COLUMNS[1:])


def analyse(sweep: Sweep, outcomes: Sequence[str] | None = None) -> Sensitivity:
    """Indices of each chosen outcome's expected value (all outcomes if none are chosen)."""
    check_method(sweep.method)
    chosen = choose_outcomes(sweep.outcome_names, outcomes)
    points = sweep.experiments[sweep.names].to_numpy(dtype=float)
    check_layout(sweep.method, points, sweep.options)
    rows = sweep.outcomes[sweep.outcomes["outcome"].isin(chosen)]
    expected = expected_outcomes(rows)
    tables, flat = [], []
    for name in chosen:
        y = expected[name].to_numpy()
        if np.ptp(y) == 0:
            flat.append(name)
            continue
        if sweep.method == "sobol":
            table = sobol_indices(sweep.problem, y, bool(sweep.options.get(
                "calc_second_order", True)), sweep.design["seed"])
        else:
            table = morris_indices(sweep.problem, points, y,
                                   int(sweep.options.get("num_levels", 4)), sweep.design["seed"])
        tables.append(table.assign(outcome=name))
    table = (pd.concat(tables, ignore_index=True)[COLUMNS] if tables
             else pd.DataFrame(columns=COLUMNS))
    return Sensitivity(sweep.method, table, tuple(flat), replicate_noise(rows))


def ranked(table: pd.DataFrame, method: str, outcome: str) -> list[str]:
    """The outcome's parameters, most important first (by ST, or by mu*)."""
    main = table[(table["outcome"] == outcome) & (table["index"] == MAIN_INDEX[method])]
    return main.sort_values("value", ascending=False, kind="stable")["parameter"].tolist()


def top_parameters(result: Sensitivity, k: int = 3) -> pd.DataFrame:
    """Per outcome, its ``k`` most important parameters with the main index and its half-width:
    ``outcome, rank, parameter, index, value, conf``."""
    index = MAIN_INDEX[result.method]
    main = result.table[result.table["index"] == index]
    out = (main.sort_values(["outcome", "value"], ascending=[True, False], kind="stable")
           .groupby("outcome", sort=False).head(k))
    out = out.assign(rank=out.groupby("outcome").cumcount() + 1)
    return out[["outcome", "rank", "parameter", "index", "value", "conf"]].reset_index(drop=True)


def wider_than_index(table: pd.DataFrame) -> pd.DataFrame:
    """Rows whose confidence half-width exceeds the index itself: not told apart from zero."""
    return table[table["conf"].notna() & (table["conf"] > table["value"].abs())]


def describe_outcome(name: str) -> str:
    """An outcome in words: ``trust:JPN:US@2025-07`` -> "Japan's trust in the United States,
    July 2025"; a name outside the outcome grammar is returned as it is."""
    try:
        outcome = outcome_names.parse(name)
    except UserError:
        return name
    names = {code: with_article(spec.name) for code, spec in DEFAULT_ACTORS.items()}
    words = outcome.describe(names)
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", outcome.when):
        month = dt.date(int(outcome.when[:4]), int(outcome.when[5:]), 1)
        words = words.removesuffix(outcome.when) + f"{month:%B %Y}"
    return words
