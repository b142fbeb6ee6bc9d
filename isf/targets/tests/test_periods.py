"""Period codes and the run-rate forecast (no database)."""

from datetime import date
from decimal import Decimal

import pytest

from isf.targets.periods import PeriodError, attainment, elapsed_days, parse_period, periods_of_year, run_rate


@pytest.mark.parametrize(("code", "kind", "start", "end"), [
    ("2026", "year", date(2026, 1, 1), date(2026, 12, 31)),
    ("2026-Q4", "quarter", date(2026, 10, 1), date(2026, 12, 31)),
    (" 2026-q1 ", "quarter", date(2026, 1, 1), date(2026, 3, 31)),
    ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),
    ("2026-12", "month", date(2026, 12, 1), date(2026, 12, 31)),
])
def test_period_codes(code, kind, start, end):
    p = parse_period(code)
    assert (p.kind, p.start, p.end) == (kind, start, end)


@pytest.mark.parametrize("bad", ["", "26", "2026-Q5", "2026-13", "2026-00", "Q4-2026", "0999", "2026-Q4; drop", None])
def test_bad_period_codes_are_refused(bad):
    with pytest.raises(PeriodError):
        parse_period(bad)


def test_a_year_holds_its_quarters_and_months():
    codes = [p.code for p in periods_of_year(2026)]
    assert codes[:5] == ["2026", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert codes[5:] == [f"2026-{m:02d}" for m in range(1, 13)]


def test_run_rate_extrapolates_the_daily_rate_to_the_period_end():
    q4 = parse_period("2026-Q4")  # 92 days
    # 15 November: 31 + 15 = 46 of 92 days gone, so the forecast is twice the actual
    assert elapsed_days(q4, date(2026, 11, 15)) == 46
    assert run_rate(Decimal("1000"), q4, date(2026, 11, 15)) == Decimal("2000.00")
    # first day: one of 92 days
    assert run_rate(Decimal("10"), q4, date(2026, 10, 1)) == Decimal("920.00")
    # 7 December: 31 + 30 + 7 = 68 days; 3400 / 68 * 92 = 4600
    assert run_rate(Decimal("3400"), q4, date(2026, 12, 7)) == Decimal("4600.00")


def test_run_rate_before_and_after_the_period():
    q4 = parse_period("2026-Q4")
    assert run_rate(Decimal("0"), q4, date(2026, 9, 30)) is None
    assert run_rate(Decimal("1234.5"), q4, date(2027, 2, 1)) == Decimal("1234.50")


def test_attainment():
    assert attainment(Decimal("750"), Decimal("1000")) == 0.75
    assert attainment(Decimal("1"), Decimal("3")) == 0.3333
    assert attainment(Decimal("5"), Decimal("0")) is None
