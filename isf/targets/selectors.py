"""Reads of targets: the one "actual" per scope and metric, and target against actual with a run-rate forecast.

Actuals come from the stored data of the accounts in scope (a segment's, an inside team's or a field rep's
accounts as they are assigned today), counted from the period's first day up to today:
- revenue and contribution margin: order lines dated in the period;
- new customers: accounts whose first order is dated in the period;
- reactivated customers: accounts that moved to "won back" in the period (the lifecycle's transitions);
- planned contacts: contact-plan tasks completed in the period.
The VL's segment overview, the IDL's team overview, the rep's home, the review pack, the targets page and
``GET /api/v1/targets`` all read :func:`target_progress`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from isf.customers.models import Account, Order, OrderLine
from isf.lifecycle.choices import Phase
from isf.lifecycle.models import PhaseChange
from isf.org.choices import Role
from isf.planning.choices import PLAN_SOURCE, TaskStatus
from isf.planning.models import Task
from isf.targets.choices import MONEY_METRICS, Metric, PlanStatus, Scope
from isf.targets.models import Target, TargetPlan
from isf.targets.periods import Period, attainment, parse_period, run_rate

ZERO = Decimal("0")
LEAD_ROLES = frozenset({Role.SALES_LEAD, Role.INSIDE_LEAD})
#: The account field that puts an account into a scope.
SCOPE_FIELD = {Scope.SEGMENT: "segment__code", Scope.TEAM: "team__code", Scope.REP: "owner__username"}


def _bounds(period: Period, today: date) -> tuple[date, date] | None:
    """First and last day counted (the period up to today); None before the period starts."""
    if today < period.start:
        return None
    return period.start, min(period.end, today)


def _moments(first: date, last: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (datetime.combine(first, time(0, 0), tzinfo=tz),
            datetime.combine(last + timedelta(days=1), time(0, 0), tzinfo=tz))


def target_actuals(*, period: Period, scope: str, metrics=None, codes=None,
                   today: date | None = None) -> dict[tuple[str, str], Decimal]:
    """{(code, metric): actual} of the scope's accounts in the period up to today (the one rule for "actual")."""
    today = today or timezone.localdate()
    metrics = set(metrics or Metric.values)
    bounds = _bounds(period, today)
    out: dict[tuple[str, str], Decimal] = {}
    if bounds is None:
        return out
    first, last = bounds
    key = SCOPE_FIELD[scope]
    lookup, value = (f"{key}__in", list(codes)) if codes is not None else (f"{key}__isnull", False)
    account_filter = Q(**{lookup: value})
    in_scope = Q(**{f"account__{lookup}": value})
    if metrics & {Metric.REVENUE, Metric.MARGIN}:
        rows = (OrderLine.objects.filter(in_scope, order_date__gte=first, order_date__lte=last)
                .values(f"account__{key}").annotate(revenue=Sum("net_revenue"), margin=Sum("margin")).order_by())
        for r in rows:
            code = r[f"account__{key}"]
            out[(code, Metric.REVENUE)] = r["revenue"] or ZERO
            out[(code, Metric.MARGIN)] = r["margin"] or ZERO
    if Metric.NEW_CUSTOMERS in metrics:
        firsts = (Order.objects.filter(in_scope).values("account_id").annotate(first=Min("date"))
                  .filter(first__gte=first, first__lte=last).values("account_id"))
        rows = (Account.objects.filter(account_filter, pk__in=firsts).values(key).annotate(n=Count("pk")).order_by())
        for r in rows:
            out[(r[key], Metric.NEW_CUSTOMERS)] = Decimal(r["n"])
    if Metric.REACTIVATED in metrics:
        start, end = _moments(first, last)
        rows = (PhaseChange.objects.filter(in_scope, to_phase=Phase.WON_BACK, at__gte=start, at__lt=end)
                .values(f"account__{key}").annotate(n=Count("account_id", distinct=True)).order_by())
        for r in rows:
            out[(r[f"account__{key}"], Metric.REACTIVATED)] = Decimal(r["n"])
    if Metric.PLANNED_CONTACTS in metrics:
        start, end = _moments(first, last)
        rows = (Task.objects.filter(in_scope, source=PLAN_SOURCE, status=TaskStatus.DONE, completed_at__gte=start,
                                    completed_at__lt=end)
                .values(f"account__{key}").annotate(n=Count("pk")).order_by())
        for r in rows:
            out[(r[f"account__{key}"], Metric.PLANNED_CONTACTS)] = Decimal(r["n"])
    return out


@dataclass
class Progress:
    """One target against its actual."""

    scope: str
    code: str
    metric: str
    target: Decimal
    actual: Decimal
    attainment: float | None
    forecast: Decimal | None
    period: Period

    @property
    def forecast_attainment(self) -> float | None:
        return attainment(self.forecast, self.target) if self.forecast is not None else None

    @property
    def metric_label(self) -> str:
        return Metric(self.metric).label

    @property
    def scope_label(self) -> str:
        return Scope(self.scope).label

    @property
    def is_money(self) -> bool:
        return self.metric in MONEY_METRICS

    @property
    def bars(self) -> dict:
        """Widths (0-100) of the actual and forecast bars and the position of the target mark, on one scale."""
        top = max(self.target, self.actual, self.forecast or ZERO) or Decimal(1)

        def pct(v):
            return round(float(Decimal(v) / top) * 100, 1)

        return {"actual": pct(self.actual), "forecast": pct(self.forecast or ZERO), "target": pct(self.target)}

    @property
    def status(self) -> str:
        """ok: the forecast reaches the target; warn: 80 % of it; bad: less; '' before the period or without target."""
        share = self.forecast_attainment
        if share is None:
            return ""
        return "ok" if share >= 1 else "warn" if share >= 0.8 else "bad"

    def as_api(self) -> dict:
        return {"scope": self.scope, "code": self.code, "metric": self.metric, "target": self.target,
                "actual": self.actual, "attainment": self.attainment, "forecast": self.forecast}


def effective_plan(period: Period) -> TargetPlan | None:
    """The plan whose targets count for the period: the agreed version covering it, else the newest draft."""
    covering = TargetPlan.objects.filter(period_start__lte=period.start, period_end__gte=period.end,
                                         targets__period=period.code).distinct()
    return (covering.filter(status=PlanStatus.AGREED).order_by("-version").first()
            or covering.filter(status=PlanStatus.DRAFT).order_by("-version").first())


def visible_filter(user) -> tuple[Q, frozenset | None]:
    """Which targets the user may see (a Q on Target) and, for marketing, which metrics (None: all)."""
    if user.role in {Role.SALES_LEAD, Role.INSIDE_LEAD}:
        return Q(), None
    if user.role == Role.FIELD_REP:
        return Q(scope=Scope.REP, rep=user), None
    if user.role == Role.INSIDE_AGENT:  # his team's, without margins (isf.core.permissions.can_see_margins)
        if not user.team_id:
            return Q(pk__in=[]), None
        return Q(scope=Scope.TEAM, team_id=user.team_id) & ~Q(metric=Metric.MARGIN), None
    if user.role == Role.MARKETING:
        return ~Q(metric__in=MONEY_METRICS), frozenset(set(Metric.values) - MONEY_METRICS)
    return Q(pk__in=[]), None


def target_progress(*, period: Period | str, user=None, scope: str = "", codes=None,
                    today: date | None = None) -> tuple[TargetPlan | None, list[Progress]]:
    """Targets of the period's effective plan (as far as ``user`` may see them) against actual and forecast."""
    period = parse_period(period) if isinstance(period, str) else period
    today = today or timezone.localdate()
    plan = effective_plan(period)
    if plan is None:
        return None, []
    qs = Target.objects.filter(plan=plan, period=period.code)
    if user is not None:
        qs = qs.filter(visible_filter(user)[0])
    if scope:
        qs = qs.filter(scope=scope)
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    targets = list(qs.order_by("scope", "code", "metric"))
    actuals: dict[tuple[str, str, str], Decimal] = {}
    for s in {t.scope for t in targets}:
        mine = [t for t in targets if t.scope == s]
        found = target_actuals(period=period, scope=s, metrics={t.metric for t in mine},
                               codes={t.code for t in mine}, today=today)
        actuals.update({(s, code, metric): v for (code, metric), v in found.items()})
    rows = []
    order = {m: i for i, m in enumerate(Metric.values)}
    for t in sorted(targets, key=lambda t: (list(Scope.values).index(t.scope), t.code, order[t.metric])):
        actual = Decimal(actuals.get((t.scope, t.code, t.metric), ZERO)).quantize(Decimal("0.01"))
        rows.append(Progress(scope=t.scope, code=t.code, metric=t.metric, target=t.value, actual=actual,
                             attainment=attainment(actual, t.value), forecast=run_rate(actual, period, today),
                             period=period))
    return plan, rows


def home_targets(user, *, scope: str = "", today: date | None = None) -> dict | None:
    """A home page's targets: the current quarter's (else the year's, else the month's) as far as the user
    may see them, for one scope; None when there are none."""
    from isf.targets.periods import current_period

    today = today or timezone.localdate()
    for kind in ("quarter", "year", "month"):
        period = current_period(kind, today)
        plan, rows = target_progress(period=period, user=user, scope=scope, today=today)
        if rows:
            return {"period": period, "plan": plan, "rows": rows, "link": user.role in LEAD_ROLES}
    return None


def pack_targets(meeting) -> dict:
    """The review pack's targets: the period the meeting covers (its month, quarter or year)."""
    from isf.targets.periods import period_for_range

    period = period_for_range(meeting.period_start, meeting.period_end)
    plan, rows = target_progress(period=period)
    return {"period": period, "plan": plan, "rows": rows, "link": False}


def drafts():
    """Draft versions waiting for agreement (the review meeting page offers to agree them there)."""
    return TargetPlan.objects.filter(status=PlanStatus.DRAFT).select_related("sales_lead", "inside_lead").annotate(
        n=Count("targets")).order_by("period_start", "period")


def plans():
    return TargetPlan.objects.select_related("sales_lead", "inside_lead", "meeting").annotate(n=Count("targets"))
