"""GDPR for leads (Interessenten): export everything held about the lead person, erase by anonymising,
and record consent and objection.

The lead row stays after erasure, so campaign statistics, appointments in the reps' calendars, the
work-queue tasks and a converted account keep their records; the person's data (name, e-mail, phone,
address, message, notes) is gone, also from the audit history, whose rows hold the old values. The
privacy log (`PrivacyEvent`, subject "lead") records every export, erasure, consent and objection with
who and when, and it is part of the export ("consent and objection history").
"""

from django.db import transaction
from django.utils import timezone

from isf.campaigns.choices import OPEN_LEAD_STATUSES, LeadStatus
from isf.campaigns.models import Lead
from isf.customers.gdpr import ERASED, GdprError, history_rows
from isf.customers.models import PrivacyEvent

SUBJECT = "lead"
RECORDABLE = {PrivacyEvent.Action.CONSENT, PrivacyEvent.Action.OBJECTION}


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _user(user) -> str | None:
    return user.get_username() if user else None


def lead_tasks(lead: Lead):
    """The work-queue tasks produced for this lead (follow-up and the like)."""
    from isf.planning.models import Task

    return Task.objects.filter(dedupe_key__startswith=f"lead:{lead.pk}:").order_by("created_at", "pk")


def privacy_events(lead: Lead):
    return PrivacyEvent.objects.filter(subject_type=SUBJECT, subject_id=lead.pk).select_related("actor").order_by(
        "at", "pk")


def _call_list(lead: Lead) -> list[dict]:
    """Campaign call-list entries with their calls: those of the account the lead became."""
    if not lead.converted_account_id:
        return []
    from isf.campaigns.models import CallListEntry

    entries = CallListEntry.objects.filter(account_id=lead.converted_account_id).select_related("campaign", "agent")
    return [
        {"campaign": e.campaign.name, "status": e.status, "outcome": e.outcome, "attempts": e.attempts,
         "agent": _user(e.agent), "last_attempt_at": _iso(e.last_attempt_at),
         "calls": [{"at": _iso(c.at), "outcome": c.outcome, "note": c.note} for c in e.calls.order_by("at", "pk")]}
        for e in entries.order_by("pk")
    ]


def lead_export(*, lead: Lead, actor=None) -> dict:
    """Everything held about the lead person as JSON-ready data; the export itself is logged."""
    lead = Lead.objects.select_related("region", "team", "assigned_to", "created_by", "source_account",
                                       "converted_account").get(pk=lead.pk)
    data = {
        "kind": "lead",
        "id": lead.pk,
        "company": lead.company,
        "contact_name": lead.contact_name,
        "email": lead.email,
        "phone": lead.phone,
        "address": {"street": lead.street, "postcode": lead.postcode, "city": lead.city,
                    "region": lead.region.code if lead.region_id else None},
        "industry": lead.industry,
        "employee_band": lead.employee_band,
        "potential": str(lead.potential),
        "message": lead.message,
        "private_person": lead.is_private,
        "need": lead.need,
        "consent": {"text": lead.consent_text, "given_at": lead.consent_at.isoformat() if lead.consent_at else None},
        "source": lead.source,
        "referred_by": lead.source_account.erp_number if lead.source_account_id else None,
        "status": lead.status,
        "qualification": {"class": lead.qualification_class, "score": str(lead.score), "fit": str(lead.fit_score),
                          "engagement": str(lead.engagement_score), "reasons": lead.reasons},
        "disqualify_reason": lead.disqualify_reason,
        "assigned_to": _user(lead.assigned_to),
        "team": lead.team.code if lead.team_id else None,
        "created_at": _iso(lead.created_at),
        "created_by": _user(lead.created_by),
        "first_contact_at": _iso(lead.first_contact_at),
        "followup_due_at": _iso(lead.followup_due_at),
        "converted_account": lead.converted_account.erp_number if lead.converted_account_id else None,
        "activities": [{"at": _iso(a.at), "kind": a.kind, "note": a.note, "by": _user(a.user)}
                       for a in lead.activities.select_related("user").order_by("at", "pk")],
        "appointments": [{"start": _iso(a.start), "end": _iso(a.end), "topic": a.topic, "status": a.status,
                          "rep": _user(a.rep)} for a in lead.appointments.select_related("rep").order_by("start")],
        "tasks": [{"title": t.title, "reason": t.reason, "due_at": _iso(t.due_at), "status": t.status,
                   "note": t.note} for t in lead_tasks(lead)],
        "call_list_entries": _call_list(lead),
        "history": history_rows(lead),
        "privacy_events": [{"at": _iso(e.at), "action": e.action, "by": _user(e.actor), "note": e.note}
                           for e in privacy_events(lead)],
        "exported_at": timezone.now().isoformat(),
    }
    PrivacyEvent.objects.create(actor=actor, action=PrivacyEvent.Action.EXPORT, subject_type=SUBJECT,
                                subject_id=lead.pk)
    return data


def _scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, ERASED)
    return text


def lead_tasks_scrub(lead: Lead) -> int:
    """Remove the lead person's name, company, e-mail and phone from the lead's tasks and their history.

    The tasks stay (they are work records); used by erasure and by the retention run, which deletes the lead.
    """
    from isf.planning.services import task_texts_erase

    secrets = sorted({s for s in (lead.company, lead.contact_name, lead.email, lead.phone) if len(s) >= 3},
                     key=len, reverse=True)
    n = 0
    for task in lead_tasks(lead):
        scrubbed = {"title": _scrub(task.title, secrets)[:200], "title_en": _scrub(task.title_en, secrets)[:200],
                    "reason": _scrub(task.reason, secrets)[:300], "reason_en": _scrub(task.reason_en, secrets)[:300],
                    "note": ""}
        n += task_texts_erase(task=task, values=scrubbed)
    return n


@transaction.atomic
def lead_erase(*, lead: Lead, actor=None, reason: str = "") -> Lead:
    """Anonymise the lead person; the lead row, its scores, appointments and tasks stay as business records."""
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.company == ERASED and lead.contact_name == "":
        raise GdprError(f"lead {lead.pk} is already erased")
    lead_tasks_scrub(lead)
    lead.company = ERASED
    lead.contact_name = ""
    lead.email = f"lead-{lead.pk}@erased.invalid"  # a lead needs a contact channel; this one reaches nobody
    lead.phone = ""
    lead.street = lead.postcode = lead.city = ""
    lead.message = lead.need = ""
    lead.reasons = []
    if lead.status in OPEN_LEAD_STATUSES:  # nobody may contact the person again
        lead.status = LeadStatus.DISQUALIFIED
        lead.disqualify_reason = "DSGVO: Daten gelöscht / GDPR: data erased"
    lead.save()
    lead.activities.update(note="")
    lead.appointments.update(topic="")
    lead.history.all().delete()  # the audit rows hold the old personal values
    PrivacyEvent.objects.create(actor=actor, action=PrivacyEvent.Action.ERASE, subject_type=SUBJECT,
                                subject_id=lead.pk, note=reason[:300])
    return lead


@transaction.atomic
def lead_privacy_record(*, lead: Lead, action: str, actor=None, note: str = "") -> PrivacyEvent:
    """Record the person's consent or objection (Widerspruch); an objection also ends any further contact."""
    if action not in RECORDABLE:
        raise GdprError(f"action: record consent or objection, not {action!r}")
    note = (note or "").strip()
    if not note:
        raise GdprError("note: say how and when the person consented or objected")
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    event = PrivacyEvent.objects.create(actor=actor, action=action, subject_type=SUBJECT, subject_id=lead.pk,
                                        note=note[:300])
    if action == PrivacyEvent.Action.OBJECTION and lead.status in OPEN_LEAD_STATUSES:
        from isf.planning.services import tasks_close_by_key

        lead.status = LeadStatus.DISQUALIFIED
        lead.disqualify_reason = f"Widerspruch / objection: {note}"[:200]
        lead.save(update_fields=["status", "disqualify_reason"])
        tasks_close_by_key(dedupe_key=f"lead:{lead.pk}:followup", outcome="objection", note=note[:300])
    return event
