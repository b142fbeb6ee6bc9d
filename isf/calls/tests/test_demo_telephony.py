"""The demo's phone system (issue 24): the inbound calls of the last two weeks are telephony calls with their
measured times and events, so the capacity page's intervals for recent days are measured."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from isf.calls.models import CallLog, TelephonyEvent
from isf.capacity.intervals import interval_figures
from isf.demo.services import demo_load
from isf.org.models import Team
from isf.planning.models import Task

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 4)  # a Friday: the last workday with calls is Thursday


def test_demo_calls_of_the_last_two_weeks_come_from_the_phone_system():
    demo_load(accounts=150, years=1, seed=3, today=TODAY)
    calls = CallLog.objects.filter(source="telephony")
    assert calls.count() > 50
    assert set(calls.values_list("direction", flat=True)) == {"inbound"}
    first = min(timezone.localdate(c) for c in calls.values_list("started_at", flat=True))
    assert first >= TODAY - timedelta(days=14)
    assert not CallLog.objects.filter(source="manual", direction="inbound", started_at__date__gte=first).exists()
    answered = calls.exclude(answered_at=None)
    missed = calls.filter(answered_at=None)
    assert answered.exists() and missed.exists()
    for call in answered:
        assert call.answered_at - call.started_at == timedelta(seconds=call.wait_seconds)
        assert call.ended_at - call.answered_at == timedelta(seconds=call.talk_seconds)
        assert call.duration_seconds == call.talk_seconds + call.wrap_up_seconds and call.wait_seconds >= 2
        assert call.phone.startswith("+49") and call.call_id.startswith("demo-")
    assert set(missed.values_list("outcome", flat=True)) == {"no_answer"}
    events = {(e.call_id, e.event) for e in TelephonyEvent.objects.all()}
    assert all((c, e) in events for c in answered.values_list("call_id", flat=True) for e in ("ringing", "answered",
                                                                                            "ended"))
    assert all((c, e) in events for c in missed.values_list("call_id", flat=True) for e in ("ringing", "missed"))
    # the capacity page's intervals for a recent day are measured
    team = Team.objects.get(code="SMB")
    day = TODAY - timedelta(days=1)
    figures = interval_figures(team, day)
    assert figures["source"] == "telephony_events" and sum(r["offered"] for r in figures["rows"]) == calls.filter(
        team=team, started_at__date=day).count()
    # the last workday's missed calls wait as callback tasks of their team, made by the live rule
    last = missed.filter(started_at__date=day)
    callbacks = Task.objects.filter(source="telephony", kind="call_back", status="open")
    assert sorted(callbacks.values_list("source_id", flat=True)) == sorted(str(pk) for pk in last.values_list(
        "pk", flat=True))
    assert all(t.team_id and t.priority > 0 for t in callbacks)
    # the team lines and the default inbound team
    assert Team.objects.get(code="KA").inbound_numbers == "+49 911 4711-100"
    assert list(Team.objects.filter(inbound_default=True).values_list("code", flat=True)) == ["SMB"]
