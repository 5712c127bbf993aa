"""Load a scenario file: safe YAML, inheritance through ``extends:``, validation, resolution.

Every problem becomes a :class:`~sim.errors.ScenarioError` naming the file, the line and the key
path, what is wrong and what would be valid. Files are checked one at a time, parent first, so an
error in an inherited file points into that file.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from sim.actors import DEFAULT_ACTORS, ActorSpec
from sim.errors import ScenarioError
from sim.params import ParameterError, Parameters, check_overrides
from sim.scenario.events import ACTOR_FIELDS, EVENT_TYPES, Event
from sim.scenario.schema import Scenario, ScenarioFile, TimedEvent
from sim.scenario.yamlmarks import Marks, dotted, locate, read_yaml

_EVENT = TypeAdapter(Event)
MAX_RESULT_BYTES = 4 * 2**30  # refuse ensembles whose results alone would pass 4 GiB


@dataclass
class _Origin:
    """Where a piece of a resolved scenario was written."""

    file: Path
    marks: Marks
    path: tuple

    def error(self, message: str, sub: tuple = (), valid: str | None = None) -> ScenarioError:
        line, column = locate(self.marks, self.path + sub)
        return ScenarioError(message, file=str(self.file), where=dotted(self.path + sub) or None,
                             line=line, column=column, valid=valid)


@dataclass
class _Draft:
    """The scenario as it is built up, file by file, parent first."""

    scalars: dict[str, Any] = field(default_factory=dict)
    actors: dict[str, ActorSpec] = field(default_factory=lambda: dict(DEFAULT_ACTORS))
    actor_origins: dict[str, _Origin] = field(default_factory=dict)
    parameters: dict[str, float] = field(default_factory=dict)
    events: list[tuple[Any, _Origin]] = field(default_factory=list)


def load_scenario(path: str | Path) -> Scenario:
    """Read, inherit, validate and resolve the scenario at ``path``."""
    path = Path(path)
    draft = _Draft()
    chain = _chain(path, ())
    for file, raw, marks in chain:
        _apply_file(draft, file, raw, marks)
    return _resolve(draft, chain)


def _chain(path: Path, seen: tuple[Path, ...]) -> list[tuple[Path, ScenarioFile, Marks]]:
    """The files from the root ancestor down to ``path``."""
    resolved = path.resolve()
    if resolved in seen:
        cycle = " -> ".join(p.name for p in seen + (resolved,))
        raise ScenarioError(f"circular 'extends': {cycle}", file=str(path),
                            valid="an 'extends' chain that ends in a file with no 'extends'")
    data, marks = read_yaml(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError("a scenario must be a mapping of keys (name, start, events, ...)",
                            file=str(path), line=1, valid="see scenarios/baseline.yml")
    raw = _validate(ScenarioFile, data, _Origin(path, marks, ()))
    parents: list = []
    if raw.extends:
        parent = (path.parent / raw.extends)
        if not parent.exists():
            raise _Origin(path, marks, ("extends",)).error(
                f"the scenario to extend, '{raw.extends}', does not exist",
                valid="a path relative to this file, e.g. baseline.yml")
        parents = _chain(parent, seen + (resolved,))
    return parents + [(path, raw, marks)]


def _apply_file(draft: _Draft, file: Path, raw: ScenarioFile, marks: Marks) -> None:
    for key in ("name", "description", "start", "horizon_months", "seed", "replicates",
                "patron", "challenger"):
        if getattr(raw, key) is not None:
            draft.scalars[key] = getattr(raw, key)
    for code, fields_ in raw.actors.items():
        _apply_actor(draft, code, fields_ or {}, _Origin(file, marks, ("actors", code)))
    try:
        check_overrides(raw.parameters)
    except ParameterError as exc:
        raise _Origin(file, marks, ("parameters", exc.key)).error(
            str(exc), valid="see `python -m sim params` for names, units and ranges")
    draft.parameters.update(raw.parameters)
    dropped = set(raw.remove_events)
    unknown = dropped - {_event_name(e) for e, _ in draft.events}
    if unknown:
        raise _Origin(file, marks, ("remove_events",)).error(
            f"no inherited event is named {sorted(unknown)}",
            valid=", ".join(sorted(n for n in {_event_name(e) for e, _ in draft.events} if n)))
    draft.events = [(e, o) for e, o in draft.events if _event_name(e) not in dropped]
    for i, item in enumerate(raw.events):
        origin = _Origin(file, marks, ("events", i))
        draft.events.append((_validate_event(item, origin), origin))


def _apply_actor(draft: _Draft, code: str, fields_: dict, origin: _Origin) -> None:
    if fields_.get("drop"):
        if code not in draft.actors:
            raise origin.error(f"cannot drop '{code}': no such actor",
                               valid=", ".join(draft.actors))
        del draft.actors[code]
        return
    unknown = set(fields_) - set(ActorSpec.model_fields)
    if unknown:
        key = sorted(unknown)[0]
        raise origin.error(f"unknown actor field '{key}'.{_did_you_mean(key, ActorSpec)}",
                           (key,), valid=", ".join(ActorSpec.model_fields) + ", drop")
    base = draft.actors[code].model_dump() if code in draft.actors else {}
    if not base:
        missing = [k for k, f in ActorSpec.model_fields.items()
                   if f.is_required() and k not in fields_]
        if missing:
            raise origin.error(
                f"new actor '{code}' lacks required fields: {', '.join(missing)}",
                valid="a new actor needs every required field; to change an existing actor use "
                      "one of: " + ", ".join(draft.actors))
    draft.actors[code] = _validate(ActorSpec, {**base, **fields_}, origin)
    draft.actor_origins[code] = origin


def _validate_event(item: Any, origin: _Origin) -> Any:
    if not isinstance(item, dict):
        raise origin.error("an event must be a mapping with a 'type'",
                           valid="e.g. {type: tariff, date: 2025-02-14, ...}")
    kind = item.get("type")
    if kind not in EVENT_TYPES:
        near = difflib.get_close_matches(str(kind), EVENT_TYPES, n=1)
        hint = f" Did you mean '{near[0]}'?" if near else ""
        raise origin.error(f"unknown event type {kind!r}.{hint}", ("type",),
                           valid=", ".join(EVENT_TYPES))
    return _validate(EVENT_TYPES[kind], item, origin)


def _validate(model: type[BaseModel], data: Any, origin: _Origin) -> Any:
    """Validate with pydantic; turn the first error into a located, readable one."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function")))
        key = loc[-1] if loc else None
        if err["type"] == "extra_forbidden":
            fields_ = ", ".join(model.model_fields)
            raise origin.error(f"unknown key '{key}'.{_did_you_mean(str(key), model)}", loc,
                               valid=fields_)
        if err["type"] == "missing":
            raise origin.error(f"missing required key '{key}'", loc,
                               valid=", ".join(model.model_fields))
        got = f" (got {err['input']!r})" if "input" in err and not isinstance(
            err["input"], dict | list) else ""
        raise origin.error(f"{err['msg']}{got}", loc, valid=_valid_hint(model, key))


def _valid_hint(model: type[BaseModel], key: Any) -> str | None:
    info = model.model_fields.get(key) if isinstance(key, str) else None
    if info is None:
        return None
    bounds = [f"{m.__class__.__name__.lower()} {getattr(m, m.__class__.__name__.lower(), '')}"
              for m in info.metadata if hasattr(m, m.__class__.__name__.lower())]
    kind = getattr(info.annotation, "__name__", str(info.annotation)).replace("typing.", "")
    return f"{key}: {kind}" + (f" ({', '.join(bounds)})" if bounds else "")


def _did_you_mean(key: str, model: type[BaseModel]) -> str:
    near = difflib.get_close_matches(key, list(model.model_fields), n=1)
    return f" Did you mean '{near[0]}'?" if near else ""


def _event_name(event: Any) -> str | None:
    return getattr(event, "name", None)


def _resolve(draft: _Draft, chain: list) -> Scenario:
    top_file, _, top_marks = chain[-1]
    top = _Origin(top_file, top_marks, ())
    s = draft.scalars
    for key in ("start", "horizon_months", "seed", "replicates"):
        if key not in s:
            raise top.error(f"missing required key '{key}' (here or in the scenario it extends)",
                            valid="start: 2025-01-01, horizon_months: 48, seed: 1, replicates: 100")
    for role in ("patron", "challenger"):
        code = s.get(role, {"patron": "US", "challenger": "CHN"}[role])
        if code not in draft.actors:
            raise top.error(f"the {role} '{code}' is not an actor", (role,),
                            valid=", ".join(draft.actors))
        s[role] = code
    start = s["start"].replace(day=1)
    scenario = Scenario(
        name=s.get("name") or top_file.stem, description=s.get("description") or "",
        start=start, horizon_months=s["horizon_months"], seed=s["seed"],
        replicates=s["replicates"], patron=s["patron"], challenger=s["challenger"],
        actors=draft.actors, parameters=Parameters().with_overrides(draft.parameters),
        parameter_overrides=draft.parameters, files=[str(f) for f, _, _ in reversed(chain)])
    _check_actor_references(draft)
    events = [_time_event(e, o, scenario, draft) for e, o in draft.events]
    scenario = scenario.model_copy(update={"events": _unique_keys(events)})
    check_size(scenario, top)
    return scenario


def _check_actor_references(draft: _Draft) -> None:
    known = set(DEFAULT_ACTORS) | set(draft.actors)
    for code, origin in draft.actor_origins.items():
        spec = draft.actors.get(code)
        for table in ("trust", "trade", "ties"):
            for other, value in (getattr(spec, table) if spec else {}).items():
                if other not in known:
                    raise origin.error(f"unknown actor '{other}' in {table}", (table, other),
                                       valid=", ".join(sorted(draft.actors)))
                if not 0.0 <= value <= 1.0:
                    raise origin.error(f"{table} must lie between 0 and 1, got {value}",
                                       (table, other), valid="a share between 0 and 1")


def _time_event(event: Any, origin: _Origin, scenario: Scenario, draft: _Draft) -> TimedEvent:
    for key in ACTOR_FIELDS:
        value = getattr(event, key, None)
        for i, code in enumerate([value] if isinstance(value, str) else value or []):
            if code not in draft.actors:
                sub = (key,) if isinstance(value, str) else (key, i)
                raise origin.error(f"unknown actor '{code}'", sub,
                                   valid=", ".join(draft.actors))
    horizon = scenario.horizon_months
    if event.probability is not None:
        first, last = event.window or (0, horizon - 1)
        first, last = _month(first, scenario), _month(last, scenario)
        where = ("window",)
    else:
        first = last = _month(event.date if event.date is not None else event.month, scenario)
        where = ("date",) if event.date is not None else ("month",)
    if not (0 <= first <= last < horizon):
        end = scenario.month_date(horizon - 1)
        raise origin.error(
            f"event falls outside the horizon ({scenario.start} to {end})", where,
            valid=f"dates from {scenario.start} to {end}, or months 0 to {horizon - 1}, "
                  "with a window's first month before its last")
    key = event.name or f"{event.type}@{first}:{_who(event)}"
    return TimedEvent(event=event, key=key, first_month=first, last_month=last)


def _who(event: Any) -> str:
    parts = [getattr(event, k) for k in ACTOR_FIELDS if getattr(event, k, None)]
    return "-".join(p if isinstance(p, str) else "+".join(p) for p in parts)


def _unique_keys(events: list[TimedEvent]) -> list[TimedEvent]:
    seen: dict[str, int] = {}
    out = []
    for e in events:
        seen[e.key] = seen.get(e.key, 0) + 1
        out.append(e if seen[e.key] == 1 else e.model_copy(update={"key": f"{e.key}#{seen[e.key]}"}))
    return out


def _month(when: dt.date | int, scenario: Scenario) -> int:
    if isinstance(when, dt.date):
        return (when.year - scenario.start.year) * 12 + when.month - scenario.start.month
    return when


def check_size(scenario: Scenario, origin: _Origin | None = None) -> None:
    """Refuse ensembles whose results would not fit in memory, before any work starts."""
    n = len(scenario.actors)
    cells = scenario.replicates * (scenario.horizon_months + 1) * n * (4 * n + 12)
    if cells * 8 > MAX_RESULT_BYTES:
        gib = cells * 8 / 2**30
        limit = int(MAX_RESULT_BYTES / 8 / ((scenario.horizon_months + 1) * n * (4 * n + 12)))
        message = (f"{scenario.replicates} replicates x {scenario.horizon_months} months x {n} "
                   f"actors would need about {gib:.0f} GiB of results")
        valid = f"at most {limit} replicates for this horizon and actor set"
        if origin is None:
            raise ScenarioError(message, valid=valid)
        raise origin.error(message, ("replicates",), valid=valid)
