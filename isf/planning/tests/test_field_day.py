"""The field rep's day: today apart from overdue, stale visits collapsed into one re-plan item, the appointments
booked for him in the next 7 days on the home page, in the menu and in the iCal feed linked from there."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from isf.campaigns.models import Appointment, RepCalendar
from isf.core.tests.clock import local_at
from isf.customers.tests.factories import AccountFactory
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory
from isf.planning.field_day import field_day, visits_replan_drop
from isf.planning.models import Task, TaskEvent
from isf.planning.plan import care_interval_days, plan_key
from isf.planning.services import task_create

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 12)  # a Thursday


def _at(days: int, hour: int = 10) -> dt.datetime:
    return local_at(TODAY, days, hour)


@pytest.fixture
def w(time_machine):
    time_machine.move_to(_at(0, 7), tick=False)
    rep = UserFactory(username="ad1", role=Role.FIELD_REP, first_name="Thomas", last_name="Huber")
    agent = UserFactory(username="id1", role=Role.INSIDE_AGENT, first_name="Ina", last_name="Innen")
    acc = AccountFactory(name="Huber Werkzeugbau GmbH", owner=rep)

    def visit(days, per_year=None, hour=10, title=None):
        key = plan_key(acc.pk, 7, per_year, (days + 500) * 100 + hour) if per_year else ""
        return task_create(kind="visit", title=title or f"Besuch {days:+d}", due_at=_at(days, hour), account=acc,
                           assignee=rep, side="field", dedupe_key=key)

    data = {"rep": rep, "agent": agent, "account": acc,
            "today_late": visit(0, 4, hour=15, title="Besuch heute 15 Uhr"),
            "today_early": visit(0, 4, hour=8, title="Besuch heute 8 Uhr"),
            "tomorrow": visit(1, 4),
            "late_30": visit(-30, 4, title="Besuch vor 30 Tagen"),  # 4 a year: interval 91 days
            "stale_150": visit(-150, 4, title="Besuch Oktober"),  # beyond 91 days
            "stale_40": visit(-40, 12, title="Besuch monatlich"),  # 12 a year: interval 30 days
            "manual_200": visit(-200, title="Besuch von Hand")}  # no care interval: stays overdue
    cal = RepCalendar.objects.create(rep=rep)
    data["feed"] = reverse("campaigns:calendar-feed", args=[cal.feed_token])

    def appointment(days, topic):
        return Appointment.objects.create(rep=rep, account=acc, start=_at(days, 9), end=_at(days, 10), topic=topic,
                                          booked_by=agent)
    data["appt_2"] = appointment(2, "Akku-Systeme vorführen")
    data["appt_6"] = appointment(6, "Jahresgespräch")
    data["appt_8"] = appointment(8, "Zu spät für die Woche")
    data["appt_past"] = appointment(-1, "Schon gewesen")
    return data


def _titles(tasks):
    return [t.title for t in tasks]


def test_the_day_separates_today_overdue_and_the_visits_to_re_plan(w):
    day = field_day(w["rep"])
    assert _titles(day.today) == ["Besuch heute 8 Uhr", "Besuch heute 15 Uhr"]
    assert _titles(day.overdue) == ["Besuch von Hand", "Besuch vor 30 Tagen"]
    assert [t.days_overdue for t in day.overdue] == [200, 30]
    assert _titles(day.replan) == ["Besuch Oktober", "Besuch monatlich"]


def test_the_care_interval_comes_from_the_frequency_the_slot_was_planned_with():
    assert care_interval_days(plan_key(1, 2, 4, 17)) == pytest.approx(91.25)
    assert care_interval_days(plan_key(1, 2, 12, 0)) == pytest.approx(30.42, abs=0.01)
    for key in ("", "plan:1:2:new20260101", "plan:1:2:q55", "appointment:3", "plan:1:2:0n1"):
        assert care_interval_days(key) is None


def test_dropping_re_plans_only_the_stale_visits_with_a_reason_and_an_event(w):
    others = [w["late_30"].pk, w["manual_200"].pk, w["tomorrow"].pk]
    with translation.override("de"):
        dropped = visits_replan_drop(user=w["rep"], task_ids=[w["stale_150"].pk, w["stale_40"].pk, *others])
    assert dropped == 2
    stale = Task.objects.get(pk=w["stale_150"].pk)
    assert stale.status == "cancelled"
    assert stale.cancel_reason == ("neu geplant: 150 Tage überfällig, über das Betreuungsintervall von 91 Tagen "
                                   "hinaus; der nächste geplante Besuch bleibt")
    assert TaskEvent.objects.filter(task=stale, action="cancelled", actor=w["rep"]).count() == 1
    assert set(Task.objects.filter(pk__in=others).values_list("status", flat=True)) == {"open"}


def test_another_reps_visits_are_not_dropped(w):
    other = UserFactory(username="ad2", role=Role.FIELD_REP)
    assert visits_replan_drop(user=other, task_ids=[w["stale_150"].pk]) == 0
    assert Task.objects.get(pk=w["stale_150"].pk).status == "open"


@pytest.mark.parametrize("lang, texts", [
    ("de", ["Heute", "Überfällig", "2 Besuche über ihr Betreuungsintervall hinaus überfällig: neu planen",
            "200 Tage überfällig", "30 Tage überfällig", "Termine, nächste 7 Tage", "14.03.2026", "18.03.2026",
            "Akku-Systeme vorführen", "gebucht von Ina Innen", "Kalender-Feed (iCal)"]),
    ("en", ["Overdue", "2 visits overdue beyond their care interval: re-plan", "200 days overdue",
            "Appointments, next 7 days", "Akku-Systeme vorführen", "booked by Ina Innen", "Calendar feed (iCal)"]),
])
def test_the_reps_home_page(client, w, lang, texts):
    client.force_login(w["rep"])
    resp = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=lang)
    html = resp.content.decode()
    for text in texts:
        assert text in html, text
    assert [a.topic for a in resp.context["appointments"]] == ["Akku-Systeme vorführen", "Jahresgespräch"]
    assert "Zu spät für die Woche" not in html and "Schon gewesen" not in html
    assert f'href="http://testserver{w["feed"]}"' in html
    assert f'href="{reverse("planning:replan")}"' in html
    assert "Besuch Oktober" not in html  # collapsed into the re-plan item
    menu = [item["name"] for item in resp.context["nav_items"]]
    assert "campaigns:appointment-list" in menu


def test_the_feed_linked_from_home_holds_the_weeks_appointments(client, w):
    body = client.get(w["feed"]).content.decode()
    assert body.count("BEGIN:VEVENT") == 4  # the feed keeps the recent past and the whole future
    assert "Akku-Systeme vorführen" in body and "Jahresgespräch" in body


def test_the_re_plan_page_lists_and_drops_the_stale_visits(client, w):
    client.force_login(w["rep"])
    page = client.get(reverse("planning:replan"), HTTP_ACCEPT_LANGUAGE="en")
    assert [r["task"].title for r in page.context["rows"]] == ["Besuch Oktober", "Besuch monatlich"]
    assert "due 13 Oct 2025, 150 days overdue, care interval 91 days" in page.content.decode()
    german = client.get(reverse("planning:replan"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "fällig 13.10.2025, 150 Tage überfällig, Betreuungsintervall 91 Tage" in german
    resp = client.post(reverse("planning:replan"), {"task": [w["stale_150"].pk, "x", w["late_30"].pk]})
    assert resp.status_code == 302
    assert Task.objects.get(pk=w["stale_150"].pk).status == "cancelled"
    assert Task.objects.get(pk=w["late_30"].pk).status == "open"


def test_the_re_plan_page_is_for_reps_and_the_sales_lead_only(client, w):
    client.force_login(w["agent"])
    assert client.get(reverse("planning:replan")).status_code == 403
    assert client.post(reverse("planning:replan"), {"task": [w["stale_150"].pk]}).status_code == 403
    assert Task.objects.get(pk=w["stale_150"].pk).status == "open"
