"""Sales-active complaints: goodwill within decision rights, owner approval, satisfaction call.

Goodwill is a decision of the service firm (``isf.service.decisions``): the limit is the one of the
service contract in force, and goodwill above it becomes the service firm's approval request to the
account's owner. When the owner answers there, ``approval_decide`` calls ``complaint_goodwill_decided``.
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.campaigns.choices import (
    ComplaintCategory,
    ComplaintStatus,
    GoodwillStatus,
    LeadSource,
    Satisfaction,
    Severity,
)
from isf.campaigns.clock import add_business_days
from isf.campaigns.errors import CampaignsError
from isf.campaigns.models import Complaint, ComplaintEvent
from isf.core.numbers import format_eur
from isf.core.params import shown
from isf.core.text import model_text_problem
from isf.customers.models import Order
from isf.planning.choices import TaskKind
from isf.planning.services import task_create, tasks_close_by_key
from isf.service.choices import DecisionKind, DecisionStatus
from isf.service.decisions import active_contract, approval_request_create, decision_check
from isf.service.errors import ServiceOrderError

SATISFACTION_CALL_BUSINESS_DAYS = 2
#: ``Decision.source`` of the goodwill approval requests of complaints (``source_id`` is the complaint's pk)
DECISION_SOURCE = "complaint"


def _event(complaint: Complaint, old: str, new: str, actor=None, note: str = "") -> None:
    ComplaintEvent.objects.create(complaint=complaint, from_status=old, to_status=new, actor=actor, note=note[:500])


MONEY_MAX = Decimal("99999999.99")  # a stored amount: 10 digits, 2 of them cents


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0").replace(",", ".")).quantize(Decimal("0.01"))
        if amount.is_nan():
            raise InvalidOperation
    except InvalidOperation:  # not a number, infinite, or too long to round to cents
        raise CampaignsError(
            _("'%(value)s' is not an amount.") % {"field": field, "value": shown(str(value))}, field
        ) from None
    if amount < 0:
        raise CampaignsError(_("The goodwill amount must not be negative."), field)
    if amount > MONEY_MAX:
        raise CampaignsError(_("The goodwill amount must not exceed %(max)s.") % {"max": format_eur(MONEY_MAX, 2)}, field)
    return amount


@transaction.atomic
def complaint_create(
    *, account, category: str, description: str, user, severity: str = Severity.MEDIUM, order_number: str = ""
) -> Complaint:
    if category not in ComplaintCategory.values:
        raise CampaignsError(_("Unknown category %(category)s.") % {"category": repr(category)}, "category")
    if severity not in Severity.values:
        raise CampaignsError(_("Unknown severity %(severity)s.") % {"severity": repr(severity)}, "severity")
    if not description.strip():
        raise CampaignsError(_("Describe the complaint."), "description")
    if (problem := model_text_problem(Complaint, "description", description.strip())) is not None:
        raise CampaignsError(f"description: {problem}", "description")
    order = None
    if order_number.strip():
        order = Order.objects.filter(number=order_number.strip(), account=account).first()
        if order is None:
            raise CampaignsError(
                _("Order %(strip)s does not belong to %(account_name)s.")
                % {"strip": order_number.strip(), "account_name": account.name},
                "order",
            )
    complaint = Complaint.objects.create(
        account=account,
        order=order,
        category=category,
        severity=severity,
        description=description.strip(),
        created_by=user,
    )
    _event(complaint, "", ComplaintStatus.OPEN, user)
    return complaint


def _satisfaction_task(complaint: Complaint, now: datetime, actor=None) -> None:
    account = complaint.account
    task_create(
        kind=TaskKind.SATISFACTION_CALL,
        title=f"Zufriedenheitsanruf: {account.name}",
        title_en=f"Satisfaction call: {account.name}",
        due_at=add_business_days(now, SATISFACTION_CALL_BUSINESS_DAYS, team=account.team),
        account=account,
        team=account.team,
        assignee=None if account.team_id else complaint.created_by,
        reason="Reklamation gelöst: Zufriedenheit erfragen, Cross-Selling oder Empfehlung ansprechen",
        reason_en="Complaint resolved: ask about satisfaction, open a cross-sell or ask for a referral",
        source="campaigns",
        source_id=str(complaint.pk),
        dedupe_key=f"complaint:{complaint.pk}:satisfaction",
        url=complaint.get_absolute_url(),
        actor=actor,
    )


def _referral_ask(complaint: Complaint, now: datetime, actor) -> None:
    """A solved complaint: the moment to ask for a referral (the care matrix says whether)."""
    from isf.planning.choices import TriggerEvent
    from isf.planning.referrals import referral_ask_after

    referral_ask_after(account=complaint.account, event=TriggerEvent.COMPLAINT_SOLVED, ref=complaint.pk,
                       day=timezone.localdate(now), actor=actor)


@transaction.atomic
def complaint_resolve(
    *, complaint: Complaint, resolution: str, user, goodwill_eur=0, now: datetime | None = None
) -> Complaint:
    """Resolve; goodwill above the decision rights waits for the owner's approval instead."""
    now = now or timezone.now()
    complaint = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("account", "account__owner")
        .get(pk=complaint.pk)
    )
    if complaint.status != ComplaintStatus.OPEN:
        raise CampaignsError(
            _("The complaint is %(complaint_get_status_display)s, not open.")
            % {"complaint_get_status_display": complaint.get_status_display()},
            "status",
        )
    if not resolution.strip():
        raise CampaignsError(_("Describe the resolution."), "resolution")
    if (problem := model_text_problem(Complaint, "resolution", resolution.strip())) is not None:
        raise CampaignsError(f"resolution: {problem}", "resolution")
    amount = _money(goodwill_eur, "goodwill_eur")
    complaint.resolution = resolution.strip()
    complaint.goodwill_eur = amount
    old = complaint.status
    if amount == 0:
        complaint.goodwill_status = GoodwillStatus.NONE
    else:
        contract = active_contract(timezone.localdate(now))
        check = decision_check(contract=contract, goodwill_eur=amount)
        complaint.goodwill_limit_eur = contract.max_goodwill_eur if contract is not None else None
        if not check.within_rights:
            complaint.goodwill_status = GoodwillStatus.PENDING
            complaint.status = ComplaintStatus.AWAITING_APPROVAL
            complaint.save()
            _event(complaint, old, complaint.status, user, "; ".join(str(r) for r in check.reasons))
            try:
                approval_request_create(
                    account=complaint.account,
                    requested_by=user,
                    kind=DecisionKind.GOODWILL,
                    value=amount,
                    reason=f"{complaint.description} → {complaint.resolution}"[:500],
                    contract=contract,
                    source=DECISION_SOURCE,
                    source_id=str(complaint.pk),
                    now=now,
                )
            except ServiceOrderError as exc:  # e.g. nobody may approve: nothing of this resolution is kept
                raise CampaignsError(exc.message, "goodwill_eur") from exc
            return complaint
        complaint.goodwill_status = GoodwillStatus.WITHIN_RIGHTS
    complaint.status = ComplaintStatus.RESOLVED
    complaint.resolved_at = now
    complaint.save()
    _event(complaint, old, complaint.status, user)
    _satisfaction_task(complaint, now, user)
    _referral_ask(complaint, now, user)
    return complaint


@transaction.atomic
def complaint_goodwill_decided(*, decision, user, note: str = "", now: datetime | None = None) -> Complaint | None:
    """The owner answered the goodwill approval request of a complaint (called by the service firm's
    ``approval_decide`` in its transaction): approved goodwill applies, a declined one is recorded;
    either way the complaint is resolved and the satisfaction call scheduled."""
    if decision.source != DECISION_SOURCE or not str(decision.source_id).isdigit():
        return None
    if decision.status not in (DecisionStatus.APPROVED, DecisionStatus.DECLINED):
        raise CampaignsError(_("The approval request is not decided yet."), "status")
    now = now or timezone.now()
    complaint = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("account")
        .filter(pk=int(decision.source_id))
        .first()
    )
    if complaint is None or complaint.status != ComplaintStatus.AWAITING_APPROVAL:
        return complaint  # nothing waits for this answer
    approved = decision.status == DecisionStatus.APPROVED
    old = complaint.status
    complaint.goodwill_status = GoodwillStatus.APPROVED if approved else GoodwillStatus.REJECTED
    if not approved and note.strip():
        complaint.resolution = f"{complaint.resolution}\n{note.strip()}".strip()
    complaint.status = ComplaintStatus.RESOLVED
    complaint.resolved_at = now
    complaint.save()
    _event(complaint, old, complaint.status, user, note.strip() or ("approved" if approved else "rejected"))
    _satisfaction_task(complaint, now, user)
    _referral_ask(complaint, now, user)
    return complaint


@transaction.atomic
def complaint_satisfaction_record(
    *,
    complaint: Complaint,
    user,
    satisfied: bool,
    note: str = "",
    cross_sell: str = "",
    referral: dict | None = None,
    now: datetime | None = None,
) -> Complaint:
    """Close after the satisfaction call; a satisfied customer may open a cross-sell or give a referral."""
    now = now or timezone.now()
    complaint = Complaint.objects.select_for_update(of=("self",)).select_related("account").get(pk=complaint.pk)
    if complaint.status != ComplaintStatus.RESOLVED:
        raise CampaignsError(_("The satisfaction call follows the resolution."), "status")
    if not satisfied and (cross_sell.strip() or referral):
        raise CampaignsError(_("Cross-sell and referral follow only a satisfied customer."), "satisfied")
    account = complaint.account
    complaint.satisfaction = Satisfaction.SATISFIED if satisfied else Satisfaction.UNSATISFIED
    complaint.status = ComplaintStatus.CLOSED
    complaint.save(update_fields=["satisfaction", "status"])
    _event(complaint, ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED, user, note)
    tasks_close_by_key(dedupe_key=f"complaint:{complaint.pk}:satisfaction", outcome=complaint.satisfaction, note=note)
    if cross_sell.strip():
        task_create(
            kind=TaskKind.CALL_BACK,
            title=f"Cross-Selling: {account.name}",
            title_en=f"Cross-selling: {account.name}",
            due_at=add_business_days(now, 2, team=account.team),
            account=account,
            team=account.team,
            assignee=None if account.team_id else user,
            reason=f"Nach zufriedener Reklamationsbearbeitung: {cross_sell.strip()}"[:300],
            reason_en=f"After a satisfied complaint follow-up: {cross_sell.strip()}"[:300],
            source="campaigns",
            source_id=str(complaint.pk),
            dedupe_key=f"complaint:{complaint.pk}:crosssell",
        )
    if referral:
        from isf.campaigns.services.leads import lead_create

        lead_create(data=referral, source=LeadSource.REFERRAL, user=user, source_account=account, now=now)
    return complaint
