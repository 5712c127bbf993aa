"""Rounds in months, and running a game's scenario from the start to the end of a round.

Round k (1-based) covers the months ``first + (k - 1) * length`` to ``first + k * length - 1``
(month 0 is the scenario's start). The record holds the state at the start of each month and one
more, so the state before round k is record index ``first + (k - 1) * length`` and after it
``first + k * length``.

A round is played by re-running the whole game (scripted events and every move so far) from the
start: the numbers then depend only on the game's scenario, so replaying its YAML with
``python -m sim run`` gives them again bit for bit. One :class:`~sim.engine.simulation.Simulation`
steps all the game's replicates together; a 48-month scenario of 100 replicates takes a few tenths
of a second.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.engine.simulation import Simulation
from sim.scenario import Scenario


@dataclass(frozen=True)
class Calendar:
    """When the game's rounds fall: ``rounds`` rounds of ``length`` months from ``first``."""

    first: int
    length: int
    rounds: int

    def months(self, k: int) -> range:
        """The months (indices) of round ``k``."""
        start = self.first + (k - 1) * self.length
        return range(start, start + self.length)

    def record_span(self, k: int) -> tuple[int, int]:
        """Record indices of the state before and after round ``k``."""
        months = self.months(k)
        return months.start, months.stop

    @staticmethod
    def most_rounds(horizon: int, first: int, length: int) -> int:
        return (horizon - first) // length


@dataclass
class Run:
    """A game's scenario stepped to ``month``: the record up to it, and what the rules decided
    by the start of the last round and by its end (per replicate)."""

    scenario: Scenario
    month: int
    arrays: dict[str, np.ndarray]  # (month + 1, R, ...) views of the record
    decided_before: dict[tuple[str, str, str], np.ndarray]
    decided_after: dict[tuple[str, str, str], np.ndarray]
    fires: list[np.ndarray]  # per scripted event, (R, T) whether it fired each month
    codes: tuple[str, ...]

    def index(self, code: str) -> int:
        return self.codes.index(code)


def run_to(scenario: Scenario, replicates: int, seed: int, month: int,
           snapshot: int | None = None) -> Run:
    """Step ``scenario`` (``replicates`` replicates, root seed ``seed``) through months
    ``0 .. month - 1``; copy the decision counts when ``snapshot`` months are done."""
    sim = Simulation(scenario, seed, replicates)
    before: dict[tuple[str, str, str], np.ndarray] = {}
    for t in range(month):
        if t == snapshot:
            before = {k: v.copy() for k, v in sim.decider.counts.items()}
        sim.step()
    if snapshot == month:
        before = {k: v.copy() for k, v in sim.decider.counts.items()}
    arrays = {k: v[:month + 1] for k, v in sim.history.arrays.items()}
    return Run(scenario, month, arrays, before, dict(sim.decider.counts), sim.schedule.fires,
               sim.base.codes)
