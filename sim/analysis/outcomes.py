"""Outcomes: named scalars read from a run, one value per replicate.

A run records every measure every month; a comparison, an attribution or a sweep needs one number
per replicate. An outcome names the series and what to read from it:

    MEASURE:ACTOR[:PARTNER]@WHEN

``trust:JPN:US@2025-07`` is Japan's trust in the US in July 2025; ``alignment_security:JPN@end``
is Japan's security alignment in the last month. ``WHEN`` is one of:

- ``end``: the last month;  ``start``: the first;  ``YYYY-MM``: that month;
- ``low`` / ``high``: the lowest / highest value of the run;
- ``low_month`` / ``high_month``: how many months after the start the low / high came;
- ``change:YYYY-MM..YYYY-MM`` (or ``start``/``end`` for either bound): the change over a window;
- ``loss``: the area under the loss, in unit-months: the sum over months of how far the series
  sits below its starting level (a fall of 0.1 for a year is 1.2).

Reading the shocks of 2025 at the end of 2028 shows almost nothing once trust has recovered; the
low, its month and the loss say how deep and how long the damage was.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.errors import UserError
from sim.measures import DYADIC, MEASURES

_MONTH = r"\d{4}-\d{2}"
_BOUND = rf"(?:{_MONTH}|start|end)"
WHEN = re.compile(
    rf"^(?:end|start|low|high|low_month|high_month|loss|{_MONTH}|change:{_BOUND}\.\.{_BOUND})$")
WHEN_GRAMMAR = ("WHEN is one of end, start, YYYY-MM, low, high, low_month, high_month, loss, "
                "change:FROM..TO (FROM and TO: YYYY-MM, start or end)")
GRAMMAR = (f"MEASURE:ACTOR[:PARTNER]@WHEN; {WHEN_GRAMMAR}; e.g. trust:JPN:US@low, "
           "alignment_security:JPN@2025-07")


@dataclass(frozen=True)
class Outcome:
    """One named scalar of a run (see the module's docstring for the grammar)."""

    measure: str
    actor: str
    partner: str | None
    when: str

    @property
    def name(self) -> str:
        series = ":".join([self.measure, self.actor] + ([self.partner] if self.partner else []))
        return f"{series}@{self.when}"

    def __str__(self) -> str:
        return self.name

    def describe(self, names: dict[str, str] | None = None) -> str:
        """In words, e.g. "Japan's trust in United States, lowest value"."""
        names = names or {}
        who = names.get(self.actor, self.actor)
        what = self.measure.replace("_", " ")
        if self.partner:
            what += f" in {names.get(self.partner, self.partner)}"
        return f"{who}'s {what}, {_WHEN_WORDS.get(self.when, self.when)}"


_WHEN_WORDS = {"end": "at the end", "start": "at the start", "low": "lowest value",
               "high": "highest value", "low_month": "months to the low",
               "high_month": "months to the high", "loss": "loss below the start (unit-months)"}


def parse(name: str, codes: Sequence[str] | None = None) -> Outcome:
    """An outcome from its name; a clear :class:`UserError` if the name is not valid."""
    series, at, when = name.strip().partition("@")
    parts = series.split(":")
    if not at or not 2 <= len(parts) <= 3 or not WHEN.match(when):
        raise UserError(f"'{name}' is not an outcome", valid=GRAMMAR)
    measure, actor, *partner = parts
    if measure not in MEASURES and measure not in DYADIC:
        raise UserError(f"unknown measure '{measure}' in outcome '{name}'",
                        valid=", ".join([*MEASURES, *DYADIC]))
    if (measure in DYADIC) != bool(partner):
        shape = "MEASURE:ACTOR:PARTNER" if measure in DYADIC else "MEASURE:ACTOR"
        raise UserError(f"'{measure}' is read as {shape} (outcome '{name}')", valid=GRAMMAR)
    for code in [actor, *partner]:
        if codes is not None and code not in codes:
            raise UserError(f"unknown actor '{code}' in outcome '{name}'", valid=", ".join(codes))
    return Outcome(measure, actor, partner[0] if partner else None, when)


def month_index(label: str, dates: Sequence[dt.date]) -> int:
    """Position of ``YYYY-MM``, ``start`` or ``end`` on the run's monthly axis."""
    if label == "start":
        return 0
    if label == "end":
        return len(dates) - 1
    year, month = (int(x) for x in label.split("-"))
    months = (year - dates[0].year) * 12 + month - dates[0].month
    if not 0 <= months < len(dates):
        raise UserError(f"{label} is outside the run ({dates[0]:%Y-%m} to {dates[-1]:%Y-%m})",
                        valid=f"a month from {dates[0]:%Y-%m} to {dates[-1]:%Y-%m}")
    return months


def read(when: str, series: np.ndarray, dates: Sequence[dt.date]) -> np.ndarray:
    """The outcome ``when`` of each replicate's series; ``series`` is (R, T + 1)."""
    series = np.asarray(series, dtype=np.float64)
    if when == "low":
        return series.min(axis=1)
    if when == "high":
        return series.max(axis=1)
    if when == "low_month":
        return series.argmin(axis=1).astype(np.float64)
    if when == "high_month":
        return series.argmax(axis=1).astype(np.float64)
    if when == "loss":
        return np.maximum(series[:, :1] - series, 0.0).sum(axis=1)
    if when.startswith("change:"):
        first, last = (month_index(b, dates) for b in when[len("change:"):].split(".."))
        return series[:, last] - series[:, first]
    return series[:, month_index(when, dates)]


def values(outcome: Outcome, arrays: dict[str, np.ndarray], codes: Sequence[str],
           dates: Sequence[dt.date]) -> np.ndarray:
    """The outcome for every replicate of a record (month-major arrays as in
    :mod:`sim.engine.history`)."""
    i = codes.index(outcome.actor)
    if outcome.partner is None:
        series = arrays[outcome.measure][:, :, i]
    else:
        series = arrays[outcome.measure][:, :, i, codes.index(outcome.partner)]
    return read(outcome.when, series.T, dates)


def reading_in_words(at: str) -> str:
    """``at`` in words: "at the end", "in Jul 2025", "at each replicate's low"..."""
    words = {"end": "at the end", "start": "at the start", "low": "at each replicate's low",
             "high": "at each replicate's high", "loss": "loss below the start, summed over "
             "months", "low_month": "months to the low", "high_month": "months to the high"}
    if at in words:
        return words[at]
    if at.startswith("change:"):
        return f"change from {at[7:].replace('..', ' to ')}"
    return f"in {dt.date.fromisoformat(at + '-01'):%b %Y}"
