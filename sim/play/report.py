"""What a round did: the teams' moves, the rules' decisions, the scripted events, and how trust in
the patron and both alignments moved per ally (median and 10-90% band over the replicates).

A report is plain data (it is saved with the game and shown by the pages), made from the
:class:`~sim.play.rounds.Run` that played the round.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from sim.play.rounds import Calendar, Run

MEASURES: dict[str, str] = {  # what each row of a report reads, with its scale
    "trust_in_patron": "trust in the patron (share trusting, 0..1)",
    "alignment_economic": "economic alignment (-1 challenger .. +1 patron)",
    "alignment_security": "security alignment (-1 challenger .. +1 patron)",
}
BAND = (10, 50, 90)


def series(run: Run, measure: str, actor: str) -> np.ndarray:
    """(R, months + 1) of one report measure for one actor, in float64."""
    i = run.index(actor)
    if measure == "trust_in_patron":
        values = run.arrays["trust"][:, :, i, run.index(run.scenario.patron)]
    else:
        values = run.arrays[measure][:, :, i]
    return values.T.astype(np.float64)


def band(values: np.ndarray) -> list[float]:
    """[p10, median, p90] of values over replicates."""
    return [float(v) for v in np.percentile(values, BAND)]


@dataclass
class Change:
    """One ally's measure over a round: where it stood, where it ended, and the change."""

    actor: str
    measure: str
    before: list[float]  # [p10, median, p90]
    after: list[float]
    change: list[float]  # of each replicate's change over the round


@dataclass
class RoundReport:
    """The round's account, as plain data."""

    round: int
    months: list[str]  # first and last month, "2025-01"
    moves: list[dict[str, Any]]  # actor, option, title, values
    idle: list[str]  # teams that did not move
    decisions: list[dict[str, Any]] = field(default_factory=list)  # actor, act, target, share
    scripted: list[dict[str, Any]] = field(default_factory=list)  # name, type, month, share
    changes: list[Change] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RoundReport:
        changes = [Change(**c) for c in data.get("changes", [])]
        return cls(**{**data, "changes": changes})

    def change(self, actor: str, measure: str) -> Change:
        return next(c for c in self.changes if c.actor == actor and c.measure == measure)


def changes(run: Run, before: int, after: int, actors: list[str]) -> list[Change]:
    out = []
    for measure in MEASURES:
        for actor in actors:
            values = series(run, measure, actor)
            out.append(Change(actor, measure, band(values[:, before]), band(values[:, after]),
                              band(values[:, after] - values[:, before])))
    return out


def decisions(run: Run) -> list[dict[str, Any]]:
    """What the rules (of actors without a team) decided during the round: in what share of
    replicates each (actor, act, target) was decided at least once."""
    out = []
    for key, after in sorted(run.decided_after.items()):
        made = after - run.decided_before.get(key, np.zeros_like(after))
        if made.any():
            actor, act, target = key
            out.append({"actor": actor, "act": act, "target": target,
                        "share": float(np.mean(made > 0))})
    return out


def scripted_events(run: Run, months: range, move_names: set[str]) -> list[dict[str, Any]]:
    """The scenario's own events that fired in the round, and in what share of replicates."""
    out = []
    for timed, fires in zip(run.scenario.events, run.fires, strict=True):
        if timed.event.name in move_names:
            continue
        fired = fires[:, months.start:months.stop].any(axis=1)
        if fired.any():
            out.append({"name": timed.key, "type": timed.event.type,
                        "month": f"{run.scenario.month_date(_first(fires, months)):%Y-%m}",
                        "share": float(np.mean(fired))})
    return out


def _first(fires: np.ndarray, months: range) -> int:
    return months.start + int(np.flatnonzero(fires[:, months.start:months.stop].any(axis=0))[0])


def round_report(run: Run, calendar: Calendar, k: int, moves: list[dict[str, Any]],
                 teams: list[str], move_names: set[str]) -> RoundReport:
    """The report of round ``k``, from the run that played it (stepped to its end, with the
    decisions counted at its start)."""
    months = calendar.months(k)
    before, after = calendar.record_span(k)
    scenario = run.scenario
    moved = {m["actor"] for m in moves}
    return RoundReport(
        round=k,
        months=[f"{scenario.month_date(months.start):%Y-%m}",
                f"{scenario.month_date(months.stop - 1):%Y-%m}"],
        moves=moves, idle=[t for t in teams if t not in moved],
        decisions=decisions(run), scripted=scripted_events(run, months, move_names),
        changes=changes(run, before, after, scenario.allies()))
