"""Required vs available staff, and the capacity pages for the leads."""

from datetime import date, timedelta

import numpy as np
import pytest
from django.urls import reverse

from isf.capacity.models import Absence, StaffingParameters
from isf.capacity.selectors import LocalSeries, weekday_profile
from isf.capacity.services import CapacityError, absence_create
from isf.capacity.staffing import team_plan
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 11, 30)


def flat_series(weeks: int, calls_per_interval: float, last_day: date) -> LocalSeries:
    """Mon-Fri 08:00-17:00, the same calls in every open 15-minute interval."""
    first = last_day - timedelta(days=7 * weeks - 1)
    starts = np.arange(np.datetime64(first, "m"), np.datetime64(last_day + timedelta(days=1), "m"),
                       np.timedelta64(15, "m"))
    minutes = (starts - starts.astype("datetime64[D]")).astype(int)
    weekday = (starts.astype("datetime64[D]").astype(int) + 3) % 7
    counts = np.where((weekday < 5) & (minutes >= 480) & (minutes < 1020), calls_per_interval, 0.0)
    return LocalSeries(starts, counts, 15, "telephony")


def test_available_staff_counts_working_hours_minus_absences_and_holidays():
    team = TeamFactory(code="SMB", state="BY")
    a = UserFactory(role=Role.INSIDE_AGENT, team=team, weekly_hours=40)
    UserFactory(role=Role.INSIDE_AGENT, team=team, weekly_hours=20)
    UserFactory(role=Role.INSIDE_LEAD, team=team, weekly_hours=40)  # the lead is not rostered on the phones
    absence_create(user=a, first_day=MONDAY + timedelta(days=1), last_day=MONDAY + timedelta(days=2))
    plan = team_plan(team, days=7, today=MONDAY, series=LocalSeries(np.array([], dtype="datetime64[m]"),
                                                                     np.array([]), 15, ""))
    available = [round(d.available_fte, 3) for d in plan.days]
    assert available == [1.5, 0.5, 0.5, 1.5, 1.5, 0.0, 0.0]  # 8 h + 4 h a day; a is away Tue-Wed
    christmas = team_plan(team, days=3, today=date(2026, 12, 24), series=LocalSeries(
        np.array([], dtype="datetime64[m]"), np.array([]), 15, ""))
    assert [d.available_fte for d in christmas.days] == [1.5, 0.0, 0.0]  # 25 and 26 Dec are holidays


def test_overlapping_absence_is_refused_and_nothing_saved():
    user = UserFactory(role=Role.INSIDE_AGENT)
    absence_create(user=user, first_day=MONDAY, last_day=MONDAY + timedelta(days=4))
    with pytest.raises(CapacityError, match="already absent"):
        absence_create(user=user, first_day=MONDAY + timedelta(days=2), last_day=MONDAY + timedelta(days=9))
    with pytest.raises(CapacityError, match="before first day"):
        absence_create(user=user, first_day=MONDAY, last_day=MONDAY - timedelta(days=1))
    assert Absence.objects.count() == 1


def test_required_staff_follows_erlang_c_per_interval_plus_shrinkage():
    team = TeamFactory(code="KA", state="BY")
    StaffingParameters.objects.create(team=team, aht_seconds=180, target_level=80, target_seconds=20,
                                      max_occupancy=1, shrinkage=0.2, productive_hours_per_day=8)
    # 50 calls per 15 minutes = 200 calls an hour at 180 s: 14 agents in every open interval (see isf erlang)
    series = flat_series(4, 50.0, MONDAY - timedelta(days=1))
    plan = team_plan(team, days=7, today=MONDAY, series=series)
    monday = plan.days[0]
    assert monday.calls == pytest.approx(36 * 50, rel=0.02)
    assert monday.peak_agents == 14
    assert monday.inbound_hours == pytest.approx(14 * 9, rel=0.03)
    assert monday.required_fte == pytest.approx(monday.inbound_hours / 0.8 / 8)
    assert plan.days[5].required_fte == 0.0  # Saturday closed
    assert plan.intervals[0]["agents"] == 14 and plan.intervals[0]["rostered"] == 18  # ceil(14 / 0.8)
    week = plan.weeks()[0]
    assert week["required_fte"] == pytest.approx(sum(d.required_fte for d in plan.days[:5]) / 5)


def test_weekday_profile_averages_each_weekday_and_interval():
    profile = weekday_profile(flat_series(4, 3.0, MONDAY - timedelta(days=1)))
    assert profile["labels"][0] == "08:00" and profile["labels"][-1] == "16:45"
    assert profile["weekdays"][0] == [3.0] * 36
    assert profile["totals"] == [108.0] * 5 + [0.0, 0.0]


@pytest.mark.parametrize("role", [Role.SALES_LEAD, Role.INSIDE_LEAD])
def test_leads_see_capacity_process_times_and_dashboard(client, role):
    TeamFactory(code="MP")
    client.force_login(UserFactory(role=role))
    for name in ("capacity:overview", "capacity:process-times", "capacity:dashboard"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    response = client.get(reverse("capacity:dashboard"), {"period": "quarter", "previous": "1", "team": "MP"})
    assert response.status_code == 200


@pytest.mark.parametrize("role", [Role.INSIDE_AGENT, Role.FIELD_REP, Role.MARKETING])
def test_other_roles_are_refused(client, role):
    client.force_login(UserFactory(role=role))
    for name in ("capacity:overview", "capacity:process-times", "capacity:dashboard"):
        assert client.get(reverse(name)).status_code == 403


def test_erlang_calculator_on_the_page(client):
    TeamFactory(code="MP")
    client.force_login(UserFactory(role=Role.INSIDE_LEAD))
    response = client.get(reverse("capacity:overview"), {"calls_per_hour": "340", "aht": "180", "target_level": "80",
                                                         "target_seconds": "20", "shrinkage": "0,3"})
    assert response.context["erlang"].agents == 21
    assert response.context["erlang"].rostered == 30


def test_only_the_idl_changes_staffing_parameters(client):
    team = TeamFactory(code="MP")
    data = {"team": "MP", "aht_seconds": 200, "target_level": 80, "target_seconds": 20, "max_occupancy": "0,85",
            "shrinkage": "0,25", "outbound_minutes": "7", "productive_hours_per_day": "8"}
    client.force_login(UserFactory(role=Role.SALES_LEAD))
    client.post(reverse("capacity:overview") + "?team=MP", data)
    assert not StaffingParameters.objects.exists()
    client.force_login(UserFactory(role=Role.INSIDE_LEAD))
    client.post(reverse("capacity:overview") + "?team=MP", {**data, "shrinkage": "1,5"})
    assert not StaffingParameters.objects.exists()
    client.post(reverse("capacity:overview") + "?team=MP", data)
    assert StaffingParameters.objects.get(team=team).aht_seconds == 200
