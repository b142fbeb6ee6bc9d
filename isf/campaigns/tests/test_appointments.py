"""Free slots, booking with travel buffer, double booking refused, the iCalendar feed per rep."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from isf.campaigns.errors import CampaignsError
from isf.campaigns.models import Appointment
from isf.campaigns.services import appointments as services
from isf.campaigns.slots import conflicts, free_slots
from isf.campaigns.tests.factories import make_org
from isf.customers.tests.factories import AccountFactory
from isf.planning.models import Task

BER = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)  # Friday 08:00 Berlin


@pytest.fixture(autouse=True)
def _clock_on_now(time_machine):
    """Bookings pass NOW; the calendar feed and the pages read the clock: it stands on NOW too."""
    time_machine.move_to(NOW)


def at(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=BER)


def test_free_slots_are_working_hours_minus_bookings_and_travel_buffer():
    window = [(at(30, 8), at(30, 12))]
    booked = [(at(30, 9, 30), at(30, 10, 30))]
    slots = free_slots(window, booked, length=timedelta(hours=1), buffer=timedelta(minutes=30))
    # 08:00 would end 09:00, 30 min before 09:30 -> ok; 08:30 too close; next free start 11:00
    assert [s.strftime("%H:%M") for s, _e in slots] == ["08:00", "11:00"]


def test_free_slots_respect_not_before_and_window_end():
    window = [(at(30, 8), at(30, 10))]
    slots = free_slots(window, [], length=timedelta(hours=1), buffer=timedelta(0), not_before=at(30, 8, 15))
    assert [s.strftime("%H:%M") for s, _e in slots] == ["08:30", "09:00"]


def test_conflict_includes_the_buffer_on_both_sides():
    booked = [(at(30, 10), at(30, 11))]
    buf = timedelta(minutes=30)
    assert conflicts(at(30, 11, 15), at(30, 12, 15), booked, buf)  # starts within the buffer after
    assert not conflicts(at(30, 11, 30), at(30, 12, 30), booked, buf)
    assert conflicts(at(30, 8, 45), at(30, 9, 45), booked, buf)  # ends within the buffer before
    assert not conflicts(at(30, 8, 30), at(30, 9, 30), booked, buf)


def test_bad_slot_parameters_are_refused():
    with pytest.raises(ValueError):
        free_slots([], [], length=timedelta(0), buffer=timedelta(0))


@pytest.fixture
def org(db):
    return make_org()


@pytest.mark.django_db
def test_rep_slots_skip_weekend_and_booked_time(org):
    account = AccountFactory()
    services.appointment_book(rep=org.rep, start=at(30, 10), user=org.agent, account=account, now=NOW)
    slots = services.rep_free_slots(rep=org.rep, days=4, now=NOW)  # Fri 27 .. Mon 30
    days = sorted({s.date().isoformat() for s, _e in slots})
    assert days == ["2026-11-27", "2026-11-30"]
    monday = [s.strftime("%H:%M") for s, _e in slots if s.day == 30]
    assert "10:00" not in monday and "09:00" not in monday and "11:00" not in monday
    assert "08:30" in monday and "11:30" in monday and "16:00" in monday and "16:30" not in monday


@pytest.mark.django_db
def test_booking_creates_visit_task_in_the_contact_plan(org):
    account = AccountFactory(name="Huber Metallbau GmbH")
    appt = services.appointment_book(
        rep=org.rep, start=at(30, 10), user=org.agent, account=account, topic="Akku-Systeme vorstellen", now=NOW
    )
    task = Task.objects.get(dedupe_key=f"appointment:{appt.pk}")
    assert (task.kind, task.assignee, task.side, task.due_at) == ("visit", org.rep, "field", at(30, 10))
    services.appointment_close_for_visit(rep=org.rep, account=account, day=at(30, 10).date())
    task.refresh_from_db()
    appt.refresh_from_db()
    assert task.status == "done" and appt.status == "done"


@pytest.mark.django_db
def test_double_booking_is_refused_and_nothing_saved(org):
    account = AccountFactory()
    services.appointment_book(rep=org.rep, start=at(30, 10), user=org.agent, account=account, now=NOW)
    for start in (at(30, 10), at(30, 10, 30), at(30, 11, 15), at(30, 8, 45)):
        with pytest.raises(CampaignsError, match="already booked") as exc:
            services.appointment_book(rep=org.rep, start=start, user=org.agent2, account=AccountFactory(), now=NOW)
        assert exc.value.field == "start"
    assert Appointment.objects.count() == 1
    assert Task.objects.filter(kind="visit").count() == 1
    services.appointment_book(rep=org.rep, start=at(30, 11, 30), user=org.agent2, account=account, now=NOW)
    assert Appointment.objects.count() == 2


@pytest.mark.django_db
def test_outside_working_hours_weekend_and_past_are_refused(org):
    account = AccountFactory()
    for start, match in (
        (at(30, 16, 30), "outside the working hours"),
        (at(28, 10), "not a working day"),
        (at(26, 10), "future"),
        (datetime(2026, 12, 25, 10, tzinfo=BER), "not a working day"),
    ):
        with pytest.raises(CampaignsError, match=match):
            services.appointment_book(rep=org.rep, start=start, user=org.agent, account=account, now=NOW)
    with pytest.raises(CampaignsError, match="not a field rep"):
        services.appointment_book(rep=org.agent, start=at(30, 10), user=org.agent, account=account, now=NOW)
    assert Appointment.objects.count() == 0


@pytest.mark.django_db
def test_calendar_feed_parses_with_icalendar_and_the_url_can_be_renewed(org, client):
    account = AccountFactory(name="Huber Metallbau GmbH", street="Industriestraße 1", postcode="80331", city="München")
    appt = services.appointment_book(
        rep=org.rep, start=at(30, 10), user=org.agent, account=account, topic="Akku-Systeme", now=NOW
    )
    cancelled = services.appointment_book(rep=org.rep, start=at(30, 14), user=org.agent, account=account, now=NOW)
    services.appointment_cancel(appointment=cancelled, user=org.agent, reason="Kunde krank")
    cal = services.rep_calendar(org.rep)
    resp = client.get(f"/campaigns/calendar/{cal.feed_token}.ics")
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("text/calendar")
    parsed = icalendar.Calendar.from_ical(resp.content)
    events = list(parsed.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["uid"]) == f"appointment-{appt.pk}@isf"
    assert event.decoded("dtstart") == at(30, 10)
    assert event.decoded("dtend") == at(30, 11)
    assert str(event["summary"]) == "Besuch: Huber Metallbau GmbH"
    assert str(event["location"]) == "Industriestraße 1, 80331 München"
    old = cal.feed_token
    new = services.feed_token_renew(rep=org.rep).feed_token
    assert new != old
    assert client.get(f"/campaigns/calendar/{old}.ics").status_code == 404
    assert client.get(f"/campaigns/calendar/{new}.ics").status_code == 200
