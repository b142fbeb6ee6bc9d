"""Telemarketing aimed at potential: the call list from the opportunity list in one step (preview, create); its
results against the control group are on the campaign page and in the export ``telemarketing_results``."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.campaigns.choices import ExclusionReason
from isf.campaigns.errors import CampaignsError
from isf.campaigns.forms import TelemarketingForm
from isf.campaigns.services import telemarketing as services
from isf.campaigns.telemarketing_reasons import reason_texts
from isf.customers.models import Account
from isf.customers.selectors import targeting_only

PREVIEW_ROWS = 25


def _initial(request) -> dict:
    """The portfolio page's link carries its segment and share-of-wallet limit (`segment`, `max_sow`)."""
    from isf.core.params import QueryParams
    from isf.segmentation.models import Segment

    query = QueryParams(request.GET)
    initial = {"control_share": services.DEFAULT_CONTROL_SHARE,
               "max_share_of_wallet": query.integer("max_sow", services.DEFAULT_MAX_SHARE_OF_WALLET, minimum=1,
                                                    maximum=100)}
    segment = query.choice("segment", list(Segment.objects.values_list("code", flat=True)))
    if segment:
        initial["segment"] = [segment]
    query.warn(request)
    return initial


def _preview(form, *, figures: bool) -> dict:
    preview = services.telemarketing_preview(filters=form.filters())
    rows = preview["rows"][:PREVIEW_ROWS]
    reasons = services.entry_reasons(rows, preview["filters"], today=timezone.localdate()) if rows else {}
    accounts = Account.objects.select_related("segment", "region").in_bulk([r["pk"] for r in rows])
    shown = [{"account": accounts[r["pk"]], "reasons": reason_texts(reasons[r["pk"]], figures=figures)}
             for r in rows]
    share = form.cleaned_data.get("control_share")
    held = services.control_size(preview["eligible"], share) if share is not None and 0 <= share <= 50 else None
    return {"preview": preview, "shown": shown, "held": held,
            "called": preview["eligible"] - held if held is not None else None,
            "reasons": [(ExclusionReason(k).label, v) for k, v in preview["excluded"].items() if v]}


def telemarketing_new(request):
    """One step from the opportunity list to a call list, for the VL, the IDL and marketing."""
    figures = not targeting_only(request.user)
    context: dict = {"figures": figures}
    if request.method == "POST":
        form = TelemarketingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if request.POST.get("preview"):
                    services.check_control_share(data["control_share"])
                    context.update(_preview(form, figures=figures))
                else:
                    campaign = services.telemarketing_list_create(
                        name=data["name"], filters=form.filters(), user=request.user,
                        control_share=data["control_share"], agents=data["agents"],
                        description=data["description"], max_attempts=data["max_attempts"])
                    messages.success(request, _("Call list created with %(n)s entries; %(m)s accounts held out as "
                                                "the control group.")
                                     % {"n": campaign.entries.count(), "m": campaign.control_accounts.count()})
                    return redirect(campaign)
            except CampaignsError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    else:
        form = TelemarketingForm(initial=_initial(request))
    context["form"] = form
    return render(request, "campaigns/telemarketing_new.html", context)
