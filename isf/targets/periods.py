"""Target periods and the run-rate forecast: plain functions, no Django.

A period code is a year (``2026``), a quarter (``2026-Q4``) or a month (``2026-12``); its range is from its first
to its last day, both inclusive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")

YEAR, QUARTER, MONTH = "year", "quarter", "month"


class PeriodError(ValueError):
    """A text that is not a period code."""


@dataclass(frozen=True)
class Period:
    code: str
    kind: str
    start: date
    end: date  # last day, inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end


def _month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def parse_period(text: str) -> Period:
    """The period of a code like 2026, 2026-Q4 or 2026-12 (surrounding blanks and a lower-case q allowed)."""
    code = str(text or "").strip().upper()
    if m := _YEAR.match(code):
        year = int(m.group(1))
        if year >= 1900:
            return Period(code, YEAR, date(year, 1, 1), date(year, 12, 31))
    elif m := _QUARTER.match(code):
        year, q = int(m.group(1)), int(m.group(2))
        if year >= 1900:
            return Period(code, QUARTER, date(year, 3 * q - 2, 1), _month_end(year, 3 * q))
    elif m := _MONTH.match(code):
        year, month = int(m.group(1)), int(m.group(2))
        if year >= 1900 and 1 <= month <= 12:
            return Period(code, MONTH, date(year, month, 1), _month_end(year, month))
    raise PeriodError(f"'{str(text)[:20]}' is not a period (2026, 2026-Q4 or 2026-12)")


def periods_of_year(year: int) -> list[Period]:
    """The year, its quarters and its months."""
    codes = [str(year)] + [f"{year}-Q{q}" for q in range(1, 5)] + [f"{year}-{m:02d}" for m in range(1, 13)]
    return [parse_period(c) for c in codes]


def current_period(kind: str, today: date) -> Period:
    if kind == YEAR:
        return parse_period(str(today.year))
    if kind == QUARTER:
        return parse_period(f"{today.year}-Q{(today.month - 1) // 3 + 1}")
    return parse_period(f"{today.year}-{today.month:02d}")


def period_for_range(start: date, end: date) -> Period:
    """The year, quarter or month that is exactly ``start``..``end``; else the quarter of ``end``."""
    for p in periods_of_year(start.year):
        if (p.start, p.end) == (start, end):
            return p
    return current_period(QUARTER, end)


def elapsed_days(period: Period, today: date) -> int:
    """Days of the period up to and including today (0 before it starts, all of them after it ended)."""
    if today < period.start:
        return 0
    return (min(today, period.end) - period.start).days + 1


def run_rate(actual: Decimal, period: Period, today: date) -> Decimal | None:
    """The actual extrapolated at its daily rate so far to the period's end; None before the period starts.

    A period that has ended forecasts its actual. Rounded to cents.
    """
    done = elapsed_days(period, today)
    if done == 0:
        return None
    value = Decimal(actual) * period.days / done
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def attainment(actual: Decimal, target: Decimal) -> float | None:
    """actual / target (1.0 = reached); None for a target of zero."""
    if not target:
        return None
    return round(float(Decimal(actual) / Decimal(target)), 4)
