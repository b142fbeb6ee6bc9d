"""Browser: German numbers typed into the main forms are stored as meant; phone and desktop layout (issue 21).

Chromium with a German locale once turned "300.000" in a potential field into 300 € and "12,5" into 125; the number
inputs are text inputs now, read by the one parser (isf.core.numbers.parse_number).
"""

from decimal import Decimal

import pytest

from conftest import browser_login
from isf.customers.tests.factories import AccountFactory, ContactFactory
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _defaults():
    """The service catalog and visit types come from data migrations an earlier transactional test may have flushed."""
    from importlib import import_module

    from django.apps import apps

    import_module("isf.visits.migrations.0002_default_visit_types").create(apps, None)
    import_module("isf.service.migrations.0002_default_catalog").load(apps, None)


def _people():
    _defaults()
    team = TeamFactory(code="SMB", name="SMB-Team")
    rep = UserFactory(username="rep", role=Role.FIELD_REP)
    UserFactory(username="idl", role=Role.INSIDE_LEAD, team=team)
    account = AccountFactory(name="Huber Werkzeugbau GmbH", owner=rep, team=team, potential=Decimal("40000"))
    ContactFactory(account=account, first_name="Eva", last_name="Einkauf")
    return rep, account


def test_german_numbers_typed_into_the_main_forms_are_stored_as_meant(make_page):
    from isf.campaigns.models import Lead
    from isf.service.models import ServiceOrder
    from isf.visits.models import VisitReport

    rep, account = _people()
    page = make_page(width=390, height=844, locale="de-DE")
    browser_login(page, "rep")

    # visit report: potential and a competitor's share
    page.goto(f"{page.base_url}/visits/new/?account={account.pk}")
    potential = page.locator("input[name=potential_estimate]")
    assert (potential.get_attribute("type"), potential.get_attribute("inputmode")) == ("text", "decimal")
    potential.fill("300.000")
    page.fill("input[name=competitor_1]", "Würth")
    page.fill("input[name=competitor_share_1]", "35")
    page.fill("textarea[name=summary]", "Neues Werk")
    page.click('[data-testid="visit-submit"]')
    page.wait_for_url("**/visits/*/")
    report = VisitReport.objects.get()
    assert report.potential_estimate == Decimal("300000")

    # service order: a discount with a decimal comma
    page.goto(f"{page.base_url}/service/orders/new/?service=quote_prep&account={account.pk}")
    page.locator("textarea[name=in_products]").fill("200 Dübel M8")
    page.locator("input[name=in_discount_percent]").fill("2,5")
    page.get_by_test_id("send-order").click()
    page.wait_for_url("**/service/orders/*/")
    assert ServiceOrder.objects.get().inputs["discount_percent"] == "2.5"
    assert "2,5" in page.locator("dl").inner_text()

    # lead form (marketing): an ambiguous value is refused naming the field, a German thousands separator is read
    UserFactory(username="mkt", role=Role.MARKETING)
    page = make_page(width=390, height=844, locale="de-DE")
    browser_login(page, "mkt")
    page.goto(f"{page.base_url}/campaigns/leads/new/")
    page.fill("input[name=company]", "Neu GmbH")
    page.fill("input[name=email]", "info@neu.example")
    page.fill("input[name=potential]", "1,500")
    page.locator("form button[type=submit], form button:not([type])").last.click()
    page.wait_for_load_state("networkidle")
    assert Lead.objects.count() == 0
    assert "„1,500“ in „Geschätztes Jahrespotenzial (EUR)“ ist mehrdeutig" in page.content()
    page.fill("input[name=potential]", "1.234.567,89")
    page.locator("form button[type=submit], form button:not([type])").last.click()
    page.wait_for_load_state("networkidle")
    assert Lead.objects.get().potential == Decimal("1234567.89")


def test_capacity_inputs_read_german_decimals(make_page):
    from isf.capacity.models import StaffingParameters

    _people()
    page = make_page(width=1440, height=900, locale="de-DE")
    browser_login(page, "idl")
    page.goto(f"{page.base_url}/capacity/?team=SMB")
    params = page.locator("form[method=post]", has=page.locator("input[name=shrinkage]"))
    shrinkage = params.locator("input[name=shrinkage]")
    assert (shrinkage.get_attribute("type"), shrinkage.get_attribute("inputmode")) == ("text", "decimal")
    shrinkage.fill("0,35")
    params.locator("input[name=aht_seconds]").fill("1.200")
    params.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    stored = StaffingParameters.objects.get(team__code="SMB")
    assert (stored.shrinkage, stored.aht_seconds) == (Decimal("0.35"), 1200)

    erlang = page.get_by_test_id("erlang-form")
    erlang.locator("input[name=calls_per_hour]").fill("1.200,5")
    erlang.locator("input[name=aht]").fill("180")
    erlang.locator("input[name=shrinkage]").fill("0,3")
    erlang.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "calls_per_hour=1.200%2C5" in page.url
    assert page.get_by_test_id("erlang-form").locator("small").count() == 0


def test_phone_and_desktop_layout(make_page):
    _rep, account = _people()
    phone = make_page(width=390, height=844, locale="de-DE")
    browser_login(phone, "rep")
    for path in ("/home/", f"/accounts/{account.pk}/"):
        phone.goto(f"{phone.base_url}{path}")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
        for selector in (".isf-menu summary", "[data-testid=lang-en]"):
            box = phone.locator(selector).first.bounding_box()
            assert box["height"] >= 40, (path, selector, box)
        # a table's cells carry their column's heading and show it on the card
        cells = phone.locator("table[data-cards] td[data-label]")
        if cells.count():
            assert cells.first.evaluate("td => getComputedStyle(td, '::before').content") != "none"
    assert phone.locator(".isf-nav").is_hidden()

    desk = make_page(width=1440, height=900, locale="de-DE")
    browser_login(desk, "idl")
    for path in ("/home/", "/capacity/?team=SMB", "/capacity/process-times/", "/service/sla-report/"):
        desk.goto(f"{desk.base_url}{path}")
        assert desk.evaluate("document.documentElement.scrollWidth") <= 1440, path
        assert desk.locator(".isf-nav").is_visible() and desk.locator(".isf-menu > summary").is_hidden(), path
    icon = desk.locator("link[rel=icon]").get_attribute("href")
    assert desk.request.get(f"{desk.base_url}{icon}").status == 200
