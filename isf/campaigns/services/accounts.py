"""Quote follow-up, buying-center care and company changes: work for the queue from account facts."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.campaigns.choices import CompanyChangeKind, QuoteOutcome, QuoteRule
from isf.campaigns.clock import add_business_days
from isf.campaigns.errors import CampaignsError
from isf.campaigns.models import AccountChange, QuoteFollowup
from isf.customers.choices import BuyingRole, ContactStatus, QuoteStatus
from isf.customers.models import Contact, Quote
from isf.customers.owners import owner_side, responsible_for
from isf.customers.services import contact_change
from isf.org.models import Team
from isf.planning.choices import Side, TaskKind
from isf.planning.models import Task
from isf.planning.services import task_create, tasks_close_by_key

#: segment code -> (business days after the quote date, who follows up, rule). "owner" means the owner rep
#: decides (a task for the rep the next business day); "team" a call by the inside team.
QUOTE_RULES = {
    "KA": (1, "owner", QuoteRule.OWNER_DECIDES),
    "MP": (5, "team", QuoteRule.CALL_5),
    "SMB": (3, "team", QuoteRule.CALL_3),
}
DEFAULT_QUOTE_RULE = (5, "team", QuoteRule.CALL_5)
RULE_TEXT_DE = {
    QuoteRule.OWNER_DECIDES: "Key Account: der Betreuer entscheidet",
    QuoteRule.CALL_3: "Anruf 3 Werktage nach Versand",
    QuoteRule.CALL_5: "Anruf 5 Werktage nach Versand",
}
RULE_TEXT_EN = {
    QuoteRule.OWNER_DECIDES: "key account: the owner rep decides",
    QuoteRule.CALL_3: "a call 3 business days after sending",
    QuoteRule.CALL_5: "a call 5 business days after sending",
}
BUYING_CENTER_DUE_BUSINESS_DAYS = 1
KEY_ACCOUNT_TEAM = "KA"



def _in(language: str, text: str, quote, rule: str) -> str:
    """A quote's reason in one language: its amount and date in that language's format (1.234,50 € / 1,234.50 €)."""
    from django.utils import translation

    from isf.core.dates import format_date
    from isf.core.numbers import format_eur

    with translation.override(language):
        return text.format(number=quote.number, amount=format_eur(quote.amount, 2), day=format_date(quote.date),
                           rule=rule)

def _quotes_url() -> str:
    from django.urls import reverse

    return reverse("campaigns:quote-followups")


def _sent_moment(day) -> datetime:
    return datetime.combine(day, time(8, 0), tzinfo=timezone.get_default_timezone())


@transaction.atomic
def quote_followup_schedule(*, quote: Quote, actor=None) -> QuoteFollowup | None:
    """One follow-up (and task) per open quote, by the rule of the account's segment."""
    if quote.status not in (QuoteStatus.OPEN, QuoteStatus.SENT) or QuoteFollowup.objects.filter(quote=quote).exists():
        return None
    account = quote.account
    code = account.segment.code if account.segment_id else ""
    days, who, rule = QUOTE_RULES.get(code, DEFAULT_QUOTE_RULE)
    team = account.team
    due = add_business_days(_sent_moment(quote.date), days, team=team)
    assignee = account.owner if who == "owner" and account.owner_id else None
    task = task_create(
        kind=TaskKind.QUOTE_FOLLOWUP,
        title=f"Angebot nachfassen: {quote.number} ({account.name})",
        title_en=f"Follow up quote: {quote.number} ({account.name})",
        due_at=due,
        account=account,
        contact=quote.contact,
        team=None if assignee else team,
        assignee=assignee,
        side=Side.FIELD if assignee else Side.INSIDE,
        reason=_in("de", "Angebot {number} über {amount} vom {day}; Regel: {rule}", quote, RULE_TEXT_DE[rule]),
        reason_en=_in("en", "Quote {number} of {amount} sent {day}; rule: {rule}", quote, RULE_TEXT_EN[rule]),
        source="campaigns",
        source_id=str(quote.pk),
        dedupe_key=f"quote:{quote.pk}:followup",
        actor=actor,
        url=_quotes_url(),
    )
    return QuoteFollowup.objects.create(quote=quote, segment_code=code, team=team, rule=rule, due_at=due, task=task)


def quote_followups_schedule(*, limit: int | None = None) -> int:
    """Schedule every open quote that has no follow-up yet (idempotent); returns how many were scheduled."""
    qs = (
        Quote.objects.filter(status__in=[QuoteStatus.OPEN, QuoteStatus.SENT], followup__isnull=True)
        .select_related("account", "account__segment", "account__team", "account__owner")
        .order_by("date", "pk")
    )
    if limit:
        qs = qs[:limit]
    return sum(1 for quote in qs if quote_followup_schedule(quote=quote))


@transaction.atomic
def quote_outcome_record(*, followup: QuoteFollowup, outcome: str, reason: str, user) -> QuoteFollowup:
    if outcome not in QuoteOutcome.values:
        raise CampaignsError(_("Choose won or lost."), "outcome")
    if not reason.strip():
        raise CampaignsError(_("Say why the quote was won or lost."), "reason")
    followup = QuoteFollowup.objects.select_for_update(of=("self",)).select_related("quote").get(pk=followup.pk)
    if followup.outcome:
        raise CampaignsError(
            _("Already recorded as %(followup_get_outcome_display)s.")
            % {"followup_get_outcome_display": followup.get_outcome_display()},
            "outcome",
        )
    followup.outcome, followup.reason = outcome, reason.strip()[:200]
    followup.decided_at, followup.decided_by = timezone.now(), user
    followup.save()
    quote = followup.quote
    quote.status = QuoteStatus.WON if outcome == QuoteOutcome.WON else QuoteStatus.LOST
    quote.outcome_reason = followup.reason
    quote.save(update_fields=["status", "outcome_reason"])
    tasks_close_by_key(dedupe_key=f"quote:{quote.pk}:followup", outcome=outcome, note=followup.reason)
    if quote.status == QuoteStatus.WON:  # a won quote: the moment to ask for a referral (the care matrix says whether)
        from isf.planning.choices import TriggerEvent
        from isf.planning.referrals import referral_ask_after

        referral_ask_after(account=quote.account, event=TriggerEvent.QUOTE_WON, ref=quote.pk,
                           day=timezone.localdate(followup.decided_at), number=quote.number, actor=user)
    return followup


def _bc_url(account) -> str:
    from django.urls import reverse

    return reverse("campaigns:buying-center", args=[account.pk])


def _buying_center_tasks(contact: Contact, now: datetime, actor=None) -> list[Task]:
    account = contact.account
    due = add_business_days(now, BUYING_CENTER_DUE_BUSINESS_DAYS, team=account.team)
    # a sentence per status in each language (not "ist scheidet aus" / "is leaving" from a choice label)
    left = contact.status == ContactStatus.LEFT
    reason = (f"Entscheider {contact} ({contact.function or '–'}) "
              f"{'ist ausgeschieden' if left else 'scheidet aus'}: Buying Center neu aufnehmen")
    reason_en = (f"Decision maker {contact} ({contact.function or '–'}) "
                 f"{'has left' if left else 'is leaving'}: re-map the buying center")
    created = []
    owner = responsible_for(account)  # the field rep, or the lead of the owning inside team
    if owner is not None:
        created.append(
            task_create(
                kind=TaskKind.BUYING_CENTER,
                title=f"Buying Center neu aufnehmen: {account.name}",
                title_en=f"Re-map the buying center: {account.name}",
                due_at=due,
                account=account,
                contact=contact,
                assignee=owner,
                side=owner_side(owner),
                reason=reason,
                reason_en=reason_en,
                source="campaigns",
                source_id=str(contact.pk),
                dedupe_key=f"buyingcenter:{contact.pk}:rep",
                url=_bc_url(account),
                actor=actor,
            )
        )
    team = Team.objects.filter(code=KEY_ACCOUNT_TEAM).first() or account.team
    if team is not None:
        created.append(
            task_create(
                kind=TaskKind.BUYING_CENTER,
                title=f"Buying Center neu aufnehmen: {account.name}",
                title_en=f"Re-map the buying center: {account.name}",
                due_at=due,
                account=account,
                contact=contact,
                team=team,
                reason=reason,
                reason_en=reason_en,
                source="campaigns",
                source_id=str(contact.pk),
                dedupe_key=f"buyingcenter:{contact.pk}:team",
                url=_bc_url(account),
                actor=actor,
            )
        )
    return [t for t in created if t is not None]


@transaction.atomic
def contact_status_change(*, contact: Contact, status: str, user=None, on=None, now: datetime | None = None):
    """Mark a contact leaving or left (from a visit report, a call or an import).

    For a decision maker the owner rep and the key-account team get a re-mapping task due within a day.
    """
    now = now or timezone.now()
    if status not in ContactStatus.values:
        raise CampaignsError(_("Unknown contact status %(status)s.") % {"status": repr(status)}, "status")
    contact = (
        Contact.objects.select_for_update(of=("self",))
        .select_related("account", "account__owner", "account__team")
        .get(pk=contact.pk)
    )
    contact_change(contact=contact, actor=user, status=status,
                   status_date=None if status == ContactStatus.ACTIVE else (on or timezone.localdate(now)))
    if status != ContactStatus.ACTIVE and contact.buying_role == BuyingRole.DECISION_MAKER:
        return _buying_center_tasks(contact, now, user)
    return []


def buying_center_scan(*, now: datetime | None = None) -> int:
    """Catch decision makers marked leaving/left by an import: one task pair each, never repeated."""
    now = now or timezone.now()
    handled = Task.objects.filter(kind=TaskKind.BUYING_CENTER, source="campaigns").values("source_id")
    contacts = (
        Contact.objects.filter(
            buying_role=BuyingRole.DECISION_MAKER, status__in=[ContactStatus.LEAVING, ContactStatus.LEFT]
        )
        .filter(Q(status_date__isnull=True) | Q(status_date__gte=timezone.localdate(now) - timedelta(days=30)))
        .exclude(pk__in=[int(s) for s in handled.values_list("source_id", flat=True) if s.isdigit()])
        .select_related("account", "account__owner", "account__team")
    )
    count = 0
    for contact in contacts:
        with transaction.atomic():
            count += len(_buying_center_tasks(contact, now))
    return count


@transaction.atomic
def company_change_record(*, account, kind: str, user, note: str = "", now: datetime | None = None) -> AccountChange:
    """Record growth, relocation or a merger; the owner re-estimates the potential."""
    now = now or timezone.now()
    if kind not in CompanyChangeKind.values:
        raise CampaignsError(_("Unknown change %(kind)s.") % {"kind": repr(kind)}, "kind")
    change = AccountChange.objects.create(account=account, kind=kind, note=note.strip()[:500], recorded_by=user)
    label = CompanyChangeKind(kind).label
    owner = responsible_for(account)  # the field rep, or the lead of the owning inside team
    task_create(
        kind=TaskKind.POTENTIAL_REVIEW,
        title=f"Potenzial neu schätzen: {account.name}",
        title_en=f"Re-estimate the potential: {account.name}",
        due_at=add_business_days(now, 5, team=account.team),
        account=account,
        assignee=owner,
        team=None if owner is not None else account.team,
        side=owner_side(owner) if owner is not None else Side.INSIDE,
        reason=f"Veränderung im Unternehmen ({label}): {note.strip()}"[:300],
        reason_en=f"Company change ({kind}): {note.strip()}"[:300],
        source="campaigns",
        source_id=str(change.pk),
        dedupe_key=f"potential:{account.pk}",
        url=_bc_url(account),
        actor=user,
    )
    return change
