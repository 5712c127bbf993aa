"""The game's scenario: the scenario as scripted, with the teams' actors deciding for themselves.

A game is a scenario plus the class's moves. From the resolved scenario (as plain data,
:meth:`~sim.scenario.Scenario.as_dict`) the game's scenario is made in three steps:

1. the rules of team actors are switched off (``policies:``): the patron's or the challenger's
   rule is removed if a team plays that role, and team allies leave the allies' rule;
2. the scripted decisions of team actors from the game's first month onward are dropped (the team
   decides now; earlier ones stay as history). An event is an actor's decision if the actor is
   its author (``by``), the state that acts (``actor``: re-engagement, arming) or a member of a
   partnership. Security crises are shocks, not decisions, and stay. A stochastic decision whose
   window reaches into the game is cut to end the month before the game starts; its random
   stream (named after the event) keeps its draws, so the months before stay as they were;
3. the class's moves are added as dated events of existing kinds.

Limits, stated here because they are not obvious: rules have no time window, so a team actor's
rule is off from month 0 even when the game starts later (the months before the start then differ
from the scripted scenario only where that rule would have acted); and when a dropped event shares
its name with a kept random one, the kept one's stream key ('x#2') can change.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from typing import Any

import yaml

from sim.calendar import months_between

SHOCKS = ("security_crisis",)  # what happens to actors, not what they choose
DECIDING_FIELDS = ("by", "actor", "members")


def deciders(event: dict[str, Any]) -> list[str]:
    """The actors whose decision an event (as plain data) is; none for a shock."""
    if event["type"] in SHOCKS:
        return []
    found: list[str] = []
    for key in DECIDING_FIELDS:
        value = event.get(key)
        found += [value] if isinstance(value, str) else list(value or [])
    return found


def _month(when: Any, start: dt.date) -> int:
    if isinstance(when, int):
        return when
    return months_between(start, dt.date.fromisoformat(str(when)))


def _kept(event: dict[str, Any], teams: set[str], first_month: int,
          start: dt.date) -> dict[str, Any] | None:
    """The event as the game keeps it: unchanged, cut to end before the game, or None."""
    if not teams & set(deciders(event)):
        return event
    if event.get("probability") is None:
        when = event["date"] if "date" in event else event["month"]
        return event if _month(when, start) < first_month else None
    window = event.get("window")
    first = _month(window[0], start) if window else 0
    if first >= first_month:
        return None
    return {**event, "window": [first, first_month - 1]}


def policies_without(policies: dict[str, Any], teams: set[str], patron: str, challenger: str,
                     allies: list[str]) -> dict[str, Any]:
    """The rules that stay in force when ``teams`` decide for their actors."""
    kept = dict(policies)
    if patron in teams:
        kept.pop("patron", None)
    if challenger in teams:
        kept.pop("challenger", None)
    rule = kept.get("allies")
    if rule is not None:
        actors = [c for c in (rule.get("actors") or allies) if c not in teams]
        if actors:
            kept["allies"] = {**rule, "actors": actors}
        else:
            kept.pop("allies")
    return kept


def game_scenario(scripted: dict[str, Any], teams: Iterable[str], first_month: int,
                  moves: list[dict[str, Any]], name: str, description: str) -> dict[str, Any]:
    """The game's scenario as plain data: ``scripted`` (a resolved scenario's
    :meth:`~sim.scenario.Scenario.as_dict`) with the team actors' rules and later decisions
    removed and ``moves`` (complete events) added."""
    teams = set(teams)
    out = copy.deepcopy(scripted)
    start = dt.date.fromisoformat(str(out["start"]))
    allies = [c for c, spec in out["actors"].items() if spec["role"] in ("ally", "partner")]
    events = [_kept(e, teams, first_month, start) for e in out.get("events", [])]
    out["events"] = [e for e in events if e is not None] + copy.deepcopy(moves)
    policies = policies_without(out.get("policies", {}), teams, out["patron"],
                                out["challenger"], allies)
    out.pop("policies", None)
    if policies:
        out["policies"] = policies
    out.pop("uncertainty", None)  # a game shows noise only
    out["name"], out["description"] = name, description
    return out


def as_yaml(data: dict[str, Any]) -> str:
    """A scenario as YAML text, written as a run folder writes its ``scenario.yml``."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
