"""The screen's chart pictures, drawn in worker processes so a seminar's sessions use every core.

Drawing a chart with matplotlib is most of what a moved slider costs the server (about 0.35 s of
CPU against 0.12 s for the 200-replicate ensemble), and matplotlib holds Python's global lock
while it draws: drawn in the server's own threads, thirty sessions' pictures are drawn one at a
time on one core, and Solara's rendering and websockets wait behind them. :class:`Painters` draws
them in a few long-lived processes instead; the server keeps the ensembles, the summaries and
the store of results (:mod:`sim.dashboard.results`), and sends a painter only what one picture
needs (the chart's summary rows, the scenario and the look).

The picture is the one :func:`sim.dashboard.charts.screen_png` draws in the server, byte for byte
(each painter keeps its own memory of the charts' layouts). The painters start from a fresh
interpreter (``forkserver`` on Linux, ``spawn`` elsewhere), never by forking the threaded server,
and ignore the terminal's Ctrl-C, which the server handles for them. A painter that dies (its
memory exhausted, killed) is replaced and the picture drawn again, once.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a painter imports these; the command starting the server does not
    import pandas as pd

    from sim.dashboard.charts import Chart
    from sim.figures.looks import Look
    from sim.scenario import Scenario

START_METHOD = "forkserver" if sys.platform == "linux" else "spawn"
PAINTERS_VARIABLE = "ALLIANCE_SIM_PAINTERS"  # set by `sim dashboard --painters N`

_layouts: dict = {}  # in a painter: each chart's tight box by its texts (charts.screen_png)


def default_painters() -> int:
    """One painter per core, at most 4: each holds about 100 MB, and the server's own work
    (the ensembles, Solara) needs a core as well."""
    return min(os.cpu_count() or 1, 4)


def configured_painters() -> int:
    """The painters this server was started with (``$ALLIANCE_SIM_PAINTERS``, which ``python
    -m sim dashboard`` sets); 0, drawing in the server's threads, when it is not set (as in a
    notebook or a test that renders the pages in its own process)."""
    value = os.environ.get(PAINTERS_VARIABLE, "").strip() or "0"
    try:
        return max(0, int(value))
    except ValueError:
        raise ValueError(f"{PAINTERS_VARIABLE}={value!r}: expected a whole number of "
                         "processes (0 draws in the server itself)") from None


def start_painter() -> None:
    """In a new drawing process (a painter, or the handouts' figure process): leave Ctrl-C to
    the server, then draw once (imports, font caches)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from sim.figures.workers import warm_up

    warm_up()


def _paint(chart: Chart, summary: pd.DataFrame, scenario: Scenario, look: Look) -> bytes:
    from sim.dashboard.charts import screen_png

    return screen_png(chart, summary, scenario, look, _layouts)


class Painters:
    """``workers`` processes that draw :func:`sim.dashboard.charts.screen_png` pictures; started
    on first use (or by :meth:`start`), shared by every session's worker thread."""

    def __init__(self, workers: int):
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the painters now (a first picture then does not wait for their imports)."""
        pool = self._executor()
        for _ in range(self.workers):  # one job each: a pool starts processes as jobs come
            pool.submit(os.getpid)

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                context = multiprocessing.get_context(START_METHOD)
                if START_METHOD == "forkserver":  # imported once, before any painter forks
                    context.set_forkserver_preload(["sim.dashboard.charts", "sim.figures.run"])
                self._pool = ProcessPoolExecutor(self.workers, mp_context=context,
                                                 initializer=start_painter)
            return self._pool

    def screen_png(self, chart: Chart, summary: pd.DataFrame, scenario: Scenario,
                   look: Look) -> bytes:
        """The picture :func:`sim.dashboard.charts.screen_png` draws, drawn by a painter."""
        pool = self._executor()
        try:
            return pool.submit(_paint, chart, summary, scenario, look).result()
        except BrokenProcessPool:  # a painter died: a new pool, and this picture once more
            with self._lock:  # the first thread to see it drops the broken pool
                if self._pool is pool:
                    self._pool = None
            pool.shutdown(wait=False, cancel_futures=True)
            return self._executor().submit(_paint, chart, summary, scenario, look).result()

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
