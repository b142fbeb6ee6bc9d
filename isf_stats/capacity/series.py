"""Validation of interval call-volume series before anything is forecast from them.

Why strict
----------
Telephony exports are messy: a missing interval (the ACD was down, an export was cut), the same
interval twice (two exports concatenated) or a DST hour exported twice all look like plausible
numbers to a forecaster, which would silently shift the weekday x time-of-day pattern by one slot.
So the series is checked here and every problem is reported with the offending timestamps, all at
once, so the import screen can show the planner exactly what to fix. Nothing is filled in silently.

Times are naive local wall-clock times (numpy ``datetime64``), because the call pattern follows the
local clock (opening hours, lunch dip), not UTC. Daylight-saving switches are therefore the caller's
job when it converts stored UTC data: build the local grid so that the skipped spring hour is present
(with 0 calls) and the repeated autumn hour is summed into one set of intervals; a raw local-time
export shows them here as a gap or as duplicates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

__all__ = ["ALLOWED_RESOLUTIONS", "VolumeSeries", "VolumeSeriesError", "regularise"]

ALLOWED_RESOLUTIONS = (5, 10, 15, 20, 30, 60)
_MINUTE = np.timedelta64(1, "m")
_NAT = np.datetime64("NaT", "s")
_SHOWN = 10  # offending values quoted per problem in the message; the attributes hold all of them


class VolumeSeriesError(ValueError):
    """The series is not a regular interval series. Attributes list every offending timestamp/index."""

    def __init__(
        self,
        message: str,
        *,
        unparseable: list[int] | None = None,
        bad_counts: list[int] | None = None,
        negative: list[np.datetime64] | None = None,
        duplicates: list[np.datetime64] | None = None,
        misaligned: list[np.datetime64] | None = None,
        gaps: list[np.datetime64] | None = None,
    ) -> None:
        super().__init__(message)
        self.unparseable = unparseable or []
        self.bad_counts = bad_counts or []
        self.negative = negative or []
        self.duplicates = duplicates or []
        self.misaligned = misaligned or []
        self.gaps = gaps or []


@dataclass(frozen=True, eq=False)
class VolumeSeries:
    """A validated, sorted, gap-free series: ``starts`` (datetime64[m]) and ``counts`` (float, >= 0)."""

    starts: np.ndarray
    counts: np.ndarray
    resolution_minutes: int
    slots_per_day: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "slots_per_day", 1440 // self.resolution_minutes)

    def __len__(self) -> int:
        return len(self.counts)


def _show(values: list) -> str:
    text = ", ".join(str(v) for v in values[:_SHOWN])
    return text + (f", ... ({len(values)} in total)" if len(values) > _SHOWN else "")


def _parse_starts(starts: object) -> tuple[np.ndarray, list[int]]:
    """Interval starts as datetime64[s] plus the indices that could not be read as a naive local time."""
    raw = np.asarray(starts)
    if raw.ndim != 1:
        raise VolumeSeriesError(f"starts must be one-dimensional, got shape {raw.shape}")
    if np.issubdtype(raw.dtype, np.datetime64):
        parsed = raw.astype("datetime64[s]")
        return parsed, [int(i) for i in np.flatnonzero(np.isnat(parsed))]
    parsed = np.empty(len(raw), dtype="datetime64[s]")
    bad: list[int] = []
    for i, value in enumerate(raw.tolist()):
        aware = isinstance(value, dt.datetime) and value.tzinfo is not None
        if aware or isinstance(value, int | float):
            # aware datetimes would be shifted to UTC and break the time-of-day pattern; bare numbers
            # would be read as seconds since 1970 - neither is a local wall-clock time
            bad.append(i)
            parsed[i] = _NAT
            continue
        try:
            parsed[i] = np.datetime64(value, "s") if value is not None else _NAT
        except (ValueError, TypeError, OverflowError):
            parsed[i] = _NAT
        if np.isnat(parsed[i]):
            bad.append(i)
    return parsed, bad


def _parse_counts(counts: object, n: int) -> tuple[np.ndarray, list[int]]:
    raw = np.asarray(counts)
    if raw.ndim != 1 or len(raw) != n:
        raise VolumeSeriesError(f"counts must be one-dimensional with one value per start ({n}), got shape {raw.shape}")
    values = np.full(n, np.nan)
    for i, value in enumerate(raw.tolist()):
        if isinstance(value, bool):
            continue
        try:
            values[i] = float(value)
        except (TypeError, ValueError):
            pass
    return values, [int(i) for i in np.flatnonzero(~np.isfinite(values))]


def _detect_resolution(starts: np.ndarray) -> int:
    steps = np.diff(np.unique(starts)).astype("timedelta64[s]").astype(np.int64)
    if len(steps) == 0:
        raise VolumeSeriesError("need at least two distinct interval starts to detect the resolution")
    values, freq = np.unique(steps, return_counts=True)
    step = int(values[np.argmax(freq)])  # the most common spacing; gaps are multiples of it
    if step % 60 or step // 60 not in ALLOWED_RESOLUTIONS:
        raise VolumeSeriesError(
            f"detected interval spacing of {step / 60:g} minutes; expected one of {ALLOWED_RESOLUTIONS} minutes"
        )
    return step // 60


def _gap_ranges(missing: np.ndarray, resolution: int) -> list[str]:
    """Summarise missing starts as 'first..last (k intervals)' runs so a week-long hole is one line."""
    if len(missing) == 0:
        return []
    breaks = np.flatnonzero(np.diff(missing) != np.timedelta64(resolution, "m")) + 1
    runs = np.split(missing, breaks)
    return [str(r[0]) if len(r) == 1 else f"{r[0]}..{r[-1]} ({len(r)} intervals)" for r in runs]


def regularise(starts: object, counts: object, resolution_minutes: int | None = None) -> VolumeSeries:
    """Validate and sort an interval series; raise :class:`VolumeSeriesError` listing every problem.

    ``starts`` are interval start times (``datetime64``, ISO strings or naive ``datetime``), in any
    order; ``counts`` the calls offered per interval. ``resolution_minutes`` is detected from the most
    common spacing when not given. Problems reported: unreadable starts, missing/NaN/negative counts,
    duplicate starts, starts off the interval grid (e.g. 08:07 in a 15-minute series) and gaps.
    """
    parsed, unparseable = _parse_starts(starts)
    if len(parsed) == 0:
        raise VolumeSeriesError("the volume series is empty")
    values, bad_counts = _parse_counts(counts, len(parsed))
    problems: list[str] = []
    if unparseable:
        shown = _show([f"#{i}={np.asarray(starts, dtype=object)[i]!r}" for i in unparseable])
        problems.append(f"{len(unparseable)} start(s) are not readable naive local times: {shown}")
    if bad_counts:
        problems.append(f"{len(bad_counts)} count(s) are missing or not numbers at positions {_show(bad_counts)}")
    ok = ~np.isnat(parsed)
    good_starts = parsed[ok]
    negative = [t.astype("datetime64[m]") for t in parsed[ok & (values < 0)]]
    if negative:
        problems.append(f"{len(negative)} negative count(s) at {_show(negative)}")

    unique, multiplicity = np.unique(good_starts, return_counts=True)
    duplicates = [t.astype("datetime64[m]") for t in unique[multiplicity > 1]]
    if duplicates:
        problems.append(f"{len(duplicates)} duplicate start(s): {_show(duplicates)}")

    misaligned: list[np.datetime64] = []
    gaps: list[np.datetime64] = []
    if len(unique) >= 2 or resolution_minutes is not None:
        if resolution_minutes is None:
            try:
                resolution = _detect_resolution(unique)
            except VolumeSeriesError as exc:
                problems.append(str(exc))
                resolution = None
        else:
            if resolution_minutes not in ALLOWED_RESOLUTIONS:
                raise VolumeSeriesError(
                    f"resolution_minutes must be one of {ALLOWED_RESOLUTIONS}, got {resolution_minutes!r}"
                )
            resolution = int(resolution_minutes)
        if resolution is not None and len(unique):
            seconds = unique.astype(np.int64)  # seconds since 1970-01-01T00:00, a midnight
            off_grid = seconds % (resolution * 60) != 0
            misaligned = list(unique[off_grid])
            if misaligned:
                problems.append(f"{len(misaligned)} start(s) off the {resolution}-minute grid: {_show(misaligned)}")
            on_grid = unique[~off_grid].astype("datetime64[m]")
            if len(on_grid):
                full = np.arange(on_grid[0], on_grid[-1] + _MINUTE, np.timedelta64(resolution, "m"))
                missing = np.setdiff1d(full, on_grid, assume_unique=True)
                gaps = list(missing)
                if gaps:
                    problems.append(f"{len(gaps)} missing interval(s): {_show(_gap_ranges(missing, resolution))}")
    elif not problems:
        problems.append("need at least two interval starts (or an explicit resolution_minutes)")

    if problems:
        raise VolumeSeriesError(
            "volume series is not regular: " + "; ".join(problems),
            unparseable=unparseable,
            bad_counts=bad_counts,
            negative=negative,
            duplicates=duplicates,
            misaligned=misaligned,
            gaps=gaps,
        )
    order = np.argsort(parsed, kind="stable")
    return VolumeSeries(
        starts=parsed[order].astype("datetime64[m]"), counts=values[order], resolution_minutes=resolution
    )
