"""GDPR retention for leads: leads never converted are erased after N months (ISF_LEAD_RETENTION_MONTHS).

Erased means deleted together with their activities and audit history, since the history rows
hold the personal values too; their work-queue tasks stay with the person's data scrubbed.
Converted leads live on as accounts and are kept.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction

from isf.campaigns.choices import LeadStatus
from isf.campaigns.gdpr import lead_tasks_scrub
from isf.campaigns.models import Lead


def retention_months() -> int:
    return int(getattr(settings, "ISF_LEAD_RETENTION_MONTHS", 24))


@transaction.atomic
def leads_erase_expired(*, today: date, months: int | None = None) -> dict:
    months = retention_months() if months is None else months
    cutoff = today - timedelta(days=round(months * 30.44))
    expired = Lead.objects.filter(created_at__date__lt=cutoff).exclude(status=LeadStatus.CONVERTED)
    ids = []
    for lead in expired:
        lead_tasks_scrub(lead)  # the tasks stay as work records, without the person's name or company
        ids.append(lead.pk)
    Lead.objects.filter(merged_into_id__in=ids).update(merged_into=None)
    Lead.objects.filter(duplicate_lead_id__in=ids).update(duplicate_lead=None)
    deleted = Lead.objects.filter(pk__in=ids).delete()[0] if ids else 0
    Lead.history.filter(id__in=ids).delete()  # after the delete, which itself writes a history row
    return {"leads_erased": len(ids), "rows_deleted": deleted, "cutoff": cutoff.isoformat()}
