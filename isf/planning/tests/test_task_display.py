"""Tasks read in the page's language (title, outcome, history), rescheduling refuses past dates and prints
both times in local time, and the coverage page shows labels and pages through all overdue accounts."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from isf.customers.tests.factories import AccountFactory
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.planning.choices import TaskAction, TaskStatus
from isf.planning.matrix_services import care_matrix_save
from isf.planning.models import Task, TaskEvent
from isf.planning.plan import plan_run
from isf.planning.services import task_complete, task_create, tasks_insert_bulk
from isf.planning.tests.helpers import activity, make_segment

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def agent(client):
    team = TeamFactory(code="SMB-T", name="SMB-Team")
    user = UserFactory(role=Role.INSIDE_AGENT, team=team)
    client.force_login(user)
    return user


def _task(agent, **extra):
    return task_create(kind="care_call", title="Betreuungsanruf: Huber GmbH", title_en="Care call: Huber GmbH",
                       due_at=timezone.now() + timedelta(days=1), team=agent.team, reason="Grund",
                       reason_en="reason", **extra)


def test_task_title_follows_the_language_on_queue_and_task_page(client, agent):
    task = _task(agent)

    for url in ("/queue/", f"/queue/{task.pk}/"):
        de = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
        en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Betreuungsanruf: Huber GmbH" in de and "Care call: Huber GmbH" not in de, url
        assert "Care call: Huber GmbH" in en and "Betreuungsanruf: Huber GmbH" not in en, url


def test_without_english_title_the_german_one_is_shown():
    task = task_create(kind="care_call", title="Anruf", due_at=timezone.now())
    with translation.override("en"):
        assert task.display_title == "Anruf"
    assert task.title_en == ""


def test_bulk_insert_keeps_the_english_title(agent):
    pks = tasks_insert_bulk([{"kind": "care_call", "title": "Anruf", "title_en": "Call", "due_at": timezone.now(),
                              "team_id": agent.team_id, "dedupe_key": "k1"},
                             {"kind": "care_call", "title": "Anruf 2", "due_at": timezone.now(), "dedupe_key": "k2"}])
    assert list(Task.objects.filter(pk__in=pks).order_by("pk").values_list("title_en", flat=True)) == ["Call", ""]


def test_contact_plan_tasks_carry_the_english_title_of_the_matrix_entry():
    segment = make_segment()
    care_matrix_save(segment=segment, potential_classes="", call_counts_as_visit=False, activities=[
        activity(title_de="Betreuungsanruf", title_en="Care call", frequency_per_year=4, phases=["active"])])
    AccountFactory(segment=segment, phase="active")

    # four a year is one every 65 workdays, more than 90 calendar days may hold: plan far enough ahead
    plan_run(today=timezone.localdate(), horizon_days=120)

    titles = set(Task.objects.filter(source="plan").values_list("title", "title_en"))
    assert titles == {("Betreuungsanruf", "Care call")}


def test_done_task_shows_the_outcome_label_and_a_translated_history(client, agent):
    task = tasks_insert_bulk([{"kind": "care_call", "title": "Anruf", "due_at": timezone.now(),
                               "team_id": agent.team_id, "dedupe_key": "plan:1"}], note="contact plan")[0]
    task_complete(task=Task.objects.get(pk=task), user=agent, outcome="reached", note="")

    de = client.get(f"/queue/{task}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    en = client.get(f"/queue/{task}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Ergebnis: Erreicht" in de and "Outcome: Reached" in en
    assert "reached" not in de.split('data-testid="outcome"')[1].split("</p>")[0]
    history_de = de.split('data-testid="history"')[1].split("</ul>")[0]
    history_en = en.split('data-testid="history"')[1].split("</ul>")[0]
    assert "Kontaktplan" in history_de and "contact plan" not in history_de and "ISF (automatisch)" in history_de
    assert "contact plan" in history_en and "· Reached" in history_en and "· Erreicht" in history_de


def test_reschedule_into_the_past_is_refused_at_the_field_and_changes_nothing(client, agent):
    task = _task(agent)
    events = TaskEvent.objects.filter(task=task).count()
    past = (timezone.localtime() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")

    for lang, message in (("de", "Das neue Fälligkeitsdatum darf nicht in der Vergangenheit liegen."),
                          ("en", "The new due date must not be in the past.")):
        response = client.post(f"/queue/{task.pk}/reschedule/", {"due_at": past, "reason": "Kunde im Urlaub"},
                               HTTP_ACCEPT_LANGUAGE=lang)
        assert response.status_code == 400
        html = response.content.decode()
        assert message in html
        assert re.search(r'name="due_at"[^>]*aria-invalid="true"', html)

    before = task.due_at
    task.refresh_from_db()
    assert task.due_at == before and TaskEvent.objects.filter(task=task).count() == events


def test_reschedule_history_prints_old_and_new_in_local_time(client, agent, today_is):
    today_is(date(2030, 1, 10))  # a new due date must lie ahead
    client.force_login(agent)  # the session from the fixture's day may have expired by then
    task = _task(agent)
    old_utc = datetime(2030, 1, 15, 8, 0, tzinfo=ZoneInfo("UTC"))  # 09:00 in Berlin
    Task.objects.filter(pk=task.pk).update(due_at=old_utc)

    response = client.post(f"/queue/{task.pk}/reschedule/", {"due_at": "2030-01-20T14:30", "reason": "Urlaub"})

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.due_at == datetime(2030, 1, 20, 14, 30, tzinfo=BERLIN)
    note = TaskEvent.objects.get(task=task, action=TaskAction.RESCHEDULED).note
    assert note == "2030-01-15 09:00 → 2030-01-20 14:30: Urlaub"


@pytest.fixture
def overdue_base():
    segment = make_segment(code="SMB", name_de="Kleine und mittlere Unternehmen", name_en="Small and midsized business")
    care_matrix_save(segment=segment, potential_classes="", call_counts_as_visit=False, activities=[
        activity(title_de="Betreuungsanruf", title_en="Care call", frequency_per_year=4,
                 phases=["active", "won_back"])])
    long_ago = timezone.now() - timedelta(days=200)
    accounts = [AccountFactory(name=f"Firma {i:03d}", segment=segment, phase="won_back" if i == 0 else "active")
                for i in range(110)]
    Task.objects.bulk_create([Task(kind="care_call", title="Anruf", due_at=long_ago - timedelta(days=a.pk % 7),
                                   source="plan", account=a, status=TaskStatus.CANCELLED) for a in accounts])
    return accounts


def test_coverage_pages_through_all_overdue_accounts_with_labels_in_the_language(client, overdue_base):
    client.force_login(UserFactory(role=Role.INSIDE_LEAD))

    pages = [client.get("/queue/coverage/", {"days": "30", "page": n}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
             for n in (1, 2, 3)]

    rows = [re.findall(r'href="/accounts/(\d+)/"', p.split('data-testid="overdue"')[1].split("</table>")[0])
            for p in pages]
    assert [len(r) for r in rows] == [50, 50, 10]
    assert len({pk for r in rows for pk in r}) == 110
    assert 'data-testid="overdue-count"><strong>110</strong>' in pages[0]
    assert "?days=30&amp;page=2" in pages[0] and "?days=30&amp;page=3" in pages[1]
    everything = "".join(pages)
    assert "Won back" in everything and ">won_back<" not in everything
    assert "Small and midsized business" in everything and "Kleine und mittlere Unternehmen" not in everything

    de = client.get("/queue/coverage/", {"page": 1}, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Kleine und mittlere Unternehmen" in de and "Aktiv" in de
