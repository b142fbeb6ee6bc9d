"""Booking a visit into a field rep's calendar, the rep's calendar page and the iCalendar feed."""

from datetime import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from isf.campaigns import selectors
from isf.campaigns.choices import AppointmentStatus
from isf.campaigns.errors import CampaignsError
from isf.campaigns.models import Appointment, CallListEntry, Lead, RepCalendar
from isf.campaigns.services import appointments as services
from isf.campaigns.services.leads import region_rep
from isf.campaigns.views.common import error
from isf.core.params import QueryParams
from isf.customers.models import Account
from isf.org.choices import Role
from isf.org.models import User


def _query(request) -> QueryParams:
    """The booking's target and rep come with the link (GET) and the form (POST); an invalid id is a 400."""
    return QueryParams(request.POST if request.method == "POST" else request.GET, strict=True)


def _target(request):
    query = _query(request)
    entry = account = lead = None
    if entry_id := query.id("entry"):
        entry = get_object_or_404(CallListEntry.objects.select_related("account"), pk=entry_id)
        account = entry.account
    elif account_id := query.id("account"):
        account = get_object_or_404(Account, pk=account_id)
    elif lead_id := query.id("lead"):
        lead = get_object_or_404(Lead, pk=lead_id)
    else:
        raise Http404("no account, lead or call-list entry given")
    return entry, account, lead


def appointment_book(request):
    entry, account, lead = _target(request)
    reps = User.objects.filter(role=Role.FIELD_REP, is_active=True).order_by("last_name")
    rep = None
    if rep_id := _query(request).id("rep"):
        rep = get_object_or_404(reps, pk=rep_id)
    else:
        rep = (
            (account.owner if account is not None and account.owner_id else None)
            or region_rep(account.region if account is not None else lead.region)
            or reps.first()
        )
    if request.method == "POST":
        try:
            start = datetime.fromisoformat(request.POST.get("start", ""))
        except ValueError:
            messages.error(request, _("Start: please choose a slot."))
        else:
            if timezone.is_naive(start):
                start = timezone.make_aware(start)
            try:
                appt = services.appointment_book(
                    rep=rep,
                    start=start,
                    user=request.user,
                    account=account,
                    lead=lead,
                    entry=entry,
                    topic=request.POST.get("topic", ""),
                )
            except CampaignsError as exc:
                error(request, exc)
            else:
                messages.success(
                    request,
                    _("Appointment booked for %(rep)s on %(when)s.")
                    % {"rep": rep, "when": timezone.localtime(appt.start).strftime("%d.%m.%Y %H:%M")},
                )
                if entry is not None:
                    return redirect("campaigns:call-list", pk=entry.campaign_id)
                return redirect(lead if lead is not None else "campaigns:appointment-list")
    slots = services.rep_free_slots(rep=rep) if rep is not None else []
    days: dict = {}
    for start, end in slots:
        days.setdefault(start.date(), []).append((start, end))
    return render(
        request,
        "campaigns/appointment_book.html",
        {
            "entry": entry,
            "account": account,
            "lead": lead,
            "rep": rep,
            "reps": reps,
            "days": sorted(days.items()),
        },
    )


def appointment_list(request):
    """A rep's own calendar; leads and agents choose a rep."""
    if request.user.role == Role.FIELD_REP:
        rep = request.user
    else:
        rep_id = QueryParams(request.GET, strict=True).id("rep")
        rep = get_object_or_404(User, pk=rep_id, role=Role.FIELD_REP) if rep_id else None
    reps = User.objects.filter(role=Role.FIELD_REP, is_active=True).order_by("last_name")
    appts, cal, feed_url, cancellable = [], None, "", set()
    if rep is not None:
        cal = services.rep_calendar(rep)
        appts = (
            Appointment.objects.filter(rep=rep, end__gte=timezone.now(), status=AppointmentStatus.BOOKED)
            .select_related("account", "lead", "booked_by")
            .order_by("start")
        )
        cancellable = set(selectors.appointments_cancellable_by(request.user).filter(
            rep=rep, status=AppointmentStatus.BOOKED).values_list("pk", flat=True))  # the cancel buttons
        if rep == request.user:
            feed_url = request.build_absolute_uri(reverse("campaigns:calendar-feed", args=[cal.feed_token]))
    return render(
        request,
        "campaigns/appointment_list.html",
        {"rep": rep, "reps": reps, "appointments": appts, "cal": cal, "feed_url": feed_url, "cancellable": cancellable},
    )


@require_POST
def feed_renew(request):
    services.feed_token_renew(rep=request.user)
    messages.success(request, _("New calendar address created; the old one no longer works."))
    return redirect("campaigns:appointment-list")


@require_POST
def appointment_cancel(request, pk: int):
    appt = get_object_or_404(selectors.appointments_cancellable_by(request.user), pk=pk)
    try:
        services.appointment_cancel(appointment=appt, user=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("Appointment cancelled."))
    except CampaignsError as exc:
        error(request, exc)
    return redirect("campaigns:appointment-list")


def calendar_feed(request, token: str):
    """The secret per-rep iCalendar feed (no login: the token is the key)."""
    cal = RepCalendar.objects.select_related("rep").filter(feed_token=token).first()
    if cal is None or not cal.rep.is_active:
        raise Http404("unknown calendar")
    response = HttpResponse(services.ical_feed(cal=cal), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="isf-termine.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
