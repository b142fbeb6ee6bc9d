"""The field rep's day: what is due today, what is overdue, and the planned visits to re-plan.

A planned visit overdue by more than its care interval (365 / the visits a year it was planned with) is no longer
a late visit but a missed one: the next visit of the plan is already due or near. Those collapse into one "re-plan"
item on the rep's home page; the re-plan page lists them and drops them (cancelled with a reason and an event) or
links to each to give it a new date.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.planning.choices import OPEN_STATUSES, TaskKind
from isf.planning.models import Task
from isf.planning.plan import care_interval_days
from isf.planning.selectors import overdue_cutoff
from isf.planning.services import task_cancel

MAX_OVERDUE = 500


@dataclass
class FieldDay:
    today: list[Task] = field(default_factory=list)
    overdue: list[Task] = field(default_factory=list)  # each with ``days_overdue``
    replan: list[Task] = field(default_factory=list)  # visits overdue beyond their care interval, oldest first


def _beyond_interval(task: Task) -> bool:
    interval = care_interval_days(task.dedupe_key) if task.kind == TaskKind.VISIT else None
    return interval is not None and task.days_overdue > interval


def field_day(user, *, now: datetime | None = None, limit: int = 30) -> FieldDay:
    """The rep's open tasks due today (by time) and overdue (``overdue_cutoff``, the one definition; oldest first),
    the visits beyond their care interval taken out of the overdue list into ``replan``."""
    start = overdue_cutoff(now)
    day = start.date()
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=start.tzinfo)
    mine = Task.objects.filter(assignee=user, status__in=OPEN_STATUSES).select_related("account")
    result = FieldDay(today=list(mine.filter(due_at__gte=start, due_at__lt=end).order_by("due_at", "pk")[:limit]))
    for task in mine.filter(due_at__lt=start).order_by("due_at", "pk")[:MAX_OVERDUE]:
        task.days_overdue = (day - timezone.localtime(task.due_at).date()).days
        (result.replan if _beyond_interval(task) else result.overdue).append(task)
    result.overdue = result.overdue[:limit]
    return result


@transaction.atomic
def visits_replan_drop(*, user, task_ids, now: datetime | None = None) -> int:
    """Drop the user's visits among ``task_ids`` that are overdue beyond their care interval (the next planned visit
    stays): each is cancelled with the reason and an event. Others are left alone; returns how many were dropped."""
    wanted = {int(pk) for pk in task_ids}
    stale = [t for t in field_day(user, now=now).replan if t.pk in wanted]
    for task in stale:
        task_cancel(task=task, user=user, reason=_("re-planned: %(days)s days overdue, beyond the care interval of "
                                                   "%(interval)s days; the next planned visit stays")
                    % {"days": task.days_overdue, "interval": round(care_interval_days(task.dedupe_key))})
    return len(stale)
