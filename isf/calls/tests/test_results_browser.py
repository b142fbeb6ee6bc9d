"""The IDL's team overview shows what inside sales brought in this month, in German and English, and leads on to the
results per agent and segment and to the attribution rules."""

import datetime as dt

import pytest

from conftest import browser_login
from isf.calls.attribution import attribution_refresh
from isf.calls.tests.attribution_cases import call, groups, order, people, product
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = dt.date(2026, 10, 28)


@pytest.fixture
def october(time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 28, 9, 0, tzinfo=dt.UTC))
    w = people()
    bef = product(groups()["BEF"])
    call(w["agent"], w["account"], dt.date(2026, 10, 5), outcome="order", order_value="1234.00")
    order(w["account"], dt.date(2026, 10, 6), (bef, "1234.50", "400.00"), number="ERP-1")
    attribution_refresh(since=dt.date(2026, 1, 1), until=TODAY, today=TODAY)
    UserFactory(username="idl", role=Role.INSIDE_LEAD)
    return w


@pytest.mark.parametrize(("locale", "heading", "amount", "rules"), [
    ("de-DE", "Was der Innendienst einbringt", "1.235 €", "Zurechnungsregeln"),
    ("en-US", "What inside sales brought in", "1,235 €", "Attribution rules"),
])
def test_idl_overview_shows_the_results_and_leads_to_the_rules(make_page, october, locale, heading, amount, rules):
    page = make_page(width=1280, height=900, locale=locale)
    browser_login(page, "idl")
    page.goto(f"{page.base_url}/home/")
    panel = page.get_by_test_id("inside-sales-results")
    assert panel.locator("h2").inner_text() == heading
    row = panel.get_by_test_id("team-SMB")
    assert row.get_by_test_id("revenue").inner_text() == amount
    assert panel.get_by_test_id("team-total").get_by_test_id("revenue").inner_text() == amount
    panel.get_by_test_id("rules-link").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == rules
    assert page.get_by_test_id("days-phone_order").inner_text() == "14"
    page.go_back()
    page.get_by_test_id("results-link").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("agent-" + str(october["agent"].pk)).get_by_test_id("revenue").inner_text() == amount


def test_results_page_fits_a_phone(make_page, october):
    page = make_page(width=390, height=844, locale="de-DE")
    browser_login(page, "idl")
    page.goto(f"{page.base_url}/call/results/?period=2026-10")
    assert page.get_by_test_id("results-team").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
