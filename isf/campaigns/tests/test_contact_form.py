"""The public contact form is the company's (name, logo, privacy notice), stores the explicit consent with its text
and moment, accepts private persons, and lets the stated need count in the lead's fit; its rate limit is per
client address over a short window."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache

from isf.campaigns.models import ContactFormSettings, Lead
from isf.campaigns.stated_need import stated_amounts, stated_yearly_volume
from isf.campaigns.tests.factories import make_org

pytestmark = pytest.mark.django_db
URL = "/campaigns/contact/"
NOW = dt.datetime(2026, 12, 7, 10, 15, tzinfo=dt.UTC)
CONSENT_DE = "Ich willige ein, dass Brandl Technik mich zu meiner Anfrage anruft oder anschreibt."
CONSENT_EN = "I agree that Brandl Technik calls or writes to me about my request."
BASE = {"contact_name": "Jonas Weiß", "email": "einkauf@weiss-bau.de", "postcode": "80469", "city": "München",
        "consent": "on"}


@pytest.fixture(autouse=True)
def _setup(time_machine):
    time_machine.move_to(NOW, tick=False)
    cache.clear()
    make_org()
    ContactFormSettings.objects.create(company_name="Brandl Technik-Großhandel GmbH",
                                       logo_url="/static/favicon.svg", privacy_url="https://www.brandl.example/datenschutz",
                                       consent_text=CONSENT_DE, consent_text_en=CONSENT_EN)
    yield
    cache.clear()


def test_the_form_is_the_companys_with_logo_privacy_notice_and_consent_text(client):
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Brandl Technik-Großhandel GmbH" in page and 'src="/static/favicon.svg"' in page
    assert 'href="https://www.brandl.example/datenschutz"' in page and CONSENT_DE in page
    assert CONSENT_EN in client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_without_the_consent_nothing_is_stored(client):
    response = client.post(URL, {**BASE, "company": "Weiß Bau GmbH", "consent": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "Please agree" in response.content.decode()
    assert not Lead.objects.exists()


def test_the_consent_is_stored_with_its_text_and_moment(client):
    response = client.post(URL, {**BASE, "company": "Weiß Bau GmbH"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    lead = Lead.objects.get()
    assert (lead.consent_text, lead.consent_at) == (CONSENT_DE, NOW)


def test_a_private_person_needs_no_company_but_a_name(client):
    response = client.post(URL, {**BASE, "is_private": "on"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    lead = Lead.objects.get()
    assert (lead.is_private, lead.company, lead.name) == (True, "", "Jonas Weiß")
    refused = client.post(URL, {**BASE, "contact_name": "", "email": "x@weiss-bau.de", "is_private": "on"},
                          HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "enquiry needs the person" in refused.content.decode()
    refused = client.post(URL, {**BASE, "email": "y@weiss-bau.de"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "needs a company name" in refused.content.decode()
    assert Lead.objects.count() == 1


def test_a_stated_need_of_300000_a_year_from_a_large_firm_is_a_potential_key_account(client):
    firm = {**BASE, "company": "Weiß Bau GmbH", "industry": "F", "employee_band": "250-999"}
    client.post(URL, {**firm, "need": "Befestigungstechnik, ca. 300.000 € im Jahr"}, HTTP_ACCEPT_LANGUAGE="de")
    client.post(URL, {**firm, "company": "Schwarz Bau GmbH", "email": "info@schwarz-bau.de", "postcode": "80331",
                      "need": "Bitte Katalog"}, HTTP_ACCEPT_LANGUAGE="de")
    stated, plain = Lead.objects.get(company="Weiß Bau GmbH"), Lead.objects.get(company="Schwarz Bau GmbH")
    assert stated.need_amount == Decimal("300000") and plain.need_amount is None
    # fit: industry F 25 + 250-999 employees 26 + potential 30 (300.000 ≥ 250.000) + served region 15
    assert stated.fit_score == Decimal("96.0") and plain.fit_score == Decimal("66.0")
    assert stated.qualification_class == "potential_key_account" and plain.qualification_class == "smb"
    assert any(r["code"] == "potential:stated" for r in stated.reasons)


def test_an_amount_in_the_message_counts_on_an_english_page_too(client):
    client.post(URL, {**BASE, "company": "Weiß Bau GmbH", "message": "We buy about EUR 25,000 per month of tools."},
                HTTP_ACCEPT_LANGUAGE="en")
    assert Lead.objects.get().need_amount == Decimal("300000")


@pytest.mark.parametrize(("text", "expected"), [
    ("ca. 300.000 € im Jahr", [Decimal("300000")]),
    ("300,000 EUR a year", [Decimal("300000")]),
    ("1,5 Mio. € jährlich", [Decimal("1500000")]),
    ("12.500 € pro Monat", [Decimal("150000")]),
    ("Bedarf 2026 rund 80.000 €", [Decimal("80000")]),
    ("250 Mitarbeiter, PLZ 80331, Tel. 089 123456", []),
])
def test_amounts_are_read_with_the_german_and_english_number_rules(text, expected):
    assert stated_amounts(text, language="de") == expected
    assert stated_amounts(text, language="en") == expected


def test_the_largest_stated_amount_is_the_volume():
    assert stated_yearly_volume("Start mit 20.000 €", "später 120.000 € im Jahr") == Decimal("120000")
    assert stated_yearly_volume("", "Katalog bitte") is None


def test_the_rate_limit_is_per_client_address_and_short(client, settings, time_machine):
    settings.ISF_LEAD_FORM_LIMIT = 2
    settings.ISF_PROXY_COUNT = 1  # behind the TLS proxy: the address it saw is the client's
    def send(i, address):
        return client.post(URL, {**BASE, "company": f"Firma {i}", "email": f"a{i}@firma{i}.de"},
                           REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)
    assert [send(i, "203.0.113.7").status_code for i in range(3)] == [200, 200, 429]
    assert send(3, "198.51.100.4").status_code == 200  # another client behind the same proxy
    time_machine.move_to(NOW + dt.timedelta(minutes=11), tick=False)
    assert send(4, "203.0.113.7").status_code == 200  # the window is ten minutes
    assert Lead.objects.count() == 4
