"""Reads: segment KPIs, the revenue-vs-potential portfolio, change history, the ABC proposal.

Every figure is a database aggregate; Python only adds up the handful of per-segment rows.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Mod
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.core.numbers import largest_remainder
from isf.customers.models import Account, OrderLine
from isf.customers.selectors import twelve_months_ago
from isf.segmentation.abc import AbcProposal, abc_propose
from isf.segmentation.behaviour import Behaviour, combined, segment_behaviour
from isf.segmentation.models import Segment, SegmentChange, SegmentOverride

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=16, decimal_places=2)


def _share(part, total) -> float:
    return float(part) / float(total) if total else 0.0


@dataclass
class SegmentKpi:
    segment: Segment | None
    code: str
    name: str
    accounts: int = 0
    revenue_12m: Decimal = ZERO
    margin_12m: Decimal = ZERO
    potential: Decimal = ZERO
    budget_per_account: Decimal = ZERO
    account_share: float = 0.0
    revenue_share: float = 0.0
    margin_share: float = 0.0
    potential_share: float = 0.0
    share_of_wallet: float | None = None
    budget_total: Decimal = ZERO
    behaviour: Behaviour | None = None  # buying behaviour (isf.segmentation.behaviour)
    # the shares in percent as shown (one decimal, largest remainder: each column adds up to 100.0)
    shown: dict = field(default_factory=dict)


SHARE_COLUMNS = ("account_share", "revenue_share", "margin_share", "potential_share")


@dataclass
class SegmentKpis:
    rows: list[SegmentKpi]
    total: SegmentKpi
    since: date
    today: date
    extra: dict = field(default_factory=dict)


def _money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def segment_kpis(*, today: date | None = None) -> SegmentKpis:
    """Per segment: accounts, revenue and margin of the last 12 months, potential, shares, budget, buying behaviour.

    Two aggregate queries (accounts grouped by segment; their order lines of the last 12 months
    grouped by segment). Accounts without a segment form their own row so shares add up to 1.
    """
    today = today or timezone.localdate()
    since = twelve_months_ago(today)
    base = {row["segment_id"]: row for row in Account.objects.order_by().values("segment_id").annotate(
        n=Count("pk"), potential=Sum("potential"))}
    # LEFT JOIN with the date range in the ON clause: walks accounts by segment and each account's
    # (account, order_date) index range, so no temporary B-tree over a million lines is needed.
    recent = FilteredRelation("order_lines", condition=Q(order_lines__order_date__gt=since,
                                                         order_lines__order_date__lte=today))
    facts = {row["segment_id"]: row for row in Account.objects.annotate(recent=recent).order_by()
             .values("segment_id").annotate(revenue=Sum("recent__net_revenue"), margin=Sum("recent__margin"))}
    rows = []
    segments = list(Segment.objects.select_related("team").order_by("precedence", "code"))
    keys = [(s.pk, s) for s in segments]
    if base.get(None, {}).get("n"):
        keys.append((None, None))
    behaviour = segment_behaviour(today=today, revenue_12m={pk: f.get("revenue") or 0 for pk, f in facts.items()})
    for pk, segment in keys:
        b, f = base.get(pk, {}), facts.get(pk, {})
        row = SegmentKpi(
            segment=segment, code=segment.code if segment else "", name=segment.name if segment else _("No segment"),
            accounts=b.get("n") or 0, potential=_money(b.get("potential")), revenue_12m=_money(f.get("revenue")),
            margin_12m=_money(f.get("margin")), budget_per_account=segment.care_budget if segment else ZERO,
            behaviour=behaviour.get(pk) or combined([]),
        )
        row.budget_total = row.budget_per_account * row.accounts
        rows.append(row)
    total = SegmentKpi(segment=None, code="", name=_("Total"))
    for row in rows:
        total.accounts += row.accounts
        total.revenue_12m += row.revenue_12m
        total.margin_12m += row.margin_12m
        total.potential += row.potential
        total.budget_total += row.budget_total
    for row in [*rows, total]:
        row.account_share = _share(row.accounts, total.accounts)
        row.revenue_share = _share(row.revenue_12m, total.revenue_12m)
        row.margin_share = _share(row.margin_12m, total.margin_12m)
        row.potential_share = _share(row.potential, total.potential)
        row.share_of_wallet = _share(row.revenue_12m, row.potential) if row.potential else None
    total.behaviour = combined([row.behaviour for row in rows])
    total.budget_per_account = (total.budget_total / total.accounts).quantize(Decimal("0.01")) if total.accounts else ZERO
    for column in SHARE_COLUMNS:
        shown = largest_remainder([getattr(row, column) for row in rows], digits=1)
        for row, value in zip(rows, shown, strict=True):
            row.shown[column] = value
        total.shown[column] = sum(shown, Decimal("0.0")) if rows else None
    return SegmentKpis(rows=rows, total=total, since=since, today=today)


def segment_changes_for(account) -> QuerySet[SegmentChange]:
    """The account's segment changes, newest first (for the account timeline)."""
    return (SegmentChange.objects.filter(account=account)
            .select_related("from_segment", "to_segment", "changed_by").order_by("-changed_at", "-pk"))


def open_override_for(account) -> SegmentOverride | None:
    return (SegmentOverride.objects.filter(account=account, ended_at__isnull=True)
            .select_related("segment", "created_by").first())


def segments_with_rules() -> list[Segment]:
    return list(Segment.objects.select_related("team").prefetch_related("rules")
                .annotate(n_accounts=Count("accounts")).order_by("precedence", "code"))


def revenue_12m_subquery(since: date):
    """Correlated subquery: an account's net revenue since `since` (uses the (account, date) index)."""
    lines = (OrderLine.objects.filter(account=OuterRef("pk"), order_date__gt=since).order_by()
             .values("account").annotate(s=Sum("net_revenue")).values("s"))
    return Coalesce(Subquery(lines, output_field=MONEY), Value(ZERO), output_field=MONEY)


def abc_proposal(*, today: date | None = None, a_share: float = 0.80, b_share: float = 0.15,
                 customer_type: str = "b2b") -> AbcProposal:
    """The ABC proposal over the accounts of one type (default B2B), from their 12-month revenue."""
    accounts = Account.objects.all()
    if customer_type in ("b2b", "b2c"):
        accounts = accounts.filter(customer_type=customer_type)
    revenues = [float(v or 0) for v in accounts.order_by().annotate(recent=recent_lines(today)).values("pk")
                .annotate(r=revenue_12m_sum()).values_list("r", flat=True)]
    return abc_propose(revenues, a_share=a_share, b_share=b_share)


def recent_lines(today: date | None = None) -> FilteredRelation:
    """The account's order lines of the 12 months up to `today`, as a LEFT JOIN condition."""
    today = today or timezone.localdate()
    return FilteredRelation("order_lines", condition=Q(order_lines__order_date__gt=twelve_months_ago(today),
                                                       order_lines__order_date__lte=today))


def revenue_12m_sum():
    return Coalesce(Sum("recent__net_revenue"), Value(ZERO), output_field=MONEY)


def with_revenue_12m(accounts: QuerySet[Account], *, today: date | None = None) -> QuerySet[Account]:
    """Annotate `revenue_12m` (0 without orders) through a LEFT JOIN restricted to the last 12 months."""
    return accounts.annotate(recent=recent_lines(today)).annotate(revenue_12m=revenue_12m_sum())


def portfolio_points(*, accounts: QuerySet[Account], today: date | None = None, limit: int = 3000) -> dict:
    """Revenue (12 months) vs potential per account for the scatter; an even sample of at most `limit`."""
    since = twelve_months_ago(today or timezone.localdate())
    total = accounts.count()
    stride = max(1, -(-total // limit))
    sample = accounts.order_by()
    if stride > 1:
        sample = sample.annotate(_bucket=Mod("pk", stride)).filter(_bucket=0)
    rows = (sample.annotate(revenue=revenue_12m_subquery(since))
            .values_list("pk", "name", "segment__code", "revenue", "potential")[:limit])
    points, skipped = [], 0
    for pk, name, code, revenue, potential in rows:
        if not revenue or not potential or revenue <= 0 or potential <= 0:
            skipped += 1
            continue
        points.append({"x": float(potential), "y": float(revenue), "n": name, "s": code or "", "id": pk})
    return {"points": points, "total": total, "sampled": stride > 1, "skipped": skipped}


def segment_median_potentials() -> dict[int, Decimal]:
    """Median estimated potential per segment (the lower median: the value in the middle position)."""
    medians = {}
    for pk, n in Account.objects.filter(segment__isnull=False).order_by().values_list("segment_id").annotate(
            n=Count("pk")).values_list("segment_id", "n"):
        value = (Account.objects.filter(segment_id=pk).order_by("potential")
                 .values_list("potential", flat=True)[(n - 1) // 2])
        medians[pk] = value
    return medians


def opportunities(*, accounts: QuerySet[Account], max_share_of_wallet: float = 0.2, potential_factor: float = 1.0,
                  segment_code: str = "", today: date | None = None) -> tuple[QuerySet, dict]:
    """“Small revenue, big potential”: share of wallet below the limit and potential at least
    `potential_factor` × the median potential of the account's segment. Largest untapped potential first.

    Returns rows {"pk", "potential", "revenue_12m", "untapped"} (grouped by account id only, so the
    aggregate stays narrow); `opportunity_accounts` loads the accounts of one page.
    """
    medians = segment_median_potentials()
    condition = Q(pk__in=[])
    for segment_id, median in medians.items():
        condition |= Q(segment_id=segment_id, potential__gte=Decimal(str(potential_factor)) * median,
                       potential__gt=0)
    qs = accounts.filter(condition)
    if segment_code:
        qs = qs.filter(segment__code=segment_code)
    limit = Value(Decimal(str(max_share_of_wallet)), output_field=MONEY)
    rows = (qs.order_by().annotate(recent=recent_lines(today))
            .values("pk", "potential")
            .annotate(revenue_12m=revenue_12m_sum())
            .annotate(untapped=F("potential") - F("revenue_12m"))
            .filter(revenue_12m__lt=F("potential") * limit)
            .order_by("-untapped", "pk"))
    return rows, medians


def opportunity_accounts(rows) -> list[Account]:
    """The Account objects of a page of opportunity rows, in row order, with revenue and share of wallet."""
    rows = list(rows)
    by_pk = Account.objects.select_related("segment", "owner").in_bulk([r["pk"] for r in rows])
    result = []
    for r in rows:
        account = by_pk[r["pk"]]
        account.revenue_12m = r["revenue_12m"]
        account.untapped = r["untapped"]
        account.share_of_wallet = float(r["revenue_12m"]) / float(r["potential"]) if r["potential"] else None
        result.append(account)
    return result
