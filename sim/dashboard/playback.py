"""One run, month by month: the Mesa model stepped on request, with each month's events.

:class:`OneRun` wraps :class:`sim.engine.model.AllianceModel` with one replicate (replicate 0 of
the ensemble with the same seed, so it is one of the runs behind the page's bands). Each
:meth:`OneRun.step` returns a :class:`Month`: the events that fired in it (a random crisis fires
in some runs and not in others) and how each ally's trust in the patron moved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import mesa
import numpy as np

from sim.engine.model import AllianceModel
from sim.scenario import Scenario


@dataclass(frozen=True)
class Happening:
    """An event that fired: its name, kind, by whom and on whom, and its quote if any."""

    key: str
    kind: str
    by: str
    on: str
    quote: str


@dataclass(frozen=True)
class Month:
    """What one step did: the month played (``month`` months are now done; ``date`` is the
    month's first day), its events, and each ally's trust in the patron before and after
    (name, before, after)."""

    month: int
    date: dt.date
    happenings: tuple[Happening, ...]
    trust: tuple[tuple[str, float, float], ...]


class OneRun:
    """One replicate of ``scenario`` stepped a month at a time."""

    def __init__(self, scenario: Scenario, replicate: int = 0):
        self.scenario = scenario
        self.model = AllianceModel(scenario, replicates=1, first_replicate=replicate)
        self.allies = scenario.allies()
        self._patron = self.model.base.index(scenario.patron)
        self._rows = [self.model.base.index(c) for c in self.allies]
        self.log: list[Month] = []  # every month stepped, oldest first

    @property
    def month(self) -> int:
        """Months stepped so far (0 at the start)."""
        return self.model.simulation.month

    @property
    def over(self) -> bool:
        return self.model.simulation.over

    @property
    def date(self) -> dt.date:
        return self.scenario.month_date(self.month)

    def step(self) -> Month:
        """One month; a ``RuntimeError`` once the horizon is reached."""
        t = self.month
        before = self.trust_now()
        self.model.step()
        after = self.trust_now()
        names = [self.scenario.actors[c].name for c in self.allies]
        month = Month(t + 1, self.scenario.month_date(t), self._fired(t),
                      tuple(zip(names, before.tolist(), after.tolist(), strict=True)))
        self.log.append(month)
        return month

    def trust_now(self) -> np.ndarray:
        """Each ally's trust in the patron this month."""
        return self.model.state.trust[0, self._rows, self._patron].copy()

    def trust_so_far(self) -> dict[str, np.ndarray]:
        """Each ally's trust in the patron from the start to this month, by actor code."""
        record = self.model.history.arrays["trust"][:self.month + 1, 0]
        return {code: record[:, row, self._patron].astype(float)
                for code, row in zip(self.allies, self._rows, strict=True)}

    def close(self) -> None:
        """Let the model go (Mesa 3.3.1 keeps every model alive in ``Agent._ids``)."""
        getattr(mesa.Agent, "_ids", {}).pop(self.model, None)

    def _fired(self, t: int) -> tuple[Happening, ...]:
        schedule = self.model.schedule
        out = []
        for timed, fires in zip(schedule.events, schedule.fires, strict=True):
            if fires[0, t]:
                event = timed.event
                on = getattr(event, "targets", None) or [getattr(event, "location", None)]
                # who acts: the patron's "by", or a re-engagement's actor (with its partner)
                by = getattr(event, "by", None) or getattr(event, "actor", None) or ""
                partner = getattr(event, "partner", None)
                out.append(Happening(timed.key, event.type,
                                     f"{by} with {partner}" if by and partner else str(by),
                                     ", ".join(str(x) for x in on if x), event.quote))
        return tuple(out)
