"""Browser: an agent works a call list and books an appointment into a field rep's calendar; on the day of
the visit the rep's visit report closes it."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from conftest import browser_login
from isf.campaigns.models import Appointment, CallListEntry
from isf.campaigns.services.campaigns import campaign_create
from isf.campaigns.tests.factories import make_org
from isf.customers.tests.factories import AccountFactory, PhoneFactory
from isf.planning.models import Task
from isf.visits.services import visit_types_ensure_defaults

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_works_the_call_list_and_books_an_appointment(make_page):
    org = make_org()
    first = AccountFactory(
        name="Aigner Metallbau GmbH", segment=org.smb, owner=org.rep, region=org.region, potential=90000
    )
    second = AccountFactory(
        name="Brunner Haustechnik KG", segment=org.smb, owner=org.rep, region=org.region, potential=50000
    )
    PhoneFactory(account=first, e164="+49891111111")
    PhoneFactory(account=second, e164="+49892222222")
    objected = AccountFactory(name="Widerspruch GmbH", segment=org.smb, opt_out_date="2026-01-01")
    PhoneFactory(account=objected)
    campaign = campaign_create(
        name="Akku-Aktion Herbst",
        kind="product",
        filters={"segment": "SMB"},
        user=org.marketing,
        agents=[org.agent],
        description="Akku-Systeme: 10 % Rabatt",
    )

    page = make_page(locale="de-DE")
    browser_login(page, "id1")
    page.goto(f"{page.base_url}/campaigns/")
    page.get_by_test_id("my-call-list").click()
    entry = page.get_by_test_id("call-entry")
    assert "Aigner Metallbau GmbH" in entry.inner_text()
    assert "Widerspruch" not in page.content()
    # first call: not reached -> the next entry comes up
    page.select_option("select[name=outcome]", "not_reached")
    assert page.locator("[data-callback-field]").is_hidden()
    page.get_by_test_id("record-call").click()
    page.wait_for_load_state("networkidle")
    assert "Brunner Haustechnik KG" in page.get_by_test_id("call-entry").inner_text()
    # second: the customer wants a visit
    page.get_by_test_id("book-appointment").click()
    page.wait_for_load_state("networkidle")
    assert "Thomas Huber" in page.locator("select[name=rep]").inner_text()
    page.get_by_test_id("slot").first.check()
    chosen = page.get_by_test_id("slot").first.get_attribute("value")
    page.get_by_test_id("topic").fill("Akku-Systeme vorführen")
    page.get_by_test_id("book").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("call-list-empty").is_visible()
    assert "Termin" in page.locator(".isf-message").first.inner_text()

    appt = Appointment.objects.get()
    assert (appt.rep, appt.account, appt.booked_by, appt.topic) == (
        org.rep,
        second,
        org.agent,
        "Akku-Systeme vorführen",
    )
    assert appt.start.isoformat()[:16] == chosen[:16] or appt.start.astimezone().isoformat()[:16] == chosen[:16]
    entry = CallListEntry.objects.get(campaign=campaign, account=second)
    assert (entry.outcome, entry.status, entry.attempts) == ("appointment", "done", 1)
    assert Task.objects.get(kind="visit").assignee == org.rep

    # the same slot cannot be booked twice: it is no longer offered
    page.goto(f"{page.base_url}/campaigns/appointments/book/?account={first.pk}")
    values = [el.get_attribute("value") for el in page.get_by_test_id("slot").all()]
    assert chosen not in values

    # the day of the visit has come: the rep finds it among today's planned visits, and the report closes it
    visit_types_ensure_defaults()  # data of a migration, gone after an earlier transactional test's flush
    start = datetime.combine(timezone.localdate(), time(0, 30), tzinfo=timezone.get_default_timezone())
    Appointment.objects.filter(pk=appt.pk).update(start=start, end=start + timedelta(hours=1))
    Task.objects.filter(pk=appt.task_id).update(due_at=start)
    rep_page = make_page(width=390, height=844, locale="de-DE")
    browser_login(rep_page, "ad1")
    rep_page.goto(f"{rep_page.base_url}/visits/new/")
    rep_page.get_by_test_id("planned-visits").get_by_text("Brunner Haustechnik KG").click()
    rep_page.wait_for_selector('[data-testid="visit-form"]')
    rep_page.fill("textarea[name=summary]", "Akku-Systeme vorgeführt, Angebot gewünscht")
    rep_page.click('[data-testid="visit-submit"]')
    rep_page.wait_for_url("**/visits/*/")
    appt.refresh_from_db()
    assert appt.status == "done"
    assert Task.objects.get(pk=appt.task_id).status == "done"
