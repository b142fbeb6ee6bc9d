"""Demo content for planning: default care matrices, a contact plan that has been worked for 90 days, and the
plan for the next 90 days. Both plans are fitted into the teams' capacity, and the inside teams worked the
past one day by day at their capacity (`isf.capacity.demo.work_queues`): what is overdue today is what the
days' budgets did not take, not a fixed share."""

from datetime import datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from isf.capacity.demo import work_queues
from isf.org.choices import Role
from isf.org.models import User
from isf.planning.choices import PLAN_SOURCE, Side, TaskStatus
from isf.planning.matrix_services import care_matrices_load_defaults
from isf.planning.models import Task
from isf.planning.plan import plan_run
from isf.planning.services import task_claim

CHUNK = 5000


def load(ctx) -> None:
    care_matrices_load_defaults()
    past = plan_run(today=ctx.today - timedelta(days=90), horizon_days=90, progress=ctx.progress)
    ctx.progress(f"contact plan of the last 90 days: {past['created']:,} tasks")
    _work_the_past(ctx)
    work_queues(ctx, first_day=ctx.today - timedelta(days=90), last_day=ctx.today - timedelta(days=1))
    current = plan_run(today=ctx.today, horizon_days=90, progress=ctx.progress)
    ctx.progress(f"contact plan of the next 90 days: {current['created']:,} tasks")
    _claim_some(ctx)


def _work_the_past(ctx) -> None:
    """The field reps did most of their past planned visits; every ninth is still open (the inside teams' part
    of the plan is worked by `work_queues`)."""
    start_today = timezone.make_aware(datetime.combine(ctx.today, time(0, 0)))
    past = Task.objects.filter(source=PLAN_SOURCE, status=TaskStatus.OPEN, due_at__lt=start_today, side=Side.FIELD)
    buckets: dict[str, list[int]] = {}
    for pk in past.values_list("pk", flat=True):
        if pk % 9 == 0:
            continue
        buckets.setdefault("not_reached" if pk % 7 == 0 else "done", []).append(pk)
    for outcome, ids in buckets.items():
        for start in range(0, len(ids), CHUNK):
            Task.objects.filter(pk__in=ids[start : start + CHUNK]).update(
                status=TaskStatus.DONE, outcome=outcome, completed_at=F("due_at") + timedelta(hours=1))


def _claim_some(ctx) -> None:
    from isf.planning import routing

    for agent in User.objects.filter(role=Role.INSIDE_AGENT, team__isnull=False).order_by("pk"):
        mine = Task.objects.filter(team_id=agent.team_id, assignee__isnull=True, status=TaskStatus.OPEN)
        barred = routing.not_for(agent)  # key-account work only for approved agents, as take-next does it
        if barred:
            mine = mine.exclude(barred)
        open_ids = mine.order_by("due_at").values_list("pk", flat=True)[:2]
        for pk in list(open_ids):
            task_claim(task_id=pk, user=agent)
