"""Draw a run's figures in worker processes while the run's tables are written.

Drawing the five figures is the largest cost of ``python -m sim run`` after the imports. With
:class:`FigureWorkers`, one process imports matplotlib and warms its font caches while the
ensemble runs; once the summary table is ready it forks a helper from itself (matplotlib
imported and warm already) and the two draw the figures in two shares (:data:`SHARES`) while
the caller writes the tables. The files are the ones :func:`sim.figures.run.make_plots` writes,
drawn by the same function (:func:`sim.figures.run.write_figure`), byte for byte.

On Linux the worker is forked from the caller once it has imported pandas, Mesa and the model,
so it imports only matplotlib: a "spawn" worker (Mesa's default start method, and the only one
elsewhere) would import everything again, about 1.5 s of CPU, on the same two cores. The caller
must not be running threads of its own when it forks (the run has none before the ensemble;
numpy's and pyarrow's own threads are fork-safe). Importing this module imports neither
matplotlib nor pandas.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

START_METHOD = "fork" if sys.platform == "linux" else "spawn"

if TYPE_CHECKING:  # only the workers import these
    import pandas as pd

    from sim.figures.looks import Look
    from sim.scenario import Scenario

# sim.figures.run.FILES in two shares that take about as long to draw (0.8 and 0.9 s of CPU)
SHARES = (("alignment.png", "partnership_network.png"),
          ("trust_matrix.png", "defence_spending.png", "trust_in_patron.png"))


def warm_up() -> None:
    """Import the plotting code and render text once (fonts, caches) before there is work."""
    import io

    import sim.figures.run  # noqa: F401  (imported to be warm)
    from sim.figures.style import DPI, canvas_figure

    fig = canvas_figure((2, 1))
    fig.text(0.5, 0.5, "warm up", fontweight="bold")
    fig.savefig(io.BytesIO(), dpi=DPI, bbox_inches="tight")


def shares(summary: pd.DataFrame) -> tuple[tuple[str, ...], ...]:
    """The figures of ``summary`` in :data:`SHARES`; the two-band view (a summary with the
    parameters' band) joins the lighter share."""
    from sim.analysis.tables import has_parameter_band  # no matplotlib import

    if has_parameter_band(summary):
        return (SHARES[0] + ("trust_bands.png",), *SHARES[1:])
    return SHARES


def write_share(names: tuple[str, ...], summary: pd.DataFrame, scenario: Scenario,
                folder: Path, look: Look | None = None,
                formats: tuple[str, ...] = ("png",)) -> list[Path]:
    from sim.figures.looks import REPORT
    from sim.figures.run import write_figure

    return [path for name in names
            for path in write_figure(name, summary, scenario, folder, look or REPORT, formats)]


def write_shares(shares: tuple[tuple[str, ...], ...], summary: pd.DataFrame, scenario: Scenario,
                 folder: Path, look: Look | None = None,
                 formats: tuple[str, ...] = ("png",)) -> list[Path]:
    """In the worker: the first share here, each other share in a process forked from this one
    (matplotlib imported and warm already, so that costs no second import).

    The helpers are plain processes that draw their share and exit, not a pool: a pool's idle
    processes would outlive a crashed worker and, holding its pipes, keep the caller from ever
    hearing that it died."""
    mine, *others = shares
    context = multiprocessing.get_context(START_METHOD)
    helpers = [context.Process(target=write_share,
                               args=(share, summary, scenario, folder, look, formats))
               for share in others]
    for helper in helpers:
        helper.start()
    try:
        paths = write_share(mine, summary, scenario, folder, look, formats)
    finally:
        for helper in helpers:
            helper.join()
    failed = [h.exitcode for h in helpers if h.exitcode != 0]
    if failed:
        raise RuntimeError(f"a figure helper terminated abruptly or failed (exit code "
                           f"{failed[0]}); its error, if any, is printed above")
    from sim.figures.run import figure_paths

    return paths + [path for share in others for name in share
                    for path in figure_paths(name, folder, formats)]


class FigureWorkers:
    """Processes that write a run's figures: start them before the ensemble, :meth:`draw` once,
    :meth:`wait` for the files, and :meth:`close` (also after a failure, before the folder the
    files were going to is removed)."""

    def __init__(self) -> None:
        context = multiprocessing.get_context(START_METHOD)
        self._pool = ProcessPoolExecutor(1, mp_context=context, initializer=warm_up)
        self._drawing: Future = self._pool.submit(os.getpid)  # a first job starts it now

    def draw(self, summary: pd.DataFrame, scenario: Scenario, folder: Path,
             look: Look | None = None, formats: tuple[str, ...] = ("png",)) -> None:
        """Start writing the figures of :func:`sim.figures.run.make_plots` into ``folder``
        (in ``look``, default the report's, and each of ``formats``)."""
        folder.mkdir(parents=True, exist_ok=True)
        self._drawing = self._pool.submit(write_shares, shares(summary), summary, scenario,
                                          folder, look, formats)

    def wait(self) -> list[Path]:
        """The paths written, once all are; raises the first failure of a worker (a crashed
        worker raises :class:`concurrent.futures.process.BrokenProcessPool`)."""
        return self._drawing.result()

    def close(self) -> None:
        """Drop figures not started, and return once the workers have finished and exited."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> FigureWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
