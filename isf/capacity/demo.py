"""Demo content: thirteen weeks of 15-minute inbound call volumes per team, staffing parameters, absences;
and the history of the work queues (`work_queues`): each team worked its queue at its capacity day by day.

The volumes follow a German B2B office line: open Mon-Thu 08:00-17:00 and Fri 08:00-15:00, a morning peak
around 10:00, a lunch dip, a smaller afternoon peak; Monday busiest; slight growth; closed on Bavarian
public holidays; as many calls as the company's size brings (`ctx.volume_scale`, like the call log).
Generated with numpy in one pass per team and written with bulk_create.
"""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import holidays
import numpy as np

from isf.capacity.models import Absence, CallVolume, StaffingParameters, VolumeSource
from isf.capacity.selectors import LOCAL

WEEKS = 13  # a quarter: the demo's contact plans are fitted into the recorded calls of the last 90 days
RESOLUTION = 15
# team code -> (calls on an average Monday, AHT seconds, outbound minutes, target level %, target seconds)
TEAMS = {
    "KA": (38, 330, 12, 70, 60),
    "MP": (75, 270, 9, 75, 60),
    "SMB": (90, 240, 8, 80, 30),
    "CDP": (110, 180, 6, 80, 20),
}
WEEKDAY_FACTOR = np.array([1.0, 0.88, 0.84, 0.82, 0.62, 0.0, 0.0])
CLOSES = np.array([17, 17, 17, 17, 15, 0, 0])


def _shape(weekday: int) -> np.ndarray:
    hours = (np.arange(0, 1440, RESOLUTION) + RESOLUTION / 2) / 60
    shape = 1.0 + 1.1 * np.exp(-(((hours - 10.0) / 1.2) ** 2)) + 0.5 * np.exp(-(((hours - 14.5) / 1.2) ** 2))
    shape -= 0.5 * np.exp(-(((hours - 12.6) / 0.45) ** 2))
    shape[(hours < 8) | (hours >= CLOSES[weekday])] = 0.0
    total = shape.sum()
    return shape / total if total else shape


def volume_rows(team, monday_calls: float, first_day, days: int, rng, state: str = "BY") -> list[CallVolume]:
    closed = holidays.country_holidays("DE", subdiv=state, years=range(first_day.year, first_day.year + 2))
    shapes = [_shape(wd) for wd in range(7)]
    rows = []
    for d in range(days):
        day = first_day + timedelta(days=d)
        if day in closed:
            means = np.zeros(1440 // RESOLUTION)
        else:
            level = monday_calls * WEEKDAY_FACTOR[day.weekday()] * (1.004 ** d) * rng.gamma(60, 1 / 60)
            means = level * shapes[day.weekday()]
        counts = rng.poisson(means)
        midnight = datetime.combine(day, time(0), tzinfo=LOCAL)
        for slot, calls in enumerate(counts.tolist()):
            # local wall-clock interval -> aware UTC (the DST night hours carry no calls)
            wall = midnight.replace(tzinfo=None) + timedelta(minutes=slot * RESOLUTION)
            local = wall.replace(tzinfo=LOCAL)
            if wall.hour == 2 and local.astimezone(UTC).astimezone(LOCAL).replace(tzinfo=None) != wall:
                continue  # skipped by the spring daylight-saving change
            rows.append(CallVolume(team=team, start=local, resolution_minutes=RESOLUTION, calls=int(calls),
                                   source=VolumeSource.DEMO))
    return rows


def load(ctx) -> None:
    rng = np.random.default_rng(ctx.seed + 80)
    first_day = ctx.today - timedelta(days=7 * WEEKS)
    first_day -= timedelta(days=first_day.weekday())  # start on a Monday
    days = (ctx.today - first_day).days  # up to yesterday
    for code, (monday, aht, outbound, level, seconds) in TEAMS.items():
        team = ctx.teams.get(code)
        if team is None:
            continue
        StaffingParameters.objects.update_or_create(
            team=team,
            defaults={"aht_seconds": aht, "outbound_minutes": Decimal(outbound), "target_level": level,
                      "target_seconds": seconds, "max_occupancy": Decimal("0.85"), "shrinkage": Decimal("0.25")},
        )
        CallVolume.objects.bulk_create(volume_rows(team, monday * ctx.volume_scale, first_day, days, rng),
                                       batch_size=5000)
    agents = [u for u in ctx.users.values() if u.team_id and u.role == "id"]
    # the IDL keeps every line staffed (Erlang C): absences fall on the part-timers of the teams of three
    absences = [(3, 3, 7, "vacation", "Herbsturlaub"), (7, 1, 2, "sick", ""), (7, 8, 12, "training",
                "Produktschulung Antriebstechnik"), (3, 14, 16, "vacation", "Brückentage")]
    for index, start, end, kind, note in absences:
        if index < len(agents):
            Absence.objects.create(user=agents[index], first_day=ctx.today + timedelta(days=start),
                                   last_day=ctx.today + timedelta(days=end), kind=kind, note=note)


# ------------------------------------------------------------------------------------- the queue's history

CALL_OUTCOMES = ["reached", "reached", "appointment", "quote", "not_reached", "sale", "not_interested"]
# asked for a referral: about half give a name, one in six of those becomes a lead right away (issue 20)
REFERRAL_OUTCOMES = ["referral_given", "referral_declined", "referral_lead", "referral_given", "not_reached",
                     "referral_declined"]
CHUNK = 5000


def work_queues(ctx, *, first_day, last_day, progress=None) -> dict:
    """Each team works its open queue day by day from ``first_day`` to ``last_day`` at its capacity.

    The same loop the plan is sized by (`isf.capacity.schedule`): a business day's budget is what is left
    after inbound calls (recorded volume, Erlang C) and SLA work, minus the queue work already done that day.
    Open team tasks due that day or earlier are done oldest first, the most valuable account first within a
    day, by one of the agents present, with an outcome and a "completed" event; what the budget does not take
    stays open (overdue). Service orders are SLA work and left to their own workflow. Returns tasks done.
    """
    from collections import defaultdict

    from django.db.models import Q

    from isf.capacity.processtimes import SLA_KINDS, activity_minutes
    from isf.capacity.schedule import account_ranks, business_days, team_days
    from isf.capacity.services import staffing_parameters_for
    from isf.org.choices import Role
    from isf.org.models import User
    from isf.planning.choices import CALL_KINDS, OPEN_STATUSES, Side, TaskKind, TaskStatus
    from isf.planning.models import Task
    from isf.planning.services import tasks_complete_bulk

    progress = progress or ctx.progress
    end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=LOCAL)
    done_total = 0
    for team in ctx.teams.values():
        days = business_days(team, first_day, until=last_day + timedelta(days=1))
        if not days:
            continue
        params = staffing_parameters_for(team)
        loads = team_days(team, days, today=ctx.today)
        agents = list(User.objects.filter(team=team, role=Role.INSIDE_AGENT, is_active=True).order_by("pk")
                      .values_list("pk", flat=True))
        absent = defaultdict(set)
        for user_id, first, last in Absence.objects.filter(user__in=agents, first_day__lte=last_day,
                                                           last_day__gte=first_day).values_list("user_id", "first_day", "last_day"):
            for d in days:
                if first <= d <= last:
                    absent[d].add(user_id)
        cost = {kind: activity_minutes(params, kind) for kind in TaskKind.values}
        spent: dict = defaultdict(float)
        start = datetime.combine(days[0], time(0), tzinfo=LOCAL)
        for completed, kind in Task.objects.filter(team=team, status=TaskStatus.DONE, completed_at__gte=start,
                                                   completed_at__lt=end).exclude(kind__in=SLA_KINDS).values_list(
                "completed_at", "kind"):
            spent[completed.astimezone(LOCAL).date()] += cost[kind]
        rows = list(Task.objects.filter(Q(team=team), status__in=OPEN_STATUSES, side=Side.INSIDE, due_at__lt=end)
                    .exclude(kind__in=SLA_KINDS).values_list("pk", "kind", "due_at", "account_id", "assignee_id"))
        ranks = account_ranks(r[3] for r in rows)
        worst = (2, 10**6, 0.0, 0)
        rows.sort(key=lambda r: (r[2].astimezone(LOCAL).date(), ranks.get(r[3], worst), r[2], r[0]))
        pending = 0  # rows[:pending] are handled; rows are sorted by due day
        waiting: list = []
        buckets: dict = defaultdict(list)  # (day, agent, outcome) -> pks
        for day in days:
            while pending < len(rows) and rows[pending][2].astimezone(LOCAL).date() <= day:
                waiting.append(rows[pending])
                pending += 1
            present = [a for a in agents if a not in absent[day]]
            budget = loads[day].free_minutes - spent[day]
            left = []
            for pk, kind, _due, _account, assignee in waiting:
                minutes = cost[kind]
                if not present or budget < minutes:
                    left.append((pk, kind, _due, _account, assignee))
                    continue
                budget -= minutes
                who = assignee if assignee in present else present[pk % len(present)]
                outcome = (REFERRAL_OUTCOMES[pk % len(REFERRAL_OUTCOMES)] if kind == "referral_ask"
                           else CALL_OUTCOMES[pk % len(CALL_OUTCOMES)] if kind in CALL_KINDS else "done")
                buckets[(day, who, outcome)].append(pk)
            waiting = left
        for (day, who, outcome), pks in buckets.items():
            at = datetime.combine(day, time(15, 0), tzinfo=LOCAL)
            done_total += len(tasks_complete_bulk(task_ids=pks, outcome=outcome, note=None, event_note=outcome,
                                                  actor_id=who, assignee_id=who, completed_at=at, chunk=CHUNK))
        progress(f"{team.code}: {sum(len(p) for p in buckets.values()):,} tasks worked {days[0]}–{days[-1]}, "
                 f"{len(waiting):,} still open")
    return {"done": done_total}
