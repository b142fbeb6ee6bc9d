"""Reads of the work queue, and the one definition of "overdue" and "contact plan on time".

Overdue: an open task whose due day (local calendar day) has ended - ``due_at`` before the start of today.
Contact plan on time: of the contact-plan tasks (source "plan", not cancelled) whose due day has ended in a
period, the share done by the end of their due day; the others were done late or are still open (overdue).
The team overview, the KPI dashboard, the review pack, the process-time page, the queue's badges and the API
all read these functions, so the figures agree wherever they appear.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from isf.org.choices import Role
from isf.planning.choices import (
    CALL_FULFILLED_KINDS,
    CALL_FULFILS_DAYS_AHEAD,
    OPEN_STATUSES,
    OWN_WORKFLOW_KINDS,
    PLAN_SOURCE,
    TaskKind,
    TaskStatus,
)
from isf.planning.models import Task

RANKED = ("-priority", "due_at", "pk")  # the queue's order: highest priority first, then the earliest due


def queue_filters(query) -> dict:
    """The work queue's filters (page and export) from an ``isf.core.params.QueryParams``: ``scope`` (``mine``:
    without the team's unclaimed tasks) and ``kind``; unknown values are refused."""
    return {"scope": query.choice("scope", ("mine",)), "kind": query.choice("kind", TaskKind.values)}


def work_queue(*, user, include_team: bool = True, kind: str = "") -> QuerySet[Task]:
    """The user's open work: own tasks plus the team's unclaimed ones, highest priority first
    (``isf.planning.priority``); ``kind`` filters (unknown: all)."""
    mine = Q(assignee=user, status__in=OPEN_STATUSES)
    condition = mine
    if include_team and user.team_id:
        condition |= Q(team_id=user.team_id, assignee__isnull=True, status=TaskStatus.OPEN)
    if user.role == Role.INSIDE_LEAD:
        condition |= Q(team__isnull=True, assignee__isnull=True, side="inside", status=TaskStatus.OPEN)
    if kind in TaskKind.values:
        condition &= Q(kind=kind)
    return (
        Task.objects.filter(condition)
        .select_related("account", "contact", "team", "assignee")
        .order_by(*RANKED)
    )


def team_open_counts(*, team_ids=None) -> QuerySet:
    qs = Task.objects.filter(status__in=OPEN_STATUSES)
    if team_ids is not None:
        qs = qs.filter(team_id__in=team_ids)
    return qs.values("team__name", "kind").annotate(n=Count("pk")).order_by("team__name", "kind")


# ----------------------------------------------------------------------------------------- the one definition

def overdue_cutoff(now: datetime | None = None) -> datetime:
    """The start of today (local): an open task due before it is overdue."""
    local = timezone.localtime(now or timezone.now())
    return datetime.combine(local.date(), time(0), tzinfo=local.tzinfo)


def overdue_condition(now: datetime | None = None, prefix: str = "") -> Q:
    """Open and due before today, as a condition on tasks (``prefix``: through a relation, e.g. "tasks__")."""
    return Q(**{f"{prefix}status__in": OPEN_STATUSES, f"{prefix}due_at__lt": overdue_cutoff(now)})


@dataclass(frozen=True)
class TeamLoad:
    """A team's queue figures: open tasks, unclaimed, overdue."""

    open: int = 0
    unclaimed: int = 0
    overdue: int = 0


def team_loads(*, team_ids=None, now: datetime | None = None) -> dict[int | None, TeamLoad]:
    """team id -> its open, unclaimed and overdue task counts (one grouped query; no team: key None)."""
    qs = Task.objects.filter(status__in=OPEN_STATUSES)
    if team_ids is not None:
        qs = qs.filter(team_id__in=list(team_ids))
    rows = qs.values("team_id").annotate(
        n_open=Count("pk"),
        unclaimed=Count("pk", filter=Q(status=TaskStatus.OPEN, assignee__isnull=True)),
        overdue=Count("pk", filter=overdue_condition(now)),
    ).order_by()
    return {r["team_id"]: TeamLoad(r["n_open"], r["unclaimed"], r["overdue"]) for r in rows}


@dataclass(frozen=True)
class ContactPlanFigures:
    """Contact-plan tasks whose due day ended in the period: how many, done on time, done late, still open."""

    due: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0

    @property
    def share(self) -> float | None:
        """Done on time / due (None when nothing was due)."""
        return self.on_time / self.due if self.due else None

    def as_dict(self) -> dict:
        return {"due": self.due, "on_time": self.on_time, "done_late": self.late, "overdue": self.open,
                "on_time_share": round(self.share, 4) if self.share is not None else None}


def contact_plan_figures(*, since: datetime, until: datetime, team=None, group: str = "",
                         now: datetime | None = None):
    """The "contact plan on time" figures for the tasks due in ``[since, until)`` whose due day has ended.

    ``team`` (a Team or id) filters; ``group`` "team" returns {team id: ContactPlanFigures} instead of one.
    """
    end = min(until, overdue_cutoff(now))
    tz = timezone.get_current_timezone()
    qs = (Task.objects.filter(source=PLAN_SOURCE, due_at__gte=since, due_at__lt=end)
          .exclude(status=TaskStatus.CANCELLED))
    if team is not None:
        qs = qs.filter(team_id=getattr(team, "pk", team))
    qs = qs.annotate(due_day=TruncDate("due_at", tzinfo=tz), done_day=TruncDate("completed_at", tzinfo=tz))
    counts = dict(
        due=Count("pk"),
        on_time=Count("pk", filter=Q(status=TaskStatus.DONE, done_day__lte=F("due_day"))),
        late=Count("pk", filter=Q(status=TaskStatus.DONE, done_day__gt=F("due_day"))),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
    )
    if group == "team":
        return {r["team_id"]: ContactPlanFigures(r["due"], r["on_time"], r["late"], r["open"])
                for r in qs.values("team_id").annotate(**counts).order_by()}
    agg = qs.aggregate(**counts)
    return ContactPlanFigures(agg["due"], agg["on_time"], agg["late"], agg["open"])


def month_to_date(now: datetime | None = None) -> tuple[datetime, datetime]:
    """The current month up to today (the team overview's period)."""
    cutoff = overdue_cutoff(now)
    first = cutoff.replace(day=1)
    return first, cutoff + timedelta(days=1)


def _fulfilled_by_call(day: date) -> Q:
    """The rule: an open planned contact (care, welcome, win-back, satisfaction call) due up to a few days after the
    call's day is fulfilled by a call on ``day`` in which the customer was reached."""
    end = timezone.make_aware(datetime.combine(day + timedelta(days=CALL_FULFILS_DAYS_AHEAD), time.max))
    return Q(status__in=OPEN_STATUSES, kind__in=CALL_FULFILLED_KINDS, due_at__lte=end)


def account_open_tasks(account, *, day: date | None = None, limit: int = 30) -> QuerySet[Task]:
    """The account's open tasks a call or a visit can take care of (not those with a workflow of their own), by due;
    ``fulfilled_by_call``: whether a reached call on ``day`` (default today) completes it by itself."""
    rule = _fulfilled_by_call(day or timezone.localdate())
    return (Task.objects.filter(account=account, status__in=OPEN_STATUSES).exclude(kind__in=OWN_WORKFLOW_KINDS)
            .annotate(fulfilled_by_call=ExpressionWrapper(rule, output_field=BooleanField()))
            .select_related("assignee", "team").order_by("due_at", "pk")[:limit])


def tasks_a_call_fulfils(account, day: date) -> QuerySet[Task]:
    """The account's open planned contacts that a call on ``day`` in which the customer was reached fulfils."""
    return Task.objects.filter(_fulfilled_by_call(day), account=account).order_by("due_at", "pk")
