"""Telephony screen-pop (GET /api/v1/screenpop?phone=…: the customer screen's facts as JSON), call logging
(POST /api/v1/calls: through the same service as the customer screen), an account's calls (GET /api/v1/calls),
the phone system's call events (POST /api/v1/telephony/events, isf.calls.telephony; docs/telephony.md) and what
inside sales brought in (GET /api/v1/results?period=YYYY-MM: the stored attribution per team, isf.calls.results)."""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated

from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from isf.api.pagination import Pages
from isf.api.types import Choice, Id, Line, Text
from isf.calls import lookup
from isf.calls.choices import CallOutcome, Direction, TelephonyEventKind
from isf.calls.selectors import (
    account_calls,
    is_read_only,
    jsonable,
    phone_reach,
    screen_account,
    screen_facts,
    with_screen_flags,
)
from isf.calls.services import CallLogError, call_log_create, call_start_check
from isf.calls.telephony import DIRECTIONS, TelephonyError, telephony_event_record
from isf.core.params import QueryParams
from isf.core.text import LONG_TEXT_MAX
from isf.customers.models import Account
from isf.customers.selectors import accounts_visible_to
from isf.org.choices import Role

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


class CallListOut(Schema):
    id: int
    account_id: int | None
    direction: str
    phone: str
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    talk_seconds: int | None
    wait_seconds: int | None
    wrap_up_seconds: int | None
    duration_seconds: int
    outcome: str
    order_value: float | None  # EUR, a call with the outcome "order taken" (matched to its ERP order later)
    source: str
    call_id: str
    agent: str | None

    @staticmethod
    def resolve_order_value(obj) -> float | None:
        return None if obj.order_value is None else float(obj.order_value)

    @staticmethod
    def resolve_agent(obj) -> str | None:
        return obj.agent.username if obj.agent_id else None


@router.get("/calls", response={200: list[CallListOut], 404: CallError}, summary="An account's calls, newest first")
@paginate(Pages, page_size=50)
def list_calls(request, account_id: int):
    """The calls of the account ``account_id``, newest first: logged by hand (``source`` manual) and reported by
    the phone system (``telephony``, with the measured ``answered_at``, ``ended_at``, ``wait_seconds``,
    ``talk_seconds``, ``wrap_up_seconds``; ``outcome`` is empty until the agent logged it; ``order_value`` of an
    order taken by phone). 404: no account with that id for you."""
    if not 0 < account_id < 2**63 or not accounts_visible_to(request.user).filter(pk=account_id).exists():
        raise Http404(f"account_id: no account {account_id} for you")
    return account_calls(account_id)


def _screenpop_answer(user, phone: str, *, reach=None) -> tuple[int, dict]:
    """The screen-pop's status and body for ``phone`` as ``user`` would see it (``reach``: accounts to search)."""
    if not phone.strip():
        return 422, {"message": "phone: give the caller's phone number", "field": "phone"}
    reach = with_screen_flags((phone_reach(user) if reach is None else reach).select_related("segment", "owner", "team"))
    found = lookup.by_phone(reach, phone)
    if found.error:
        return 422, {"message": f"phone: '{phone}' is not a phone number", "field": "phone"}
    if not found.accounts:
        return 404, {"message": f"no customer or contact has the number {found.e164}", "phone": found.e164}
    if found.account is None:
        matches = [{"id": a.pk, "erp_number": a.erp_number, "name": a.name,
                    "url": None if is_read_only(user, a) else a.get_absolute_url()} for a in found.accounts]
        return 200, {"phone": found.e164, "matches": matches, "account": None}
    facts = screen_facts(found.account, contact=found.contact, read_only=is_read_only(user, found.account))
    facts["phone"] = found.e164
    return 200, jsonable(facts)


@router.get("/screenpop", summary="Customer facts for an incoming phone number")
def screenpop(request, phone: str = ""):
    """The caller's account by phone number in any usual notation (E.164 normalised, default region DE).

    200: the facts of the customer screen. 300-like ambiguity is returned as 200 with `matches`
    when several accounts share the number. 404: no account or contact has the number.
    422: the number cannot be read as a phone number (letters in it, or no valid number).
    An inside agent finds any account by the caller's number; outside his team's segments the facts
    carry `"read_only": true` and no account URL (docs/permissions.md).
    """
    status, body = _screenpop_answer(request.user, phone)
    return JsonResponse(body, status=status)


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



class TelephonyEventIn(Schema):
    call_id: Line(100)
    event: Choice(TelephonyEventKind)
    at: datetime
    direction: Choice(Direction, extra=tuple(SHORT_DIRECTIONS))
    from_: Line(40) = Field("", alias="from")
    to: Line(40) = ""
    agent: Line(150) = ""


@router.post("/telephony/events", summary="A call event of the phone system", response={
    200: dict, 201: dict, 403: CallError, 409: CallError, 422: CallError})
def telephony_event(request, payload: TelephonyEventIn):
    """One event of a call: ``call_id``, ``event`` (ringing, answered, ended, missed), ``at`` (ISO 8601 with
    offset), ``direction`` (in/out), ``from``, ``to``, ``agent`` (user name or phone extension). docs/telephony.md.

    201: the event was stored: ``call`` (the call's id, account, times); for ``ringing`` of an inbound call also
    ``customer`` (the screen-pop's facts, or null for an unknown number) and ``screen_url``, the customer screen
    for the ringing agent whose call log completes this call. 200: the same event was received before
    (``duplicate``: true), nothing changed. 409: the event contradicts one received before. 422: an invalid value
    (``field`` names it). 403: your role may post events only for calls of your own extension."""
    try:
        result = telephony_event_record(
            call_id=payload.call_id, event=payload.event, at=payload.at, direction=payload.direction,
            from_number=payload.from_, to_number=payload.to, agent=payload.agent, posted_by=request.user)
    except TelephonyError as exc:
        return _bad(exc.status, exc.message, exc.field)
    call = result.call
    body = {"call_id": call.call_id, "event": result.event.event, "duplicate": result.duplicate,
            "call": {"id": call.pk, "account_id": call.account_id, "phone": call.phone,
                     "started_at": call.started_at, "answered_at": call.answered_at, "ended_at": call.ended_at,
                     "wait_seconds": call.wait_seconds, "talk_seconds": call.talk_seconds,
                     "outcome": call.outcome, "agent": call.agent.username if call.agent_id else None},
            "callback_task_id": getattr(result.callback, "pk", None)}
    if result.event.event == TelephonyEventKind.RINGING and DIRECTIONS[payload.direction] == Direction.INBOUND:
        viewer = call.agent or request.user
        everyone = viewer.role == Role.TELEPHONY  # no agent named yet: the facts any inside agent gets
        status, facts = (_screenpop_answer(viewer, call.phone, reach=Account.objects.all() if everyone else None)
                         if call.phone else (404, {}))
        body["customer"] = facts if status == 200 else None
        params = {"phone": call.phone, "call_id": call.call_id} if call.phone else {"call_id": call.call_id}
        body["screen_url"] = request.build_absolute_uri(f"{reverse('calls:screen')}?{urlencode(params)}")
    return Status(200 if result.duplicate else 201, jsonable(body))
