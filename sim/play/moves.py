"""A team's move: checked against its menu and the event kind's schema, then made a dated event.

A refused move raises :class:`MoveRefused`, a :class:`~sim.errors.UserError` that names the field
(``where``), what was given and what would be valid, in the words the scenario loader uses
(:mod:`sim.scenario.explain`): "rate must be a number from 0 to 5, got 7".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from sim.errors import UserError
from sim.play.menu import Option, menu, role_of, said, targets
from sim.scenario import Scenario
from sim.scenario.explain import explain, lax_value, shown
from sim.scenario.yamlmarks import dotted


class MoveRefused(UserError):
    """A move that cannot be played: wrong actor, unknown move, out of range, or late."""


@dataclass(frozen=True)
class Move:
    """What a team chose in one round: an option of its menu with its values (``target``
    among them when the option is aimed at someone)."""

    round: int
    actor: str
    option: str
    values: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"round": self.round, "actor": self.actor, "option": self.option,
                "values": dict(self.values)}

    @property
    def target(self) -> str | None:
        return self.values.get("target")


def find_option(actor: str, key: str, scenario: Scenario) -> Option:
    """The option ``key`` of ``actor``'s menu, or a refusal listing the menu."""
    options = menu(actor, scenario)
    if not options:
        raise MoveRefused(f"'{actor}' has no menu: only the patron, the challenger and their "
                          "allies and partners are played by teams", where="actor",
                          valid=", ".join([scenario.patron, scenario.challenger,
                                           *scenario.allies()]))
    for option in options:
        if option.key == key:
            return option
    raise MoveRefused(f"{shown(key)} is not a move for {actor} ({role_of(actor, scenario)})",
                      where="option", valid=", ".join(o.key for o in options))


def checked_values(option: Option, actor: str, values: dict[str, Any],
                   scenario: Scenario) -> dict[str, Any]:
    """The values with defaults filled in, every key known and the target allowed."""
    allowed = ["target"] * (option.targets != "none") + [p.name for p in option.parameters]
    unknown = [k for k in values if k not in allowed]
    if unknown:
        raise MoveRefused(f"{shown(unknown[0])} is not a value of the move '{option.key}'",
                          where=str(unknown[0]), valid=", ".join(allowed) or "no values")
    out = {p.name: values.get(p.name, p.default) for p in option.parameters}
    if option.targets != "none":
        whom = targets(option, actor, scenario)
        target = values.get("target")
        if target not in whom:
            got = "nothing" if target is None else shown(target)
            raise MoveRefused(f"target must be one of the actors {actor} may aim "
                              f"'{option.key}' at, got {got}", where="target",
                              valid="target: one of " + ", ".join(whom))
        out["target"] = target
    return out


def event_of(move: Move, scenario: Scenario, date: dt.date, game: str) -> dict[str, Any] | None:
    """The move as a complete, validated event (plain data) dated ``date``; None for doing
    nothing. Out-of-range values are refused with the schema's own words."""
    option = find_option(move.actor, move.option, scenario)
    values = checked_values(option, move.actor, move.values, scenario)
    if option.kind is None:
        return None
    fields = option.make(move.actor, values.get("target"), values, scenario)
    problem = lax_value(option.kind, fields)  # true/false where a number belongs
    if problem:
        raise _refusal(*problem)
    try:
        option.kind.model_validate({**fields, "date": date})
    except ValidationError as exc:
        raise _refusal(*explain(option.kind, exc.errors()[0])) from None
    target = values.get("target")
    name = "-".join([f"r{move.round}", move.actor, option.event_type] + [target] * bool(target))
    return {"name": name, **fields, "date": date.isoformat(),
            "source": f"the class's move: {said(option, move.actor, target, scenario)}; game "
                      f"'{game}', round {move.round}, team {move.actor} ('{option.title}')"}


def move_words(move: Move, scenario: Scenario) -> str:
    """The move in words, the team that moved first: "CHN courts JPN (re-engagement)"."""
    return said(find_option(move.actor, move.option, scenario), move.actor, move.target,
                scenario)


def _refusal(message: str, path: tuple, valid: str | None) -> MoveRefused:
    return MoveRefused(message, where=dotted(path) or None, valid=valid)
