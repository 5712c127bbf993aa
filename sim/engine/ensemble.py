"""Run an ensemble: blocks of replicates, serially or in worker processes, same numbers either way.

Replicate r of root seed s always draws the same random numbers (:mod:`sim.engine.rng`), so the way
an ensemble is cut into blocks, and where each block runs (this process, a pool, a Dask cluster),
does not change a single bit of the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from sim import checks
from sim.engine.history import History, allocate, block_of
from sim.engine.mechanics import landscape
from sim.engine.simulation import Simulation
from sim.measures import DYADIC
from sim.scenario import Scenario, check_size

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
    meta: dict = field(default_factory=dict)

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
        attraction = landscape.propensity(trust, self.scenario.parameters.bloc_indifference)
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
              out: dict[str, np.ndarray] | None = None) -> History:
    """Run replicates ``first .. first + count - 1`` to the horizon (recording into ``out``).

    The numeric core runs without Mesa: no agents, no reporters, nothing kept alive after."""
    return Simulation(scenario, seed, count, first, out).run()


def blocks(replicates: int, block_size: int) -> Iterator[tuple[int, int]]:
    for first in range(0, replicates, block_size):
        yield first, min(block_size, replicates - first)


def run_ensemble(scenario: Scenario, replicates: int | None = None, seed: int | None = None,
                 block_size: int = 500, workers: int = 1,
                 progress: Progress | None = None) -> Ensemble:
    """Run ``replicates`` replicates of ``scenario`` (defaults: the scenario's own).

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
    jobs = list(blocks(replicates, block_size))

    def keep(first: int, count: int, history: History) -> None:
        for key, view in block_of(arrays, first, count).items():
            if history.arrays[key] is not view:
                view[...] = history.arrays[key]
        tests[first:first + count] = history.commitment_tests
        honoured[first:first + count] = history.commitments_honoured
        if progress:
            progress(count)

    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(run_block, scenario, seed, a, n) for a, n in jobs]
            for future, (a, n) in zip(futures, jobs, strict=True):
                keep(a, n, future.result())
    else:
        for a, n in jobs:
            keep(a, n, run_block(scenario, seed, a, n, block_of(arrays, a, n)))
    return Ensemble(
        scenario=scenario, seed=seed, codes=tuple(scenario.actors),
        dates=[scenario.month_date(t) for t in range(scenario.horizon_months + 1)],
        arrays=arrays, commitment_tests=tests, commitments_honoured=honoured)
