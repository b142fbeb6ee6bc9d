"""Browser: the IDL turns the opportunity list into a call list (German), an agent works an entry and takes an order
with its value, marketing sees the list without figures on a phone (English), and a prospect uses the contact form."""

import datetime as dt
import os
from decimal import Decimal

import pytest

from conftest import browser_login
from isf.campaigns.models import CallAttempt, Campaign, ContactFormSettings, Lead
from isf.campaigns.tests.factories import make_org
from isf.customers.tests.factories import AccountFactory, OrderFactory, PhoneFactory, add_line

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("ISF_SCREENSHOTS", "")


def patient(page):
    """A loaded machine answers slowly: the walk waits longer than the default 15 s."""
    page.set_default_timeout(60000)
    return page


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _world(today):
    org = make_org()
    for name, city in [("Aigner Metallbau GmbH", "München"), ("Brunner Haustechnik KG", "Freising"),
                       ("Cramer Elektro GmbH", "Dachau"), ("Dietl Sanitär GmbH", "Erding"),
                       ("Eder Bau GmbH", "Starnberg"), ("Fischer Dach GmbH", "Landsberg"),
                       ("Gruber Holzbau KG", "Ebersberg"), ("Huber Montage GmbH", "München"),
                       ("Inninger Fenster GmbH", "Fürstenfeldbruck"),
                       ("Jäger Stahlbau GmbH", "Garching"), ("Kern Installationen GmbH", "Ismaning")]:
        account = AccountFactory(name=name, city=city, segment=org.smb, region=org.region, owner=org.rep,
                                 potential=Decimal(120000))
        PhoneFactory(account=account)
        add_line(OrderFactory(account=account, date=today - dt.timedelta(days=40)), revenue="2400.00",
                 margin="700.00")
    objected = AccountFactory(name="Widerspruch GmbH", segment=org.smb, region=org.region, potential=150000,
                              opt_out_date=dt.date(2026, 1, 10))
    PhoneFactory(account=objected)
    return org


def test_call_list_from_opportunities_worked_and_measured(make_page, today_is):
    today = dt.date(2026, 12, 7)
    today_is(today)
    org = _world(today)

    page = patient(make_page(locale="de-DE"))
    browser_login(page, "idl")
    page.goto(f"{page.base_url}/campaigns/opportunities/new/")
    page.fill("input[name=name]", "Potenzial KMU Dezember")
    page.select_option("select[name=segment]", ["SMB"])
    page.fill("input[name=control_share]", "60")
    page.get_by_test_id("preview").click()
    assert "zwischen 0 und 50 %" in page.content()
    page.fill("input[name=control_share]", "10")
    page.select_option("select[name=agents]", [str(org.agent.pk)])
    page.get_by_test_id("preview").click()
    preview = page.get_by_test_id("preview-result").inner_text()
    assert "12 Kunden der Chancenliste" in preview and "10 werden angerufen, 1 als Kontrollgruppe" in preview
    assert "ausgeschlossen: 1 – Widerspruch (Opt-out)" in preview
    assert "Kauft 2 % seines Potenzials bei uns" in preview  # 2.400 € of ~120.000 €
    shot(page, "tm-preview-de")
    page.get_by_test_id("create").click()
    page.wait_for_load_state("networkidle")
    results = page.get_by_test_id("telemarketing-results").inner_text()
    assert "Ergebnis gegen die Kontrollgruppe" in results and "Kontrollgruppe" in results
    assert page.get_by_test_id("control-accounts").inner_text() == "1"
    shot(page, "tm-detail-de")
    campaign = Campaign.objects.get()

    agent = patient(make_page(width=390, height=844, locale="de-DE"))
    browser_login(agent, "id1")
    agent.goto(f"{agent.base_url}/campaigns/{campaign.pk}/calls/")
    why = agent.get_by_test_id("entry-why").inner_text()
    assert "Mutmaßliche Einwilligung eines Geschäftskunden" in why and "über dem Median" in why
    agent.select_option("select[name=outcome]", "sale")
    assert agent.locator("[data-order-field]").is_visible()
    agent.fill("input[name=order_value]", "2.500")
    shot(agent, "tm-call-de-390")
    agent.get_by_test_id("record-call").click()
    agent.wait_for_load_state("networkidle")
    assert CallAttempt.objects.get().order_value == Decimal("2500.00")
    assert agent.evaluate("document.documentElement.scrollWidth") <= 390

    marketing = patient(make_page(width=390, height=844, locale="en-GB"))
    browser_login(marketing, "mkt")
    marketing.goto(f"{marketing.base_url}/campaigns/{campaign.pk}/")
    text = marketing.locator("main").inner_text()
    assert "Results against the control group" in text and "Orders taken on the list's calls" in text
    assert "€" not in text and "Buys less than 20 % of its potential from us" in text
    assert marketing.evaluate("document.documentElement.scrollWidth") <= 390
    shot(marketing, "tm-detail-en-390-marketing")


def test_contact_form_stores_consent_and_the_stated_need(make_page, today_is):
    today_is(dt.date(2026, 12, 7))
    make_org()
    ContactFormSettings.objects.create(company_name="Brandl Technik-Großhandel GmbH",
                                       logo_url="/static/img/brandl-logo.svg",
                                       privacy_url="https://www.brandl-technik.de/datenschutz",
                                       consent_text="Ich willige ein, dass Brandl mich zu meiner Anfrage kontaktiert.",
                                       consent_text_en="I agree that Brandl contacts me about my request.")
    page = patient(make_page(width=390, height=844, locale="en-GB"))
    page.goto(f"{page.base_url}/campaigns/contact/")
    assert page.get_by_test_id("contact-logo").is_visible()
    assert page.get_by_test_id("privacy-link").get_attribute("href").endswith("/datenschutz")
    page.fill("input[name=company]", "Hofmann Gebäudetechnik GmbH")
    page.fill("input[name=contact_name]", "Sabine Hofmann")
    page.fill("input[name=email]", "einkauf@hofmann-gt.de")
    page.fill("input[name=postcode]", "80469")
    page.select_option("select[name=employee_band]", "250-999")
    page.select_option("select[name=industry]", "F")
    page.fill("input[name=need]", "Fasteners, about 300,000 EUR a year")
    page.click("button[type=submit]")  # the browser itself refuses to send without the consent
    assert page.locator("input[name=consent]").get_attribute("required") is not None
    assert not Lead.objects.exists()
    page.check("input[name=consent]")
    shot(page, "contact-en-390")
    page.click("button[type=submit]")
    assert page.get_by_test_id("contact-thanks").is_visible()
    lead = Lead.objects.get()
    assert lead.consent_text == "I agree that Brandl contacts me about my request."
    assert (lead.need_amount, lead.qualification_class) == (Decimal("300000"), "potential_key_account")

    german = patient(make_page(width=390, height=844, locale="de-DE"))
    german.goto(f"{german.base_url}/campaigns/contact/")
    assert "Ich willige ein, dass Brandl" in german.content() and "Datenschutzhinweis" in german.content()
    assert german.evaluate("document.documentElement.scrollWidth") <= 390
    shot(german, "contact-de-390")
