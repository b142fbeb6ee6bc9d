"""Decision rights: what inside sales may decide alone under the service contract, and approval requests.

Within the delegated limits (e.g. discount up to 5 %) inside sales decides alone; above them the decision
becomes an approval request to the account's owner (the field rep). Both are recorded as ``Decision`` rows.
Requests may come from an order or from elsewhere (``source``/``source_id``): the goodwill of a complaint
(``source="complaint"``) is answered back to the complaint in the same transaction as the decision.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from isf.core.language import in_both
from isf.core.numbers import NumberParseError, format_number, to_decimal
from isf.core.params import shown
from isf.customers.owners import owner_side
from isf.org.choices import Role
from isf.planning import services as planning
from isf.planning.choices import TaskKind
from isf.planning.models import Task
from isf.service.choices import DecisionKind, DecisionStatus, EventAction, NotificationKind
from isf.service.errors import DecisionRightsError, ServiceOrderError
from isf.service.models import Decision, Notification, ServiceContract, ServiceOrderEvent

#: decision kind -> (keyword of decision_check, contract limit field, unit)
LIMITS = {
    DecisionKind.DISCOUNT: ("discount_percent", "max_discount_percent", "%"),
    DecisionKind.GOODWILL: ("goodwill_eur", "max_goodwill_eur", "EUR"),
    DecisionKind.PAYMENT_TERM: ("payment_term_days", "max_payment_term_days", gettext_lazy("days")),
}


@dataclass(frozen=True)
class DecisionResult:
    within_rights: bool
    reasons: list[str] = field(default_factory=list)


def active_contract(on: date | None = None) -> ServiceContract | None:
    """The contract in force on a day: accepted by both leads, valid then, highest version."""
    on = on or timezone.localdate()
    return (
        ServiceContract.objects.filter(valid_from__lte=on, valid_to__gte=on, accepted_by_vl__isnull=False,
                                       accepted_by_idl__isnull=False)
        .order_by("-version", "-pk")
        .first()
    )


def _label(name: str) -> str:
    """How messages name a decision value: its kind's label in the page language (``Discount (%)``)."""
    return next((str(kind.label) for kind, (key, _f, _u) in LIMITS.items() if key == name), name)


def _decimal(value, name: str) -> Decimal:
    try:
        result = to_decimal(value)
    except NumberParseError:
        raise ServiceOrderError(_("“%(value)s” in “%(label)s” is not a number as written here (e.g. %(example)s).")
                                % {"value": shown(str(value)), "label": _label(name),
                                   "example": format_number(1234.56, 2)}, field=name) from None
    if result < 0:
        raise ServiceOrderError(_("“%(label)s” must not be negative.") % {"label": _label(name)}, field=name)
    return result


def decision_check(*, contract=None, discount_percent=None, goodwill_eur=None,
                   payment_term_days=None) -> DecisionResult:
    """Whether the given values are within the decision rights delegated to inside sales."""
    contract = contract or active_contract()
    values = {"discount_percent": discount_percent, "goodwill_eur": goodwill_eur,
              "payment_term_days": payment_term_days}
    given = {name: _decimal(value, name) for name, value in values.items() if value not in (None, "")}
    if not given:
        return DecisionResult(True, [])
    if contract is None:
        return DecisionResult(False, [_("No accepted service contract is in force, so the owner decides.")])
    reasons = []
    for name, limit_field, unit in LIMITS.values():
        if name in given:
            limit = Decimal(getattr(contract, limit_field))
            if given[name] > limit:
                reasons.append(
                    _("%(label)s %(value)s exceeds the decision rights of inside sales (maximum "
                      "%(limit)s %(unit)s, contract %(contract)s).")
                    % {"label": _label(name), "value": _fmt(given[name]), "unit": unit, "limit": _fmt(limit),
                       "contract": contract})
    return DecisionResult(not reasons, reasons)


def _fmt(value: Decimal) -> str:
    """A value in the page language, with its decimals and no trailing zeros: 1.500 / 2,5."""
    digits = max(-value.normalize().as_tuple().exponent, 0)
    return format_number(value, digits)


def _approver(account):
    from isf.customers.owners import responsible_for
    from isf.org.models import User

    owner = responsible_for(account)  # the field rep, or the lead of the inside team that owns the account
    if owner is not None:
        return owner
    return User.objects.filter(role=Role.SALES_LEAD, is_active=True).order_by("pk").first()


def pending_approvals_of(order) -> list[Decision]:
    """The order's decisions still waiting for the owner's answer, oldest first (with the approver)."""
    return list(order.decisions.filter(status=DecisionStatus.PENDING).select_related("approver").order_by("created_at", "pk"))


def pending_approval_text(decision: Decision) -> str:
    """'Discount (%) 12 (limit 5) – decided by Anna Huber (owner of the account)': what the order waits for, who
    decides, in the active language."""
    what = f"{decision.get_kind_display()} {_fmt(decision.value)}"
    if decision.limit is not None:
        what += " " + _("(limit %(limit)s)") % {"limit": _fmt(decision.limit)}
    account = decision.account
    if decision.approver_id == account.owner_id:
        role = _("owner of the account")
    elif account.owner_team_id and decision.approver.role == Role.INSIDE_LEAD:
        role = _("lead of the inside team that owns the account")
    else:
        role = _("sales lead")
    return _("%(what)s – decided by %(approver)s (%(role)s)") % {"what": what, "approver": decision.approver,
                                                                  "role": role}


@transaction.atomic
def approval_request_create(*, account, requested_by, kind: str, value, reason: str = "", order=None,
                            contract=None, source: str = "service", source_id: str = "",
                            now: datetime | None = None) -> Decision:
    """Ask the account's owner (field rep, or the lead of the owning inside team; the sales lead if there is none)
    to approve a decision."""
    now = now or timezone.now()
    if kind not in DecisionKind.values:
        raise ServiceOrderError(_("“%(kind)s” is not a kind of decision.") % {"kind": shown(str(kind))}, field="kind")
    name, limit_field, _unit = LIMITS[DecisionKind(kind)]
    amount = _decimal(value, name)
    contract = contract or active_contract(timezone.localdate(now))
    approver = _approver(account)
    if approver is None:
        raise ServiceOrderError(_("%(account)s has no owner and there is no sales lead to approve.")
                                % {"account": account.name}, field="approver")
    decision = Decision.objects.create(
        order=order, account=account, contract=contract, kind=kind, value=amount,
        limit=getattr(contract, limit_field) if contract else None, status=DecisionStatus.PENDING,
        reason=reason[:500], requested_by=requested_by, approver=approver, source=source,
        source_id=str(source_id or (order.pk if order else "")), created_at=now,
    )
    label = DecisionKind(kind).label
    with translation.override("en"):
        label_en = str(DecisionKind(kind).label)
    amount_de, amount_en = in_both(lambda: _fmt(amount))  # 1.500 in the German title, 1,500 in the English one
    url = order.get_absolute_url() if order else ""
    planning.task_create(
        kind=TaskKind.APPROVAL, title=f"Freigabe: {label} {amount_de} – {account.name}",
        title_en=f"Approval: {label_en} {amount_en} – {account.name}",
        due_at=now + timedelta(days=2), account=account, assignee=approver, side=owner_side(approver),
        reason=reason or f"Angefragt von {requested_by}", reason_en=reason or f"Requested by {requested_by}",
        source="service", source_id=f"decision:{decision.pk}", dedupe_key=f"approval:{decision.pk}",
        url=url or f"/service/approvals/{decision.pk}/", actor=requested_by,
    )
    if order is not None:
        ServiceOrderEvent.objects.create(order=order, action=EventAction.DECISION, actor=requested_by, at=now,
                                         note=f"{label} {_fmt(amount)}: Freigabe bei {approver} angefragt")
    if approver.pk != getattr(requested_by, "pk", None):
        message, message_en = in_both(lambda: f"{DecisionKind(kind).label} {_fmt(amount)} – {account.name}")
        Notification.objects.create(recipient=approver, order=order, kind=NotificationKind.APPROVAL_REQUESTED,
                                    message=message[:300], message_en=message_en[:300], created_at=now)
    return decision


@transaction.atomic
def decision_record(*, order, user, kind: str, value, reason: str = "", request_approval: bool = False,
                    now: datetime | None = None) -> Decision:
    """Record a decision on an order: within rights it stands; above them it needs ``request_approval``."""
    now = now or timezone.now()
    if kind not in DecisionKind.values:
        raise ServiceOrderError(_("“%(kind)s” is not a kind of decision.") % {"kind": shown(str(kind))}, field="kind")
    if user.role not in (Role.INSIDE_AGENT, Role.INSIDE_LEAD):
        raise ServiceOrderError(_("Only inside sales records decisions on an order."), rule="decision.role")
    name, limit_field, _unit = LIMITS[DecisionKind(kind)]
    contract = order.contract or active_contract(timezone.localdate(now))
    result = decision_check(contract=contract, **{name: value})
    if not result.within_rights:
        if not request_approval:
            raise DecisionRightsError(" ".join(result.reasons) + " " + _("Request the owner's approval."),
                                      field=name, rule="decision_rights")
        return approval_request_create(account=order.account, requested_by=user, kind=kind, value=value,
                                       reason=reason, order=order, contract=contract, now=now)
    amount = _decimal(value, name)
    decision = Decision.objects.create(
        order=order, account=order.account, contract=contract, kind=kind, value=amount,
        limit=getattr(contract, limit_field), status=DecisionStatus.WITHIN_RIGHTS, reason=reason[:500],
        requested_by=user, source="service", source_id=str(order.pk), created_at=now, decided_at=now,
    )
    ServiceOrderEvent.objects.create(order=order, action=EventAction.DECISION, actor=user, at=now,
                                     note=f"{DecisionKind(kind).label} {_fmt(amount)}: im Rahmen der "
                                          f"Entscheidungskompetenzen")
    return decision


@transaction.atomic
def approval_decide(*, decision: Decision, user, approve: bool, note: str = "",
                    now: datetime | None = None) -> Decision:
    """The owner (or the sales lead) approves or declines a pending request."""
    now = now or timezone.now()
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != DecisionStatus.PENDING:
        raise ServiceOrderError(_("This decision is already %(status)s.") % {"status": decision.get_status_display()},
                                field="status", rule="approval.once")
    if user.pk != decision.approver_id and user.role != Role.SALES_LEAD:
        raise ServiceOrderError(_("Only %(user)s (owner of the account) can decide.")
                                % {"user": decision.approver}, rule="approval.owner")
    decision.status = DecisionStatus.APPROVED if approve else DecisionStatus.DECLINED
    decision.decided_at = now
    decision.decision_note = note[:500]
    decision.save()
    for task in Task.objects.filter(dedupe_key=f"approval:{decision.pk}", status__in=("open", "claimed")):
        planning.task_complete(task=task, user=user, outcome="approved" if approve else "declined", note=note,
                               by_workflow=True)
    text = f"{decision.get_kind_display()} {_fmt(decision.value)}: {decision.get_status_display()}"
    if decision.order_id:
        ServiceOrderEvent.objects.create(order=decision.order, action=EventAction.DECISION, actor=user, at=now,
                                         note=f"{text} {note}".strip())
    if decision.requested_by_id:
        message, message_en = in_both(lambda: f"{decision.get_kind_display()} {_fmt(decision.value)}: "
                                              f"{decision.get_status_display()}")
        Notification.objects.create(recipient=decision.requested_by, order=decision.order, message=message[:300],
                                    message_en=message_en[:300], kind=NotificationKind.APPROVAL_ANSWERED,
                                    created_at=now)
    if decision.source == "complaint":  # a complaint's goodwill (campaigns) waits for this answer
        from isf.campaigns.services.complaints import complaint_goodwill_decided

        complaint_goodwill_decided(decision=decision, user=user, note=note, now=now)
    return decision
