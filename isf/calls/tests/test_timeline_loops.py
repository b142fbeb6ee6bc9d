"""Work done anywhere reaches the account's timeline: completed tasks with outcome and note, alert outcomes and
campaign call attempts, in the page's language."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from isf.calls.services import call_log_create
from isf.calls.tests.helpers import world
from isf.calls.timeline import timeline_for
from isf.campaigns.models import CallAttempt, CallListEntry, Campaign
from isf.planning.services import task_complete, task_create

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 3, 10, 11, 0, tzinfo=BERLIN)


@pytest.fixture
def w(time_machine):
    time_machine.move_to(NOW, tick=False)
    data = world()
    acc, agent = data["account"], data["agent"]
    care = task_create(kind="care_call", title="Betreuungsanruf", title_en="Care call Q1", due_at=NOW, account=acc,
                       team=data["team_a"])
    task_complete(task=care, user=agent, outcome="reached", note="Bestellt nächste Woche")
    alert = task_create(kind="alert", title="Umsatzrückgang 40 %", title_en="Revenue down 40 %", due_at=NOW,
                        account=acc, team=data["team_a"], reason="Umsatz halbiert", reason_en="Revenue halved")
    task_complete(task=alert, user=agent, outcome="not_interested", note="Hat den Lieferanten gewechselt")
    order_task = task_create(kind="service_order", title="Angebot", due_at=NOW, account=acc, team=data["team_a"])
    task_complete(task=order_task, user=agent, outcome="done", by_workflow=True)  # as the order does
    campaign = Campaign.objects.create(name="Frühjahrsaktion Dichtstoffe")
    entry = CallListEntry.objects.create(campaign=campaign, account=acc, agent=agent)
    CallAttempt.objects.create(entry=entry, agent=agent, contact=data["contact"], at=NOW - dt.timedelta(hours=2),
                               outcome="not_reached", note="Mailbox")
    return {**data, "care": care, "alert": alert}


def _by_kind(account, kind, lang):
    with translation.override(lang):
        return [(e["title"], e["status"], e["detail"]) for e in timeline_for(account, kinds=[kind], limit=50)]


def test_completed_tasks_show_kind_title_outcome_and_note_in_the_page_language(w):
    agent = str(w["agent"])
    assert _by_kind(w["account"], "task", "en") == [
        (f"Care call: Care call Q1 · {agent}", "Done · Reached", "Bestellt nächste Woche")]
    assert _by_kind(w["account"], "task", "de") == [
        (f"Betreuungsanruf: Betreuungsanruf · {agent}", "Erledigt · Erreicht", "Bestellt nächste Woche")]


def test_an_alert_shows_its_outcome_and_note(w):
    assert _by_kind(w["account"], "alert", "en") == [
        ("Revenue down 40 %", "Done · Not interested", "Revenue halved · Hat den Lieferanten gewechselt")]
    assert _by_kind(w["account"], "alert", "de") == [
        ("Umsatzrückgang 40 %", "Erledigt · Kein Interesse", "Umsatz halbiert · Hat den Lieferanten gewechselt")]


def test_campaign_call_attempts_are_on_the_timeline(w):
    agent = str(w["agent"])
    assert _by_kind(w["account"], "campaign_call", "en") == [
        (f"Frühjahrsaktion Dichtstoffe: Not reached · Klaus Huber · {agent}", "", "Mailbox")]
    assert _by_kind(w["account"], "campaign_call", "de") == [
        (f"Frühjahrsaktion Dichtstoffe: Nicht erreicht · Klaus Huber · {agent}", "", "Mailbox")]


def test_a_task_a_call_completed_says_so(w):
    welcome = task_create(kind="welcome_call", title="Begrüßung", title_en="Welcome", due_at=NOW,
                          account=w["account"], team=w["team_a"])
    call_log_create(agent=w["agent"], direction="inbound", outcome="info", account=w["account"], note="Alles gut")
    with translation.override("en"):
        (entry, _care) = timeline_for(w["account"], kinds=["task"], limit=50)
    assert (entry["title"], entry["status"], entry["detail"]) == (
        f"Welcome call: Welcome · {w['agent']}", "Done · Done by a logged call", "Alles gut")
    assert entry["url"] == reverse("planning:task-detail", args=[welcome.pk])


def test_the_timeline_page_shows_the_new_entries_with_german_dates(client, w):
    client.force_login(w["agent"])
    html = client.get(f"/call/timeline/{w['account'].pk}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    for text in ("Erledigte Aufgaben", "Kampagnenanrufe", "Erledigt · Erreicht", "Bestellt nächste Woche",
                 "Frühjahrsaktion Dichtstoffe: Nicht erreicht", "10.03.2026 09:00"):
        assert text in html, text
    english = client.get(f"/call/timeline/{w['account'].pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for text in ("Completed tasks", "Campaign calls", "Done · Reached", "Frühjahrsaktion Dichtstoffe: Not reached"):
        assert text in english, text
    # the service order's task is not listed twice: the order has its own entry
    assert "Angebot · " not in html
