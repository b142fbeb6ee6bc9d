"""Reads: lead lists, campaign progress, conversion per segment and team, buying center, referrals."""

from datetime import datetime, timedelta

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from isf.campaigns.choices import AppointmentStatus, CallOutcome, EntryStatus, LeadSource, QuoteOutcome
from isf.campaigns.models import Appointment, CallAttempt, CallListEntry, Campaign, Lead, QuoteFollowup
from isf.customers.choices import BuyingRole, ContactStatus
from isf.planning.choices import TaskStatus
from isf.planning.models import Task


def lead_filters(query) -> dict:
    """The lead list's filters (page and export) from an ``isf.core.params.QueryParams``: unknown values refused."""
    from isf.campaigns.choices import LeadSource, LeadStatus, QualificationClass

    return {"q": query.text("q"), "status": query.choice("status", LeadStatus.values),
            "qualification_class": query.choice("class", QualificationClass.values),
            "source": query.choice("source", LeadSource.values)}


def lead_list(*, q: str = "", status: str = "", qualification_class: str = "", source: str = "") -> QuerySet[Lead]:
    qs = Lead.objects.select_related("region", "assigned_to", "team", "source_account")
    if q:
        qs = qs.filter(Q(company__icontains=q) | Q(email__icontains=q) | Q(city__icontains=q) | Q(postcode=q))
    if status:
        qs = qs.filter(status=status)
    if qualification_class:
        qs = qs.filter(qualification_class=qualification_class)
    if source:
        qs = qs.filter(source=source)
    return qs


def lead_counts() -> dict:
    rows = Lead.objects.values("qualification_class", "status").annotate(n=Count("pk"))
    out: dict = {}
    for row in rows:
        out.setdefault(row["qualification_class"], {})[row["status"]] = row["n"]
    return out


def referral_counts(*, since: datetime | None = None) -> dict:
    qs = Lead.objects.filter(source=LeadSource.REFERRAL)
    if since:
        qs = qs.filter(created_at__gte=since)
    total = qs.count()
    top = list(qs.values("source_account__name").annotate(n=Count("pk")).order_by("-n", "source_account__name")[:10])
    return {"total": total, "converted": qs.filter(status="converted").count(), "top": top}


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.annotate(
        n_entries=Count("entries"),
        n_open=Count("entries", filter=Q(entries__status=EntryStatus.OPEN)),
        n_done=Count("entries", filter=Q(entries__status=EntryStatus.DONE)),
        n_exhausted=Count("entries", filter=Q(entries__status=EntryStatus.EXHAUSTED)),
    ).select_related("created_by")


def campaign_entries_visible_to(user, campaign: Campaign | None = None) -> QuerySet[CallListEntry]:
    """Call-list entries of the accounts ``user`` may see (an inside agent: his team's), as on every list."""
    from isf.customers.selectors import accounts_visible_to

    qs = CallListEntry.objects.filter(account__in=accounts_visible_to(user))
    return qs.filter(campaign=campaign) if campaign is not None else qs


def appointments_cancellable_by(user) -> QuerySet[Appointment]:
    """The appointments ``user`` may cancel (the scope of ``campaigns:appointment-cancel``, isf/campaigns/access.py):
    the rep it is booked for, the agent who booked it, the VL of the rep's region (every region when he has none)
    and the IDL of the booking agent's team or the account's team (every team when he has none)."""
    from isf.org.choices import Role

    qs = Appointment.objects.all()
    if user.role == Role.FIELD_REP:
        return qs.filter(rep=user)
    if user.role == Role.INSIDE_AGENT:
        return qs.filter(booked_by=user)
    if user.role == Role.SALES_LEAD:
        return qs.filter(rep__region_id=user.region_id) if user.region_id else qs
    if user.role == Role.INSIDE_LEAD:
        if not user.team_id:
            return qs
        return qs.filter(Q(booked_by__team_id=user.team_id) | Q(account__team_id=user.team_id)
                         | Q(account__segment__team_id=user.team_id))
    return qs.none()


def campaign_progress(*, campaign: Campaign, user=None) -> dict:
    """Entries by status and outcome, and per agent: entries, calls, outcomes (of the entries ``user`` may see)."""
    entries = campaign.entries.all() if user is None else campaign_entries_visible_to(user, campaign)
    by_status = dict(entries.values_list("status").annotate(n=Count("pk")))
    by_outcome = dict(entries.exclude(outcome="").values_list("outcome").annotate(n=Count("pk")))
    total = sum(by_status.values())
    worked = (
        total - by_status.get(EntryStatus.OPEN, 0) + entries.filter(status=EntryStatus.OPEN, attempts__gt=0).count()
    )
    agents = {}
    for row in entries.values("agent_id", "agent__first_name", "agent__last_name", "agent__username").annotate(
        n=Count("pk"), open=Count("pk", filter=Q(status=EntryStatus.OPEN))
    ):
        name = f"{row['agent__first_name']} {row['agent__last_name']}".strip() or row["agent__username"] or "–"
        agents[row["agent_id"]] = {"agent": name, "entries": row["n"], "open": row["open"], "calls": 0, "outcomes": {}}
    for row in (
        CallAttempt.objects.filter(entry__in=entries).values("agent_id", "outcome").annotate(n=Count("pk"))
    ):
        info = agents.setdefault(row["agent_id"], {"agent": "–", "entries": 0, "open": 0, "calls": 0, "outcomes": {}})
        info["calls"] += row["n"]
        info["outcomes"][row["outcome"]] = row["n"]
    for info in agents.values():
        info["outcome_list"] = [(CallOutcome(k).label, v) for k, v in sorted(info["outcomes"].items())]
    success = sum(
        by_outcome.get(o, 0) for o in (CallOutcome.APPOINTMENT, CallOutcome.QUOTE_REQUESTED, CallOutcome.SALE)
    )
    return {
        "total": total,
        "by_status": by_status,
        "by_outcome": by_outcome,
        "worked": worked,
        "percent_worked": round(100 * worked / total) if total else 0,
        "success": success,
        "agents": sorted(agents.values(), key=lambda a: a["agent"]),
    }


def quote_conversion(*, since: datetime | None = None) -> dict:
    """Won / decided per segment and per team."""
    qs = QuoteFollowup.objects.exclude(outcome="")
    if since:
        qs = qs.filter(decided_at__gte=since)

    def rows(key):
        out = []
        for row in (
            qs.values(key)
            .annotate(decided=Count("pk"), won=Count("pk", filter=Q(outcome=QuoteOutcome.WON)))
            .order_by(key)
        ):
            out.append(
                {
                    "key": row[key] or "–",
                    "decided": row["decided"],
                    "won": row["won"],
                    "rate": round(100 * row["won"] / row["decided"], 1) if row["decided"] else None,
                }
            )
        return out

    return {"segments": rows("segment_code"), "teams": rows("team__name")}


def buying_center(*, account, months: int = 6, now: datetime | None = None) -> dict:
    """Contacts with roles and their last contact; roles without contact for `months` months."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=round(30.44 * months))
    contacts = list(account.contacts.all().order_by("buying_role", "last_name"))
    task_last = dict(
        Task.objects.filter(contact__in=contacts, status=TaskStatus.DONE)
        .values_list("contact_id")
        .annotate(last=Max("completed_at"))
    )
    call_last = dict(
        CallAttempt.objects.filter(contact__in=contacts).values_list("contact_id").annotate(last=Max("at"))
    )
    people = []
    for c in contacts:
        dates = [d for d in (task_last.get(c.pk), call_last.get(c.pk)) if d]
        last = max(dates) if dates else None
        people.append({"contact": c, "last_contact": last, "stale": last is None or last < cutoff})
    gaps = []
    for role, label in BuyingRole.choices:
        holders = [p for p in people if p["contact"].buying_role == role and p["contact"].status != ContactStatus.LEFT]
        lasts = [p["last_contact"] for p in holders if p["last_contact"]]
        last = max(lasts) if lasts else None
        if not holders or last is None or last < cutoff:
            gaps.append({"role": role, "label": label, "holders": len(holders), "last_contact": last})
    return {"people": people, "gaps": gaps, "months": months}


def goodwill_request_for(complaint):
    """The service firm's approval request for this complaint's goodwill (the newest), if any."""
    from isf.campaigns.services.complaints import DECISION_SOURCE
    from isf.service.models import Decision

    return (
        Decision.objects.filter(source=DECISION_SOURCE, source_id=str(complaint.pk))
        .select_related("approver", "requested_by")
        .order_by("-created_at", "-pk")
        .first()
    )


def rep_appointments_ahead(rep, *, days: int = 7, now=None):
    """The appointments booked for the rep from now over the next ``days`` days, by start."""
    now = now or timezone.now()
    return (Appointment.objects.filter(rep=rep, status=AppointmentStatus.BOOKED, end__gte=now,
                                       start__lt=now + timedelta(days=days))
            .select_related("account", "lead", "booked_by").order_by("start", "pk"))


def contact_form_settings() -> dict:
    """Whose contact form it is: company name, logo, privacy notice and the consent text in the page language
    (the administrator's ``ContactFormSettings``; without it a neutral consent text)."""
    from django.utils.translation import gettext

    from isf.campaigns.models import ContactFormSettings
    from isf.core.language import in_language

    row = ContactFormSettings.objects.order_by("pk").first()
    name = row.company_name if row else ""
    text = in_language(row.consent_text, row.consent_text_en or row.consent_text) if row else ""
    if not text:
        text = (gettext("I agree that %(company)s stores my details and contacts me by e-mail or phone about my "
                        "request. I can withdraw this consent at any time.")
                % {"company": name or gettext("the company")})
    return {"company_name": name, "logo_url": row.logo_url if row else "", "privacy_url": row.privacy_url if row else "",
            "consent_text": text}
