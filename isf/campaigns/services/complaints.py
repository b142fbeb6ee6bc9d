"""Sales-active complaints: goodwill within decision rights, owner approval, satisfaction call."""

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
from isf.campaigns.decision_rights import goodwill_check
from isf.campaigns.errors import CampaignsError
from isf.campaigns.models import Complaint, ComplaintEvent
from isf.customers.models import Order
from isf.org.choices import Role
from isf.planning.choices import Side, TaskKind
from isf.planning.services import task_create, tasks_close_by_key

SATISFACTION_CALL_BUSINESS_DAYS = 2


def _event(complaint: Complaint, old: str, new: str, actor=None, note: str = "") -> None:
    ComplaintEvent.objects.create(complaint=complaint, from_status=old, to_status=new, actor=actor, note=note[:500])


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0").replace(",", "."))
    except InvalidOperation:
        raise CampaignsError(
            _("%(field)s: '%(value)s' is not an amount") % {"field": field, "value": value}, field
        ) from None
    if amount < 0:
        raise CampaignsError(_("%(field)s: must not be negative") % {"field": field}, field)
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def complaint_create(
    *, account, category: str, description: str, user, severity: str = Severity.MEDIUM, order_number: str = ""
) -> Complaint:
    if category not in ComplaintCategory.values:
        raise CampaignsError(_("category: unknown category %(category)s") % {"category": repr(category)}, "category")
    if severity not in Severity.values:
        raise CampaignsError(_("severity: unknown severity %(severity)s") % {"severity": repr(severity)}, "severity")
    if not description.strip():
        raise CampaignsError(_("description: describe the complaint"), "description")
    order = None
    if order_number.strip():
        order = Order.objects.filter(number=order_number.strip(), account=account).first()
        if order is None:
            raise CampaignsError(
                _("order: order %(strip)s does not belong to %(account_name)s")
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
            _("status: the complaint is %(complaint_get_status_display)s, not open")
            % {"complaint_get_status_display": complaint.get_status_display()},
            "status",
        )
    if not resolution.strip():
        raise CampaignsError(_("resolution: describe the resolution"), "resolution")
    amount = _money(goodwill_eur, "goodwill_eur")
    complaint.resolution = resolution.strip()
    complaint.goodwill_eur = amount
    old = complaint.status
    if amount == 0:
        complaint.goodwill_status = GoodwillStatus.NONE
    else:
        decision = goodwill_check(amount=amount)
        complaint.goodwill_limit_eur = decision.limit
        if not decision.within_rights:
            owner = complaint.account.owner
            complaint.goodwill_status = GoodwillStatus.PENDING
            complaint.status = ComplaintStatus.AWAITING_APPROVAL
            complaint.save()
            _event(complaint, old, complaint.status, user, "; ".join(decision.reasons))
            task_create(
                kind=TaskKind.APPROVAL,
                title=f"Kulanz freigeben: {amount} € für {complaint.account.name}",
                due_at=add_business_days(now, 1),
                account=complaint.account,
                assignee=owner,
                side=Side.FIELD if owner else Side.INSIDE,
                reason=f"Kulanz {amount} € über den Entscheidungskompetenzen; {'; '.join(decision.reasons)}",
                reason_en=f"Goodwill {amount} EUR above the decision rights; {'; '.join(decision.reasons)}",
                source="campaigns",
                source_id=str(complaint.pk),
                dedupe_key=f"complaint:{complaint.pk}:approval",
                url=complaint.get_absolute_url(),
                actor=user,
            )
            return complaint
        complaint.goodwill_status = GoodwillStatus.WITHIN_RIGHTS
    complaint.status = ComplaintStatus.RESOLVED
    complaint.resolved_at = now
    complaint.save()
    _event(complaint, old, complaint.status, user)
    _satisfaction_task(complaint, now, user)
    return complaint


@transaction.atomic
def complaint_decide_goodwill(
    *, complaint: Complaint, user, approve: bool, note: str = "", now: datetime | None = None
) -> Complaint:
    """The owner (or the sales lead) approves or rejects goodwill above the decision rights."""
    now = now or timezone.now()
    complaint = Complaint.objects.select_for_update(of=("self",)).select_related("account").get(pk=complaint.pk)
    if complaint.status != ComplaintStatus.AWAITING_APPROVAL:
        raise CampaignsError(_("status: the complaint does not wait for an approval"), "status")
    if user.pk != complaint.account.owner_id and user.role != Role.SALES_LEAD:
        raise CampaignsError(
            _("approver: only the account owner or the sales lead may decide on this goodwill"), "approver"
        )
    if not approve and not note.strip():
        raise CampaignsError(_("note: say why the goodwill is rejected"), "note")
    old = complaint.status
    complaint.goodwill_status = GoodwillStatus.APPROVED if approve else GoodwillStatus.REJECTED
    if not approve:
        complaint.resolution = f"{complaint.resolution}\n{note.strip()}".strip()
    complaint.status = ComplaintStatus.RESOLVED
    complaint.resolved_at = now
    complaint.save()
    _event(complaint, old, complaint.status, user, note or ("approved" if approve else "rejected"))
    tasks_close_by_key(
        dedupe_key=f"complaint:{complaint.pk}:approval", outcome="approved" if approve else "rejected", note=note
    )
    _satisfaction_task(complaint, now, user)
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
        raise CampaignsError(_("status: the satisfaction call follows the resolution"), "status")
    if not satisfied and (cross_sell.strip() or referral):
        raise CampaignsError(_("satisfied: cross-sell and referral follow only a satisfied customer"), "satisfied")
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
