"""Event kinds a scenario can schedule: the schema (what a YAML event may say).

What each kind does to the world is in :mod:`sim.events`. An event happens on a ``date``, or after
a ``month`` offset from the start, or each month with a ``probability`` inside a ``window``
(stochastic).
Exogenous shocks (a crisis) and the patron's policy choices (a tariff) are both events; the actors'
own responses are mechanics, not events.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

When = dt.date | Annotated[int, Field(ge=0)]

SECTOR_SALIENCE = {
    # How much a tariff on the sector weighs in the target's view of the relationship (assumption:
    # autos carry Japan's largest export to the US; steel is small in trade but symbolic).
    "steel": 0.5,
    "aluminium": 0.3,
    "autos": 1.0,
    "semiconductors": 0.7,
    "agriculture": 0.4,
    "all": 1.2,
}


class EventBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = None  # label on plots; also names the event's random stream
    domain: Literal["trade", "security", "diplomacy"] | None = None  # default: by type
    quote: str = ""  # verbatim from the commentary in seeds/ (a test checks it is found there)
    source: str = ""  # where else the event comes from (historical record, assumption and why)
    date: dt.date | None = None
    month: int | None = Field(default=None, ge=0, description="months after the start month")
    probability: float | None = Field(default=None, ge=0.0, le=1.0,  # per month, if stochastic
                                      description="chance each month")
    window: tuple[When, When] | None = Field(  # first and last month a stochastic event may fire
        default=None, description="[first, last] month the event may fire, first not after last")

    @model_validator(mode="after")
    def _one_timing(self):
        timings = [self.date is not None, self.month is not None, self.probability is not None]
        if sum(timings) != 1:
            raise ValueError(
                "give exactly one of 'date' (e.g. 2025-02-14), 'month' (offset from the start) "
                "or 'probability' (monthly chance, with an optional 'window')")
        if self.window is not None and self.probability is None:
            raise ValueError("'window' only applies to a stochastic event with a 'probability'")
        return self


class Tariff(EventBase):
    """The imposer sets its tariff on a sector of the targets' exports (0 lifts it)."""

    type: Literal["tariff"]
    by: str = "US"
    targets: list[str] = Field(min_length=1)
    sector: Literal["steel", "aluminium", "autos", "semiconductors", "agriculture", "all"]
    rate: float = Field(ge=0.0, le=5.0, description="0.25 = 25 per cent")


class Agreement(EventBase):
    """Signing (cooperation) or leaving (defection) an agreement with the targets: a trade pact
    (TPP), or another commitment they value (the Paris climate agreement)."""

    type: Literal["agreement"]
    by: str = "US"
    targets: list[str] = Field(min_length=1)
    action: Literal["sign", "withdraw"]
    economic: bool = True  # leaving a trade pact also leaves a grievance
    severity: float = Field(default=0.5, ge=0.0, le=2.0, description="in costly-act units")


class InvestmentBlock(EventBase):
    """Scrutiny or a block of an investment by the target's firms (Nippon Steel)."""

    type: Literal["investment_block"]
    by: str = "US"
    targets: list[str] = Field(min_length=1)
    action: Literal["scrutiny", "block"] = "scrutiny"
    value_bn: float = Field(default=1.0, ge=0.0, le=1000.0, description="USD billion")


class Rhetoric(EventBase):
    """Cheap talk: a remark, negative (the freeloading jibe) or positive."""

    type: Literal["rhetoric"]
    by: str = "US"
    targets: list[str] = Field(min_length=1)
    tone: Literal["negative", "positive"] = "negative"
    intensity: float = Field(default=0.5, ge=0.0, le=1.0)


class DefenceDemand(EventBase):
    """The patron demands that the targets spend a share of GDP on defence."""

    type: Literal["defence_demand"]
    by: str = "US"
    targets: list[str] = Field(min_length=1)
    target_pct: float = Field(ge=0.0, le=10.0, description="per cent of GDP, e.g. 3")


class SupportCut(EventBase):
    """The patron cuts a share of its support to a partner; others watch."""

    type: Literal["support_cut"]
    by: str = "US"
    partner: str
    fraction: float = Field(ge=0.0, le=1.0, description="share of support cut, 0.5 = half")


class Reassurance(EventBase):
    """A summit, statement or deployment; costly when it binds the patron."""

    type: Literal["reassurance"]
    by: str = "US"
    targets: list[str] = Field(min_length=1)
    costly: bool = False
    intensity: float = Field(default=0.5, ge=0.0, le=1.0)


class Reengagement(EventBase):
    """Diplomatic re-engagement of one state with another (the Japan-China exchange)."""

    type: Literal["reengagement"]
    actor: str
    partner: str
    intensity: float = Field(default=0.5, ge=0.0, le=1.0)


class SecurityCrisis(EventBase):
    """A crisis at a location raises threat nearby and may test the patron's commitment."""

    type: Literal["security_crisis"]
    location: str
    by: str = "CHN"
    severity: float = Field(default=0.5, ge=0.0, le=1.0)
    tests_commitment: bool = True


class Partnership(EventBase):
    """An agreement among like-minded states (reciprocal access, joint exercises)."""

    type: Literal["partnership"]
    members: list[str] = Field(min_length=2)
    strength: float = Field(default=0.3, ge=0.0, le=1.0)


DEFAULT_DOMAIN = {
    "tariff": "trade", "agreement": "trade", "investment_block": "trade",
    "defence_demand": "security", "support_cut": "security", "security_crisis": "security",
    "rhetoric": "diplomacy", "reassurance": "diplomacy", "reengagement": "diplomacy",
    "partnership": "security",
}


def domain_of(event: EventBase) -> str:
    """Trade, security or diplomacy: what kind of shock an event is (to bundle or separate them)."""
    return event.domain or DEFAULT_DOMAIN[event.type]


Event = Annotated[
    Tariff | Agreement | InvestmentBlock | Rhetoric | DefenceDemand | SupportCut | Reassurance
    | Reengagement | SecurityCrisis | Partnership,
    Field(discriminator="type"),
]

EVENT_TYPES: dict[str, type[EventBase]] = {
    cls.model_fields["type"].annotation.__args__[0]: cls
    for cls in (Tariff, Agreement, InvestmentBlock, Rhetoric, DefenceDemand, SupportCut,
                Reassurance, Reengagement, SecurityCrisis, Partnership)
}

ACTOR_FIELDS = ("by", "targets", "partner", "actor", "location", "members")
