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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.calendar import month_date, months_between
from sim.errors import ScenarioError, ScenarioErrors, UserError, problems
from sim.events import ACTOR_FIELDS, EVENT_TYPES, EventBase
from sim.evidence.actors import DEFAULT_ACTORS, ActorSpec
from sim.evidence.params import ParameterError, Parameters, check_overrides, declarations
from sim.scenario.budget import check_size
from sim.scenario.explain import did_you_mean, explain, hint, lax_value, shown
from sim.scenario.policies import POLICY_ACTOR_FIELDS, ROLES, Policies
from sim.scenario.schema import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_ACTORS,
    MAX_NAME_CHARACTERS,
    NAME_CHARACTERS,
    Scenario,
    ScenarioFile,
    TimedEvent,
)
from sim.scenario.settings import split_name
from sim.scenario.structure import Structure
from sim.scenario.yamlmarks import Marks, dotted, locate, read_yaml

_SCALARS = ("name", "description", "start", "horizon_months", "seed", "replicates", "patron",
            "challenger", "uncertainty")
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
    policies: dict[str, tuple[Any, _Origin]] = field(default_factory=dict)  # by role
    structure: dict[str, str] = field(default_factory=dict)  # the choices made, child last


MAX_EXTENDS_DEPTH = 32  # files in one line of inheritance; the shipped scenarios use 2
MAX_FILES = 64  # files a scenario reads, each shared ancestor counted once
MAX_EXTENDS_CHARS = 1000  # an 'extends' path; a file name itself may have 255


def load_scenario(path: str | Path) -> Scenario:
    """Read, inherit, validate and resolve the scenario at ``path``."""
    path = Path(path)
    draft = _Draft()
    chain = _chain(path)
    found = _Problems()
    for file, raw, marks in chain:
        _apply_file(draft, file, raw, marks, found)
    found.raise_any()  # before resolving: a bad actor would make every event on it 'unknown'
    return _resolve(draft, chain)


class _Problems:
    """Independent problems (one per event, actor, removed name), collected to report together."""

    def __init__(self) -> None:
        self.errors: list[ScenarioError] = []

    @contextmanager
    def check(self) -> Iterator[None]:
        try:
            yield
        except ScenarioError as exc:
            self.errors += problems(exc)

    def raise_any(self) -> None:
        if self.errors:
            raise ScenarioErrors.of(self.errors)


# --- Reading files and following 'extends' ---------------------------------------------------


@dataclass
class _Reading:
    """The files read so far: the chain to apply, parents first, and their resolved paths."""

    chain: list[tuple[Path, ScenarioFile, Marks]] = field(default_factory=list)
    applied: set[Path] = field(default_factory=set)
    files: int = 0


def _chain(path: Path) -> list[tuple[Path, ScenarioFile, Marks]]:
    """The files to apply, ancestors first, ending with ``path``.

    ``extends`` names one scenario or a list of them; they are applied in the order listed, each
    after its own ancestors, and an ancestor shared by several (the baseline) is read and applied
    once, the first time it appears. Each file is read once, so the work grows with the number of
    files, and the depth and the number of files are bounded.
    """
    reading = _Reading()
    _read_tree(path, None, [], reading)
    return reading.chain


def _read_tree(path: Path, real: Path | None, line: list[Path], reading: _Reading) -> None:
    """Read ``path`` and, first, its ancestors not read yet; ``line`` is the files extending it."""
    reading.files += 1
    data, marks = read_yaml(path)
    top = _Origin(path, marks, ())
    if real is None:  # the file named on the command line; read, so it resolves
        real = _resolved(path, top, f"'{path}'")
    if data is None:
        raise top.error("the file is empty (or holds only comments)",
                        valid="a mapping of keys: " + ", ".join(ScenarioFile.model_fields))
    if not isinstance(data, dict):
        raise top.error(f"a scenario file must be a mapping of keys (name: ..., start: ...), "
                        f"but this one is a {_kind_of(data)}",
                        valid="a mapping of keys: " + ", ".join(ScenarioFile.model_fields))
    raw = _validate(ScenarioFile, data, top)
    single = isinstance(raw.extends, str)
    line = line + [real]
    for i, name in enumerate([raw.extends] if single else raw.extends or []):
        origin = _Origin(path, marks, ("extends",) if single else ("extends", i))
        parent, parent_real = _parent_file(path, name, line, origin)
        if parent_real in reading.applied:
            continue
        _check_bounds(line, reading, origin)
        _read_tree(parent, parent_real, line, reading)
    reading.chain.append((path, raw, marks))
    reading.applied.add(real)


def _check_bounds(line: list[Path], reading: _Reading, origin: _Origin) -> None:
    if len(line) >= MAX_EXTENDS_DEPTH:
        raise origin.error(
            f"'extends' goes more than {MAX_EXTENDS_DEPTH} files deep here",
            valid=f"a chain of at most {MAX_EXTENDS_DEPTH} files, each extending the next")
    if reading.files >= MAX_FILES:
        raise origin.error(f"this scenario inherits from more than {MAX_FILES} files",
                           valid=f"at most {MAX_FILES} files in all, counting each once")


def _parent_file(path: Path, extends: str, line: list[Path],
                 origin: _Origin) -> tuple[Path, Path]:
    """The file ``extends`` names and its resolved path, checked before it is read so the error
    points here."""
    _check_extends_name(extends, origin)
    parent = path.parent / extends
    real = _resolved(parent, origin, f"the scenario to extend, '{extends}',")
    if real in line:
        cycle = " -> ".join(p.name for p in line + [real])
        raise origin.error(f"circular 'extends': {cycle}",
                           valid="an 'extends' chain that ends in a file with no 'extends'")
    if not parent.is_file():
        problem = "is a folder" if parent.is_dir() else "does not exist"
        raise origin.error(f"the scenario to extend, '{extends}', {problem} (looked for {parent})",
                           valid="a scenario file's path relative to this file, e.g. baseline.yml")
    return parent, real


def _check_extends_name(extends: str, origin: _Origin) -> None:
    """Refuse, before the file system sees it, a name no file can have."""
    valid = "a scenario file's path relative to this file, e.g. baseline.yml"
    bad = next((c for c in extends if ord(c) < 32 or ord(c) == 127), None)
    if bad is not None:
        raise origin.error(f"the name to extend holds the control character U+{ord(bad):04X}, "
                           "which no file name may hold", valid=valid)
    if len(extends) > MAX_EXTENDS_CHARS:
        raise origin.error(f"the name to extend is {len(extends)} characters long",
                           valid=f"{valid}, of at most {MAX_EXTENDS_CHARS} characters")


def _resolved(path: Path, origin: _Origin, subject: str) -> Path:
    """``path.resolve()``, or a located error: a symlink loop, a name too long for the system."""
    try:
        path.is_file()  # raises, unlike resolve(), for a name too long on every Python version
        return path.resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # RuntimeError: a symlink loop (3.11)
        reason = getattr(exc, "strerror", None) or str(exc)
        raise origin.error(f"{subject} cannot be opened ({reason})",
                           valid="a scenario file's path relative to this file, e.g. "
                                 "baseline.yml") from None


def _kind_of(data: Any) -> str:
    return {list: "list", str: "single text value"}.get(type(data), type(data).__name__)


# --- Applying one file to the draft ----------------------------------------------------------


def _apply_file(draft: _Draft, file: Path, raw: ScenarioFile, marks: Marks,
                found: _Problems) -> None:
    """Lay one file over what its ancestors said: scalars, actors, parameters, events."""
    top = _Origin(file, marks, ())
    if raw.name is not None:
        with found.check():
            _check_name(raw.name, top)
    for key in _SCALARS:
        if getattr(raw, key) is not None:
            draft.scalars[key] = getattr(raw, key)
            draft.scalar_origins[key] = top
    for code, fields_ in raw.actors.items():
        with found.check():
            _apply_actor(draft, code, dict(fields_ or {}), _Origin(file, marks, ("actors", code)))
    for key, value in raw.parameters.items():
        with found.check():
            _apply_parameters(draft, {key: value}, top)
    _remove_events(draft, raw.remove_events, top, found)
    for i, item in enumerate(raw.events):
        origin = _Origin(file, marks, ("events", i))
        with found.check():
            draft.events.append((_validate_event(item, origin), origin))
    _apply_policies(draft, raw.policies, top, found)
    if raw.structure:
        with found.check():  # each file's choices are checked where it makes them
            chosen = _validate(Structure, raw.structure, _Origin(file, marks, ("structure",)))
            draft.structure.update(chosen.model_dump(include=set(raw.structure)))


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


def _remove_events(draft: _Draft, names: list[str], top: _Origin, found: _Problems) -> None:
    """Leave out inherited events by name; a name that matches nothing is a typo, not a no-op."""
    inherited = sorted({n for n in (_event_name(e) for e, _ in draft.events) if n})
    for i, name in enumerate(names):
        if name not in inherited:
            near = difflib.get_close_matches(name, inherited, n=1)
            hint = f". Did you mean '{near[0]}'?" if near else ""
            found.errors.append(top.error(
                f"no inherited event is named '{name}'{hint}", ("remove_events", i),
                valid=", ".join(inherited) if inherited else
                "nothing: this file inherits no named events"))
    draft.events = [(e, o) for e, o in draft.events if _event_name(e) not in names]


def _apply_actor(draft: _Draft, code: str, fields_: dict, origin: _Origin) -> None:
    """Change an actor (some fields), add one (all required fields) or drop it (drop: true)."""
    drop = fields_.pop("drop", False)
    if not isinstance(drop, bool):
        raise origin.error(f"drop must be true or false, got {shown(drop)}", ("drop",),
                           valid="drop: true (to remove the actor)")
    if drop:
        _drop_actor(draft, code, fields_, origin)
        return
    unknown = [k for k in fields_ if k not in ActorSpec.model_fields]
    if unknown:
        raise ScenarioErrors.of([
            origin.error(f"unknown actor field '{key}'{did_you_mean(key, ActorSpec)}", (key,),
                         valid=", ".join(ActorSpec.model_fields) + ", drop") for key in unknown])
    base = draft.actors[code].model_dump() if code in draft.actors else {}
    if not base:
        _check_new_actor(draft, code, fields_, origin)
    merged = {**base, **fields_}
    for table in ("trust", "trade", "ties"):  # a change to one partner keeps the others
        if base and isinstance(fields_.get(table), dict):
            merged[table] = {**base[table], **fields_[table]}
    draft.actors[code] = _validate(ActorSpec, merged, origin)
    draft.actor_origins[code] = origin
    if len(draft.actors) > MAX_ACTORS:
        raise origin.error(f"'{code}' makes more than {MAX_ACTORS} actors",
                           valid=f"at most {MAX_ACTORS} actors, the model's own included "
                                 "(drop some with CODE: {drop: true})")


def _check_name(name: str, top: _Origin) -> None:
    """A scenario's name labels plots and may name its output folder: no paths, no controls."""
    bad = [c for c in name if not (c.isalnum() or c in NAME_CHARACTERS)]
    problem = (f"holds the character {bad[0]!r}" if bad
               else "starts with a dot" if name.startswith(".")
               else f"is {len(name)} characters long" if len(name) > MAX_NAME_CHARACTERS
               else "is empty" if not name.strip() else None)
    if problem:
        raise top.error(f"the name {shown(name)} {problem}", ("name",),
                        valid=f"name: 1 to {MAX_NAME_CHARACTERS} letters, digits, spaces or "
                              f"{' '.join(NAME_CHARACTERS.strip())}, not starting with a dot; "
                              "e.g. name: tariff escalation")


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
        guess = f" (did you mean the existing actor '{near[0]}'?)" if near else ""
        raise origin.error(
            f"'{code}' is a new actor{guess} and lacks required fields: {', '.join(missing)}",
            valid="; ".join(hint((k,), ActorSpec.model_fields[k],
                                  ActorSpec.model_fields[k].annotation) or k for k in missing)
            + ". To change an existing actor instead, use one of: " + ", ".join(draft.actors))


def _validate_event(item: dict, origin: _Origin) -> EventBase:
    kind = item.get("type")
    if kind is None:
        raise origin.error("this event has no 'type'", valid=", ".join(EVENT_TYPES))
    if not isinstance(kind, str) or kind not in EVENT_TYPES:
        near = difflib.get_close_matches(str(kind), EVENT_TYPES, n=1)
        hint = f". Did you mean '{near[0]}'?" if near else ""
        raise origin.error(f"unknown event type {shown(kind)}{hint}", ("type",),
                           valid=", ".join(EVENT_TYPES))
    return _validate(EVENT_TYPES[kind], item, origin)


def _event_name(event: Any) -> str | None:
    return getattr(event, "name", None)


# --- Validation -------------------------------------------------------------------------------


def _validate(model: type[BaseModel], data: Any, origin: _Origin) -> Any:
    """Validate with pydantic; turn the most useful error into a located, readable one."""
    problem = lax_value(model, data)
    if problem:
        raise origin.error(*problem)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        # A misspelt key also shows up as a missing one; the misspelling is the cause.
        if any(e["type"] == "extra_forbidden" for e in errors):
            errors = [e for e in errors if e["type"] != "missing"]
        raise ScenarioErrors.of([origin.error(*explain(model, e)) for e in errors]) from None




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
    if roles["patron"] == roles["challenger"]:
        role = "challenger" if "challenger" in draft.scalar_origins else "patron"
        raise draft.scalar_origins.get(role, top).error(
            f"the patron and the challenger are both '{roles['patron']}'", (role,),
            valid="two different actors, e.g. patron: US, challenger: CHN")
    start = s["start"].replace(day=1)
    _check_calendar(start, s["horizon_months"], draft)
    scenario = Scenario(
        name=s.get("name") or top_file.stem, description=s.get("description") or "",
        start=start, horizon_months=s["horizon_months"], seed=s["seed"],
        replicates=s["replicates"], patron=roles["patron"], challenger=roles["challenger"],
        uncertainty=s.get("uncertainty"), actors=draft.actors,
        parameters=Parameters().with_overrides(draft.parameters),
        parameter_overrides=draft.parameters, files=[str(f) for f, _, _ in reversed(chain)])
    found = _Problems()
    with found.check():
        _check_actor_references(draft)
    events = []
    for e, o in draft.events:
        with found.check():
            events.append(_time_event(e, o, scenario, draft))
    policies = _resolve_policies(draft, found)
    with found.check():
        _check_uncertainty(scenario, draft)
    found.raise_any()
    scenario = scenario.model_copy(update={"events": _unique_keys(events), "policies": policies,
                                           "structure": Structure(**draft.structure)})
    check_size(scenario, draft.scalar_origins["replicates"])
    return scenario


def _check_uncertainty(scenario: Scenario, draft: _Draft) -> None:
    """``uncertainty:`` names global parameters (or all-assumptions, or posterior: the stored
    posterior sample): checked here, with the line; their ranges are checked when the run draws
    them."""
    if not scenario.uncertainty or scenario.uncertainty.strip() in ("all-assumptions",
                                                                    "posterior"):
        return
    for item in scenario.uncertainty.split(","):
        name = item.partition("=")[0].strip()
        try:
            code, _ = split_name(name, scenario)
        except UserError as exc:
            raise draft.scalar_origins["uncertainty"].error(
                exc.message, ("uncertainty",), valid=exc.valid) from None
        if code is not None:
            raise draft.scalar_origins["uncertainty"].error(
                f"'{name}' is an actor's value: it takes one value per run", ("uncertainty",),
                valid="global parameters (sweep actor values with `python -m sim sweep`)")


def _check_calendar(start: dt.date, horizon: int, draft: _Draft) -> None:
    """Every month of the run, from the start to the last, lies in FIRST_YEAR .. LAST_YEAR."""
    valid = (f"a run from {FIRST_YEAR}-01 to {LAST_YEAR}-12, e.g. start: 2025-01-01 with "
             "horizon_months: 48")
    if not FIRST_YEAR <= start.year <= LAST_YEAR:
        raise draft.scalar_origins["start"].error(
            f"the start {start.year:04d}-{start.month:02d} is outside the years {FIRST_YEAR} "
            f"to {LAST_YEAR}",
            ("start",), valid=valid)
    end = months_between(dt.date(LAST_YEAR, 12, 1), start) + horizon - 1
    if end > 0:
        last = month_date(dt.date(LAST_YEAR, 12, 1), end)
        raise draft.scalar_origins["horizon_months"].error(
            f"{horizon} months from {start:%Y-%m} end in {last:%Y-%m}, after {LAST_YEAR}-12",
            ("horizon_months",), valid=valid)


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


# --- Policies: decision rules by role (sim.scenario.policies) ------------------------------------


def _apply_policies(draft: _Draft, policies: dict, top: _Origin, found: _Problems) -> None:
    """A role given here replaces the inherited rule for it; ``role: null`` removes it."""
    for role, item in policies.items():
        origin = _Origin(top.file, top.marks, ("policies", role))
        with found.check():
            if role not in ROLES:
                near = difflib.get_close_matches(str(role), ROLES, n=1)
                hint = f". Did you mean '{near[0]}'?" if near else ""
                raise origin.error(f"unknown policy role {shown(role)}{hint}",
                                   valid=", ".join(ROLES))
            if item is None:
                draft.policies.pop(role, None)
                continue
            if not isinstance(item, dict):
                raise origin.error(f"the {role} policy must be a mapping of fields, got "
                                   f"{shown(item)}", valid=f"{role}: {{cooldown_months: 6, ...}} "
                                   f"with fields {', '.join(ROLES[role].model_fields)}")
            draft.policies[role] = (_validate(ROLES[role], item, origin), origin)


def _resolve_policies(draft: _Draft, found: _Problems) -> Policies:
    """The rules in force, each naming only actors the scenario has."""
    for policy, origin in draft.policies.values():
        for key in POLICY_ACTOR_FIELDS:
            for i, code in enumerate(getattr(policy, key, None) or []):
                if code not in draft.actors:
                    near = difflib.get_close_matches(str(code), list(draft.actors), n=1)
                    hint = f". Did you mean '{near[0]}'?" if near else ""
                    found.errors.append(origin.error(f"unknown actor '{code}'{hint}", (key, i),
                                                     valid=", ".join(draft.actors)))
    return Policies(**{role: policy for role, (policy, _) in draft.policies.items()})


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
    if event.name is not None and "#" in event.name:
        raise origin.error(f"the event name {shown(event.name)} holds '#', which marks a "
                           "repeated name ('x', 'x#2', ...)", ("name",),
                           valid="a name without '#'; two events may share a name")
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
    try:
        return f"{month_date(scenario.start, month):%Y-%m} (month {month})"
    except (ValueError, OverflowError):  # month: 10**9 is past any calendar year
        return f"month {month}"


def _who(event: Any) -> str:
    parts = [getattr(event, k) for k in ACTOR_FIELDS if getattr(event, k, None)]
    return "-".join(p if isinstance(p, str) else "+".join(p) for p in parts)


def _unique_keys(events: list[TimedEvent]) -> list[TimedEvent]:
    """A key per event, for its random stream: the first event with a key keeps it, the next get
    '#2', '#3', ..., skipping any key another event has. So no two events share a stream, and the
    keys follow from the events in order: the written scenario (names without '#') gives them
    again."""
    reserved = {e.key for e in events}
    used: set[str] = set()
    out = []
    for e in events:
        key, n = e.key, 1
        while key in used or (n > 1 and key in reserved):
            n += 1
            key = f"{e.key}#{n}"
        used.add(key)
        out.append(e if key == e.key else e.model_copy(update={"key": key}))
    return out


def _month(when: dt.date | int, scenario: Scenario) -> int:
    if isinstance(when, dt.date):
        return months_between(scenario.start, when)
    return when
