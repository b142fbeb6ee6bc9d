"""Business-time arithmetic: the SLA clock of service orders.

Inside sales promises to complete a service within *N business hours*.  "Business hours" are local wall-clock
windows (default Monday-Friday 08:00-17:00 Europe/Berlin) minus the public holidays of the federal state the
order is handled in and minus company closing days.  This module answers the questions the rest of ISF asks
about that clock:

* Is the clock running right now?  (:func:`is_business_time`)
* When does a request that arrives at night start counting?  (:func:`next_business_moment`)
* When is the order due?  (:func:`add_business_seconds`, :func:`due_at` with pauses)
* How much of the budget is used up?  (:func:`business_seconds_between`, :func:`elapsed_with_pauses`,
  :func:`sla_state`)

Design decisions (and why):

* Pure Python, no Django: the clock is a pure function of calendar + instants, so it is tested exhaustively
  (including property tests) without a database, and any layer (models, API, tasks, reports) can use it.
* Every instant that enters or leaves the module is a timezone-aware datetime; outputs are always UTC.  Naive
  datetimes are rejected because guessing their zone is exactly the bug class an SLA clock must not have.
* Windows are *local wall-clock* times.  Each window of each day is converted to UTC separately via
  ``zoneinfo`` (``fold=0``), so DST changes are handled by the tz database rather than by offset arithmetic:
  08:00-17:00 is 9 real hours on every day, and a window that contains the DST change is one hour shorter
  (spring) or longer (autumn).
* The walk goes window by window, day by day (never minute by minute), so 2000 business hours are a few hundred
  cheap iterations.  Internally durations are ``timedelta`` (exact integer microseconds), so adding and then
  measuring a duration round-trips exactly.
* Windows are half-open ``[start, end)``: at 17:00 sharp the clock has stopped, at 08:00 sharp it runs.
"""

import functools
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from numbers import Real
from types import MappingProxyType
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

__all__ = [
    "DEFAULT_TIMEZONE",
    "BusinessCalendar",
    "SlaState",
    "Window",
    "add_business_seconds",
    "business_seconds_between",
    "due_at",
    "elapsed_with_pauses",
    "is_business_day",
    "is_business_time",
    "next_business_moment",
    "parse_local",
    "sla_state",
]

COUNTRY = "DE"
DEFAULT_TIMEZONE = "Europe/Berlin"

#: A business window as local wall-clock ``(start, end)``.  ``end == time(0)`` means 24:00 (end of the day),
#: because :class:`datetime.time` cannot represent 24:00 and a window can never legitimately end at 00:00.
type Window = tuple[time, time]
type SlaState = Literal["on_track", "due_soon", "breached"]

_ONE_DAY = timedelta(days=1)
_MIDNIGHT = time(0)
_DAY_US = 86_400 * 1_000_000
#: If this many consecutive calendar days have no business time, the calendar is considered broken (e.g. every
#: day of a decade listed as closing day) and we raise instead of looping forever.
_MAX_IDLE_DAYS = 3660

_HHMM = r"(\d{1,2}):(\d{2})"
_WINDOW_RE = re.compile(rf"^{_HHMM}-{_HHMM}$")
_WEEKDAY_PART_RE = re.compile(r"^([1-7])(?:-([1-7]))?$")


def _default_weekly_hours() -> dict[int, tuple[Window, ...]]:
    return {weekday: ((time(8), time(17)),) for weekday in range(5)}


# --------------------------------------------------------------------------------------------------------------
# Calendar
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BusinessCalendar:
    """When the SLA clock runs: weekly wall-clock windows minus state holidays minus closing days.

    Attributes:
        state: German federal state code (``"BY"``, ``"NW"``, ``"BE"``, ``"SN"``, ...) whose public holidays
            stop the clock, as known to the ``holidays`` package (case-insensitive on input).  ``None`` means
            national holidays only -- e.g. for a team that serves the whole country.
        timezone: IANA zone the windows are expressed in.
        weekly_hours: ``weekday (0=Monday .. 6=Sunday) -> windows``.  Windows of a day must be sorted-able,
            non-overlapping, and must not cross midnight (split overnight service into two days' windows);
            ``end == time(0)`` means 24:00.  Normalised to a read-only mapping of tuples.
        closing_days: Company closing days (e.g. 24 and 31 December), as :class:`datetime.date` objects in the
            calendar's local time.

    The dataclass is frozen and hashable so calendars can be cached and shared between threads.
    """

    state: str | None = None
    timezone: str = DEFAULT_TIMEZONE
    weekly_hours: Mapping[int, Sequence[Window]] = field(default_factory=_default_weekly_hours, hash=False)
    closing_days: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", _normalise_state(self.state))
        _zone(self.timezone)  # validate early: a typo should fail at configuration time, not at the first order
        object.__setattr__(self, "weekly_hours", _normalise_weekly_hours(self.weekly_hours))
        object.__setattr__(self, "closing_days", _normalise_closing_days(self.closing_days))

    @property
    def zone(self) -> ZoneInfo:
        """The :class:`~zoneinfo.ZoneInfo` of :attr:`timezone` (zoneinfo caches instances itself)."""
        return _zone(self.timezone)

    @classmethod
    def from_spec(
        cls,
        *,
        state: str | None = None,
        business_hours: str = "08:00-17:00",
        workdays: str = "1-5",
        closing_days: Iterable[date | str] = (),
        timezone: str = DEFAULT_TIMEZONE,
    ) -> "BusinessCalendar":
        """Build a calendar from the strings that settings, CLI flags and admin forms deliver.

        Args:
            state: Federal state code or ``None``.
            business_hours: ``"HH:MM-HH:MM"``, several windows separated by commas
                (``"08:00-12:00,13:00-17:00"``).  ``24:00`` is allowed as an end.  Applied to every workday.
            workdays: ISO weekdays (1=Monday .. 7=Sunday) as ranges and/or lists: ``"1-5"``, ``"1-3,5"``,
                ``"1,2,3,4,5,6"``.
            closing_days: ``date`` objects or ISO date strings (``"2027-12-24"``).
            timezone: IANA zone name.

        Raises:
            ValueError: with a message naming the offending argument and value.
        """
        windows = _parse_business_hours(business_hours)
        days = _parse_workdays(workdays)
        parsed_closing: set[date] = set()
        for item in closing_days:
            if isinstance(item, str):
                try:
                    parsed_closing.add(date.fromisoformat(item.strip()))
                except ValueError:
                    raise ValueError(f"closing_days: {item!r} is not an ISO date YYYY-MM-DD") from None
            else:
                parsed_closing.add(item)
        return cls(
            state=state,
            timezone=timezone,
            weekly_hours={weekday: windows for weekday in days},
            closing_days=frozenset(parsed_closing),
        )


@functools.cache
def _german_subdivisions() -> dict[str, str]:
    """Upper-cased subdivision code -> code as spelled by the ``holidays`` package."""
    return {code.upper(): code for code in holidays.country_holidays(COUNTRY).subdivisions}


def _normalise_state(state: str | None) -> str | None:
    if state is None:
        return None
    if not isinstance(state, str):
        raise ValueError(f"state: expected a federal state code like 'BY' or None, got {state!r}")
    code = _german_subdivisions().get(state.strip().upper())
    if code is None:
        known = ", ".join(sorted(_german_subdivisions().values()))
        raise ValueError(f"state: {state!r} is not a German federal state code (known: {known})")
    return code


@functools.cache
def _zone(key: str) -> ZoneInfo:
    if not isinstance(key, str):
        raise ValueError(f"timezone: expected an IANA zone name like 'Europe/Berlin', got {key!r}")
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"timezone: {key!r} is not a known IANA time zone") from None


def _time_us(value: time, *, is_end: bool) -> int:
    """Microseconds since local midnight; an end of 00:00 means 24:00."""
    us = ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000 + value.microsecond
    return _DAY_US if is_end and us == 0 else us


def _normalise_weekly_hours(weekly: Mapping[int, Sequence[Window]]) -> Mapping[int, tuple[Window, ...]]:
    if not isinstance(weekly, Mapping):
        raise ValueError(f"weekly_hours: expected a mapping weekday -> windows, got {type(weekly).__name__}")
    normalised: dict[int, tuple[Window, ...]] = {}
    for weekday, windows in weekly.items():
        if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise ValueError(f"weekly_hours: weekday must be an int 0 (Monday) .. 6 (Sunday), got {weekday!r}")
        checked: list[Window] = []
        for window in windows:
            try:
                start, end = window
            except (TypeError, ValueError):
                raise ValueError(f"weekly_hours[{weekday}]: {window!r} is not a (start, end) pair") from None
            for bound in (start, end):
                if not isinstance(bound, time):
                    raise ValueError(f"weekly_hours[{weekday}]: {bound!r} is not a datetime.time")
                if bound.tzinfo is not None:
                    raise ValueError(
                        f"weekly_hours[{weekday}]: {bound!r} must be a naive local wall-clock time; "
                        "the zone comes from the calendar's timezone"
                    )
            if _time_us(start, is_end=False) >= _time_us(end, is_end=True):
                raise ValueError(
                    f"weekly_hours[{weekday}]: window {start:%H:%M}-{end:%H:%M} must end after it starts "
                    "and must not cross midnight (use time(0) as end for 24:00)"
                )
            checked.append((start, end))
        checked.sort(key=lambda w: _time_us(w[0], is_end=False))
        for (_, prev_end), (next_start, _) in zip(checked, checked[1:], strict=False):
            if _time_us(next_start, is_end=False) < _time_us(prev_end, is_end=True):
                raise ValueError(f"weekly_hours[{weekday}]: windows overlap at {next_start:%H:%M}")
        if checked:
            normalised[weekday] = tuple(checked)
    if not normalised:
        raise ValueError("weekly_hours: the calendar has no business windows at all; the SLA clock would never run")
    return MappingProxyType(normalised)


def _normalise_closing_days(days: Iterable[date]) -> frozenset[date]:
    result = frozenset(days)
    for day in result:
        # datetime is a subclass of date but never equals one, so it would silently never match.
        if isinstance(day, datetime) or not isinstance(day, date):
            raise ValueError(f"closing_days: {day!r} is not a datetime.date")
    return result


def _parse_clock(hours: str, minutes: str, *, spec: str, allow_24: bool) -> time:
    h, m = int(hours), int(minutes)
    if allow_24 and h == 24 and m == 0:
        return _MIDNIGHT
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise ValueError(f"business_hours: {spec!r} contains an invalid time {hours}:{minutes}")
    return time(h, m)


def _parse_business_hours(spec: str) -> tuple[Window, ...]:
    if not isinstance(spec, str) or not spec.strip():
        raise ValueError(f"business_hours: {spec!r} is not HH:MM-HH:MM")
    windows: list[Window] = []
    for part in spec.split(","):
        part = part.strip().replace(" ", "")
        match = _WINDOW_RE.match(part)
        if match is None:
            raise ValueError(f"business_hours: {part!r} is not HH:MM-HH:MM")
        start = _parse_clock(match[1], match[2], spec=part, allow_24=False)
        end = _parse_clock(match[3], match[4], spec=part, allow_24=True)
        if _time_us(start, is_end=False) >= _time_us(end, is_end=True):
            raise ValueError(f"business_hours: {part!r} must end after it starts (overnight windows are not supported)")
        windows.append((start, end))
    windows.sort(key=lambda w: _time_us(w[0], is_end=False))
    for (_, prev_end), (next_start, _) in zip(windows, windows[1:], strict=False):
        if _time_us(next_start, is_end=False) < _time_us(prev_end, is_end=True):
            raise ValueError(f"business_hours: {spec!r} has overlapping windows")
    return tuple(windows)


def _parse_workdays(spec: str) -> frozenset[int]:
    """ISO weekdays ``"1-5"`` -> Python weekdays ``{0, .., 4}``."""
    error = f"workdays: {spec!r} is not a list of ISO weekdays 1 (Monday) .. 7 (Sunday) like '1-5' or '1-3,5'"
    if not isinstance(spec, str) or not spec.strip():
        raise ValueError(error)
    days: set[int] = set()
    for part in spec.split(","):
        match = _WEEKDAY_PART_RE.match(part.strip().replace(" ", ""))
        if match is None:
            raise ValueError(error)
        first = int(match[1])
        last = int(match[2]) if match[2] else first
        if last < first:
            raise ValueError(f"workdays: range {part.strip()!r} runs backwards (write '1-5', not '5-1')")
        days.update(range(first - 1, last))
    return frozenset(days)


# --------------------------------------------------------------------------------------------------------------
# Holidays and windows
# --------------------------------------------------------------------------------------------------------------


@functools.cache
def _holiday_dates(state: str | None, year: int) -> frozenset[date]:
    """Public holidays of ``state`` in ``year``, cached per (state, year).

    Building a ``holidays`` calendar is comparatively expensive and the result never changes, so it is computed
    once per process.  Which days count (Corpus Christi only in BY/BW/HE/NW/RP/SL, Reformation Day in the
    northern/eastern states, Buss- und Bettag in SN, Women's Day in BE since 2019 and MV since 2023, ...) is
    deliberately left to the ``holidays`` package rather than re-implemented here.
    """
    return frozenset(holidays.country_holidays(COUNTRY, subdiv=state, years=year).keys())


def is_business_day(cal: BusinessCalendar, day: date) -> bool:
    """Whether the local calendar ``day`` has business windows (workday, no holiday, no closing day)."""
    if isinstance(day, datetime) or not isinstance(day, date):
        raise ValueError(f"day: expected a datetime.date, got {day!r}")
    return (
        day.weekday() in cal.weekly_hours
        and day not in cal.closing_days
        and day not in _holiday_dates(cal.state, day.year)
    )


def _wall_to_utc(day: date, clock: time, zone: tzinfo) -> datetime:
    """Local wall-clock ``day clock`` as UTC, ``fold=0``.

    ``fold=0`` means: a wall time that occurs twice (autumn) is its first occurrence; a wall time that does not
    exist (spring gap, e.g. 02:30) is interpreted with the pre-transition offset, i.e. it lands one gap later
    (03:30 CEST).  Office windows in Europe/Berlin never touch 02:00-03:00, so this matters only for unusual
    custom windows.
    """
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


@functools.lru_cache(maxsize=8192)
def _day_windows(cal: BusinessCalendar, day: date) -> tuple[tuple[datetime, datetime], ...]:
    """The business windows of the local ``day`` as UTC ``[start, end)`` pairs (cached: list views ask often)."""
    if not is_business_day(cal, day):
        return ()
    zone = cal.zone
    result = []
    for start, end in cal.weekly_hours[day.weekday()]:
        start_utc = _wall_to_utc(day, start, zone)
        end_utc = _wall_to_utc(day + _ONE_DAY, end, zone) if end == _MIDNIGHT else _wall_to_utc(day, end, zone)
        result.append((start_utc, end_utc))
    return tuple(result)


def _iter_windows(cal: BusinessCalendar, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Yield the disjoint, ascending UTC business windows that end after ``moment``.

    Starts one local day early because a window of the previous local day may still be open.  Windows are
    clipped against the previous window's end so that the (pathological) fold=0 mapping of spring-gap times can
    never make two windows overlap and count the same second twice.
    """
    day = moment.astimezone(cal.zone).date() - _ONE_DAY
    previous_end: datetime | None = None
    idle_days = 0
    while True:
        produced = False
        for start, end in _day_windows(cal, day):
            if previous_end is not None and start < previous_end:
                start = previous_end
            if end <= start:
                continue
            previous_end = end
            produced = True
            if end > moment:
                yield start, end
        idle_days = 0 if produced else idle_days + 1
        if idle_days > _MAX_IDLE_DAYS:
            raise ValueError(
                f"calendar has no business time in the {_MAX_IDLE_DAYS} days after {day - _ONE_DAY * idle_days}"
            )
        day += _ONE_DAY


# --------------------------------------------------------------------------------------------------------------
# Input validation helpers
# --------------------------------------------------------------------------------------------------------------


def _aware_utc(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{name}: expected a timezone-aware datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name}: naive datetime {value.isoformat()} is not allowed; pass a timezone-aware datetime")
    return value.astimezone(UTC)


def _duration(seconds: float, name: str) -> timedelta:
    if isinstance(seconds, bool) or not isinstance(seconds, Real):
        raise TypeError(f"{name}: expected a number of seconds, got {type(seconds).__name__}")
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"{name}: must be a finite number of seconds >= 0, got {seconds!r}")
    return timedelta(seconds=float(seconds))


def _intervals(intervals: Iterable[tuple[datetime, datetime]], name: str) -> list[tuple[datetime, datetime]]:
    """Validate, sort and merge overlapping intervals (overlaps must not count twice)."""
    checked = []
    for index, interval in enumerate(intervals):
        try:
            raw_start, raw_end = interval
        except (TypeError, ValueError):
            raise ValueError(f"{name}[{index}]: {interval!r} is not a (start, end) pair") from None
        start = _aware_utc(raw_start, f"{name}[{index}].start")
        end = _aware_utc(raw_end, f"{name}[{index}].end")
        if end < start:
            raise ValueError(f"{name}[{index}]: end {end.isoformat()} is before start {start.isoformat()}")
        checked.append((start, end))
    checked.sort()
    merged: list[tuple[datetime, datetime]] = []
    for start, end in checked:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


# --------------------------------------------------------------------------------------------------------------
# Public clock functions
# --------------------------------------------------------------------------------------------------------------


def is_business_time(cal: BusinessCalendar, moment_utc: datetime) -> bool:
    """Whether the SLA clock runs at ``moment_utc`` (windows are half-open: 17:00 sharp is closed)."""
    moment = _aware_utc(moment_utc, "moment_utc")
    start, _ = next(_iter_windows(cal, moment))
    return start <= moment


def next_business_moment(cal: BusinessCalendar, moment_utc: datetime) -> datetime:
    """The moment the clock starts (or keeps) running: ``moment_utc`` itself if in business time, else the start
    of the next window.  A request received Saturday or at 18:00 starts counting the next workday at 08:00."""
    moment = _aware_utc(moment_utc, "moment_utc")
    start, _ = next(_iter_windows(cal, moment))
    return max(start, moment)


def _add(cal: BusinessCalendar, start: datetime, remaining: timedelta) -> datetime:
    if not remaining:
        return start
    for window_start, window_end in _iter_windows(cal, start):
        window_start = max(window_start, start)
        available = window_end - window_start
        if remaining <= available:
            return window_start + remaining
        remaining -= available
    raise AssertionError("unreachable: _iter_windows is infinite")  # pragma: no cover


def add_business_seconds(cal: BusinessCalendar, start_utc: datetime, seconds: float) -> datetime:
    """The earliest UTC instant at which ``seconds`` of business time have passed since ``start_utc``.

    If the budget is used up exactly at a window end, the window end (e.g. 17:00) is returned, not the next
    morning: "done by 17:00" is the honest due time.  ``seconds == 0`` returns ``start_utc`` (in UTC) unchanged.
    Precision is one microsecond.
    """
    start = _aware_utc(start_utc, "start_utc")
    return _add(cal, start, _duration(seconds, "seconds"))


def _between(cal: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    total = timedelta(0)
    if end <= start:
        return total
    for window_start, window_end in _iter_windows(cal, start):
        if window_start >= end:
            break
        total += min(window_end, end) - max(window_start, start)
    return total


def business_seconds_between(cal: BusinessCalendar, start_utc: datetime, end_utc: datetime) -> float:
    """Business seconds in ``[start_utc, end_utc)``; ``0.0`` if ``end_utc <= start_utc``."""
    start = _aware_utc(start_utc, "start_utc")
    end = _aware_utc(end_utc, "end_utc")
    return _between(cal, start, end).total_seconds()


def elapsed_with_pauses(cal: BusinessCalendar, intervals: Iterable[tuple[datetime, datetime]]) -> float:
    """Business seconds summed over the intervals during which the clock was *running*.

    An order's history is a sequence of running stretches separated by pauses (waiting for the requester).
    Overlapping intervals are merged first so that a duplicated status event can never double-count time.
    For an order that is running right now, pass ``(last_resume, now)`` as the last interval.
    """
    total = timedelta(0)
    for start, end in _intervals(intervals, "intervals"):
        total += _between(cal, start, end)
    return total.total_seconds()


def due_at(
    cal: BusinessCalendar,
    start_utc: datetime,
    target_seconds: float,
    *,
    paused_intervals: Iterable[tuple[datetime, datetime]] = (),
) -> datetime:
    """When ``target_seconds`` of running business time will have accumulated since ``start_utc``.

    ``paused_intervals`` are stretches in which the clock did *not* run (waiting for the requester).  Only the
    business time a pause swallows moves the due date: a pause from 18:00 to 07:00 changes nothing, a pause
    from 11:00 to 14:00 moves the due time by three business hours.  Pauses before ``start_utc`` or after the
    due time have no effect; overlapping pauses are merged.  For an order that is paused right now, pass
    ``(pause_start, now)``: the result is the due time if the clock resumed now.
    """
    start = _aware_utc(start_utc, "start_utc")
    remaining = _duration(target_seconds, "target_seconds")
    pauses = _intervals(paused_intervals, "paused_intervals")
    if not remaining:
        return start
    cursor = start
    for pause_start, pause_end in pauses:
        if pause_end <= cursor:
            continue
        if pause_start > cursor:
            candidate = _add(cal, cursor, remaining)
            if candidate <= pause_start:
                return candidate
            remaining -= _between(cal, cursor, pause_start)  # stays > 0, else candidate <= pause_start
        cursor = pause_end
    return _add(cal, cursor, remaining)


def sla_state(elapsed_seconds: float, target_seconds: float, *, due_soon_fraction: float = 0.75) -> SlaState:
    """Traffic-light state of an SLA.

    ``"breached"`` only when *more* than the target has elapsed: finishing exactly at the due time is on time,
    consistent with :func:`due_at`.  ``"due_soon"`` from ``due_soon_fraction`` of the target on, so the team is
    warned while there is still time to act.
    """
    for name, value in (("elapsed_seconds", elapsed_seconds), ("target_seconds", target_seconds)):
        if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
            raise ValueError(f"{name}: must be a finite number, got {value!r}")
    if elapsed_seconds < 0:
        raise ValueError(f"elapsed_seconds: must be >= 0, got {elapsed_seconds!r}")
    if target_seconds <= 0:
        raise ValueError(f"target_seconds: must be > 0, got {target_seconds!r}")
    if not 0 < due_soon_fraction <= 1:
        raise ValueError(f"due_soon_fraction: must be in (0, 1], got {due_soon_fraction!r}")
    if elapsed_seconds > target_seconds:
        return "breached"
    if elapsed_seconds >= due_soon_fraction * target_seconds:
        return "due_soon"
    return "on_track"


def parse_local(s: str, *, tz: str = DEFAULT_TIMEZONE) -> datetime:
    """Parse an ISO local date-time such as ``"2027-06-07T16:30"`` in zone ``tz`` and return it as aware UTC.

    Meant for CLI flags, fixtures and admin input, where people type wall-clock times.  A string that carries
    its own offset (``"...+02:00"`` or ``"...Z"``) is honoured as is.  A wall time inside the spring-forward gap
    does not exist and raises; an ambiguous autumn time means its first occurrence (``fold=0``).
    """
    if not isinstance(s, str):
        raise TypeError(f"parse_local: expected a string, got {type(s).__name__}")
    zone = _zone(tz)
    try:
        parsed = datetime.fromisoformat(s.strip())
    except ValueError:
        raise ValueError(f"parse_local: {s!r} is not an ISO local date-time like '2027-06-07T16:30'") from None
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC)
    local = parsed.replace(tzinfo=zone)
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != parsed:
        raise ValueError(f"parse_local: {s!r} does not exist in {tz} (skipped by the daylight-saving change)")
    return local.astimezone(UTC)
