"""Review meeting pages: list, meeting (agenda, notes, actions), review pack (HTML, PDF), announcements."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from isf.core.access import can
from isf.core.audit import history_for
from isf.core.params import next_url
from isf.org.choices import Role
from isf.org.models import User
from isf.reviews import selectors, services
from isf.reviews.forms import ActionForm, AgendaForm, AnnouncementForm, MeetingForm
from isf.reviews.models import Announcement, ReviewMeeting
from isf.reviews.pdf import PdfError, html_to_pdf
from isf.targets.selectors import drafts as target_drafts


def _lead(role):
    return User.objects.filter(role=role, is_active=True).order_by("pk").first()


def meeting_list(request):
    upcoming, past = selectors.meetings()
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        vl = request.user if request.user.role == Role.SALES_LEAD else _lead(Role.SALES_LEAD)
        idl = request.user if request.user.role == Role.INSIDE_LEAD else _lead(Role.INSIDE_LEAD)
        if vl is None or idl is None:
            form.add_error(None, _("A review meeting needs an active sales lead and inside-sales lead."))
        else:
            try:
                meeting = services.meeting_create(
                    title=d["title"], period_start=d["period_start"], period_end=d["period_end"],
                    scheduled_at=d["scheduled_at"], location=d["location"], sales_lead=vl, inside_lead=idl,
                    actor=request.user,
                )
            except services.ReviewError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, _("Review meeting planned."))
                return redirect(meeting)
    return render(request, "reviews/list.html", {
        "upcoming": upcoming, "past": past, "form": form,
        "announcements": selectors.announcement_list(),
        "announcement_form": AnnouncementForm() if can(request.user, "reviews:announcement-new", "POST") else None,
    })


def _detail_context(meeting, **forms):
    return {
        "meeting": meeting,
        "agenda": meeting.agenda.all(),
        "actions": meeting.actions.select_related("owner", "task"),
        "action_form": forms.get("action_form") or ActionForm(),
        "agenda_form": forms.get("agenda_form") or AgendaForm(),
        "history": history_for(meeting, limit=30),
        "target_drafts": target_drafts(),
    }


def meeting_detail(request, pk: int):
    meeting = get_object_or_404(ReviewMeeting.objects.select_related("sales_lead", "inside_lead"), pk=pk)
    return render(request, "reviews/detail.html", _detail_context(meeting))


@require_POST
def meeting_record(request, pk: int):
    meeting = get_object_or_404(ReviewMeeting, pk=pk)
    item_notes = {item.pk: request.POST.get(f"item-{item.pk}", item.notes) for item in meeting.agenda.all()}
    try:
        services.meeting_record(meeting=meeting, notes=request.POST.get("notes", ""), item_notes=item_notes,
                                actor=request.user, held=bool(request.POST.get("held")))
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Notes saved."))
    return redirect(meeting)


@require_POST
def agenda_add(request, pk: int):
    meeting = get_object_or_404(ReviewMeeting, pk=pk)
    form = AgendaForm(request.POST)
    if form.is_valid():
        services.agenda_item_add(meeting=meeting, title=form.cleaned_data["title"], actor=request.user)
        return redirect(meeting)
    return render(request, "reviews/detail.html", _detail_context(meeting, agenda_form=form), status=400)


@require_POST
def action_add(request, pk: int):
    meeting = get_object_or_404(ReviewMeeting, pk=pk)
    form = ActionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.action_add(meeting=meeting, title=d["title"], owner=d["owner"], due_date=d["due_date"],
                                actor=request.user)
        except services.ReviewError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("Action agreed; it is now a task in the owner's work queue."))
            return redirect(meeting)
    return render(request, "reviews/detail.html", _detail_context(meeting, action_form=form), status=400)


def pack(request, pk: int):
    meeting = get_object_or_404(ReviewMeeting.objects.select_related("sales_lead", "inside_lead"), pk=pk)
    return render(request, "reviews/pack.html", selectors.review_pack(meeting))


#: The styles of the printed pack, embedded: the printer loads nothing but the page (isf.core.pdf).
PRINT_STYLES = ("vendor/pico/pico.min.css", "css/isf.css", "reviews/print.css", "targets/targets.css")


def _print_css() -> str:
    found = (finders.find(path) for path in PRINT_STYLES)
    return "\n".join(Path(path).read_text(encoding="utf-8") for path in found if path)


def pack_html_document(meeting) -> str:
    """The standalone pack document that Chromium prints (our own style sheets embedded)."""
    context = selectors.review_pack(meeting)
    context["print_css"] = _print_css()
    return render_to_string("reviews/pack_print.html", context)


def pack_pdf(request, pk: int):
    meeting = get_object_or_404(ReviewMeeting.objects.select_related("sales_lead", "inside_lead"), pk=pk)
    try:
        pdf = html_to_pdf(pack_html_document(meeting))
    except PdfError as exc:
        messages.error(request, _("The PDF could not be created: %(error)s") % {"error": exc})
        return redirect("reviews:pack", pk=pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="review-pack-{meeting.pk}-{stamp}.pdf"'
    return response


@require_POST
def announcement_new(request):
    form = AnnouncementForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.announcement_post(author=request.user, title=d["title"], body=d["body"], kind=d["kind"],
                                       team=d["team"])
        except services.ReviewError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Announcement posted to inside sales."))
    else:
        messages.error(request, _("Please fill in kind, title and message."))
    return redirect("reviews:list")


@require_POST
@login_required
def announcement_ack(request, pk: int):
    announcement = get_object_or_404(Announcement, pk=pk)
    try:
        services.announcement_acknowledge(announcement=announcement, user=request.user)
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    return redirect(next_url(request, "home"))
