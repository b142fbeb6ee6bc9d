"""An inside agent takes an inbound call: screen-pop by phone number, log the call in a few clicks."""

import pytest

from conftest import browser_login
from isf.calls.models import CallLog
from isf.calls.tests.helpers import world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_screen_pop_and_log_the_call(make_page):
    w = world()
    page = make_page(width=1280, height=900, locale="de-DE")
    browser_login(page, "agent")
    page.goto(f"{page.base_url}/call/?phone=%2B49%20170%201234567")
    assert page.get_by_test_id("customer-screen").is_visible()
    assert "Klaus Huber" in page.get_by_test_id("caller").inner_text()
    page.select_option("select[name=outcome]", "order")
    page.fill("textarea[name=note]", "Bestellung Dübel")
    page.get_by_test_id("log-call").click()
    page.wait_for_load_state("networkidle")
    call = CallLog.objects.get()
    assert (call.account, call.contact, call.outcome, call.direction) == (w["account"], w["contact"], "order", "inbound")
    assert call.duration_seconds >= 0


def test_customer_screen_fits_a_phone(make_page):
    world()
    page = make_page(width=390, height=844, locale="de-DE")
    browser_login(page, "agent")
    page.goto(f"{page.base_url}/call/?phone=089%201234567")
    assert page.get_by_test_id("customer-screen").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_another_teams_caller_is_shown_read_only_and_the_call_is_logged(make_page):
    w = world()
    page = make_page(width=1280, height=900, locale="en-US")
    browser_login(page, "agent")
    page.goto(f"{page.base_url}/call/?phone=030%201111111")
    assert page.get_by_test_id("read-only").is_visible()
    assert page.locator("h1").inner_text() == "Schmidt Bau KG"
    assert page.locator("h1 a").count() == 0  # no link to the account page of another team
    page.select_option("select[name=outcome]", "info")
    page.fill("textarea[name=note]", "Asks for delivery times")
    page.get_by_test_id("log-call").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("read-only").is_visible()  # back on the same caller's screen
    call = CallLog.objects.get()
    assert (call.account, call.agent, call.phone, call.note) == (w["other"], w["agent"], "+49301111111",
                                                                 "Asks for delivery times")
