"""Writes of the review meeting: meetings, agenda, notes, agreed actions (-> tasks), announcements."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from isf.core.access import can
from isf.core.text import model_text_problem
from isf.org.choices import Role
from isf.planning.choices import TaskKind
from isf.planning.services import task_create
from isf.reviews.models import (
    Acknowledgement,
    AgendaItem,
    Announcement,
    AnnouncementKind,
    MeetingStatus,
    ReviewAction,
    ReviewMeeting,
)

DEFAULT_AGENDA = [
    gettext_noop("SLA attainment against the contract"),
    gettext_noop("Volumes against expectation"),
    gettext_noop("Ratings and feedback of the field"),
    gettext_noop("Process times"),
    gettext_noop("Capacity: required vs available staff"),
    gettext_noop("Segment figures and contact coverage"),
    gettext_noop("Open escalations"),
    gettext_noop("Strategy and changes for the next period"),
]
INSIDE = {Role.INSIDE_LEAD, Role.INSIDE_AGENT}


class ReviewError(Exception):
    """A review write the rules do not allow; ``field`` names the offending input."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def _require_lead(actor, action: str) -> None:
    """The access declaration decides (isf/reviews/access.py, the page that does ``action``), not a role list here."""
    if actor is None or not can(actor, f"reviews:{action}", "POST"):
        raise ReviewError("only the sales lead and the inside-sales lead manage review meetings", field="actor")


def _text(value: str, field: str, max_length: int = 200) -> str:
    value = (value or "").strip()
    if not value:
        raise ReviewError(f"{field} must not be empty", field=field)
    if len(value) > max_length:
        raise ReviewError(f"{field} is longer than {max_length} characters", field=field)
    return value


@transaction.atomic
def meeting_create(*, title: str, period_start: date, period_end: date, scheduled_at: datetime, sales_lead,
                   inside_lead, actor, location: str = "", agenda: list[str] | None = None) -> ReviewMeeting:
    """Plan a meeting for a period; the agenda defaults to the review pack's sections."""
    _require_lead(actor, "list")
    title = _text(title, "title")
    if period_end < period_start:
        raise ReviewError(f"period end {period_end} is before its start {period_start}", field="period_end")
    if sales_lead.role != Role.SALES_LEAD:
        raise ReviewError(f"{sales_lead} is not a sales lead", field="sales_lead")
    if inside_lead.role != Role.INSIDE_LEAD:
        raise ReviewError(f"{inside_lead} is not an inside-sales lead", field="inside_lead")
    meeting = ReviewMeeting.objects.create(
        title=title, period_start=period_start, period_end=period_end, scheduled_at=scheduled_at,
        sales_lead=sales_lead, inside_lead=inside_lead, location=location[:200],
    )
    # the default topics are stored as their (English) source and shown in the page language (AgendaItem.display_title)
    items = list(DEFAULT_AGENDA) if agenda is None else [a for a in agenda if a.strip()]
    AgendaItem.objects.bulk_create(
        [AgendaItem(meeting=meeting, position=i, title=t.strip()[:200]) for i, t in enumerate(items, start=1)]
    )
    return meeting


@transaction.atomic
def agenda_item_add(*, meeting: ReviewMeeting, title: str, actor) -> AgendaItem:
    _require_lead(actor, "agenda-add")
    title = _text(title, "title")
    last = meeting.agenda.order_by("-position").values_list("position", flat=True).first() or 0
    return AgendaItem.objects.create(meeting=meeting, position=last + 1, title=title)


@transaction.atomic
def meeting_record(*, meeting: ReviewMeeting, notes: str, item_notes: dict[int, str] | None = None, actor,
                   held: bool = True) -> ReviewMeeting:
    """Record the minutes: general notes, notes per agenda item, and mark the meeting held."""
    _require_lead(actor, "record")
    meeting = ReviewMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ReviewError("the meeting was cancelled", field="status")
    for field, model, text in [("notes", ReviewMeeting, notes or ""),
                               *(("notes", AgendaItem, text or "") for text in (item_notes or {}).values())]:
        if (problem := model_text_problem(model, field, text)) is not None:
            raise ReviewError(f"notes: {problem}", field="notes")
    if held and meeting.scheduled_at > timezone.now():
        from django.utils.formats import date_format

        when = date_format(timezone.localtime(meeting.scheduled_at), "SHORT_DATETIME_FORMAT")
        raise ReviewError(gettext("The meeting can be marked held once it has begun; it is scheduled for %(when)s.")
                          % {"when": when}, field="status")
    meeting.notes = notes or ""
    if held:
        meeting.status = MeetingStatus.HELD
    meeting.save()
    for item in meeting.agenda.all():
        if item_notes and item.pk in item_notes and item_notes[item.pk] != item.notes:
            item.notes = item_notes[item.pk] or ""
            item.save(update_fields=["notes"])
    return meeting


@transaction.atomic
def action_add(*, meeting: ReviewMeeting, title: str, owner, due_date: date, actor) -> ReviewAction:
    """Record an agreed action and put it into the owner's work queue as a task (kind: agreed action)."""
    _require_lead(actor, "action-add")
    title = _text(title, "title")
    if owner is None or not owner.is_active:
        raise ReviewError("the action needs an active owner", field="owner")
    if not isinstance(due_date, date):
        raise ReviewError("the due date is missing", field="due_date")
    if due_date < meeting.scheduled_at.astimezone(ZoneInfo(settings.TIME_ZONE)).date():
        raise ReviewError(f"due date {due_date} is before the meeting", field="due_date")
    action = ReviewAction.objects.create(meeting=meeting, title=title, owner=owner, due_date=due_date)
    due_at = datetime.combine(due_date, time(17, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))
    reason = f"Vereinbart im Review-Meeting „{meeting.title}“"
    task = task_create(
        kind=TaskKind.ACTION, title=title, due_at=due_at, assignee=owner, team=None,
        reason=reason, reason_en=f"Agreed in the review meeting “{meeting.title}”",
        source="reviews", source_id=str(action.pk), dedupe_key=f"review-action:{action.pk}",
        url=reverse("reviews:detail", args=[meeting.pk]), actor=actor,
    )
    action.task = task
    action.save(update_fields=["task"])
    return action


@transaction.atomic
def announcement_post(*, author, title: str, body: str, kind: str = AnnouncementKind.OTHER, team=None,
                      published_at: datetime | None = None) -> Announcement:
    """The sales lead tells inside sales (one team or all) about strategy, processes or dissatisfaction."""
    if author is None or not can(author, "reviews:announcement-new", "POST"):
        raise ReviewError("only the sales lead posts announcements", field="author")
    title = _text(title, "title")
    body = _text(body, "body", max_length=5000)
    if kind not in AnnouncementKind.values:
        raise ReviewError(f"unknown kind {kind!r}", field="kind")
    return Announcement.objects.create(author=author, title=title, body=body, kind=kind, team=team,
                                       published_at=published_at or timezone.now())


def announcement_acknowledge(*, announcement: Announcement, user) -> Acknowledgement:
    """Inside sales confirms it has read the announcement (idempotent: a second click changes nothing)."""
    if user.role not in INSIDE:
        raise ReviewError("only inside sales acknowledges announcements", field="user")
    if announcement.team_id and announcement.team_id != user.team_id and user.role != Role.INSIDE_LEAD:
        raise ReviewError("this announcement is for another team", field="announcement")
    existing = Acknowledgement.objects.filter(announcement=announcement, user=user).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Acknowledgement.objects.create(announcement=announcement, user=user)
    except IntegrityError:
        return Acknowledgement.objects.get(announcement=announcement, user=user)
