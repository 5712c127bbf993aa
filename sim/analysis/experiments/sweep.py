"""Sweeps: every point of a design run with a few replicates, batched, on any executor.

Point p of a design is a set of values for the uncertain inputs
(:mod:`sim.analysis.experiments.design`). Its replicates 0..k-1 draw the same random numbers as
replicates 0..k-1 of every other point (common random numbers): the points differ only through their
inputs. Points are run in chunks; a chunk is one batched simulation whose replicates carry their
point's parameter values (:func:`sim.engine.ensemble.run_points`), and its result is a tidy table of
outcomes. A chunk's numbers depend on nothing but the scenario, the seed and its points, so the
sweep gives the same bits whichever executor runs it, in whatever order, interrupted and resumed or
not.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.outcomes import Outcome, parse, read, values
from sim.engine.ensemble import run_points
from sim.errors import UserError
from sim.scenario import Scenario

# Replicate-runs per chunk: large enough to batch well, small enough that a chunk lost to a kill
# is little work and its record stays near 100 MB.
CHUNK_RUNS = 1000


@dataclass(frozen=True)
class Chunk:
    """Points ``first .. last - 1`` of a design."""

    index: int
    first: int
    last: int


def chunk_points(replicates: int, runs: int = CHUNK_RUNS) -> int:
    """Points per chunk: about ``runs`` replicate-runs, at least one point."""
    return max(1, runs // max(1, replicates))


def chunks(points: int, size: int) -> list[Chunk]:
    """The design cut into chunks of ``size`` points."""
    return [Chunk(k, a, min(a + size, points)) for k, a in enumerate(range(0, points, size))]


def default_outcomes(scenario: Scenario) -> list[str]:
    """The focal ally's trust in the patron (low, when, end, loss), its alignments and spending."""
    ally, patron = scenario.allies()[0], scenario.patron
    trust = f"trust:{ally}:{patron}"
    return [f"{trust}@low", f"{trust}@low_month", f"{trust}@end", f"{trust}@loss",
            f"alignment_economic:{ally}@end", f"alignment_security:{ally}@end",
            f"defence_spending:{ally}@end"]


def outcomes_of(names: Sequence[str], scenario: Scenario) -> tuple[Outcome, ...]:
    """Parsed outcomes, checked against the scenario's actors and months."""
    parsed = tuple(parse(name, tuple(scenario.actors)) for name in names)
    dates = [scenario.month_date(t) for t in range(scenario.horizon_months + 1)]
    probe = np.zeros((1, len(dates)))
    for outcome in parsed:  # month labels are checked against the run's span
        read(outcome.when, probe, dates)
    return parsed


def evaluate_points(scenario: Scenario, experiments: pd.DataFrame,
                    outcomes: Sequence[Outcome], replicates: int, seed: int) -> pd.DataFrame:
    """Tidy outcomes (``point``, ``replicate``, ``outcome``, ``value``) of design points."""
    inputs = [c for c in experiments.columns if c != "point"]
    settings = {name: experiments[name].to_numpy(dtype=np.float64) for name in inputs}
    ensemble = run_points(scenario, settings, replicates, seed)
    codes, dates = ensemble.codes, ensemble.dates
    point = np.repeat(experiments["point"].to_numpy(), replicates)
    replicate = np.tile(np.arange(replicates), len(experiments))
    parts = [pd.DataFrame({"point": point, "replicate": replicate, "outcome": o.name,
                           "value": values(o, ensemble.arrays, codes, dates)})
             for o in outcomes]
    return pd.concat(parts, ignore_index=True)


Job = Callable[[Chunk], pd.DataFrame]


def max_workers() -> int:
    return os.cpu_count() or 1


def check_executor(workers: int, scheduler: str | None) -> None:
    """Refuse, before any work, more workers than cores or a scheduler that is not understood."""
    if workers < 1 or workers > max_workers():
        raise UserError(f"--workers {workers} is not between 1 and this machine's "
                        f"{max_workers()} cores",
                        valid=f"--workers 1 to {max_workers()} (more processes than cores only "
                              "compete for them)")
    if scheduler is not None and scheduler != "local" and not scheduler.startswith("tcp://"):
        raise UserError(f"--scheduler {scheduler!r} is not understood",
                        valid="--scheduler local, or --scheduler tcp://HOST:PORT")


def execute(tasks: Sequence[Chunk], job: Job, workers: int = 1,
            scheduler: str | None = None) -> Iterator[tuple[Chunk, pd.DataFrame]]:
    """Run ``job`` on each chunk; yield results as they complete (in any order).

    ``scheduler``: None (this process, or ``workers`` local processes), ``"local"`` (a Dask
    LocalCluster with ``workers`` single-threaded worker processes) or a Dask scheduler address
    (``tcp://HOST:PORT``).
    """
    check_executor(workers, scheduler)
    if scheduler is not None:
        yield from _on_dask(tasks, job, workers, scheduler)
    elif workers > 1 and len(tasks) > 1:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(job, task): task for task in tasks}
            for future in as_completed(futures):
                yield futures[future], future.result()
    else:
        for task in tasks:
            yield task, job(task)


def _on_dask(tasks: Sequence[Chunk], job: Job, workers: int,
             scheduler: str) -> Iterator[tuple[Chunk, pd.DataFrame]]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise UserError("--scheduler needs dask.distributed, which is not installed",
                        valid='pip install -e ".[distributed]"') from None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, host="127.0.0.1")
        client = Client(cluster)
    else:
        cluster = None
        try:
            client = Client(scheduler, timeout=10)
        except OSError as exc:
            raise UserError(f"cannot reach the Dask scheduler at {scheduler}: {exc}",
                            valid="a running scheduler's address, or --scheduler local") from None
    try:
        futures = {client.submit(job, task, pure=False): task for task in tasks}
        for future in as_completed(futures):
            yield futures[future], future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
