"""A logged call closes the work it did: through the service, the customer screen and POST /api/v1/calls."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from isf.calls.models import CallLog
from isf.calls.services import CallLogError, call_log_create
from isf.calls.tests.helpers import world
from isf.org.services import api_token_create
from isf.planning.choices import TaskKind
from isf.planning.models import Task, TaskEvent
from isf.planning.services import task_create

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 3, 10, 11, 0, tzinfo=BERLIN)  # a Tuesday


def _at(days: int) -> dt.datetime:
    return NOW + dt.timedelta(days=days)


@pytest.fixture
def w(time_machine):
    time_machine.move_to(NOW, tick=False)
    data = world()
    acc, team = data["account"], data["team_a"]

    def task(kind, days, title, **extra):
        return task_create(kind=kind, title=title, due_at=_at(days), account=acc, team=team, **extra)

    data["care"] = task(TaskKind.CARE_CALL, -20, "Betreuungsanruf Q1")
    data["welcome"] = task(TaskKind.WELCOME_CALL, 3, "Begrüßungsanruf")
    data["winback"] = task(TaskKind.WINBACK_CALL, 7, "Rückgewinnung")
    data["later_care"] = task(TaskKind.CARE_CALL, 8, "Betreuungsanruf Q2")
    data["alert"] = task(TaskKind.ALERT, -1, "Umsatzrückgang")
    data["order_task"] = task(TaskKind.SERVICE_ORDER, 1, "Angebot vorbereiten")
    data["other_care"] = task_create(kind=TaskKind.CARE_CALL, title="Anderer Kunde", due_at=_at(0),
                                     account=data["other"], team=data["team_b"])
    return data


def _ids(*tasks):
    return sorted(t.pk for t in tasks)


def test_a_reached_call_completes_the_due_planned_contacts_and_notes_the_call(w):
    call = call_log_create(agent=w["agent"], direction="inbound", outcome="info", account=w["account"],
                           note="Fragt nach Lieferzeiten", started_at=_at(0) - dt.timedelta(minutes=5))
    assert sorted(call.closed_tasks.values_list("pk", flat=True)) == _ids(w["care"], w["welcome"], w["winback"])
    care = Task.objects.get(pk=w["care"].pk)
    assert (care.status, care.outcome, care.note, care.assignee) == ("done", "by_call", "Fragt nach Lieferzeiten",
                                                                     w["agent"])
    event = TaskEvent.objects.get(task=care, action="completed")
    assert (event.actor, event.note) == (w["agent"], f"call {call.pk}")
    # beyond a week ahead, other kinds and other accounts stay open
    still_open = Task.objects.filter(status="open").order_by("pk").values_list("pk", flat=True)
    assert list(still_open) == _ids(w["later_care"], w["alert"], w["order_task"], w["other_care"])
    assert list(care.closing_calls.all()) == [call]


def test_the_task_page_says_which_call_completed_it(client, w):
    call = call_log_create(agent=w["agent"], direction="inbound", outcome="info", account=w["account"], note="ok")
    client.force_login(w["agent"])
    url = reverse("planning:task-detail", args=[w["care"].pk])
    assert f"durch Anruf #{call.pk}" in client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert f"by call #{call.pk}" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_call_that_did_not_reach_the_customer_completes_nothing(w):
    call = call_log_create(agent=w["agent"], direction="outbound", outcome="no_answer", account=w["account"])
    assert list(call.closed_tasks.all()) == []
    assert Task.objects.filter(status="done").count() == 0


def test_ticked_tasks_are_completed_with_the_call(w):
    call = call_log_create(agent=w["agent"], direction="inbound", outcome="order", account=w["account"],
                           task_ids=[w["alert"].pk, w["later_care"].pk])
    assert sorted(call.closed_tasks.values_list("pk", flat=True)) == _ids(
        w["care"], w["welcome"], w["winback"], w["later_care"], w["alert"])
    assert Task.objects.get(pk=w["alert"].pk).outcome == "by_call"


@pytest.mark.parametrize("which, outcome, message", [
    ("order_task", "info", "is not an open task of this account"),
    ("other_care", "info", "is not an open task of this account"),
    ("alert", "no_answer", "was not reached"),
])
def test_a_tick_the_call_cannot_take_care_of_is_refused_and_nothing_is_written(w, which, outcome, message):
    with translation.override("en"), pytest.raises(CallLogError) as exc:
        call_log_create(agent=w["agent"], direction="inbound", outcome=outcome, account=w["account"],
                        task_ids=[w[which].pk])
    assert exc.value.field == "tasks" and message in exc.value.message
    assert CallLog.objects.count() == 0
    assert Task.objects.filter(status="done").count() == 0


def test_the_customer_screen_lists_open_tasks_and_completes_the_ticked_ones(client, w):
    client.force_login(w["agent"])
    with translation.override("en"):
        resp = client.get(reverse("calls:screen"), {"account": w["account"].pk}, HTTP_ACCEPT_LANGUAGE="en")
    listed = [t["task"].pk for t in resp.context["open_tasks"]]
    assert listed == [t.pk for t in (w["care"], w["alert"], w["welcome"], w["winback"], w["later_care"])]
    assert [t["auto"] for t in resp.context["open_tasks"]] == [True, False, True, True, False]
    html = resp.content.decode()
    assert f'data-testid="call-task-{w["alert"].pk}"' in html
    assert f'data-testid="call-task-{w["order_task"].pk}"' not in html
    resp = client.post(reverse("calls:log"), {
        "account": w["account"].pk, "direction": "inbound", "outcome": "info", "note": "Rückruf erledigt",
        "tasks": [w["alert"].pk]})
    assert resp.status_code == 302
    call = CallLog.objects.get()
    assert sorted(call.closed_tasks.values_list("pk", flat=True)) == _ids(
        w["care"], w["welcome"], w["winback"], w["alert"])


def test_the_screen_refuses_a_tick_when_the_customer_was_not_reached(client, w):
    client.force_login(w["agent"])
    resp = client.post(reverse("calls:log"), {"account": w["account"].pk, "direction": "outbound",
                                              "outcome": "no_answer", "tasks": [w["alert"].pk]},
                       HTTP_ACCEPT_LANGUAGE="de")
    assert resp.status_code == 400
    assert "Kunde wurde nicht erreicht" in resp.content.decode()
    assert CallLog.objects.count() == 0 and Task.objects.filter(status="done").count() == 0


# --- POST /api/v1/calls -------------------------------------------------------------------------------------------

@pytest.fixture
def api(client, w):
    _token, raw = api_token_create(user=w["agent"], name="telephony")

    def post(body):
        return client.post("/api/v1/calls", body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}")
    return post


def test_api_logs_a_call_by_phone_and_answers_the_closed_tasks(api, w):
    resp = api({"phone": "0170 1234567", "direction": "in", "outcome": "info", "note": "Liefertermin",
                "started_at": "2026-03-10T10:30:00+01:00", "duration_seconds": 240})
    assert resp.status_code == 201, resp.content
    call = CallLog.objects.get()
    assert resp.json() == {"id": call.pk, "account_id": w["account"].pk,
                           "closed_tasks": _ids(w["care"], w["welcome"], w["winback"])}
    assert (call.direction, call.duration_seconds, call.phone, call.agent) == ("inbound", 240, "0170 1234567",
                                                                             w["agent"])
    assert call.started_at == dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)


def test_api_logs_by_account_id_with_a_contact_and_ticked_tasks(api, w):
    resp = api({"account_id": w["account"].pk, "direction": "outbound", "outcome": "appointment",
                "contact_id": w["contact"].pk, "task_ids": [w["alert"].pk]})
    assert resp.status_code == 201
    assert resp.json()["closed_tasks"] == _ids(w["care"], w["welcome"], w["winback"], w["alert"])
    assert CallLog.objects.get().contact == w["contact"]


def test_api_not_reached_closes_nothing(api, w):
    resp = api({"account_id": w["account"].pk, "direction": "out", "outcome": "voicemail"})
    assert resp.status_code == 201 and resp.json()["closed_tasks"] == []


@pytest.mark.parametrize("body, status, field, message", [
    ({"phone": "040 9999999", "direction": "in", "outcome": "info"}, 404, "phone",
     "phone: no customer or contact has the number +49409999999; give account_id"),
    ({"phone": "hello", "direction": "in", "outcome": "info"}, 422, "phone", "phone: 'hello' is not a phone number"),
    ({"direction": "in", "outcome": "info"}, 422, "account_id", "account_id: give account_id or the caller's phone"),
    ({"account_id": 999999, "direction": "in", "outcome": "info"}, 404, "account_id",
     "account_id: no account 999999 for you"),
])
def test_api_bad_input_is_a_clear_error_and_logs_nothing(api, w, body, status, field, message):
    resp = api(body)
    assert (resp.status_code, resp.json()) == (status, {"message": message, "field": field})
    assert CallLog.objects.count() == 0


@pytest.mark.parametrize("extra, field, message", [
    ({"direction": "sideways"}, "direction", "direction: Input should be 'inbound', 'outbound', 'in' or 'out'"),
    ({"duration_seconds": -1}, "duration_seconds", "duration_seconds: Input should be greater than or equal to 0"),
    ({"duration_seconds": 86401}, "duration_seconds",
     "duration_seconds: Input should be less than or equal to 86400"),
    ({"outcome": "shouting"}, "outcome", "outcome: Input should be 'order', 'info', 'quote', 'complaint', "
                                         "'appointment', 'callback', 'no_interest', 'no_answer' or 'voicemail'"),
    ({"account_id": True}, "account_id", "account_id: Input should be a valid integer"),  # not account 1
    ({"account_id": "1"}, "account_id", "account_id: Input should be a valid integer"),
    ({"task_ids": [0]}, "task_ids.0", "task_ids.0: Input should be greater than or equal to 1"),
])
def test_api_schema_names_the_allowed_values(api, w, extra, field, message):
    resp = api({"phone": "089 1234567", "direction": "in", "outcome": "info", **extra})
    assert resp.status_code == 422
    assert (resp.json()["field"], resp.json()["message"]) == (field, message)
    assert CallLog.objects.count() == 0


def test_api_service_errors_name_the_api_field(api, w):
    resp = api({"account_id": w["account"].pk, "direction": "in", "outcome": "info",
                "contact_id": w["contact"].pk + 1000})
    assert (resp.status_code, resp.json()["field"]) == (422, "contact_id")
    resp = api({"account_id": w["account"].pk, "direction": "in", "outcome": "info",
                "task_ids": [w["order_task"].pk]})
    assert (resp.status_code, resp.json()["field"]) == (422, "task_ids")
    resp = api({"account_id": w["account"].pk, "direction": "in", "outcome": "info",
                "started_at": "2026-03-11T10:00:00+01:00"})
    assert (resp.status_code, resp.json()["field"]) == (422, "started_at")
    assert CallLog.objects.count() == 0 and Task.objects.filter(status="done").count() == 0


@pytest.mark.parametrize("extra, field", [
    ({"task_ids": [10**27]}, "task_ids.0"),
    ({"task_ids": [-1]}, "task_ids.0"),
    ({"started_at": "0001-01-01T00:00:00"}, "started_at"),
    ({"started_at": "1999-12-31T23:00:00+00:00"}, "started_at"),
    ({"started_at": "9999-12-31T23:59:59", "duration_seconds": 86400}, "started_at"),
    ({"started_at": "9999-12-31T23:59:59+00:00"}, "started_at"),
    ({"note": "x" * 5001}, "note"),
    ({"phone": "089\n1234567"}, "phone"),
])
def test_api_hostile_values_are_422_never_500(api, w, extra, field):
    resp = api({"account_id": w["account"].pk, "direction": "in", "outcome": "info", **extra})
    assert (resp.status_code, resp.json()["field"]) == (422, field)
    assert CallLog.objects.count() == 0


def test_api_a_body_that_is_not_json_is_400(client, w):
    _token, raw = api_token_create(user=w["agent"], name="t")
    resp = client.post("/api/v1/calls", "{nope", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert resp.status_code == 400 and resp.json()["field"] == "body"


@pytest.mark.parametrize("extra", [
    {"started_at": "0001-01-01 00:00"}, {"started_at": "9999-12-31 23:59"}, {"tasks": ["abc"]},
    {"tasks": [str(10**27)]}, {"tasks": ["-5"]},
])
def test_the_screen_answers_hostile_values_with_the_form_never_500(client, w, extra):
    client.force_login(w["agent"])
    resp = client.post(reverse("calls:log"), {"account": w["account"].pk, "direction": "inbound", "outcome": "info",
                                              **extra})
    assert resp.status_code == 400
    assert CallLog.objects.count() == 0 and Task.objects.filter(status="done").count() == 0
