"""Month arithmetic: one helper, used by the loader, the engine, the calibration and the plots."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sim.calendar import month_date, months_between


def test_known_answers():
    start = dt.date(2025, 1, 20)
    assert months_between(start, dt.date(2027, 3, 1)) == 26
    assert months_between(start, dt.date(2024, 12, 31)) == -1
    assert month_date(start, 26) == dt.date(2027, 3, 1)
    assert month_date(start, -1) == dt.date(2024, 12, 1)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
       st.integers(min_value=-600, max_value=600))
def test_month_date_inverts_months_between(start, months):
    assert months_between(start, month_date(start, months)) == months
