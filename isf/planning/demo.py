"""Demo content for planning: default care matrices, a contact plan that has been worked for 90 days
(most past contacts done, some overdue), and the plan for the next 90 days."""

from datetime import datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

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
    current = plan_run(today=ctx.today, horizon_days=90, progress=ctx.progress)
    ctx.progress(f"contact plan of the next 90 days: {current['created']:,} tasks")
    _claim_some(ctx)


def _work_the_past(ctx) -> None:
    """Most past planned contacts are done by a team member or the owner; every ninth is still open."""
    start_today = timezone.make_aware(datetime.combine(ctx.today, time(0, 0)))
    past = Task.objects.filter(source=PLAN_SOURCE, status=TaskStatus.OPEN, due_at__lt=start_today)
    agents: dict[int, list[int]] = {}
    for pk, team_id in User.objects.filter(role=Role.INSIDE_AGENT, team__isnull=False).values_list("pk", "team_id"):
        agents.setdefault(team_id, []).append(pk)
    pks = list(past.values_list("pk", "team_id", "side"))
    buckets: dict[tuple, list[int]] = {}
    for pk, team_id, side in pks:
        if pk % 9 == 0:
            continue
        outcome = "not_reached" if pk % 7 == 0 else ("done" if side == Side.FIELD else "reached")
        team_agents = agents.get(team_id) or [None]
        agent = team_agents[pk % len(team_agents)] if side == Side.INSIDE else None
        buckets.setdefault((outcome, agent), []).append(pk)
    for (outcome, agent), ids in buckets.items():
        for start in range(0, len(ids), CHUNK):
            qs = Task.objects.filter(pk__in=ids[start : start + CHUNK])
            values = {"status": TaskStatus.DONE, "outcome": outcome, "completed_at": F("due_at") + timedelta(hours=1)}
            if agent is not None:
                values["assignee_id"] = agent
            qs.update(**values)


def _claim_some(ctx) -> None:
    for agent in User.objects.filter(role=Role.INSIDE_AGENT, team__isnull=False).order_by("pk"):
        open_ids = Task.objects.filter(team_id=agent.team_id, assignee__isnull=True, status=TaskStatus.OPEN).order_by(
            "due_at"
        ).values_list("pk", flat=True)[:2]
        for pk in list(open_ids):
            task_claim(task_id=pk, user=agent)
