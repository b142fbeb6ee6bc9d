"""KPI dashboard figures for IDL and VL, by period and team.

Every figure reads its source through :mod:`isf.capacity.sources` or a committed app; a figure whose source
is not there yet is ``None`` and the page says "no data yet".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone

from isf.capacity import sources
from isf.capacity.processtimes import CONTACT_KINDS, call_handling_times, service_process_times
from isf.capacity.selectors import LOCAL

PERIODS = ("week", "month", "quarter")


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive

    @property
    def since(self) -> datetime:
        return datetime.combine(self.first, time(0), tzinfo=LOCAL)

    @property
    def until(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(0), tzinfo=LOCAL)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def period_for(kind: str, today: date | None = None, offset: int = 0) -> Period:
    """The current week/month/quarter up to today (``offset`` -1: the previous complete one)."""
    today = today or timezone.localdate()
    if kind == "week":
        first = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
        last = first + timedelta(days=6)
    elif kind == "quarter":
        q = (today.month - 1) // 3 + offset
        year = today.year + q // 4
        month = (q % 4) * 3 + 1
        first = date(year, month, 1)
        following = month + 3
        last = date(year + (following > 12), (following - 1) % 12 + 1, 1) - timedelta(days=1)
    else:
        m = today.month - 1 + offset
        first = date(today.year + m // 12, m % 12 + 1, 1)
        last = date(first.year + (first.month == 12), first.month % 12 + 1, 1) - timedelta(days=1)
    return Period(first, min(last, today) if offset == 0 else last)


def _share(part: float, total: float) -> float | None:
    return part / total if total else None


def sla_and_ratings(period: Period, team=None) -> dict | None:
    """SLA attainment, order volume per service and ratings (with the latest comments) from service orders."""
    rows = service_process_times(since=period.since, until=period.until, team=team)
    if rows is None:
        return None
    done = sum(r.orders_done for r in rows)
    within = sum((r.within_service_level or 0) * r.orders_done for r in rows if r.service_level_h)
    measured = sum(r.orders_done for r in rows if r.service_level_h)
    result = {"orders_done": done, "sla_attainment": _share(within, measured), "process_times": rows,
              "ratings": None, "comments": [], "received": []}
    order = sources.service_order_model()
    requested = sources.first_field(order, sources.ORDER_REQUESTED_FIELDS)
    qs = order.objects.all()
    if team is not None and "team" in {f.name for f in order._meta.get_fields()}:
        qs = qs.filter(team=team)
    result["received"] = contract_volumes(qs, period)
    ratings = sources.rating_model()
    if ratings is not None:
        fk = sources.fk_name(ratings, order)
        score = sources.first_field(ratings, ("score", "stars"))
        comment = sources.first_field(ratings, ("comment", "feedback", "note"))
        rated = ratings.objects.filter(**{f"{fk}__in": qs.filter(**{f"{requested}__gte": period.since,
                                                                    f"{requested}__lt": period.until})})
        agg = rated.aggregate(avg=Avg(score), n=Count("pk"))
        result["ratings"] = {"average": float(agg["avg"]) if agg["avg"] is not None else None, "count": agg["n"]}
        if comment:
            result["comments"] = list(rated.exclude(**{comment: ""}).order_by("-pk").values_list(score, comment)[:10])
    return result


def contract_volumes(orders, period: Period) -> list[dict]:
    """Service orders received per service against the contract's expected volume for the same days (the one
    definition, ``isf.service.reports.volume_by_service``, also the SLA report's)."""
    from isf.service.reports import volume_by_service

    return volume_by_service(orders, period.first, period.last + timedelta(days=1))


def calls_handled(period: Period, team=None) -> dict | None:
    """Calls by direction and week, answered share, cross-selling on calls."""
    model = sources.call_model()
    if model is None:
        return None
    fields = {f.name for f in model._meta.get_fields()}
    qs = model.objects.filter(started_at__gte=period.since, started_at__lt=period.until)
    if team is not None and "team" in fields:
        qs = qs.filter(team=team)
    by_direction = dict(qs.values_list("direction").annotate(n=Count("pk")).values_list("direction", "n"))
    weekly: dict = defaultdict(lambda: defaultdict(int))
    for started, direction in qs.values_list("started_at", "direction").iterator(chunk_size=5000):
        monday = started.astimezone(LOCAL).date()
        monday -= timedelta(days=monday.weekday())
        weekly[monday][str(direction)] += 1
    result = {"by_direction": by_direction, "total": sum(by_direction.values()),
              "weekly": [{"week": k.strftime("%d.%m."), **v} for k, v in sorted(weekly.items())],
              "handling": call_handling_times(since=period.since, until=period.until, team=team)}
    if {"cross_sell_offered", "cross_sell_accepted"} <= fields:
        agg = qs.aggregate(offered=Count("pk", filter=Q(cross_sell_offered=True)),
                           accepted=Count("pk", filter=Q(cross_sell_accepted=True)))
        result["cross_sell"] = {**agg, "rate": _share(agg["accepted"], agg["offered"])}
        revenue_field = next((f for f in ("cross_sell_revenue", "cross_sell_amount") if f in fields), None)
        if revenue_field:
            result["cross_sell"]["revenue"] = float(qs.aggregate(s=Sum(revenue_field))["s"] or 0)
        elif {"account", "cross_sell_group"} <= fields:
            result["cross_sell"]["revenue"] = cross_sell_revenue(qs.filter(cross_sell_accepted=True))
    return result


CROSS_SELL_WINDOW_DAYS = 60


def cross_sell_revenue(accepted_calls) -> float:
    """Revenue the account ordered in the offered product group within 60 days after an accepted cross-sell
    offer on a call (each order line counted once, for the first matching call)."""
    from isf.customers.models import OrderLine

    calls = list(accepted_calls.exclude(account__isnull=True).exclude(cross_sell_group__isnull=True)
                 .values_list("account_id", "cross_sell_group_id", "started_at"))
    if not calls:
        return 0.0
    first = min(c[2] for c in calls).astimezone(LOCAL).date()
    last = max(c[2] for c in calls).astimezone(LOCAL).date() + timedelta(days=CROSS_SELL_WINDOW_DAYS)
    windows: dict = defaultdict(list)
    for account, group, started in calls:
        day = started.astimezone(LOCAL).date()
        windows[(account, group)].append((day, day + timedelta(days=CROSS_SELL_WINDOW_DAYS)))
    lines = OrderLine.objects.filter(account_id__in={c[0] for c in calls}, product__group_id__in={c[1] for c in calls},
                                     order_date__gte=first, order_date__lte=last)
    total = 0.0
    for account, group, day, revenue in lines.values_list("account_id", "product__group_id", "order_date",
                                                          "net_revenue"):
        if any(start <= day <= end for start, end in windows.get((account, group), ())):
            total += float(revenue)
    return total


def contact_plan(period: Period, team=None) -> dict:
    """Contact plan on time in the period (the one definition, ``isf.planning.selectors.contact_plan_figures``):
    planned contacts whose due day has passed, done on time, done late, still open; ``rate`` = on-time share."""
    from isf.planning.selectors import contact_plan_figures

    figures = contact_plan_figures(since=period.since, until=period.until, team=team)
    return {"due": figures.due, "on_time": figures.on_time, "late": figures.late, "open": figures.open,
            "rate": figures.share}


def overdue_tasks(team=None) -> int:
    """Open tasks whose due day has passed, now (the team overview's "Overdue", from the same selector)."""
    from isf.planning.selectors import team_loads

    loads = team_loads(team_ids=None if team is None else [team.pk])
    return sum(load.overdue for key, load in loads.items() if team is None or key == team.pk)


def alerts_worked(period: Period, team=None) -> dict:
    """Order-behaviour alerts raised in the period and what came of them (``monitoring.selectors.alert_figures``)."""
    from isf.monitoring.selectors import alert_figures

    return alert_figures(period.first, period.last, team)


def quote_conversion(period: Period, team=None) -> dict:
    from isf.customers.models import Quote

    qs = Quote.objects.filter(date__gte=period.first, date__lte=period.last)
    if team is not None:
        qs = qs.filter(account__team=team)
    agg = qs.aggregate(n=Count("pk"), won=Count("pk", filter=Q(status="won")),
                       lost=Count("pk", filter=Q(status__in=["lost", "expired"])),
                       won_amount=Sum("amount", filter=Q(status="won")))
    return {**agg, "rate": _share(agg["won"], agg["won"] + agg["lost"]),
            "won_amount": float(agg["won_amount"] or 0)}


def winback(period: Period, team=None) -> dict:
    """Win-back in the period: accounts that changed to "won back" in it against those plus the accounts that were
    lost when it began (by each phase change's effective day, else the day it was written); win-back calls done."""
    from django.db.models import F, OuterRef, Subquery
    from django.db.models.functions import Coalesce, TruncDate

    from isf.customers.models import Account
    from isf.lifecycle.models import PhaseChange
    from isf.planning.models import Task

    changes = PhaseChange.objects.annotate(day=Coalesce(F("effective"), TruncDate("at", tzinfo=LOCAL)))
    accounts = Account.objects.all()
    if team is not None:
        accounts = accounts.filter(team=team)
        changes = changes.filter(account__team=team)
    won_back = (changes.filter(to_phase="won_back", day__gte=period.first, day__lte=period.last)
                .values("account_id").distinct().count())
    phase_then = Subquery(changes.filter(account_id=OuterRef("pk"), day__lt=period.first)
                          .order_by("-day", "-at", "-pk").values("to_phase")[:1])
    lost = accounts.annotate(then=phase_then).filter(then="lost").count()
    calls = Task.objects.filter(kind="winback_call", status="done", completed_at__gte=period.since,
                                completed_at__lt=period.until)
    if team is not None:
        calls = calls.filter(team=team)
    return {"lost": lost, "won_back": won_back, "rate": _share(won_back, lost + won_back),
            "calls_done": calls.count()}


def coverage_by_segment(period: Period, team=None) -> list[dict]:
    """Planned contacts due in the period per account segment: due, done and the coverage share."""
    from isf.planning.models import Task

    qs = Task.objects.filter(kind__in=CONTACT_KINDS, due_at__gte=period.since, due_at__lt=period.until,
                             account__isnull=False)
    if team is not None:
        qs = qs.filter(team=team)
    rows = (qs.values("account__segment__code").annotate(due=Count("pk"), done=Count("pk", filter=Q(status="done")))
            .order_by("account__segment__code"))
    return [{"segment": r["account__segment__code"] or "–", "due": r["due"], "done": r["done"],
             "rate": _share(r["done"], r["due"])} for r in rows]


def dashboard(period: Period, team=None) -> dict:
    sla = sla_and_ratings(period, team)
    calls = calls_handled(period, team)
    coverage = coverage_by_segment(period, team)
    charts = {
        "calls": {"labels": [w["week"] for w in calls["weekly"]] if calls else [],
                  "inbound": [w.get("inbound", 0) for w in calls["weekly"]] if calls else [],
                  "outbound": [w.get("outbound", 0) for w in calls["weekly"]] if calls else []},
        "coverage": {"labels": [r["segment"] for r in coverage],
                     "rate": [round(100 * (r["rate"] or 0), 1) for r in coverage]},
        "process": {"labels": [r.name for r in sla["process_times"]] if sla else [],
                    "median": [round(r.request_to_done_median_h or 0, 1) for r in sla["process_times"]] if sla else [],
                    "standard": [round((r.standard_effort_min or 0) / 60, 2) for r in sla["process_times"]]
                    if sla else []},
    }
    return {
        "period": period,
        "sla": sla,
        "calls": calls,
        "contact_plan": contact_plan(period, team),
        "overdue_tasks": overdue_tasks(team),
        "alerts": alerts_worked(period, team),
        "quotes": quote_conversion(period, team),
        "winback": winback(period, team),
        "coverage": coverage,
        "charts": charts,
    }
