"""Reads of the work queue."""

from django.db.models import Q, QuerySet

from isf.org.choices import Role
from isf.planning.choices import OPEN_STATUSES, TaskKind, TaskStatus
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
