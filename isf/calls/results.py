"""Reads of what inside sales brought in: the stored attribution (isf.calls.attribution) summed per team, agent and
segment for a period, with the share of the segment's revenue. The IDL's team overview, the results page, the
review pack and ``GET /api/v1/results`` read these, so they never disagree.

Who sees it (docs/permissions.md): the sales lead and the inside-sales lead. Field reps, inside agents and
marketing see none of it (marketing sees no revenue anywhere; a rep's own accounts' revenue is on his home page).
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from isf.calls.choices import AttributionRule
from isf.calls.models import Attribution

ZERO = Decimal("0.00")


def month_span(first: date) -> tuple[date, date]:
    """The first and last day of the month of ``first``."""
    first = first.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


@dataclass
class Figures:
    """Attributed orders, revenue and margin of one row, in total and per rule (every rule present)."""

    key: object = None
    label: str = ""
    code: str | None = None
    orders: int = 0
    revenue: Decimal = ZERO
    margin: Decimal = ZERO
    by_rule: dict = field(default_factory=lambda: {r: {"orders": 0, "revenue": ZERO, "margin": ZERO}
                                                   for r in AttributionRule.values})
    segment_revenue: Decimal | None = None

    def add(self, rule: str, orders: int, revenue, margin) -> None:
        revenue, margin = revenue or ZERO, margin or ZERO
        self.orders += orders
        self.revenue += revenue
        self.margin += margin
        part = self.by_rule[rule]
        part["orders"] += orders
        part["revenue"] += revenue
        part["margin"] += margin

    @property
    def share(self) -> float | None:
        """The attributed revenue's share of the segment's revenue in the period."""
        if not self.segment_revenue:
            return None
        return float(self.revenue / self.segment_revenue)

    @property
    def share_percent(self) -> float | None:
        share = self.share
        return None if share is None else share * 100

    @property
    def parts(self) -> list[dict]:
        """The rules' parts in the precedence order, with their labels (for the tables)."""
        return [{"code": rule.value, "label": rule.label, **self.by_rule[rule.value]} for rule in AttributionRule]

    def as_api(self) -> dict:
        return {"attributed_revenue": float(self.revenue), "attributed_margin": float(self.margin),
                "orders": self.orders,
                "by_rule": {rule: {"orders": v["orders"], "revenue": float(v["revenue"]), "margin": float(v["margin"])}
                            for rule, v in self.by_rule.items()}}


def _grouped(since: date, until: date, key: str) -> dict:
    rows: dict = {}
    for row in (Attribution.objects.filter(order_date__gte=since, order_date__lte=until).values(key, "rule")
                .annotate(n=Count("pk"), r=Sum("revenue"), m=Sum("margin")).order_by()):
        rows.setdefault(row[key], Figures(key=row[key])).add(row["rule"], row["n"], row["r"], row["m"])
    return rows


def results_by_team(*, since: date, until: date) -> tuple[list[Figures], Figures]:
    """One row per team (code order; "no team" last if any order is of no team) and the total they add up to."""
    from isf.org.models import Team

    grouped = _grouped(since, until, "team_id")
    rows = []
    for team in Team.objects.order_by("code"):
        row = grouped.pop(team.pk, Figures(key=team.pk))
        row.label, row.code = team.name, team.code
        rows.append(row)
    if None in grouped:
        row = grouped.pop(None)
        row.label, row.code = "", None
        rows.append(row)
    for orphan in grouped.values():  # a team deleted since: SET_NULL makes this empty, kept for safety
        rows.append(orphan)
    return rows, _total(rows)


def results_by_agent(*, since: date, until: date) -> list[Figures]:
    """One row per agent with attributed orders, most revenue first."""
    from isf.org.models import User

    grouped = _grouped(since, until, "agent_id")
    names = {u.pk: u.get_full_name() or u.username for u in User.objects.filter(pk__in=[k for k in grouped if k])}
    rows = list(grouped.values())
    for row in rows:
        row.label = names.get(row.key, "")
    return sorted(rows, key=lambda r: (-r.revenue, r.label))


def results_by_segment(*, since: date, until: date) -> list[Figures]:
    """One row per segment (precedence order) with the segment's revenue in the period and the attributed share."""
    from isf.customers.models import OrderLine
    from isf.segmentation.models import Segment

    grouped = _grouped(since, until, "segment_id")
    revenue = defaultdict(lambda: ZERO)
    for segment_id, r in (OrderLine.objects.filter(order_date__gte=since, order_date__lte=until)
                          .values("account__segment_id").annotate(r=Sum("net_revenue"))
                          .values_list("account__segment_id", "r")):
        revenue[segment_id] = r or ZERO
    rows = []
    for segment in Segment.objects.order_by("precedence", "code"):
        row = grouped.pop(segment.pk, Figures(key=segment.pk))
        row.label, row.code = str(segment), segment.code
        row.segment_revenue = revenue[segment.pk]
        rows.append(row)
    if None in grouped or revenue.get(None):
        row = grouped.pop(None, Figures(key=None))
        row.label, row.code, row.segment_revenue = "", None, revenue.get(None, ZERO)
        rows.append(row)
    return rows


def _total(rows: list[Figures]) -> Figures:
    total = Figures(key="total")
    for row in rows:
        for rule, part in row.by_rule.items():
            total.add(rule, part["orders"], part["revenue"], part["margin"])
    return total


def results_summary(*, since: date, until: date) -> dict:
    """Everything the overview, the results page and the review pack show for a period."""
    teams, total = results_by_team(since=since, until=until)
    return {"since": since, "until": until, "teams": teams, "total": total,
            "agents": results_by_agent(since=since, until=until),
            "segments": results_by_segment(since=since, until=until),
            "rules": [(r.value, r.label) for r in AttributionRule]}


def attributed_orders(*, since: date, until: date):
    """The attributed orders of the period, newest first, each with what it is attributed to (for the pager)."""
    return (Attribution.objects.filter(order_date__gte=since, order_date__lte=until)
            .select_related("order", "account", "agent", "team", "call", "task", "quote")
            .order_by("-order_date", "-pk"))
