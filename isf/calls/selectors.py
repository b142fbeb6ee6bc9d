"""Reads for the customer screen, the call log and the KPI counts of cross-selling."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.calls import sources
from isf.calls.crosssell import LOOKBACK_DAYS, newest_model_id_query, suggestions_from
from isf.calls.models import CallLog
from isf.core.numbers import format_number
from isf.customers.choices import QuoteStatus
from isf.customers.models import Account, Contact, OrderLine, PhoneNumber, Quote
from isf.customers.phones import PhoneParseError, to_e164
from isf.customers.selectors import account_visible_to, accounts_visible_to
from isf.org.choices import Role

BIG_POTENTIAL = Decimal("20000")
CENT = Decimal("0.01")
OPEN_QUOTE_STATUSES = (QuoteStatus.OPEN, QuoteStatus.SENT)
SMALL_SHARE = 0.2


def phone_reach(user) -> QuerySet[Account]:
    """The accounts a phone lookup on the customer screen may find (docs/permissions.md).

    An inside agent sees any account found on an inbound call (read-only outside his team's segments);
    everyone else finds what he may see anyway (a field rep his own accounts and his region's).
    """
    if user.role == Role.INSIDE_AGENT:
        return Account.objects.all()
    return accounts_visible_to(user)


@cache
def _screen_flags() -> dict:
    """EXISTS per list of the customer screen (built once; the querysets stay unevaluated templates)."""
    from isf.campaigns.models import Complaint
    from isf.planning.choices import OPEN_STATUSES as OPEN_TASK_STATUSES
    from isf.planning.choices import TaskKind
    from isf.planning.models import Task
    from isf.service.choices import OPEN_STATUSES as OPEN_ORDER_STATUSES
    from isf.service.models import ServiceOrder
    from isf.visits.models import VisitReport

    account = OuterRef("pk")
    return {
        "has_visit": Exists(VisitReport.objects.filter(account=account)),
        "has_alerts": Exists(Task.objects.filter(account=account, kind=TaskKind.ALERT, status__in=OPEN_TASK_STATUSES)),
        "has_service_orders": Exists(ServiceOrder.objects.filter(account=account, status__in=OPEN_ORDER_STATUSES)),
        "has_quotes": Exists(Quote.objects.filter(account=account, status__in=OPEN_QUOTE_STATUSES)),
        "has_complaints": Exists(Complaint.objects.filter(account=account)),
        "has_calls": Exists(CallLog.objects.filter(account=account)),
        "has_open_tasks": Exists(Task.objects.filter(account=account, status__in=OPEN_TASK_STATUSES)),
    }


def with_screen_flags(qs: QuerySet[Account]) -> QuerySet[Account]:
    """The accounts with a flag per list of the screen telling whether it has rows at all (read with the account).

    Most callers have no visit report, open alert, service order, quote or complaint and no logged call: their
    screen skips those queries (``screen_facts`` queries a list whose flag is missing, as for a name search).
    """
    return qs.annotate(**_screen_flags())


def _has(account, flag: str) -> bool:
    return getattr(account, flag, True)


def is_read_only(user, account: Account) -> bool:
    """True when the user reached the account only through the caller's number (not one he may see)."""
    return not account_visible_to(user, account)


def screen_account(user, pk: int, phone: str = "") -> Account | None:
    """The account ``pk`` (an id read by ``isf.core.params``) for the customer screen or the call log: one the
    user may see, or, on a call, one of the accounts the phone lookup finds by the caller's number ``phone``."""
    related = ("segment", "owner", "team")
    account = with_screen_flags(accounts_visible_to(user).select_related(*related)).filter(pk=pk).first()
    if account is not None or not phone:
        return account
    try:
        e164 = to_e164(phone)
    except PhoneParseError:
        return None
    on_call = PhoneNumber.objects.filter(e164=e164, account_id=pk).values("account_id")
    return with_screen_flags(phone_reach(user).select_related(*related)).filter(pk__in=on_call).first()


def potential_hint(*, revenue: Decimal, potential: Decimal, share: float | None) -> str:
    """A clear hint when the account buys little of a big demand (the 'small customer with big potential')."""
    if potential >= BIG_POTENTIAL and share is not None and share < SMALL_SHARE:
        return _(
            "Small buyer, big potential: buys %(revenue)s € a year of an estimated %(potential)s € — "
            "most of the demand goes to competitors."
        ) % {"revenue": format_number(revenue or 0, 0), "potential": format_number(potential or 0, 0)}
    return ""


def trend(revenue: Decimal, previous: Decimal) -> tuple[str, float | None]:
    if previous <= 0:
        return ("new" if revenue > 0 else "none"), None
    pct = float((revenue - previous) / previous * 100)
    if pct > 5:
        return "up", pct
    if pct < -5:
        return "down", pct
    return "flat", pct


def last_visit(account) -> dict | None:
    from isf.visits.models import VisitReport

    report = VisitReport.objects.filter(account=account).select_related("author", "visit_type").first()
    if report is None:
        return None
    return {"id": report.pk, "date": report.visit_date, "author": str(report.author or ""),
            "type": report.visit_type.name, "summary": report.headline, "agreements": report.agreements[:300],
            "next_steps": report.next_steps[:300], "url": report.get_absolute_url()}


CONTACT_COLUMNS = ("pk", "first_name", "last_name", "function", "buying_role", "email", "status", "status_date",
                   "phones__e164")


def contacts_of(account) -> list[dict]:
    """The account's contacts with their phone numbers: one query (a row per contact and phone)."""
    roles = dict(Contact._meta.get_field("buying_role").flatchoices)
    statuses = dict(Contact._meta.get_field("status").flatchoices)
    out: dict[int, dict] = {}
    rows = account.contacts.order_by("status", "last_name", "first_name", "pk", "phones__e164").values_list(
        *CONTACT_COLUMNS)
    for pk, first, last, function, role, email, status, status_date, phone in rows:
        contact = out.get(pk)
        if contact is None:
            contact = out[pk] = {
                "id": pk, "name": " ".join(p for p in (first, last) if p), "function": function, "buying_role": role,
                "buying_role_label": str(roles.get(role, role)) if role else "", "status": status,
                "status_label": str(statuses.get(status, status)), "status_date": status_date, "email": email,
                "phones": [],
            }
        if phone is not None:
            contact["phones"].append(phone)
    return list(out.values())


def open_quotes(account) -> list[dict]:
    qs = account.quotes.filter(status__in=OPEN_QUOTE_STATUSES).order_by("-date")[:10]
    return [{"id": q.pk, "number": q.number, "date": q.date, "amount": q.amount, "valid_until": q.valid_until,
             "status": str(q.get_status_display())} for q in qs]


def recent_calls(account, limit: int = 5) -> list[CallLog]:
    if not _has(account, "has_calls"):
        return []
    return list(CallLog.objects.filter(account=account).select_related("agent")[:limit])


def purchase_facts(account: Account, today: date) -> dict:
    """``account_figures`` without the margin (the screen shows none), plus what cross-selling needs: the products
    bought within its lookback and the newest model's id. One query over the account's order lines of the lookback,
    grouped by product, read from the covering index (a second one for the last order only when it is older).
    """
    start = today - timedelta(days=365)
    prev_start = start - timedelta(days=365)
    since = min(today - timedelta(days=LOOKBACK_DAYS), prev_start)
    rows = list(
        OrderLine.objects.filter(account=account, order_date__gte=since).order_by().values_list("product_id")
        .annotate(revenue=Sum("net_revenue", filter=Q(order_date__gt=start)),
                  previous=Sum("net_revenue", filter=Q(order_date__gt=prev_start, order_date__lte=start)),
                  last=Max("order_date"), model_id=Subquery(newest_model_id_query()))
    )
    revenue = sum((r[1] for r in rows if r[1] is not None), Decimal(0)).quantize(CENT) if rows else 0
    previous = sum((r[2] for r in rows if r[2] is not None), Decimal(0)).quantize(CENT) if rows else 0
    last = max(r[3] for r in rows) if rows else None
    if last is None:  # nothing within the lookback: the last order, if any, is older
        last = OrderLine.objects.filter(account=account).aggregate(last=Max("order_date"))["last"]
    lookback = today - timedelta(days=LOOKBACK_DAYS)
    potential = account.potential or 0
    return {
        "revenue_12m": revenue, "revenue_prev_12m": previous, "last_order": last,
        "share_of_wallet": float(revenue / potential) if potential else None,
        # the groups bought within the lookback (a product bought only before it has no line since)
        "products": {r[0] for r in rows if r[3] >= lookback},
        "model_id": rows[0][4] if rows else None,
    }


def screen_facts(account: Account, *, today: date | None = None, contact=None, read_only: bool = False) -> dict:
    """Everything the customer screen and the screen-pop API show for one account.

    ``read_only``: the user reached the account only through the caller's number (an inside agent, account
    outside his team's segments): the facts are shown, links to pages he may not open (account page, visit
    report) are left out. No margins either way: the screen shows none.
    """
    today = today or timezone.localdate()
    visit = last_visit(account) if _has(account, "has_visit") else None
    if visit is not None and read_only:
        visit["url"] = None
    figures = purchase_facts(account, today)
    revenue = Decimal(figures["revenue_12m"] or 0)
    previous = Decimal(figures["revenue_prev_12m"] or 0)
    potential = Decimal(account.potential or 0)
    direction, pct = trend(revenue, previous)
    share = figures["share_of_wallet"]
    return {
        "account": {"id": account.pk, "erp_number": account.erp_number, "name": account.name,
                    "city": account.city, "postcode": account.postcode, "type": account.customer_type,
                    "url": None if read_only else account.get_absolute_url()},
        "read_only": read_only,
        "segment": ({"code": account.segment.code, "name": account.segment.name} if account.segment_id else None),
        "phase": {"code": account.phase, "name": str(account.get_phase_display())},
        "owner": str(account.owner) if account.owner_id else None,
        "team": str(account.team) if account.team_id else None,
        "revenue_12m": revenue,
        "revenue_prev_12m": previous,
        "trend": direction,
        "trend_pct": round(pct, 1) if pct is not None else None,
        "potential": potential,
        "share_of_wallet": round(share, 4) if share is not None else None,
        "potential_hint": potential_hint(revenue=revenue, potential=potential, share=share),
        "last_order": figures["last_order"],
        "alerts": sources.open_alerts(account) if _has(account, "has_alerts") else [],
        "service_orders": sources.open_service_orders(account) if _has(account, "has_service_orders") else [],
        "quotes": open_quotes(account) if _has(account, "has_quotes") else [],
        "complaints": sources.open_complaints(account) if _has(account, "has_complaints") else [],
        "last_visit": visit,
        "contacts": contacts_of(account),
        "matched_contact": ({"id": contact.pk, "name": str(contact)} if contact is not None else None),
        "cross_sell": [
            {"group_id": s.group_id, "code": s.code, "group": s.name, "reason": s.reason, "share": round(s.share, 3)}
            for s in suggestions_from(figures["products"], figures["model_id"], k=5)
        ],
    }


def jsonable(value):
    """Dates, decimals and nested containers as JSON values."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def calls_between(start: datetime, end: datetime, team=None) -> QuerySet[CallLog]:
    qs = CallLog.objects.filter(started_at__gte=start, started_at__lt=end)
    return qs.filter(team=team) if team is not None else qs


def cross_sell_counts(*, since: datetime | None = None, until: datetime | None = None, team=None) -> dict:
    """Offers and acceptances logged on calls, for the KPI reports."""
    until = until or timezone.now()
    since = since or until - timedelta(days=30)
    agg = calls_between(since, until, team).aggregate(
        calls=Count("pk"),
        offered=Count("pk", filter=Q(cross_sell_offered=True)),
        accepted=Count("pk", filter=Q(cross_sell_accepted=True)),
    )
    agg["acceptance_rate"] = agg["accepted"] / agg["offered"] if agg["offered"] else None
    return agg


def account_calls(account_id: int) -> QuerySet[CallLog]:
    """An account's calls (logged by hand and reported by the phone system), newest first."""
    return CallLog.objects.filter(account_id=account_id).select_related("agent").order_by("-started_at", "-pk")
