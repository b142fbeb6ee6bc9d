"""Referrals are asked for, not just recorded (issue 20).

A care matrix entry with the activity "ask for a referral" and a positive trigger event - a service order rated 5 of
5, a quote won, a complaint solved - becomes a task the moment the event happens: the owning app calls
:func:`referral_ask_after` and the task is created through ``planning.services.task_create``. Its key is the contact
plan's key for a triggered entry (``plan:<account>:<activity>:<event part>``), so the nightly plan run, which reads
the same events (:func:`positive_events`), never adds it twice and catches an event no hook saw.

The agent completes the task with what came of asking - referral given, lead created, declined (or not reached) -
and :func:`referral_counts` counts those outcomes per agent.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from isf.planning.choices import (
    OPEN_STATUSES,
    REFERRAL_OUTCOMES,
    Side,
    TaskKind,
    TaskOutcome,
    TaskStatus,
    TriggerEvent,
)
from isf.planning.models import Task

POSITIVE_EVENTS = (TriggerEvent.TOP_RATING, TriggerEvent.QUOTE_WON, TriggerEvent.COMPLAINT_SOLVED)
TOP_SCORE = 5


def key_part(event: str, ref) -> str:
    return {TriggerEvent.TOP_RATING: "r", TriggerEvent.QUOTE_WON: "w", TriggerEvent.COMPLAINT_SOLVED: "c"}[event] \
        + str(ref)


def referral_ask_after(*, account, event: str, ref, day: date | None = None, number: str = "", actor=None) -> list:
    """After a positive event on ``account``: a referral request for each of its care matrix's "ask for a
    referral" entries triggered by ``event`` (for the account's phase); returns the tasks created."""
    from isf.planning.models import CareActivity
    from isf.planning.plan import EVENT_TEXT as PLAN_TEXT
    from isf.planning.plan import _de, _due_at, _en
    from isf.planning.services import task_create

    if account is None or not account.segment_id or account.opt_out_date:
        return []
    day = day or timezone.localdate()
    activities = CareActivity.objects.filter(matrix__segment_id=account.segment_id, activity=TaskKind.REFERRAL_ASK,
                                             trigger_event=event).exclude(side=Side.MARKETING)
    created = []
    for act in activities:
        if account.phase not in act.phase_list:
            continue
        de, en = PLAN_TEXT[event]
        due = _due_at(day + timedelta(days=act.offset_days or 0), account.pk, act.pk)
        inside = act.side == Side.INSIDE
        task = task_create(
            kind=TaskKind.REFERRAL_ASK, title=f"{act.title_de}: {account.name}",
            title_en=f"{act.title_en or act.title_de}: {account.name}", due_at=due, account=account,
            team=(account.team or account.segment.team) if inside else None,
            assignee=None if inside else account.owner, side=act.side,
            reason=f"{act.title_de}: " + de.format(de=_de(day), number=number),
            reason_en=f"{act.title_en or act.title_de}: " + en.format(en=_en(day), number=number),
            source="plan", source_id=str(act.pk), dedupe_key=f"plan:{account.pk}:{act.pk}:{key_part(event, ref)}",
            actor=actor,
        )
        if task is not None:
            created.append(task)
    return created


def positive_events(lo: date, end: date) -> dict[str, dict[int, list[tuple]]]:
    """Per positive event and account: [(day, key part, number)] from ``lo`` until before ``end`` (the plan run's
    reading of the same events)."""
    from isf.campaigns.models import Complaint
    from isf.service.models import ServiceRating

    tz = timezone.get_current_timezone()
    start, stop = datetime.combine(lo, time.min, tzinfo=tz), datetime.combine(end, time.min, tzinfo=tz)
    events: dict[str, dict[int, list[tuple]]] = {e: {} for e in POSITIVE_EVENTS}
    ratings = (ServiceRating.objects.filter(score__gte=TOP_SCORE, rated_at__gte=start, rated_at__lt=stop,
                                            order__account__isnull=False)
               .values_list("order__account_id", "pk", "rated_at", "order_id"))
    for acc, pk, at, order_id in ratings:
        events[TriggerEvent.TOP_RATING].setdefault(acc, []).append(
            (timezone.localdate(at), key_part(TriggerEvent.TOP_RATING, pk), f"SA-{order_id:06d}"))
    solved = (Complaint.objects.filter(resolved_at__gte=start, resolved_at__lt=stop)
              .values_list("account_id", "pk", "resolved_at"))
    for acc, pk, at in solved:
        events[TriggerEvent.COMPLAINT_SOLVED].setdefault(acc, []).append(
            (timezone.localdate(at), key_part(TriggerEvent.COMPLAINT_SOLVED, pk), ""))
    from isf.campaigns.models import QuoteFollowup

    won = (QuoteFollowup.objects.filter(outcome="won", decided_at__gte=start, decided_at__lt=stop)
           .values_list("quote__account_id", "quote_id", "decided_at", "quote__number"))
    for acc, pk, at, number in won:
        events[TriggerEvent.QUOTE_WON].setdefault(acc, []).append(
            (timezone.localdate(at), key_part(TriggerEvent.QUOTE_WON, pk), number))
    return events


def referral_counts(*, agents=None, since: date | None = None) -> dict[int, dict]:
    """Per agent (user id): referral requests done and their outcomes - asked (done), given, lead created, declined,
    not reached - and the open ones assigned to him; from ``since`` (completion day) when given."""
    qs = Task.objects.filter(kind=TaskKind.REFERRAL_ASK, assignee__isnull=False)
    if agents is not None:
        qs = qs.filter(assignee__in=agents)
    done = Q(status=TaskStatus.DONE)
    if since is not None:
        done &= Q(completed_at__gte=datetime.combine(since, time.min, tzinfo=timezone.get_current_timezone()))
    rows = qs.values("assignee_id").annotate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        asked=Count("pk", filter=done),
        **{code.value: Count("pk", filter=done & Q(outcome=code)) for code in REFERRAL_OUTCOMES},
    )
    out = {}
    for row in rows:
        uid = row.pop("assignee_id")
        row["given_total"] = row[TaskOutcome.REFERRAL_GIVEN] + row[TaskOutcome.REFERRAL_LEAD]
        out[uid] = row
    return out

