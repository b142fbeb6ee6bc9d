"""A realistic telephony (ACD) export of interval call volumes, for tests: written into tmp_path, never committed.

German office line: open Mon-Fri 08:00-17:00 (Fri until 15:00), a morning peak around 10:00, a lunch dip,
a smaller afternoon peak; Monday busiest; a weekly trend; Poisson noise; closed on public holidays (Bavaria).
Columns like a real ACD export: start;calls;answered;abandoned;aht_s - ISF reads start and calls.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from pathlib import Path

import holidays
import numpy as np

WEEKDAY_TOTALS = (420.0, 360.0, 340.0, 330.0, 260.0, 0.0, 0.0)
CLOSES = (17, 17, 17, 17, 15, 0, 0)


def interval_mean(day: date, minute_of_day: int, resolution: int, level: float) -> float:
    """Expected calls in the interval starting at ``minute_of_day`` (local time)."""
    wd = day.weekday()
    hour = (minute_of_day + resolution / 2) / 60
    if not 8 <= hour < CLOSES[wd]:
        return 0.0
    shape = 1.0 + 1.1 * np.exp(-(((hour - 10.0) / 1.2) ** 2)) + 0.5 * np.exp(-(((hour - 14.5) / 1.2) ** 2))
    shape -= 0.5 * np.exp(-(((hour - 12.6) / 0.45) ** 2))
    slots = np.arange(0, 1440, resolution)
    hours = (slots + resolution / 2) / 60
    all_shapes = 1.0 + 1.1 * np.exp(-(((hours - 10.0) / 1.2) ** 2)) + 0.5 * np.exp(-(((hours - 14.5) / 1.2) ** 2))
    all_shapes -= 0.5 * np.exp(-(((hours - 12.6) / 0.45) ** 2))
    all_shapes[(hours < 8) | (hours >= CLOSES[wd])] = 0
    return WEEKDAY_TOTALS[wd] * level * shape / all_shapes.sum()


def volumes(first_day: date, weeks: int, resolution: int = 15, seed: int = 1, weekly_growth: float = 0.01,
            state: str = "BY") -> list[tuple[datetime, int]]:
    """(local start, calls) for every interval of ``weeks`` weeks from ``first_day`` (nights included, as 0)."""
    rng = np.random.default_rng(seed)
    closed = holidays.country_holidays("DE", subdiv=state, years=range(first_day.year, first_day.year + 2))
    rows = []
    for d in range(7 * weeks):
        day = first_day + timedelta(days=d)
        level = (1 + weekly_growth) ** (d / 7) * rng.gamma(100, 0.01)
        for minute in range(0, 1440, resolution):
            mean = 0.0 if day in closed else interval_mean(day, minute, resolution, level)
            start = datetime(day.year, day.month, day.day) + timedelta(minutes=minute)
            rows.append((start, int(rng.poisson(mean)) if mean > 0 else 0))
    return rows


def write_export(path: Path, rows: list[tuple[datetime, int]], *, german: bool = True, aht: int = 210,
                 encoding: str = "utf-8-sig") -> Path:
    """Write rows as an ACD export: ``;`` and dd.mm.yyyy HH:MM (german) or ``,`` and ISO dates."""
    delimiter = ";" if german else ","
    with open(path, "w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(["start", "calls", "answered", "abandoned", "aht_s"])
        for start, calls in rows:
            abandoned = calls // 25
            text = start.strftime("%d.%m.%Y %H:%M") if german else start.strftime("%Y-%m-%d %H:%M")
            writer.writerow([text, calls, calls - abandoned, abandoned, aht if calls else 0])
    return path


def sample_export(tmp_path: Path, name: str = "acd_export.csv", weeks: int = 6, resolution: int = 15,
                  first_day: date = date(2026, 9, 7), **kwargs) -> Path:
    return write_export(tmp_path / name, volumes(first_day, weeks, resolution), **kwargs)
