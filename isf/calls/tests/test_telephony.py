"""POST /api/v1/telephony/events with recorded event sequences (isf/calls/tests/recorded/), GET /api/v1/calls, and
the agent's log completing the phone system's call."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from isf.calls.models import CallLog, TelephonyEvent
from isf.calls.tests.helpers import world
from isf.org.choices import Role
from isf.org.services import api_token_create
from isf.org.tests.factories import UserFactory
from isf.planning.models import Task

pytestmark = pytest.mark.django_db

RECORDED = Path(__file__).parent / "recorded"
BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=BERLIN)  # after every recorded event


def recorded(name: str) -> list[dict]:
    return json.loads((RECORDED / f"{name}.json").read_text())["events"]


@pytest.fixture
def w(time_machine):
    time_machine.move_to(NOW, tick=False)
    data = world()
    data["agent"].extension = "201"
    data["agent"].save()
    data["colleague"] = UserFactory(username="colleague", role=Role.INSIDE_AGENT, team=data["team_a"],
                                    extension="202")
    data["pbx"] = UserFactory(username="pbx", role=Role.TELEPHONY)
    data["token"] = api_token_create(user=data["pbx"], name="pbx")[1]
    return data


def post(client, token, body):
    return client.post("/api/v1/telephony/events", json.dumps(body), content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token}")


def replay(client, token, name):
    return [post(client, token, body) for body in recorded(name)]


def test_answered_call_has_its_measured_times_and_the_account_found_by_number(client, w):
    answers = replay(client, w["token"], "answered")
    assert [r.status_code for r in answers] == [201, 201, 201]
    call = CallLog.objects.get(call_id="pbx-1001")
    assert (call.source, call.direction, call.account, call.agent, call.team) == (
        "telephony", "inbound", w["account"], w["agent"], w["team_a"])
    assert call.started_at == dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
    assert call.answered_at == dt.datetime(2026, 3, 10, 9, 0, 12, tzinfo=dt.UTC)
    assert call.ended_at == dt.datetime(2026, 3, 10, 9, 4, 12, tzinfo=dt.UTC)
    assert (call.wait_seconds, call.talk_seconds, call.duration_seconds, call.outcome) == (12, 240, 240, "")
    assert call.phone == "+49891234567"
    assert TelephonyEvent.objects.filter(call_id="pbx-1001").count() == 3
    assert answers[2].json()["call"]["talk_seconds"] == 240


def test_ringing_answers_with_the_customer_and_the_screen_url(client, w):
    resp = post(client, w["token"], recorded("answered")[0])
    assert resp.status_code == 201
    body = resp.json()
    assert body["customer"]["account"]["erp_number"] == "010007"
    assert body["customer"]["phone"] == "+49891234567"
    assert body["customer"]["read_only"] is False
    assert body["screen_url"] == "http://testserver/call/?phone=%2B49891234567&call_id=pbx-1001"
    # the same facts as the screen-pop gives the agent
    client.force_login(w["agent"])
    pop = client.get("/api/v1/screenpop", {"phone": "+49891234567"}).json()
    assert body["customer"] == pop


def test_missed_call_becomes_one_ranked_callback_task_for_the_team(client, w):
    replay(client, w["token"], "missed")
    call = CallLog.objects.get(call_id="pbx-1002")
    assert (call.outcome, call.wait_seconds, call.talk_seconds, call.answered_at) == ("no_answer", 45, None, None)
    task = Task.objects.get(source="telephony")
    assert (task.kind, task.team, task.account, task.assignee, task.status) == (
        "call_back", w["team_a"], w["account"], None, "open")
    assert task.due_at == dt.datetime(2026, 3, 10, 10, 10, 45, tzinfo=dt.UTC)
    assert task.title_en == "Call back: Müller Metallbau GmbH"
    assert task.reason_en == "Missed call at 10.03.2026 10:10 from +49891234567"
    assert task.priority > 0 and task.priority_until is not None  # ranked like every task of the queue
    # the missed event again: no second task
    assert post(client, w["token"], recorded("missed")[1]).status_code == 200
    assert Task.objects.filter(source="telephony").count() == 1


def test_transferred_call_belongs_to_the_agent_who_ended_it(client, w):
    replay(client, w["token"], "transferred")
    call = CallLog.objects.get(call_id="pbx-1003")
    assert (call.agent, call.talk_seconds, call.wait_seconds) == (w["colleague"], 360, 5)


def test_events_out_of_order_make_the_same_call_as_in_order(client, w):
    assert [r.status_code for r in replay(client, w["token"], "out_of_order")] == [201, 201, 201]
    call = CallLog.objects.get(call_id="pbx-1004")
    assert call.started_at == dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)
    assert (call.wait_seconds, call.talk_seconds, call.outcome, call.agent) == (12, 240, "", w["agent"])


def test_duplicates_change_nothing_and_say_so(client, w):
    answers = replay(client, w["token"], "duplicates")
    assert [r.status_code for r in answers] == [201, 200, 201, 200, 201]
    assert [r.json()["duplicate"] for r in answers] == [False, True, False, True, False]
    assert TelephonyEvent.objects.filter(call_id="pbx-1005").count() == 3
    assert CallLog.objects.filter(call_id="pbx-1005").count() == 1
    assert CallLog.objects.get(call_id="pbx-1005").talk_seconds == 60


def test_unknown_number_is_kept_for_a_later_lead(client, w):
    answers = replay(client, w["token"], "unknown_number")
    assert answers[0].json()["customer"] is None
    assert answers[0].json()["screen_url"].endswith("?phone=%2B49409999999&call_id=pbx-1006")
    call = CallLog.objects.get(call_id="pbx-1006")
    assert (call.account, call.phone, call.outcome) == (None, "+49409999999", "no_answer")
    task = Task.objects.get(source="telephony")
    assert (task.account, task.title_en) == (None, "Call back: +49409999999")


@pytest.mark.parametrize(("numbers", "default", "expected"), [
    ({"team_b": "+49 89 555-000, +49 89 555-100"}, "team_a", "team_b"),  # the team of the dialled number
    ({"team_a": "+49 89 777"}, "team_b", "team_b"),  # nobody has the number: the default inbound team
    ({}, None, "team_b"),  # neither: the first team by code (KA before SMB)
])
def test_missed_call_from_an_unknown_number_without_agent_goes_to_the_inbound_team(client, w, numbers, default,
                                                                                   expected):
    for key, listed in numbers.items():
        w[key].inbound_numbers = listed
        w[key].save()
    if default:
        w[default].inbound_default = True
        w[default].save()
    assert [r.status_code for r in replay(client, w["token"], "unknown_number")] == [201, 201]
    call = CallLog.objects.get(call_id="pbx-1006")
    task = Task.objects.get(source="telephony")
    assert (call.agent, call.account, call.team) == (None, None, w[expected])
    assert (task.team, task.kind, task.status, task.assignee) == (w[expected], "call_back", "open", None)
    assert task.priority > 0 and task.priority_until is not None  # ranked like other work of the queue
    # the team's queue shows it (the queue's own selector, not the task table)
    from isf.planning.selectors import work_queue

    member = UserFactory(username="member", role=Role.INSIDE_AGENT, team=w[expected])
    assert task in work_queue(user=member)


@pytest.mark.parametrize(("change", "status", "field", "words"), [
    ({"at": "2026-03-10T12:05:00+01:00"}, 422, "at", "event ringing of call pbx-1001 lies in the future"),
    ({"at": "2026-03-10T10:00:00"}, 422, "at", "needs its time zone offset"),
    ({"agent": "999"}, 422, "agent", "no user has the user name or extension '999' (event ringing of call pbx-1001)"),
    ({"event": "hold"}, 422, "event", "event: Input should be 'ringing', 'answered', 'ended' or 'missed'"),
    ({"direction": "sideways"}, 422, "direction", "direction: Input should be 'inbound', 'outbound', 'in' or 'out'"),
    ({"call_id": ""}, 422, "call_id", "call_id"),
])
def test_bad_events_are_refused_naming_the_event_and_write_nothing(client, w, change, status, field, words):
    resp = post(client, w["token"], {**recorded("answered")[0], **change})
    assert resp.status_code == status, resp.content
    assert resp.json()["field"] == field
    assert words in resp.json()["message"]
    assert (CallLog.objects.count(), TelephonyEvent.objects.count()) == (0, 0)


def test_contradicting_events_are_conflicts_and_write_nothing(client, w):
    ringing, answered, ended = recorded("answered")
    post(client, w["token"], ringing)
    post(client, w["token"], answered)
    resp = post(client, w["token"], {**ringing, "event": "missed", "at": "2026-03-10T10:00:30+01:00"})
    assert (resp.status_code, resp.json()["field"]) == (409, "event")
    assert resp.json()["message"] == "event: call pbx-1001 cannot be both answered and missed"
    resp = post(client, w["token"], {**answered, "at": "2026-03-10T10:00:13+01:00"})
    assert resp.status_code == 409 and "answered of call pbx-1001 was received before" in resp.json()["message"]
    resp = post(client, w["token"], {**ended, "at": "2026-03-10T10:00:05+01:00"})
    assert resp.status_code == 422
    assert resp.json()["message"].startswith("at: event ended of call pbx-1001 (2026-03-10T10:00:05+01:00) lies before")
    assert TelephonyEvent.objects.filter(call_id="pbx-1001").count() == 2
    assert Task.objects.count() == 0


def test_an_agent_posts_events_of_his_own_extension_only(client, w):
    raw = api_token_create(user=w["agent"], name="softphone")[1]
    ringing = recorded("answered")[0]
    assert post(client, raw, {**ringing, "agent": "202"}).status_code == 403
    assert post(client, raw, {**ringing, "agent": ""}).status_code == 403
    assert TelephonyEvent.objects.count() == 0
    assert post(client, raw, ringing).status_code == 201


def test_the_telephony_user_may_post_events_and_nothing_else(client, w):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {w['token']}"}
    assert client.get("/api/v1/screenpop", {"phone": "+49891234567"}, **auth).status_code == 403
    assert client.get("/api/v1/calls", {"account_id": w["account"].pk}, **auth).status_code == 403
    assert client.get("/api/v1/accounts", **auth).status_code == 403
    assert client.get("/api/v1/tokens", **auth).status_code == 403
    client.force_login(w["pbx"])
    assert client.get("/").status_code in (302, 403)
    assert client.get("/call/").status_code == 403


def test_calls_of_an_account_newest_first_from_both_sources(client, w):
    replay(client, w["token"], "answered")
    replay(client, w["token"], "missed")
    client.force_login(w["agent"])
    manual = client.post("/api/v1/calls", json.dumps({
        "account_id": w["account"].pk, "direction": "out", "outcome": "info",
        "started_at": "2026-03-10T11:00:00+01:00", "duration_seconds": 90}), content_type="application/json")
    assert manual.status_code == 201
    resp = client.get("/api/v1/calls", {"account_id": w["account"].pk})
    assert resp.status_code == 200, resp.content
    items = resp.json()["items"]
    assert [(c["source"], c["started_at"], c["outcome"]) for c in items] == [
        ("manual", "2026-03-10T10:00:00Z", "info"),
        ("telephony", "2026-03-10T09:10:00Z", "no_answer"),
        ("telephony", "2026-03-10T09:00:00Z", ""),
    ]
    first = items[2]
    assert (first["answered_at"], first["ended_at"], first["talk_seconds"], first["wait_seconds"]) == (
        "2026-03-10T09:00:12Z", "2026-03-10T09:04:12Z", 240, 12)
    assert client.get("/api/v1/calls", {"account_id": w["other"].pk}).status_code == 404
    assert client.get("/api/v1/calls", {"account_id": "x"}).status_code in (400, 422)


def test_the_agents_log_from_the_ringing_screen_completes_the_same_call(client, w, time_machine):
    ringing, answered, ended = recorded("answered")
    url = post(client, w["token"], ringing).json()["screen_url"]
    client.force_login(w["agent"])
    screen = client.get(url.removeprefix("http://testserver"))
    assert screen.status_code == 200
    assert 'name="call_id" value="pbx-1001"' in screen.content.decode()
    post(client, w["token"], answered)
    post(client, w["token"], ended)
    time_machine.move_to(dt.datetime(2026, 3, 10, 10, 5, 42, tzinfo=BERLIN), tick=False)  # 90 s after the end
    resp = client.post("/call/log/", {"account": w["account"].pk, "phone": "+49891234567", "call_id": "pbx-1001",
                                      "direction": "inbound", "outcome": "order", "note": "Bestellt 20 Kartons"})
    assert resp.status_code == 302
    assert CallLog.objects.count() == 1
    call = CallLog.objects.get()
    assert (call.outcome, call.note, call.talk_seconds, call.wrap_up_seconds, call.duration_seconds) == (
        "order", "Bestellt 20 Kartons", 240, 90, 330)
    assert (call.source, call.agent, call.account) == ("telephony", w["agent"], w["account"])
    again = client.post("/call/log/", {"account": w["account"].pk, "phone": "+49891234567", "call_id": "pbx-1001",
                                       "direction": "inbound", "outcome": "info"})
    assert again.status_code == 400 and "Dieser Anruf wurde bereits erfasst." in again.content.decode()
    assert CallLog.objects.count() == 1


def test_an_order_taken_on_the_phone_systems_call_keeps_its_value_on_the_same_call(client, w):
    """Telephony and attribution together: the agent's log of a ringing call with the outcome "order taken" puts
    the order value on the measured call (one call, matched to its ERP order later), and GET /calls lists it."""
    replay(client, w["token"], "answered")
    client.force_login(w["agent"])
    resp = client.post("/call/log/", {"account": w["account"].pk, "phone": "+49891234567", "call_id": "pbx-1001",
                                      "direction": "inbound", "outcome": "order", "order_value": "1250,50"})
    assert resp.status_code == 302
    call = CallLog.objects.get()
    assert (call.source, call.outcome, call.order_value, call.talk_seconds) == (
        "telephony", "order", Decimal("1250.50"), 240)
    listed = client.get("/api/v1/calls", {"account_id": w["account"].pk}).json()["items"]
    assert [(c["call_id"], c["order_value"]) for c in listed] == [("pbx-1001", 1250.5)]


def test_a_log_before_the_events_is_completed_by_them(client, w):
    client.force_login(w["agent"])
    client.post("/call/log/", {"account": w["account"].pk, "phone": "+49891234567", "call_id": "pbx-1001",
                               "direction": "inbound", "outcome": "info"})
    replay(client, w["token"], "answered")
    call = CallLog.objects.get()
    assert (call.outcome, call.source, call.talk_seconds, call.wait_seconds) == ("info", "telephony", 240, 12)


def test_a_plus_sent_unencoded_is_read_as_plus_by_screen_and_screenpop(client, w):
    """`/call/?phone=+49 89 1234567` as a phone system sends it: the query string's + arrives as a space."""
    client.force_login(w["agent"])
    pop = client.get("/api/v1/screenpop?phone=+49 89 1234567")
    assert pop.status_code == 200
    assert (pop.json()["phone"], pop.json()["account"]["erp_number"]) == ("+49891234567", "010007")
    screen = client.get("/call/?phone=+49 89 1234567")
    assert screen.status_code == 200
    assert screen.context["phone"] == "+49891234567"
    assert screen.context["facts"]["account"]["erp_number"] == "010007"
    # a space inside the number stays a space; a leading space before no digit is no +
    assert client.get("/api/v1/screenpop", {"phone": "089 1234567"}).json()["phone"] == "+49891234567"
    assert client.get("/api/v1/screenpop", {"phone": " (089) 1234567"}).json()["phone"] == "+49891234567"


def test_the_phone_systems_call_reaches_the_customers_history_with_its_measured_times(client, w):
    replay(client, w["token"], "answered")
    client.force_login(w["agent"])
    page = client.get(f"/call/timeline/{w['account'].pk}/").content.decode()
    assert "Eingehend: noch nicht erfasst" in page
    assert "Warten 0:12 · Gespräch 4:00" in page
