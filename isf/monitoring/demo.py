"""Demo content for monitoring: the run four weeks ago, most of its alert calls worked with an outcome,
then today's run (which closes the alerts of accounts that ordered since and raises the new ones)."""

from datetime import timedelta

from django.db.models import F

from isf.monitoring.choices import SOURCE
from isf.monitoring.services import monitor_run
from isf.org.choices import Role
from isf.org.models import User
from isf.planning.choices import Side, TaskStatus
from isf.planning.models import Task

CHUNK = 5000
OUTCOMES = ["reached", "reached", "appointment", "quote", "not_reached", "sale", "not_interested"]


def load(ctx) -> None:
    past = monitor_run(today=ctx.today - timedelta(days=28), progress=ctx.progress)
    ctx.progress(f"monitoring four weeks ago: {past['flags_raised']:,} alerts")
    _work(ctx)
    now = monitor_run(today=ctx.today, progress=ctx.progress)
    ctx.progress(f"monitoring today: {now['flags_raised']:,} new alerts, {now['flags_resolved']:,} resolved")


def _work(ctx) -> None:
    """Four of five alert calls of four weeks ago are done by an agent of the team, with an outcome."""
    agents: dict[int, list[int]] = {}
    for pk, team_id in User.objects.filter(role=Role.INSIDE_AGENT, team__isnull=False).values_list("pk", "team_id"):
        agents.setdefault(team_id, []).append(pk)
    rows = Task.objects.filter(source=SOURCE, status=TaskStatus.OPEN).values_list("pk", "team_id", "side", "assignee_id")
    buckets: dict[tuple, list[int]] = {}
    for pk, team_id, side, assignee in rows:
        if pk % 5 == 0:
            continue
        outcome = OUTCOMES[pk % len(OUTCOMES)] if side == Side.INSIDE else "done"
        team_agents = agents.get(team_id) or [assignee]
        who = assignee or team_agents[pk % len(team_agents)]
        buckets.setdefault((outcome, who), []).append(pk)
    for (outcome, who), pks in buckets.items():
        for start in range(0, len(pks), CHUNK):
            Task.objects.filter(pk__in=pks[start : start + CHUNK]).update(
                status=TaskStatus.DONE, outcome=outcome, assignee_id=who, completed_at=F("due_at") + timedelta(hours=2)
            )
