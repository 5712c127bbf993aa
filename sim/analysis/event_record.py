"""Which events can move anything, and which did: ``sim validate`` warns about the first,
``sim run`` writes the second (``events.csv`` in the run folder).

An event's acts never depend on the mechanics' state (trust, alignment...), only on the baseline,
the parameters, its own random stream and the tariffs and demands that events themselves set. So
replaying the schedule with no mechanics reproduces exactly the acts each event produced in the run,
one event at a time, at the cost of the events alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.engine.mechanics.observation import similarity
from sim.engine.rng import Streams
from sim.engine.schedule import EventSchedule
from sim.engine.world import build_baseline, initial_state
from sim.events import Acts, Context
from sim.scenario import Scenario

ARRAYS = ("costly", "cheap", "economic_harm", "engagement", "ties")


def _size(acts: Acts) -> float:
    """The largest act, of any kind, on anyone."""
    sizes = [np.abs(getattr(acts, name)).max(initial=0.0) for name in ARRAYS]
    return float(max(*sizes, np.abs(acts.crisis).max(initial=0.0)))


def _receivers(acts: Acts, codes: tuple[str, ...]) -> set[str]:
    """States whose evidence or state the acts touch (rows of the pair arrays, crisis sites)."""
    touched = np.zeros(len(codes), dtype=bool)
    for name in ARRAYS:
        touched |= np.abs(getattr(acts, name)).max(axis=(0, 2)) > 0
    touched |= np.abs(acts.crisis).max(axis=0) > 0
    return {codes[i] for i in np.flatnonzero(touched)}


def silent_events(scenario: Scenario) -> list[str]:
    """A warning line for each event that cannot change anything given the mechanisms: applied
    alone to the initial state it produces no act, or its acts land only on states that no other
    state observes and that are neither the patron's allies nor partners (a positive remark to
    Russia)."""
    base = build_baseline(scenario)
    p = scenario.parameters
    watched = similarity(base.dependence, base.like_minded, base.commitment,
                         p.observed_other_tier)
    watched = np.atleast_2d(watched) if watched.ndim == 2 else watched[0]
    lines = []
    for timed in scenario.events:
        state = initial_state(base, 1, p.prior_strength)
        acts = Acts.none(1, base.size, np.array([0]))
        timed.event.apply(Context(base, state, acts, p, np.array([True]), np.array([0.0])))
        who = _receivers(acts, base.codes)
        label = f"event '{timed.key}'"
        if not who and not np.any(state.tariffs) and not np.any(state.demand):
            lines.append(f"warning: {label} changes nothing: it produces no act (check its "
                         "size and targets)")
            continue
        seen = {c for c in who if watched[:, base.index(c)].any()
                or base.commitment[base.index(c)] != "none" or base.index(c) == base.patron}
        if who and not seen:
            lines.append(f"warning: {label} reaches only {', '.join(sorted(who))}, whose "
                         "treatment no other state observes: it moves no ally's trust")
    return lines


def event_record(scenario: Scenario, seed: int, replicates: int) -> pd.DataFrame:
    """Per event: in how many replicates it fired, in how many months on average, the largest
    act it produced, and whom it reached; ``moved`` is whether it produced any act at all (an act
    may still be masked by observation's netting: see the ODD)."""
    base = build_baseline(scenario)
    p = scenario.parameters
    months = scenario.horizon_months
    schedule = EventSchedule(scenario.events, base, Streams(seed, np.arange(replicates)), months)
    state = initial_state(base, replicates, p.prior_strength)
    largest = np.zeros(len(scenario.events))
    reached: list[set[str]] = [set() for _ in scenario.events]
    for t in range(months):
        for k, timed in enumerate(scenario.events):
            mask = schedule.fires[k][:, t]
            if not mask.any():
                continue
            acts = Acts.none(replicates, base.size, np.flatnonzero(mask))
            honour = schedule.honour_draws[k]
            timed.event.apply(Context(base, state, acts, p, mask,
                                      None if honour is None else honour[:, t]))
            largest[k] = max(largest[k], _size(acts))
            reached[k] |= _receivers(acts, base.codes)
    rows = []
    for k, timed in enumerate(scenario.events):
        fires = schedule.fires[k]
        rows.append({"event": timed.key, "type": timed.event.type,
                     "date_known": timed.event.date_known,
                     "fired_replicates": int(fires.any(axis=1).sum()),
                     "mean_months_fired": float(fires.sum(axis=1).mean()),
                     "largest_act": largest[k], "reached": " ".join(sorted(reached[k])),
                     "moved": bool(largest[k] > 0)})
    return pd.DataFrame(rows)
