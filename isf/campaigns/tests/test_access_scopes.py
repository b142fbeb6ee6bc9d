"""Scopes that used to differ by door (issue 22): campaign results and appointment cancellation."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from isf.campaigns.choices import AppointmentStatus
from isf.campaigns.models import Appointment, CallListEntry, Campaign
from isf.customers.tests.factories import AccountFactory
from isf.org.choices import Role
from isf.org.tests.factories import RegionFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW)


@pytest.fixture
def world():
    north, south = TeamFactory(code="NORD"), TeamFactory(code="SUED")
    r_north, r_south = RegionFactory(code="RN"), RegionFactory(code="RS")
    w = {
        "agent": UserFactory(username="agent-n", role=Role.INSIDE_AGENT, team=north),
        "other_agent": UserFactory(username="agent-s", role=Role.INSIDE_AGENT, team=south),
        "idl": UserFactory(username="idl-n", role=Role.INSIDE_LEAD, team=north),
        "other_idl": UserFactory(username="idl-s", role=Role.INSIDE_LEAD, team=south),
        "vl": UserFactory(username="vl-n", role=Role.SALES_LEAD, region=r_north),
        "other_vl": UserFactory(username="vl-s", role=Role.SALES_LEAD, region=r_south),
        "rep": UserFactory(username="rep-n", role=Role.FIELD_REP, region=r_north),
        "other_rep": UserFactory(username="rep-s", role=Role.FIELD_REP, region=r_south),
    }
    w["ours"] = [AccountFactory(name=f"Nord {i} GmbH", team=north, region=r_north, owner=w["rep"]) for i in range(3)]
    w["theirs"] = [AccountFactory(name=f"Sued {i} GmbH", team=south, region=r_south) for i in range(5)]
    w["campaign"] = Campaign.objects.create(name="Herbstaktion")
    for account in w["ours"] + w["theirs"]:
        CallListEntry.objects.create(campaign=w["campaign"], account=account)
    return w


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))


def test_an_inside_agent_exports_the_campaign_results_of_his_teams_accounts_only(client, world):
    client.force_login(world["agent"])
    response = client.get("/imports/export/campaign_results.csv")
    assert response.status_code == 200
    rows = _rows(response)
    assert sorted(row[2] for row in rows[1:]) == ["Nord 0 GmbH", "Nord 1 GmbH", "Nord 2 GmbH"]


def test_the_inside_lead_exports_every_campaign_result(client, world):
    client.force_login(world["idl"])
    rows = _rows(client.get("/imports/export/campaign_results.csv"))
    assert len(rows) - 1 == 8


def test_an_inside_agent_sees_his_teams_entries_on_the_campaign_page(client, world):
    client.force_login(world["agent"])
    page = client.get(f"/campaigns/{world['campaign'].pk}/").content.decode()
    assert [name for name in ("Nord 0", "Nord 1", "Nord 2", "Sued 0", "Sued 4") if name in page] == [
        "Nord 0", "Nord 1", "Nord 2"]


def _appointment(world, *, rep, booked_by, account):
    start = NOW + timedelta(days=3)
    return Appointment.objects.create(rep=rep, booked_by=booked_by, account=account, start=start,
                                      end=start + timedelta(hours=1), topic="Termin")


@pytest.mark.parametrize(("who", "cancels"), [
    ("rep", True),  # the rep it is booked for
    ("agent", True),  # the agent who booked it
    ("idl", True),  # the lead of the booking agent's team
    ("vl", True),  # the sales lead of the rep's region
    ("other_rep", False),
    ("other_agent", False),
    ("other_idl", False),
    ("other_vl", False),
])
def test_only_the_rep_the_booking_agent_and_their_leads_cancel_an_appointment(client, world, who, cancels):
    appt = _appointment(world, rep=world["rep"], booked_by=world["agent"], account=world["ours"][0])
    client.force_login(world[who])
    response = client.post(f"/campaigns/appointments/{appt.pk}/cancel/", {"reason": "Kunde krank"})
    appt.refresh_from_db()
    if cancels:
        assert response.status_code == 302
        assert appt.status == AppointmentStatus.CANCELLED
    else:
        assert response.status_code == 404
        assert appt.status == AppointmentStatus.BOOKED


def test_marketing_may_not_cancel_appointments(client, world):
    appt = _appointment(world, rep=world["rep"], booked_by=world["agent"], account=world["ours"][0])
    client.force_login(UserFactory(role=Role.MARKETING))
    assert client.post(f"/campaigns/appointments/{appt.pk}/cancel/", {"reason": "x"}).status_code == 403
    appt.refresh_from_db()
    assert appt.status == AppointmentStatus.BOOKED


def test_the_cancel_button_shows_only_where_the_user_may_cancel(client, world):
    _appointment(world, rep=world["rep"], booked_by=world["agent"], account=world["ours"][0])
    shown = {}
    for who in ("agent", "other_agent", "vl", "other_vl"):
        client.force_login(world[who])
        page = client.get(f"/campaigns/appointments/?rep={world['rep'].pk}").content.decode()
        shown[who] = page.count('data-testid="cancel-form"')
    assert shown == {"agent": 1, "other_agent": 0, "vl": 1, "other_vl": 0}
