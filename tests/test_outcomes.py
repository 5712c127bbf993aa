"""Outcomes: named scalars per replicate, read from a known series by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sim.analysis import outcomes
from sim.errors import UserError

DATES = [dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1), dt.date(2025, 4, 1)]
# Two replicates: a fall and a partial recovery; a rise.
SERIES = np.array([[0.5, 0.3, 0.2, 0.4],
                   [0.5, 0.6, 0.7, 0.6]])


@pytest.mark.parametrize(("when", "expected"), [
    ("end", [0.4, 0.6]), ("start", [0.5, 0.5]), ("2025-03", [0.2, 0.7]),
    ("low", [0.2, 0.5]), ("high", [0.5, 0.7]), ("low_month", [2, 0]), ("high_month", [0, 2]),
    ("change:2025-02..end", [0.1, 0.0]), ("change:start..2025-03", [-0.3, 0.2]),
    ("loss", [0.2 + 0.3 + 0.1, 0.0]),
])
def test_each_reading_by_hand(when, expected):
    assert outcomes.read(when, SERIES, DATES) == pytest.approx(expected)


def test_a_name_round_trips_and_reads_a_record():
    codes = ("US", "JPN")
    outcome = outcomes.parse("trust:JPN:US@low", codes)
    assert outcome.name == "trust:JPN:US@low"
    assert outcome.describe({"JPN": "Japan", "US": "the US"}) == \
        "Japan's trust in the US, lowest value"
    trust = np.zeros((4, 2, 2, 2))  # month-major: (T + 1, R, N, N)
    trust[:, :, 1, 0] = SERIES.T
    assert outcomes.values(outcome, {"trust": trust}, codes, DATES) == pytest.approx([0.2, 0.5])
    spending = np.zeros((4, 2, 2))
    spending[:, :, 1] = SERIES.T
    state = outcomes.parse("defence_spending:JPN@2025-02", codes)
    assert outcomes.values(state, {"defence_spending": spending}, codes, DATES) == \
        pytest.approx([0.3, 0.6])


@pytest.mark.parametrize(("name", "message"), [
    ("trust:JPN:US", "is not an outcome"),
    ("trust:JPN:US@tomorrow", "is not an outcome"),
    ("trust:JPN@end", "MEASURE:ACTOR:PARTNER"),
    ("defence_spending:JPN:US@end", "MEASURE:ACTOR"),
    ("happiness:JPN@end", "unknown measure"),
    ("trust:XXX:US@end", "unknown actor 'XXX'"),
])
def test_bad_names_say_what_is_valid(name, message):
    with pytest.raises(UserError) as info:
        outcomes.parse(name, ("US", "JPN"))
    assert message in info.value.message and info.value.valid


def test_a_month_outside_the_run_is_refused():
    with pytest.raises(UserError, match="outside the run"):
        outcomes.read("2026-01", SERIES, DATES)
