"""The handout's figures, drawn for the dashboard in a warm process of their own.

A handout holds every figure of a run at print resolution: about four seconds of matplotlib,
which drawn in the server's thread held the drawing lock (every session's chart waited) and one
core. :class:`FigureProcess` draws them with ``sim run``'s own code instead
(:func:`sim.figures.workers.write_shares`: two shares, the second in a helper forked from the
worker, so both cores draw), into the folder the handout is built from, while the server writes
the tables. The files are those :func:`sim.figures.run.make_plots` writes, byte for byte.

The worker starts as the chart painters do (:mod:`sim.dashboard.drawing`): from a fresh
interpreter (``forkserver`` on Linux, ``spawn`` elsewhere), never by forking the threaded
server, on the first handout, and is kept for the next, so only the first handout waits for
matplotlib's import. It ignores the terminal's Ctrl-C, which the server handles for it. One
handout's figures are drawn at a time (a second waits its turn); a worker that died (killed, out
of memory) is replaced and the figures drawn again, once; if that one dies too (no process can
start here), they are drawn in the caller's thread as before. Importing this module imports
neither matplotlib nor pandas.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING

from sim.dashboard.drawing import START_METHOD, start_painter

if TYPE_CHECKING:  # the worker imports these; the server has them already
    import pandas as pd

    from sim.figures.looks import Look
    from sim.scenario import Scenario

class FigureProcess:
    """The process that draws handouts' figures, started on first use and kept."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                context = multiprocessing.get_context(START_METHOD)
                self._pool = ProcessPoolExecutor(1, mp_context=context,
                                                 initializer=start_painter)
            return self._pool

    def start(self) -> None:
        """Start the worker now (it imports matplotlib while the caller does other work)."""
        self._executor().submit(os.getpid)

    def job(self) -> FigureJob:
        """One handout's figures, for :func:`sim.outputs.run_writer.write_for_handout`."""
        return FigureJob(self)

    def submit(self, *args) -> tuple[ProcessPoolExecutor, Future]:
        """:func:`~sim.figures.workers.write_shares` with ``args`` in the worker: the pool that
        took it, and its future (a pool found broken is replaced first)."""
        from sim.figures.workers import write_shares

        pool = self._executor()
        try:
            return pool, pool.submit(write_shares, *args)
        except BrokenProcessPool:  # its worker died since the last handout
            self.replace(pool)
            pool = self._executor()
            return pool, pool.submit(write_shares, *args)

    def replace(self, broken: ProcessPoolExecutor) -> None:
        """Drop ``broken`` (a pool whose worker died) if it is still the current one."""
        with self._lock:
            if self._pool is broken:
                self._pool = None
        broken.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


class FigureJob:
    """A run folder's figures drawn by a :class:`FigureProcess`: the interface of
    :class:`sim.figures.workers.FigureWorkers` (:meth:`draw`, :meth:`wait`, :meth:`close`),
    whose :meth:`close` leaves the shared worker running."""

    def __init__(self, process: FigureProcess) -> None:
        self._process = process
        self._args: tuple = ()
        self._pool: ProcessPoolExecutor | None = None
        self._drawing: Future | None = None

    def draw(self, summary: pd.DataFrame, scenario: Scenario, folder: Path,
             look: Look | None = None, formats: tuple[str, ...] = ("png",)) -> None:
        from sim.figures.workers import shares

        folder.mkdir(parents=True, exist_ok=True)
        self._args = (shares(summary), summary, scenario, folder, look, formats)
        self._pool, self._drawing = self._process.submit(*self._args)

    def wait(self) -> list[Path]:
        """The paths written, once all are; the worker's error, if it raised one."""
        assert self._pool is not None and self._drawing is not None, "draw() first"
        try:
            return self._drawing.result()
        except BrokenProcessPool:  # the worker died: a new one, and these figures once more
            self._process.replace(self._pool)
            self._pool, self._drawing = self._process.submit(*self._args)
        try:
            return self._drawing.result()
        except BrokenProcessPool:  # no worker can start here: drawn in this thread after all
            self._process.replace(self._pool)
            return _draw_here(*self._args)

    def close(self) -> None:
        """Wait for figures under way, so that none is written into a folder being removed
        (figures not started yet are dropped)."""
        if self._drawing is not None and not self._drawing.cancel():
            try:
                self._drawing.result()
            except Exception:  # noqa: BLE001 (wait() raises it to whoever waits)
                pass


def _draw_here(shares: tuple[tuple[str, ...], ...], summary: pd.DataFrame, scenario: Scenario,
               folder: Path, look: Look | None, formats: tuple[str, ...]) -> list[Path]:
    """The figures drawn in the caller's thread, holding the server's drawing lock (matplotlib's
    settings are global): slower, but a handout all the same."""
    from sim.dashboard.charts import DRAWING
    from sim.figures.workers import write_share

    with DRAWING:
        return write_share(tuple(name for share in shares for name in share), summary,
                           scenario, folder, look, formats)


FIGURES = FigureProcess()  # the server's one, for every session's handouts
