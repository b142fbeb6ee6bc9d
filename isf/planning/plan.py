"""Contact plans: the care matrix and each account's phase turned into tasks (`isf plan`).

A rolling horizon (default 90 days) keeps the queue bounded. Frequency entries become slots on a
workday grid: an entry with n contacts a year has a slot every 261/n workdays, shifted per account
by a hash of (account, entry), so due dates spread evenly over the period instead of piling up on
one day. Triggered entries (welcome call N days after the first order, win-back call when lost, quote
follow-up …) become one task per event. Every task has a dedupe key (account, entry, slot or event),
so a second run creates nothing. Open planned tasks that no longer apply (segment or phase changed,
entry removed, frequency changed) are cancelled with a reason.
"""

import math
import re
import time
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from isf.core.rows import insert_dicts
from isf.customers.models import Account, Order, Quote
from isf.lifecycle.choices import Phase
from isf.lifecycle.models import PhaseChange
from isf.lifecycle.rules import MONTHS_EN
from isf.planning.choices import CALL_KINDS, PLAN_SOURCE, Channel, Side, TaskAction, TaskKind, TaskStatus, TriggerEvent
from isf.planning.models import CareActivity, CareMatrix, Task, TaskEvent
from isf.planning.services import tasks_insert_bulk

EPOCH = date(2024, 1, 1)  # a Monday: workday 0
WORKDAYS_PER_YEAR = 261
GRACE_DAYS = 14  # triggered tasks whose due day passed this recently are still created (due today)
CHUNK = 2000
OBSOLETE = "plan_obsolete"
PHASE_EVENTS = {
    TriggerEvent.BECAME_NEW: Phase.NEW,
    TriggerEvent.BECAME_AT_RISK: Phase.AT_RISK,
    TriggerEvent.BECAME_LOST: Phase.LOST,
    TriggerEvent.BECAME_WON_BACK: Phase.WON_BACK,
}
EVENT_TEXT = {
    TriggerEvent.FIRST_ORDER: ("erste Bestellung am {de}", "first order on {en}"),
    TriggerEvent.BECAME_NEW: ("Neukunde seit {de}", "new customer since {en}"),
    TriggerEvent.BECAME_AT_RISK: ("gefährdet seit {de}", "at risk since {en}"),
    TriggerEvent.BECAME_LOST: ("verloren seit {de}", "lost since {en}"),
    TriggerEvent.BECAME_WON_BACK: ("zurückgewonnen am {de}", "won back on {en}"),
    TriggerEvent.QUOTE_SENT: ("Angebot {number} vom {de}", "quote {number} of {en}"),
    # the positive events after which a referral is asked for (isf.planning.referrals)
    TriggerEvent.TOP_RATING: ("Auftrag {number} mit 5 von 5 bewertet am {de}", "order {number} rated 5 of 5 on {en}"),
    TriggerEvent.QUOTE_WON: ("Angebot {number} gewonnen am {de}", "quote {number} won on {en}"),
    TriggerEvent.COMPLAINT_SOLVED: ("Reklamation gelöst am {de}", "complaint solved on {en}"),
}


FREQUENCY_KEY = re.compile(r"^plan:\d+:\d+:(\d+)n\d+$")


def plan_key(account_id: int, activity_id: int, per_year: int, slot: int) -> str:
    """The dedupe key of a frequency slot: it records the frequency the slot was planned with."""
    return f"plan:{account_id}:{activity_id}:{per_year}n{slot}"


def care_interval_days(dedupe_key: str) -> float | None:
    """Days between two planned contacts of the frequency a task's slot was planned with (``plan_key``); None for
    a task not planned by frequency (a triggered contact, an appointment, one created by hand)."""
    match = FREQUENCY_KEY.match(dedupe_key)
    per_year = int(match.group(1)) if match else 0
    return 365 / per_year if per_year > 0 else None


def workday_to_date(w: int) -> date:
    return EPOCH + timedelta(days=(w // 5) * 7 + w % 5)


def date_to_workday(d: date) -> int:
    """The index of the workday on or after d."""
    weeks, rest = divmod((d - EPOCH).days, 7)
    return weeks * 5 + min(rest, 5)


def spread(account_id: int, activity_id: int) -> float:
    """A stable number in [0, 1) per account and entry, spreading due dates over the period."""
    return (zlib.crc32(f"{account_id}/{activity_id}".encode()) % 1_000_003) / 1_000_003


def frequency_slots(account_id: int, activity_id: int, per_year: int, start: date, end: date) -> list[tuple[int, date]]:
    """(slot number, due day) of the entry's slots for the account with due day in [start, end)."""
    if per_year <= 0:
        return []
    period = WORKDAYS_PER_YEAR / per_year
    offset = spread(account_id, activity_id) * period
    first_w, end_w = date_to_workday(start), date_to_workday(end)
    k = math.ceil((first_w - offset) / period)
    slots = []
    while True:
        w = math.floor(offset + k * period)
        if w >= end_w:
            break
        if w >= first_w:
            slots.append((k, workday_to_date(w)))
        k += 1
    return slots


def _de(d: date) -> str:
    return f"{d.day:02d}.{d.month:02d}."


def _en(d: date) -> str:
    return f"{d.day} {MONTHS_EN[d.month - 1]}"


def _due_at(day: date, account_id: int, activity_id: int, tz=None) -> datetime:
    """The due time on the day: spread over the working hours 8-16 so the queue has no single spike."""
    hour = 8 + zlib.crc32(f"{activity_id}:{account_id}".encode()) % 8
    return datetime.combine(day, dtime(hour, 0), tzinfo=tz or timezone.get_current_timezone())


@dataclass
class PlanResult:
    created: int = 0
    cancelled: int = 0
    calls_counted_as_visits: int = 0
    skipped_no_owner: int = 0
    skipped_no_consent: int = 0
    accounts: int = 0
    deferred: int = 0
    shifted: int = 0
    by_kind: dict = field(default_factory=dict)


def _account_rows():
    return Account.objects.filter(segment__isnull=False).values_list(
        "pk", "segment_id", "phase", "team_id", "owner_id", "potential", "customer_type",
        "phone_consent", "email_opt_in", "opt_out_date",
    ).order_by("pk")


def _may_contact(channel: str, ctype: str, phone_consent: bool, email_opt_in: bool, opt_out) -> bool:
    """Advertising contacts honour objections always and need consent from private customers (UWG §7)."""
    if channel == Channel.PHONE:
        return opt_out is None and (ctype != "b2c" or phone_consent)
    if channel in (Channel.EMAIL,):
        return opt_out is None and (ctype != "b2c" or email_opt_in)
    return True


def _events(today: date, end: date) -> dict[str, dict[int, list[tuple]]]:
    """Per trigger event and account: [(event day, key part, number)] of events that may fall due in the horizon."""
    lo = today - timedelta(days=365 + GRACE_DAYS)
    events: dict[str, dict[int, list[tuple]]] = {e: {} for e in TriggerEvent.values}
    firsts = Order.objects.values("account_id").annotate(first=Min("date")).filter(first__gte=lo, first__lt=end)
    for row in firsts.order_by():
        day = row["first"]
        events[TriggerEvent.FIRST_ORDER][row["account_id"]] = [(day, f"o{day:%Y%m%d}", "")]
    for event, phase in PHASE_EVENTS.items():
        rows = (
            PhaseChange.objects.filter(to_phase=phase, effective__gte=lo, effective__lt=end)
            .values("account_id")
            .annotate(day=Max("effective"))
            .order_by()
        )
        for row in rows:
            events[event][row["account_id"]] = [(row["day"], f"{phase}{row['day']:%Y%m%d}", "")]
    quotes = Quote.objects.filter(status="sent", date__gte=lo, date__lt=end).values_list("account_id", "pk", "date", "number")
    for acc, pk, day, number in quotes:
        events[TriggerEvent.QUOTE_SENT].setdefault(acc, []).append((day, f"q{pk}", number))
    from isf.planning.referrals import positive_events

    events.update(positive_events(lo, end))
    return events


def _existing_keys(keys: list[str]) -> set[str]:
    """Keys that already have a task (open, done, or cancelled other than as obsolete by the plan)."""
    found: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        found.update(
            Task.objects.filter(dedupe_key__in=keys[start : start + CHUNK])
            .exclude(status=TaskStatus.CANCELLED, outcome=OBSOLETE)
            .values_list("dedupe_key", flat=True)
        )
    return found


def _cancel(pks_by_reason: dict[str, list[int]]) -> int:
    n = 0
    for reason, pks in pks_by_reason.items():
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start : start + CHUNK]
            n += Task.objects.filter(pk__in=chunk, status=TaskStatus.OPEN).update(
                status=TaskStatus.CANCELLED, cancel_reason=reason[:300], outcome=OBSOLETE
            )
            TaskEvent.objects.bulk_create(
                [TaskEvent(task_id=pk, action=TaskAction.CANCELLED, note=reason[:500]) for pk in chunk], batch_size=CHUNK
            )
    return n


@transaction.atomic
def plan_run(*, today: date | None = None, horizon_days: int = 90, schedule: bool = True,
             progress=lambda msg: None) -> dict:
    """Create the planned tasks of the next `horizon_days` days and cancel obsolete ones. Idempotent.

    With ``schedule`` (the default) new inside contacts are fitted into their team's capacity
    (`isf.capacity.schedule.fit`): most valuable accounts first, moved up to a few business days when their
    day is full, and recorded as deferred (cancelled, outcome "deferred", with the reason) when they do not fit.
    """
    if not 1 <= horizon_days <= 366:
        raise ValueError("horizon_days must be between 1 and 366")
    started = time.perf_counter()
    today = today or timezone.localdate()
    end = today + timedelta(days=horizon_days)
    result = PlanResult()
    matrices = {m.segment_id: m for m in CareMatrix.objects.select_related("segment")}
    activities: dict[int, list[CareActivity]] = {}
    by_id: dict[int, CareActivity] = {}
    for act in CareActivity.objects.filter(matrix__in=matrices.values()).order_by("matrix", "position", "pk"):
        act.matrix = next(m for m in matrices.values() if m.pk == act.matrix_id)
        activities.setdefault(act.matrix.segment_id, []).append(act)
        by_id[act.pk] = act
    events = _events(today, end)
    progress(f"{len(by_id)} matrix entries in {len(matrices)} segments")

    candidates: dict[str, tuple] = {}
    tz = timezone.get_current_timezone()
    phases_of = {act.pk: set(act.phase_list) for act in by_id.values()}
    account_state: dict[int, tuple[int, str]] = {}
    start_day = today
    for pk, seg, phase, team, owner, potential, ctype, phone_ok, mail_ok, opt_out in _account_rows().iterator(
        chunk_size=5000
    ):
        result.accounts += 1
        account_state[pk] = (seg, phase)
        matrix = matrices.get(seg)
        if matrix is None:
            continue
        pclass = matrix.class_for(potential) if matrix.potential_classes else ""
        for act in activities.get(seg, ()):
            if phase not in phases_of[act.pk] or act.side == Side.MARKETING:
                continue
            if not _may_contact(act.channel, ctype, phone_ok, mail_ok, opt_out):
                result.skipped_no_consent += 1
                continue
            if act.side == Side.FIELD and owner is None:
                result.skipped_no_owner += 1
                continue
            team_id = (team or matrix.segment.team_id) if act.side == Side.INSIDE else None
            assignee = owner if act.side == Side.FIELD else None
            title = act.title_de
            if act.trigger_event:
                for day, key_part, number in events[act.trigger_event].get(pk, ()):
                    due_day = day + timedelta(days=act.offset_days or 0)
                    if not (today - timedelta(days=GRACE_DAYS) <= due_day < end):
                        continue
                    de, en = EVENT_TEXT[act.trigger_event]
                    reason = f"{title}: " + de.format(de=_de(day), number=number)
                    reason_en = f"{act.title_en or title}: " + en.format(en=_en(day), number=number)
                    key = f"plan:{pk}:{act.pk}:{key_part}"
                    candidates[key] = (act, reason, reason_en, pk, team_id, assignee, _due_at(max(due_day, today), pk, act.pk, tz))
                continue
            per_year = act.per_year_for(pclass)
            if per_year <= 0:
                continue
            if act.visits_by_class:
                reason = f"{title}: {per_year}× pro Jahr (Potenzialklasse {pclass}) laut Betreuungsmatrix {matrix.segment.code}"
                reason_en = (
                    f"{act.title_en or title}: {per_year}× a year (potential class {pclass}) "
                    f"per care matrix {matrix.segment.code}"
                )
            else:
                reason = f"{title}: {per_year}× pro Jahr laut Betreuungsmatrix {matrix.segment.code}"
                reason_en = f"{act.title_en or title}: {per_year}× a year per care matrix {matrix.segment.code}"
            for k, day in frequency_slots(pk, act.pk, per_year, start_day, end):
                key = plan_key(pk, act.pk, per_year, k)
                candidates[key] = (act, reason, reason_en, pk, team_id, assignee, _due_at(day, pk, act.pk, tz))
    progress(f"{len(candidates):,} planned contacts in the horizon")

    result.cancelled = _cancel_obsolete(today=today, end=end, by_id=by_id, account_state=account_state,
                                        candidates=candidates, matrices=matrices)
    existing = _existing_keys(list(candidates))
    new = [
        {"kind": act.activity, "title": act.title_de, "title_en": act.title_en, "reason": reason[:300],
         "reason_en": reason_en[:300],
         "side": act.side, "account_id": pk, "team_id": team_id, "assignee_id": assignee, "due_at": due_at,
         "source": PLAN_SOURCE, "source_id": str(act.pk), "dedupe_key": key}
        for key, (act, reason, reason_en, pk, team_id, assignee, due_at) in candidates.items()
        if key not in existing
    ]
    deferred: list[dict] = []
    if schedule:
        fitted = fit_to_capacity(new, today=today, end=end)
        new, deferred, result.shifted = fitted.placed, fitted.deferred, fitted.shifted
    created = tasks_insert_bulk(new, note="contact plan")
    result.created = sum(1 for pk in created if pk is not None)
    for task, pk in zip(new, created, strict=True):
        if pk is not None:
            result.by_kind[task["kind"]] = result.by_kind.get(task["kind"], 0) + 1
    result.deferred = _record_deferred(deferred)
    if schedule:
        moved, deferred_open = _rebalance(today=today, end=end)
        result.shifted += moved
        result.deferred += deferred_open
    result.calls_counted_as_visits = _calls_as_visits(today=today, matrices=matrices, by_id=by_id)
    progress(f"{result.created:,} created ({result.shifted:,} moved to a later day), {result.deferred:,} deferred "
             f"for capacity, {result.cancelled:,} cancelled")
    return {
        "date": today.isoformat(),
        "horizon_days": horizon_days,
        "accounts": result.accounts,
        "created": result.created,
        "cancelled": result.cancelled,
        "deferred": result.deferred,
        "shifted": result.shifted,
        "calls_counted_as_visits": result.calls_counted_as_visits,
        "skipped_no_owner": result.skipped_no_owner,
        "skipped_no_consent": result.skipped_no_consent,
        "created_by_kind": dict(sorted(result.by_kind.items())),
        "seconds": round(time.perf_counter() - started, 2),
    }


def fit_to_capacity(tasks: list[dict], *, today: date, end: date):
    from isf.capacity.schedule import fit

    return fit(tasks, today=today, end=end)


def _rebalance(*, today: date, end: date) -> tuple[int, int]:
    """Bring each team's days back within capacity (`isf.capacity.schedule.rebalance`): move open work to a later
    day, defer planned contacts that fit nowhere; every change with its event. Returns (moved, deferred)."""
    from isf.capacity.schedule import DEFERRED, rebalance
    from isf.org.models import Team

    moved = deferred = 0
    for team in Team.objects.all():
        plan = rebalance(team, today=today, end=end, plan_source=PLAN_SOURCE)
        events = []
        for pk, due_at in plan.moves.items():
            if Task.objects.filter(pk=pk, status=TaskStatus.OPEN, assignee__isnull=True).update(due_at=due_at):
                events.append({"task_id": pk, "action": TaskAction.RESCHEDULED,
                               "note": f"Kapazität: verschoben auf {_de(due_at.date())} / capacity: moved to "
                                       f"{_en(due_at.date())}"})
                moved += 1
        for start in range(0, len(plan.defers), CHUNK):
            chunk = plan.defers[start:start + CHUNK]
            day = timezone.localdate()
            reason = (f"Kapazität: Team {team.code} ausgelastet, Kontakt zurückgestellt ({_de(day)}) / "
                      f"capacity: team {team.code} full, contact deferred ({_en(day)})")
            pks = list(Task.objects.filter(pk__in=chunk, status=TaskStatus.OPEN).values_list("pk", flat=True))
            Task.objects.filter(pk__in=pks).update(status=TaskStatus.CANCELLED, outcome=DEFERRED, cancel_reason=reason)
            events += [{"task_id": pk, "action": TaskAction.CANCELLED, "note": reason} for pk in pks]
            deferred += len(pks)
        insert_dicts(TaskEvent, events)
    return moved, deferred


def _record_deferred(tasks: list[dict]) -> int:
    """Write the planned contacts that did not fit as cancelled tasks with outcome "deferred" and their reason,
    each with its created and cancelled event: the slot is skipped in the open, and counted."""
    if not tasks:
        return 0
    from isf.capacity.schedule import DEFERRED

    rows = []
    for t in tasks:
        day = timezone.localtime(t["due_at"]).date()
        reason = (f"Kapazität: Team am {_de(day)} ausgelastet, Kontakt zurückgestellt / "
                  f"capacity: team full around {_en(day)}, contact deferred")
        rows.append({**t, "status": TaskStatus.CANCELLED, "outcome": DEFERRED, "cancel_reason": reason[:300]})
    insert_dicts(Task, rows)
    keys = [t["dedupe_key"] for t in rows]
    pks: dict[str, int] = {}
    for start in range(0, len(keys), CHUNK):
        pks.update(Task.objects.filter(dedupe_key__in=keys[start:start + CHUNK], outcome=DEFERRED,
                                       status=TaskStatus.CANCELLED).values_list("dedupe_key", "pk"))
    events = []
    for t in rows:
        pk = pks[t["dedupe_key"]]
        events.append({"task_id": pk, "action": TaskAction.CREATED, "note": "contact plan"})
        events.append({"task_id": pk, "action": TaskAction.CANCELLED, "note": t["cancel_reason"]})
    insert_dicts(TaskEvent, events)
    return len(rows)


def _cancel_obsolete(*, today, end, by_id, account_state, candidates, matrices) -> int:
    """Cancel open planned tasks whose entry no longer applies to the account; the reason says why."""
    segments = {m.segment_id: m.segment.code for m in matrices.values()}
    from isf.segmentation.models import Segment

    codes = dict(Segment.objects.values_list("pk", "code"))
    phase_de = {
        Phase.PROSPECT: "Interessent", Phase.NEW: "Neukunde", Phase.ACTIVE: "aktiv", Phase.AT_RISK: "gefährdet",
        Phase.LOST: "verloren", Phase.WON_BACK: "zurückgewonnen",
    }
    end_at = timezone.make_aware(datetime.combine(end, dtime(0, 0)))
    reasons: dict[str, list[int]] = {}
    rows = Task.objects.filter(source=PLAN_SOURCE, status=TaskStatus.OPEN).values_list(
        "pk", "account_id", "source_id", "dedupe_key", "due_at", "assignee_id"
    )
    for pk, account_id, source_id, key, due_at, _assignee in rows.iterator(chunk_size=5000):
        act = by_id.get(int(source_id)) if source_id.isdigit() else None
        seg, phase = account_state.get(account_id, (None, ""))
        if act is None:
            reason = "Kontaktplan: Eintrag der Betreuungsmatrix entfernt / contact plan: care matrix entry removed"
        elif act.matrix.segment_id != seg:
            code = codes.get(seg, "–")
            reason = (
                f"Kontaktplan: Kundensegment jetzt {code} (Eintrag gilt für {segments.get(act.matrix.segment_id)}) / "
                f"contact plan: segment is now {code}"
            )
        elif phase not in act.phase_list:
            reason = (
                f"Kontaktplan: Lebenszyklusphase jetzt {phase_de.get(phase, phase)} / "
                f"contact plan: lifecycle phase is now {Phase(phase).label if phase in Phase.values else phase}"
            )
        elif not act.trigger_event and due_at < end_at and due_at.date() >= today and key not in candidates:
            reason = "Kontaktplan: Häufigkeit oder Zuständigkeit geändert / contact plan: frequency or responsibility changed"
        else:
            continue
        reasons.setdefault(reason, []).append(pk)
    return _cancel(reasons)


def _calls_as_visits(*, today, matrices, by_id) -> int:
    """Where a documented call counts as a visit: close due planned visits covered by a recent completed call."""
    flagged = {seg for seg, m in matrices.items() if m.call_counts_as_visit}
    if not flagged:
        return 0
    now = timezone.now()
    due = list(
        Task.objects.filter(
            source=PLAN_SOURCE, kind=TaskKind.VISIT, status=TaskStatus.OPEN, due_at__lte=now,
            account__segment_id__in=flagged,
        ).values_list("pk", "account_id", "due_at", "source_id")
    )
    if not due:
        return 0
    accounts = list({acc for _pk, acc, _due, _src in due})
    last_call: dict[int, datetime] = {}
    for start in range(0, len(accounts), CHUNK):
        last_call.update(
            Task.objects.filter(account_id__in=accounts[start : start + CHUNK], status=TaskStatus.DONE,
                                kind__in=CALL_KINDS)
            .values("account_id").annotate(at=Max("completed_at")).order_by().values_list("account_id", "at")
        )
    closed = 0
    for pk, acc, due_at, source_id in due:
        call = last_call.get(acc)
        act = by_id.get(int(source_id)) if source_id.isdigit() else None
        window = timedelta(days=182 if act is None else 365 / max(1, max(act.visits_by_class.values(), default=1)) / 2)
        if call is None or call < due_at - window:
            continue
        local = timezone.localtime(call)
        note = (f"Dokumentierter Anruf am {local:%d.%m.%Y} zählt als Besuch / "
                f"documented call on {local:%Y-%m-%d} counts as the visit")
        Task.objects.filter(pk=pk, status=TaskStatus.OPEN).update(
            status=TaskStatus.DONE, completed_at=now, outcome="call_as_visit", note=note
        )
        TaskEvent.objects.create(task_id=pk, action=TaskAction.COMPLETED, note=note[:500])
        closed += 1
    return closed
