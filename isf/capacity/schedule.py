"""Work sized to capacity: the minutes a team has per business day, what its queue costs, and the plan fitted in.

A team's day (all minutes are working minutes, after shrinkage):

* ``capacity_minutes``: the paid hours of the team's present inside agents (weekly hours spread over the
  team's workdays, minus absences, none on holidays) times (1 - shrinkage);
* ``inbound_minutes``: the agent-minutes the phones need - Erlang C per interval for the recorded call
  volume of a past day, for the forecast volume of today and later days (isf_stats via staffing);
* ``sla_minutes``: the expected service-order work (orders per workday of the last four weeks x the
  catalog's standard effort);
* ``planned_minutes``: the team's open queue work due that day, each task at its process time
  (:func:`isf.capacity.processtimes.activity_minutes`).

What is left after inbound and SLA work (``free_minutes``) is what contact plans may fill:
:func:`fit` places new planned contacts on their due day or up to ``SHIFT_DAYS`` business days later,
most valuable accounts first, and returns what does not fit as deferred (the plan records it in the open).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone

from isf.capacity import staffing
from isf.capacity.processtimes import SLA_KINDS, activity_minutes, team_calendar
from isf.capacity.selectors import LOCAL, stored_series
from isf.capacity.services import staffing_parameters_for
from isf.core.business_time import is_business_day

SHIFT_DAYS = 10  # a planned contact may move this many business days past its due day before it is deferred
KEY_ACCOUNT_SEGMENT = "KA"
DEFERRED = "deferred"  # outcome of a planned contact that did not fit the team's capacity (status cancelled)


@dataclass
class DayLoad:
    """One business day of a team, in working minutes."""

    day: date
    capacity_minutes: float = 0.0
    inbound_minutes: float = 0.0
    sla_minutes: float = 0.0
    planned_minutes: float = 0.0
    planned_tasks: int = 0
    deferred_tasks: int = 0

    @property
    def free_minutes(self) -> float:
        """What is left for planned work after inbound calls and SLA work (never negative)."""
        return max(0.0, self.capacity_minutes - self.inbound_minutes - self.sla_minutes)

    def as_dict(self) -> dict:
        return {"date": self.day.isoformat(), "capacity_minutes": round(self.capacity_minutes),
                "inbound_minutes": round(self.inbound_minutes), "sla_minutes": round(self.sla_minutes),
                "planned_minutes": round(self.planned_minutes), "planned_tasks": self.planned_tasks,
                "deferred_tasks": self.deferred_tasks}


def business_days(team, first: date, *, count: int | None = None, until: date | None = None) -> list[date]:
    """The team's business days from ``first`` on: ``count`` of them, or all before ``until``."""
    cal = team_calendar(team)
    days, day = [], first
    limit = first + timedelta(days=(count or 0) * 3 + 30) if until is None else until
    while day < limit and (count is None or len(days) < count):
        if is_business_day(cal, day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _recorded_inbound_minutes(team, days: list[date], params) -> dict[date, float]:
    """Erlang C agent-minutes per day for the recorded (imported) call volumes of ``days``."""
    if not days:
        return {}
    series = stored_series(team, first_day=days[0], last_day=days[-1])
    if not len(series):
        return {}
    agents = staffing.agents_per_interval(series.counts, series.resolution_minutes, params)
    wanted = set(days)
    result: dict = defaultdict(float)
    for start, n in zip(series.starts, agents, strict=True):
        day = start.astype("datetime64[D]").item()
        if day in wanted:
            result[day] += n * series.resolution_minutes
    return dict(result)


def team_days(team, days: list[date], *, today: date | None = None) -> dict[date, DayLoad]:
    """Capacity, inbound, SLA and planned minutes of ``team`` on each of ``days`` (its business days).

    Days before ``today`` use the recorded call volumes, ``today`` and later days the forecast. Overdue work is
    not part of any day's ``planned_minutes`` (the queue load reports it as ``overdue_tasks``).
    """
    if not days:
        return {}
    today = today or timezone.localdate()
    params = staffing_parameters_for(team)
    cal = team_calendar(team)
    keep = 1 - float(params.shrinkage)
    available = staffing.available_hours(team, days, cal)
    # a past day counts its recorded calls; today and later days (and past days without records) the forecast
    inbound = _recorded_inbound_minutes(team, [d for d in days if d < min(today, timezone.localdate())], params)
    future = [d for d in days if d not in inbound]
    if future:
        plan = staffing.team_plan(team, days=(future[-1] - future[0]).days + 1, today=future[0])
        for day_plan in plan.days:
            inbound.setdefault(day_plan.day, day_plan.inbound_hours * 60)
    order_minutes = sum(per_day * minutes for per_day, minutes in staffing.service_orders_per_day(team, today))
    queue = staffing.queue_minutes_by_day(team, days, params, overdue_on_first_day=False)
    result = {}
    for day in days:
        minutes, tasks = queue.get(day, (0.0, 0))
        result[day] = DayLoad(day=day, capacity_minutes=available.get(day, 0.0) * 60 * keep,
                              inbound_minutes=inbound.get(day, 0.0), sla_minutes=order_minutes,
                              planned_minutes=minutes, planned_tasks=tasks)
    return result


def is_staffed(team) -> bool:
    """Whether the team's capacity is known: it has active inside agents. A team without any is not sized
    (its work keeps its due days), rather than having everything deferred."""
    from isf.org.choices import Role
    from isf.org.models import User

    return User.objects.filter(team=team, role=Role.INSIDE_AGENT, is_active=True).exists()


# ------------------------------------------------------------------------------------------ account order


def account_ranks(account_ids: Iterable[int]) -> dict[int, tuple]:
    """Sort key per account, most valuable first: the ranking's account value (``isf.planning.priority``:
    segment, potential, key account; its points are rounded), then the potential itself, then the id for a
    stable order. Which accounts get their planned contacts first when capacity is short."""
    from isf.customers.models import Account
    from isf.planning.priority import account_value_scores

    scores = account_value_scores(account_ids)
    ids = sorted(scores)
    potentials: dict[int, float] = {}
    for start in range(0, len(ids), 5000):
        potentials.update(Account.objects.filter(pk__in=ids[start:start + 5000]).values_list("pk", "potential"))
    return {pk: (-score, -float(potentials.get(pk) or 0), pk) for pk, score in scores.items()}


# ------------------------------------------------------------------------------------------------ fitting


@dataclass
class FitResult:
    """New planned contacts fitted into capacity: ``placed`` (with their possibly later due time), ``deferred``."""

    placed: list[dict]
    deferred: list[dict]
    shifted: int = 0


def fit(tasks: list[dict], *, today: date, end: date, defer: bool = True, memo: dict | None = None) -> FitResult:
    """Fit new inside tasks (dicts with ``team_id``, ``account_id``, ``kind``, ``due_at``) into their team's days.

    Each team's free minutes per business day in [today, end) (:class:`DayLoad`) minus the open work already
    due that day (overdue work counts on today) is the budget. Tasks are placed most valuable account first
    (:func:`account_ranks`, or a task's own ``rank`` tuple, e.g. alerts by expected loss), then by due time, on the first business day from their due day on (at most
    ``SHIFT_DAYS`` business days later) whose budget still takes their process time. What finds no day is
    deferred - or, with ``defer=False`` (work that must be done, like alerts), kept on its due day.
    ``placed`` keeps the input order; tasks without a team, or of a team without inside agents
    (:func:`is_staffed`), are placed unchanged. ``memo`` (a dict the caller keeps) holds each team's days and free
    minutes for a second fit on the same day with nothing written in between (a probe, then the real fit).
    """
    from isf.org.models import Team

    spots: dict[int, date | None] = {}  # input index -> day (None: deferred); missing: unchanged
    by_team: dict[int, list[int]] = defaultdict(list)
    for i, t in enumerate(tasks):
        if t.get("team_id"):
            by_team[t["team_id"]].append(i)
    unranked = [t.get("account_id") for t in tasks if t.get("team_id") and not t.get("rank")]
    ranks = account_ranks(unranked) if unranked else {}  # tasks with their own rank need no account ranks
    worst = (2, 10**6, 0.0, 0)
    memo = {} if memo is None else memo
    for team in Team.objects.filter(pk__in=list(by_team)):
        key = (team.pk, today, end)
        if key not in memo:
            days = business_days(team, today, until=end)
            if not days or not is_staffed(team):
                memo[key] = None
            else:
                loads = team_days(team, days, today=today)
                params = staffing_parameters_for(team)
                used = {day: minutes for day, (minutes, _n) in staffing.queue_minutes_by_day(team, days, params).items()}
                memo[key] = (days, params, {day: load.free_minutes - used.get(day, 0.0) for day, load in loads.items()})
        if memo[key] is None:
            continue  # no business day in the horizon, or capacity unknown: the work keeps its days
        days, params, free = memo[key]
        budget = dict(free)
        cost = {}
        order = sorted(by_team[team.pk], key=lambda i: (tasks[i].get("rank") or ranks.get(tasks[i].get("account_id"), worst),
                                                        tasks[i]["due_at"]))
        for i in order:
            kind = tasks[i]["kind"]
            if kind not in cost:
                cost[kind] = activity_minutes(params, kind)
            minutes = cost[kind]
            due_day = timezone.localtime(tasks[i]["due_at"], LOCAL).date()
            first = next((k for k, day in enumerate(days) if day >= due_day), None)
            spot = None
            if first is not None:
                spot = next((days[k] for k in range(first, min(first + SHIFT_DAYS + 1, len(days)))
                             if budget[days[k]] >= minutes), None)
            if spot is None and not defer:
                spot = due_day
            if spot is not None and spot in budget:
                budget[spot] -= minutes
            spots[i] = spot
    placed, deferred, shifted = [], [], 0
    for i, t in enumerate(tasks):
        if i not in spots:
            placed.append(t)
            continue
        spot = spots[i]
        if spot is None:
            deferred.append(t)
            continue
        local = timezone.localtime(t["due_at"], LOCAL)
        if spot != local.date():
            t = {**t, "due_at": datetime.combine(spot, local.time(), tzinfo=LOCAL)}
            shifted += 1
        placed.append(t)
    return FitResult(placed, deferred, shifted)


# ---------------------------------------------------------------------------------------------- reading


def deferred_summary(*, since: date, until: date | None = None, team_ids=None) -> dict[int, dict]:
    """Per team: planned contacts deferred for capacity with due day in [since, until): count, minutes, by kind,
    and the least valuable segment among them ("C customers first")."""
    from isf.org.models import Team
    from isf.planning.choices import TaskKind
    from isf.planning.models import Task

    qs = Task.objects.filter(status="cancelled", outcome=DEFERRED,
                             due_at__gte=datetime.combine(since, time(0), tzinfo=LOCAL))
    if until is not None:
        qs = qs.filter(due_at__lt=datetime.combine(until, time(0), tzinfo=LOCAL))
    if team_ids is not None:
        qs = qs.filter(team_id__in=list(team_ids))
    rows = qs.values("team_id", "kind", "account__segment__code", "account__segment__precedence").annotate(
        n=Count("pk")).order_by()
    teams = {t.pk: t for t in Team.objects.filter(pk__in={r["team_id"] for r in rows})}
    result: dict[int, dict] = {}
    for r in rows:
        team = teams.get(r["team_id"])
        if team is None:
            continue
        params = staffing_parameters_for(team)
        entry = result.setdefault(team.pk, {"team": team, "tasks": 0, "minutes": 0.0, "by_kind": defaultdict(int),
                                            "segments": {}})
        entry["tasks"] += r["n"]
        entry["minutes"] += r["n"] * activity_minutes(params, r["kind"])
        entry["by_kind"][r["kind"]] += r["n"]
        code = r["account__segment__code"] or ""
        entry["segments"][code] = r["account__segment__precedence"] if r["account__segment__precedence"] is not None else 10**6
    for entry in result.values():
        entry["by_kind"] = dict(sorted(entry["by_kind"].items(), key=lambda kv: (-kv[1], kv[0])))
        entry["kinds"] = [(TaskKind(k).label if k in TaskKind.values else k, n) for k, n in entry["by_kind"].items()]
        entry["hours"] = entry["minutes"] / 60
        entry["first_segment"] = max(entry["segments"].items(), key=lambda kv: (kv[1], kv[0]))[0] if entry["segments"] else ""
    return result


def overdue_tasks(team, *, now: datetime | None = None) -> int:
    """Open queue work of the team (not SLA work) due before the start of today."""
    from isf.planning.models import Task

    now = now or timezone.now()
    start = datetime.combine(timezone.localtime(now, LOCAL).date(), time(0), tzinfo=LOCAL)
    return (Task.objects.filter(team=team, status__in=["open", "claimed"], due_at__lt=start)
            .exclude(kind__in=SLA_KINDS).count())


def queue_load(*, teams, days: int = 10, today: date | None = None) -> list[dict]:
    """Per team and each of its next ``days`` business days: capacity, inbound, SLA and planned minutes, the
    contacts deferred for that day, and the team's current overdue tasks (``isf queue load``)."""
    today = today or timezone.localdate()
    result = []
    for team in teams:
        day_list = business_days(team, today, count=days)
        loads = team_days(team, day_list, today=today)
        if day_list:
            deferred = _deferred_by_day(team, day_list[0], day_list[-1] + timedelta(days=1))
            for day, load in loads.items():
                load.deferred_tasks = deferred.get(day, 0)
        result.append({"team": team.code, "overdue_tasks": overdue_tasks(team),
                       "days": [loads[d].as_dict() for d in day_list]})
    return result


def _deferred_by_day(team, first: date, end: date) -> dict[date, int]:
    from isf.planning.models import Task

    counts: dict = defaultdict(int)
    qs = Task.objects.filter(team=team, status="cancelled", outcome=DEFERRED,
                             due_at__gte=datetime.combine(first, time(0), tzinfo=LOCAL),
                             due_at__lt=datetime.combine(end, time(0), tzinfo=LOCAL))
    for due in qs.values_list("due_at", flat=True):
        counts[due.astimezone(LOCAL).date()] += 1
    return counts


# ---------------------------------------------------------------------------------------------- rebalancing

# Queue work that may move to a later day when its day is over capacity: contacts and alert calls. Work with
# its own clock stays where it is (service orders, lead first contact, agreed call-backs, approvals, actions).
MOVABLE_KINDS = ("care_call", "welcome_call", "winback_call", "quote_followup", "campaign_call", "satisfaction_call",
                 "alert", "buying_center", "potential_review", "mailing")


@dataclass
class Rebalance:
    """Open tasks to move (pk -> new due time) and planned contacts to defer (pks), per the team's capacity."""

    moves: dict
    defers: list


def rebalance(team, *, today: date, end: date, plan_source: str = "plan") -> Rebalance:
    """Bring every business day of ``team`` in [today, end) back within its capacity, if movable work allows.

    A day is over capacity when its queue work (plus the overdue work, on today) exceeds its free minutes
    (after inbound and SLA work) - because staff became absent, the forecast rose, or other producers added
    work after the plan was made. Its movable, unclaimed tasks leave it least valuable account first: to the
    first later business day (at most ``SHIFT_DAYS`` after) with room; a planned contact (``plan_source``) that
    finds none is deferred; other work stays (the load shows the day over capacity).
    """
    from isf.planning.models import Task

    days = business_days(team, today, until=end)
    if not days or not is_staffed(team):
        return Rebalance({}, [])
    params = staffing_parameters_for(team)
    loads = team_days(team, days, today=today)
    load = {day: loads[day].planned_minutes for day in days}
    load[days[0]] += staffing.queue_minutes_by_day(team, days[:1], params).get(days[0], (0.0, 0))[0] - \
        loads[days[0]].planned_minutes  # the overdue work is done today too
    over_days = [day for day in days if load[day] > loads[day].free_minutes + 1e-9]
    if not over_days:
        return Rebalance({}, [])
    start = datetime.combine(days[0], time(0), tzinfo=LOCAL)
    stop = datetime.combine(days[-1] + timedelta(days=1), time(0), tzinfo=LOCAL)
    rows = list(Task.objects.filter(team=team, status="open", assignee__isnull=True, kind__in=MOVABLE_KINDS,
                                    due_at__gte=start, due_at__lt=stop)
                .values_list("pk", "kind", "due_at", "account_id", "source"))
    by_day: dict = defaultdict(list)
    for row in rows:
        by_day[row[2].astimezone(LOCAL).date()].append(row)
    ranks = account_ranks(r[3] for r in rows)
    worst = (2, 10**6, 0.0, 0)
    cost = {kind: activity_minutes(params, kind) for kind in MOVABLE_KINDS}
    index = {day: i for i, day in enumerate(days)}
    moves, defers = {}, []
    for day in days:
        free = loads[day].free_minutes
        if load[day] <= free + 1e-9:
            continue
        # least valuable first; among equals the latest due time
        for pk, kind, due_at, account_id, source in sorted(by_day.get(day, ()), key=lambda r: (ranks.get(r[3], worst), r[2]),
                                                           reverse=True):
            if load[day] <= free + 1e-9:
                break
            minutes = cost[kind]
            target = next((days[k] for k in range(index[day] + 1, min(index[day] + SHIFT_DAYS + 1, len(days)))
                           if load[days[k]] + minutes <= loads[days[k]].free_minutes + 1e-9), None)
            if target is not None:
                local = due_at.astimezone(LOCAL)
                moves[pk] = datetime.combine(target, local.time(), tzinfo=LOCAL)
                load[target] += minutes
                by_day[target].append((pk, kind, moves[pk], account_id, source))
            elif source == plan_source:
                defers.append(pk)
            else:
                continue
            load[day] -= minutes
    return Rebalance(moves, defers)


def due_work(user, *, today: date | None = None) -> dict:
    """The work in ``user``'s queue (own tasks plus the team's unclaimed ones) due by the end of ``today``:
    tasks due today, overdue tasks, and their minutes - queue work at its process time, a service order at its
    catalog service's standard effort. "A day and a half of work" is measured against ``day_minutes``: the
    user's paid hours of a workday after shrinkage."""
    from isf.planning.selectors import work_queue

    today = today or timezone.localdate()
    start = datetime.combine(today, time(0), tzinfo=LOCAL)
    end = start + timedelta(days=1)
    rows = list(work_queue(user=user).filter(due_at__lt=end).values_list("kind", "due_at", "source", "source_id",
                                                                         "team_id"))
    params = staffing_parameters_for(user.team) if user.team_id else None
    efforts = _service_efforts([int(r[3]) for r in rows if r[0] in SLA_KINDS and r[2] == "service" and r[3].isdigit()])
    minutes = 0.0
    for kind, _due, source, source_id, _team in rows:
        if kind in SLA_KINDS:
            minutes += efforts.get(int(source_id), 0.0) if source == "service" and source_id.isdigit() else 0.0
        elif params is not None:
            minutes += activity_minutes(params, kind)
    shrink = float(params.shrinkage) if params is not None else 0.0
    return {"due_today": sum(1 for r in rows if r[1] >= start), "overdue": sum(1 for r in rows if r[1] < start),
            "minutes": round(minutes), "day_minutes": round(float(user.weekly_hours) / 5 * 60 * (1 - shrink))}


def _service_efforts(order_ids: list[int]) -> dict[int, float]:
    from isf.capacity import sources

    order, catalog = sources.service_order_model(), sources.catalog_model()
    if not order_ids or order is None or catalog is None:
        return {}
    service_fk = sources.fk_name(order, catalog)
    effort = sources.first_field(catalog, sources.EFFORT_FIELDS)
    if not (service_fk and effort):
        return {}
    return {pk: float(m or 0) for pk, m in order.objects.filter(pk__in=order_ids).values_list(
        "pk", f"{service_fk}__{effort}")}
