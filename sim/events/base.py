"""What every event shares: when it happens (the schema) and what it acts on (the context).

An event happens on a ``date``, or after a ``month`` offset from the start, or each month with a
``probability`` inside a ``window`` (stochastic). Its effect turns it into :class:`Acts`, the
month's deeds and words, read from the receiver's side: ``costly[r, i, j]`` is what j did to i
that cost j something (positive: cooperation; negative: defection), ``cheap[r, i, j]`` is what j
said to i. The mechanics (reputation, grievance, threat, ties) turn acts into changes of state.

Exogenous shocks (a crisis) and the patron's policy choices (a tariff) are both events; the
actors' own responses are mechanics, not events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

if TYPE_CHECKING:  # the engine's types, for reading only: events sit below the engine
    from sim.engine.world import Baseline, State
    from sim.evidence.params import Parameters

When = dt.date | Annotated[int, Field(ge=0)]
Domain = Literal["trade", "security", "diplomacy"]
Known = Literal["stated", "reported", "assumed"]


class EventBase(BaseModel):
    """Timing and labels common to every kind; each kind adds its fields and its ``apply``."""

    model_config = ConfigDict(extra="forbid")

    default_domain: ClassVar[str]  # trade, security or diplomacy, unless the file says otherwise
    draws_every_month: ClassVar[bool] = False  # a crisis draws whether the patron honours it

    name: str | None = None  # label on plots; also names the event's random stream
    domain: Domain | None = None  # default: the kind's
    quote: str = ""  # verbatim from the commentary in seeds/ (a test checks it is found there)
    source: str = ""  # where else the event comes from (historical record, assumption and why)
    # How the date (or, for a stochastic event, its monthly chance) is known: "stated" by the
    # commentary, "reported" by a dated public source named in ``source``, or "assumed". A user's
    # file may leave it out (an unsourced date is an assumption); a shipped scenario must say it.
    date_known: Known = "assumed"
    size_known: Known = "assumed"  # the same for the event's size (rate, intensity, severity)
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

    @property
    def is_random(self) -> bool:
        """Whether the event draws from its own stream: when it fires, or whether it is met."""
        return self.probability is not None or self.draws_every_month

    def apply(self, c: Context) -> None:  # pragma: no cover - every kind overrides it
        raise NotImplementedError


@dataclass
class Acts:
    """One month's acts, per replicate."""

    costly: np.ndarray  # (R, N, N) signed
    cheap: np.ndarray  # (R, N, N) signed
    economic_harm: np.ndarray  # (R, N, N) costly economic defection suffered by i from j
    crisis: np.ndarray  # (R, N) crisis severity at each location
    engagement: np.ndarray  # (R, N, N) new diplomatic engagement of i with j
    ties: np.ndarray  # (R, N, N) new partnership strength, symmetric
    rows: np.ndarray  # replicates in which some event fired; elsewhere every array is zero
    # The trade-domain part of ``costly`` and ``cheap``, kept only when reputation is per domain
    # (sim/scenario/structure.py); the rest is security and diplomacy.
    trade_costly: np.ndarray | None = None
    trade_cheap: np.ndarray | None = None

    @property
    def quiet(self) -> bool:
        return self.rows.size == 0

    @classmethod
    def none(cls, replicates: int, n: int, rows: np.ndarray, domains: bool = False) -> Acts:
        def z(*shape: int) -> np.ndarray:
            array = np.zeros((replicates, *shape))
            array.flags.writeable = rows.size > 0  # the shared quiet acts are read-only
            return array
        acts = cls(z(n, n), z(n, n), z(n, n), z(n), z(n, n), z(n, n), rows)
        if domains:
            acts.trade_costly, acts.trade_cheap = z(n, n), z(n, n)
        return acts


def apply_in_domain(effect: Callable[[Context], None], c: Context, domain: str) -> None:
    """Apply an event's effect; where the acts keep domains apart, book what a trade event
    added to deeds and words in the trade domain too."""
    acts = c.acts
    if acts.trade_costly is None or domain != "trade":
        effect(c)
        return
    costly, cheap = acts.costly.copy(), acts.cheap.copy()
    effect(c)
    acts.trade_costly += acts.costly - costly
    acts.trade_cheap += acts.cheap - cheap


@dataclass
class Context:
    """What an event's effect may read and write in the month it fires."""

    base: Baseline
    state: State
    acts: Acts
    params: Parameters
    mask: np.ndarray  # (R,) replicates in which the event fires
    honour_draw: np.ndarray | None  # (R,) uniform draws for a commitment test

    def at(self, code: str) -> int:
        return self.base.index(code)

    def masked(self, value: float | np.ndarray) -> np.ndarray:
        return np.where(self.mask, value, 0.0)
