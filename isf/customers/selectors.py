"""Reads of the customer base, always filtered by what the user may see."""

from datetime import date, timedelta

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from isf.core.params import parse_id
from isf.customers.models import Account, OrderLine, PhoneNumber
from isf.customers.phones import PhoneParseError, to_e164
from isf.org.choices import Role

SORTS = {
    "name": "name",
    "-name": "-name",
    "number": "erp_number",
    "-number": "-erp_number",
    "postcode": "postcode",
    "-postcode": "-postcode",
    "potential": "potential",
    "-potential": "-potential",
}


def accounts_visible_to(user) -> QuerySet[Account]:
    """The accounts a user may see (docs/permissions.md)."""
    qs = Account.objects.all()
    if user.role in {Role.SALES_LEAD, Role.INSIDE_LEAD, Role.MARKETING, Role.ADMIN}:
        return qs
    if user.role == Role.FIELD_REP:
        condition = Q(owner=user)
        if user.region_id:
            condition |= Q(region_id=user.region_id)
        return qs.filter(condition)
    if user.role == Role.INSIDE_AGENT:
        if not user.team_id:
            return qs.none()
        return qs.filter(Q(team_id=user.team_id) | Q(segment__team_id=user.team_id) | Q(owner_team_id=user.team_id))
    return qs.none()


def targeting_only(user) -> bool:
    """Whether ``user`` sees accounts with the targeting fields only (marketing: no owner, phones, potential,
    orders, revenue or margins): the scope the access declaration gives the role (isf/customers/access.py)."""
    from isf.core.access import TARGETING
    from isf.customers.access import ACCOUNT_SCOPE

    return ACCOUNT_SCOPE.get(getattr(user, "role", None)) == TARGETING


def account_visible_to(user, account: Account) -> bool:
    """Whether ``account`` is one of ``accounts_visible_to(user)``, decided from the loaded fields without a query
    (the same rules; an inside agent's check reads ``account.segment``, so load it with the account)."""
    if user.role in {Role.SALES_LEAD, Role.INSIDE_LEAD, Role.MARKETING, Role.ADMIN}:
        return True
    if user.role == Role.FIELD_REP:
        return account.owner_id == user.pk or bool(user.region_id and account.region_id == user.region_id)
    if user.role == Role.INSIDE_AGENT:
        if not user.team_id:
            return False
        return (account.team_id == user.team_id or account.owner_team_id == user.team_id
                or bool(account.segment_id and account.segment.team_id == user.team_id))
    return False


def account_search(qs: QuerySet[Account], q: str) -> QuerySet[Account]:
    """Search by name, customer number, postcode or phone number (any usual notation)."""
    q = (q or "").strip()
    if not q:
        return qs
    condition = Q(name__icontains=q) | Q(erp_number__iexact=q) | Q(erp_number__istartswith=q)
    if q.isdigit() and len(q) <= 5:
        condition |= Q(postcode__startswith=q)
    digits = sum(ch.isdigit() for ch in q)
    if digits >= 6:
        try:
            e164 = to_e164(q)
        except PhoneParseError:
            e164 = None
        if e164:
            condition |= Q(pk__in=PhoneNumber.objects.filter(e164=e164).values("account_id"))
    return qs.filter(condition)


# The account list's query parameters and the fields they filter (the list page and its exports read them alike).
LIST_FILTERS = {"segment": "segment__code", "phase": "phase", "region": "region_id", "type": "customer_type",
                "state": "state"}


def account_filters(query, user) -> dict:
    """The filters of the account list from its query parameters (an ``isf.core.params.QueryParams``);
    ``mine`` = the user's own accounts. An unknown segment, phase, region, type or state is refused by ``query``.
    """
    from isf.customers.choices import CustomerType, Phase
    from isf.org.choices import FederalState
    from isf.org.models import Region
    from isf.segmentation.models import Segment

    filters = {
        "segment__code": query.choice("segment", Segment.objects.values_list("code", flat=True)),
        "phase": query.choice("phase", Phase.values),
        "region_id": query.lookup("region", lambda raw: Region.objects.filter(pk=parse_id(raw)).values_list(
            "pk", flat=True).first() if parse_id(raw) else None),
        "customer_type": query.choice("type", CustomerType.values),
        "state": query.choice("state", FederalState.values),
    }
    if query.flag("mine"):
        filters["owner_id"] = user.pk
    return filters


def account_list(*, user, q: str = "", filters: dict | None = None, sort: str = "name") -> QuerySet[Account]:
    filters = filters or {}
    qs = account_search(accounts_visible_to(user), q)
    for field in ("segment__code", "phase", "region_id", "customer_type", "owner_id", "state", "team_id"):
        value = filters.get(field)
        if value:
            qs = qs.filter(**{field: value})
    return qs.select_related("segment", "owner", "owner_team", "region", "team").order_by(SORTS.get(sort, "name"), "pk")


def twelve_months_ago(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return today - timedelta(days=365)


def account_revenue_by_year(*, account: Account) -> list[dict]:
    return list(
        OrderLine.objects.filter(account=account)
        .annotate(year=ExtractYear("order_date"))
        .values("year")
        .annotate(revenue=Sum("net_revenue"), margin=Sum("margin"), orders=Count("order_id", distinct=True))
        .order_by("-year")
    )


def account_figures(*, account: Account, today: date | None = None) -> dict:
    """Revenue and margin of the last 12 months and the 12 before, share of wallet, last order."""
    today = today or timezone.localdate()
    start = today - timedelta(days=365)
    prev_start = start - timedelta(days=365)
    agg = OrderLine.objects.filter(account=account, order_date__gt=prev_start).aggregate(
        revenue_12m=Sum("net_revenue", filter=Q(order_date__gt=start)),
        margin_12m=Sum("margin", filter=Q(order_date__gt=start)),
        revenue_prev=Sum("net_revenue", filter=Q(order_date__lte=start)),
    )
    last = OrderLine.objects.filter(account=account).aggregate(last=Max("order_date"))["last"]
    revenue = agg["revenue_12m"] or 0
    potential = account.potential or 0
    return {
        "revenue_12m": revenue,
        "margin_12m": agg["margin_12m"] or 0,
        "revenue_prev_12m": agg["revenue_prev"] or 0,
        "share_of_wallet": float(revenue / potential) if potential else None,
        "last_order": last,
    }
