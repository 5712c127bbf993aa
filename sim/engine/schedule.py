"""The event schedule: each month, the events that fire become :class:`~sim.events.Acts`.

What each kind of event does is in its own module of :mod:`sim.events`. Whether a stochastic event
fires, and whether the patron honours a commitment in a crisis, are drawn from the event's own
random stream (``event:<key>``), so adding an event shifts no other draw.
"""

from __future__ import annotations

import numpy as np

from sim.engine.rng import ALIGNMENT, PERCEPTION, Streams
from sim.engine.world import Baseline, State
from sim.events import Acts, Context, domain_of
from sim.events.base import apply_in_domain
from sim.evidence.params import Parameters
from sim.scenario.schema import TimedEvent


def stream_of(timed: TimedEvent) -> str:
    return f"event:{timed.key}"


def stream_names(events: list[TimedEvent]) -> list[str]:
    """Every random stream a run of these events draws from."""
    names = [PERCEPTION, ALIGNMENT]
    for e in events:
        if e.event.is_random:
            names.append(stream_of(e))
    return names


class EventSchedule:
    """The scenario's events, with their firing drawn up front for every replicate and month."""

    def __init__(self, events: list[TimedEvent], base: Baseline, streams: Streams, months: int,
                 domains: bool = False):
        self.events = events
        self.domains = domains  # keep the trade domain's acts apart (per-domain reputation)
        self.base = base
        self.fires, self.honour_draws = [], []
        for timed in events:
            fires, honour = self._draws(timed, streams, months)
            self.fires.append(fires)
            self.honour_draws.append(honour)
        self._quiet = Acts.none(len(streams.replicates), base.size, np.array([], dtype=int))

    @staticmethod
    def _draws(timed: TimedEvent, streams: Streams,
               months: int) -> tuple[np.ndarray, np.ndarray | None]:
        """When the event fires (R, T), and for a crisis the draws that decide whether the patron
        honours its commitment (R, T). Both come from the event's own stream."""
        r = len(streams.replicates)
        random = timed.event.is_random
        draws = streams.uniform(stream_of(timed), (months, 2)) if random else None
        fires = np.zeros((r, months), dtype=bool)
        window = slice(timed.first_month, timed.last_month + 1)
        if timed.event.probability is None:
            fires[:, window] = True
        else:
            fires[:, window] = draws[:, window, 0] < timed.event.probability
        honour = draws[:, :, 1] if timed.event.draws_every_month else None
        return fires, honour

    def acts(self, month: int, state: State, params: Parameters) -> Acts:
        """Apply the events that fire this month; return the acts they amount to.

        Most months nothing happens in most replicates: the acts say in which replicates
        something did (``rows``), and the mechanics turn acts into evidence only there. When
        nothing happens anywhere the same all-zero, read-only acts come back.
        """
        firing = [k for k in range(len(self.events)) if self.fires[k][:, month].any()]
        if not firing:
            return self._quiet
        rows = np.flatnonzero(np.logical_or.reduce([self.fires[k][:, month] for k in firing]))
        acts = Acts.none(state.trust.shape[0], self.base.size, rows, self.domains)
        for k in firing:
            honour = self.honour_draws[k]
            context = Context(self.base, state, acts, params, self.fires[k][:, month],
                              None if honour is None else honour[:, month])
            event = self.events[k].event
            apply_in_domain(event.apply, context, domain_of(event))
        return acts
