"""The tests' wall clock: moments in the company's time zone, counted from a test's own day."""

import datetime as dt
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


def local_at(day: dt.date, days: int = 0, hour: int = 10) -> dt.datetime:
    """``hour`` o'clock in Berlin, ``days`` calendar days after ``day``."""
    return dt.datetime.combine(day + dt.timedelta(days=days), dt.time(hour), tzinfo=BERLIN)
