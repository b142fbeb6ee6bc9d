"""The pages and forms that read their parameters through isf/core/params.py (issue 23, finding 2): a page ignores an
invalid value with a message, a form refuses an id that is no id with 400 and its reason, nothing changes."""

import pytest

from isf.campaigns.models import Campaign, Lead
from isf.capacity.models import StaffingParameters
from isf.customers.tests.factories import AccountFactory
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
HUGE = "9" * 23


def shown_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def team():
    return TeamFactory(code="KA", name="Key accounts")


def login(client, role, **kwargs):
    user = UserFactory(username=f"pp-{role}", role=role, **kwargs)
    client.force_login(user)
    return user


def test_the_customer_screen_ignores_an_account_that_is_no_id_and_shows_the_search(client, team):
    login(client, Role.INSIDE_AGENT, team=team)
    response = client.get("/call/", {"account": HUGE, "phone_hint": "x" * 500}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert (response.context["found"], "account" in response.context) == (None, False)
    assert shown_messages(response) == [f"Unknown account '{HUGE}' ignored."]


def test_the_timeline_keeps_its_limit_between_10_and_300_and_names_a_limit_that_is_no_number(client, team):
    account = AccountFactory(team=team)
    login(client, Role.SALES_LEAD)
    assert client.get(f"/call/timeline/{account.pk}/", {"limit": "5000"}).context["timeline"]["limit"] == 300
    response = client.get(f"/call/timeline/{account.pk}/", {"limit": "²", "kind": ["call", "zzz"]},
                          HTTP_ACCEPT_LANGUAGE="en")
    assert (response.context["timeline"]["limit"], response.context["timeline"]["selected"]) == (30, ["call"])
    assert shown_messages(response) == ["Unknown kind 'zzz' ignored.", "Unknown limit '²' ignored."]


def test_the_kpi_dashboard_ignores_an_unknown_team_and_period_with_messages(client, team):
    login(client, Role.INSIDE_LEAD, team=team)
    response = client.get("/capacity/dashboard/", {"team": "zzz", "period": "year", "previous": "1"},
                          HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.context["team"], response.context["kind"]) == (200, None, "month")
    assert response.context["previous"] is True
    assert shown_messages(response) == ["Unknown team 'zzz' ignored.", "Unknown period 'year' ignored."]


def test_staffing_parameters_posted_for_an_unknown_team_are_refused_not_saved_for_another(client, team):
    login(client, Role.INSIDE_LEAD, team=team)
    response = client.post("/capacity/?team=zzz", {"team": "zzz", "aht_seconds": "999"}, HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.context["message"]) == (400, "team: 'zzz' is not a valid value.")
    assert StaffingParameters.objects.count() == 0


def test_the_erlang_calculator_refuses_traffic_beyond_its_search_at_once(client, team):
    login(client, Role.INSIDE_LEAD, team=team)
    response = client.get("/capacity/", {"calls_per_hour": "9.999.999,99", "aht": "36000", "target_level": "80",
                                         "target_seconds": "20", "shrinkage": "0,3"})
    assert response.status_code == 200 and response.context["erlang"] is None
    assert response.context["erlang_error"] == ("1e+08 Erlangs at max_occupancy=1.0 need more than 100000 agents: "
                                                "staff each queue of the line separately")


def test_quote_follow_ups_show_the_open_tab_for_an_unknown_tab(client):
    login(client, Role.INSIDE_LEAD)
    response = client.get("/campaigns/quotes/", {"show": "zzz", "page": "abc"}, HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.context["show"]) == (200, "open")
    assert shown_messages(response) == ["Unknown show 'zzz' ignored.", "Unknown page 'abc' ignored."]


@pytest.mark.parametrize("target", ["abc", HUGE, "²"])
def test_merging_a_lead_into_a_target_that_is_no_id_is_a_400_and_nothing_changes(client, target):
    lead = Lead.objects.create(company="Muster GmbH", email="a@example.com")
    login(client, Role.INSIDE_LEAD)
    for action in ("merge-lead", "merge-account"):
        response = client.post(f"/campaigns/leads/{lead.pk}/{action}/", {"target": target},
                               HTTP_ACCEPT_LANGUAGE="en")
        assert (response.status_code, response.context["message"]) == (
            400, f"merge target: '{target}' is not a valid value.")
    lead.refresh_from_db()
    assert (lead.status, lead.duplicate_lead_id, lead.converted_account_id) == ("new", None, None)


def test_a_call_logged_for_an_account_that_is_no_id_is_a_400(client, team):
    login(client, Role.INSIDE_AGENT, team=team)
    response = client.post("/call/log/", {"account": HUGE, "phone": "\x00+49 30 1234"}, HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.context["message"]) == (400, f"account: '{HUGE}' is not a valid value.")


def test_assigning_agents_by_ids_that_are_no_ids_is_a_400_and_assigns_nothing(client):
    campaign = Campaign.objects.create(name="Frühjahr")
    login(client, Role.INSIDE_LEAD)
    response = client.post(f"/campaigns/{campaign.pk}/assign/", {"agents": ["abc"]}, HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.context["message"]) == (400, "agents: 'abc' is not a valid value.")
    assert not campaign.entries.exclude(agent=None).exists()


def test_an_announcement_acknowledged_with_a_foreign_or_bare_next_goes_home():
    from django.test import Client
    from django.utils import timezone

    from isf.reviews.models import Announcement

    client = Client()
    user = login(client, Role.INSIDE_AGENT)
    announcement = Announcement.objects.create(author=user, title="Neu", body="Text", published_at=timezone.now())
    for posted in ("abc", "https://evil.example/"):
        response = client.post(f"/reviews/announcements/{announcement.pk}/ack/", {"next": posted})
        assert (response.status_code, response["Location"]) == (302, "/home/")
    response = client.post(f"/reviews/announcements/{announcement.pk}/ack/", {"next": "/queue/"})
    assert response["Location"] == "/queue/"


def test_texts_posted_with_a_nul_character_are_refused_with_a_message_and_nothing_is_stored(client):
    # PostgreSQL cannot store NUL: these posts answered 500 there; now every database refuses them alike
    from django.utils import timezone

    from isf.reviews.models import ReviewMeeting

    lead = Lead.objects.create(company="Muster GmbH", email="a@example.com")
    user = login(client, Role.INSIDE_LEAD)
    response = client.post(f"/campaigns/leads/{lead.pk}/disqualify/", {"reason": "kein\x00Bedarf"}, follow=True)
    assert shown_messages(response) == ["reason: contains the control character U+0000, which cannot be stored"]
    lead.refresh_from_db()
    assert (lead.status, lead.disqualify_reason) == ("new", "")
    meeting = ReviewMeeting.objects.create(title="Q1", period_start=timezone.localdate(),
                                           period_end=timezone.localdate(), scheduled_at=timezone.now(),
                                           sales_lead=UserFactory(username="pp-vl", role=Role.SALES_LEAD),
                                           inside_lead=user)
    response = client.post(f"/reviews/{meeting.pk}/notes/", {"notes": "a\x00b", "held": "1"}, follow=True)
    assert shown_messages(response) == ["notes: contains the control character U+0000, which cannot be stored"]
    meeting.refresh_from_db()
    assert (meeting.notes, meeting.status) == ("", "planned")


def test_a_care_matrix_text_with_a_nul_character_is_refused_naming_the_field():
    from isf.planning.matrix_services import MatrixError, care_matrix_save
    from isf.planning.models import CareMatrix
    from isf.segmentation.models import Segment

    segment = Segment.objects.create(code="HX", name_de="X", name_en="X", team=TeamFactory(code="HX"), precedence=3)
    with pytest.raises(MatrixError) as refused:
        care_matrix_save(segment=segment, texts={"strategy": "a\x00b"})
    assert (refused.value.field, refused.value.message) == (
        "strategy", "strategy: contains the control character U+0000, which cannot be stored")
    assert not CareMatrix.objects.filter(segment=segment).exists()


@pytest.mark.parametrize("start", ["9999-12-31T23:59", "0001-01-01T00:00"])
def test_an_appointment_at_the_end_of_the_calendar_is_refused_with_a_message(client, start):
    from isf.campaigns.models import Appointment

    rep = UserFactory(username="pp-ad", role=Role.FIELD_REP)
    account = AccountFactory(owner=rep)
    login(client, Role.INSIDE_LEAD)
    response = client.post(f"/campaigns/appointments/book/?account={account.pk}", {"account": account.pk,
                                                                                  "start": start}, follow=False)
    assert response.status_code == 200
    assert shown_messages(response) == ["start: date outside 1900-01-01..2099-12-31"]
    assert not Appointment.objects.exists()
