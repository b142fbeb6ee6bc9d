"""Simulated inbound call volumes with a known weekday x time-of-day pattern, trend and holidays.

Shape of a typical German B2B inside-sales line: open Mon-Fri 08:00-18:00 with a morning peak and a
lunch dip, Saturday 09:00-13:00, closed on Sunday and at night; Monday busiest; volume growing ~2 % per
week; day-to-day over-dispersion (a gamma "busy day" factor) on top of Poisson interval counts.
"""

from __future__ import annotations

import numpy as np

START = np.datetime64("2024-01-01T00:00")  # a Monday
WEEKDAY_TOTALS = np.array([900.0, 800.0, 760.0, 740.0, 620.0, 140.0, 0.0])  # Mon..Sun at the start
OPEN_HOURS = [(8, 18)] * 5 + [(9, 13), (0, 0)]


def intraday_shape(weekday: int, resolution_minutes: int) -> np.ndarray:
    """Shares of the day's calls per interval for a weekday (sums to 1, or all 0 when closed)."""
    spd = 1440 // resolution_minutes
    hours = (np.arange(spd) + 0.5) * resolution_minutes / 60
    opens, closes = OPEN_HOURS[weekday]
    if closes <= opens:
        return np.zeros(spd)
    shape = 1.0 + 0.9 * np.exp(-(((hours - 10.5) / 1.3) ** 2)) + 0.6 * np.exp(-(((hours - 14.5) / 1.5) ** 2))
    shape -= 0.45 * np.exp(-(((hours - 12.75) / 0.5) ** 2))  # lunch dip
    shape[(hours < opens) | (hours >= closes)] = 0.0
    return shape / shape.sum()


def expected_counts(weeks: int, resolution_minutes: int = 15, weekly_growth: float = 0.02) -> np.ndarray:
    """Mean calls per interval (no noise, no holidays)."""
    days = np.arange(7 * weeks)
    level = (1.0 + weekly_growth) ** (days / 7.0)
    rows = [WEEKDAY_TOTALS[d % 7] * level[d] * intraday_shape(d % 7, resolution_minutes) for d in days]
    return np.concatenate(rows)


def make_series(
    weeks: int = 10,
    resolution_minutes: int = 15,
    seed: int = 7,
    holidays: tuple[int, ...] = (),
    day_cv: float = 0.08,
) -> tuple[np.ndarray, np.ndarray]:
    """``(starts, counts)``; ``holidays`` are day numbers (0 = the first Monday) with no calls at all."""
    rng = np.random.default_rng(seed)
    spd = 1440 // resolution_minutes
    mean = expected_counts(weeks, resolution_minutes).reshape(7 * weeks, spd)
    busy = rng.gamma(1 / day_cv**2, day_cv**2, size=(7 * weeks, 1))  # mean 1, CV day_cv
    counts = rng.poisson(mean * busy).astype(float)
    counts[list(holidays)] = 0.0
    starts = START + np.arange(7 * weeks * spd) * np.timedelta64(resolution_minutes, "m")
    return starts, counts.ravel()
