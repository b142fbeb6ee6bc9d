"""Ranked work: the one priority of every open task, and its reasons in words.

A task's priority is a whole number, higher first, made of four factors:

* **SLA** (service orders, lead first contact, quote follow-ups): the state of its clock and the business time
  left on the team's calendar (the service orders' own clock, :mod:`isf.service.clock`, over
  :mod:`isf.core.business_time`). A breached task starts at ``SLA_BREACHED`` points, a due-soon one at
  ``SLA_DUE_SOON``; both bands lie above anything routine work can reach (``ROUTINE_MAX``), so a breached or
  due-soon service order ranks above every contact-plan task whatever the customer's value or the team's
  weights. An on-track clock adds up to ``SLA_ON_TRACK_MAX`` the closer it gets.
* **The customer's value** (0-100, :func:`account_value_score`): the segment's care budget against the highest
  one (up to 40), the potential on a log scale (1,000 € → 0, 1,000,000 € → 40) and 20 for a key account.
* **The kind of work** (0-100): the weight the IDL set for the team (:class:`KindWeight`), else the default.
* **How overdue it is** (work without an SLA): 5 points per day after the due day (up to 100); work due in a
  later day loses 5 points per day until then (up to 100).

The priority is stored on the task (``priority``, ``priority_reasons``) so queues of thousands of tasks sort and
page in the database by an index, and it is recomputed when its inputs change: on creation, rescheduling, an
order's transition, a change of the team's weights, nightly for every open task (values and segments change
overnight), and - because time itself moves the SLA and the overdue days - whenever a reader finds tasks past
their ``priority_until`` (:func:`task_priorities_refresh`, called by the queue, the order list, take-next and
the API before they read).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import OperationalError, connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from isf.planning.choices import OPEN_STATUSES, TaskKind

SLA_BREACHED = 1000
SLA_DUE_SOON = 600
SLA_ON_TRACK_MAX = 100
VALUE_MAX = 100
KIND_MAX = 100
OVERDUE_MAX = 100
ROUTINE_MAX = VALUE_MAX + KIND_MAX + OVERDUE_MAX  # 300 < SLA_DUE_SOON: the SLA bands always come first
POINTS_PER_DAY = 5
SEGMENT_POINTS = 40
POTENTIAL_POINTS = 40
KEY_ACCOUNT_POINTS = 20
KEY_ACCOUNT_SEGMENT = "KA"  # the segment whose accounts are key accounts (monitoring and campaigns read it here)
REASON_MIN_POINTS = 10  # a value factor below this is not worth a reason
SLA_KINDS = frozenset({TaskKind.SERVICE_ORDER, TaskKind.LEAD_FOLLOWUP, TaskKind.QUOTE_FOLLOWUP})
DUE_SOON_BUSINESS_HOURS = 4  # leads and quotes have no due-soon share of their own: the last 4 business hours
ON_TRACK_HORIZON_HOURS = 40  # an on-track clock gains points over its last 40 business hours
SLA_RECHECK = timedelta(minutes=15)  # a running clock's priority is recomputed at least this often when read

DEFAULT_KIND_WEIGHTS: dict[str, int] = {
    TaskKind.SERVICE_ORDER: 60,
    TaskKind.CALL_BACK: 60,
    TaskKind.APPROVAL: 60,
    TaskKind.LEAD_FOLLOWUP: 50,
    TaskKind.QUOTE_FOLLOWUP: 50,
    TaskKind.ALERT: 40,
    TaskKind.WELCOME_CALL: 40,
    TaskKind.ACTION: 40,
    TaskKind.WINBACK_CALL: 30,
    TaskKind.REVIEW_MEETING: 30,
    TaskKind.BUYING_CENTER: 25,
    TaskKind.CARE_CALL: 20,
    TaskKind.VISIT: 20,
    TaskKind.SATISFACTION_CALL: 20,
    TaskKind.REFERRAL_ASK: 25,  # the customer is happy now: ask soon, before the moment passes
    TaskKind.CAMPAIGN_CALL: 20,
    TaskKind.POTENTIAL_REVIEW: 15,
    TaskKind.MAILING: 10,
    TaskKind.OTHER: 20,
}


# ------------------------------------------------------------------------------------------------ the account's value

@dataclass(frozen=True)
class AccountValue:
    points: int
    reasons: tuple = ()


def _potential_points(potential) -> int:
    value = float(potential or 0)
    if value <= 1000:
        return 0
    return round(POTENTIAL_POINTS * min(1.0, math.log10(value / 1000) / 3))


def _segment_budgets() -> tuple[dict[int, tuple[str, float]], float]:
    from isf.segmentation.models import Segment

    budgets = {pk: (code, float(budget or 0)) for pk, code, budget in
               Segment.objects.values_list("pk", "code", "care_budget")}
    return budgets, max((b for _c, b in budgets.values()), default=0.0)


def _value(segment: tuple[str, float] | None, top_budget: float, potential) -> AccountValue:
    code, budget = segment or ("", 0.0)
    seg = round(SEGMENT_POINTS * budget / top_budget) if top_budget > 0 else 0
    pot = _potential_points(potential)
    key = KEY_ACCOUNT_POINTS if code == KEY_ACCOUNT_SEGMENT else 0
    parts = []
    if key:
        parts.append((key, ["key_account", {}]))
    if seg >= REASON_MIN_POINTS and not key:
        parts.append((seg, ["segment", {"code": code}]))
    if pot >= REASON_MIN_POINTS:
        parts.append((pot, ["potential", {"eur": int(float(potential))}]))
    return AccountValue(min(VALUE_MAX, seg + pot + key), tuple(r for _p, r in sorted(parts, key=lambda p: -p[0])))


def account_value_score(account) -> int:
    """The customer's value in the ranking (0-100): segment care budget, potential, key-account flag.

    For one account; :func:`account_value_scores` does the same for many in two queries.
    """
    budgets, top = _segment_budgets()
    return _value(budgets.get(account.segment_id), top, account.potential).points


def account_value_scores(account_ids: Iterable[int] | None = None) -> dict[int, int]:
    """account id -> value score (0-100) for the given accounts (all accounts when None), e.g. to plan the
    most valuable accounts' contacts first."""
    return {pk: v.points for pk, v in _account_values(account_ids).items()}


def _account_values(account_ids: Iterable[int] | None) -> dict[int, AccountValue]:
    from isf.customers.models import Account

    budgets, top = _segment_budgets()
    qs = Account.objects.all()
    result: dict[int, AccountValue] = {}
    if account_ids is None:
        chunks = [None]
    else:
        ids = sorted({int(i) for i in account_ids if i is not None})
        chunks = [ids[i:i + 5000] for i in range(0, len(ids), 5000)]
    for chunk in chunks:
        rows = qs if chunk is None else qs.filter(pk__in=chunk)
        for pk, segment_id, potential in rows.values_list("pk", "segment_id", "potential").iterator(chunk_size=5000):
            result[pk] = _value(budgets.get(segment_id), top, potential)
    return result


# ---------------------------------------------------------------------------------------------------- kind weights

def kind_weights(team_ids: Iterable[int | None]) -> dict[tuple[int | None, str], int]:
    """(team id, kind) -> weight for the given teams; kinds without a stored weight are absent (default)."""
    from isf.planning.models import KindWeight

    ids = {t for t in team_ids if t is not None}
    return {(t, k): w for t, k, w in KindWeight.objects.filter(team_id__in=ids).values_list("team_id", "kind", "weight")}


def team_kind_weights(team) -> list[tuple[str, str, int, int]]:
    """(kind, label, weight, default) of every kind for the team's weights page."""
    stored = kind_weights([team.pk])
    return [(kind.value, str(kind.label), stored.get((team.pk, kind.value), DEFAULT_KIND_WEIGHTS[kind]),
             DEFAULT_KIND_WEIGHTS[kind]) for kind in TaskKind]


# ------------------------------------------------------------------------------------------------------- computing

@dataclass
class _Context:
    now: datetime
    weights: dict
    values: dict
    orders: dict
    closing: frozenset
    tz: object = None
    today: date = None
    calendars: dict = field(default_factory=dict)

    def __post_init__(self):
        self.tz = timezone.get_current_timezone()
        self.today = timezone.localtime(self.now, self.tz).date()

    def midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self.tz)

    def calendar(self, team_id):
        from isf.org.models import Team
        from isf.service.clock import team_calendar

        if team_id not in self.calendars:
            team = Team.objects.filter(pk=team_id).first() if team_id else None
            self.calendars[team_id] = team_calendar(team, self.closing)
        return self.calendars[team_id]


def _context(rows: list[dict], now: datetime) -> _Context:
    from isf.service.clock import company_closing_days
    from isf.service.models import ServiceOrder

    order_ids = [int(r["source_id"]) for r in rows if r["kind"] == TaskKind.SERVICE_ORDER
                 and r.get("source") == "service" and str(r.get("source_id", "")).isdigit()]
    orders = {}
    for start in range(0, len(order_ids), 5000):
        orders.update(ServiceOrder.objects.in_bulk(order_ids[start:start + 5000]))
    closing = company_closing_days() if any(r["kind"] in SLA_KINDS for r in rows) else frozenset()
    return _Context(now=now, weights=kind_weights({r.get("team_id") for r in rows}),
                    values=_account_values({r.get("account_id") for r in rows if r.get("account_id")}),
                    orders=orders, closing=closing)


def _hours(seconds: float) -> int:
    return max(1, math.ceil(seconds / 3600 - 1e-9))


def _sla(row: dict, ctx: _Context) -> tuple[int, list, datetime] | None:
    """(points, reason, valid until) of the task's SLA factor; None for work without an SLA clock."""
    from isf.core.business_time import business_seconds_between
    from isf.service.choices import OrderStatus, SlaState
    from isf.service.clock import state_by_due_times

    if row["kind"] not in SLA_KINDS:
        return None
    now, deadline = ctx.now, row["due_at"]
    recheck = now + SLA_RECHECK
    cal = ctx.calendar(row.get("team_id"))
    left = business_seconds_between(cal, now, deadline)
    state = SlaState.BREACHED if now > deadline else (
        SlaState.DUE_SOON if left <= DUE_SOON_BUSINESS_HOURS * 3600 else SlaState.ON_TRACK)
    soon_seconds = DUE_SOON_BUSINESS_HOURS * 3600
    if row["kind"] == TaskKind.SERVICE_ORDER:
        order = ctx.orders.get(int(row["source_id"])) if str(row.get("source_id", "")).isdigit() else None
        if order is not None:
            if order.status == OrderStatus.WAITING:
                return 0, ["sla_paused", {}], ctx.midnight(ctx.today + timedelta(days=1))
            # the order's own clock: its due-soon share and its breach moment
            deadline = order.due_at or deadline
            state = state_by_due_times(order, now)
            left = business_seconds_between(cal, now, deadline)
            soon_seconds = (1 - float(order.due_soon_fraction)) * order.target_seconds
    if state == SlaState.BREACHED:
        over = business_seconds_between(cal, deadline, now)
        hours = _hours(over) if over > 0 else 0
        return SLA_BREACHED + min(100, 10 * hours), ["sla_breached", {"hours": hours}], recheck
    hours = _hours(left) if left > 0 else 0
    if state == SlaState.DUE_SOON:
        urgency = round(100 * max(0.0, 1 - left / soon_seconds)) if soon_seconds > 0 else 100
        return SLA_DUE_SOON + urgency, ["sla_left", {"hours": hours, "soon": True}], recheck
    points = round(SLA_ON_TRACK_MAX * max(0.0, 1 - left / (ON_TRACK_HORIZON_HOURS * 3600)))
    return points, ["sla_left", {"hours": hours}], recheck


def _compute(row: dict, ctx: _Context) -> tuple[int, str, datetime]:
    """(priority, reasons as JSON, valid until) of one task given as a dict of its fields."""
    parts: list[tuple[int, list]] = []
    value = ctx.values.get(row.get("account_id")) or AccountValue(0)
    weight = ctx.weights.get((row.get("team_id"), row["kind"]), DEFAULT_KIND_WEIGHTS.get(row["kind"], 20))
    until = ctx.now + timedelta(days=30)
    sla = _sla(row, ctx)
    total = value.points + weight
    if sla is not None:
        points, reason, until = sla
        total += points
        parts.append((points + 10_000, reason))  # the SLA reason always comes first
    else:
        due_day = timezone.localtime(row["due_at"], ctx.tz).date()
        days = (ctx.today - due_day).days
        next_midnight = ctx.midnight(ctx.today + timedelta(days=1))
        if days > 0:
            points = min(OVERDUE_MAX, POINTS_PER_DAY * days)
            total += points
            parts.append((points, ["overdue", {"days": days}]))
            if points < OVERDUE_MAX:
                until = next_midnight
        elif days < 0:
            points = min(OVERDUE_MAX, POINTS_PER_DAY * -days)
            total -= points
            parts.append((-points, ["due_in", {"days": -days}]))
            # the penalty starts shrinking once the due day is within OVERDUE_MAX / POINTS_PER_DAY days
            until = max(next_midnight, ctx.midnight(due_day - timedelta(days=OVERDUE_MAX // POINTS_PER_DAY - 1)))
        else:
            until = next_midnight
    for reason in value.reasons:
        parts.append((1, reason))
    parts.append((0, ["kind", {"kind": row["kind"], "weight": weight}]))
    parts.sort(key=lambda p: -p[0])
    reasons = json.dumps([r for _p, r in parts], separators=(",", ":"), ensure_ascii=False)
    while len(reasons) > 400:  # never cut JSON in half: drop the least important reason
        parts.pop()
        reasons = json.dumps([r for _p, r in parts], separators=(",", ":"), ensure_ascii=False)
    return total, reasons, until


def priority_fill(specs: list[dict], *, now: datetime | None = None) -> None:
    """Set ``priority``, ``priority_reasons`` and ``priority_until`` on new tasks given as dicts of their fields
    (``kind``, ``due_at``, ``team_id``, ``account_id``, ``source``, ``source_id``) before they are written."""
    if not specs:
        return
    now = now or timezone.now()
    ctx = _context(specs, now)
    for spec in specs:
        spec["priority"], spec["priority_reasons"], spec["priority_until"] = _compute(spec, ctx)


FIELDS = ("pk", "kind", "due_at", "team_id", "account_id", "source", "source_id", "priority", "priority_reasons",
          "priority_until")


def task_priorities_refresh(*, now: datetime | None = None, task_ids: Iterable[int] | None = None,
                            team_ids: Iterable[int] | None = None, account_ids: Iterable[int] | None = None,
                            all_open: bool = False) -> int:
    """Recompute the priority of open tasks and store what changed; returns how many rows changed.

    Without arguments: the tasks whose priority went stale (``priority_until`` passed or never computed).
    ``task_ids`` / ``team_ids`` / ``account_ids``: those tasks (their inputs changed); ``all_open``: every open
    task (the nightly run). A reader calls it before it reads; when the database is busy (a long import holds
    SQLite's write lock) it leaves the stored order as it is rather than fail the page.
    """
    from django.db.models import Q

    from isf.planning.models import Task

    now = now or timezone.now()
    qs = Task.objects.filter(status__in=OPEN_STATUSES)
    if task_ids is not None:
        qs = qs.filter(pk__in=list(task_ids))
    elif team_ids is not None:
        qs = qs.filter(team_id__in=list(team_ids))
    elif account_ids is not None:
        qs = qs.filter(account_id__in=list(account_ids))
    elif not all_open:
        qs = qs.filter(Q(priority_until__lte=now) | Q(priority_until__isnull=True))
    changed = 0
    batch: list[dict] = []
    for row in qs.order_by().values(*FIELDS).iterator(chunk_size=5000):
        batch.append(row)
        if len(batch) >= 5000:
            changed += _store(batch, now)
            batch = []
    if batch:
        changed += _store(batch, now)
    return changed


def _store(rows: list[dict], now: datetime) -> int:
    from isf.planning.models import Task

    ctx = _context(rows, now)
    ops = connection.ops
    params = []
    for row in rows:
        priority, reasons, until = _compute(row, ctx)
        if (priority, reasons) != (row["priority"], row["priority_reasons"]) or until != row["priority_until"]:
            params.append((priority, reasons, ops.adapt_datetimefield_value(until), row["pk"]))
    if not params:
        return 0
    table = ops.quote_name(Task._meta.db_table)
    sql = (f"UPDATE {table} SET {ops.quote_name('priority')} = %s, {ops.quote_name('priority_reasons')} = %s, "
           f"{ops.quote_name('priority_until')} = %s WHERE {ops.quote_name('id')} = %s")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(params)


def priorities_refresh_stale(*, now: datetime | None = None) -> int:
    """For readers: bring stale priorities up to date; a busy database leaves them as they are (no error page)."""
    try:
        return task_priorities_refresh(now=now)
    except OperationalError:
        return 0


# ------------------------------------------------------------------------------------------------------- in words

def _reason_text(code: str, facts: dict) -> str:
    if code == "sla_breached":
        hours = facts.get("hours", 0)
        if not hours:
            return _("SLA breached")
        return ngettext("SLA breached %(hours)s business hour ago", "SLA breached %(hours)s business hours ago",
                        hours) % {"hours": hours}
    if code == "sla_left":
        hours = facts.get("hours", 0)
        text = ngettext("SLA: %(hours)s business hour left", "SLA: %(hours)s business hours left", hours) % {
            "hours": hours}
        return text + (" (" + _("due soon") + ")" if facts.get("soon") else "")
    if code == "sla_paused":
        return _("SLA paused: waiting for the requester")
    if code == "key_account":
        return _("key account")
    if code == "segment":
        return _("segment %(code)s") % {"code": facts.get("code", "")}
    if code == "potential":
        amount = formats.number_format(facts.get("eur", 0), decimal_pos=0, force_grouping=True)
        return _("potential %(amount)s €") % {"amount": amount}
    if code == "kind":
        kind = facts.get("kind", "")
        label = str(TaskKind(kind).label) if kind in TaskKind.values else kind
        return _("%(kind)s: weight %(weight)s") % {"kind": label, "weight": facts.get("weight", 0)}
    if code == "overdue":
        days = facts.get("days", 0)
        return ngettext("%(days)s day overdue", "%(days)s days overdue", days) % {"days": days}
    if code == "due_in":
        days = facts.get("days", 0)
        return ngettext("due in %(days)s day", "due in %(days)s days", days) % {"days": days}
    return code


def reason_texts(raw: str) -> list[str]:
    """The stored reasons (JSON) in the active language, most important first."""
    try:
        items = json.loads(raw) if raw else []
    except ValueError:
        return []
    texts = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, list) and len(item) == 2 and isinstance(item[1], dict):
            texts.append(_reason_text(str(item[0]), item[1]))
    return texts
