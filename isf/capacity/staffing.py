"""Required against available staff per team, per day and week.

Required = inbound (forecast calls per interval -> Erlang C agents for the team's service-level target and
occupancy cap, as agent-hours) + back office (expected service orders x standard effort + planned outbound
contacts x handling time), both grossed up by shrinkage, in paid FTE (hours / paid hours per FTE and day).
Available = the team's inside-sales users on their working days: weekly hours spread over the team's
workdays, minus absences, minus public holidays of the team's state.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import holidays as holiday_calendars
import numpy as np
from django.db.models import Count
from django.utils import timezone

from isf.capacity import sources
from isf.capacity.models import Absence
from isf.capacity.opening import calendar_open_mask
from isf.capacity.processtimes import SLA_KINDS, activity_minutes, team_calendar
from isf.capacity.selectors import LOCAL, LocalSeries, volume_series
from isf.capacity.services import staffing_parameters_for
from isf.core.business_time import is_business_day
from isf.core.dates import format_day, format_week
from isf_stats.capacity import ErlangInputError, VolumeSeriesError, forecast, required_agents


@dataclass
class DayPlan:
    day: date
    workday: bool
    calls: float = 0.0
    inbound_hours: float = 0.0  # agent-hours on the phones, before shrinkage
    backoffice_hours: float = 0.0  # before shrinkage: service orders + queue work
    order_hours: float = 0.0  # the expected service-order (SLA) work, part of backoffice_hours
    available_hours: float = 0.0  # paid hours of the present staff (before shrinkage)
    required_fte: float = 0.0
    available_fte: float = 0.0
    peak_agents: int = 0

    @property
    def gap_fte(self) -> float:
        return self.available_fte - self.required_fte


@dataclass
class TeamPlan:
    team: object
    source: str
    days: list[DayPlan] = field(default_factory=list)
    intervals: list[dict] = field(default_factory=list)  # forecast intervals of the first workday with staffing
    method: dict = field(default_factory=dict)
    error: str = ""
    params: object = None

    def weeks(self) -> list[dict]:
        """Per ISO week: required and available FTE averaged over the week's workdays."""
        groups: dict = defaultdict(list)
        for d in self.days:
            groups[tuple(d.day.isocalendar()[:2])].append(d)
        result = []
        for (year, week), days in sorted(groups.items()):
            work = [d for d in days if d.workday] or days
            required = sum(d.required_fte for d in work) / len(work)
            available = sum(d.available_fte for d in work) / len(work)
            result.append({"label": format_week(year=year, week=week), "year": year, "week": week, "required_fte": required, "available_fte": available,
                           "gap_fte": available - required, "calls": sum(d.calls for d in days)})
        return result


def _closed_dates(team, first: date, last: date) -> list[date]:
    state = getattr(team, "state", None) or "BY"
    years = range(first.year, last.year + 1)
    return sorted(d for d in holiday_calendars.country_holidays("DE", subdiv=state, years=years) if first <= d <= last)


def agents_per_interval(values: np.ndarray, resolution: int, params) -> list[int]:
    """Erlang C agents per forecast interval (cached by calls rounded to 0.1: 4 teams x 2 weeks stay fast)."""
    cache: dict = {}
    result = []
    for v in values:
        key = round(float(v), 1)
        if key <= 0:
            result.append(0)
            continue
        if key not in cache:
            try:
                cache[key] = required_agents(
                    calls_per_hour=key * 60 / resolution,
                    aht_seconds=int(params.aht_seconds),
                    target_level=params.target_level / 100,
                    target_seconds=int(params.target_seconds),
                    max_occupancy=float(params.max_occupancy),
                ).agents
            except ErlangInputError:
                cache[key] = 0
        result.append(cache[key])
    return result


def available_hours(team, days: list[date], cal) -> dict[date, float]:
    from isf.org.choices import Role
    from isf.org.models import User

    members = list(User.objects.filter(team=team, is_active=True, role=Role.INSIDE_AGENT).values("pk", "weekly_hours"))
    workdays_per_week = max(len(cal.weekly_hours), 1)
    absent: dict = defaultdict(set)
    for a in Absence.objects.filter(user__in=[m["pk"] for m in members], first_day__lte=days[-1],
                                    last_day__gte=days[0]).values("user_id", "first_day", "last_day"):
        d = max(a["first_day"], days[0])
        while d <= min(a["last_day"], days[-1]):
            absent[d].add(a["user_id"])
            d += timedelta(days=1)
    result = {}
    for day in days:
        if not is_business_day(cal, day):
            result[day] = 0.0
            continue
        result[day] = sum(float(m["weekly_hours"]) / workdays_per_week for m in members if m["pk"] not in absent[day])
    return result


def service_orders_per_day(team, today: date) -> list[tuple[float, float]]:
    """(orders per workday, standard effort minutes) per catalog service over the last 4 weeks."""
    order = sources.service_order_model()
    catalog = sources.catalog_model()
    if order is None or catalog is None:
        return []
    requested = sources.first_field(order, sources.ORDER_REQUESTED_FIELDS)
    service_fk = sources.fk_name(order, catalog)
    effort = sources.first_field(catalog, sources.EFFORT_FIELDS)
    if not (requested and service_fk and effort):
        return []
    since = datetime.combine(today - timedelta(days=28), time(0), tzinfo=LOCAL)
    qs = order.objects.filter(**{f"{requested}__gte": since})
    if "team" in {f.name for f in order._meta.get_fields()} and team is not None:
        qs = qs.filter(team=team)
    rows = qs.values(f"{service_fk}__{effort}").annotate(n=Count("pk"))
    return [(r["n"] / 20.0, float(r[f"{service_fk}__{effort}"] or 0)) for r in rows]


def queue_minutes_by_day(team, days: list[date], params, *, overdue_on_first_day: bool = True) -> dict[date, tuple]:
    """(minutes, tasks) of the team's open queue work due on each of ``days`` (its process times).

    Open work is every open or claimed task of the team except SLA work (service orders, counted from the
    expected order load); each costs :func:`~isf.capacity.processtimes.activity_minutes`. Overdue work is
    added to the first day unless ``overdue_on_first_day`` is False (then it is left out).
    """
    from isf.planning.models import Task

    minutes: dict = defaultdict(float)
    tasks: dict = defaultdict(int)
    start = datetime.combine(days[0], time(0), tzinfo=LOCAL)
    end = datetime.combine(days[-1] + timedelta(days=1), time(0), tzinfo=LOCAL)
    qs = Task.objects.filter(team=team, status__in=["open", "claimed"], due_at__lt=end).exclude(kind__in=SLA_KINDS)
    if not overdue_on_first_day:
        qs = qs.filter(due_at__gte=start)
    cost = {}
    for due, kind in qs.values_list("due_at", "kind").iterator(chunk_size=5000):
        day = max(due.astimezone(LOCAL).date(), days[0])
        if kind not in cost:
            cost[kind] = activity_minutes(params, kind)
        minutes[day] += cost[kind]
        tasks[day] += 1
    return {day: (minutes[day], tasks[day]) for day in minutes}


def team_plan(team, *, days: int = 14, today: date | None = None, series: LocalSeries | None = None) -> TeamPlan:
    """Forecast, Erlang C per interval, back-office workload and available staff for the next ``days`` days."""
    today = today or timezone.localdate()
    params = staffing_parameters_for(team)
    series = series if series is not None else volume_series(team, today=today)
    plan = TeamPlan(team=team, source=series.source, params=params)
    day_list = [today + timedelta(days=i) for i in range(days)]
    cal = team_calendar(team)
    shrink = float(params.shrinkage)
    hours_per_fte = float(params.productive_hours_per_day)
    calls_by_day: dict = defaultdict(float)
    inbound_by_day: dict = defaultdict(float)
    peak_by_day: dict = defaultdict(int)
    if len(series):
        last_seen = series.starts[-1].astype("datetime64[D]").item()
        horizon = max((day_list[-1] - last_seen).days, 1)
        try:
            fc = forecast(series.starts, series.counts, horizon_days=horizon,
                          closed_dates=_closed_dates(team, last_seen, day_list[-1]))
        except (VolumeSeriesError, ValueError) as exc:
            plan.error = str(exc)
        else:
            plan.method = fc.method
            keep = fc.starts >= np.datetime64(today, "m")
            starts, values = fc.starts[keep], fc.values[keep]
            # closed intervals (outside the team's opening hours, holidays) get no calls and so no staff
            values = np.where(calendar_open_mask(starts, fc.resolution_minutes, cal), values, 0.0)
            agents = agents_per_interval(values, fc.resolution_minutes, params)
            interval_hours = fc.resolution_minutes / 60
            first_shown = None
            for s, v, n in zip(starts, values, agents, strict=True):
                day = s.astype("datetime64[D]").item()
                if day > day_list[-1]:
                    break
                calls_by_day[day] += float(v)
                inbound_by_day[day] += n * interval_hours
                peak_by_day[day] = max(peak_by_day[day], n)
                if n and (first_shown is None or first_shown == day):
                    first_shown = day
                    plan.intervals.append({
                        "start": str(s)[11:16], "calls": round(float(v), 1), "agents": n,
                        "rostered": math.ceil(n / (1 - shrink)) if shrink < 1 else n,
                        "day": day,
                    })
    orders = service_orders_per_day(team, today)
    backoffice_order_minutes = sum(per_day * minutes for per_day, minutes in orders)
    queue = queue_minutes_by_day(team, day_list, params)
    available = available_hours(team, day_list, cal)
    for day in day_list:
        workday = is_business_day(cal, day)
        order_minutes = backoffice_order_minutes if workday else 0.0
        backoffice = order_minutes + queue.get(day, (0.0, 0))[0]
        d = DayPlan(day=day, workday=workday, calls=calls_by_day.get(day, 0.0),
                    inbound_hours=inbound_by_day.get(day, 0.0), backoffice_hours=backoffice / 60,
                    order_hours=order_minutes / 60, available_hours=available[day],
                    peak_agents=peak_by_day.get(day, 0))
        paid = (d.inbound_hours + d.backoffice_hours) / (1 - shrink) if shrink < 1 else 0.0
        d.required_fte = paid / hours_per_fte
        d.available_fte = available[day] / hours_per_fte
        plan.days.append(d)
    return plan


def plan_chart(plan: TeamPlan) -> dict:
    """Chart.js data for the gap chart: required vs available FTE per day."""
    return {
        "labels": [format_day(d.day) for d in plan.days],
        "required": [round(d.required_fte, 2) for d in plan.days],
        "available": [round(d.available_fte, 2) for d in plan.days],
        "gap": [round(d.gap_fte, 2) for d in plan.days],
    }


def decimal_or(value, default: Decimal) -> Decimal:
    return value if value is not None else default


def standard_change_fte(service_id, minutes: float, *, today: date | None = None) -> float | None:
    """What adopting ``minutes`` as a service's standard effort changes in required staff on a workday, in paid
    FTE over all teams: the service's orders per workday (last 4 weeks, as :func:`team_plan` counts them) times
    the change in minutes, grossed up by each team's shrinkage, in its paid hours per FTE. None: no orders."""
    from isf.org.models import Team

    order = sources.service_order_model()
    catalog = sources.catalog_model()
    if order is None or catalog is None:
        return None
    entry = catalog.objects.filter(pk=service_id).first()
    effort = sources.first_field(catalog, sources.EFFORT_FIELDS)
    requested = sources.first_field(order, sources.ORDER_REQUESTED_FIELDS)
    service_fk = sources.fk_name(order, catalog)
    if entry is None or not (effort and requested and service_fk):
        return None
    delta = float(minutes) - float(getattr(entry, effort) or 0)
    today = today or timezone.localdate()
    since = datetime.combine(today - timedelta(days=28), time(0), tzinfo=LOCAL)
    per_team = dict(order.objects.filter(**{f"{requested}__gte": since, service_fk: entry})
                    .values_list("team_id").annotate(n=Count("pk")).values_list("team_id", "n"))
    if not per_team:
        return None
    teams = {t.pk: t for t in Team.objects.filter(pk__in=[pk for pk in per_team if pk])}
    total = 0.0
    for team_id, n in per_team.items():
        params = staffing_parameters_for(teams.get(team_id))
        shrink, hours = float(params.shrinkage), float(params.productive_hours_per_day)
        if shrink >= 1 or hours <= 0:
            continue
        total += (n / 20.0) * delta / 60 / (1 - shrink) / hours
    return round(total, 2)
