"""The price of a care matrix: hours of inside work a week beside the hours the team has; the what-if."""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from isf.capacity.matrix_price import matrix_price
from isf.capacity.models import StaffingParameters
from isf.customers.tests.factories import AccountFactory
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.planning.matrix_services import care_matrix_save
from isf.planning.models import CareActivity
from isf.planning.tests.helpers import activity, make_segment

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 11, 30)


@pytest.fixture
def segment(time_machine):
    """20 active B2B accounts, a care call 12 times a year at 10 minutes; two agents of 10 h a week, no shrinkage,
    no calls and no service orders: the team has 20 hours a week for planned work; one FTE has 40."""
    time_machine.move_to(datetime.combine(MONDAY, time(6, 0), tzinfo=ZoneInfo("Europe/Berlin")), tick=False)
    team = TeamFactory(code="SMB", name="SMB-Team", state="BY")
    StaffingParameters.objects.create(team=team, shrinkage=Decimal("0"), outbound_minutes=Decimal("10"))
    for _i in range(2):
        UserFactory(role=Role.INSIDE_AGENT, team=team, weekly_hours=10)
    segment = make_segment(code="SMB", team=team)
    care_matrix_save(segment=segment, potential_classes="", activities=[
        activity(frequency_per_year=12, phases=["active"]),
        activity(activity="visit", title_de="Besuch", side="field", channel="on_site", frequency_per_year=6,
                 phases=["active"]),  # the field's work: not inside capacity
    ])
    for _i in range(20):
        AccountFactory(segment=segment, phase="active", customer_type="b2b")
    AccountFactory(segment=segment, phase="lost", customer_type="b2b")  # not in the entry's phases
    AccountFactory(segment=segment, phase="active", customer_type="b2b", opt_out_date=MONDAY)  # objected: no calls
    return segment


def test_matrix_price_is_accounts_times_frequency_times_process_time(segment):
    price = matrix_price(segment, today=MONDAY)
    [entry] = price.entries
    assert (entry.contacts_per_year, entry.minutes_each) == (240.0, 10.0)
    assert round(price.hours_per_week, 4) == round(240 * 10 / 60 / 52, 4) == 0.7692
    assert price.team_free_hours == 20.0
    assert price.fte_hours == 40.0
    assert round(price.fte, 4) == 0.0192 and price.free_fte == 0.5
    assert round(price.gap_hours, 4) == round(0.7692 - 20, 4)


def test_what_if_prices_an_edited_matrix_without_saving_it(segment, client):
    client.force_login(UserFactory(role=Role.INSIDE_LEAD))
    care = CareActivity.objects.get(matrix__segment=segment, activity="care_call")
    post = {"rows": "1", "preview": "1", "potential_classes": "", "a-0-id": care.pk, "a-0-activity": "care_call",
            "a-0-title_de": "Betreuungsanruf", "a-0-side": "inside", "a-0-channel": "phone",
            "a-0-frequency_per_year": "52", "a-0-phases": ["active"]}

    response = client.post(f"/queue/matrix/{segment.code}/edit/", post, HTTP_ACCEPT_LANGUAGE="en")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Workload of the edited matrix (what-if, not saved)" in body
    # 20 accounts x 52 x 10 min / 60 / 52 = 3.3 hours a week
    assert "This matrix generates 3.3 hours of inside work a week for SMB-Team (0.1 FTE)." in body
    assert "The team has 20.0 hours a week for planned work (0.5 FTE)" in body
    care.refresh_from_db()
    assert care.frequency_per_year == 12  # nothing saved
    current = client.get(f"/queue/matrix/{segment.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This matrix generates 0.8 hours of inside work a week for SMB-Team (0.0 FTE)." in current


def test_what_if_with_bad_input_names_the_field(segment, client):
    client.force_login(UserFactory(role=Role.SALES_LEAD))
    response = client.post(f"/queue/matrix/{segment.code}/edit/", {
        "rows": "1", "preview": "1", "potential_classes": "", "a-0-activity": "care_call", "a-0-title_de": "Anruf",
        "a-0-side": "inside", "a-0-channel": "phone", "a-0-frequency_per_year": "zwölf", "a-0-phases": ["active"],
    }, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "row 1, frequency per year: must be a whole number" in response.content.decode()
    assert CareActivity.objects.filter(matrix__segment=segment).count() == 2
    garbage = client.post(f"/queue/matrix/{segment.code}/edit/", {"rows": "x", "preview": "1"},
                          HTTP_ACCEPT_LANGUAGE="en")
    assert garbage.status_code == 200  # no rows: a matrix without activities costs nothing, nothing saved
    assert "No inside activities." in garbage.content.decode()
    assert CareActivity.objects.filter(matrix__segment=segment).count() == 2
