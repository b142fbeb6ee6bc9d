"""Reading a telephony export of interval call volumes (``start``, ``calls``) strictly.

The file is read completely and checked before anything is stored: every unparseable row, duplicate
interval and gap is collected and reported with its row number and value, so the planner can fix the
export in one go. Times are local wall-clock times (Europe/Berlin). Around the daylight-saving switches a
local export skips 02:00-02:59 in spring (those intervals are expected to be missing) and shows
02:00-02:59 twice in autumn (the first occurrence is summer time, the second winter time).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from isf_stats.capacity import VolumeSeriesError, regularise

RESOLUTIONS = (5, 15, 30)
_SHOWN = 10


class VolumeFileError(ValueError):
    """The file was rejected; ``problems`` lists every reason (row numbers are file lines, header = 1)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:_SHOWN] + ([f"... and {len(problems) - _SHOWN} more"] if len(problems) > _SHOWN else [])
        super().__init__("call-volume file rejected, nothing imported:\n  " + "\n  ".join(shown))


@dataclass(frozen=True)
class VolumeFile:
    """A validated file: interval starts as aware UTC datetimes, their counts and the resolution."""

    starts_utc: list[datetime]
    counts: list[int]
    resolution_minutes: int
    first_local: datetime
    last_local: datetime


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise VolumeFileError(["the file is neither UTF-8 nor Windows-1252 text"])


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")
_GERMAN = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?")


def parse_local(value: str) -> datetime | None:
    """A naive local date-time: ``2026-11-02 08:15`` (or with T, seconds) or ``02.11.2026 08:15``."""
    text = value.strip()
    match = _ISO.fullmatch(text)
    if match:
        y, mo, d, h, mi, sec = match.groups()
    else:
        match = _GERMAN.fullmatch(text)
        if not match:
            return None
        d, mo, y, h, mi, sec = match.groups()
    try:
        return datetime(int(y), int(mo), int(d), int(h), int(mi), int(sec or 0))  # noqa: DTZ001 - local wall clock
    except ValueError:
        return None


def _to_utc(local: datetime, zone: ZoneInfo, fold: int) -> datetime:
    return local.replace(tzinfo=zone, fold=fold).astimezone(UTC)


def _exists(local: datetime, zone: ZoneInfo) -> bool:
    return _to_utc(local, zone, 0).astimezone(zone).replace(tzinfo=None) == local


def _ambiguous(local: datetime, zone: ZoneInfo) -> bool:
    return _to_utc(local, zone, 0) != _to_utc(local, zone, 1)


def read_volume_file(path: str | Path, timezone: str = "Europe/Berlin") -> VolumeFile:
    """Read and validate a ``start;calls`` CSV (``;`` or ``,`` separated, UTF-8 or Windows-1252)."""
    path = Path(path)
    if not path.exists():
        raise VolumeFileError([f"file not found: {path}"])
    text = _decode(path.read_bytes())
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") and ";" in first_line else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in ("start", "calls") if c not in header]
    if missing:
        raise VolumeFileError([f"missing column(s) {', '.join(missing)}; the header row has {header or 'nothing'}"])
    i_start, i_calls = header.index("start"), header.index("calls")
    zone = ZoneInfo(timezone)
    problems: list[str] = []
    rows: list[tuple[int, datetime, int]] = []
    for line, record in enumerate(reader, start=2):
        if not record or all(not c.strip() for c in record):
            continue
        if len(record) <= max(i_start, i_calls):
            problems.append(f"row {line}: expected columns start and calls, got {delimiter.join(record)!r}")
            continue
        raw_start, raw_calls = record[i_start], record[i_calls].strip()
        local = parse_local(raw_start)
        if local is None:
            problems.append(f"row {line}: start {raw_start!r} is not a date-time like 2026-11-02 08:15")
        elif local.hour == 2 and not _exists(local, zone):
            problems.append(f"row {line}: start {raw_start!r} does not exist in {timezone} (daylight-saving change)")
            local = None
        try:
            calls = int(raw_calls)
        except ValueError:
            problems.append(f"row {line}: calls {raw_calls!r} is not a whole number")
            calls = None
        else:
            if calls < 0:
                problems.append(f"row {line}: calls {raw_calls!r} is negative")
                calls = None
        if local is not None and calls is not None:
            rows.append((line, local, calls))
    if not rows and not problems:
        problems.append("the file has no data rows")
    if problems:
        raise VolumeFileError(problems)

    # Duplicates (by row number); the repeated autumn hour is allowed exactly twice.
    seen: dict[datetime, list[int]] = {}
    for line, local, _calls in rows:
        seen.setdefault(local, []).append(line)
    folds: dict[int, int] = {}
    for local, lines in seen.items():
        if len(lines) == 2 and local.hour == 2 and _ambiguous(local, zone):
            folds[lines[1]] = 1
        elif len(lines) > 1:
            problems.append(f"rows {', '.join(map(str, lines))}: duplicate interval {local:%Y-%m-%d %H:%M}")

    if problems:
        raise VolumeFileError(problems)

    # Resolution and gaps on the local grid (the skipped spring hour is filled in as expected).
    unique = sorted(seen)
    resolution = _resolution(unique)
    if resolution not in RESOLUTIONS:
        detail = f"{resolution} minutes" if resolution else "only one interval"
        raise VolumeFileError([f"interval length {detail}; expected 5, 15 or 30 minutes between starts"])
    spring = _spring_gap(unique[0], unique[-1], zone, resolution)
    grid = np.array([np.datetime64(t, "m") for t in unique + spring])
    try:
        regularise(grid, np.zeros(len(grid)), resolution_minutes=resolution)
    except VolumeSeriesError as exc:
        if exc.gaps:
            problems.append(f"{len(exc.gaps)} missing interval(s): {_gap_text(exc.gaps, resolution)}")
        if exc.misaligned:
            shown = ", ".join(str(t)[:16].replace("T", " ") for t in exc.misaligned[:_SHOWN])
            problems.append(f"start(s) off the {resolution}-minute grid: {shown}")
        if not exc.gaps and not exc.misaligned:
            problems.append(str(exc))
        raise VolumeFileError(problems) from None
    rows.sort(key=lambda r: (r[1], folds.get(r[0], 0)))
    return VolumeFile(
        starts_utc=[_to_utc(local, zone, folds.get(line, 0)) for line, local, _ in rows],
        counts=[calls for _, _, calls in rows],
        resolution_minutes=resolution,
        first_local=rows[0][1],
        last_local=rows[-1][1],
    )


def _resolution(unique: list[datetime]) -> int:
    """The most common spacing in minutes between consecutive distinct starts (0 for a single start)."""
    if len(unique) < 2:
        return 0
    steps = [int((b - a).total_seconds() // 60) for a, b in zip(unique, unique[1:], strict=False)]
    values, counts = np.unique(steps, return_counts=True)
    return int(values[np.argmax(counts)])


def _spring_gap(first: datetime, last: datetime, zone: ZoneInfo, resolution: int) -> list[datetime]:
    """Local starts that do not exist (spring forward) between first and last, on the file's grid."""
    result = []
    day = first.date()
    while day <= last.date():
        probe = datetime(day.year, day.month, day.day, 2, 0)  # noqa: DTZ001 - local wall clock
        if not _exists(probe, zone):
            result += [probe + timedelta(minutes=m) for m in range(0, 60, resolution)]
        day += timedelta(days=1)
    return [t for t in result if first <= t <= last]


def _gap_text(gaps: list, resolution: int) -> str:
    """Missing starts as runs 'first – last (k intervals)' so a missing day is one entry."""
    runs: list[list] = []
    for g in sorted(gaps):
        if runs and (g - runs[-1][-1]) == np.timedelta64(resolution, "m"):
            runs[-1].append(g)
        else:
            runs.append([g])

    def fmt(t) -> str:
        return str(t)[:16].replace("T", " ")

    parts = [fmt(r[0]) if len(r) == 1 else f"{fmt(r[0])} – {fmt(r[-1])} ({len(r)} intervals)" for r in runs]
    return ", ".join(parts[:_SHOWN]) + (f" ... ({len(runs)} gaps in total)" if len(runs) > _SHOWN else "")
