"""Calls measured by the phone system in capacity: figures per interval, the forecast's source, handling times,
no staff for closed intervals, and the interval-file upload from the capacity page."""

import datetime as dt
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from isf.calls.services import call_log_create
from isf.calls.telephony import telephony_event_record
from isf.capacity.intervals import interval_figures, last_day_with_calls, offered_by_team
from isf.capacity.models import CallVolume, StaffingParameters
from isf.capacity.processtimes import call_handling_times
from isf.capacity.selectors import LocalSeries, volume_series
from isf.capacity.staffing import team_plan
from isf.imports.models import ImportJob
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 3, 10)  # a Tuesday


def at(hour, minute, second=0, day=DAY):
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=BERLIN)


@pytest.fixture
def team(time_machine):
    time_machine.move_to(at(18, 0), tick=False)
    smb = TeamFactory(code="SMB", business_hours="08:00-17:00", workdays="1-5", state="BY")
    UserFactory(username="a201", role=Role.INSIDE_AGENT, team=smb, extension="201")
    return smb


def call(call_id, events):
    for event, moment in events:
        telephony_event_record(call_id=call_id, event=event, at=moment, direction="in", from_number="+4940111",
                               to_number="+4989555000", agent="201" if event != "missed" else "")


def three_calls():
    call("c1", [("ringing", at(10, 0)), ("answered", at(10, 0, 20)), ("ended", at(10, 5, 20))])
    call("c2", [("ringing", at(10, 7)), ("missed", at(10, 8))])
    call("c3", [("ringing", at(10, 16)), ("answered", at(10, 16, 10)), ("ended", at(10, 18, 10))])


def test_figures_per_interval_are_measured_from_the_events(team, time_machine):
    three_calls()
    time_machine.move_to(at(10, 19, 40), tick=False)  # the agent logs c3 90 s after its end
    call_log_create(agent=team.members.get(), direction="inbound", outcome="info", call_id="c3")
    assert last_day_with_calls(team) == DAY
    assert interval_figures(team, DAY) == {"source": "telephony_events", "rows": [
        {"start": "10:00", "offered": 2, "answered": 1, "answer_rate": 50.0, "wait_seconds": 40.0,
         "talk_seconds": 300.0, "wrap_up_seconds": None, "aht_seconds": 300.0},
        {"start": "10:15", "offered": 1, "answered": 1, "answer_rate": 100.0, "wait_seconds": 10.0,
         "talk_seconds": 120.0, "wrap_up_seconds": 90.0, "aht_seconds": 210.0},
    ]}


def test_without_events_the_imported_file_gives_offered_answered_and_handling_time(team):
    CallVolume.objects.create(team=team, start=at(9, 0), resolution_minutes=15, calls=8, answered=6, aht_seconds=200)
    CallVolume.objects.create(team=team, start=at(9, 15), resolution_minutes=15, calls=0)
    CallVolume.objects.create(team=team, start=at(9, 30), resolution_minutes=15, calls=3)  # offered only
    assert interval_figures(team, DAY) == {"source": "import", "rows": [
        {"start": "09:00", "offered": 8, "answered": 6, "answer_rate": 75.0, "wait_seconds": None,
         "talk_seconds": None, "wrap_up_seconds": None, "aht_seconds": 200.0},
        {"start": "09:30", "offered": 3, "answered": None, "answer_rate": None, "wait_seconds": None,
         "talk_seconds": None, "wrap_up_seconds": None, "aht_seconds": None}]}


def test_the_forecast_reads_the_events_when_present_else_the_import(team, time_machine):
    three_calls()
    series = volume_series(team, today=DAY + timedelta(days=1))
    assert (series.source, series.counts.sum()) == ("telephony_events", 3.0)  # every call offered, missed too
    CallVolume.objects.create(team=team, start=at(9, 0, day=DAY - timedelta(days=40)), resolution_minutes=15,
                              calls=7)
    # events of one day do not replace a file's weeks: the forecast needs history
    assert volume_series(team, today=DAY + timedelta(days=1)).source == "telephony"
    later = DAY + timedelta(days=27)
    time_machine.move_to(at(18, 0, day=later), tick=False)
    call("c4", [("ringing", at(10, 0, day=later)), ("missed", at(10, 1, day=later))])
    assert volume_series(team, today=later).source == "telephony"  # 27 days of events (10 Mar - 5 Apr)
    assert volume_series(team, today=later + timedelta(days=1)).source == "telephony_events"  # 28 days


def test_handling_time_of_a_measured_call_is_talk_plus_wrap_up(team, time_machine):
    three_calls()
    time_machine.move_to(at(10, 19, 40), tick=False)
    call_log_create(agent=team.members.get(), direction="inbound", outcome="info", call_id="c3")
    times = call_handling_times(since=at(0, 0), until=at(23, 0), team=team)
    # c1: 300 s talk, not logged yet; c3: 120 s talk + 90 s wrap-up; the missed call handled nothing
    assert times["inbound"]["calls"] == 2
    assert times["inbound"]["aht_seconds"] == (300 + 210) / 2


def test_no_staff_for_closed_intervals_even_when_history_had_calls_at_night(team):
    StaffingParameters.objects.create(team=team, aht_seconds=180, target_level=80, target_seconds=20,
                                      max_occupancy=1, shrinkage=0.2, productive_hours_per_day=8)
    monday = date(2026, 11, 30)
    first = monday - timedelta(days=28)
    starts = np.arange(np.datetime64(first, "m"), np.datetime64(monday, "m"), np.timedelta64(15, "m"))
    series = LocalSeries(starts, np.full(len(starts), 5.0), 15, "telephony")  # calls around the clock
    plan = team_plan(team, days=7, today=monday, series=series)
    assert {i["start"] for i in plan.intervals} == {f"{h:02d}:{m:02d}" for h in range(8, 17) for m in (0, 15, 30, 45)}
    assert plan.days[0].calls == pytest.approx(36 * 5, rel=0.05)
    assert [d.inbound_hours for d in plan.days[5:]] == [0.0, 0.0]  # the weekend is closed


def test_the_idl_uploads_an_interval_file_from_the_capacity_page(client, team):
    idl = UserFactory(role=Role.INSIDE_LEAD, team=team)
    client.force_login(idl)
    page = client.get("/capacity/", {"team": "SMB"}).content.decode()
    assert 'data-testid="interval-upload"' in page and '<input type="hidden" name="team" value="SMB">' in page
    upload = SimpleUploadedFile("acd.csv", b"Datum;Intervall;Angeboten\n10.03.2026;08:00-08:15;3\n")
    resp = client.post("/imports/", {"kind": "call-volumes", "team": "SMB", "file": upload})
    job = ImportJob.objects.get()
    assert resp.status_code == 302 and resp.url == f"/imports/jobs/{job.pk}/"
    assert (job.kind, job.options) == ("call-volumes", {"team": "SMB"})
    assert '<option value="SMB" selected>' in client.get(resp.url).content.decode()


def test_offered_calls_per_team_are_measured_where_events_arrive_else_imported(team):
    other = TeamFactory(code="KA", name="KA-Team")
    CallVolume.objects.create(team=team, start=at(9, 0), resolution_minutes=15, calls=40)  # replaced by events
    CallVolume.objects.create(team=other, start=at(9, 0), resolution_minutes=15, calls=12)
    three_calls()
    assert offered_by_team(at(0, 0), at(23, 0)) == {team.name: 3, "KA-Team": 12}
    # the day before the phone system was connected keeps its imported volumes: per team and day
    CallVolume.objects.create(team=team, start=at(9, 0) - dt.timedelta(days=1), resolution_minutes=15, calls=25)
    assert offered_by_team(at(0, 0) - dt.timedelta(days=1), at(23, 0)) == {team.name: 28, "KA-Team": 12}
