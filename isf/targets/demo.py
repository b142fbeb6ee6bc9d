"""Demo content: this year's targets (agreed in January by VL and IDL), next year's draft, cost rates.

The story: the targets grow on last year's figures - key accounts steady (+4 %), the mid-potential and SMB
segments expected to grow (+8 % / +12 %, the inside teams' care calls and cross-selling), C customers held,
D customers and private buyers shrinking in importance. New and won-back customers are targeted above last
year (the welcome and win-back campaigns). Planned contacts are the care matrix's plan. Money targets are
split over quarters and months by last year's seasonality; whether a segment is on track is what the data
says (the SMB target is the ambitious one). Next year's draft waits for the next review meeting.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from isf.customers.models import OrderLine
from isf.org.choices import Role
from isf.planning.choices import PLAN_SOURCE, TaskStatus
from isf.planning.models import Task
from isf.targets import services
from isf.targets.choices import Metric, Scope
from isf.targets.models import CostRate, RegionTravel, TargetPlan, TargetPlanEvent
from isf.targets.periods import parse_period, periods_of_year, run_rate
from isf.targets.selectors import SCOPE_FIELD, target_actuals

GROWTH = {"KA": "1.04", "MP": "1.08", "SMB": "1.12", "C": "1.00", "D": "0.95", "PRIV": "0.95"}
DEFAULT_GROWTH = "1.05"
COUNT_GROWTH = Decimal("1.15")
RATES = {Role.SALES_LEAD: "115", Role.FIELD_REP: "92", Role.INSIDE_LEAD: "68", Role.INSIDE_AGENT: "52",
         Role.MARKETING: "60", Role.ADMIN: "55"}


def _round(value: Decimal, step: int) -> Decimal:
    return (value / step).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * step


def _seasonality(year: int) -> dict[int, Decimal]:
    """Share of each month in the year's revenue (even when there was none)."""
    rows = dict(OrderLine.objects.filter(order_date__year=year).annotate(m=ExtractMonth("order_date"))
                .values_list("m").annotate(r=Sum("net_revenue")).order_by().values_list("m", "r"))
    total = sum((v or 0 for v in rows.values()), Decimal(0))
    if not total:
        return {m: Decimal(1) / 12 for m in range(1, 13)}
    return {m: Decimal(rows.get(m) or 0) / total for m in range(1, 13)}


def _plan_counts(scope: str, year: int) -> dict[str, dict[int, int]]:
    """Planned contacts of the year by the account's scope code and month (the care matrix's plan)."""
    key = SCOPE_FIELD[scope]
    out: dict[str, dict[int, int]] = defaultdict(dict)
    rows = (Task.objects.filter(source=PLAN_SOURCE, due_at__year=year).exclude(status=TaskStatus.CANCELLED)
            .annotate(m=ExtractMonth("due_at")).values(f"account__{key}", "m").annotate(n=Count("pk")).order_by())
    for r in rows:
        if r[f"account__{key}"]:
            out[r[f"account__{key}"]][r["m"]] = r["n"]
    return out


def _rows(year: int, last: int, today) -> list[dict]:
    periods = periods_of_year(year)
    season = _seasonality(last)
    last_year = parse_period(str(last))
    rows = []
    metrics = {
        Scope.SEGMENT: [Metric.REVENUE, Metric.MARGIN, Metric.NEW_CUSTOMERS, Metric.REACTIVATED],
        Scope.TEAM: [Metric.REVENUE, Metric.MARGIN, Metric.REACTIVATED],
        Scope.REP: [Metric.REVENUE, Metric.MARGIN, Metric.NEW_CUSTOMERS],
    }
    for scope, wanted in metrics.items():
        actual = target_actuals(period=last_year, scope=scope, metrics=set(wanted), today=today)
        codes = sorted({code for code, _m in actual})
        for code in codes:
            growth = Decimal(GROWTH.get(code, DEFAULT_GROWTH))
            for metric in wanted:
                # a year still running counts at its run rate so far
                base = run_rate(actual.get((code, metric), Decimal(0)), last_year, today) or Decimal(0)
                if metric in (Metric.REVENUE, Metric.MARGIN):
                    yearly = base * growth
                    if yearly < 1000:
                        continue
                    for p in periods:
                        months = [m for m in range(1, 13) if p.start.month <= m <= p.end.month]
                        share = sum((season[m] for m in months), Decimal(0))
                        rows.append({"period": p.code, "scope": scope, "code": code, "metric": metric,
                                     "target": str(_round(yearly * share, 100))})
                else:
                    yearly = _round(base * COUNT_GROWTH, 1)
                    if yearly < 1:
                        continue
                    for p in periods[:5]:  # counts: the year and its quarters
                        value = yearly if p.kind == "year" else _round(yearly / 4, 1)
                        if not value:
                            continue
                        rows.append({"period": p.code, "scope": scope, "code": code, "metric": metric,
                                     "target": value})
        if scope in (Scope.SEGMENT, Scope.TEAM):
            for code, by_month in sorted(_plan_counts(scope, year).items()):
                for p in periods:
                    n = sum(by_month.get(m, 0) for m in range(p.start.month, p.end.month + 1))
                    if n:
                        rows.append({"period": p.code, "scope": scope, "code": code,
                                     "metric": Metric.PLANNED_CONTACTS, "target": n})
    return rows


def _backdate(plan: TargetPlan, when: datetime) -> None:
    TargetPlan.objects.filter(pk=plan.pk).update(sales_lead_at=when, inside_lead_at=when, agreed_at=when)
    TargetPlanEvent.objects.filter(plan=plan).update(at=when)


def load(ctx) -> None:
    vl, idl = ctx.users.get("vl"), ctx.users.get("idl")
    if vl is None or idl is None:
        return
    today = ctx.today
    for role, rate in RATES.items():
        CostRate.objects.update_or_create(role=role, defaults={"hourly_rate": Decimal(rate)})
    for i, region in enumerate(ctx.regions):
        RegionTravel.objects.update_or_create(region=region, defaults={"travel_minutes": 45 + 15 * (i % 4)})
    year = today.year
    rows = _rows(year, year - 1, today)
    if not rows:
        return
    plan = services.target_plan_create(period=str(year), actor=vl, note="Jahresziele, abgestimmt im Januar")
    services.targets_import(plan=plan, rows=list(enumerate(rows, 2)), actor=vl)
    services.target_plan_agree(plan=plan, actor=vl)
    services.target_plan_agree(plan=plan, actor=idl)
    agreed = datetime.combine(today.replace(month=1, day=14), time(11, 0), tzinfo=timezone.get_current_timezone())
    _backdate(plan, min(agreed, timezone.now()))
    # next year's draft: this year's figures as the starting point, approved by the VL so far
    next_rows = _rows(year + 1, year, today)
    if next_rows:
        draft = services.target_plan_create(period=str(year + 1), actor=vl, note="Entwurf für das nächste Jahr")
        services.targets_import(plan=draft, rows=list(enumerate(next_rows, 2)), actor=vl)
        services.target_plan_agree(plan=draft, actor=vl)
    ctx.progress(f"targets: {len(rows)} targets for {year}, {len(next_rows)} in the draft for {year + 1}")
