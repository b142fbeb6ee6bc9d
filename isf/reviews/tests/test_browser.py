"""Inside sales reads and acknowledges the VL's announcement on its home page."""

import pytest

from conftest import browser_login
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.reviews.models import Acknowledgement
from isf.reviews.services import announcement_post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_acknowledges_an_announcement_on_the_phone(make_page):
    vl = UserFactory(role=Role.SALES_LEAD)
    team = TeamFactory(code="SMB")
    agent = UserFactory(username="agent-ann", role=Role.INSIDE_AGENT, team=team)
    announcement_post(author=vl, kind="strategy", title="Schwerpunkt Rückgewinnung", body="Ab Januar: C-Kunden")
    page = make_page(390, 844, "de-DE")
    browser_login(page, "agent-ann")
    card = page.locator("[data-testid=announcement]")
    assert "Schwerpunkt Rückgewinnung" in card.inner_text()
    page.click("[data-testid=ack]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=announcement]").count() == 0
    assert Acknowledgement.objects.filter(user=agent).count() == 1
