"""Process times measured from events, never typed in.

A service order's history is a list of status events. Its lead times are business time (the team's
calendar: office hours, state holidays) from *accepted* to *done* and from the *request* to *done*. Per
catalog service they are summarised as median and 90th percentile and compared with the catalog's
standard effort. The computation works on plain :class:`OrderTimeline` records, so it is tested without
the service app; :func:`service_process_times` builds those records from the service app when it exists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.db.models import Q
from django.utils import timezone

from isf.capacity import sources
from isf.core.business_time import BusinessCalendar, business_seconds_between

ACCEPTED = frozenset({"accepted"})
DONE = frozenset({"done", "completed"})
CONTACT_KINDS = ("care_call", "welcome_call", "winback_call", "quote_followup", "campaign_call", "satisfaction_call",
                 "call_back")
# Queue work that is not sized per task: service orders are SLA work, counted from the expected order load.
SLA_KINDS = ("service_order",)
# Written contacts take a fraction of a call's handling time (no dialling, no conversation).
WRITTEN_KINDS = ("mailing",)
WRITTEN_SHARE = 0.25


def activity_minutes(params, kind: str) -> float:
    """Process time of one piece of queue work of ``kind`` for a team, in minutes (the one rule).

    Every call-like task (care, welcome, win-back, alert, follow-up ...) costs the team's handling time of a
    planned outbound contact (``StaffingParameters.outbound_minutes``, set by the IDL from the measured
    times on the process-time page); a mailing a quarter of it; SLA work (service orders) nothing here,
    because it is counted from the expected service-order load.
    """
    if kind in SLA_KINDS:
        return 0.0
    minutes = float(params.outbound_minutes)
    return minutes * WRITTEN_SHARE if kind in WRITTEN_KINDS else minutes


@dataclass(frozen=True)
class OrderTimeline:
    """What process times need of one service order: its service, request time and status events."""

    service_id: object
    requested_at: datetime
    events: tuple[tuple[str, datetime], ...]  # (status the order moved to, when), any order
    calendar: BusinessCalendar
    effort_minutes: float | None = None  # effort logged on the order, if any
    target_seconds: float | None = None  # the order's own service level in business seconds, if it has one
    elapsed_seconds: float | None = None  # the order's SLA clock (pauses excluded), if the service app keeps one
    agent: object = None  # who worked it (the assignee), for the active-work estimate


@dataclass
class ProcessTimeRow:
    """Process times of one service (hours are business hours)."""

    service_id: object
    name: str = ""
    orders_done: int = 0
    accepted_to_done_median_h: float | None = None
    accepted_to_done_p90_h: float | None = None
    request_to_done_median_h: float | None = None
    request_to_done_p90_h: float | None = None
    effort_median_min: float | None = None
    effort_logged: int = 0
    active_work_median_min: float | None = None
    standard_effort_min: float | None = None
    service_level_h: float | None = None
    within_service_level: float | None = None  # share of orders done within the service level (request->done)
    # (lowest, highest) service level in hours that applied to the done orders (per segment they can differ)
    applied_level_range: tuple[float, float] | None = None
    samples: dict = field(default_factory=dict, repr=False)

    @property
    def measured_effort_min(self) -> float | None:
        """The value the IDL can adopt: the effort of the work itself, logged on the orders, else the measured
        active work (:func:`active_work_seconds`). The elapsed accepted->done time is a separate figure (it
        includes waiting and the agent's other orders) and is never adopted."""
        if self.effort_median_min is not None:
            return self.effort_median_min
        return self.active_work_median_min

    @property
    def deviation(self) -> float | None:
        """Measured effort relative to the standard (+0.25 = a quarter more than the catalog says)."""
        measured = self.measured_effort_min
        if measured is None or not self.standard_effort_min:
            return None
        return measured / self.standard_effort_min - 1


def durations(timeline: OrderTimeline) -> tuple[float, float] | None:
    """(accepted->done, request->done) in business seconds, or None when the order is not done.

    Accepted is the first move to an accepted state, done the last move to done (a reopened and again
    completed order counts until its final completion). An order done without an accepted event counts
    accepted->done from the request.
    """
    events = sorted(timeline.events, key=lambda e: e[1])
    done_at = next((at for status, at in reversed(events) if status in DONE), None)
    if done_at is None:
        return None
    accepted_at = next((at for status, at in events if status in ACCEPTED and at <= done_at), timeline.requested_at)
    cal = timeline.calendar
    return (
        business_seconds_between(cal, accepted_at, done_at),
        business_seconds_between(cal, timeline.requested_at, done_at),
    )


def active_work_seconds(timelines: list[OrderTimeline]) -> dict[int, float]:
    """Per timeline (index): business seconds of the agent's active work on the order.

    An order is in work from its acceptance to its completion; while an agent has several orders in work at
    the same time, each moment is shared equally among them (two open orders: half a minute each per minute).
    So the time an agent spends on the next order does not count twice, and an order that waited for days
    beside others gets only its share. Orders without an agent are not estimated.
    """
    by_agent: dict = defaultdict(list)
    for i, t in enumerate(timelines):
        if t.agent is None:
            continue
        events = sorted(t.events, key=lambda e: e[1])
        done_at = next((at for status, at in reversed(events) if status in DONE), None)
        if done_at is None:
            continue
        start = next((at for status, at in events if status in ACCEPTED and at <= done_at), t.requested_at)
        if done_at > start:
            by_agent[t.agent].append((i, start, done_at))
    out: dict[int, float] = defaultdict(float)
    for spans in by_agent.values():
        moments = sorted({m for _i, a, b in spans for m in (a, b)})
        for a, b in zip(moments, moments[1:], strict=False):
            active = [i for i, start, end in spans if start <= a and end >= b]
            if not active:
                continue
            seconds = business_seconds_between(timelines[active[0]].calendar, a, b) / len(active)
            for i in active:
                out[i] += seconds
    return dict(out)


def _median_p90(values: list[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    arr = np.asarray(values, dtype=float)
    return float(np.median(arr)), float(np.percentile(arr, 90))


def summarise(
    timelines: Iterable[OrderTimeline],
    standards: dict | None = None,
    names: dict | None = None,
    service_levels_h: dict | None = None,
) -> list[ProcessTimeRow]:
    """One row per service with median and 90th percentile in business hours, sorted by name."""
    standards, names, service_levels_h = standards or {}, names or {}, service_levels_h or {}
    accepted: dict = defaultdict(list)
    requested: dict = defaultdict(list)
    effort: dict = defaultdict(list)
    active: dict = defaultdict(list)
    within: dict = defaultdict(list)
    applied: dict = defaultdict(list)
    timelines = list(timelines)
    work = active_work_seconds(timelines)
    for i, t in enumerate(timelines):
        if i in work:
            active[t.service_id].append(work[i] / 60)
        d = durations(t)
        if d is None:
            continue
        accepted[t.service_id].append(d[0] / 3600)
        requested[t.service_id].append(d[1] / 3600)
        if t.effort_minutes is not None:
            effort[t.service_id].append(float(t.effort_minutes))
        if t.target_seconds:
            # the SLA clock of the order (paused while waiting for the requester) when it has one
            clock = t.elapsed_seconds if t.elapsed_seconds is not None else d[1]
            within[t.service_id].append(clock <= t.target_seconds)
            applied[t.service_id].append(t.target_seconds / 3600)
    rows = []
    for sid in set(accepted) | set(standards):
        row = ProcessTimeRow(service_id=sid, name=names.get(sid, str(sid)))
        row.orders_done = len(accepted.get(sid, []))
        row.accepted_to_done_median_h, row.accepted_to_done_p90_h = _median_p90(accepted.get(sid, []))
        row.request_to_done_median_h, row.request_to_done_p90_h = _median_p90(requested.get(sid, []))
        row.effort_median_min = _median_p90(effort.get(sid, []))[0]
        row.effort_logged = len(effort.get(sid, []))
        median_active = _median_p90(active.get(sid, []))[0]
        row.active_work_median_min = round(median_active, 1) if median_active is not None else None
        row.standard_effort_min = standards.get(sid)
        row.service_level_h = service_levels_h.get(sid)
        if within.get(sid):
            row.within_service_level = sum(within[sid]) / len(within[sid])
            row.applied_level_range = (round(min(applied[sid]), 1), round(max(applied[sid]), 1))
        elif row.service_level_h and requested.get(sid):
            row.within_service_level = sum(h <= row.service_level_h for h in requested[sid]) / len(requested[sid])
        rows.append(row)
    return sorted(rows, key=lambda r: r.name)


def team_calendar(team) -> BusinessCalendar:
    """The business calendar of a team (its state's holidays and office hours); the company default without."""
    from isf.service.clock import team_calendar as service_team_calendar  # one calendar for every SLA clock

    try:
        return service_team_calendar(team)
    except ValueError:
        return service_team_calendar(None)


# ------------------------------------------------------------------------------------------- service orders


def _float(value) -> float | None:
    return None if value is None else float(value)


def service_process_times(*, since: datetime | None = None, until: datetime | None = None, team=None) -> list | None:
    """Process-time rows per catalog service from the service app's orders and events; None without the app."""
    order_model, event_model = sources.service_order_model(), sources.service_event_model()
    catalog = sources.catalog_model()
    if order_model is None or event_model is None:
        return None
    order_fk = sources.fk_name(event_model, order_model)
    to_field = sources.first_field(event_model, sources.STATUS_TO_FIELDS)
    at_field = sources.first_field(event_model, sources.EVENT_TIME_FIELDS)
    requested_field = sources.first_field(order_model, sources.ORDER_REQUESTED_FIELDS)
    service_fk = sources.fk_name(order_model, catalog) if catalog else None
    effort_field = sources.first_field(order_model, sources.LOGGED_EFFORT_FIELDS)
    if not (order_fk and to_field and at_field and requested_field):
        return None
    until = until or timezone.now()
    since = since or until - timedelta(days=90)
    done_filter = Q(**{f"{to_field}__in": list(DONE), f"{at_field}__gte": since, f"{at_field}__lt": until})
    done_ids = event_model.objects.filter(done_filter).values_list(f"{order_fk}_id", flat=True)
    orders = order_model.objects.filter(pk__in=done_ids)
    has_team = "team" in {f.name for f in order_model._meta.get_fields()}
    if team is not None and has_team:
        orders = orders.filter(team=team)
    fields = ["pk", requested_field]
    fields += [f"{service_fk}_id"] if service_fk else []
    fields += [effort_field] if effort_field else []
    fields += ["team_id"] if has_team else []
    order_fields = {f.name for f in order_model._meta.get_fields()}
    target_field = "target_seconds" if "target_seconds" in order_fields else None
    elapsed_field = "business_seconds_elapsed" if "business_seconds_elapsed" in order_fields else None
    fields += [f for f in (target_field, elapsed_field) if f]
    fields += ["assignee_id"] if "assignee" in order_fields else []
    order_rows = list(orders.values(*fields))
    events: dict = defaultdict(list)
    for oid, status, at in event_model.objects.filter(**{f"{order_fk}_id__in": [r["pk"] for r in order_rows]}).values_list(
        f"{order_fk}_id", to_field, at_field
    ):
        events[oid].append((str(status), at))
    from isf.org.models import Team

    calendars = {t.pk: team_calendar(t) for t in Team.objects.all()}
    default_cal = team_calendar(None)
    timelines = [
        OrderTimeline(
            service_id=r.get(f"{service_fk}_id") if service_fk else None,
            requested_at=r[requested_field],
            events=tuple(events.get(r["pk"], ())),
            calendar=calendars.get(r.get("team_id"), default_cal),
            effort_minutes=_float(r.get(effort_field)) if effort_field else None,
            target_seconds=_float(r.get(target_field)) if target_field else None,
            elapsed_seconds=_float(r.get(elapsed_field)) if elapsed_field else None,
            agent=r.get("assignee_id"),
        )
        for r in order_rows
    ]
    standards, names, levels = {}, {}, {}
    if catalog is not None:
        effort_std = sources.first_field(catalog, sources.EFFORT_FIELDS)
        level_field = sources.first_field(catalog, sources.SLA_HOURS_FIELDS)
        for entry in catalog.objects.all():
            standards[entry.pk] = _float(getattr(entry, effort_std))
            names[entry.pk] = str(entry)
            if level_field:
                levels[entry.pk] = _float(getattr(entry, level_field))
            elif hasattr(entry, "target_value") and hasattr(entry, "target_unit"):
                hours = float(entry.target_value) * (9 if entry.target_unit == "days" else 1)
                levels[entry.pk] = hours
    return summarise(timelines, standards, names, levels)


# ---------------------------------------------------------------------------------- calls and planned contacts


def call_handling_times(*, since: datetime, until: datetime, team=None) -> dict | None:
    """Handling time of calls by direction: count, mean (AHT), median and 90th percentile in seconds."""
    model = sources.call_model()
    if model is None:
        return None
    qs = model.objects.filter(started_at__gte=since, started_at__lt=until)
    if team is not None and "team" in {f.name for f in model._meta.get_fields()}:
        qs = qs.filter(team=team)
    by_direction: dict = defaultdict(list)
    for direction, seconds in qs.values_list("direction", "duration_seconds").iterator(chunk_size=5000):
        if seconds is not None and seconds > 0:
            by_direction[str(direction)].append(float(seconds))
    result = {}
    for direction, values in sorted(by_direction.items()):
        median, p90 = _median_p90(values)
        result[direction] = {"calls": len(values), "aht_seconds": float(np.mean(values)), "median_seconds": median,
                             "p90_seconds": p90}
    return result


def planned_contact_times(*, since: datetime, until: datetime, team=None) -> dict:
    """Planned contacts (care, welcome, win-back ... calls in the work queue) done in the period: how many, and the
    delay past the end of the due day in business hours (median, 90th percentile; on time counts as 0).

    Whether the contact plan is on time is not decided here: ``isf.planning.selectors.contact_plan_figures``."""
    from isf.planning.models import Task

    qs = Task.objects.filter(kind__in=CONTACT_KINDS, status="done", completed_at__gte=since, completed_at__lt=until)
    if team is not None:
        qs = qs.filter(team=team)
    cal = team_calendar(team)
    delays = []
    rows = list(qs.values_list("due_at", "completed_at")[:20000])
    for due, completed in rows:
        due_day = due.astimezone(cal.zone).date()
        deadline = datetime.combine(due_day + timedelta(days=1), datetime.min.time(), tzinfo=cal.zone)
        delays.append(business_seconds_between(cal, deadline, completed) / 3600 if completed > deadline else 0.0)
    median, p90 = _median_p90(delays)
    return {"done": len(rows), "delay_median_h": median, "delay_p90_h": p90}
