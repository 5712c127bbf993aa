"""Load a scenario file: safe YAML, inheritance through ``extends:``, validation, resolution.

Every problem becomes a :class:`~sim.errors.ScenarioError` naming the file, the line and the key
path, what is wrong and what would be valid. Files are checked one at a time, parent first, so an
error in an inherited file points into that file. Pydantic's messages are rephrased for students
(see "Explaining validation errors" below): "rate must be a number from 0 to 5, got -0.1", not
"Input should be greater than or equal to 0".
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from sim.actors import DEFAULT_ACTORS, ActorSpec
from sim.errors import ScenarioError
from sim.params import ParameterError, Parameters, check_overrides, declarations
from sim.scenario.events import ACTOR_FIELDS, EVENT_TYPES, EventBase
from sim.scenario.schema import Scenario, ScenarioFile, TimedEvent
from sim.scenario.yamlmarks import Marks, dotted, locate, read_yaml

MAX_RESULT_BYTES = 4 * 2**30  # refuse ensembles whose results alone would pass 4 GiB
_SCALARS = ("name", "description", "start", "horizon_months", "seed", "replicates", "patron",
            "challenger")
_REQUIRED = ("start", "horizon_months", "seed", "replicates")
_DEFAULT_ROLES = {"patron": "US", "challenger": "CHN"}


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
    scalar_origins: dict[str, _Origin] = field(default_factory=dict)  # the file that set each
    actors: dict[str, ActorSpec] = field(default_factory=lambda: dict(DEFAULT_ACTORS))
    actor_origins: dict[str, _Origin] = field(default_factory=dict)
    dropped: dict[str, _Origin] = field(default_factory=dict)
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


# --- Reading files and following 'extends' ---------------------------------------------------


def _chain(path: Path, seen: tuple[Path, ...]) -> list[tuple[Path, ScenarioFile, Marks]]:
    """The files from the root ancestor down to ``path``."""
    data, marks = read_yaml(path)
    top = _Origin(path, marks, ())
    if data is None:
        raise top.error("the file is empty (or holds only comments)",
                        valid="a mapping of keys: " + ", ".join(ScenarioFile.model_fields))
    if not isinstance(data, dict):
        raise top.error(f"a scenario file must be a mapping of keys (name: ..., start: ...), "
                        f"but this one is a {_kind_of(data)}",
                        valid="a mapping of keys: " + ", ".join(ScenarioFile.model_fields))
    raw = _validate(ScenarioFile, data, top)
    if not raw.extends:
        return [(path, raw, marks)]
    parent = _parent_file(path, raw.extends, seen, _Origin(path, marks, ("extends",)))
    return _chain(parent, seen + (path.resolve(),)) + [(path, raw, marks)]


def _parent_file(path: Path, extends: str, seen: tuple[Path, ...], origin: _Origin) -> Path:
    """The file ``extends`` names, checked before it is read so the error points here."""
    parent = path.parent / extends
    if parent.resolve() in seen + (path.resolve(),):
        cycle = " -> ".join(p.name for p in seen + (path.resolve(), parent.resolve()))
        raise origin.error(f"circular 'extends': {cycle}",
                           valid="an 'extends' chain that ends in a file with no 'extends'")
    if not parent.is_file():
        problem = "is a folder" if parent.is_dir() else "does not exist"
        raise origin.error(f"the scenario to extend, '{extends}', {problem} (looked for {parent})",
                           valid="a scenario file's path relative to this file, e.g. baseline.yml")
    return parent


def _kind_of(data: Any) -> str:
    return {list: "list", str: "single text value"}.get(type(data), type(data).__name__)


# --- Applying one file to the draft ----------------------------------------------------------


def _apply_file(draft: _Draft, file: Path, raw: ScenarioFile, marks: Marks) -> None:
    """Lay one file over what its ancestors said: scalars, actors, parameters, events."""
    top = _Origin(file, marks, ())
    for key in _SCALARS:
        if getattr(raw, key) is not None:
            draft.scalars[key] = getattr(raw, key)
            draft.scalar_origins[key] = top
    for code, fields_ in raw.actors.items():
        _apply_actor(draft, code, dict(fields_ or {}), _Origin(file, marks, ("actors", code)))
    _apply_parameters(draft, raw.parameters, top)
    _remove_events(draft, raw.remove_events, top)
    for i, item in enumerate(raw.events):
        origin = _Origin(file, marks, ("events", i))
        draft.events.append((_validate_event(item, origin), origin))


def _apply_parameters(draft: _Draft, overrides: dict[str, Any], top: _Origin) -> None:
    try:
        check_overrides(overrides)
    except ParameterError as exc:
        declared = {row["name"]: row for row in declarations()}
        row = declared.get(exc.key)
        valid = (f"{exc.key}: a number from {row['low']:g} to {row['high']:g} ({row['unit']})"
                 if row else ", ".join(declared))
        # check_overrides appends the whole list of names to its message; here it goes in 'valid'
        message = str(exc).split(" Valid parameters:")[0]
        raise top.error(message, ("parameters", exc.key), valid=valid) from None
    draft.parameters.update(overrides)


def _remove_events(draft: _Draft, names: list[str], top: _Origin) -> None:
    """Leave out inherited events by name; a name that matches nothing is a typo, not a no-op."""
    inherited = sorted({n for n in (_event_name(e) for e, _ in draft.events) if n})
    for i, name in enumerate(names):
        if name not in inherited:
            near = difflib.get_close_matches(name, inherited, n=1)
            hint = f". Did you mean '{near[0]}'?" if near else ""
            raise top.error(f"no inherited event is named '{name}'{hint}", ("remove_events", i),
                            valid=", ".join(inherited) if inherited else
                            "nothing: this file inherits no named events")
    draft.events = [(e, o) for e, o in draft.events if _event_name(e) not in names]


def _apply_actor(draft: _Draft, code: str, fields_: dict, origin: _Origin) -> None:
    """Change an actor (some fields), add one (all required fields) or drop it (drop: true)."""
    drop = fields_.pop("drop", False)
    if not isinstance(drop, bool):
        raise origin.error(f"drop must be true or false, got {_shown(drop)}", ("drop",),
                           valid="drop: true (to remove the actor)")
    if drop:
        _drop_actor(draft, code, fields_, origin)
        return
    unknown = [k for k in fields_ if k not in ActorSpec.model_fields]
    if unknown:
        key = unknown[0]
        raise origin.error(f"unknown actor field '{key}'{_did_you_mean(key, ActorSpec)}", (key,),
                           valid=", ".join(ActorSpec.model_fields) + ", drop")
    base = draft.actors[code].model_dump() if code in draft.actors else {}
    if not base:
        _check_new_actor(draft, code, fields_, origin)
    merged = {**base, **fields_}
    for table in ("trust", "trade", "ties"):  # a change to one partner keeps the others
        if base and isinstance(fields_.get(table), dict):
            merged[table] = {**base[table], **fields_[table]}
    draft.actors[code] = _validate(ActorSpec, merged, origin)
    draft.actor_origins[code] = origin


def _drop_actor(draft: _Draft, code: str, fields_: dict, origin: _Origin) -> None:
    if fields_:
        raise origin.error(f"'drop: true' removes '{code}', so its other fields "
                           f"({', '.join(fields_)}) make no sense", ("drop",),
                           valid=f"{code}: {{drop: true}} alone, or the fields without 'drop'")
    if code not in draft.actors:
        raise origin.error(f"cannot drop '{code}': no such actor", ("drop",),
                           valid=", ".join(draft.actors))
    del draft.actors[code]
    draft.actor_origins.pop(code, None)
    draft.dropped[code] = origin


def _check_new_actor(draft: _Draft, code: str, fields_: dict, origin: _Origin) -> None:
    missing = [k for k, f in ActorSpec.model_fields.items() if f.is_required() and k not in fields_]
    if missing:
        near = difflib.get_close_matches(code, list(draft.actors), n=1)
        hint = f" (did you mean the existing actor '{near[0]}'?)" if near else ""
        raise origin.error(
            f"'{code}' is a new actor{hint} and lacks required fields: {', '.join(missing)}",
            valid="; ".join(_hint((k,), ActorSpec.model_fields[k],
                                  ActorSpec.model_fields[k].annotation) or k for k in missing)
            + ". To change an existing actor instead, use one of: " + ", ".join(draft.actors))


def _validate_event(item: dict, origin: _Origin) -> EventBase:
    kind = item.get("type")
    if kind is None:
        raise origin.error("this event has no 'type'", valid=", ".join(EVENT_TYPES))
    if not isinstance(kind, str) or kind not in EVENT_TYPES:
        near = difflib.get_close_matches(str(kind), EVENT_TYPES, n=1)
        hint = f". Did you mean '{near[0]}'?" if near else ""
        raise origin.error(f"unknown event type {_shown(kind)}{hint}", ("type",),
                           valid=", ".join(EVENT_TYPES))
    return _validate(EVENT_TYPES[kind], item, origin)


def _event_name(event: Any) -> str | None:
    return getattr(event, "name", None)


# --- Explaining validation errors ------------------------------------------------------------
# Self-contained: each function returns a problem as (message, key path, what is valid), and
# _validate turns it into a located ScenarioError. Pydantic's own words ("Input should be greater
# than or equal to 0", "constrained-int", "Tuple should have at most 2 items") confuse students.

Problem = tuple[str, tuple, str | None]
_TIMING_HINT = ("date: 2025-02-14, or month: 3 (months after the start), or probability: 0.02 "
                "(chance per month) with an optional window: [2025-06-01, 2027-12-01]")


def _validate(model: type[BaseModel], data: Any, origin: _Origin) -> Any:
    """Validate with pydantic; turn the most useful error into a located, readable one."""
    problem = _lax_value(model, data)
    if problem:
        raise origin.error(*problem)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        # A misspelt key also shows up as a missing one; the misspelling is the cause.
        err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        raise origin.error(*_explain(model, err)) from None


def _lax_value(model: type[BaseModel], data: Any) -> Problem | None:
    """True/false where a number belongs, or a number where a date belongs.

    Pydantic's lax mode would take ``rate: true`` as 1 and ``start: 0`` as 1970-01-01, so a slip
    would silently change a result instead of failing.
    """
    for path, value in _leaves(model, data, ()):
        info, annotation = _field_at(model, path)
        kinds = set(_members(annotation))
        wrong_bool = isinstance(value, bool) and kinds & {int, float, dt.date} and bool not in kinds
        number_for_date = (isinstance(value, int | float) and not isinstance(value, bool)
                           and dt.date in kinds and not kinds & {int, float})
        if wrong_bool or number_for_date:
            return (f"{dotted(path)} must be {_describe(annotation, _meta(info, annotation))}, "
                    f"got {_shown(value)}", path, _hint(path, info, annotation))
    return None


def _leaves(annotation: Any, value: Any, path: tuple) -> typing.Iterator[tuple[tuple, Any]]:
    """Every scalar in ``value`` with its path, following the declared structure."""
    annotation = _unwrap(annotation)
    if _is_model(annotation) and isinstance(value, dict):
        for key, item in value.items():
            if key in annotation.model_fields:
                yield from _leaves(annotation.model_fields[key].annotation, item, path + (key,))
    elif isinstance(value, list | dict):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            yield from _leaves(_item_type(annotation, key), item, path + (key,))
    else:
        yield path, value


def _explain(model: type[BaseModel], err: dict) -> Problem:
    """One pydantic error in plain words, with what would be valid."""
    loc = _clean_loc(model, err["loc"])
    kind, got = err["type"], err.get("input")
    if kind == "extra_forbidden":
        owner = _model_at(model, loc[:-1])
        return (f"unknown key '{loc[-1]}'{_did_you_mean(str(loc[-1]), owner)}", loc,
                ", ".join(_field_names(owner)))
    if kind in ("value_error", "assertion_error"):
        # our validators' messages are plain already; the event-wide one is about timing
        timing = issubclass(model, EventBase) and not loc
        return str(err["ctx"]["error"]), loc, _TIMING_HINT if timing else None
    if kind == "invalid_key" or loc and loc[-1] == "[key]":
        # YAML reads NO, yes, on, off as true/false and digits as numbers, even as keys
        parent = loc[:-2] if loc and loc[-1] == "[key]" else loc[:-1]
        inside = f" in {dotted(parent)}" if parent else ""
        return (f"the key {_shown(got)}{inside} must be text", parent,
                "put such a key in quotes, e.g. 'NO': ... (YAML reads NO, yes, on, off as "
                "true/false and digits as numbers)")
    if kind == "missing" and loc and isinstance(loc[-1], int):  # too few items for a tuple
        loc = loc[:-1]
    info, annotation = _field_at(model, loc)
    return _wrong_value(kind, loc, got, info, annotation, err.get("ctx", {}))


def _wrong_value(kind: str, loc: tuple, got: Any, info: FieldInfo | None, annotation: Any,
                 ctx: dict) -> Problem:
    """'rate must be a number from 0 to 5, got -0.1', or what is missing or too long."""
    subject = dotted(loc) or "this"
    if kind == "missing" and typing.get_origin(_unwrap(annotation)) is tuple:
        message = f"{subject} needs {len(typing.get_args(_unwrap(annotation)))} values"
    elif kind == "missing":
        message = f"missing required key '{loc[-1]}'"
    elif kind in ("too_short", "too_long"):
        message = f"{subject} has {ctx['actual_length']} items"
    else:
        message = f"{subject} must be {_describe(annotation, _meta(info, annotation))}"
        message += f", got {_shown(got)}"
        if kind == "literal_error":
            message += _did_you_mean_value(got, annotation)
        if kind.startswith("date") and "outside expected range" in str(ctx.get("error")):
            message += f" ({ctx['error']})"  # a quoted '2025-13-01': name the bad part
    return message, loc, _hint(loc, info, annotation)


def _clean_loc(model: type[BaseModel], loc: tuple) -> tuple:
    """Drop pydantic's own loc parts (the union member tried, validator names)."""
    clean: list = []
    for part in loc:
        _, annotation = _field_at(model, tuple(clean))
        is_union = len(_members(annotation)) > 1
        if isinstance(part, str) and (is_union or part.startswith("function-")):
            continue
        clean.append(part)
    return tuple(clean)


def _field_at(model: type[BaseModel], path: tuple) -> tuple[FieldInfo | None, Any]:
    """The innermost declared field on ``path`` and the type expected at its end."""
    info, annotation = None, model
    for part in path:
        annotation = _unwrap(annotation)
        if _is_model(annotation):
            info = annotation.model_fields.get(part) if isinstance(part, str) else None
            annotation = info.annotation if info else None
        else:
            annotation = _item_type(annotation, part)
    return info, annotation


def _model_at(model: type[BaseModel], path: tuple) -> type[BaseModel]:
    annotation = _unwrap(_field_at(model, path)[1])
    return annotation if _is_model(annotation) else model


def _unwrap(annotation: Any) -> Any:
    """``X | None`` -> X and ``Annotated[X, ...]`` -> X; a real union stays as it is."""
    members = _members(annotation)
    return members[0] if len(members) == 1 else annotation


def _members(annotation: Any) -> list:
    """The types a value may take: ``date | Annotated[int, ...] | None`` -> [date, int]."""
    if typing.get_origin(annotation) is Annotated:
        return _members(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [m for a in typing.get_args(annotation) if a is not type(None)
                for m in _members(a)]
    return [annotation] if annotation is not None else []


def _item_type(annotation: Any, key: Any) -> Any:
    """The type of one item of a list, tuple or mapping annotation."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is list and args:
        return args[0]
    if origin is tuple and isinstance(key, int) and key < len(args):
        return args[key]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _field_names(model: type[BaseModel]) -> list[str]:
    """An event's own fields first, then the timing fields all events share."""
    names = list(model.model_fields)
    if issubclass(model, EventBase):
        shared = set(EventBase.model_fields)
        names = [n for n in names if n not in shared] + [n for n in names if n in shared]
    return names


def _hint(path: tuple, info: FieldInfo | None, annotation: Any) -> str | None:
    """'rate: a number from 0 to 5 (0.25 = 25 per cent)'."""
    if annotation is None:
        return None
    text = f"{dotted(path) or 'value'}: {_describe(annotation, _meta(info, annotation))}"
    return text + (f" ({info.description})" if info and info.description else "")


def _meta(info: FieldInfo | None, annotation: Any) -> list:
    """A field's constraints (ge, le, min_length), if ``annotation`` is the field's own type."""
    return list(info.metadata) if info is not None and annotation is info.annotation else []


def _describe(annotation: Any, metadata: list | None = None) -> str:
    """What a type accepts, in words, with its range: 'a number from 0 to 5'."""
    metadata = list(metadata or [])
    if typing.get_origin(annotation) is Annotated:
        for extra in typing.get_args(annotation)[1:]:
            metadata += extra.metadata if isinstance(extra, FieldInfo) else [extra]
        annotation = typing.get_args(annotation)[0]
    options = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return " or ".join(_describe(a, metadata if len(options) == 1 else None) for a in options)
    return _describe_one(annotation, metadata)


def _describe_one(annotation: Any, metadata: list) -> str:
    bounds = _bounds(metadata)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    simple = {bool: "true or false", int: "a whole number" + bounds, float: "a number" + bounds,
              str: "text", dt.date: "a date (YYYY-MM-DD, e.g. 2025-02-14)", Any: "a value"}
    if annotation in simple:
        return simple[annotation]
    if origin is Literal:
        return "one of " + ", ".join(str(a) for a in args)
    if origin is tuple and len(set(args)) == 1:
        return f"a list of {len(args)} values, each {_describe(args[0])}"
    if origin is tuple:
        return f"a list of {len(args)} values, [" + ", ".join(_describe(a) for a in args) + "]"
    if origin is list and args and _is_model(args[0]):
        return "a list of mappings with keys " + ", ".join(args[0].model_fields)
    if origin is list:
        each = f", each {_describe(args[0])}" if args and _is_scalar(args[0]) else ""
        return "a list" + _min_items(metadata) + each
    if origin is dict:
        scalar = len(args) == 2 and _is_scalar(args[1])
        each = f", each value {_describe(args[1])}" if scalar else ""
        return "a mapping (key: value)" + each
    if _is_model(annotation):
        return "a mapping with keys " + ", ".join(annotation.model_fields)
    return getattr(annotation, "__name__", str(annotation))


def _is_scalar(annotation: Any) -> bool:
    return all(m in (bool, int, float, str, dt.date) for m in _members(annotation))


def _bounds(metadata: list) -> str:
    """' from 0 to 5', ' of at least 1', ' greater than 0'; '' without bounds."""
    found = {name: _number(getattr(m, name)) for m in metadata
             for name in ("ge", "gt", "le", "lt") if hasattr(m, name)}
    if "ge" in found and "le" in found:
        return f" from {found['ge']} to {found['le']}"
    words = {"ge": "at least", "gt": "greater than", "le": "at most", "lt": "less than"}
    parts = [f"{words[name]} {value}" for name, value in found.items()]
    return " of " + " and ".join(parts) if parts else ""


def _number(value: float) -> str:
    """0.0 -> '0', 1e6 -> '1,000,000', 0.995 -> '0.995'."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:g}"


def _min_items(metadata: list) -> str:
    """' of at least 2 items' for a list with a minimum length; '' otherwise."""
    sizes = [m.min_length for m in metadata if getattr(m, "min_length", None)]
    return f" of at least {sizes[0]} item" + ("s" if sizes[0] != 1 else "") if sizes else ""


def _shown(value: Any) -> str:
    """A value as the student wrote it: true, 2025-02-14, 'high'."""
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "nothing"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict | list) and len(repr(value)) > 60:
        return "a list" if isinstance(value, list) else "a mapping"
    return repr(value)


def _did_you_mean(key: str, model: type[BaseModel]) -> str:
    near = difflib.get_close_matches(key, list(model.model_fields), n=1)
    return f". Did you mean '{near[0]}'?" if near else ""


def _did_you_mean_value(value: Any, annotation: Any) -> str:
    options = [str(a) for a in typing.get_args(_unwrap(annotation))]
    near = difflib.get_close_matches(str(value), options, n=1)
    return f". Did you mean '{near[0]}'?" if near else ""


# --- Resolving the draft into a Scenario -----------------------------------------------------


def _resolve(draft: _Draft, chain: list) -> Scenario:
    top_file, _, top_marks = chain[-1]
    top = _Origin(top_file, top_marks, ())
    s = draft.scalars
    for key in _REQUIRED:
        if key not in s:
            raise top.error(f"missing required key '{key}' (here or in the scenario it extends)",
                            valid="start: 2025-01-01, horizon_months: 48, seed: 1, replicates: 100")
    roles = {role: _role_actor(draft, role, top) for role in _DEFAULT_ROLES}
    start = s["start"].replace(day=1)
    scenario = Scenario(
        name=s.get("name") or top_file.stem, description=s.get("description") or "",
        start=start, horizon_months=s["horizon_months"], seed=s["seed"],
        replicates=s["replicates"], patron=roles["patron"], challenger=roles["challenger"],
        actors=draft.actors, parameters=Parameters().with_overrides(draft.parameters),
        parameter_overrides=draft.parameters, files=[str(f) for f, _, _ in reversed(chain)])
    _check_actor_references(draft)
    events = [_time_event(e, o, scenario, draft) for e, o in draft.events]
    scenario = scenario.model_copy(update={"events": _unique_keys(events)})
    check_size(scenario, draft.scalar_origins["replicates"])
    return scenario


def _role_actor(draft: _Draft, role: str, top: _Origin) -> str:
    """The patron's or challenger's code, which must still be an actor."""
    code = draft.scalars.get(role, _DEFAULT_ROLES[role])
    if code in draft.actors:
        return code
    if code in draft.dropped:
        raise draft.dropped[code].error(
            f"cannot drop '{code}': it is the {role}", ("drop",),
            valid=f"keep {code}, or name another {role} with '{role}: CODE'")
    raise draft.scalar_origins.get(role, top).error(
        f"the {role} '{code}' is not an actor", (role,), valid=", ".join(draft.actors))


def _check_actor_references(draft: _Draft) -> None:
    known = set(DEFAULT_ACTORS) | set(draft.actors)
    for code, origin in draft.actor_origins.items():
        spec = draft.actors[code]
        for table in ("trust", "trade", "ties"):
            for other, value in getattr(spec, table).items():
                if other not in known:
                    raise origin.error(f"unknown actor '{other}' in {table}", (table, other),
                                       valid=", ".join(sorted(draft.actors)))
                if not 0.0 <= value <= 1.0:  # also catches nan
                    raise origin.error(f"{table}.{other} must be a number from 0 to 1, "
                                       f"got {value}", (table, other),
                                       valid=f"{table}.{other}: a number from 0 to 1 (a share)")


def _time_event(event: Any, origin: _Origin, scenario: Scenario, draft: _Draft) -> TimedEvent:
    _check_event_actors(event, origin, draft)
    if event.probability is not None:
        first, last = event.window or (0, scenario.horizon_months - 1)
        first, last = _month(first, scenario), _month(last, scenario)
        if first > last:
            raise origin.error(
                f"the window starts in {_when(first, scenario)}, after it ends in "
                f"{_when(last, scenario)}", ("window",),
                valid="window: [first, last] with first not after last")
        _check_in_horizon(first, ("window", 0), event, origin, scenario, draft)
        _check_in_horizon(last, ("window", 1), event, origin, scenario, draft)
    else:
        first = last = _month(event.date if event.date is not None else event.month, scenario)
        where = ("date",) if event.date is not None else ("month",)
        _check_in_horizon(first, where, event, origin, scenario, draft)
    key = event.name or f"{event.type}@{first}:{_who(event)}"
    return TimedEvent(event=event, key=key, first_month=first, last_month=last)


def _check_event_actors(event: Any, origin: _Origin, draft: _Draft) -> None:
    for key in ACTOR_FIELDS:
        value = getattr(event, key, None)
        for i, code in enumerate([value] if isinstance(value, str) else value or []):
            if code in draft.actors:
                continue
            sub = (key,) if isinstance(value, str) else (key, i)
            dropped = draft.dropped.get(code)
            why = (f" ('{code}' is dropped in {dropped.file.name}, line "
                   f"{locate(dropped.marks, dropped.path)[0]})" if dropped else "")
            near = difflib.get_close_matches(str(code), list(draft.actors), n=1)
            hint = f". Did you mean '{near[0]}'?" if near and not dropped else ""
            raise origin.error(f"unknown actor '{code}'{why}{hint}", sub,
                               valid=", ".join(draft.actors))


def _check_in_horizon(month: int, where: tuple, event: Any, origin: _Origin,
                      scenario: Scenario, draft: _Draft) -> None:
    """An event must fall in months 0 .. horizon-1; say where the horizon was set if elsewhere."""
    horizon = scenario.horizon_months
    if 0 <= month < horizon:
        return
    end = scenario.month_date(horizon - 1)
    message = (f"{_when(month, scenario)} is outside the scenario's horizon "
               f"({scenario.start:%Y-%m} to {end:%Y-%m}, months 0 to {horizon - 1})")
    setter = draft.scalar_origins["horizon_months"]
    if setter.file != origin.file:
        message += f"; horizon_months: {horizon} is set in {setter.file.name}"
    valid = f"a date from {scenario.start:%Y-%m} to {end:%Y-%m}, or a month from 0 to {horizon - 1}"
    if event.name and origin.file != setter.file:
        valid += f"; or leave the event out with remove_events: [{event.name}]"
    raise origin.error(message, where, valid=valid)


def _when(month: int, scenario: Scenario) -> str:
    """'2027-01 (month 24)'."""
    total = scenario.start.year * 12 + scenario.start.month - 1 + month
    return f"{total // 12}-{total % 12 + 1:02d} (month {month})"


def _who(event: Any) -> str:
    parts = [getattr(event, k) for k in ACTOR_FIELDS if getattr(event, k, None)]
    return "-".join(p if isinstance(p, str) else "+".join(p) for p in parts)


def _unique_keys(events: list[TimedEvent]) -> list[TimedEvent]:
    seen: dict[str, int] = {}
    out = []
    for e in events:
        seen[e.key] = seen.get(e.key, 0) + 1
        n = seen[e.key]
        out.append(e if n == 1 else e.model_copy(update={"key": f"{e.key}#{n}"}))
    return out


def _month(when: dt.date | int, scenario: Scenario) -> int:
    if isinstance(when, dt.date):
        return (when.year - scenario.start.year) * 12 + when.month - scenario.start.month
    return when


def check_size(scenario: Scenario, origin: _Origin | None = None) -> None:
    """Refuse ensembles whose results would not fit in memory, before any work starts."""
    n = len(scenario.actors)
    per_replicate = (scenario.horizon_months + 1) * n * (4 * n + 12)
    cells = scenario.replicates * per_replicate
    if cells * 8 <= MAX_RESULT_BYTES:
        return
    limit = int(MAX_RESULT_BYTES / 8 / per_replicate)
    message = (f"{scenario.replicates} replicates x {scenario.horizon_months} months x {n} "
               f"actors would need about {cells * 8 / 2**30:.0f} GiB of results, more than the "
               f"{MAX_RESULT_BYTES // 2**30} GiB allowed")
    valid = f"at most {limit} replicates for this horizon and actor set"
    if origin is None:  # the number came from the command line (--replicates) or from code
        raise ScenarioError(message, valid=valid + " (--replicates or the scenario's replicates)")
    raise origin.error(message, ("replicates",), valid=valid)
