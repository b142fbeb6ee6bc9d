"""Telephony screen-pop (GET /api/v1/screenpop?phone=…: the customer screen's facts as JSON), call logging
(POST /api/v1/calls: through the same service as the customer screen) and what inside sales brought in
(GET /api/v1/results?period=YYYY-MM: the stored attribution per team, isf.calls.results)."""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated

from django.http import JsonResponse
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status

from isf.api.types import Choice, Id, Line, Text
from isf.calls import lookup
from isf.calls.choices import CallOutcome, Direction
from isf.calls.selectors import is_read_only, jsonable, phone_reach, screen_account, screen_facts, with_screen_flags
from isf.calls.services import CallLogError, call_log_create, call_start_check
from isf.core.params import QueryParams
from isf.core.text import LONG_TEXT_MAX

router = Router(tags=["calls"])

#: the API's short directions (the stored ones are accepted too)
SHORT_DIRECTIONS = {"in": Direction.INBOUND, "out": Direction.OUTBOUND}
#: service field -> API field
API_FIELDS = {"contact": "contact_id", "account": "account_id", "tasks": "task_ids"}


class CallIn(Schema):
    account_id: Id | None = None
    phone: Line(40) = ""
    direction: Choice(Direction, extra=tuple(SHORT_DIRECTIONS))
    outcome: Choice(CallOutcome)
    contact_id: Id | None = None
    note: Text(LONG_TEXT_MAX) = ""
    started_at: datetime | None = None
    duration_seconds: int = Field(0, ge=0, le=24 * 3600)
    task_ids: list[Id] = Field(default_factory=list, max_length=100)
    order_value: Decimal | None = Field(None, ge=0, lt=10_000_000_000, decimal_places=2)
    order_groups: list[Line(20)] = Field(default_factory=list, max_length=50)


class CallOut(Schema):
    id: int
    account_id: int
    closed_tasks: list[int]


class CallError(Schema):
    message: str
    field: str | None = None


def _bad(status: int, message: str, field: str):
    return Status(status, {"message": message, "field": field})


@router.post("/calls", response={201: CallOut, 404: CallError, 422: CallError},
             summary="Log a call (and complete the tasks it did)")
def log_call(request, payload: CallIn):
    """Log a call as the customer screen does: ``account_id`` or the caller's ``phone`` (any usual notation),
    ``direction`` ``in``/``out``, ``outcome`` (see the call outcomes), optional ``contact_id``, ``note``,
    ``started_at`` (default now), ``duration_seconds`` and ``task_ids`` (open tasks of the account the call took
    care of). A call in which the customer was reached completes the account's due care, welcome, win-back and
    satisfaction calls. With the outcome ``order`` (order taken), ``order_value`` (EUR) and ``order_groups``
    (product group codes) record the order; its ERP order is matched to the call when imported. 201: the call's ``id``, ``account_id`` and ``closed_tasks`` (ids).
    422: an invalid value (``field`` names it), a number no phone number, or one shared by several accounts.
    404: no account with that id or phone number for you.
    """
    direction = SHORT_DIRECTIONS.get(payload.direction, payload.direction)
    phone = payload.phone.strip()
    if payload.account_id is not None:
        account = screen_account(request.user, payload.account_id, phone)
        if account is None:
            return _bad(404, f"account_id: no account {payload.account_id} for you", "account_id")
    elif phone:
        found = lookup.by_phone(phone_reach(request.user), phone)
        if found.error:
            return _bad(422, f"phone: '{phone}' is not a phone number", "phone")
        if not found.accounts:
            return _bad(404, f"phone: no customer or contact has the number {found.e164}; give account_id", "phone")
        if found.account is None:
            ids = ", ".join(str(a.pk) for a in found.accounts)
            return _bad(422, f"phone: {found.e164} belongs to several accounts ({ids}); give account_id", "phone")
        account = found.account
    else:
        return _bad(422, "account_id: give account_id or the caller's phone", "account_id")
    contact = None
    if payload.contact_id is not None:
        contact = account.contacts.filter(pk=payload.contact_id).first()
        if contact is None:
            return _bad(422, f"contact_id: {payload.contact_id} is not a contact of account {account.pk}",
                        "contact_id")
    groups = []
    if payload.order_groups:
        from isf.customers.models import ProductGroup

        wanted = list(dict.fromkeys(payload.order_groups))
        found_groups = {g.code: g for g in ProductGroup.objects.filter(code__in=wanted)}
        unknown = [code for code in wanted if code not in found_groups]
        if unknown:
            return _bad(422, f"order_groups: no product group {', '.join(unknown)}", "order_groups")
        groups = [found_groups[code] for code in wanted]
    started_at = payload.started_at
    try:
        if started_at is not None:
            if timezone.is_naive(started_at) and 2000 <= started_at.year <= 9000:
                started_at = timezone.make_aware(started_at)  # local time, as the customer screen's
            call_start_check(started_at)
        ended_at = started_at + timedelta(seconds=payload.duration_seconds) if started_at is not None else None
        if started_at is None and payload.duration_seconds:
            ended_at = timezone.now()
            started_at = ended_at - timedelta(seconds=payload.duration_seconds)
        call = call_log_create(agent=request.user, direction=direction, outcome=payload.outcome, account=account,
                               contact=contact, phone=phone, note=payload.note, started_at=started_at,
                               ended_at=ended_at, task_ids=payload.task_ids, order_value=payload.order_value,
                               order_groups=groups)
    except CallLogError as exc:
        return _bad(422, exc.message, API_FIELDS.get(exc.field, exc.field))
    return Status(201, {"id": call.pk, "account_id": account.pk,
                        "closed_tasks": sorted(call.closed_tasks.values_list("pk", flat=True))})


@router.get("/screenpop", summary="Customer facts for an incoming phone number")
def screenpop(request, phone: str = ""):
    """The caller's account by phone number in any usual notation (E.164 normalised, default region DE).

    200: the facts of the customer screen. 300-like ambiguity is returned as 200 with `matches`
    when several accounts share the number. 404: no account or contact has the number.
    422: the number cannot be read as a phone number (letters in it, or no valid number).
    An inside agent finds any account by the caller's number; outside his team's segments the facts
    carry `"read_only": true` and no account URL (docs/permissions.md).
    """
    if not phone.strip():
        return JsonResponse({"message": "phone: give the caller's phone number", "field": "phone"}, status=422)
    reach = with_screen_flags(phone_reach(request.user).select_related("segment", "owner", "team"))
    found = lookup.by_phone(reach, phone)
    if found.error:
        return JsonResponse({"message": f"phone: '{phone}' is not a phone number", "field": "phone"}, status=422)
    if not found.accounts:
        return JsonResponse({"message": f"no customer or contact has the number {found.e164}", "phone": found.e164},
                            status=404)
    if found.account is None:
        matches = [{"id": a.pk, "erp_number": a.erp_number, "name": a.name,
                    "url": None if is_read_only(request.user, a) else a.get_absolute_url()} for a in found.accounts]
        return JsonResponse({"phone": found.e164, "matches": matches, "account": None})
    facts = screen_facts(found.account, contact=found.contact, read_only=is_read_only(request.user, found.account))
    facts["phone"] = found.e164
    return JsonResponse(jsonable(facts))


#: a month as YYYY-MM from 1900 on (what QueryParams.month reads), or empty for the current month
Period = Annotated[str, Field(max_length=7, pattern=r"^((19|[2-9][0-9])[0-9]{2}-(0[1-9]|1[0-2]))?$")]


class RulePart(Schema):
    orders: int
    revenue: float
    margin: float


class ByRule(Schema):
    phone_order: RulePart
    quote_won: RulePart
    cross_sell: RulePart
    win_back: RulePart


class ResultsRow(Schema):
    team: str | None
    attributed_revenue: float
    attributed_margin: float
    orders: int
    by_rule: ByRule


class ResultsTotal(Schema):
    attributed_revenue: float
    attributed_margin: float
    orders: int
    by_rule: ByRule


class ResultsOut(Schema):
    period: str
    items: list[ResultsRow]
    total: ResultsTotal


@router.get("/results", response=ResultsOut, summary="What inside sales brought in, per team, for a month")
def results(request, period: Period = ""):
    """Attributed orders of the month ``period`` (``YYYY-MM``, default the current month) per inside team (``team``
    is its code; ``null``: orders whose source had no team): ``attributed_revenue``, ``attributed_margin``
    (EUR), ``orders`` and ``by_rule`` (``phone_order``, ``quote_won``, ``cross_sell``, ``win_back``, each with
    ``orders``, ``revenue`` and ``margin``). The items add up to ``total``. The rules and their precedence:
    the page /call/attribution/. Sales lead and inside-sales lead only. 400: a period that is no ``YYYY-MM``.
    """
    from isf.calls.results import month_span, results_by_team

    first = QueryParams(request.GET, strict=True).month("period") or timezone.localdate().replace(day=1)
    since, until = month_span(first)
    rows, total = results_by_team(since=since, until=until)
    return {"period": f"{since:%Y-%m}", "items": [{"team": getattr(r, "code", None), **r.as_api()} for r in rows],
            "total": total.as_api()}
