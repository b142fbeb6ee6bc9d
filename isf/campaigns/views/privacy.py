"""The lead's privacy page (GDPR): export as JSON, record consent or objection, erase by anonymising.

For the sales lead, the inside-sales lead and the admin (docs/permissions.md, "Privacy"); every action is
written to the privacy log, which the page shows.
"""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from isf.campaigns import gdpr
from isf.campaigns.models import Lead
from isf.core.access import can
from isf.customers.gdpr import ERASED, GdprError
from isf.customers.models import PrivacyEvent


def may_manage_privacy(user) -> bool:
    return can(user, "campaigns:lead-privacy")


def lead_privacy(request, pk: int):
    lead = get_object_or_404(Lead.objects.select_related("region", "team", "converted_account"), pk=pk)
    return render(request, "campaigns/lead_privacy.html", {
        "lead": lead,
        "erased": lead.company == ERASED,
        "events": gdpr.privacy_events(lead),
        "actions": [(PrivacyEvent.Action.CONSENT, _("Consent")), (PrivacyEvent.Action.OBJECTION, _("Objection"))],
        "activities": lead.activities.count(),
        "appointments": lead.appointments.count(),
        "tasks": gdpr.lead_tasks(lead).count(),
    })


@require_POST
def lead_privacy_action(request, pk: int, action: str):
    lead = get_object_or_404(Lead, pk=pk)
    try:
        if action == "export":
            data = gdpr.lead_export(lead=lead, actor=request.user)
            response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2),
                                    content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="lead-{lead.pk}-personal-data.json"'
            return response
        if action == "erase":
            if request.POST.get("confirm") != "yes":
                messages.error(request, _("Confirm: tick the box to erase the person's data."))
            else:
                gdpr.lead_erase(lead=lead, actor=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, _("The person's data was erased; the business records are kept."))
        elif action == "record":
            gdpr.lead_privacy_record(lead=lead, action=request.POST.get("kind", ""), actor=request.user,
                                     note=request.POST.get("note", ""))
            messages.success(request, _("Recorded in the privacy log."))
        else:
            messages.error(request, _("Unknown action."))
    except GdprError as exc:
        messages.error(request, str(exc))
    return redirect("campaigns:lead-privacy", pk=lead.pk)
