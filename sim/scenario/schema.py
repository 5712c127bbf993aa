"""What a scenario file may contain, and the resolved scenario the model runs.

A file may leave anything to the scenario it ``extends``; after inheritance the result must name a
start, a horizon, a seed and a number of replicates. :class:`Scenario` is the resolved, validated
form: full actor specs, typed parameters, events with their month resolved.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from sim.calendar import month_date
from sim.events import Event
from sim.evidence.actors import ActorSpec
from sim.evidence.params import Parameters
from sim.scenario.policies import Policies
from sim.scenario.structure import Structure

MAX_HORIZON_MONTHS = 600
MAX_REPLICATES = 1_000_000
MAX_ACTORS = 64  # the model's arrays grow with actors squared; 1,000 actors run for hours
# Every month of a run lies in these years: dates far outside them are typos (0225 for 2025),
# and pandas cannot hold dates before 1677 or after 2262.
FIRST_YEAR, LAST_YEAR = 1900, 2200
NAME_CHARACTERS = " _-.,()'+&"  # besides letters and digits: a name can be a folder's name
MAX_NAME_CHARACTERS = 100


class ScenarioFile(BaseModel):
    """One YAML file, before inheritance."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    description: str | None = None
    extends: str | list[str] | None = None  # one scenario, or several applied in order
    start: dt.date | None = None
    horizon_months: int | None = Field(default=None, ge=1, le=MAX_HORIZON_MONTHS)
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1)
    replicates: int | None = Field(default=None, ge=1, le=MAX_REPLICATES)
    patron: str | None = None
    challenger: str | None = None
    actors: dict[str, dict[str, Any] | None] = Field(
        default={}, description="e.g. JPN: {threat: 0.8} to change, UKR: {drop: true} to drop")
    parameters: dict[str, Any] = Field(
        default={}, description="e.g. forgetting: 0.95; see `python -m sim params`")
    events: list[dict[str, Any]] = Field(
        default=[], description="e.g. - {type: tariff, date: 2025-02-14, targets: [JPN], "
                                "sector: steel, rate: 0.25}")
    remove_events: list[str] = Field(  # names of inherited events this scenario leaves out
        default=[], description="names of inherited events, e.g. [steel tariffs]")
    uncertainty: str | None = Field(  # draw these parameters per replicate as well (both bands)
        default=None,
        description="all-assumptions, posterior, or e.g. forgetting,tie_growth=0.3:0.9")
    policies: dict[str, Any] = Field(  # decision rules by role; a role given here replaces it
        default={}, description="e.g. patron: {stance: reassure, trust_below: 0.3}")
    structure: dict[str, Any] = Field(  # rival model structures; a choice given here replaces it
        default={}, description="e.g. reputation: per_domain, anchor: drifting")

    @field_validator("actors", "parameters", "events", "remove_events", "policies",
                     "structure", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any, info: ValidationInfo) -> Any:
        # `events:` with nothing under it reads as null in YAML; a student means "none"
        return cls.model_fields[info.field_name].get_default() if value is None else value


class TimedEvent(BaseModel):
    """An event with its timing resolved to month indices (0 = the start month)."""

    model_config = ConfigDict(frozen=True)

    event: Event
    key: str  # stable identity: names the event's random stream and its label
    first_month: int
    last_month: int  # equal to first_month for a dated event


class Scenario(BaseModel):
    """A resolved scenario: everything the model needs, validated."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    name: str
    description: str = ""
    start: dt.date
    horizon_months: int
    seed: int
    replicates: int
    patron: str = "US"
    challenger: str = "CHN"
    uncertainty: str | None = None  # parameters each replicate also draws (``--uncertainty``)
    actors: dict[str, ActorSpec]
    parameters: Parameters = Parameters()
    parameter_overrides: dict[str, float] = {}
    events: list[TimedEvent] = []
    policies: Policies = Policies()  # decision rules (none: every act is scripted)
    structure: Structure = Structure()  # rival model structures (default: today's model)
    files: list[str] = []  # the YAML files it was resolved from, child first

    def allies(self) -> list[str]:
        """Codes of the patron's allies and partners (roles ally and partner), in order."""
        return [c for c, spec in self.actors.items() if spec.role in ("ally", "partner")]

    def month_date(self, month: int) -> dt.date:
        """Calendar date (first of the month) of month index ``month``."""
        return month_date(self.start, month)

    def as_dict(self) -> dict[str, Any]:
        """The resolved scenario as plain data: a run folder records it, and it loads again."""
        return {
            "name": self.name,
            "description": self.description,
            "start": self.start.isoformat(),
            "horizon_months": self.horizon_months,
            "seed": self.seed,
            "replicates": self.replicates,
            "patron": self.patron,
            "challenger": self.challenger,
            "parameters": dataclasses.asdict(self.parameters),
            "actors": {k: v.model_dump(mode="json") for k, v in self.actors.items()},
            # the names as written, not the keys: loading makes the same keys again, and a key
            # such as 'x#2' is no name a file may give
            "events": [e.event.model_dump(mode="json", exclude_none=True) for e in self.events],
            # only when there are rules, so a scenario without them keeps its digest
            **({"policies": self.policies.model_dump(mode="json", exclude_none=True)}
               if self.policies.any else {}),
            # likewise only when a structure differs from today's model
            **({"structure": self.structure.changes()} if not self.structure.is_default else {}),
            **({"uncertainty": self.uncertainty} if self.uncertainty else {}),
        }

    def digest(self) -> str:
        """A hash of what determines the numbers (not the description, seed or size)."""
        data = self.as_dict()
        for key in ("name", "description", "seed", "replicates"):
            data.pop(key)
        blob = json.dumps(data, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:16]
