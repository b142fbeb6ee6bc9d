"""The capacity page in a real browser: the gap chart draws, the Erlang calculator answers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import browser_login
from isf.capacity.models import CallVolume, StaffingParameters
from isf.capacity.services import call_volumes_import
from isf.capacity.tests.telephony import sample_export
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_idl_sees_the_staffing_gap_and_computes_erlang(make_page, tmp_path):
    team = TeamFactory(code="SMB", name="SMB-Team")
    for _ in range(3):
        UserFactory(role=Role.INSIDE_AGENT, team=team)
    StaffingParameters.objects.create(team=team)
    first = timezone.localdate() - timedelta(weeks=5)
    first -= timedelta(days=first.weekday())
    call_volumes_import(path=sample_export(tmp_path, weeks=5, first_day=first), team=team)
    assert CallVolume.objects.count() == 5 * 7 * 96
    UserFactory(username="idl-browser", role=Role.INSIDE_LEAD, team=team)
    page = make_page(1280, 900, "en-US")
    browser_login(page, "idl-browser")
    page.goto(f"{page.base_url}/capacity/?team=SMB")
    assert page.locator("h1").inner_text() == "Capacity and staffing"
    page.wait_for_function("() => document.querySelector('canvas[data-chart=\"gap-chart\"]').dataset.drawn === '1'")
    assert page.locator("[data-testid=gap-table] tbody tr").count() == 14
    assert page.locator("[data-testid=interval-table] tbody tr").count() > 10
    assert page.locator("canvas[data-chart=profile-chart]").count() == 1
    page.fill("input[name=calls_per_hour]", "200")
    page.fill("input[name=aht]", "180")
    page.fill("input[name=shrinkage]", "0.3")
    page.fill("input[name=max_occupancy]", "0.85")
    page.click("[data-testid=erlang-form] button[type=submit]")
    assert page.locator("[data-testid=erlang-agents]").inner_text() == "14"


def test_capacity_page_works_on_a_phone_in_german(make_page):
    TeamFactory(code="KA", name="Key-Account-Team")
    UserFactory(username="vl-phone", role=Role.SALES_LEAD)
    page = make_page(390, 844, "de-DE")
    browser_login(page, "vl-phone")
    page.goto(f"{page.base_url}/capacity/")
    assert page.locator("h1").inner_text() == "Kapazität und Personalbedarf"
    assert page.locator("[data-testid=no-volumes]").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
