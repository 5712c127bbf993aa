"""What events do: each month's events become :class:`Acts`, the month's deeds and words.

An act is read from the receiver's side: ``costly[r, i, j]`` is what j did to i that cost j
something (positive: cooperation; negative: defection), ``cheap[r, i, j]`` is what j said to i.
The mechanics (reputation, grievance, threat, ties) turn acts into changes of state. Whether a
stochastic event fires, and whether the patron honours a commitment in a crisis, are drawn from the
event's own random stream (``event:<key>``), so adding an event shifts no other draw.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sim.params import Parameters
from sim.rng import ALIGNMENT, PERCEPTION, Streams
from sim.scenario.events import SECTOR_SALIENCE
from sim.scenario.schema import TimedEvent
from sim.world import SECTORS, Baseline, State


@dataclass
class Acts:
    """One month's acts, per replicate."""

    costly: np.ndarray  # (R, N, N) signed
    cheap: np.ndarray  # (R, N, N) signed
    economic_harm: np.ndarray  # (R, N, N) costly economic defection suffered by i from j
    crisis: np.ndarray  # (R, N) crisis severity at each location
    engagement: np.ndarray  # (R, N, N) new diplomatic engagement of i with j
    ties: np.ndarray  # (R, N, N) new partnership strength, symmetric
    rows: np.ndarray  # replicates in which some event fired; elsewhere every array is zero

    @property
    def quiet(self) -> bool:
        return self.rows.size == 0

    @classmethod
    def none(cls, replicates: int, n: int, rows: np.ndarray) -> Acts:
        def z(*shape: int) -> np.ndarray:
            array = np.zeros((replicates, *shape))
            array.flags.writeable = rows.size > 0  # the shared quiet acts are read-only
            return array
        return cls(z(n, n), z(n, n), z(n, n), z(n), z(n, n), z(n, n), rows)


def stream_of(timed: TimedEvent) -> str:
    return f"event:{timed.key}"


def is_random(timed: TimedEvent) -> bool:
    """Whether the event draws from its own stream: when it fires, or whether a crisis is met."""
    return timed.event.probability is not None or timed.event.type == "security_crisis"


def stream_names(events: list[TimedEvent]) -> list[str]:
    """Every random stream a run of these events draws from."""
    names = [PERCEPTION, ALIGNMENT]
    for e in events:
        if is_random(e):
            names.append(stream_of(e))
    return names


class EventSchedule:
    """The scenario's events, with their firing drawn up front for every replicate and month."""

    def __init__(self, events: list[TimedEvent], base: Baseline, streams: Streams, months: int):
        self.events = events
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
        draws = streams.uniform(stream_of(timed), (months, 2)) if is_random(timed) else None
        fires = np.zeros((r, months), dtype=bool)
        window = slice(timed.first_month, timed.last_month + 1)
        if timed.event.probability is None:
            fires[:, window] = True
        else:
            fires[:, window] = draws[:, window, 0] < timed.event.probability
        honour = draws[:, :, 1] if timed.event.type == "security_crisis" else None
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
        acts = Acts.none(state.trust.shape[0], self.base.size, rows)
        for k in firing:
            honour = self.honour_draws[k]
            context = _Context(self.base, state, acts, params, self.fires[k][:, month],
                               None if honour is None else honour[:, month])
            EFFECTS[self.events[k].event.type](self.events[k].event, context)
        return acts


@dataclass
class _Context:
    base: Baseline
    state: State
    acts: Acts
    params: Parameters
    mask: np.ndarray  # (R,) replicates in which the event fires
    honour_draw: np.ndarray | None  # (R,) uniform draws for a commitment test

    def at(self, code: str) -> int:
        return self.base.index(code)

    def masked(self, value: float | np.ndarray) -> np.ndarray:
        return np.where(self.mask, value, 0.0)


def _tariff(event, c: _Context) -> None:
    """A tariff is a state: the change in its rate is the costly signal (a cut is cooperation)."""
    j, s = c.at(event.by), SECTORS.index(event.sector)
    for code in event.targets:
        i = c.at(code)
        old = c.state.tariffs[:, s, j, i]
        change = c.masked((event.rate - old) * SECTOR_SALIENCE[event.sector])
        c.state.tariffs[:, s, j, i] = np.where(c.mask, event.rate, old)
        c.state.tariff_severity[:, i, j] += change
        c.acts.costly[:, i, j] -= change
        c.acts.economic_harm[:, i, j] += np.maximum(change, 0.0)


def _agreement(event, c: _Context) -> None:
    """Leaving an agreement is a costly defection (and, for a trade pact, an economic harm);
    signing one is costly cooperation."""
    j = c.at(event.by)
    for code in event.targets:
        i = c.at(code)
        if event.action == "withdraw":
            c.acts.costly[:, i, j] -= c.masked(event.severity)
            if event.economic:
                c.acts.economic_harm[:, i, j] += c.masked(event.severity)
        else:
            c.acts.costly[:, i, j] += c.masked(event.severity)


def _investment_block(event, c: _Context) -> None:
    """Scrutiny or a block of the target's investment: a costly economic defection whose weight
    grows with the deal's size (half weight at USD 5 billion; assumption)."""
    j = c.at(event.by)
    base = c.params.block_severity if event.action == "block" else c.params.scrutiny_severity
    severity = c.masked(base * event.value_bn / (event.value_bn + 5.0))
    for code in event.targets:
        i = c.at(code)
        c.acts.costly[:, i, j] -= severity
        c.acts.economic_harm[:, i, j] += severity


def _rhetoric(event, c: _Context) -> None:
    """Cheap talk (Fearon 1997): it counts, but far less than a costly act."""
    sign = 1.0 if event.tone == "positive" else -1.0
    for code in event.targets:
        c.acts.cheap[:, c.at(code), c.at(event.by)] += c.masked(sign * event.intensity)


def _defence_demand(event, c: _Context) -> None:
    """A demand to spend more: it sets the target the ally weighs, and reads as a reproach."""
    j = c.at(event.by)
    for code in event.targets:
        i = c.at(code)
        c.state.demand[:, i] = np.where(c.mask, event.target_pct, c.state.demand[:, i])
        c.acts.cheap[:, i, j] -= c.masked(c.params.demand_reproach)


def _support_cut(event, c: _Context) -> None:
    """The patron withdraws support from a partner: a costly defection others observe."""
    c.acts.costly[:, c.at(event.partner), c.at(event.by)] -= c.masked(
        c.params.support_cut_severity * event.fraction)


def _reassurance(event, c: _Context) -> None:
    """A summit or statement is cheap talk; a deployment or binding pledge is costly."""
    kind = c.acts.costly if event.costly else c.acts.cheap
    for code in event.targets:
        kind[:, c.at(code), c.at(event.by)] += c.masked(event.intensity)


def _reengagement(event, c: _Context) -> None:
    """Two states talk again: engagement rises and each hears the other's goodwill."""
    i, j = c.at(event.actor), c.at(event.partner)
    c.acts.engagement[:, i, j] += c.masked(event.intensity)
    c.acts.cheap[:, i, j] += c.masked(event.intensity)
    c.acts.cheap[:, j, i] += c.masked(event.intensity)


def _security_crisis(event, c: _Context) -> None:
    """A crisis raises threat near its location; where it tests the patron's commitment, the
    patron honours it with the base rate of Leeds, Long & Mitchell 2000, scaled by tier."""
    loc, aggressor, patron = c.at(event.location), c.at(event.by), c.base.patron
    c.acts.crisis[:, loc] += c.masked(event.severity)
    nearby = c.base.proximity[None, loc, :].copy()
    nearby[0, aggressor] = 0.0  # the aggressor does not judge itself
    c.acts.costly[:, :, aggressor] -= c.masked(event.severity)[:, None] * nearby
    if not event.tests_commitment or loc == patron:
        return
    chance = c.params.honour_rate * c.base.honour_factor[loc]
    honoured = c.honour_draw < chance
    c.state.commitment_tests += c.mask
    c.state.commitments_honoured += c.mask & honoured
    # Abandonment in a crisis is the costliest defection; help is costly cooperation.
    c.acts.costly[:, loc, patron] += c.masked(
        np.where(honoured, event.severity, -c.params.support_cut_severity * event.severity))


def _partnership(event, c: _Context) -> None:
    """An agreement among like-minded states strengthens every tie among its members."""
    members = [c.at(code) for code in event.members]
    for i in members:
        for j in members:
            if i != j:
                c.acts.ties[:, i, j] += c.masked(event.strength)
                c.acts.cheap[:, i, j] += c.masked(event.strength)


EFFECTS: dict[str, Callable[[object, _Context], None]] = {
    "tariff": _tariff,
    "agreement": _agreement,
    "investment_block": _investment_block,
    "rhetoric": _rhetoric,
    "defence_demand": _defence_demand,
    "support_cut": _support_cut,
    "reassurance": _reassurance,
    "reengagement": _reengagement,
    "security_crisis": _security_crisis,
    "partnership": _partnership,
}
