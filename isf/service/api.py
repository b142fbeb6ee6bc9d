"""API: service orders (create, list with filters, detail with clock and events, transitions)."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from isf.api.pagination import Pages
from isf.api.types import Choice, Line, ModelText, Text
from isf.core.params import QueryParams
from isf.core.text import LONG_TEXT_MAX
from isf.customers.models import Contact
from isf.customers.selectors import accounts_visible_to
from isf.service import clock, selectors, services
from isf.service.choices import EventAction, OrderStatus, SlaSource, SlaState
from isf.service.errors import ServiceOrderError
from isf.service.models import ServiceCatalogEntry, ServiceOrder, ServiceOrderEvent

router = Router(tags=["service orders"])


class EventOut(Schema):
    at: datetime
    actor: str | None
    action: Choice(EventAction)
    from_status: Choice(OrderStatus, blank=True)
    to_status: Choice(OrderStatus, blank=True)
    note: str


class OrderOut(Schema):
    id: int
    number: str
    service: str
    service_name: str
    account_id: int
    account: str
    contact_id: int | None
    requester: str
    team: str | None
    assignee: str | None
    status: Choice(OrderStatus)
    inputs: dict
    note: str
    source: str
    created_at: datetime
    clock_started_at: datetime
    completed_at: datetime | None
    due_at: datetime | None
    sla_state: Choice(SlaState)
    target_business_seconds: int
    business_seconds_elapsed: float
    sla_hours: float
    sla_source: Choice(SlaSource, blank=True)
    segment: str | None

    @staticmethod
    def resolve_service(obj):
        return obj.service.code

    @staticmethod
    def resolve_service_name(obj):
        return obj.service.name

    @staticmethod
    def resolve_account(obj):
        return obj.account.name

    @staticmethod
    def resolve_requester(obj):
        return obj.requester.username

    @staticmethod
    def resolve_team(obj):
        return obj.team.code if obj.team_id else None

    @staticmethod
    def resolve_assignee(obj):
        return obj.assignee.username if obj.assignee_id else None

    @staticmethod
    def resolve_target_business_seconds(obj):
        return obj.target_seconds

    @staticmethod
    def resolve_sla_hours(obj):
        return obj.sla_hours

    @staticmethod
    def resolve_segment(obj):
        return obj.segment.code if obj.segment_id else None

    @staticmethod
    def resolve_sla_state(obj, context):
        return _reading(obj, context).state

    @staticmethod
    def resolve_business_seconds_elapsed(obj, context):
        return round(_reading(obj, context).elapsed, 1)


class OrderDetailOut(OrderOut):
    checklist: list[dict]
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj):
        return [EventOut(at=e.at, actor=e.actor.username if e.actor_id else None, action=e.action,
                         from_status=e.from_status, to_status=e.to_status, note=e.note)
                for e in obj.events.select_related("actor")]


def _reading(order, context=None):
    """Clock reading of an order, with the company closing days read once per request."""
    cached = getattr(order, "_reading", None)
    if cached is None:
        request = (context or {}).get("request")
        closing = getattr(request, "_svc_closing_days", None)
        if closing is None:
            closing = clock.company_closing_days()
            if request is not None:
                request._svc_closing_days = closing
        cached = clock.read_clock(order, timezone.now(), clock.team_calendar(order.team, closing))
        order._reading = cached
    return cached


class OrderIn(Schema):
    service: Line(30)
    account_id: int
    contact_id: int | None = None
    inputs: dict = {}
    note: Text(LONG_TEXT_MAX) = ""


class TransitionIn(Schema):
    status: Choice(OrderStatus) | None = None
    target: Choice(OrderStatus) | None = None
    note: ModelText(ServiceOrderEvent, "note") = ""
    reason: ModelText(ServiceOrder, "reason") = ""


class ErrorOut(Schema):
    message: str
    field: str = ""
    rule: str = ""


def _error(exc: ServiceOrderError, status: int = 400):
    return Status(status, {"message": exc.message, "field": exc.field, "rule": exc.rule})


@router.post("/service-orders", response={201: OrderDetailOut, 400: ErrorOut, 404: ErrorOut})
def create_order(request, payload: OrderIn):
    service = ServiceCatalogEntry.objects.filter(code=payload.service).first()
    if service is None:
        return Status(400, {"message": f"service: unknown service code '{payload.service}'", "field": "service"})
    account = accounts_visible_to(request.user).filter(pk=payload.account_id).select_related("segment__team").first()
    if account is None:
        return Status(404, {"message": f"account: no account {payload.account_id} visible to you", "field": "account_id"})
    contact = None
    if payload.contact_id:
        contact = Contact.objects.filter(pk=payload.contact_id).first()
        if contact is None:
            return Status(400, {"message": f"contact: no contact {payload.contact_id}", "field": "contact_id"})
    try:
        order = services.service_order_create(service=service, account=account, requester=request.user,
                                              inputs=payload.inputs, contact=contact, note=payload.note, source="api")
    except ServiceOrderError as exc:
        return _error(exc)
    return Status(201, order)


@router.get("/service-orders", response=list[OrderOut])
@paginate(Pages, page_size=50)
def list_orders(request, status: Choice(OrderStatus, blank=True, extra=("open",)) = "", team: str = "",
                account: int | None = None, requester: str = "", sla_state: Choice(SlaState, blank=True) = ""):
    """Filters as on the order list page (``team``: code or id, ``requester``: id or user name); an unknown value
    is refused with 400 ``{"message", "field"}``."""
    filters = selectors.order_list_filters(QueryParams(request.GET, strict=True), request.user, page_defaults=False)
    return selectors.order_list(user=request.user, filters=filters)


@router.get("/service-orders/{order_id}", response=OrderDetailOut)
def get_order(request, order_id: int):
    qs = selectors.orders_visible_to(request.user).select_related(*selectors.ORDER_RELATED)
    return get_object_or_404(qs, pk=order_id)


@router.post("/service-orders/{order_id}/transitions", response={200: OrderDetailOut, 400: ErrorOut, 409: ErrorOut})
def transition_order(request, order_id: int, payload: TransitionIn):
    order = get_object_or_404(selectors.orders_visible_to(request.user), pk=order_id)
    target = payload.status or payload.target
    if not target:
        return Status(400, {"message": "status: give the target status", "field": "status"})
    try:
        order = services.service_order_transition(order=order, user=request.user, to=target, note=payload.note,
                                                  reason=payload.reason)
    except ServiceOrderError as exc:
        return _error(exc, 409 if exc.rule in {"workflow", "claim.once", "approval.pending"} else 400)
    return Status(200, ServiceOrder.objects.select_related(*selectors.ORDER_RELATED).get(pk=order.pk))


@router.post("/service-orders/{order_id}/steps/{index}", response={200: OrderDetailOut, 400: ErrorOut})
def tick_step(request, order_id: int, index: int, done: bool = True):
    """Tick (done=true) or untick process step ``index`` (1-based) of the order's checklist."""
    order = get_object_or_404(selectors.orders_visible_to(request.user), pk=order_id)
    try:
        services.service_order_step_set(order=order, user=request.user, index=index - 1, done=done)
    except ServiceOrderError as exc:
        return _error(exc)
    return Status(200, ServiceOrder.objects.select_related(*selectors.ORDER_RELATED).get(pk=order.pk))

