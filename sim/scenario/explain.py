"""Explaining validation errors in words a student can act on.

Pydantic's own words ("Input should be greater than or equal to 0", "constrained-int", "Tuple should
have at most 2 items") confuse students. Each function here returns a problem as (message, key
path, what is valid); the loader turns it into a located :class:`~sim.errors.ScenarioError`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from typing import Annotated, Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from sim.events import EventBase
from sim.scenario.yamlmarks import dotted

Problem = tuple[str, tuple, str | None]
_TIMING_HINT = ("date: 2025-02-14, or month: 3 (months after the start), or probability: 0.02 "
                "(chance per month) with an optional window: [2025-06-01, 2027-12-01]")


def lax_value(model: type[BaseModel], data: Any) -> Problem | None:
    """True/false where a number belongs, or a number where a date belongs.

    Pydantic's lax mode would take ``rate: true`` as 1 and ``start: 0`` as 1970-01-01, so a slip
    would silently change a result instead of failing.
    """
    for path, value in _leaves(model, data, ()):
        info, annotation = field_at(model, path)
        kinds = set(_members(annotation))
        wrong_bool = isinstance(value, bool) and kinds & {int, float, dt.date} and bool not in kinds
        number_for_date = (isinstance(value, int | float) and not isinstance(value, bool)
                           and dt.date in kinds and not kinds & {int, float})
        if wrong_bool or number_for_date:
            return (f"{dotted(path)} must be {_describe(annotation, _meta(info, annotation))}, "
                    f"got {shown(value)}", path, hint(path, info, annotation))
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


def explain(model: type[BaseModel], err: dict) -> Problem:
    """One pydantic error in plain words, with what would be valid."""
    loc = _clean_loc(model, err["loc"])
    kind, got = err["type"], err.get("input")
    if kind == "extra_forbidden":
        owner = _model_at(model, loc[:-1])
        return (f"unknown key '{loc[-1]}'{did_you_mean(str(loc[-1]), owner)}", loc,
                ", ".join(_field_names(owner)))
    if kind in ("value_error", "assertion_error"):
        # our validators' messages are plain already; the event-wide one is about timing
        timing = issubclass(model, EventBase) and not loc
        return str(err["ctx"]["error"]), loc, _TIMING_HINT if timing else None
    if kind == "invalid_key" or loc and loc[-1] == "[key]":
        # YAML reads NO, yes, on, off as true/false and digits as numbers, even as keys
        parent = loc[:-2] if loc and loc[-1] == "[key]" else loc[:-1]
        inside = f" in {dotted(parent)}" if parent else ""
        return (f"the key {shown(got)}{inside} must be text", parent,
                "put such a key in quotes, e.g. 'NO': ... (YAML reads NO, yes, on, off as "
                "true/false and digits as numbers)")
    if kind == "missing" and loc and isinstance(loc[-1], int):  # too few items for a tuple
        loc = loc[:-1]
    info, annotation = field_at(model, loc)
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
        message += f", got {shown(got)}"
        if kind == "literal_error":
            message += _did_you_mean_value(got, annotation)
        if kind.startswith("date") and "outside expected range" in str(ctx.get("error")):
            message += f" ({ctx['error']})"  # a quoted '2025-13-01': name the bad part
    return message, loc, hint(loc, info, annotation)


def _clean_loc(model: type[BaseModel], loc: tuple) -> tuple:
    """Drop pydantic's own loc parts (the union member tried, validator names)."""
    clean: list = []
    for part in loc:
        _, annotation = field_at(model, tuple(clean))
        is_union = len(_members(annotation)) > 1
        if isinstance(part, str) and (is_union or part.startswith("function-")):
            continue
        clean.append(part)
    return tuple(clean)


def field_at(model: type[BaseModel], path: tuple) -> tuple[FieldInfo | None, Any]:
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
    annotation = _unwrap(field_at(model, path)[1])
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


def hint(path: tuple, info: FieldInfo | None, annotation: Any) -> str | None:
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


def shown(value: Any) -> str:
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


def did_you_mean(key: str, model: type[BaseModel]) -> str:
    near = difflib.get_close_matches(key, list(model.model_fields), n=1)
    return f". Did you mean '{near[0]}'?" if near else ""


def _did_you_mean_value(value: Any, annotation: Any) -> str:
    options = [str(a) for a in typing.get_args(_unwrap(annotation))]
    near = difflib.get_close_matches(str(value), options, n=1)
    return f". Did you mean '{near[0]}'?" if near else ""
