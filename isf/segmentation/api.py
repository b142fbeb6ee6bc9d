"""API: GET /api/v1/segments — segment KPIs of the last 12 months.

Only the sales lead (VL) and the inside-sales lead (IDL) may read it (the figures include
contribution margins, which other roles do not see): everyone else gets 403. Shares are
fractions 0..1 and add up to 1 over all rows; accounts without a segment, if any, form a row
with code "". Buying behaviour of the same 12 months (isf.segmentation.behaviour): ``order_frequency`` (orders
per account and year), ``average_order_value`` (revenue per order, null without orders), ``revenue_trend``
(growth in % against the 12 months before, null without revenue then) and ``phone_order_share`` (fraction 0..1
of the orders taken on an inside-sales call, null without orders). ``care_cost_per_account`` is the segment's average care cost of the last 12 months
(isf.targets.carecost) beside its care budget ``budget_per_account``.
"""

from decimal import Decimal

from ninja import Router, Schema

from isf.segmentation.selectors import segment_kpis
from isf.targets.carecost import segment_costs

router = Router(tags=["segments"])


class SegmentKpiOut(Schema):
    code: str
    name: str
    name_de: str
    name_en: str
    team: str | None
    accounts: int
    account_share: float
    revenue_12m: Decimal
    revenue_share: float
    margin_12m: Decimal
    margin_share: float
    potential: Decimal
    potential_share: float
    share_of_wallet: float | None
    budget_per_account: Decimal
    care_cost_per_account: Decimal
    budget_total: Decimal
    order_frequency: float
    average_order_value: Decimal | None
    revenue_trend: float | None
    phone_order_share: float | None


@router.get("/segments", response=list[SegmentKpiOut], summary="Segment KPIs (VL and IDL only)")
def list_segments(request):
    data = segment_kpis()
    costs = segment_costs(today=data.today)
    out = []
    for r in data.rows:
        s = r.segment
        out.append({
            "code": r.code, "name": r.name, "name_de": s.name_de if s else "Ohne Segment",
            "name_en": s.name_en if s else "No segment", "team": s.team.code if s and s.team_id else None,
            "accounts": r.accounts, "account_share": r.account_share,
            "revenue_12m": r.revenue_12m, "revenue_share": r.revenue_share,
            "margin_12m": r.margin_12m, "margin_share": r.margin_share,
            "potential": r.potential, "potential_share": r.potential_share,
            "share_of_wallet": r.share_of_wallet, "budget_per_account": r.budget_per_account,
            "care_cost_per_account": cost.cost_per_account if (cost := costs.get(s.pk if s else None))
            else Decimal("0.00"),
            "budget_total": r.budget_total,
            "order_frequency": round(r.behaviour.order_frequency, 2),
            "average_order_value": r.behaviour.average_order_value,
            "revenue_trend": None if r.behaviour.trend is None else round(r.behaviour.trend, 1),
            "phone_order_share": None if r.behaviour.phone_share is None else round(r.behaviour.phone_share / 100, 4),
        })
    return out
