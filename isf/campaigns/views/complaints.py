"""Complaints, quote follow-ups with conversion, buying center and company changes."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from isf.campaigns import selectors
from isf.campaigns.choices import ComplaintStatus
from isf.campaigns.errors import CampaignsError
from isf.campaigns.forms import (
    CompanyChangeForm,
    ComplaintForm,
    ContactStatusForm,
    QuoteOutcomeForm,
    ResolveForm,
    SatisfactionForm,
)
from isf.campaigns.models import Complaint, QuoteFollowup
from isf.campaigns.services import accounts as account_services
from isf.campaigns.services import complaints as services
from isf.campaigns.views.common import error, form_errors
from isf.core.audit import history_for
from isf.core.params import QueryParams
from isf.customers.models import Contact
from isf.customers.selectors import account_search, accounts_visible_to


def complaint_list(request):
    query = QueryParams(request.GET)
    status = query.choice("status", ComplaintStatus.values)
    page_number = query.page()
    query.warn(request)
    qs = Complaint.objects.filter(account__in=accounts_visible_to(request.user)).select_related("account")
    if status:
        qs = qs.filter(status=status)
    page = Paginator(qs, 25).get_page(page_number)
    q = query.text("account")
    found = account_search(accounts_visible_to(request.user), q).order_by("name")[:10] if q else []
    return render(
        request,
        "campaigns/complaint_list.html",
        {
            "page": page,
            "status": status,
            "statuses": ComplaintStatus.choices,
            "querystring": f"status={status}" if status else "",
            "q": q,
            "found": found,
        },
    )


def complaint_new(request, account_pk: int):
    account = get_object_or_404(accounts_visible_to(request.user), pk=account_pk)
    if request.method == "POST":
        form = ComplaintForm(request.POST)
        if form.is_valid():
            try:
                complaint = services.complaint_create(account=account, user=request.user, **form.cleaned_data)
            except CampaignsError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Complaint recorded."))
                return redirect(complaint)
    else:
        form = ComplaintForm()
    return render(request, "campaigns/complaint_new.html", {"form": form, "account": account})


def complaint_detail(request, pk: int):
    complaint = get_object_or_404(
        Complaint.objects.filter(account__in=accounts_visible_to(request.user)).select_related("account", "order"),
        pk=pk,
    )
    goodwill_request = selectors.goodwill_request_for(complaint) if complaint.goodwill_eur else None
    user = request.user
    return render(
        request,
        "campaigns/complaint_detail.html",
        {
            "complaint": complaint,
            "goodwill_request": goodwill_request,
            "can_open_request": goodwill_request is not None
            and (user.pk in (goodwill_request.approver_id, goodwill_request.requested_by_id) or user.is_lead),
            "resolve_form": ResolveForm(),
            "satisfaction_form": SatisfactionForm(),
            "events": complaint.events.select_related("actor"),
            "history": history_for(complaint, limit=20),
        },
    )


@require_POST
def complaint_action(request, pk: int, action: str):
    complaint = get_object_or_404(Complaint.objects.filter(account__in=accounts_visible_to(request.user)), pk=pk)
    try:
        if action == "resolve":
            form = ResolveForm(request.POST)
            if not form.is_valid():
                form_errors(request, form)
                return redirect(complaint)
            complaint = services.complaint_resolve(
                complaint=complaint,
                user=request.user,
                resolution=form.cleaned_data["resolution"],
                goodwill_eur=form.cleaned_data["goodwill_eur"] or 0,
            )
            if complaint.status == ComplaintStatus.AWAITING_APPROVAL:
                messages.warning(
                    request, _("The goodwill is above the decision rights: an approval request went to the owner.")
                )
            else:
                messages.success(request, _("Complaint resolved; a satisfaction call is scheduled."))
        elif action == "satisfaction":
            form = SatisfactionForm(request.POST)
            if not form.is_valid():
                form_errors(request, form)
                return redirect(complaint)
            data = form.cleaned_data
            referral = None
            if data["referral_company"]:
                referral = {
                    "company": data["referral_company"],
                    "contact_name": data["referral_contact"],
                    "phone": data["referral_phone"],
                    "email": data["referral_email"],
                }
            services.complaint_satisfaction_record(
                complaint=complaint,
                user=request.user,
                satisfied=data["satisfied"],
                note=data["note"],
                cross_sell=data["cross_sell"],
                referral=referral,
            )
            messages.success(request, _("Satisfaction call recorded."))
        else:
            messages.error(request, _("Unknown action."))
    except CampaignsError as exc:
        error(request, exc)
    return redirect(complaint)


FOLLOWUP_SHOWS = ("open", "decided")  # the two tabs of the quote follow-ups


def quote_followups(request):
    qs = QuoteFollowup.objects.filter(quote__account__in=accounts_visible_to(request.user)).select_related(
        "quote", "quote__account", "team", "task"
    )
    query = QueryParams(request.GET)
    show = query.choice("show", FOLLOWUP_SHOWS, default="open")
    page_number = query.page()
    query.warn(request)
    qs = qs.filter(outcome="") if show == "open" else qs.exclude(outcome="")
    page = Paginator(qs.order_by("due_at", "pk"), 25).get_page(page_number)
    return render(
        request,
        "campaigns/quote_followups.html",
        {
            "page": page,
            "show": show,
            "form": QuoteOutcomeForm(),
            "conversion": selectors.quote_conversion(),
            "querystring": f"show={show}",
        },
    )


@require_POST
def quote_outcome(request, pk: int):
    followup = get_object_or_404(
        QuoteFollowup.objects.filter(quote__account__in=accounts_visible_to(request.user)), pk=pk
    )
    form = QuoteOutcomeForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        try:
            account_services.quote_outcome_record(followup=followup, user=request.user, **form.cleaned_data)
            messages.success(request, _("Outcome recorded."))
        except CampaignsError as exc:
            error(request, exc)
    return redirect("campaigns:quote-followups")


def buying_center(request, account_pk: int):
    account = get_object_or_404(accounts_visible_to(request.user).select_related("segment", "owner"), pk=account_pk)
    query = QueryParams(request.GET)
    months = query.integer("months", 6, minimum=1, maximum=36)
    query.warn(request)
    return render(
        request,
        "campaigns/buying_center.html",
        {
            "account": account,
            "bc": selectors.buying_center(account=account, months=months),
            "status_form": ContactStatusForm(),
            "change_form": CompanyChangeForm(),
            "changes": account.company_changes.select_related("recorded_by")[:10],
        },
    )


@require_POST
def contact_status(request, pk: int):
    contact = get_object_or_404(Contact.objects.filter(account__in=accounts_visible_to(request.user)), pk=pk)
    form = ContactStatusForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        try:
            tasks = account_services.contact_status_change(
                contact=contact, status=form.cleaned_data["status"], user=request.user
            )
            messages.success(request, _("Contact updated; %(n)s re-mapping tasks created.") % {"n": len(tasks)})
        except CampaignsError as exc:
            error(request, exc)
    return redirect("campaigns:buying-center", account_pk=contact.account_id)


@require_POST
def company_change(request, account_pk: int):
    account = get_object_or_404(accounts_visible_to(request.user), pk=account_pk)
    form = CompanyChangeForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        try:
            account_services.company_change_record(account=account, user=request.user, **form.cleaned_data)
            messages.success(request, _("Company change recorded; the owner re-estimates the potential."))
        except CampaignsError as exc:
            error(request, exc)
    return redirect("campaigns:buying-center", account_pk=account.pk)
