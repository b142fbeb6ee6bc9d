"""The SLA clock of service orders on top of the Django-free arithmetic in :mod:`isf.core.business_time`.

Everything that computes a due time goes through :func:`calendar_from_spec` and :func:`compute_due` -- the
orders (per team) and the ``isf sla due`` command alike, so the command shows exactly what an order gets.
"""

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from isf.core import business_time as bt
from isf.service.choices import RUNNING_STATUSES, OrderStatus, SlaState, TargetUnit


@functools.lru_cache(maxsize=256)
def _calendar(state: str | None, business_hours: str, workdays: str, closing: frozenset[date]) -> bt.BusinessCalendar:
    return bt.BusinessCalendar.from_spec(state=state or None, business_hours=business_hours, workdays=workdays,
                                         closing_days=closing)


def calendar_from_spec(*, state: str | None, business_hours: str = "08:00-17:00", workdays: str = "1-5",
                       closing_days: Iterable[date] = ()) -> bt.BusinessCalendar:
    """A (cached) business calendar; raises ValueError naming the bad argument."""
    return _calendar(state, business_hours, workdays, frozenset(closing_days))


def company_closing_days() -> frozenset[date]:
    from isf.service.models import ClosingDay

    return frozenset(ClosingDay.objects.values_list("date", flat=True))


def team_calendar(team, closing_days: frozenset[date] | None = None) -> bt.BusinessCalendar:
    """The calendar of an inside team: its state's holidays, business hours and workdays, company closing days."""
    closing = company_closing_days() if closing_days is None else closing_days
    if team is None:
        from django.conf import settings

        return calendar_from_spec(state=getattr(settings, "ISF_DEFAULT_STATE", "BY"), closing_days=closing)
    return calendar_from_spec(state=team.state, business_hours=team.business_hours, workdays=team.workdays,
                              closing_days=closing)


def business_day_seconds(cal: bt.BusinessCalendar) -> int:
    """Length of a regular business day of the calendar (sum of the windows of its first workday)."""
    weekday = min(cal.weekly_hours)
    total = 0
    for start, end in cal.weekly_hours[weekday]:
        end_s = 86400 if end.hour == 0 and end.minute == 0 else end.hour * 3600 + end.minute * 60
        total += end_s - (start.hour * 3600 + start.minute * 60)
    return total


def target_seconds(value: Decimal | float, unit: str, cal: bt.BusinessCalendar) -> int:
    """A service level in business seconds: hours x 3600, or days x the length of the team's business day."""
    if unit == TargetUnit.DAYS:
        return round(float(value) * business_day_seconds(cal))
    return round(float(value) * 3600)


def compute_due(cal: bt.BusinessCalendar, start_utc: datetime, seconds: float,
                pauses: Sequence[tuple[datetime, datetime]] = ()) -> datetime:
    """The due time: ``seconds`` of running business time after ``start_utc``, pauses not counted."""
    return bt.due_at(cal, start_utc, seconds, paused_intervals=pauses)


def sla_due(*, start_local: str, hours: float, state: str | None, business_hours: str = "08:00-17:00",
            workdays: str = "1-5", closing_days: Iterable[date] = ()) -> datetime:
    """``isf sla due``: due time (aware UTC) of a request received at local ``start_local``."""
    cal = calendar_from_spec(state=state, business_hours=business_hours, workdays=workdays, closing_days=closing_days)
    start = bt.parse_local(start_local, tz=cal.timezone)
    return compute_due(cal, start, hours * 3600)


@dataclass(frozen=True)
class ClockReading:
    elapsed: float  # business seconds the clock has run
    state: str  # SlaState
    running: bool


def pauses_from_events(events: Iterable, now: datetime) -> list[tuple[datetime, datetime]]:
    """Waiting-for-requester intervals from an order's transition events (open pause ends at ``now``)."""
    pauses, since = [], None
    for event in events:
        if event.to_status == OrderStatus.WAITING and since is None:
            since = event.at
        elif since is not None and event.from_status == OrderStatus.WAITING:
            pauses.append((since, event.at))
            since = None
    if since is not None:
        pauses.append((since, now))
    return pauses


def read_clock(order, now: datetime, cal: bt.BusinessCalendar | None = None) -> ClockReading:
    """Elapsed business seconds and SLA state of an order at ``now``."""
    running = order.status in RUNNING_STATUSES and order.clock_resumed_at is not None
    elapsed = order.business_seconds_elapsed
    if running:
        cal = cal or team_calendar(order.team)
        elapsed += bt.business_seconds_between(cal, order.clock_resumed_at, now) if now > order.clock_resumed_at else 0
        state = bt.sla_state(elapsed, order.target_seconds, due_soon_fraction=float(order.due_soon_fraction))
    else:
        state = order.sla_state
    return ClockReading(elapsed=elapsed, state=state, running=running)


def state_by_due_times(order, now: datetime) -> str:
    """SLA state of a running order from its stored due times (exact, no calendar needed)."""
    if order.status not in RUNNING_STATUSES or order.due_at is None:
        return order.sla_state
    if now > (order.breach_at or order.due_at):
        return SlaState.BREACHED
    if order.due_soon_at is not None and now >= order.due_soon_at:
        return SlaState.DUE_SOON
    return SlaState.ON_TRACK
