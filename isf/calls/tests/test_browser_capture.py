"""An inside agent on a phone (390 px) records what the customer told him - a need, a new potential estimate, a new
contact - on the customer screen; bad input is refused with a message and nothing changes; the field rep is
notified and the account's timeline shows it, in German and in English (issue 20)."""

from decimal import Decimal

import pytest

from conftest import browser_login
from isf.calls.tests.helpers import world
from isf.customers.models import Contact, CustomerNeed, PotentialEstimate
from isf.customers.tests.factories import ProductGroupFactory
from isf.service.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_need_and_potential(page, group, potential: str):
    form = page.get_by_test_id("capture-form")
    form.locator("select[name=need_group]").select_option(str(group.pk))
    form.locator("input[name=need_volume]").fill("12.500")
    form.locator("select[name=need_timing]").select_option("quarter")
    form.locator("input[name=need_note]").fill("Neuer Kompressor für Halle 2")
    form.locator("input[name=potential]").fill(potential)
    form.locator("select[name=potential_source]").select_option("customer")


def test_an_agent_records_a_need_a_potential_and_a_contact_at_phone_width(make_page):
    w = world()
    group = ProductGroupFactory(code="DRL", name="Drucklufttechnik", name_en="Compressed air")
    page = make_page(width=390, height=844, locale="de-DE")
    page.set_default_timeout(60000)
    browser_login(page, "agent")
    page.goto(f"{page.base_url}/call/?account={w['account'].pk}")
    assert page.get_by_test_id("capture").is_visible()
    _fill_need_and_potential(page, group, "-5")
    page.get_by_test_id("capture-save").click()
    page.wait_for_load_state("networkidle")
    assert "kann nicht unter null liegen" in page.get_by_test_id("capture").inner_text()
    assert not CustomerNeed.objects.exists() and not PotentialEstimate.objects.exists()  # nothing changed
    page.screenshot(path="/tmp/capture-de-390-error.png", full_page=False)

    _fill_need_and_potential(page, group, "250.000")
    form = page.get_by_test_id("capture-form")
    form.locator("input[name=contact_first_name]").fill("Petra")
    form.locator("input[name=contact_last_name]").fill("Lang")
    form.locator("select[name=contact_role]").select_option("decision_maker")
    page.get_by_test_id("capture-save").click()
    page.wait_for_load_state("networkidle")
    assert "Der Außendienst ist benachrichtigt" in page.content()
    need = CustomerNeed.objects.get()
    assert (need.product_group, need.expected_volume, need.timing) == (group, Decimal("12500.00"), "quarter")
    w["account"].refresh_from_db()
    assert w["account"].potential == Decimal("250000.00")
    assert Contact.objects.get(last_name="Lang").buying_role == "decision_maker"
    assert Notification.objects.filter(recipient=w["rep"]).count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="/tmp/capture-de-390.png", full_page=True)

    for locale, need_title, potential_title in (("de-DE", "Bedarf: Drucklufttechnik", "Potenzial geschätzt auf 250.000 €"),
                                                ("en-US", "Need: Compressed air", "Potential estimated at 250,000 €")):
        view = make_page(width=390, height=844, locale=locale)
        view.set_default_timeout(60000)
        browser_login(view, "agent")
        view.goto(f"{view.base_url}/call/timeline/{w['account'].pk}/")
        text = view.locator("main").inner_text()
        assert need_title in text and potential_title in text
        assert view.evaluate("document.documentElement.scrollWidth") <= 390
        view.screenshot(path=f"/tmp/capture-timeline-{locale}.png", full_page=True)
