"""In the browser, on a phone: the field rep's day (today, overdue, one re-plan item, the week's appointments),
in German and English."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import browser_login
from isf.campaigns.models import Appointment, RepCalendar
from isf.customers.tests.factories import AccountFactory
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory
from isf.planning.models import Task
from isf.planning.plan import plan_key
from isf.planning.services import task_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("locale, texts", [
    ("de-DE", ["1 Besuch über sein Betreuungsintervall hinaus überfällig: neu planen", "10 Tage überfällig",
               "Termine, nächste 7 Tage", "Kalender-Feed (iCal)", "Termine"]),
    ("en-US", ["1 visit overdue beyond its care interval: re-plan", "10 days overdue", "Appointments, next 7 days",
               "Calendar feed (iCal)", "Appointments"]),
])
def test_the_reps_day_on_a_phone(make_page, locale, texts):
    rep = UserFactory(username="ad1", role=Role.FIELD_REP)
    agent = UserFactory(username="id1", role=Role.INSIDE_AGENT, first_name="Ina", last_name="Innen")
    acc = AccountFactory(name="Huber Werkzeugbau GmbH", owner=rep)
    today = timezone.localdate()

    def at(days, hour):
        return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour)))

    def visit(days, title, slot):
        return task_create(kind="visit", title=title, due_at=at(days, 11), account=acc, assignee=rep, side="field",
                           dedupe_key=plan_key(acc.pk, 3, 4, slot))
    visit(0, "Besuch heute", 1)
    visit(-10, "Besuch letzte Woche", 2)
    stale = visit(-150, "Besuch Oktober", 3)
    RepCalendar.objects.create(rep=rep)
    Appointment.objects.create(rep=rep, account=acc, start=at(2, 9), end=at(2, 10), topic="Akku-Systeme vorführen",
                               booked_by=agent)
    page = make_page(width=390, height=844, locale=locale)
    browser_login(page, "ad1")
    page.goto(f"{page.base_url}/home/")
    assert "Besuch heute" in page.get_by_test_id("today").inner_text()
    overdue = page.get_by_test_id("overdue").inner_text()
    assert "Besuch letzte Woche" in overdue and "Besuch Oktober" not in overdue
    body = page.locator("body").inner_text()
    for text in texts:
        assert text in body, text
    assert "Akku-Systeme vorführen" in page.get_by_test_id("appointments").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ical = page.get_by_test_id("ical-feed").get_attribute("href")
    assert "Akku-Systeme vorführen" in page.request.get(ical).text()
    # the re-plan item leads to the page that drops the stale visit
    page.get_by_test_id("replan-item").locator("a").click()
    page.get_by_test_id("replan-drop").click()
    page.wait_for_load_state("networkidle")
    assert Task.objects.get(pk=stale.pk).status == "cancelled"
    assert page.get_by_test_id("replan-empty").is_visible()
