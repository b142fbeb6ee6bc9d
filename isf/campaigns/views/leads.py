"""Lead list, entry, detail with actions, CSV import, and the public contact form."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from isf.campaigns import selectors
from isf.campaigns.choices import LeadSource, LeadStatus, QualificationClass
from isf.campaigns.errors import CampaignsError
from isf.campaigns.forms import ActivityForm, LeadForm, LeadImportForm, PublicContactForm
from isf.campaigns.models import Lead
from isf.campaigns.reasons import lead_reasons
from isf.campaigns.services import leads as services
from isf.campaigns.services.lead_import import ImportErrors, lead_import_csv
from isf.campaigns.views.common import error, form_errors
from isf.core.audit import history_for
from isf.core.params import QueryParams
from isf.core.security import client_ip
from isf.customers.models import Account
from isf.org.choices import Role
from isf.org.models import User


def lead_list(request):
    query = QueryParams(request.GET)
    filters = selectors.lead_filters(query)
    page_number = query.page()
    query.warn(request)
    q, status, cls, source = filters["q"], filters["status"], filters["qualification_class"], filters["source"]
    qs = selectors.lead_list(**filters)
    page = Paginator(qs, 25).get_page(page_number)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "campaigns/lead_list.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "cls": cls,
            "source": source,
            "querystring": params.urlencode(),
            "statuses": LeadStatus.choices,
            "classes": QualificationClass.choices,
            "sources": LeadSource.choices,
            "referrals": selectors.referral_counts(),
        },
    )


def lead_new(request):
    # the referring account comes with the link (GET) and the form (POST); an invalid id is a 400
    query = QueryParams(request.POST if request.method == "POST" else request.GET, strict=True)
    ref_id = query.id("referred_by")
    referrer = get_object_or_404(Account, pk=ref_id) if ref_id else None
    if request.method == "POST":
        form = LeadForm(request.POST)
        if form.is_valid():
            source = (
                LeadSource.REFERRAL
                if referrer
                else (LeadSource.PHONE if request.POST.get("from_call") else LeadSource.MANUAL)
            )
            try:
                result = services.lead_create(
                    data=form.cleaned_data, source=source, user=request.user, source_account=referrer
                )
            except CampaignsError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                if result.duplicate_accounts or result.duplicate_leads:
                    messages.warning(request, _("Possible duplicate found: please merge or confirm the lead as new."))
                else:
                    messages.success(request, _("Lead saved and routed."))
                return redirect(result.lead)
    else:
        form = LeadForm(initial={"phone": query.text("phone"), "company": query.text("company")})
    return render(
        request,
        "campaigns/lead_new.html",
        {"form": form, "referrer": referrer, "from_call": query.flag("phone")},
    )


def lead_detail(request, pk: int):
    lead = get_object_or_404(
        Lead.objects.select_related(
            "region",
            "assigned_to",
            "team",
            "source_account",
            "duplicate_account",
            "duplicate_lead",
            "converted_account",
        ),
        pk=pk,
    )
    accounts, leads = services.find_duplicates(
        company=lead.company, postcode=lead.postcode, email=lead.email, phone=lead.phone, exclude_lead_id=lead.pk
    )
    field_reps = User.objects.filter(role=Role.FIELD_REP, is_active=True).order_by("last_name")
    return render(
        request,
        "campaigns/lead_detail.html",
        {
            "lead": lead,
            "dup_accounts": accounts,
            "dup_leads": leads,
            "activity_form": ActivityForm(),
            "activities": lead.activities.select_related("user")[:30],
            "history": history_for(lead, limit=30),
            "field_reps": field_reps,
            "appointments": lead.appointments.select_related("rep"),
            "reasons": lead_reasons(lead),
        },
    )


def _target(request) -> int | None:
    """The lead or account to merge into: an id, or 400 with the reason (none: 404)."""
    return QueryParams(request.POST, strict=True).id("target", label=_("merge target"))


@require_POST
def lead_action(request, pk: int, action: str):
    lead = get_object_or_404(Lead, pk=pk)
    try:
        if action == "activity":
            form = ActivityForm(request.POST)
            if not form.is_valid():
                form_errors(request, form)
                return redirect(lead)
            services.lead_activity_record(lead=lead, user=request.user, **form.cleaned_data)
            messages.success(request, _("Activity recorded; the score is updated."))
        elif action == "confirm":
            services.lead_confirm_new(lead=lead, user=request.user)
            messages.success(request, _("Confirmed as a new lead."))
        elif action == "merge-lead":
            target = get_object_or_404(Lead, pk=_target(request))
            services.lead_merge(lead=lead, user=request.user, into_lead=target)
            messages.success(request, _("Lead merged."))
            return redirect(target)
        elif action == "merge-account":
            target = get_object_or_404(Account, pk=_target(request))
            services.lead_merge(lead=lead, user=request.user, into_account=target)
            messages.success(request, _("Lead merged into the existing account."))
        elif action == "convert":
            account = services.lead_convert(lead=lead, user=request.user)
            messages.success(request, _("Converted into account %(name)s (phase prospect).") % {"name": account.name})
        elif action == "disqualify":
            services.lead_disqualify(lead=lead, user=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Lead disqualified."))
        else:
            messages.error(request, _("Unknown action."))
    except CampaignsError as exc:
        error(request, exc)
    return redirect(lead)


def lead_import(request):
    errors = []
    if request.method == "POST":
        form = LeadImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                leads = lead_import_csv(raw=form.cleaned_data["file"].read(), user=request.user)
            except ImportErrors as exc:
                errors = exc.errors
                messages.error(request, _("Nothing was imported: %(n)s rows have errors.") % {"n": len(errors)})
            except CampaignsError as exc:
                error(request, exc)
            else:
                messages.success(request, _("%(n)s leads imported and routed.") % {"n": len(leads)})
                return redirect("campaigns:lead-list")
    else:
        form = LeadImportForm()
    return render(request, "campaigns/lead_import.html", {"form": form, "errors": errors})


def public_contact(request):
    """The public web form: no login; the company's name, logo and privacy notice, an explicit consent stored with
    its text and moment; honeypot field and a per-address rate limit over a short window."""
    limit = int(getattr(settings, "ISF_LEAD_FORM_LIMIT", 5))
    window = int(getattr(settings, "ISF_LEAD_FORM_WINDOW_SECONDS", 600))
    company = selectors.contact_form_settings()
    context = {"company": company}

    def page(form, status=200, **extra):
        return render(request, "campaigns/public_contact.html", {**context, "form": form, **extra}, status=status)

    if request.method == "POST":
        key = f"campaigns:contact-form:{client_ip(request) or 'unknown'}"
        cache.add(key, 0, window)
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, window)
            count = 1
        form = PublicContactForm(request.POST, consent_text=company["consent_text"])
        if count > limit:
            return page(form, status=429, limited=True)
        if form.is_valid():
            if form.cleaned_data.get("website"):
                # a bot filled the honeypot: answer as if saved, store nothing
                return page(None, thanks=True)
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("website", "consent")}
            try:
                services.lead_create(data=data, source=LeadSource.WEB_FORM, consent_text=company["consent_text"])
            except CampaignsError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return page(None, thanks=True)
        return page(form, status=400)
    return page(PublicContactForm(consent_text=company["consent_text"]))
