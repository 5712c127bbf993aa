"""Run an ensemble: blocks of replicates, serially or in worker processes, same numbers either way.

Replicate r of root seed s always draws the same random numbers (:mod:`sim.engine.rng`), so the way
an ensemble is cut into blocks, and where each block runs (this process, a pool, a Dask cluster),
does not change a single bit of the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from sim import checks
from sim.engine.history import History, allocate, block_of
from sim.engine.mechanics import landscape
from sim.engine.simulation import Simulation
from sim.evidence.params import STRUCTURAL
from sim.measures import DYADIC
from sim.scenario import Scenario, check_size
from sim.scenario.settings import apply_settings

Progress = Callable[[int], None]  # called with the number of replicates just finished


@dataclass
class Ensemble:
    """The record of every replicate of one scenario.

    ``arrays`` holds the month-major storage of :mod:`sim.engine.history`; the accessors below give
    replicate-first views, ``(R, T + 1, ...)``.
    """

    scenario: Scenario
    seed: int
    codes: tuple[str, ...]
    dates: list[dt.date]
    arrays: dict[str, np.ndarray]
    commitment_tests: np.ndarray  # (R,)
    commitments_honoured: np.ndarray  # (R,)
    varied: dict[str, np.ndarray] = field(default_factory=dict)  # values per replicate, if any
    meta: dict = field(default_factory=dict)
    # what the scenario's rules decided, per replicate: {(actor, kind of act, target): (R,)}
    decisions: dict[tuple[str, str, str], np.ndarray] = field(default_factory=dict)

    @property
    def replicates(self) -> int:
        return self.arrays["trust"].shape[1]

    @property
    def dyads(self) -> dict[str, np.ndarray]:
        """(R, T + 1, N, N) per measure."""
        return {m: np.moveaxis(self.arrays[m], 0, 1) for m in DYADIC}

    @property
    def bloc_energy(self) -> np.ndarray:
        """(R, T + 1) Axelrod-Bennett frustration of the two-bloc split by security alignment."""
        size = np.array([self.scenario.actors[c].capability for c in self.codes])
        bloc = np.where(self.arrays["alignment_security"] >= 0.0, 1, -1)
        trust = self.arrays["trust"].astype(np.float64)
        indifference = self.varied.get("bloc_indifference",
                                       self.scenario.parameters.bloc_indifference)
        attraction = landscape.propensity(trust, np.asarray(indifference)[..., None, None])
        return landscape.energy(size, attraction, bloc).T

    def index(self, code: str) -> int:
        return self.codes.index(code)

    def trust(self, truster: str, trustee: str) -> np.ndarray:
        """(R, T + 1) trust of ``truster`` in ``trustee``."""
        return self.arrays["trust"][:, :, self.index(truster), self.index(trustee)].T

    def measure(self, name: str, actor: str) -> np.ndarray:
        """(R, T + 1) of a per-state measure."""
        return self.arrays[name][:, :, self.index(actor)].T


def run_block(scenario: Scenario, seed: int, first: int, count: int,
              out: dict[str, np.ndarray] | None = None,
              varied: Mapping[str, np.ndarray] | None = None) -> History:
    """Run replicates ``first .. first + count - 1`` to the horizon (recording into ``out``);
    ``varied`` gives parameters one value per replicate of the whole ensemble.

    The numeric core runs without Mesa: no agents, no reporters, nothing kept alive after."""
    mine = {k: np.asarray(v)[first:first + count] for k, v in (varied or {}).items()}
    return Simulation(scenario, seed, count, first, out, varied=mine).run()


def blocks(replicates: int, block_size: int) -> Iterator[tuple[int, int]]:
    for first in range(0, replicates, block_size):
        yield first, min(block_size, replicates - first)


def run_ensemble(scenario: Scenario, replicates: int | None = None, seed: int | None = None,
                 block_size: int = 500, workers: int = 1,
                 progress: Progress | None = None,
                 varied: Mapping[str, np.ndarray] | None = None) -> Ensemble:
    """Run ``replicates`` replicates of ``scenario`` (defaults: the scenario's own).

    ``varied`` gives parameters one value per replicate (arrays of length ``replicates``), e.g.
    drawn from their plausible ranges so the bands show parameter uncertainty too.

    ``workers > 1`` spreads blocks over processes (cutting the ensemble into at least one block
    per worker); the result is identical to a serial run. More workers than the machine's cores
    are refused (:func:`sim.checks.workers`), as is any other bad value, with a ``ValueError``.
    """
    seed = checks.seed(scenario.seed if seed is None else seed)
    replicates = checks.count("replicates", scenario.replicates if replicates is None
                              else replicates)
    block_size = checks.count("block_size", block_size)
    workers = checks.workers(workers)
    if workers > 1:
        block_size = min(block_size, -(-replicates // workers))
    scenario = scenario.model_copy(update={"seed": seed, "replicates": replicates})
    check_size(scenario)
    arrays = allocate(len(scenario.actors), replicates, scenario.horizon_months)
    tests, honoured = np.zeros(replicates), np.zeros(replicates)
    decisions: dict[tuple[str, str, str], np.ndarray] = {}
    jobs = list(blocks(replicates, block_size))

    def keep(first: int, count: int, history: History) -> None:
        for key, view in block_of(arrays, first, count).items():
            if history.arrays[key] is not view:
                view[...] = history.arrays[key]
        tests[first:first + count] = history.commitment_tests
        honoured[first:first + count] = history.commitments_honoured
        for key, counts in history.decisions.items():
            decisions.setdefault(key, np.zeros(replicates))[first:first + count] = counts
        if progress:
            progress(count)

    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(run_block, scenario, seed, a, n, None, varied)
                       for a, n in jobs]
            for future, (a, n) in zip(futures, jobs, strict=True):
                keep(a, n, future.result())
    else:
        for a, n in jobs:
            keep(a, n, run_block(scenario, seed, a, n, block_of(arrays, a, n), varied))
    return Ensemble(
        scenario=scenario, seed=seed, codes=tuple(scenario.actors),
        dates=[scenario.month_date(t) for t in range(scenario.horizon_months + 1)],
        arrays=arrays, commitment_tests=tests, commitments_honoured=honoured,
        varied=dict(varied or {}), decisions=dict(sorted(decisions.items())))


def run_points(scenario: Scenario, settings: Mapping[str, np.ndarray], replicates: int,
               seed: int) -> Ensemble:
    """Every point of a design (row p of ``settings``) with replicates 0..k-1, batched.

    Row ``p * k + r`` of the result is replicate r of point p; every point's replicate r draws
    the same random numbers (common random numbers across points). Global parameters vary per
    replicate inside one simulation; an actor's value (``JPN.dependence``) or a parameter that
    shapes the world's fixed arrays (:data:`~sim.evidence.params.STRUCTURAL`) takes one
    simulation per distinct value, as it must.
    """
    seed = checks.seed(seed)
    k = checks.count("replicates", replicates)
    columns = {name: np.asarray(v, dtype=np.float64) for name, v in settings.items()}
    points = len(next(iter(columns.values()))) if columns else 1
    fixed = [n for n in columns if "." in n or n in STRUCTURAL]
    batched = [n for n in columns if n not in fixed]
    total = points * k
    arrays = allocate(len(scenario.actors), total, scenario.horizon_months)
    tests, honoured = np.zeros(total), np.zeros(total)
    decisions: dict[tuple[str, str, str], np.ndarray] = {}
    keys = [tuple(columns[n][p] for n in fixed) for p in range(points)]
    for key in dict.fromkeys(keys):  # each distinct world, in order of first appearance
        members = np.array([p for p in range(points) if keys[p] == key])
        world = apply_settings(scenario, dict(zip(fixed, key, strict=True)), origin="a design "
                               "point") if fixed else scenario
        varied = {n: np.repeat(columns[n][members], k) for n in batched}
        history = Simulation(world, seed, len(members) * k, varied=varied,
                             replicate_ids=np.tile(np.arange(k), len(members))).run()
        rows = (members[:, None] * k + np.arange(k)[None, :]).ravel()
        for name, array in history.arrays.items():
            arrays[name][:, rows] = array
        tests[rows], honoured[rows] = history.commitment_tests, history.commitments_honoured
        for name, counts in history.decisions.items():
            decisions.setdefault(name, np.zeros(total))[rows] = counts
    return Ensemble(
        scenario=scenario, seed=seed, codes=tuple(scenario.actors),
        dates=[scenario.month_date(t) for t in range(scenario.horizon_months + 1)],
        arrays=arrays, commitment_tests=tests, commitments_honoured=honoured,
        varied={n: np.repeat(columns[n], k) for n in columns},
        decisions=dict(sorted(decisions.items())))
