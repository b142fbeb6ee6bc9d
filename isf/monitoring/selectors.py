"""Reads for the monitoring pages: flags by type, segment and week, what came of the calls, an account's view."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.core import language
from isf.monitoring.choices import OUTCOME_ORDERED_AGAIN, FlagCode, FlagStatus
from isf.monitoring.models import AccountScore, Flag, MonitorRun
from isf.org.choices import Role
from isf.planning.choices import OPEN_STATUSES, TaskStatus

WEEK_CHOICES = (4, 12, 26, 52)


def flags_visible_to(user) -> QuerySet[Flag]:
    """Leads see every flag; an inside agent the flags of the team's accounts."""
    qs = Flag.objects.all()
    if user.role != Role.INSIDE_AGENT:
        return qs
    if not user.team_id:
        return qs.none()
    return qs.filter(Q(team_id=user.team_id) | Q(account__team_id=user.team_id) | Q(account__segment__team_id=user.team_id))


def _date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def overview(flags: QuerySet[Flag], *, weeks: int, today: date | None = None) -> dict:
    """Counts for the IDL page over the last ``weeks`` weeks."""
    today = today or timezone.localdate()
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    period = flags.filter(raised_on__gte=start)
    codes = list(FlagCode)

    by_code = {row["code"]: row for row in period.values("code").annotate(
        n=Count("pk"), open=Count("pk", filter=Q(status=FlagStatus.OPEN)),
        ordered=Count("pk", filter=Q(status=FlagStatus.RESOLVED)),
    ).order_by()}
    types = [{"code": c.value, "label": c.label, "n": by_code.get(c.value, {}).get("n", 0),
              "open": by_code.get(c.value, {}).get("open", 0), "ordered": by_code.get(c.value, {}).get("ordered", 0)}
             for c in codes]

    english = language.english()
    seg_rows: dict = {}
    for row in period.values("segment__code", "segment__name_de", "segment__name_en", "code").annotate(
        n=Count("pk")
    ).order_by("segment__code"):
        key = row["segment__code"] or ""
        name = row["segment__name_en"] if english else row["segment__name_de"]
        entry = seg_rows.setdefault(key, {"code": key or "–", "name": name or _("no segment"), "counts": {}, "total": 0})
        entry["counts"][row["code"]] = row["n"]
        entry["total"] += row["n"]
    segments = [{**s, "cells": [s["counts"].get(c.value, 0) for c in codes]} for s in seg_rows.values()]

    week_starts = [start + timedelta(weeks=k) for k in range(weeks)]
    week_counts: dict = {}
    for row in period.annotate(week=TruncWeek("raised_on")).values("week", "code").annotate(n=Count("pk")).order_by():
        week_counts[(_date(row["week"]), row["code"])] = row["n"]
    chart = {
        "labels": [w.strftime("%d.%m.") for w in week_starts],
        "series": [{"code": c.value, "label": str(c.label), "data": [week_counts.get((w, c.value), 0) for w in week_starts]}
                   for c in codes],
    }
    weeks_table = [{"start": w, "cells": [week_counts.get((w, c.value), 0) for c in codes],
                    "total": sum(week_counts.get((w, c.value), 0) for c in codes)} for w in reversed(week_starts)]
    return {"start": start, "types": types, "codes": codes, "segment_rows": segments, "weeks": weeks_table,
            "chart": chart, "outcomes": outcomes(period), "total": sum(t["n"] for t in types)}


def outcomes(flags: QuerySet[Flag]) -> dict:
    """What came of the alert tasks: open, done per outcome (incl. closed because the account ordered), cancelled."""
    rows = flags.filter(task__isnull=False).values("code", "task__status", "task__outcome").annotate(n=Count("pk")).order_by()
    table: dict[str, dict] = {c.value: {"open": 0, "cancelled": 0, "ordered_again": 0, "by_outcome": {}, "worked": 0}
                              for c in FlagCode}
    seen: set[str] = set()
    for row in rows:
        entry = table.setdefault(row["code"], {"open": 0, "cancelled": 0, "ordered_again": 0, "by_outcome": {}, "worked": 0})
        status, outcome, n = row["task__status"], row["task__outcome"] or "", row["n"]
        if status in OPEN_STATUSES:
            entry["open"] += n
        elif status == TaskStatus.CANCELLED:
            entry["cancelled"] += n
        elif outcome == OUTCOME_ORDERED_AGAIN:
            entry["ordered_again"] += n
        else:
            entry["worked"] += n
            entry["by_outcome"][outcome or "done"] = entry["by_outcome"].get(outcome or "done", 0) + n
            seen.add(outcome or "done")
    columns = sorted(seen)
    labels = dict(_OUTCOME_LABELS())
    return {
        "columns": [(c, labels.get(c, c)) for c in columns],
        "rows": [{"code": c.value, "label": c.label, **table[c.value],
                  "cells": [table[c.value]["by_outcome"].get(o, 0) for o in columns]} for c in FlagCode],
    }


def _OUTCOME_LABELS():  # noqa: N802 - lazily translated lookup table
    from isf.planning.choices import USER_OUTCOMES

    return [(o.value, str(o.label)) for o in USER_OUTCOMES]


def alert_figures(first: date, last: date, team=None) -> dict:
    """Alerts raised in [first, last] (by the flag's business date, not when a row was written) and what came of
    them: the one definition of "alerts worked" for the KPI dashboard, the review pack and the API.

    ``worked``: alert calls an agent completed; ``ordered_again``: closed because the account ordered;
    ``open`` and ``cancelled`` as they are now; ``rate`` = worked / raised; ``outcomes`` per outcome with label.
    """
    flags = Flag.objects.filter(raised_on__gte=first, raised_on__lte=last)
    if team is not None:
        flags = flags.filter(team=team)
    table = outcomes(flags)
    raised = flags.count()
    rows = table["rows"]
    worked = sum(r["worked"] for r in rows)
    by_outcome: dict[str, int] = {}
    for r in rows:
        for code, n in r["by_outcome"].items():
            by_outcome[code] = by_outcome.get(code, 0) + n
    labels = dict(table["columns"])
    return {"raised": raised, "worked": worked, "ordered_again": sum(r["ordered_again"] for r in rows),
            "open": sum(r["open"] for r in rows), "cancelled": sum(r["cancelled"] for r in rows),
            "rate": worked / raised if raised else None,
            "outcomes": [{"outcome": code, "label": labels.get(code, code), "n": n}
                         for code, n in sorted(by_outcome.items(), key=lambda kv: -kv[1])]}


def open_flags(flags: QuerySet[Flag], limit: int = 50) -> list[Flag]:
    return list(flags.filter(status=FlagStatus.OPEN).select_related("account", "task", "task__assignee", "segment")
                .order_by("-score", "-raised_on", "pk")[:limit])


def last_run() -> MonitorRun | None:
    return MonitorRun.objects.order_by("-started_at").first()


def account_panel(account) -> dict:
    """The model's view of one account: score row (or None), open flags, the last resolved flags."""
    score = AccountScore.objects.filter(account_id=account.pk).first()
    flags = list(Flag.objects.filter(account_id=account.pk).select_related("task").order_by("status", "-raised_on", "pk")[:10])
    state = ""
    if score is not None and score.next_order_from and score.next_order_to:
        today = timezone.localdate()
        state = "past" if score.next_order_to < today else ("due" if score.next_order_from <= today else "future")
    return {"account": account, "score": score, "window_state": state, "open_flags": [f for f in flags if f.status == FlagStatus.OPEN],
            "past_flags": [f for f in flags if f.status != FlagStatus.OPEN][:5]}
