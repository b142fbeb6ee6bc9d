"""The visit report closes the appointment inside sales booked for this rep, account and day."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from isf.campaigns.models import Appointment
from isf.campaigns.services import appointments as appointment_services
from isf.campaigns.tests.factories import make_org
from isf.customers.tests.factories import AccountFactory
from isf.planning.models import Task
from isf.visits.models import VisitReport, VisitType
from isf.visits.services import VisitReportInput, visit_report_create, visit_types_ensure_defaults

pytestmark = pytest.mark.django_db


def _business_days_back(rep, count: int) -> list[date]:
    """The rep's last `count` working days up to today (newest first)."""
    cal = appointment_services.rep_calendar(rep)
    day, found = timezone.localdate(), []
    while len(found) < count:
        if appointment_services.working_windows(cal, day, 1):
            found.append(day)
        day -= timedelta(days=1)
    return found


def _book(org, account, day: date, hour: int) -> Appointment:
    """Book as an inside agent did the day before the visit (the appointment lay in the future then)."""
    tz = timezone.get_default_timezone()
    start = datetime.combine(day, time(hour, 0), tzinfo=tz)
    return appointment_services.appointment_book(rep=org.rep, start=start, user=org.agent, account=account,
                                                 topic="Akku-Systeme vorführen", now=start - timedelta(days=1))


@pytest.fixture
def setup():
    visit_types_ensure_defaults()
    org = make_org()
    account = AccountFactory(name="Aigner Metallbau GmbH", owner=org.rep, segment=org.smb, region=org.region)
    other = AccountFactory(name="Brunner Haustechnik KG", owner=org.rep, segment=org.smb, region=org.region)
    visit_day, earlier_day = _business_days_back(org.rep, 2)
    appt = _book(org, account, visit_day, 10)
    return org, account, other, visit_day, earlier_day, appt


def _report(org, account, day: date, client_id: str):
    data = VisitReportInput(account=account, visit_date=day, visit_type=VisitType.objects.get(code="annual"),
                            client_id=client_id, summary="Akku-Systeme vorgeführt, Angebot gewünscht")
    return visit_report_create(author=org.rep, data=data)


def _state(appt: Appointment) -> tuple[str, str]:
    appt.refresh_from_db()
    return appt.status, Task.objects.get(pk=appt.task_id).status


def test_visit_report_closes_the_booked_appointment_and_its_visit_task(setup):
    org, account, other, visit_day, earlier_day, appt = setup
    assert _state(appt) == ("booked", "open")
    _report(org, other, visit_day, "r-other-account")  # same day, another account
    _report(org, account, earlier_day, "r-other-day")  # same account, another day
    assert _state(appt) == ("booked", "open")
    report, created = _report(org, account, visit_day, "r-visit")
    assert created is True
    assert _state(appt) == ("done", "done")
    assert report.task_id == appt.task_id
    assert Task.objects.get(pk=appt.task_id).outcome == "visited"
    # resending the same form changes nothing more
    assert _report(org, account, visit_day, "r-visit") == (report, False)
    assert Appointment.objects.get(pk=appt.pk).status == "done"


def test_a_report_naming_the_appointment_visit_closes_that_appointment(setup):
    org, account, _other, _visit_day, earlier_day, appt = setup
    data = VisitReportInput(account=account, visit_date=earlier_day, visit_type=VisitType.objects.get(code="annual"),
                            client_id="r-task", summary="Termin vorgezogen", task=appt.task)
    report, _created = visit_report_create(author=org.rep, data=data)
    assert _state(appt) == ("done", "done") and report.task_id == appt.task_id


def test_a_report_of_another_rep_leaves_the_appointment_open(setup):
    org, account, _other, visit_day, _earlier, appt = setup
    data = VisitReportInput(account=account, visit_date=visit_day, visit_type=VisitType.objects.get(code="annual"),
                            client_id="r-lead", summary="Begleitbesuch")
    visit_report_create(author=org.vl, data=data)
    assert _state(appt) == ("booked", "open")


def test_a_cancelled_appointment_stays_cancelled(setup):
    org, account, _other, visit_day, _earlier, appt = setup
    appointment_services.appointment_cancel(appointment=appt, user=org.agent, reason="Kunde hat abgesagt")
    _report(org, account, visit_day, "r-after-cancel")
    assert _state(appt) == ("cancelled", "cancelled")


def test_saving_the_report_page_as_the_rep_closes_the_appointment(setup, client):
    org, account, other, visit_day, earlier_day, appt = setup
    client.force_login(org.rep)

    def post(acc, day, client_id):
        return client.post(reverse("visits:new"), {
            "client_id": client_id, "account": acc.pk, "visit_date": day.isoformat(), "visit_type": "annual",
            "summary": "Akku-Systeme vorgeführt"})

    assert post(other, visit_day, "v-other").status_code == 302
    assert post(account, earlier_day, "v-earlier").status_code == 302
    assert _state(appt) == ("booked", "open")
    resp = post(account, visit_day, "v-visit")
    report = VisitReport.objects.get(client_id="v-visit")
    assert resp.status_code == 302 and resp["Location"] == report.get_absolute_url()
    assert _state(appt) == ("done", "done")


def test_a_refused_report_leaves_the_appointment_booked(setup, client):
    org, account, _other, visit_day, _earlier, appt = setup
    client.force_login(org.rep)
    resp = client.post(reverse("visits:new"), {
        "client_id": "v-bad", "account": account.pk, "visit_date": visit_day.isoformat(), "visit_type": "annual",
        "potential_estimate": "-1", "summary": "x"}, HTTP_X_ISF_ASYNC="1")
    assert resp.status_code == 400 and "potential_estimate" in resp.json()["errors"]
    assert VisitReport.objects.count() == 0
    assert _state(appt) == ("booked", "open")
