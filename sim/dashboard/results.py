"""Results for the screen: ensembles, summary tables and chart pictures, each computed once.

Every entry is a pure function of its key (the scenario's digest, seed and replicates, and the
chart, look and name drawn), so the server keeps one store for all sessions (:func:`shared`): a
session only ever gets what its own settings compute, and a seminar's thirty first charts of the
same default scenario are computed once. Moving a slider back, switching tabs or the projector
look then costs nothing. Each cache keeps only its newest entries, so a long seminar does not
grow the server. Entries are shared: never change one in place.

When a class asks at once, two things keep the answers coming. A result being computed is
computed once: a second session asking for it (the lecturer said "set forgetting to 0.95")
waits for the first's. And at most one ensemble per core runs at a time (:attr:`Results.gate`),
first come first served: thirty ensembles started together in thirty threads share the
interpreter's lock and all finish together, after the thirtieth's time; run a few at a time,
the first answers come after one ensemble's time and the median after half of them.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import TypeVar

import pandas as pd

from sim.dashboard import charts
from sim.dashboard.drawing import Painters, configured_painters
from sim.engine.ensemble import Ensemble, run_ensemble
from sim.figures.looks import Look
from sim.scenario import Scenario

T = TypeVar("T")


def ensemble_key(scenario: Scenario) -> tuple:
    """What determines an ensemble's numbers (the name and description do not)."""
    return scenario.digest(), scenario.seed, scenario.replicates


class Newest:
    """A mapping that keeps its ``size`` most recently used entries, each made once (a second
    caller asking while it is being made waits for it)."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._making: dict[Hashable, Future] = {}
        self._lock = threading.Lock()  # a page's worker thread and its event handlers

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]  # type: ignore[return-value]
            making = self._making.get(key)
            if making is None:
                making = self._making[key] = Future()
                mine = True
            else:
                mine = False
        if not mine:
            return making.result()  # made by another caller (its error, if it failed)
        try:  # outside the lock: a long computation must not block a quick look-up
            value = make()
        except BaseException as error:
            with self._lock:
                del self._making[key]
            making.set_exception(error)
            raise
        with self._lock:
            self._items[key] = value
            del self._making[key]
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        making.set_result(value)
        return value

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)


class Results:
    """Ensembles (a few), summaries and screen pictures, each kept by what determines it."""

    def __init__(self, ensembles: int = 4, summaries: int = 16, pictures: int = 32,
                 painters: Painters | None = None, gate: threading.Semaphore | None = None):
        self.ensembles = Newest(ensembles)
        self.summaries = Newest(summaries)
        self.pictures = Newest(pictures)
        self.layouts: dict = {}  # each chart's tight box by its texts (charts.screen_png)
        self.painters = painters  # None: pictures are drawn in the caller's thread
        self.gate = gate or contextlib.nullcontext()  # how many computations run at once

    def ensemble(self, scenario: Scenario) -> Ensemble:
        def run() -> Ensemble:
            with self.gate:
                return run_ensemble(scenario)

        return self.ensembles.get(ensemble_key(scenario), run)

    def summary(self, scenario: Scenario, measures: tuple[str, ...] | None = None
                ) -> pd.DataFrame:
        """:func:`sim.analysis.tables.quantiles` of the ensemble, of ``measures`` only (all
        when None: the table ``sim run`` writes as summary.csv)."""
        from sim.analysis.tables import quantiles

        key = (ensemble_key(scenario), measures)
        return self.summaries.get(key, lambda: quantiles(
            self.ensemble(scenario), None if measures is None else list(measures)))

    def picture(self, chart: charts.Chart, scenario: Scenario, look: Look) -> bytes:
        """``chart`` of the scenario's ensemble as PNG bytes for the screen."""
        key = (ensemble_key(scenario), scenario.name, chart.key, look)

        def draw() -> bytes:
            summary = self.summary(scenario, chart.measures)
            if self.painters is None:
                with self.gate:
                    return charts.screen_png(chart, summary, scenario, look, self.layouts)
            return self.painters.screen_png(chart, summary, scenario, look)  # their own queue

        return self.pictures.get(key, draw)


_shared: Results | None = None
_shared_lock = threading.Lock()


def shared() -> Results:
    """The server's one store of results, for every session (see the module's docstring)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            workers = configured_painters()
            painters = Painters(workers) if workers else None
            if painters is not None:
                painters.start()
            _shared = Results(ensembles=6, summaries=64, pictures=256, painters=painters,
                              gate=threading.Semaphore(os.cpu_count() or 1))
        return _shared
