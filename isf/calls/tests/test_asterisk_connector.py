"""The example Asterisk connector against recorded AMI sessions (isf/calls/tests/recorded/asterisk_*.ami)."""

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from isf.calls.connectors.asterisk import AmiTranslator, extension_of, parse_ami
from isf.calls.models import CallLog
from isf.calls.tests.helpers import world
from isf.org.choices import Role
from isf.org.services import api_token_create
from isf.org.tests.factories import UserFactory
from isf.planning.models import Task

RECORDED = Path(__file__).parent / "recorded"


def translate(name: str) -> list[dict]:
    translator = AmiTranslator()
    with (RECORDED / f"asterisk_{name}.ami").open(encoding="utf-8", newline="") as lines:
        return [event for block in parse_ami(lines) for event in translator.feed(block)]


def test_extension_of_a_channel():
    assert [extension_of(c) for c in ("PJSIP/201-0000002a", "SIP/202@pbx-1", "Local/203@from-internal-1;1", "")] == [
        "201", "202", "203", ""]


def test_answered_call():
    caller = {"direction": "in", "from": "+49891234567", "to": "4989555000"}
    assert translate("answered") == [
        {"call_id": "1773133200.101", "event": "ringing", "at": "2026-03-10T09:00:01+00:00", **caller, "agent": "201"},
        {"call_id": "1773133200.101", "event": "answered", "at": "2026-03-10T09:00:13+00:00", **caller, "agent": "201"},
        {"call_id": "1773133200.101", "event": "ended", "at": "2026-03-10T09:04:13+00:00", **caller, "agent": "201"},
    ]


def test_missed_call_rings_once_though_the_queue_tries_two_phones():
    assert [(e["event"], e["at"], e.get("agent")) for e in translate("missed")] == [
        ("ringing", "2026-03-10T09:10:01+00:00", "201"), ("missed", "2026-03-10T09:10:45+00:00", None)]


def test_blind_transfer_ends_with_the_agent_it_went_to():
    assert [(e["event"], e["at"], e.get("agent")) for e in translate("transfer")] == [
        ("ringing", "2026-03-10T09:20:00+00:00", "201"), ("answered", "2026-03-10T09:20:05+00:00", "201"),
        ("ended", "2026-03-10T09:26:05+00:00", "202")]


@pytest.mark.django_db
def test_the_connectors_events_make_the_calls_in_isf(client, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 10, 12, 0, tzinfo=ZoneInfo("Europe/Berlin")), tick=False)
    data = world()
    data["agent"].extension = "201"
    data["agent"].save()
    colleague = UserFactory(username="colleague", role=Role.INSIDE_AGENT, team=data["team_a"], extension="202")
    token = api_token_create(user=UserFactory(username="pbx", role=Role.TELEPHONY))[1]
    for name in ("answered", "missed", "transfer"):
        for body in translate(name):
            resp = client.post("/api/v1/telephony/events", json.dumps(body), content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {token}")
            assert resp.status_code == 201, resp.content
    calls = {c.call_id: c for c in CallLog.objects.all()}
    assert {k: (c.account_id, c.agent, c.wait_seconds, c.talk_seconds, c.outcome) for k, c in calls.items()} == {
        "1773133200.101": (data["account"].pk, data["agent"], 12, 240, ""),
        "1773133800.201": (data["account"].pk, data["agent"], 44, None, "no_answer"),
        "1773134400.301": (data["account"].pk, colleague, 5, 360, ""),
    }
    assert Task.objects.filter(source="telephony", kind="call_back").count() == 1
