"""Work sized to capacity: contact plans fitted into each team's free minutes per business day, deferrals
counted, absences entered later honoured, and `isf queue load`."""

import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from isf.capacity.models import StaffingParameters
from isf.capacity.schedule import business_days, queue_load, team_days
from isf.capacity.services import absence_create
from isf.customers.models import Account
from isf.customers.tests.factories import AccountFactory
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.planning.matrix_services import care_matrix_save
from isf.planning.models import CareActivity, Task, TaskEvent
from isf.planning.plan import frequency_slots, plan_run
from isf.planning.tests.helpers import activity, make_segment

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = date(2026, 11, 30)  # a week without holidays in Bavaria
WEEK = [MONDAY + timedelta(days=i) for i in range(5)]


@pytest.fixture
def monday(time_machine):
    time_machine.move_to(datetime.combine(MONDAY, time(6, 0), tzinfo=BERLIN), tick=False)


def weekly_care_calls(segment):
    """One care call a week (52 a year: a slot every 5.02 workdays) for every active account of the segment."""
    care_matrix_save(segment=segment, potential_classes="", call_counts_as_visit=False,
                     activities=[activity(frequency_per_year=52, phases=["active"])])


@pytest.fixture
def team_of_two(monday):
    """Two agents of 5 hours a week (one hour a day each), no shrinkage, 10 minutes per call: 12 calls a day.

    No call volumes and no service orders: nothing comes off the top. A key-account segment (10 accounts)
    and an SMB segment (90 accounts) share the team: each business day has about 20 calls due.
    """
    team = TeamFactory(code="IN", state="BY")
    StaffingParameters.objects.create(team=team, shrinkage=Decimal("0"), outbound_minutes=Decimal("10"))
    agents = [UserFactory(role=Role.INSIDE_AGENT, team=team, weekly_hours=5) for _i in range(2)]
    ka = make_segment(code="KA", team=team, precedence=10)
    smb = make_segment(code="SMB", team=team, precedence=30)
    weekly_care_calls(ka)
    weekly_care_calls(smb)
    key_accounts = [AccountFactory(segment=ka, phase="active", potential=500_000) for _i in range(10)]
    for i in range(90):
        AccountFactory(segment=smb, phase="active", potential=1000 * (i + 1))
    return team, agents, key_accounts


def planned_minutes(team) -> list[int]:
    return [d["planned_minutes"] for d in queue_load(teams=[team], days=5, today=MONDAY)[0]["days"]]


def test_a_team_with_half_its_staff_absent_gets_half_the_planned_work_and_the_rest_is_deferred(team_of_two):
    team, (_a, b), key_accounts = team_of_two
    absence_create(user=b, first_day=WEEK[2], last_day=WEEK[2])  # Wednesday: one of two agents away

    result = plan_run(today=MONDAY, horizon_days=5)

    loads = team_days(team, WEEK, today=MONDAY)
    assert [round(loads[d].capacity_minutes) for d in WEEK] == [120, 120, 60, 120, 120]
    assert planned_minutes(team) == [120, 120, 60, 120, 120]  # half the staff, half the planned work
    open_calls = Task.objects.filter(source="plan", status="open")
    assert open_calls.count() == result["created"] == 54
    deferred = Task.objects.filter(source="plan", status="cancelled", outcome="deferred")
    slots = sum(len(frequency_slots(a.pk, t.pk, 52, MONDAY, MONDAY + timedelta(days=5)))
                for a in Account.objects.all() for t in CareActivity.objects.filter(matrix__segment=a.segment))
    assert slots >= 95  # about 20 calls due a day: more than the 12 a day the team can make
    assert result["deferred"] == deferred.count() == slots - 54
    # every deferred contact is on record with its reason and its events, and counted per day
    assert all(t.cancel_reason.startswith("Kapazität: Team am ") for t in deferred)
    assert set(TaskEvent.objects.filter(task__in=deferred).values_list("action", flat=True)) == {"created", "cancelled"}
    load = queue_load(teams=[team], days=5, today=MONDAY)[0]
    assert sum(d["deferred_tasks"] for d in load["days"]) == deferred.count()
    # the key accounts get their contacts first: none of theirs is deferred
    assert not deferred.filter(account__in=key_accounts).exists()
    key_slots = sum(len(frequency_slots(a.pk, t.pk, 52, MONDAY, MONDAY + timedelta(days=5)))
                    for a in key_accounts for t in CareActivity.objects.filter(matrix__segment=a.segment))
    assert key_slots > 0  # the slots follow the ids, which PostgreSQL's sequences move between tests
    assert open_calls.filter(account__in=key_accounts).count() == key_slots


def test_an_absence_entered_after_the_plan_moves_the_least_valuable_contacts_off_the_day(team_of_two):
    team, (_a, b), key_accounts = team_of_two
    first = plan_run(today=MONDAY, horizon_days=5)
    assert planned_minutes(team) == [120, 120, 120, 120, 120]
    wednesday = set(Task.objects.filter(source="plan", status="open", due_at__date=WEEK[2]).values_list("pk", flat=True))

    absence_create(user=b, first_day=WEEK[2], last_day=WEEK[2])
    second = plan_run(today=MONDAY, horizon_days=5)

    assert planned_minutes(team) == [120, 120, 60, 120, 120]
    assert second["created"] == 0 and second["deferred"] == 6  # every later day is full too: deferred
    taken_off = Task.objects.filter(pk__in=wednesday, status="cancelled", outcome="deferred")
    assert taken_off.count() == 6
    assert first["deferred"] + 6 == Task.objects.filter(outcome="deferred").count()
    assert not taken_off.filter(account__in=key_accounts).exists()
    kept = Task.objects.filter(pk__in=wednesday, status="open")
    least_kept = min(kept.values_list("account__potential", flat=True))
    assert max(taken_off.values_list("account__potential", flat=True)) <= least_kept


def test_a_team_without_agents_is_not_sized(monday):
    team = TeamFactory(code="NOONE")
    segment = make_segment(code="SMB", team=team)
    weekly_care_calls(segment)
    for _i in range(30):
        AccountFactory(segment=segment, phase="active")
    result = plan_run(today=MONDAY, horizon_days=5)
    assert result["deferred"] == 0 and result["shifted"] == 0
    assert result["created"] == Task.objects.filter(status="open").count() >= 29


def test_business_days_skip_weekends_and_holidays():
    team = TeamFactory(state="BY")
    assert business_days(team, date(2026, 12, 24), count=3) == [date(2026, 12, 24), date(2026, 12, 28),
                                                                 date(2026, 12, 29)]


# ------------------------------------------------------------------------------------------ isf queue load


def run(*args) -> str:
    out = StringIO()
    call_command("queue", "load", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_queue_load_json_has_every_key_per_team_and_business_day(team_of_two):
    team, _agents, _ka = team_of_two
    plan_run(today=MONDAY, horizon_days=14)
    old = Task.objects.filter(source="plan", status="open").order_by("due_at").first()
    Task.objects.filter(pk=old.pk).update(due_at=datetime(2026, 11, 27, 9, tzinfo=BERLIN))  # one overdue

    data = json.loads(run("--json", "--days", "3", "--team", "in"))

    assert data["days"] == 3
    [row] = data["teams"]
    assert row["team"] == "IN" and row["overdue_tasks"] == 1
    assert [d["date"] for d in row["days"]] == ["2026-11-30", "2026-12-01", "2026-12-02"]
    for day in row["days"]:
        assert {"date", "capacity_minutes", "inbound_minutes", "planned_minutes", "deferred_tasks",
                "overdue_tasks"} <= set(day)
        assert day["capacity_minutes"] == 120 and day["inbound_minutes"] == 0 and day["overdue_tasks"] == 1
        assert day["planned_minutes"] + day["inbound_minutes"] <= day["capacity_minutes"]
    assert len(json.loads(run("--json"))["teams"][0]["days"]) == 10  # default: ten business days


def test_queue_load_table_and_bad_input(team_of_two):
    text = run("--days", "2")
    assert "IN  (overdue tasks now: 0; minutes per day)" in text
    assert "2026-11-30" in text and "2026-12-01" in text and "2026-12-02" not in text
    with pytest.raises(CommandError, match=r"--team: no team with code 'XX' \(known: IN\)"):
        run("--team", "XX")
    with pytest.raises(CommandError, match="--days must be between 1 and 90, got 0"):
        run("--days", "0")


def test_the_idl_overview_counts_the_deferred_contacts_per_team(team_of_two, client):
    team, _agents, _ka = team_of_two
    result = plan_run(today=MONDAY, horizon_days=5)
    client.force_login(UserFactory(role=Role.INSIDE_LEAD))
    body = client.get("/", follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    hours = result["deferred"] * 10 / 60
    assert f"deferred: {result['deferred']} contacts, {hours:.1f} h, SMB customers first (Care call {result['deferred']})" in body


def test_the_review_pack_counts_the_contacts_deferred_in_its_period(team_of_two):
    from isf.reviews import services as review_services
    from isf.reviews.selectors import review_pack

    team, _agents, _ka = team_of_two
    result = plan_run(today=MONDAY, horizon_days=5)
    vl, idl = UserFactory(role=Role.SALES_LEAD), UserFactory(role=Role.INSIDE_LEAD)
    week = review_services.meeting_create(title="Review KW 49", period_start=WEEK[0], period_end=WEEK[-1],
                                          scheduled_at=datetime(2026, 12, 7, 10, tzinfo=BERLIN), sales_lead=vl,
                                          inside_lead=idl, actor=vl)
    november = review_services.meeting_create(title="Review November", period_start=date(2026, 11, 1),
                                              period_end=date(2026, 11, 29),
                                              scheduled_at=datetime(2026, 12, 7, 11, tzinfo=BERLIN), sales_lead=vl,
                                              inside_lead=idl, actor=vl)

    [row] = [c for c in review_pack(week)["capacity"] if c["team"] == team]
    assert row["deferred"]["tasks"] == result["deferred"] > 0
    assert row["deferred"]["minutes"] == result["deferred"] * 10
    assert row["deferred"]["first_segment"] == "SMB"
    assert [c["deferred"] for c in review_pack(november)["capacity"]] == [None]  # nothing deferred in November
