"""What caring for a customer costs, against the segment's care budget per account and year.

Every contact of the last 12 months (the window of the segment KPIs: after ``today - 365 days`` up to today)
costs its process time times the hourly cost rate of the role of the person who made it:
- a logged call: the team's handling time of a planned outbound contact
  (:func:`isf.capacity.processtimes.activity_minutes`), an inbound call the team's average handling time;
  the agent's role rate (an inside-sales agent's when no agent is recorded);
- a field visit (visit report): ``VISIT_MINUTES`` at the customer plus the travel time of the account's region;
  the author's role rate (a field rep's when unknown).
Rates and travel times the VL has not set yet fall back to ``DEFAULT_RATES`` / ``DEFAULT_TRAVEL_MINUTES``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from isf.calls.choices import Direction
from isf.calls.models import CallLog
from isf.capacity.models import StaffingParameters
from isf.capacity.processtimes import activity_minutes
from isf.customers.models import Account, OrderLine
from isf.customers.selectors import twelve_months_ago
from isf.org.choices import Role
from isf.planning.choices import PLAN_SOURCE, TaskStatus
from isf.planning.models import CareMatrix, Task
from isf.segmentation.models import Segment
from isf.targets.models import DEFAULT_RATES, DEFAULT_TRAVEL_MINUTES, VISIT_MINUTES, CostRate, RegionTravel
from isf.visits.models import VisitReport

ZERO = Decimal("0")
CENT = Decimal("0.01")
LIST_LIMIT = 50


def cost_rates() -> dict[str, Decimal]:
    """Hourly cost per role: the VL's rates, defaults for roles without one."""
    rates = dict(DEFAULT_RATES)
    rates.update({r.role: r.hourly_rate for r in CostRate.objects.all()})
    return rates


def travel_minutes() -> dict[int, int]:
    return {t.region_id: t.travel_minutes for t in RegionTravel.objects.all()}


def _call_minutes() -> dict[tuple[int | None, str], float]:
    """Process time of a call per (team id, direction); teams without parameters use the defaults."""
    default = StaffingParameters()
    out: dict[tuple[int | None, str], float] = {}
    params = {p.team_id: p for p in StaffingParameters.objects.all()}
    for team_id in [None, *params]:
        p = params.get(team_id, default)
        out[(team_id, Direction.OUTBOUND)] = activity_minutes(p, "care_call")
        out[(team_id, Direction.INBOUND)] = p.aht_seconds / 60
    return out


@dataclass
class AccountCost:
    calls: int = 0
    visits: int = 0
    minutes: float = 0.0
    cost: Decimal = ZERO
    visit_cost: Decimal = ZERO


def _window(today: date) -> tuple[date, date]:
    return twelve_months_ago(today) + timedelta(days=1), today


def care_costs(*, today: date | None = None, accounts=None) -> dict[int, AccountCost]:
    """{account id: cost of its contacts in the last 12 months} (accounts without contacts are left out).

    ``accounts`` (ids or a queryset of ids) restricts the accounts.
    """
    today = today or timezone.localdate()
    first, last = _window(today)
    tz = timezone.get_current_timezone()
    start = datetime.combine(first, time(0, 0), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time(0, 0), tzinfo=tz)
    rates, travel, minutes_of = cost_rates(), travel_minutes(), _call_minutes()
    out: dict[int, AccountCost] = defaultdict(AccountCost)
    calls = CallLog.objects.filter(account__isnull=False, started_at__gte=start, started_at__lt=end)
    visits = VisitReport.objects.filter(visit_date__gte=first, visit_date__lte=last)
    if accounts is not None:
        calls, visits = calls.filter(account_id__in=accounts), visits.filter(account_id__in=accounts)
    for r in calls.values("account_id", "team_id", "direction", "agent__role").annotate(n=Count("pk")).order_by():
        minutes = minutes_of.get((r["team_id"], r["direction"])) or minutes_of[(None, r["direction"])]
        rate = rates.get(r["agent__role"]) or rates[Role.INSIDE_AGENT]  # no agent, or the phone system's user
        c = out[r["account_id"]]
        c.calls += r["n"]
        c.minutes += minutes * r["n"]
        c.cost += Decimal(str(minutes)) * r["n"] * rate / 60
    for r in (visits.values("account_id", "account__region_id", "author__role").annotate(n=Count("pk"))
              .order_by()):
        minutes = VISIT_MINUTES + travel.get(r["account__region_id"], DEFAULT_TRAVEL_MINUTES)
        rate = rates.get(r["author__role"]) or rates[Role.FIELD_REP]
        c = out[r["account_id"]]
        cost = Decimal(minutes) * r["n"] * rate / 60
        c.visits += r["n"]
        c.minutes += minutes * r["n"]
        c.cost += cost
        c.visit_cost += cost
    for c in out.values():
        c.cost = c.cost.quantize(CENT, rounding=ROUND_HALF_UP)
        c.visit_cost = c.visit_cost.quantize(CENT, rounding=ROUND_HALF_UP)
    return dict(out)


@dataclass
class SegmentCost:
    segment: Segment | None
    accounts: int = 0
    cost: Decimal = ZERO
    budget_per_account: Decimal = ZERO

    @property
    def cost_per_account(self) -> Decimal:
        return (self.cost / self.accounts).quantize(CENT, rounding=ROUND_HALF_UP) if self.accounts else ZERO

    @property
    def share_of_budget(self) -> float | None:
        return float(self.cost_per_account / self.budget_per_account) if self.budget_per_account else None

    @property
    def over_budget(self) -> bool:
        return self.cost_per_account > self.budget_per_account


def segment_costs(*, today: date | None = None, costs: dict[int, AccountCost] | None = None) -> dict[int | None, SegmentCost]:
    """Per segment id: its accounts, their care cost and the average per account beside the budget."""
    costs = care_costs(today=today) if costs is None else costs
    segments = {s.pk: s for s in Segment.objects.all()}
    out = {pk: SegmentCost(segment=s, budget_per_account=s.care_budget) for pk, s in segments.items()}
    for r in Account.objects.values("segment_id").annotate(n=Count("pk")).order_by():
        out.setdefault(r["segment_id"], SegmentCost(segment=None)).accounts = r["n"]
    seg_of = _segment_of()
    for account_id, c in costs.items():
        out.setdefault(seg_of.get(account_id), SegmentCost(segment=None)).cost += c.cost
    return out


@dataclass
class CareCase:
    """One account on the VL's lists."""

    account: Account
    cost: AccountCost = field(default_factory=AccountCost)
    margin_12m: Decimal = ZERO
    budget: Decimal = ZERO
    planned: int = 0
    done: int = 0

    @property
    def excess(self) -> Decimal:
        return self.cost.cost - min(self.margin_12m, self.budget)


def _segment_of() -> dict[int, int | None]:
    """{account id: segment id} of the whole base (one narrow scan; no id list that outgrows a query)."""
    return dict(Account.objects.order_by().values_list("pk", "segment_id"))


def _margins(today: date, segment=None) -> dict[int, Decimal]:
    """Contribution margin of the last 12 months per account (the segment's accounts only, if given)."""
    first, last = _window(today)
    lines = OrderLine.objects.filter(order_date__gte=first, order_date__lte=last)
    if segment is not None:
        lines = lines.filter(account__segment=segment)
    return {r["account_id"]: r["m"] or ZERO for r in lines.values("account_id").annotate(m=Sum("margin")).order_by()}


def costlier_than_worth(*, today: date | None = None, costs: dict[int, AccountCost] | None = None,
                        segment=None, limit: int = LIST_LIMIT) -> list[CareCase]:
    """Accounts whose care in the last 12 months cost more than their contribution margin or their segment's
    care budget per account: candidates for a cheaper channel ("call instead of visit"). Largest excess first."""
    today = today or timezone.localdate()
    costs = care_costs(today=today) if costs is None else costs
    budgets = {pk: b for pk, b in Segment.objects.values_list("pk", "care_budget")}
    seg_of, margins = _segment_of(), _margins(today, segment)
    found = []
    for account_id, cost in costs.items():
        seg = seg_of.get(account_id)
        if segment is not None and seg != segment.pk:
            continue
        budget, margin = budgets.get(seg, ZERO), margins.get(account_id, ZERO)
        if cost.cost > margin or cost.cost > budget:
            found.append((cost.cost - min(margin, budget), account_id, budget, margin))
    found.sort(key=lambda f: (-f[0], f[1]))
    found = found[:limit]
    accounts = Account.objects.select_related("segment", "owner").in_bulk([f[1] for f in found])
    return [CareCase(account=accounts[aid], cost=costs[aid], margin_12m=margin, budget=budget)
            for _excess, aid, budget, margin in found]


def under_cared(*, today: date | None = None, costs: dict[int, AccountCost] | None = None, segment=None,
                limit: int = LIST_LIMIT) -> list[CareCase]:
    """High-potential accounts (the top potential class of their segment's care matrix) whose planned contacts
    of the last 12 months were not all done (open, cancelled or deferred for capacity). Most missed first."""
    today = today or timezone.localdate()
    first, _last = _window(today)
    tz = timezone.get_current_timezone()
    start = datetime.combine(first, time(0, 0), tzinfo=tz)
    end = datetime.combine(today, time(0, 0), tzinfo=tz)  # planned contacts whose due day has ended
    top = Q(pk__in=[])
    for m in CareMatrix.objects.exclude(potential_classes=[]).select_related("segment"):
        classes = m.potential_classes
        if len(classes) > 1:  # one class alone is everyone, not "high potential"
            top |= Q(segment_id=m.segment_id, potential__gte=Decimal(str(classes[0][1])))
    accounts = Account.objects.filter(top)
    if segment is not None:
        accounts = accounts.filter(segment=segment)
    rows = list(Task.objects.filter(account__in=accounts, source=PLAN_SOURCE, due_at__gte=start, due_at__lt=end)
                .values("account_id", "account__potential")
                .annotate(planned=Count("pk"), done=Count("pk", filter=Q(status=TaskStatus.DONE)))
                .filter(done__lt=F("planned")).order_by())
    rows.sort(key=lambda r: (-(r["planned"] - r["done"]), -r["account__potential"], r["account_id"]))
    rows = rows[:limit]
    found = Account.objects.select_related("segment", "owner").in_bulk([r["account_id"] for r in rows])
    costs = care_costs(today=today, accounts=list(found)) if costs is None else costs
    return [CareCase(account=found[r["account_id"]], cost=costs.get(r["account_id"], AccountCost()),
                     budget=found[r["account_id"]].segment.care_budget if found[r["account_id"]].segment_id else ZERO,
                     planned=r["planned"], done=r["done"]) for r in rows]
