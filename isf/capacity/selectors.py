"""Reads of the capacity app: interval call volumes per team (imported or from the call log), profiles."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.utils import timezone

from isf.capacity import sources
from isf.capacity.models import CallVolume

LOCAL = ZoneInfo(settings.TIME_ZONE)
CALL_LOG_RESOLUTION = 15
#: the phone system's events replace imported files as the forecast's history once they cover four weeks (a
#: forecast needs three weeks of history; a phone system connected yesterday must not leave the team without one)
EVENT_DAYS_TO_SWITCH = 28


@dataclass(frozen=True)
class LocalSeries:
    """A gap-free local wall-clock interval series (what isf_stats forecasts from)."""

    starts: np.ndarray  # datetime64[m], local
    counts: np.ndarray  # float
    resolution_minutes: int
    source: str  # "telephony_events" (phone system), "telephony" (import), "demo", "call_log" or "" (no data)

    def __len__(self) -> int:
        return len(self.counts)

    @property
    def slots_per_day(self) -> int:
        return 1440 // self.resolution_minutes


EMPTY = LocalSeries(np.array([], dtype="datetime64[m]"), np.array([]), 15, "")


def _local_minute(moment: datetime) -> np.datetime64:
    return np.datetime64(moment.astimezone(LOCAL).replace(tzinfo=None), "m")


def _grid(first_day: date, last_day: date, resolution: int) -> np.ndarray:
    start = np.datetime64(first_day, "m")
    end = np.datetime64(last_day + timedelta(days=1), "m")
    return np.arange(start, end, np.timedelta64(resolution, "m"))


def _bucket(local_starts: list[np.datetime64], weights: list[int], first_day: date, last_day: date, resolution: int):
    grid = _grid(first_day, last_day, resolution)
    counts = np.zeros(len(grid))
    if local_starts:
        offsets = (np.array(local_starts, dtype="datetime64[m]") - grid[0]).astype(np.int64) // resolution
        keep = (offsets >= 0) & (offsets < len(grid))
        np.add.at(counts, offsets[keep], np.asarray(weights, dtype=float)[keep])
    return grid, counts


def stored_series(team, *, first_day: date, last_day: date) -> LocalSeries:
    """Imported volumes of ``team`` (None: the whole line) as a local grid of whole days; empty without data.

    The autumn hour that occurs twice is summed into one set of local intervals, the skipped spring hour is
    0, as isf_stats expects. Days before the first and after the last stored interval are cut off.
    """
    since = datetime.combine(first_day, time(0), tzinfo=LOCAL)
    until = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=LOCAL)
    rows = list(
        CallVolume.objects.filter(team=team, start__gte=since, start__lt=until)
        .order_by("start")
        .values_list("start", "calls", "resolution_minutes", "source")
    )
    if not rows:
        return EMPTY
    resolution = max(r[2] for r in rows)
    first = rows[0][0].astimezone(LOCAL).date()
    last = rows[-1][0].astimezone(LOCAL).date()
    grid, counts = _bucket([_local_minute(r[0]) for r in rows], [r[1] for r in rows], first, last, resolution)
    return LocalSeries(grid, counts, resolution, rows[-1][3])


def call_log_series(team, *, first_day: date, last_day: date, telephony_only: bool = False) -> LocalSeries:
    """Inbound calls of the call log per 15-minute interval (local time); empty without a call log.

    ``telephony_only``: only the calls the phone system reported (answered or not: every call offered)."""
    model = sources.call_model()
    if model is None:
        return EMPTY
    since = datetime.combine(first_day, time(0), tzinfo=LOCAL)
    until = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=LOCAL)
    qs = model.objects.filter(started_at__gte=since, started_at__lt=until, direction__in=["inbound", "in"])
    if telephony_only:
        qs = qs.filter(source="telephony")
    if team is not None:
        qs = qs.filter(team=team)
    starts = [_local_minute(s) for s in qs.values_list("started_at", flat=True).iterator(chunk_size=5000)]
    if not starts:
        return EMPTY
    first = min(starts).astype("datetime64[D]").item()
    grid, counts = _bucket(starts, [1] * len(starts), first, last_day, CALL_LOG_RESOLUTION)
    return LocalSeries(grid, counts, CALL_LOG_RESOLUTION, "telephony_events" if telephony_only else "call_log")


def volume_series(team, *, weeks: int = 12, today: date | None = None) -> LocalSeries:
    """The team's history for forecasting: the phone system's calls when it sends events (once they cover
    ``EVENT_DAYS_TO_SWITCH`` days, if there are imported volumes), else imported volumes, else the calls logged
    by hand."""
    today = today or timezone.localdate()
    last_day = today - timedelta(days=1)
    first_day = last_day - timedelta(days=7 * weeks - 1)
    events = call_log_series(team, first_day=first_day, last_day=last_day, telephony_only=True)
    stored = stored_series(team, first_day=first_day, last_day=last_day)
    if len(events) and (not len(stored) or len(events) // events.slots_per_day >= EVENT_DAYS_TO_SWITCH):
        return events
    if len(stored):
        return stored
    return call_log_series(team, first_day=first_day, last_day=last_day)


def weekday_profile(series: LocalSeries, weeks: int = 4) -> dict:
    """Average calls per weekday (Mon..Sun) and interval over the last ``weeks`` weeks of ``series``.

    Returns ``{"labels": ["08:00", ...], "weekdays": [[...] * slots] * 7, "totals": [per weekday]}``
    restricted to the intervals that ever had calls (office hours).
    """
    if not len(series):
        return {"labels": [], "weekdays": [], "totals": []}
    spd = series.slots_per_day
    n_days = len(series) // spd
    matrix = series.counts[: n_days * spd].reshape(n_days, spd)[-7 * weeks:]
    first_day = series.starts[(n_days - len(matrix)) * spd].astype("datetime64[D]").item()
    weekdays = [(first_day + timedelta(days=i)).weekday() for i in range(len(matrix))]
    sums, days = np.zeros((7, spd)), np.zeros(7)
    for row, wd in zip(matrix, weekdays, strict=True):
        sums[wd] += row
        days[wd] += 1
    mean = np.divide(sums, days[:, None], out=np.zeros_like(sums), where=days[:, None] > 0)
    open_slots = np.flatnonzero(mean.sum(axis=0) > 0)
    if not len(open_slots):
        return {"labels": [], "weekdays": [], "totals": []}
    lo, hi = int(open_slots[0]), int(open_slots[-1]) + 1
    labels = [f"{(i * series.resolution_minutes) // 60:02d}:{(i * series.resolution_minutes) % 60:02d}"
              for i in range(lo, hi)]
    return {
        "labels": labels,
        "weekdays": [[round(float(v), 1) for v in mean[wd, lo:hi]] for wd in range(7)],
        "totals": [round(float(mean[wd].sum()), 1) for wd in range(7)],
    }


def daily_totals(series: LocalSeries) -> list[tuple[date, float]]:
    spd = series.slots_per_day
    n_days = len(series) // spd
    if not n_days:
        return []
    first = series.starts[0].astype("datetime64[D]").item()
    totals = series.counts[: n_days * spd].reshape(n_days, spd).sum(axis=1)
    return [(first + timedelta(days=i), float(t)) for i, t in enumerate(totals)]


def volume_overview() -> list[dict]:
    """Per team (and the whole line): stored intervals, first and last interval, total calls."""
    from django.db.models import Max, Min, Sum

    rows = (
        CallVolume.objects.values("team__code", "team__name", "resolution_minutes")
        .annotate(first=Min("start"), last=Max("start"), calls=Sum("calls"))
        .order_by("team__code")
    )
    return list(rows)


def interval_label(moment: np.datetime64) -> str:
    return str(moment)[:16].replace("T", " ")


def utc_of_local(local: np.datetime64) -> datetime:
    naive = local.astype("datetime64[s]").item()
    return naive.replace(tzinfo=LOCAL).astimezone(UTC)


def group_by_day(starts: np.ndarray, values: np.ndarray) -> dict[date, list[tuple[np.datetime64, float]]]:
    result: dict = defaultdict(list)
    for s, v in zip(starts, values, strict=True):
        result[s.astype("datetime64[D]").item()].append((s, float(v)))
    return result
