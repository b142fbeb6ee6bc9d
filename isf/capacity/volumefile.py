"""Reading a call-centre interval export strictly: everything is checked before anything is stored.

Columns are recognised by the usual headers of contact-centre exports, German or English (``HEADERS``): either one
``start`` column or ``date`` plus ``time``/``interval`` (``08:15`` or ``08:15-08:30``), the calls ``offered``
(``angeboten``, ``calls``), and optionally ``answered`` (``angenommen``), ``abandoned`` (``aufgelegt``) and the
average handling time (``AHT``, seconds or ``mm:ss``). Every unparseable row, negative count and duplicate
interval is collected and reported with its row number (header = 1), so the export can be fixed in one go.

* **Open intervals only.** Real exports list only the intervals when the centre is open. A missing interval that
  is closed - outside the team's opening hours, on its holidays, or, without opening hours, missing in the same
  weekly pattern through the file or on a day without any row (``isf.capacity.opening``) - is no gap: it is
  stored as nothing, which the forecast reads as 0 calls. A missing interval inside the opening hours is a gap:
  a warning with the count, and the file is imported unless gaps are more than ``MAX_GAP_SHARE`` (1 %) of the
  open intervals.
* **Local times** are read in the team's time zone (its business calendar's; Europe/Berlin without a team).
* **Spring change**: the skipped hour (02:00-02:59) does not exist; a row for it is an error only if it holds
  calls (exports that list every hour write it with 0, and such rows are dropped).
* **Autumn change**: the repeated hour (02:00-02:59) listed twice is summer time in its first row and winter time
  in its second, stored as separate intervals; listed once (an export that sums it) it counts once, as summer
  time. The forecast's local grid sums both occurrences into one set of intervals either way.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from isf.capacity.opening import open_mask

RESOLUTIONS = (5, 15, 30)
MAX_GAP_SHARE = 0.01  # gaps inside opening hours beyond this share of the open intervals reject the file
_SHOWN = 10
DEFAULT_ZONE = "Europe/Berlin"

#: recognised headers (normalised: lower case, units in brackets and punctuation dropped)
HEADERS: dict[str, tuple[str, ...]] = {
    "start": ("start", "interval start", "intervallbeginn", "intervall beginn", "beginn", "zeitpunkt", "datetime",
              "date time", "datum uhrzeit", "period start", "start time"),
    "date": ("date", "datum", "tag", "day"),
    "time": ("time", "zeit", "uhrzeit", "interval", "intervall", "time interval", "zeitintervall", "halbstunde",
             "viertelstunde"),
    "calls": ("calls", "offered", "calls offered", "contacts offered", "angeboten", "angebotene anrufe",
              "anrufe angeboten", "eingehende anrufe", "anrufe", "offered calls"),
    "answered": ("answered", "calls answered", "handled", "calls handled", "angenommen", "angenommene anrufe",
                 "anrufe angenommen", "bearbeitet"),
    "abandoned": ("abandoned", "calls abandoned", "aufgelegt", "aufgelegte anrufe", "abgebrochen", "verloren",
                  "lost", "lost calls"),
    "aht": ("aht", "aht s", "average handling time", "average handle time", "avg handle time",
            "durchschnittliche bearbeitungszeit", "bearbeitungszeit", "mittlere bearbeitungszeit", "dbz"),
}


class VolumeFileError(ValueError):
    """The file was rejected; ``problems`` lists every reason (row numbers are file lines, header = 1), ``details``
    the same as ``row``/``column``/``value``/``message`` (the message in English, for
    :func:`isf.imports.wording.reason`; ``row`` None for the file as a whole)."""

    def __init__(self, problems: list[str], details: list[dict] | None = None):
        self.problems = problems
        self.details = details if details is not None else [
            {"row": None, "column": "", "value": "", "message": p} for p in problems]
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
    local_starts: np.ndarray = field(default_factory=lambda: np.array([], dtype="datetime64[m]"))
    closed_intervals: int = 0
    gaps: int = 0
    warnings: list[str] = field(default_factory=list)
    answered: int | None = None
    abandoned: int | None = None
    aht_seconds: float | None = None
    timezone: str = DEFAULT_ZONE
    details: list[dict] = field(default_factory=list)  # per row: answered, abandoned, aht_seconds as in the file


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


_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_GERMAN = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::\d{2})?(?:\s*[-–]\s*\d{1,2}:\d{2}(?::\d{2})?)?")
_DURATION = re.compile(r"(?:(\d+):)?(\d+):(\d{2})")


def _normalise(header: str) -> str:
    text = re.sub(r"[(\[].*?[)\]]", " ", header.lower())
    return " ".join(re.sub(r"[^a-z0-9äöüß]+", " ", text).split())


def columns_of(header: list[str], mapping: dict[str, str] | None = None) -> dict[str, int]:
    """Recognised column -> index (the first header matching each name); ``mapping`` (field -> header as in the
    file) names the columns of an export whose headings are not recognised."""
    found: dict[str, int] = {}
    for key, chosen in (mapping or {}).items():
        if key in HEADERS and chosen in header:
            found[key] = header.index(chosen)
    for index, raw in enumerate(header):
        name = _normalise(raw)
        for key, aliases in HEADERS.items():
            if key not in found and index not in found.values() and name in aliases:
                found[key] = index
                break
    return found


def _local_of(record: list[str], cols: dict[str, int]) -> datetime | None:
    if "start" in cols:
        return parse_local(record[cols["start"]])
    day_text, clock_text = record[cols["date"]].strip(), record[cols["time"]].strip()
    match = _DATE_ISO.fullmatch(day_text)
    if match:
        y, mo, d = match.groups()
    else:
        match = _DATE_GERMAN.fullmatch(day_text)
        if not match:
            return parse_local(f"{day_text} {clock_text}")
        d, mo, y = match.groups()
    clock = _CLOCK.fullmatch(clock_text)
    if not clock:
        return None
    try:
        return datetime(int(y), int(mo), int(d), int(clock.group(1)), int(clock.group(2)))  # noqa: DTZ001
    except ValueError:
        return None


def _count(text: str) -> int | None:
    text = text.strip().replace(".", "") if re.fullmatch(r"\d{1,3}(\.\d{3})+", text.strip()) else text.strip()
    try:
        return int(text)
    except ValueError:
        return None


def _seconds(text: str) -> float | None:
    text = text.strip()
    match = _DURATION.fullmatch(text)
    if match:
        hours, minutes, seconds = match.groups()
        return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise VolumeFileError([f"unknown time zone {name!r}; give an IANA name like Europe/Berlin"]) from None


def open_volume_table(path: str | Path) -> tuple[list[str], object, str]:
    """The header, the remaining records and the delimiter of an interval export."""
    text = _decode(Path(path).read_bytes())
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") and ";" in first_line else ","
    if delimiter == "," and "\t" in first_line:
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [h.strip() for h in next(reader, [])], reader, delimiter


def read_volume_file(path: str | Path, timezone: str | None = None, *, calendar=None,
                     mapping: dict[str, str] | None = None) -> VolumeFile:
    """Read and validate an interval export (``;`` or ``,`` separated, UTF-8 or Windows-1252).

    ``calendar``: the team's business calendar (opening hours, holidays, time zone) that tells closed intervals
    from gaps; None reads them from the file's weekly pattern (module docstring)."""
    path = Path(path)
    zone_name = timezone or (calendar.timezone if calendar is not None else DEFAULT_ZONE)
    zone = _zone(zone_name)
    if not path.exists():
        raise VolumeFileError([f"file not found: {path}"])
    header, reader, delimiter = open_volume_table(path)
    cols = columns_of(header, mapping)
    missing = [] if "start" in cols or {"date", "time"} <= set(cols) else ["start (or date and time)"]
    if "calls" not in cols:
        missing.append("calls (offered)")
    if missing:
        raise VolumeFileError([f"missing column(s) {', '.join(missing)}; the header row has "
                               f"{[h.lower() for h in header] or 'nothing'}"])
    problems: list[str] = []
    details: list[dict] = []

    def bad(line: int, key: str, value: str, message: str, text: str) -> None:
        problems.append(text)
        details.append({"row": line, "column": header[cols[key]] if key in cols and cols[key] < len(header) else "",
                        "value": value, "message": message})

    rows: list[tuple[int, datetime, int, dict]] = []
    extras = {"answered": 0, "abandoned": 0}
    aht_sum = aht_weight = 0.0
    for line, record in enumerate(reader, start=2):
        if not record or all(not c.strip() for c in record):
            continue
        if len(record) <= max(cols.values()):
            bad(line, "", delimiter.join(record), f"expected {len(header)} columns, got {len(record)}",
                f"row {line}: expected {len(header)} columns, got {delimiter.join(record)!r}")
            continue
        when = delimiter.join(record[cols[k]] for k in ("start", "date", "time") if k in cols)
        local = _local_of(record, cols)
        if local is None:
            shown = " ".join(record[cols[k]].strip() for k in ("start", "date", "time") if k in cols)
            bad(line, "start" if "start" in cols else "date", shown, "not a date and time like 02.11.2026 08:15",
                f"row {line}: start {when!r} is not a date-time like 2026-11-02 08:15")
        raw_calls = record[cols["calls"]].strip()
        calls = _count(raw_calls)
        if calls is None:
            bad(line, "calls", raw_calls, "not a whole number", f"row {line}: calls {raw_calls!r} is not a whole number")
        elif calls < 0:
            bad(line, "calls", raw_calls, "must not be below 0", f"row {line}: calls {raw_calls!r} is negative")
            calls = None
        detail: dict = {}
        for key in ("answered", "abandoned"):
            if key in cols and record[cols[key]].strip():
                value = _count(record[cols[key]])
                if value is None or value < 0:
                    bad(line, key, record[cols[key]].strip(), "must not be below 0" if value is not None
                        else "not a whole number",
                        f"row {line}: {key} {record[cols[key]].strip()!r} is not a count of 0 or more")
                else:
                    extras[key] += value
                    detail[key] = value
        if "aht" in cols and record[cols["aht"]].strip():
            seconds = _seconds(record[cols["aht"]])
            if seconds is None or seconds < 0:
                bad(line, "aht", record[cols["aht"]].strip(), "not a duration in seconds or mm:ss",
                    f"row {line}: average handling time {record[cols['aht']].strip()!r} is not a "
                    f"duration in seconds or mm:ss")
            elif calls:  # weighted by the answered calls when the file has them, else by the offered
                detail["aht_seconds"] = round(seconds)
                weight = float(_count(record[cols["answered"]]) or 0) if "answered" in cols else float(calls)
                aht_sum, aht_weight = aht_sum + seconds * weight, aht_weight + weight
        if local is not None and not _exists(local, zone):
            if calls:
                bad(line, "start" if "start" in cols else "time", when,
                    f"the daylight-saving change skips this hour in {zone_name}, but it holds {calls} calls",
                    f"row {line}: start {when!r} does not exist in {zone_name} (the daylight-saving "
                    f"change skips that hour) but holds {calls} calls")
            continue  # an empty row for the skipped hour: nothing to keep
        if local is not None and calls is not None:
            rows.append((line, local, calls, detail))
    if not rows and not problems:
        problems.append("the file has no data rows")

    # Duplicates among the rows that were read (by row number), reported with the other rows' problems in one
    # pass; the repeated autumn hour is allowed exactly twice.
    seen: dict[datetime, list[int]] = {}
    for line, local, *_rest in rows:
        seen.setdefault(local, []).append(line)
    folds: dict[int, int] = {}
    for local, lines in seen.items():
        if len(lines) == 2 and _ambiguous(local, zone):
            folds[lines[1]] = 1
        elif len(lines) > 1:
            problems.append(f"rows {', '.join(map(str, lines))}: duplicate interval {local:%Y-%m-%d %H:%M}")
            details.extend({"row": later, "column": header[cols["start" if "start" in cols else "date"]],
                            "value": f"{local:%d.%m.%Y %H:%M}",
                            "message": f"duplicate interval {local:%d.%m.%Y %H:%M} (first in row {lines[0]})"}
                           for later in lines[1:])
    if problems:
        raise VolumeFileError(problems, sorted(details, key=lambda d: (d["row"] is None, d["row"] or 0)))

    unique = sorted(seen)
    resolution = _resolution(unique)
    if resolution not in RESOLUTIONS:
        detail = f"{resolution} minutes" if resolution else "only one interval"
        raise VolumeFileError([f"interval length {detail}; expected 5, 15 or 30 minutes between starts"])
    present = np.array([np.datetime64(t, "m") for t in unique])
    off_grid = present[(present - present.astype("datetime64[D]")).astype(np.int64) % resolution != 0]
    if len(off_grid):
        shown = ", ".join(str(t)[:16].replace("T", " ") for t in off_grid[:_SHOWN])
        raise VolumeFileError([f"start(s) off the {resolution}-minute grid: {shown}"])
    grid = np.arange(present[0], present[-1] + np.timedelta64(1, "m"), np.timedelta64(resolution, "m"))
    skipped = np.array([np.datetime64(t, "m") for t in _spring_gap(unique[0], unique[-1], zone, resolution)],
                       dtype="datetime64[m]")
    grid = grid[~np.isin(grid, skipped)]
    missing = grid[~np.isin(grid, present)]
    open_grid = open_mask(grid, resolution, cal=calendar, present=present)
    gaps = missing[open_grid[np.isin(grid, missing)]]
    warnings = []
    if len(gaps):
        open_total = int(open_grid.sum())
        share = len(gaps) / open_total if open_total else 1.0
        text = (f"{len(gaps)} missing interval(s) inside opening hours ({share:.1%} of {open_total} open "
                f"intervals): {_gap_text(list(gaps), resolution)}")
        if share > MAX_GAP_SHARE:
            raise VolumeFileError([f"{text}; more than the {MAX_GAP_SHARE:.0%} a file may miss"])
        warnings.append(text + "; imported as 0 calls")
    rows.sort(key=lambda r: (r[1], folds.get(r[0], 0)))
    return VolumeFile(
        starts_utc=[_to_utc(local, zone, folds.get(line, 0)) for line, local, *_rest in rows],
        counts=[row[2] for row in rows],
        details=[row[3] for row in rows],
        resolution_minutes=resolution,
        first_local=rows[0][1],
        last_local=rows[-1][1],
        local_starts=present,
        closed_intervals=int(len(missing) - len(gaps)),
        gaps=int(len(gaps)),
        warnings=warnings,
        answered=extras["answered"] if "answered" in cols else None,
        abandoned=extras["abandoned"] if "abandoned" in cols else None,
        aht_seconds=round(aht_sum / aht_weight, 1) if aht_weight else None,
        timezone=zone_name,
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
