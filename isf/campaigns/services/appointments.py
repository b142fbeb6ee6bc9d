"""Appointment setting into a field rep's calendar, the visit task, and the iCalendar feed."""

from datetime import date, datetime, time, timedelta

import icalendar
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.campaigns.choices import AppointmentStatus, CallOutcome
from isf.campaigns.errors import CampaignsError
from isf.campaigns.models import Appointment, RepCalendar
from isf.campaigns.models.appointments import new_feed_token
from isf.campaigns.slots import conflicts, free_slots
from isf.core.business_time import BusinessCalendar, is_business_day
from isf.core.text import date_range_message
from isf.org.choices import Role
from isf.planning.choices import OPEN_STATUSES, Side, TaskKind
from isf.planning.services import task_complete, task_create, tasks_close_by_key

FEED_PAST_DAYS = 60


def rep_calendar(rep) -> RepCalendar:
    if rep.role != Role.FIELD_REP:
        raise CampaignsError(_("%(rep)s is not a field rep.") % {"rep": rep}, "rep")
    cal, _created = RepCalendar.objects.get_or_create(rep=rep)
    return cal


def _business_calendar(cal: RepCalendar) -> BusinessCalendar:
    state = cal.rep.region.state if cal.rep.region_id else None
    return BusinessCalendar.from_spec(
        state=state, workdays=cal.workdays, business_hours=f"{cal.work_start:%H:%M}-{cal.work_end:%H:%M}"
    )


def working_windows(cal: RepCalendar, start_day: date, days: int) -> list[tuple[datetime, datetime]]:
    """The rep's working windows (aware, local time) on workdays that are not public holidays."""
    bcal = _business_calendar(cal)
    tz = timezone.get_default_timezone()
    windows = []
    for offset in range(days):
        day = start_day + timedelta(days=offset)
        if not is_business_day(bcal, day):
            continue
        windows.append(
            (datetime.combine(day, cal.work_start, tzinfo=tz), datetime.combine(day, cal.work_end, tzinfo=tz))
        )
    return windows


def booked_intervals(rep, start: datetime, end: datetime, exclude_pk=None) -> list[tuple[datetime, datetime]]:
    qs = Appointment.objects.filter(
        rep=rep, status__in=[AppointmentStatus.BOOKED, AppointmentStatus.DONE], start__lt=end, end__gt=start
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs.values_list("start", "end"))


def rep_free_slots(*, rep, start_day: date | None = None, days: int = 14, now: datetime | None = None):
    """Free visit slots of the rep for the coming days (local time)."""
    now = now or timezone.now()
    cal = rep_calendar(rep)
    start_day = start_day or timezone.localdate(now)
    windows = working_windows(cal, start_day, days)
    if not windows:
        return []
    buffer = timedelta(minutes=cal.travel_buffer_minutes)
    booked = booked_intervals(
        rep, windows[0][0] - buffer - timedelta(hours=12), windows[-1][1] + buffer + timedelta(hours=12)
    )
    tz = timezone.get_default_timezone()
    booked = [(s.astimezone(tz), e.astimezone(tz)) for s, e in booked]
    return free_slots(
        windows, booked, length=timedelta(minutes=cal.slot_minutes), buffer=buffer, not_before=now.astimezone(tz)
    )


@transaction.atomic
def appointment_book(
    *,
    rep,
    start: datetime,
    user,
    account=None,
    lead=None,
    topic: str = "",
    entry=None,
    minutes: int | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Book a visit; a double booking (travel buffer included) or a time outside working hours is refused."""
    now = now or timezone.now()
    if account is None and lead is None:
        raise CampaignsError(_("An appointment needs an account or a lead."), "account")
    if start.tzinfo is None:
        raise CampaignsError(_("The start time needs a time zone."), "start")
    if (problem := date_range_message(start.date())) is not None:  # year 9999: the end would overflow
        raise CampaignsError(f"start: {problem}", "start")  # noqa: INT001 - the problem text is English
    cal = rep_calendar(rep)
    cal = (
        RepCalendar.objects.select_for_update(of=("self",)).select_related("rep", "rep__region").get(pk=cal.pk)
    )  # one booking at a time
    length = timedelta(minutes=minutes or cal.slot_minutes)
    end = start + length
    tz = timezone.get_default_timezone()
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    if start <= now:
        raise CampaignsError(_("The appointment must lie in the future."), "start")
    if not is_business_day(_business_calendar(cal), local_start.date()):
        raise CampaignsError(
            _("%(local_start)s is not a working day of %(rep)s.")
            % {"local_start": format(local_start, "%d.%m.%Y"), "rep": rep},
            "start",
        )
    if local_start.time() < cal.work_start or local_end.time() > cal.work_end or local_end.date() != local_start.date():
        raise CampaignsError(
            _("%(start)s–%(end)s lies outside the working hours %(from)s–%(to)s of %(rep)s.")
            % {
                "start": f"{local_start:%H:%M}",
                "end": f"{local_end:%H:%M}",
                "from": f"{cal.work_start:%H:%M}",
                "to": f"{cal.work_end:%H:%M}",
                "rep": rep,
            },
            "start",
        )
    buffer = timedelta(minutes=cal.travel_buffer_minutes)
    clash = conflicts(start, end, booked_intervals(rep, start - buffer - length, end + buffer + length), buffer)
    if clash:
        b_start, b_end = clash[0]
        raise CampaignsError(
            _("%(rep)s is already booked %(start)s–%(end)s (travel buffer %(buffer)s min); choose a free slot.")
            % {
                "rep": rep,
                "start": f"{b_start.astimezone(tz):%d.%m.%Y %H:%M}",
                "end": f"{b_end.astimezone(tz):%H:%M}",
                "buffer": cal.travel_buffer_minutes,
            },
            "start",
        )
    party = account.name if account is not None else lead.company
    appt = Appointment.objects.create(
        rep=rep, account=account, lead=lead, entry=entry, start=start, end=end, topic=topic[:200], booked_by=user
    )
    task = task_create(
        kind=TaskKind.VISIT,
        title=f"Besuch: {party}",
        title_en=f"Visit: {party}",
        due_at=start,
        assignee=rep,
        side=Side.FIELD,
        account=account,
        reason=f"Termin vereinbart von {user}: {topic}".strip(": "),
        reason_en=f"Appointment set by {user}: {topic}".strip(": "),
        source="campaigns",
        source_id=str(appt.pk),
        dedupe_key=f"appointment:{appt.pk}",
        actor=user,
    )
    appt.task = task
    appt.save(update_fields=["task"])
    if entry is not None:
        from isf.campaigns.services.campaigns import call_record

        call_record(
            entry=entry,
            agent=user,
            outcome=CallOutcome.APPOINTMENT,
            note=f"{local_start:%d.%m.%Y %H:%M} {topic}",
            now=now,
        )
    if lead is not None:
        from isf.campaigns.services.leads import lead_activity_record

        lead_activity_record(
            lead=lead, kind="answer", user=user, note=f"appointment {local_start:%d.%m.%Y %H:%M}", now=now
        )
    return appt


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, user, reason: str) -> Appointment:
    if not reason.strip():
        raise CampaignsError(_("Say why the appointment is cancelled."), "reason")
    appt = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appt.status != AppointmentStatus.BOOKED:
        raise CampaignsError(
            _("The appointment is already %(appt_get_status_display)s.")
            % {"appt_get_status_display": appt.get_status_display()},
            "status",
        )
    appt.status = AppointmentStatus.CANCELLED
    appt.save(update_fields=["status"])
    if appt.task_id:
        from isf.planning.services import task_cancel

        task_cancel(task=appt.task, reason=reason, user=user)
    return appt


@transaction.atomic
def appointment_close(*, appointment: Appointment, user=None, note: str = "") -> Appointment:
    """Mark the visit as done (the visit report calls this); closes the visit task."""
    appt = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appt.status != AppointmentStatus.BOOKED:
        return appt
    appt.status = AppointmentStatus.DONE
    appt.save(update_fields=["status"])
    task = appt.task
    if user is not None and task is not None and task.status in OPEN_STATUSES and task.assignee_id in (None, user.pk):
        task_complete(task=task, user=user, outcome="visited", note=note)  # the rep's own visit: recorded as theirs
    tasks_close_by_key(dedupe_key=f"appointment:{appt.pk}", outcome="visit report", note=note)
    return appt


def appointment_close_for_visit(*, rep, account, day: date, note: str = "", task=None) -> Appointment | None:
    """For the visit report: close the rep's booked appointment at this account on that day, if any.

    When the report names its planned visit (``task``) and that is an appointment's visit task, that
    appointment is the one visited, whatever day the report gives.
    """
    booked = Appointment.objects.filter(rep=rep, account=account, status=AppointmentStatus.BOOKED)
    appt = booked.filter(task=task).first() if task is not None else None
    if appt is None:
        tz = timezone.get_default_timezone()
        lo = datetime.combine(day, time(0), tzinfo=tz)
        appt = booked.filter(start__gte=lo, start__lt=lo + timedelta(days=1)).order_by("start").first()
    return appointment_close(appointment=appt, user=rep, note=note) if appt else None


@transaction.atomic
def feed_token_renew(*, rep) -> RepCalendar:
    """A new secret feed URL; the old one stops working at once."""
    cal = rep_calendar(rep)
    cal.feed_token = new_feed_token()
    cal.feed_renewed_at = timezone.now()
    cal.save(update_fields=["feed_token", "feed_renewed_at"])
    return cal


def ical_feed(*, cal: RepCalendar, now: datetime | None = None) -> bytes:
    """The rep's appointments as an iCalendar (RFC 5545) document."""
    now = now or timezone.now()
    doc = icalendar.Calendar()
    doc.add("prodid", "-//ISF//Termine Außendienst//DE")
    doc.add("version", "2.0")
    doc.add("x-wr-calname", f"ISF Termine {cal.rep}")
    doc.add("method", "PUBLISH")
    appts = (
        Appointment.objects.filter(rep=cal.rep, start__gte=now - timedelta(days=FEED_PAST_DAYS))
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("account", "lead")
        .order_by("start")
    )
    for appt in appts:
        event = icalendar.Event()
        event.add("uid", f"appointment-{appt.pk}@isf")
        event.add("dtstamp", appt.created_at)
        event.add("dtstart", appt.start)
        event.add("dtend", appt.end)
        event.add("summary", f"Besuch: {appt.party}")
        where = appt.account if appt.account_id else appt.lead
        location = ", ".join(p for p in [where.street, f"{where.postcode} {where.city}".strip()] if p)
        if location:
            event.add("location", location)
        if appt.topic:
            event.add("description", appt.topic)
        event.add("status", "CONFIRMED")
        doc.add_component(event)
    return doc.to_ical()
