"""Writes on service orders: create, claim, transitions, checklist, rating.

Every status change checks its source state (``choices.TRANSITIONS``), updates the SLA clock and writes an
event in the same transaction, and keeps the order's work-queue task in step (claimed / done / cancelled).
Decision rights, escalation and contract/catalog edits live in their own modules and are re-exported here,
so ``isf.service.services`` is the one entry point for other apps.
"""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.core import business_time as bt
from isf.core.dates import read_date
from isf.core.numbers import NumberParseError, format_number, to_decimal
from isf.core.params import shown
from isf.org.choices import Role
from isf.planning import services as planning
from isf.planning.choices import TaskKind
from isf.planning.models import Task
from isf.planning.priority import priorities_refresh_stale, task_priorities_refresh
from isf.service import clock
from isf.service.choices import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    RUNNING_STATUSES,
    TRANSITIONS,
    EventAction,
    InputType,
    NotificationKind,
    OrderStatus,
    SlaState,
)
from isf.service.decisions import (  # noqa: F401  (re-exported contract)
    DecisionResult,
    active_contract,
    approval_decide,
    approval_request_create,
    decision_check,
    decision_record,
    pending_approval_text,
    pending_approvals_of,
)
from isf.service.errors import ContractError, DecisionRightsError, ServiceOrderError  # noqa: F401
from isf.service.escalation import sla_escalate  # noqa: F401
from isf.service.models import Notification, ServiceCatalogEntry, ServiceOrder, ServiceOrderEvent, ServiceRating
from isf.service.service_levels import service_level_for

WORK_ROLES = {Role.INSIDE_AGENT, Role.INSIDE_LEAD}
#: the transitions the requester hears about in the app: his order is done, or inside sales needs his input
REQUESTER_NOTICES = {OrderStatus.DONE: NotificationKind.ORDER_DONE, OrderStatus.WAITING: NotificationKind.ORDER_WAITING}


def _event(order: ServiceOrder, *, action: str, actor=None, at: datetime, from_status: str = "",
           to_status: str = "", note: str = "") -> ServiceOrderEvent:
    return ServiceOrderEvent.objects.create(order=order, action=action, actor=actor, at=at, from_status=from_status,
                                            to_status=to_status, note=(note or "")[:500])


def _clean_inputs(service: ServiceCatalogEntry, inputs: dict) -> dict:
    if not isinstance(inputs, dict):
        raise ServiceOrderError(_("The order's inputs must be an object of field values."), field="inputs")
    cleaned = {key: value for key, value in inputs.items() if value not in (None, "")}
    for spec in service.input_fields():
        name = spec["name"]
        value = cleaned.get(name)
        if isinstance(value, str):
            value = value.strip()
            cleaned[name] = value
        if spec["required"] and value in (None, ""):
            raise ServiceOrderError(
                _("“%(label)s” is required for %(service)s.") % {"label": spec["label"], "service": service.name},
                field=f"inputs.{name}",
            )
        if value in (None, ""):
            cleaned.pop(name, None)
            continue
        if spec["type"] == InputType.NUMBER:
            try:
                cleaned[name] = str(to_decimal(value))
            except NumberParseError:
                raise ServiceOrderError(
                    _("“%(value)s” in “%(label)s” is not a number as written here (e.g. %(example)s).")
                    % {"value": shown(str(value)), "label": spec["label"], "example": format_number(1234.56, 2)},
                    field=f"inputs.{name}") from None
        elif spec["type"] == InputType.DATE:
            day = read_date(value)
            if day is None:
                raise ServiceOrderError(
                    _("“%(value)s” in “%(label)s” is not a date.") % {"value": shown(str(value)), "label": spec["label"]},
                    field=f"inputs.{name}") from None
            cleaned[name] = day.isoformat()
    return cleaned


def route_team(*, service: ServiceCatalogEntry, account):
    """The inside team of the account's segment, else the service's default team, else the account's team."""
    segment = getattr(account, "segment", None)
    if segment is not None and segment.team_id:
        return segment.team
    return service.default_team or account.team


@transaction.atomic
def service_order_create(*, service, account, requester, inputs: dict, contact=None, note: str = "",
                         source: str = "app", now: datetime | None = None) -> ServiceOrder:
    """Order a service for an account; routes it to a team, starts the SLA clock and queues the task."""
    now = now or timezone.now()
    if service is None:
        raise ServiceOrderError(_("Choose a service."), field="service")
    if account is None:
        raise ServiceOrderError(_("Choose an account."), field="account")
    if not service.active:
        raise ServiceOrderError(_("%(service)s is no longer offered.") % {"service": service.name},
                                field="service")
    if contact is not None and contact.account_id != account.pk:
        raise ServiceOrderError(_("%(contact)s is not a contact of %(account)s.")
                                % {"contact": contact, "account": account.name}, field="contact")
    offered = list(service.segments.values_list("pk", flat=True))
    if offered and account.segment_id not in offered:
        raise ServiceOrderError(
            _("%(service)s is not offered to the segment of %(account)s.")
            % {"service": service.name, "account": account.name}, field="service", rule="catalog.segments")
    cleaned = _clean_inputs(service, inputs or {})
    team = route_team(service=service, account=account)
    contract = active_contract(timezone.localdate(now))
    level = service_level_for(contract=contract, service=service, segment_id=account.segment_id)
    cal = clock.team_calendar(team)
    target = clock.target_seconds(level.value, level.unit, cal)
    fraction = contract.due_soon_fraction if contract else Decimal("0.75")
    due = clock.compute_due(cal, now, target)
    order = ServiceOrder.objects.create(
        service=service, account=account, contact=contact, requester=requester, team=team, contract=contract,
        status=OrderStatus.NEW, inputs=cleaned, note=note, source=source[:20],
        checklist=[{"de": s.get("de", ""), "en": s.get("en", ""), "done_at": None, "done_by": None}
                   for s in service.process_steps],
        created_at=now, target_seconds=target, due_soon_fraction=fraction,
        clock_started_at=bt.next_business_moment(cal, now), clock_resumed_at=now,
        due_at=due, due_soon_at=clock.compute_due(cal, now, float(fraction) * target),
        breach_at=bt.next_business_moment(cal, due), sla_state=SlaState.ON_TRACK,
        segment_id=account.segment_id, sla_value=level.value, sla_unit=level.unit, sla_source=level.source,
    )
    _event(order, action=EventAction.CREATED, actor=requester, at=now, to_status=OrderStatus.NEW, note=note)
    planning.task_create(
        kind=TaskKind.SERVICE_ORDER, title=f"{service.name_de}: {account.name}", due_at=due, account=account,
        title_en=f"{service.name_en or service.name_de}: {account.name}",
        contact=contact, team=team, reason=f"Serviceauftrag {order.number} von {requester}",
        reason_en=f"Service order {order.number} from {requester}", source="service", source_id=str(order.pk),
        url=order.get_absolute_url(), dedupe_key=f"service_order:{order.pk}", actor=requester,
    )
    return order


def _task(order: ServiceOrder) -> Task | None:
    return Task.objects.filter(source="service", source_id=str(order.pk), kind=TaskKind.SERVICE_ORDER).order_by(
        "-pk").first()


def _sync_task(order: ServiceOrder, user) -> None:
    """Keep the queue task in step with the order (claimed / done / cancelled; due time after a pause)."""
    task = _task(order)
    if task is None or not task.is_open:
        return
    if order.status == OrderStatus.DONE:
        planning.task_complete(task=task, user=user, outcome="done", by_workflow=True)
    elif order.status == OrderStatus.REJECTED:
        planning.task_cancel(task=task, reason=f"rejected: {order.reason}", user=user)
    elif order.status == OrderStatus.CANCELLED:
        planning.task_cancel(task=task, reason=f"cancelled: {order.reason}", user=user)
    elif order.assignee_id and task.status == "open" and task.assignee_id in (None, order.assignee_id):
        planning.task_claim(task_id=task.pk, user=order.assignee)
    elif order.assignee_id and task.assignee_id != order.assignee_id:
        # claimed in the queue by someone else: the order's claim is authoritative
        task = planning.task_assign_by_workflow(task=task, assignee=order.assignee, claimed_at=order.claimed_at,
                                                actor=user)
    if order.status in RUNNING_STATUSES and order.due_at and task.due_at != order.due_at and task.is_open:
        planning.task_due_by_workflow(task=task, due_at=order.due_at)
    # waiting pauses the clock, resuming starts it again: the task's rank follows the order's state
    task_priorities_refresh(task_ids=[task.pk])


def _may_work(order: ServiceOrder, user) -> bool:
    if user.role == Role.INSIDE_LEAD:
        return True
    return user.role == Role.INSIDE_AGENT and (order.team_id is None or user.team_id == order.team_id)


def service_order_claim(*, order_id: int, user, now: datetime | None = None) -> ServiceOrder:
    """Claim a new order (new -> accepted). One conditional UPDATE: exactly one claimer wins."""
    now = now or timezone.now()
    with transaction.atomic():
        candidates = ServiceOrder.objects.filter(pk=order_id, status=OrderStatus.NEW, assignee__isnull=True)
        if user.role != Role.INSIDE_LEAD:
            candidates = candidates.filter(Q(team__isnull=True) | Q(team_id=user.team_id)) if (
                user.role == Role.INSIDE_AGENT) else candidates.none()
        won = candidates.update(status=OrderStatus.ACCEPTED, assignee=user, claimed_at=now)
        order = ServiceOrder.objects.select_related("team", "assignee").filter(pk=order_id).first()
        if order is None:
            raise ServiceOrderError(_("The order does not exist."), field="order")
        if not won:
            if not _may_work(order, user):
                raise ServiceOrderError(_("Only inside sales of %(team)s can claim this order.")
                                        % {"team": order.team}, rule="claim.team")
            if order.assignee_id:
                raise ServiceOrderError(_("Already claimed by %(user)s.") % {"user": order.assignee},
                                        field="status", rule="claim.once")
            raise ServiceOrderError(_("A %(status)s order cannot be claimed.")
                                    % {"status": order.get_status_display()}, field="status", rule="claim.once")
        _event(order, action=EventAction.TRANSITION, actor=user, at=now, from_status=OrderStatus.NEW,
               to_status=OrderStatus.ACCEPTED)
        _sync_task(order, user)
    return order


def service_order_claim_next(*, user, now: datetime | None = None) -> ServiceOrder | None:
    """Claim the next unclaimed order of the user's team: the highest priority (the rank of its queue task, as on
    the order list), then the earliest due. Skips rows other workers hold."""
    from isf.service.selectors import ranked

    priorities_refresh_stale()
    while True:
        with transaction.atomic():
            qs = ServiceOrder.objects.filter(status=OrderStatus.NEW, assignee__isnull=True)
            if user.role != Role.INSIDE_LEAD:
                qs = qs.filter(team_id=user.team_id)
            candidate = (ranked(qs).order_by(F("rank").desc(nulls_last=True), "due_at", "pk")
                         .select_for_update(skip_locked=True).values_list("pk", flat=True))
            candidate = candidate.first()
            if candidate is None:
                if not qs.exists():
                    return None
                continue  # all remaining rows are locked by other workers right now: look again
        try:
            return service_order_claim(order_id=candidate, user=user, now=now)
        except ServiceOrderError as exc:
            if exc.rule != "claim.once":
                raise


def _check_transition(order: ServiceOrder, user, to: str, *, note: str, reason: str) -> None:
    if to not in TRANSITIONS:
        raise ServiceOrderError(_("'%(to)s' is not a status an order can be moved to.") % {"to": to},
                                field="status", rule="workflow")
    if order.status not in TRANSITIONS[to]:
        allowed = ", ".join(str(OrderStatus(s).label) for s in TRANSITIONS[to])
        raise ServiceOrderError(
            _("%(source)s → %(target)s is not allowed (workflow rule: %(target)s only from %(allowed)s).")
            % {"source": order.get_status_display(), "target": OrderStatus(to).label, "allowed": allowed},
            field="status", rule="workflow")
    if to == OrderStatus.CANCELLED:
        if user.pk != order.requester_id:
            raise ServiceOrderError(_("Only the requester (%(user)s) can cancel the order.")
                                    % {"user": order.requester}, field="status", rule="cancel.requester")
        return
    if to == OrderStatus.REJECTED and not reason.strip():
        raise ServiceOrderError(_("A reason is required to reject an order."), field="reason",
                                rule="reject.reason")
    if to == OrderStatus.WAITING and not note.strip():
        raise ServiceOrderError(_("Say what you need from the requester."), field="note", rule="waiting.note")
    if not _may_work(order, user):
        raise ServiceOrderError(_("Only inside sales of %(team)s can work this order.") % {"team": order.team},
                                field="status", rule="work.team")
    if to != OrderStatus.REJECTED and order.assignee_id != user.pk and user.role != Role.INSIDE_LEAD:
        raise ServiceOrderError(_("The order is assigned to %(user)s.") % {"user": order.assignee},
                                field="status", rule="work.assignee")
    if to == OrderStatus.DONE:
        pending = pending_approvals_of(order)
        if pending:
            raise ServiceOrderError(
                _("The order cannot be completed while it waits for an approval: %(what)s.")
                % {"what": "; ".join(pending_approval_text(d) for d in pending)},
                field="status", rule="approval.pending")
        for index, step in enumerate(order.checklist, start=1):
            if not step.get("done_at"):
                raise ServiceOrderError(
                    _("Step %(n)s '%(step)s' is not ticked off.") % {"n": index, "step": step.get("de")},
                    field="checklist", rule="process.checklist")


def service_order_transition(*, order: ServiceOrder, user, to: str, note: str = "", reason: str = "",
                             now: datetime | None = None) -> ServiceOrder:
    """Move an order along the workflow; checks the source state and rule, updates the clock, writes the event."""
    now = now or timezone.now()
    if to == OrderStatus.ACCEPTED:
        return service_order_claim(order_id=order.pk, user=user, now=now)
    with transaction.atomic():
        order = ServiceOrder.objects.select_for_update(of=("self",)).select_related("team").get(pk=order.pk)
        _check_transition(order, user, to, note=note, reason=reason)
        source = order.status
        cal = clock.team_calendar(order.team)
        if source in RUNNING_STATUSES and to not in RUNNING_STATUSES:
            reading = clock.read_clock(order, now, cal)
            order.business_seconds_elapsed = reading.elapsed
            order.sla_state = reading.state
            order.clock_resumed_at = None
        if source == OrderStatus.WAITING and to == OrderStatus.IN_PROGRESS:
            events = list(order.events.filter(action=EventAction.TRANSITION).order_by("at", "pk"))
            pauses = clock.pauses_from_events(events, now)
            order.clock_resumed_at = now
            order.due_at = clock.compute_due(cal, order.created_at, order.target_seconds, pauses)
            order.due_soon_at = clock.compute_due(cal, order.created_at,
                                                  float(order.due_soon_fraction) * order.target_seconds, pauses)
            order.breach_at = bt.next_business_moment(cal, order.due_at)
        order.status = to
        if to in FINAL_STATUSES:
            order.completed_at = now
        if reason:
            order.reason = reason[:300]
        order.save()
        _event(order, action=EventAction.TRANSITION, actor=user, at=now, from_status=source, to_status=to,
               note=reason or note)
        _sync_task(order, user)
        if to in REQUESTER_NOTICES and order.requester_id != user.pk:
            tail = f"{order.account.name}{': ' + note if note else ''}"
            Notification.objects.create(recipient=order.requester, order=order, kind=REQUESTER_NOTICES[to],
                                        message=f"{order.number} · {order.service.name_de} · {tail}"[:300],
                                        message_en=f"{order.number} · {order.service.name_en} · {tail}"[:300],
                                        created_at=now)
    return order


@transaction.atomic
def service_order_step_set(*, order: ServiceOrder, user, index: int, done: bool,
                           now: datetime | None = None) -> ServiceOrder:
    """Tick (or untick) a process step of the order's checklist."""
    now = now or timezone.now()
    order = ServiceOrder.objects.select_for_update().get(pk=order.pk)
    if order.status not in (OrderStatus.ACCEPTED, OrderStatus.IN_PROGRESS, OrderStatus.WAITING):
        raise ServiceOrderError(_("Steps can only be ticked while the order is being worked."),
                                field="checklist", rule="process.checklist")
    if order.assignee_id != user.pk and user.role != Role.INSIDE_LEAD:
        raise ServiceOrderError(_("The order is assigned to %(user)s.") % {"user": order.assignee},
                                field="checklist", rule="work.assignee")
    if not 0 <= index < len(order.checklist):
        raise ServiceOrderError(_("There is no step %(n)s.") % {"n": index + 1}, field="checklist")
    steps = [dict(step) for step in order.checklist]
    steps[index]["done_at"] = now.isoformat() if done else None
    steps[index]["done_by"] = str(user) if done else None
    order.checklist = steps
    # the checklist is not part of the audit history (the events record each tick)
    ServiceOrder.objects.filter(pk=order.pk).update(checklist=steps)
    _event(order, action=EventAction.STEP, actor=user, at=now,
           note=("✓ " if done else "✗ ") + steps[index].get("de", ""))
    return order


@transaction.atomic
def service_order_rate(*, order: ServiceOrder, user, score: int, comment: str = "",
                       now: datetime | None = None) -> ServiceRating:
    """The requester rates a completed order once (1-5 and a comment)."""
    now = now or timezone.now()
    order = ServiceOrder.objects.select_for_update().get(pk=order.pk)
    if user.pk != order.requester_id:
        raise ServiceOrderError(_("Only the requester (%(user)s) can rate this order.")
                                % {"user": order.requester}, field="rating", rule="rating.requester")
    if order.status != OrderStatus.DONE:
        raise ServiceOrderError(_("Only a completed order can be rated."), field="rating", rule="rating.done")
    if ServiceRating.objects.filter(order=order).exists():
        raise ServiceOrderError(_("This order has already been rated."), field="rating", rule="rating.once")
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ServiceOrderError(_("The rating must be a whole number from 1 to 5."), field="score")
    rating = ServiceRating.objects.create(order=order, score=score, comment=comment.strip(), rated_by=user,
                                          rated_at=now)
    _event(order, action=EventAction.RATED, actor=user, at=now, note=f"{score}/5 {comment}".strip())
    if score == 5:  # a delighted customer: the moment to ask for a referral (the care matrix says whether)
        from isf.planning.choices import TriggerEvent
        from isf.planning.referrals import referral_ask_after

        referral_ask_after(account=order.account, event=TriggerEvent.TOP_RATING, ref=rating.pk,
                           day=timezone.localdate(now), number=order.number, actor=user)
    return rating


def open_statuses() -> tuple[str, ...]:
    return OPEN_STATUSES


def notification_send(*, recipient, kind: str, message: str, order=None, now: datetime | None = None) -> Notification:
    """An in-app notification to one person, for other apps (the capture of needs, potentials and contacts tells the
    account's field rep)."""
    return Notification.objects.create(recipient=recipient, order=order, kind=kind, message=message[:300],
                                       created_at=now or timezone.now())
