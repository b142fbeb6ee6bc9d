"""Browser tests in real Chromium: login, account search, language switch, account page on a phone."""

import pytest

from conftest import browser_login
from isf.customers.tests.factories import AccountFactory, ContactFactory, PhoneFactory
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_search_and_open_an_account(make_page):
    UserFactory(username="idl", role=Role.INSIDE_LEAD)
    account = AccountFactory(name="Huber Metallbau GmbH", erp_number="123456")
    PhoneFactory(account=account, e164="+49891234567")
    AccountFactory(name="Schneider Haustechnik KG")
    page = make_page(locale="de-DE")

    page.goto(f"{page.base_url}/login/")
    page.fill("input[name=username]", "idl")
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    assert page.get_by_test_id("login-error").is_visible()

    browser_login(page, "idl")
    assert page.locator("h1").inner_text() == "Teamübersicht"
    page.goto(f"{page.base_url}/accounts/")
    page.fill("input[name=q]", "(089) 123 45 67")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.locator("tbody tr").count() == 1
    page.click("text=Huber Metallbau GmbH")
    assert page.locator("h1").inner_text() == "Huber Metallbau GmbH"


def test_language_switch_and_account_page_at_phone_width(make_page):
    UserFactory(username="ad1", role=Role.SALES_LEAD)
    account = AccountFactory(name="Huber Metallbau GmbH")
    ContactFactory(account=account, last_name="Maier", buying_role="decision_maker")
    page = make_page(width=390, height=844, locale="de-DE")
    browser_login(page, "ad1")
    page.goto(f"{page.base_url}/accounts/{account.pk}/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("heading", name="Ansprechpartner").is_visible()
    # nothing wider than the phone
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390
    page.get_by_test_id("lang-en").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Contacts").is_visible()
    assert page.url.endswith(f"/accounts/{account.pk}/")
