"""Campaign list, builder with preview, progress, and the agent's call list."""

from datetime import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from isf.campaigns import selectors
from isf.campaigns.choices import CampaignKind, CampaignStatus, EntryStatus, ExclusionReason
from isf.campaigns.errors import CampaignsError
from isf.campaigns.forms import CallForm, CampaignForm
from isf.campaigns.models import CallListEntry, Campaign
from isf.campaigns.services import campaigns as services
from isf.campaigns.telemarketing_reasons import attach_reason_texts
from isf.campaigns.telemarketing_results import list_results
from isf.campaigns.views.common import error, form_errors
from isf.core.access import can
from isf.core.params import QueryParams
from isf.customers.selectors import account_figures, targeting_only
from isf.org.choices import Role
from isf.org.models import User

AGENT_ROLES = (Role.INSIDE_AGENT, Role.INSIDE_LEAD)


def campaign_list(request):
    campaigns = selectors.campaign_list()
    mine = []
    if request.user.role in AGENT_ROLES:
        mine = list(
            Campaign.objects.filter(
                status=CampaignStatus.ACTIVE, entries__agent=request.user, entries__status=EntryStatus.OPEN
            ).distinct()
        )
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "campaigns": campaigns,
            "mine": mine,
            "can_build": can(request.user, "campaigns:campaign-new"),
        },
    )


def _preview_context(form) -> dict:
    preview = services.campaign_preview(filters=form.filters())
    reasons = [(ExclusionReason(k).label, v) for k, v in preview["excluded"].items()]
    return {"preview": preview, "reasons": reasons}


def campaign_new(request):
    context: dict = {}
    if request.method == "POST":
        form = CampaignForm(request.POST)
        if form.is_valid():
            try:
                if request.POST.get("preview"):
                    context.update(_preview_context(form))
                else:
                    campaign = services.campaign_create(
                        name=form.cleaned_data["name"],
                        kind=form.cleaned_data["kind"],
                        filters=form.filters(),
                        user=request.user,
                        max_attempts=form.cleaned_data["max_attempts"],
                        agents=form.cleaned_data["agents"],
                        description=form.cleaned_data["description"],
                    )
                    messages.success(
                        request, _("Campaign created with %(n)s entries.") % {"n": campaign.entries.count()}
                    )
                    return redirect(campaign)
            except CampaignsError as exc:
                form.add_error(None, exc.message)
    else:
        form = CampaignForm()
    context["form"] = form
    template = (
        "campaigns/campaign_new.html#preview"
        if request.htmx and "preview" in context
        else "campaigns/campaign_new.html"
    )
    return render(request, template, context)


def campaign_detail(request, pk: int):
    campaign = get_object_or_404(Campaign.objects.select_related("created_by"), pk=pk)
    excluded = [(ExclusionReason(k).label, v) for k, v in campaign.excluded.items()]
    agents = User.objects.filter(role__in=AGENT_ROLES, is_active=True).order_by("last_name")
    visible = selectors.campaign_entries_visible_to(request.user, campaign)  # an agent: his team's accounts
    entries = visible.select_related("account", "agent").order_by("status", "next_attempt_at", "pk")[:50]
    figures = not targeting_only(request.user)  # marketing: no revenue or potential (the account scope)
    results = None
    if campaign.kind == CampaignKind.TELEMARKETING:
        entries = attach_reason_texts(entries, figures=figures)
        results = list_results(campaign)
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "progress": selectors.campaign_progress(campaign=campaign, user=request.user),
            "excluded": excluded,
            "agents": agents,
            "entries": entries,
            "can_build": can(request.user, "campaigns:campaign-new"),
            "unassigned": visible.filter(status=EntryStatus.OPEN, agent__isnull=True).count(),
            "results": results,
            "figures": figures,
        },
    )


@require_POST
def campaign_assign(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    agents = User.objects.filter(pk__in=QueryParams(request.POST, strict=True).ids("agents"))  # no id: 400
    try:
        n = services.campaign_assign(campaign=campaign, agents=agents, user=request.user)
        messages.success(request, _("%(n)s entries assigned.") % {"n": n})
    except CampaignsError as exc:
        error(request, exc)
    return redirect(campaign)


def call_list(request, pk: int):
    """The agent works the list: one due entry at a time, with its consent state and figures."""
    campaign = get_object_or_404(Campaign, pk=pk)
    entry = services.next_entry(campaign=campaign, agent=request.user)
    context = {"campaign": campaign, "entry": entry, "form": CallForm()}
    if entry is not None:
        account = entry.account
        context.update(
            {
                "phones": account.phones.select_related("contact"),
                "contacts": account.contacts.all(),
                "figures": account_figures(account=account),
                "calls": entry.calls.select_related("agent")[:10],
                "reason_texts": attach_reason_texts([entry], figures=True)[0].reason_texts,
            }
        )
    context["remaining"] = campaign.entries.filter(status=EntryStatus.OPEN, agent=request.user).count()
    context["later"] = campaign.entries.filter(
        status=EntryStatus.OPEN, agent=request.user, next_attempt_at__gt=timezone.now()
    ).order_by("next_attempt_at")[:10]
    return render(request, "campaigns/call_list.html", context)


@require_POST
def call_record(request, pk: int):
    entry = get_object_or_404(CallListEntry.objects.select_related("campaign"), pk=pk)
    form = CallForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("campaigns:call-list", pk=entry.campaign_id)
    callback_at = form.cleaned_data.get("callback_at")
    if isinstance(callback_at, datetime) and timezone.is_naive(callback_at):
        callback_at = timezone.make_aware(callback_at)
    try:
        services.call_record(
            entry=entry,
            agent=request.user,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            callback_at=callback_at,
            order_value=form.cleaned_data.get("order_value"),
        )
        messages.success(request, _("Call recorded."))
    except CampaignsError as exc:
        error(request, exc)
    return redirect("campaigns:call-list", pk=entry.campaign_id)
