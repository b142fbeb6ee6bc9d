"""Reads of the work queue."""

from datetime import date, datetime, time, timedelta

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from isf.org.choices import Role
from isf.planning.choices import (
    CALL_FULFILLED_KINDS,
    CALL_FULFILS_DAYS_AHEAD,
    OPEN_STATUSES,
    OWN_WORKFLOW_KINDS,
    TaskKind,
    TaskStatus,
)
from isf.planning.models import Task


def queue_filters(query) -> dict:
    """The work queue's filters (page and export) from an ``isf.core.params.QueryParams``: ``scope`` (``mine``:
    without the team's unclaimed tasks) and ``kind``; unknown values are refused."""
    return {"scope": query.choice("scope", ("mine",)), "kind": query.choice("kind", TaskKind.values)}


def work_queue(*, user, include_team: bool = True, kind: str = "") -> QuerySet[Task]:
    """The user's due work: own tasks plus the team's unclaimed ones, by due time; ``kind`` filters (unknown: all)."""
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
        .order_by("due_at", "pk")
    )


def team_open_counts(*, team_ids=None) -> QuerySet:
    from django.db.models import Count

    qs = Task.objects.filter(status__in=OPEN_STATUSES)
    if team_ids is not None:
        qs = qs.filter(team_id__in=team_ids)
    return qs.values("team__name", "kind").annotate(n=Count("pk")).order_by("team__name", "kind")


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
