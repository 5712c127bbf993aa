"""Settings laid over a resolved scenario: ``--set name=value`` and the points of a sweep.

A setting names a global parameter (``forgetting``) or an actor's value (``JPN.dependence``). It is
checked exactly as the same value in a scenario file would be: the parameter's declared range, the
actor field's bounds. The resolved scenario keeps the values, so the scenario a run folder records
reproduces the run.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import ValidationError

from sim.errors import UserError
from sim.evidence.actors import ActorSpec
from sim.evidence.params import ParameterError, names
from sim.scenario.schema import Scenario

# Actor fields that are numbers, so they can be set and swept (identity and lists cannot).
ACTOR_NUMBERS = tuple(name for name, info in ActorSpec.model_fields.items()
                      if info.annotation is float)


def split_name(name: str, scenario: Scenario) -> tuple[str | None, str]:
    """(actor code, field) for ``JPN.dependence``; (None, name) for a global parameter, checked."""
    code, dot, field = name.partition(".")
    if not dot:
        if name not in names():
            raise UserError(f"unknown parameter '{name}'{_guess(name, names())}",
                            valid="a parameter of `python -m sim params`, or ACTOR.FIELD")
        return None, name
    if code not in scenario.actors:
        raise UserError(f"unknown actor '{code}' in '{name}'{_guess(code, scenario.actors)}",
                        valid=", ".join(scenario.actors))
    if field not in ACTOR_NUMBERS:
        raise UserError(f"'{field}' is not a number an actor has{_guess(field, ACTOR_NUMBERS)}",
                        valid=", ".join(ACTOR_NUMBERS))
    return code, field


def load_with_settings(path: str | Path, settings: Sequence[tuple[str, float]]) -> Scenario:
    """A scenario file with ``--set`` settings laid over it."""
    from sim.scenario.loader import load_scenario  # the loader checks names with split_name

    scenario = load_scenario(path)
    return apply_settings(scenario, dict(settings)) if settings else scenario


def apply_settings(scenario: Scenario, settings: Mapping[str, float],
                   origin: str = "--set") -> Scenario:
    """The scenario with each setting applied; a :class:`UserError` names the first bad one."""
    chosen: dict[str, float] = {}
    actors = dict(scenario.actors)
    for name, value in settings.items():
        code, field = split_name(name, scenario)
        if code is None:
            chosen[field] = value
            continue
        try:
            actors[code] = ActorSpec.model_validate({**actors[code].model_dump(), field: value})
        except ValidationError as exc:
            reason = exc.errors()[0]["msg"]
            raise UserError(f"{origin} {name}={value}: {reason}",
                            valid=_field_range(field)) from None
    try:
        parameters = scenario.parameters.with_overrides(chosen)
    except ParameterError as exc:
        raise UserError(f"{origin} {exc}") from None
    return scenario.model_copy(update={
        "parameters": parameters, "actors": actors,
        "parameter_overrides": {**scenario.parameter_overrides, **chosen}})


def _field_range(field: str) -> str:
    info = ActorSpec.model_fields[field]
    bounds = {type(m).__name__: m for m in info.metadata}
    low = getattr(bounds.get("Ge"), "ge", None)
    high = getattr(bounds.get("Le"), "le", None)
    return f"{field}: a number from {low} to {high}" if low is not None else f"{field}: a number"


def _guess(name: str, choices) -> str:
    near = difflib.get_close_matches(name, list(choices), n=1)
    return f"; did you mean '{near[0]}'?" if near else ""
