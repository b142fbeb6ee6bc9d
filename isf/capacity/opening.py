"""Which intervals a call centre is open: the one rule the volume import, the staffing and the backtest share.

With a team's business calendar (its business hours, workdays, its state's public holidays and closing days,
``isf.capacity.processtimes.team_calendar``) an interval is open when it overlaps the calendar's windows on a
business day. Without one (the whole line, or ``isf capacity backtest`` without ``--team``) the file itself tells:
an interval is open when its weekday and time of day occur in the file at least once and its day has at least
one row (a day without any row - a holiday, a closing day - is closed). Missing intervals that are closed are no
gaps: exports list only the intervals in which the centre is open.
"""

from __future__ import annotations

from datetime import date, datetime, time

import numpy as np

from isf.core.business_time import BusinessCalendar, is_business_day


def _minutes(clock: time) -> int:
    return clock.hour * 60 + clock.minute


def calendar_open_mask(starts: np.ndarray, resolution: int, cal: BusinessCalendar) -> np.ndarray:
    """Open flags of local interval starts (``datetime64[m]``, naive wall clock) by the team's calendar."""
    starts = np.asarray(starts, dtype="datetime64[m]")
    result = np.zeros(len(starts), dtype=bool)
    if not len(starts):
        return result
    days = starts.astype("datetime64[D]")
    minute_of_day = (starts - days).astype(np.int64)
    for day in np.unique(days):
        d: date = day.item()
        if not is_business_day(cal, d):
            continue
        on_day = days == day
        for window in cal.weekly_hours.get(d.weekday(), ()):
            begin, end = _minutes(window[0]), _minutes(window[1]) or 1440
            result |= on_day & (minute_of_day + resolution > begin) & (minute_of_day < end)
    return result


def pattern_open_mask(starts: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Open flags of local interval starts when no opening hours are set: the weekly pattern of the rows present
    (``present``: the starts the file lists) and the days that have any row."""
    starts = np.asarray(starts, dtype="datetime64[m]")
    present = np.asarray(present, dtype="datetime64[m]")
    if not len(present):
        return np.zeros(len(starts), dtype=bool)

    def slots(values: np.ndarray) -> np.ndarray:
        days = values.astype("datetime64[D]")
        weekday = (days.astype(np.int64) - 4) % 7  # 1970-01-01 was a Thursday: Monday = 0
        return weekday * 1440 + (values - days).astype(np.int64)

    open_slots = np.isin(slots(starts), np.unique(slots(present)))
    open_days = np.isin(starts.astype("datetime64[D]"), np.unique(present.astype("datetime64[D]")))
    return open_slots & open_days


def open_mask(starts: np.ndarray, resolution: int, *, cal: BusinessCalendar | None,
              present: np.ndarray | None = None) -> np.ndarray:
    """By the calendar when there is one, else by the weekly pattern of ``present`` (module docstring)."""
    if cal is not None:
        return calendar_open_mask(starts, resolution, cal)
    return pattern_open_mask(starts, starts if present is None else present)


def local_minute(moment: datetime) -> np.datetime64:
    return np.datetime64(moment.replace(tzinfo=None), "m")
