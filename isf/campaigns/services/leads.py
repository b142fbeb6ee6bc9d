"""Lead intake, duplicates, qualification, routing with a follow-up SLA, and conversion."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.campaigns.choices import (
    OPEN_LEAD_STATUSES,
    ActivityKind,
    DuplicateState,
    LeadSource,
    LeadStatus,
    QualificationClass,
)
from isf.campaigns.clock import add_business_days
from isf.campaigns.errors import CampaignsError
from isf.campaigns.models import Lead, LeadActivity
from isf.campaigns.models.leads import INTAKE_NOTE
from isf.campaigns.stated_need import stated_yearly_volume
from isf.core.numbers import NumberParseError, format_eur, to_decimal
from isf.core.text import is_postcode, model_text_problem
from isf.customers.choices import EmployeeBand, Industry
from isf.customers.models import Account, Contact, PhoneNumber
from isf.customers.phones import PhoneParseError, to_e164
from isf.customers.services import account_create, contact_create, phone_add
from isf.lifecycle.choices import Phase
from isf.org.choices import Role
from isf.org.models import Region, Team, User
from isf.planning.choices import Side, TaskKind
from isf.planning.services import task_create, tasks_close_by_key
from isf_stats.leads import Activity, LeadFacts, qualify

#: Which inside team works a class (by team code); a potential key account also gets the region's field rep.
ROUTING_TEAMS = {
    QualificationClass.POTENTIAL_KEY_ACCOUNT: "KA",
    QualificationClass.SMB: "SMB",
}
FREEMAIL = {
    "gmail.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "t-online.de",
    "yahoo.de",
    "yahoo.com",
    "outlook.com",
    "hotmail.com",
    "hotmail.de",
    "freenet.de",
    "icloud.com",
    "aol.com",
    "posteo.de",
    "mail.de",
}
FIELDS = (
    "company",
    "contact_name",
    "email",
    "phone",
    "street",
    "postcode",
    "city",
    "industry",
    "employee_band",
    "potential",
    "message",
    "need",
)

#: Fields of free text: their length (the model's max_length) and characters are checked here; the others are
#: checked by their format (e-mail, phone number, choices, number).
FREE_TEXT_FIELDS = ("company", "contact_name", "street", "postcode", "city", "message", "need")


@dataclass
class LeadResult:
    lead: Lead
    duplicate_accounts: list
    duplicate_leads: list


def followup_business_days() -> float:
    return float(getattr(settings, "ISF_LEAD_FOLLOWUP_BUSINESS_DAYS", 2))


def region_for_postcode(postcode: str) -> Region | None:
    """The region whose postcode prefix matches longest."""
    postcode = (postcode or "").strip()
    if not postcode:
        return None
    best, best_len = None, 0
    for region in Region.objects.all():
        for prefix in region.prefixes():
            if postcode.startswith(prefix) and len(prefix) > best_len:
                best, best_len = region, len(prefix)
    return best


def clean_lead_data(data: dict) -> dict:
    """Validate and normalise intake data; raise CampaignsError naming the field (the first problem)."""
    clean, problems = lead_data_checked(data)
    if problems:
        raise problems[0]
    return clean


def lead_data_checked(data: dict, *, number_language: str | None = None) -> tuple[dict, list[CampaignsError]]:
    """The normalised intake data and every problem in it, each naming its field (the lead import reports all of a
    row's problems at once; the form and the API show the first). Numbers typed as text are read in
    ``number_language`` (a file's), else in the page language."""
    clean = {k: (str(data.get(k) or "")).strip() for k in FIELDS}
    clean["is_private"] = bool(data.get("is_private"))
    problems: list[CampaignsError] = []

    def refuse(message, field):
        problems.append(CampaignsError(message, field))

    if clean["is_private"] and not clean["company"] and not clean["contact_name"]:
        refuse(_("A private person's enquiry needs the person's name."), "contact_name")
    if not clean["company"] and not clean["is_private"]:
        refuse(_("A lead needs a company name."), "company")
    for name in FREE_TEXT_FIELDS:
        if (problem := model_text_problem(Lead, name, clean[name])) is not None:
            refuse(f"{name}: {problem}", name)  # noqa: INT001 - the problem text is English
    if clean["postcode"] and not is_postcode(clean["postcode"]):
        refuse(_("'%(postcode)s' is not a German postcode (five digits).") % {"postcode": clean["postcode"]},
               "postcode")
    if not clean["email"] and not clean["phone"]:
        refuse(_("contact channel: a lead needs an e-mail address or a phone number"), "email")
    if clean["email"]:
        try:
            validate_email(clean["email"])
            clean["email"] = clean["email"].lower()
        except ValidationError:
            refuse(_("'%(email)s' is not an e-mail address.") % {"email": clean["email"]}, "email")
    if clean["phone"]:
        try:
            clean["phone"] = to_e164(clean["phone"])
        except PhoneParseError as exc:
            refuse(str(exc), "phone")
    if clean["industry"]:
        clean["industry"] = clean["industry"].upper()
        if clean["industry"] not in Industry.values:
            refuse(_("'%(industry)s' is not a WZ 2008 section (A–U).") % {"industry": clean["industry"]}, "industry")
    if clean["employee_band"] and clean["employee_band"] not in EmployeeBand.values:
        refuse(_("'%(band)s' is not one of %(bands)s.")
               % {"band": clean["employee_band"], "bands": ", ".join(EmployeeBand.values)}, "employee_band")
    potential = _potential(data.get("potential"), clean["potential"], refuse, number_language)
    clean["potential"] = potential
    clean["need_amount"] = stated_yearly_volume(clean["need"], clean["message"])
    return clean, problems


def _potential(value, text: str, refuse, language: str | None) -> Decimal:
    """The estimated potential as typed in the page's language ("300.000" is three hundred thousand on a German
    page) or as a number (form, API): the one number parser; 0 when empty or refused."""
    if value is None or text == "":
        return Decimal(0)
    try:
        potential = to_decimal(value, language=language)
    except NumberParseError:
        refuse(_("'%(potential)s' is not a number.") % {"potential": text}, "potential")
        return Decimal(0)
    if potential < 0 or potential >= Decimal("1e12"):
        refuse(_("The potential must be between 0 and %(max)s.") % {"max": format_eur(Decimal("999999999999"))},
               "potential")
        return Decimal(0)
    return potential


def _place(account, user) -> None:
    """A converted lead's account is placed at once by the rules every new account follows (an import's, the
    nightly run's): its segment and team by the segment rules, its owner - a field rep or an inside team - by the
    owner rules (the region's rep where no rule names one)."""
    from isf.customers.choices import OwnerSource
    from isf.customers.services import accounts_place_owners
    from isf.segmentation.services import segments_assign_accounts

    segments_assign_accounts(account_ids=[account.pk], actor=user)
    accounts_place_owners(account_ids=[account.pk], source=OwnerSource.RULE, actor=user)
    account.refresh_from_db()


def email_domain(email: str) -> str:
    domain = email.rsplit("@", 1)[-1].lower() if "@" in (email or "") else ""
    return "" if domain in FREEMAIL else domain


def find_duplicates(*, company: str, postcode: str, email: str, phone: str, exclude_lead_id=None):
    """Accounts and open leads matching by company name and postcode, e-mail domain or phone number."""
    acc_cond = Q(name__iexact=company, postcode=postcode) if company and postcode else Q(pk__in=[])
    lead_cond = Q(company__iexact=company, postcode=postcode) if company and postcode else Q(pk__in=[])
    domain = email_domain(email)
    if domain:
        acc_cond |= Q(pk__in=Contact.objects.filter(email__iendswith=f"@{domain}").values("account_id"))
        lead_cond |= Q(email__iendswith=f"@{domain}")
    if phone:
        acc_cond |= Q(pk__in=PhoneNumber.objects.filter(e164=phone).values("account_id"))
        lead_cond |= Q(phone=phone)
    accounts = list(Account.objects.filter(acc_cond).order_by("pk")[:5])
    leads = Lead.objects.filter(lead_cond, status__in=OPEN_LEAD_STATUSES).order_by("pk")
    if exclude_lead_id:
        leads = leads.exclude(pk=exclude_lead_id)
    return accounts, list(leads[:5])


def _facts(lead: Lead) -> LeadFacts:
    activities = tuple(Activity(a.kind, a.at) for a in lead.activities.all())
    return LeadFacts(
        industry=lead.industry,
        employee_band=lead.employee_band,
        potential=float(lead.potential),
        in_served_region=lead.region_id is not None
        and lead.region.reps.filter(role=Role.FIELD_REP, is_active=True).exists(),
        activities=activities,
        stated_need=float(lead.need_amount or 0),
    )


def lead_rescore(*, lead: Lead, now: datetime | None = None) -> Lead:
    q = qualify(_facts(lead), now=now or timezone.now())
    lead.fit_score, lead.engagement_score, lead.score = (
        Decimal(str(q.fit)),
        Decimal(str(q.engagement)),
        Decimal(str(q.score)),
    )
    lead.qualification_class = q.qualification_class
    lead.reasons = q.reasons_as_dicts()
    lead.save(update_fields=["fit_score", "engagement_score", "score", "qualification_class", "reasons"])
    return lead


def region_rep(region: Region | None) -> User | None:
    if region is None:
        return None
    return region.reps.filter(role=Role.FIELD_REP, is_active=True).order_by("pk").first()


def _route(lead: Lead, *, now: datetime, actor=None) -> None:
    """Assign by class and region and open the first-contact task on the team's SLA clock."""
    cls = lead.qualification_class
    team = None
    if cls in ROUTING_TEAMS:
        team = Team.objects.filter(code=ROUTING_TEAMS[cls]).first()
    assignee, side = None, Side.INSIDE
    if cls == QualificationClass.POTENTIAL_KEY_ACCOUNT:
        lead.assigned_to = region_rep(lead.region)
        title = f"Ersttermin vereinbaren: {lead.name}"
        reason_en = f"Potential key account ({lead.score} points): set the first appointment for the field rep"
        reason = f"Potenzieller Key Account ({lead.score} Punkte): Ersttermin für den Außendienst vereinbaren"
        if team is None:
            assignee, side = lead.assigned_to, Side.FIELD
    elif cls == QualificationClass.SMB:
        lead.assigned_to = None
        title = f"Interessent kontaktieren: {lead.name}"
        reason_en = f"SMB lead ({lead.score} points): first contact by the inside SMB team"
        reason = f"SMB-Interessent ({lead.score} Punkte): Erstkontakt durch das SMB-Team"
    else:
        assignee = User.objects.filter(role=Role.MARKETING, is_active=True).order_by("pk").first()
        lead.assigned_to = assignee
        side = Side.MARKETING
        title = f"Nurturing: {lead.name}"
        reason_en = f"Brochure collector ({lead.score} points): marketing nurture, send material"
        reason = f"Prospektesammler ({lead.score} Punkte): Marketing-Nurturing, Unterlagen senden"
    lead.team = team
    lead.followup_due_at = add_business_days(now, followup_business_days(), team=team)
    lead.save(update_fields=["assigned_to", "team", "followup_due_at"])
    task_create(
        kind=TaskKind.LEAD_FOLLOWUP,
        title=title,
        title_en={QualificationClass.POTENTIAL_KEY_ACCOUNT: "Set the first appointment",
                  QualificationClass.SMB: "Contact the lead"}.get(cls, "Nurturing") + f": {lead.name}",
        due_at=lead.followup_due_at,
        team=team if not assignee else None,
        assignee=assignee,
        side=side,
        reason=reason,
        reason_en=reason_en,
        source="campaigns",
        source_id=str(lead.pk),
        dedupe_key=f"lead:{lead.pk}:followup",
        url=lead.get_absolute_url(),
        actor=actor,
    )


def _route_to_customer(lead: Lead, account: Account, *, now: datetime, actor=None) -> None:
    """A lead matched to an existing customer (e-mail domain, company and postcode, or phone) goes to the customer's
    owner (field rep, or the lead of the owning inside team) and the team that serves it, with the first-contact
    task on that team's clock: the owning team's agents work it, or the field rep who owns the account."""
    from isf.customers.owners import responsible_for

    owner = responsible_for(account)
    team = account.owner_team or account.team or (account.segment.team if account.segment_id else None)
    if owner is None and team is None:  # nobody serves the customer yet: the lead routing decides
        _route(lead, now=now, actor=actor)
        return
    lead.assigned_to = owner
    lead.team = team
    lead.followup_due_at = add_business_days(now, followup_business_days(), team=team)
    lead.save(update_fields=["assigned_to", "team", "followup_due_at"])
    to_rep = owner is not None and owner.role == Role.FIELD_REP and account.owner_team_id is None
    task_create(
        kind=TaskKind.LEAD_FOLLOWUP,
        title=f"Anfrage eines Bestandskunden: {lead.company or account.name}",
        title_en=f"Request from an existing customer: {lead.company or account.name}",
        due_at=lead.followup_due_at,
        account=account,
        team=None if to_rep else team,
        assignee=owner if to_rep else None,
        side=Side.FIELD if to_rep else Side.INSIDE,
        reason=f"Bestandskunde {account.name} ({account.erp_number}): die Anfrage geht an den Betreuer",
        reason_en=f"Existing customer {account.name} ({account.erp_number}): the request goes to its owner",
        source="campaigns",
        source_id=str(lead.pk),
        dedupe_key=f"lead:{lead.pk}:followup",
        url=lead.get_absolute_url(),
        actor=actor,
    )


@transaction.atomic
def lead_create(
    *, data: dict, source: str, user=None, source_account: Account | None = None, now: datetime | None = None,
    consent_text: str = "",
) -> LeadResult:
    """Take in a lead from the form, an import, the API, a referral or a call: validate, score, route.

    ``consent_text``: the consent the person gave (the public form's checkbox, as shown): stored with its moment.
    A yearly volume stated in the need or the message counts in the lead's fit (isf.campaigns.stated_need)."""
    now = now or timezone.now()
    if source not in LeadSource.values:
        raise CampaignsError(_("Unknown source %(source)s.") % {"source": repr(source)}, "source")
    if source == LeadSource.REFERRAL and source_account is None:
        raise CampaignsError(_("A referral needs the account that referred it."), "source_account")
    clean = clean_lead_data(data)
    accounts, leads = find_duplicates(
        company=clean["company"], postcode=clean["postcode"], email=clean["email"], phone=clean["phone"]
    )
    lead = Lead.objects.create(
        **clean,
        region=region_for_postcode(clean["postcode"]),
        source=source,
        source_account=source_account,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        duplicate_state=DuplicateState.SUSPECTED if (accounts or leads) else DuplicateState.NONE,
        duplicate_account=accounts[0] if accounts else None,
        duplicate_lead=leads[0] if leads else None,
        consent_text=consent_text,
        consent_at=now if consent_text else None,
    )
    first = ActivityKind.CONTACT if source in (LeadSource.PHONE, LeadSource.MANUAL) else ActivityKind.REQUEST
    LeadActivity.objects.create(lead=lead, kind=first, at=now, note=f"{INTAKE_NOTE}{source}", user=lead.created_by)
    lead_rescore(lead=lead, now=now)
    if accounts:  # an existing customer asks: its owner and team answer, not the lead routing
        _route_to_customer(lead, accounts[0], now=now, actor=lead.created_by)
    else:
        _route(lead, now=now, actor=lead.created_by)
    return LeadResult(lead=lead, duplicate_accounts=accounts, duplicate_leads=leads)


def _require_open(lead: Lead) -> None:
    if lead.status not in OPEN_LEAD_STATUSES:
        raise CampaignsError(
            _("The lead is already %(lead_get_status_display)s.")
            % {"lead_get_status_display": lead.get_status_display()},
            "status",
        )


@transaction.atomic
def lead_activity_record(*, lead: Lead, kind: str, user=None, note: str = "", now: datetime | None = None) -> Lead:
    """Record a contact, answer or request; the first contact stops the follow-up clock."""
    now = now or timezone.now()
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    _require_open(lead)
    if kind not in ActivityKind.values:
        raise CampaignsError(
            _("%(kind)s is not one of %(join)s.") % {"kind": repr(kind), "join": ", ".join(ActivityKind.values)},
            "kind",
        )
    LeadActivity.objects.create(lead=lead, kind=kind, at=now, note=note[:300], user=user)
    if kind in (ActivityKind.CONTACT, ActivityKind.ANSWER) and lead.first_contact_at is None and user is not None:
        lead.first_contact_at = now
        lead.status = LeadStatus.CONTACTED
        lead.save(update_fields=["first_contact_at", "status"])
        tasks_close_by_key(dedupe_key=f"lead:{lead.pk}:followup", outcome="contacted", note=note)
    return lead_rescore(lead=lead, now=now)


@transaction.atomic
def lead_confirm_new(*, lead: Lead, user) -> Lead:
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    _require_open(lead)
    lead.duplicate_state = DuplicateState.CONFIRMED_NEW
    lead.save(update_fields=["duplicate_state"])
    return lead


@transaction.atomic
def lead_merge(*, lead: Lead, user, into_lead: Lead | None = None, into_account: Account | None = None) -> Lead:
    """Merge a duplicate into an open lead (activities move over) or into an existing account."""
    if (into_lead is None) == (into_account is None):
        raise CampaignsError(_("Merge into exactly one lead or one account."), "target")
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    _require_open(lead)
    if into_lead is not None:
        into_lead = Lead.objects.select_for_update().get(pk=into_lead.pk)
        if into_lead.pk == lead.pk:
            raise CampaignsError(_("A lead cannot be merged into itself."), "target")
        _require_open(into_lead)
        changed = []
        for field in ("contact_name", "email", "phone", "street", "postcode", "city", "industry", "employee_band"):
            if not getattr(into_lead, field) and getattr(lead, field):
                setattr(into_lead, field, getattr(lead, field))
                changed.append(field)
        if lead.potential > into_lead.potential:
            into_lead.potential = lead.potential
            changed.append("potential")
        if changed:
            into_lead.save(update_fields=changed)
        lead.activities.update(lead=into_lead)
        lead.merged_into = into_lead
        lead_rescore(lead=into_lead)
    else:
        lead.converted_account = into_account
    lead.status = LeadStatus.MERGED
    lead.save(update_fields=["status", "merged_into", "converted_account"])
    tasks_close_by_key(dedupe_key=f"lead:{lead.pk}:followup", outcome="merged")
    return lead


@transaction.atomic
def lead_disqualify(*, lead: Lead, user, reason: str) -> Lead:
    if not reason.strip():
        raise CampaignsError(_("Say why the lead is disqualified."), "reason")
    if (problem := model_text_problem(Lead, "disqualify_reason", reason.strip()[:200])) is not None:
        raise CampaignsError(f"reason: {problem}", "reason")  # noqa: INT001 - the problem text is English
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    _require_open(lead)
    lead.status = LeadStatus.DISQUALIFIED
    lead.disqualify_reason = reason.strip()[:200]
    lead.save(update_fields=["status", "disqualify_reason"])
    tasks_close_by_key(dedupe_key=f"lead:{lead.pk}:followup", outcome="disqualified", note=reason)
    return lead


@transaction.atomic
def lead_convert(*, lead: Lead, user) -> Account:
    """Turn a qualified lead into an account in lifecycle phase "prospect" with its contact and phone."""
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    _require_open(lead)
    if lead.duplicate_state == DuplicateState.SUSPECTED:
        raise CampaignsError(_("Merge the lead or confirm it as new before converting it."), "duplicate")
    team = lead.team or Team.objects.filter(code=ROUTING_TEAMS.get(lead.qualification_class, "")).first()
    account = account_create(
        actor=user,
        erp_number=f"INT-{lead.pk:06d}",
        name=lead.name,
        street=lead.street,
        postcode=lead.postcode,
        city=lead.city,
        state=lead.region.state if lead.region_id else "",
        region=lead.region,
        industry=lead.industry,
        employee_band=lead.employee_band,
        customer_type="b2c" if lead.is_private else "b2b",
        owner=region_rep(lead.region),
        team=team,
        potential=max(lead.potential, lead.need_amount or 0),
        phase=Phase.PROSPECT,
    )
    contact = None
    if lead.contact_name:
        first, _sep, last = lead.contact_name.rpartition(" ")
        contact = contact_create(
            account=account, actor=user, first_name=first, last_name=last or lead.contact_name, email=lead.email
        )
    if lead.phone:
        phone_add(account=account, contact=contact, e164=lead.phone)
    _place(account, user)
    lead.status = LeadStatus.CONVERTED
    lead.converted_account = account
    lead.save(update_fields=["status", "converted_account"])
    tasks_close_by_key(dedupe_key=f"lead:{lead.pk}:followup", outcome="converted")
    return account
