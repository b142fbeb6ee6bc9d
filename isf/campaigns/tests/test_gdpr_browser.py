"""Browser: the inside-sales lead opens a lead's privacy page from the lead, records an objection and erases
the person's data; the page then shows no personal data and the privacy log lists both steps."""

import pytest

from conftest import browser_login
from isf.campaigns.choices import LeadStatus
from isf.campaigns.models import Lead
from isf.customers.gdpr import ERASED
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inside_lead_records_an_objection_and_erases_a_lead(make_page):
    UserFactory(username="idl", role=Role.INSIDE_LEAD)
    lead = Lead.objects.create(company="Bäckerei Sommer", contact_name="Lena Sommer", email="lena@sommer-baeckerei.de",
                               phone="+4989555000", city="Dachau")
    page = make_page(width=390, height=844)
    browser_login(page, "idl")
    page.goto(f"{page.base_url}/campaigns/leads/{lead.pk}/")
    page.click("[data-testid=privacy-link]")
    assert "Lena Sommer" in page.inner_text("[data-testid=person]")
    page.select_option("select[name=kind]", "objection")
    page.fill("input[name=note]", "Anruf am 4.11.: keine Werbung")
    page.click("[data-testid=record]")
    page.wait_for_load_state("networkidle")
    assert "keine Werbung" in page.inner_text("[data-testid=privacy-log]")
    assert Lead.objects.get(pk=lead.pk).status == LeadStatus.DISQUALIFIED
    page.fill("input[name=reason]", "Löschantrag per E-Mail")
    page.check("input[name=confirm]")
    page.click("[data-testid=erase]")
    page.wait_for_load_state("networkidle")
    assert page.is_visible("[data-testid=erased]")
    assert "Lena" not in page.content() and "sommer-baeckerei" not in page.content()
    log = page.inner_text("[data-testid=privacy-log]")
    assert "Löschung" in log and "Widerspruch" in log
    assert Lead.objects.get(pk=lead.pk).company == ERASED
