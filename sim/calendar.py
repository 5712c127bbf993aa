"""Month arithmetic: a run counts time in whole months from its start month (month 0)."""

from __future__ import annotations

import datetime as dt


def months_between(start: dt.date, date: dt.date) -> int:
    """Whole months from ``start``'s month to ``date``'s month (days are ignored)."""
    return (date.year - start.year) * 12 + date.month - start.month


def month_date(start: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``start``'s month (the inverse)."""
    total = start.year * 12 + start.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)
