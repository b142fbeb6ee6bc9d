"""Marketing finds a reference case by product group on a phone, in German and in English (issue 20)."""

import datetime as dt

import pytest

from conftest import browser_login
from isf.customers.tests.factories import AccountFactory, ProductGroupFactory
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory
from isf.references.services import reference_case_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_marketing_filters_the_library_by_product_group(make_page):
    user = UserFactory(username="mkt", role=Role.MARKETING)
    drl = ProductGroupFactory(code="DRL", name="Drucklufttechnik", name_en="Compressed air")
    swt = ProductGroupFactory(code="SWT", name="Schweißtechnik", name_en="Welding")
    account = AccountFactory(name="Huber Metallbau GmbH", industry="C")
    reference_case_create(account=account, title="Druckluft-Leckagen halbiert", product_groups=[drl],
                          result="18 % weniger Strom", user=user, approved_on=dt.date(2026, 1, 15),
                          approved_by="Thomas Huber")
    reference_case_create(account=account, title="Schweißplätze modernisiert", product_groups=[swt],
                          result="Ausschuss von 4 % auf 1 %", user=user)
    for locale, approved in (("de-DE", "Freigegeben von Thomas Huber am 15.01.2026"),
                             ("en-US", "Approved by Thomas Huber on 15 Jan 2026")):
        page = make_page(width=390, height=844, locale=locale)
        page.set_default_timeout(60000)
        browser_login(page, "mkt")
        page.goto(f"{page.base_url}/references/")
        assert page.get_by_test_id("reference-case").count() == 2
        page.locator("select[name=group]").select_option(str(drl.pk))
        page.get_by_test_id("reference-filters").locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_test_id("reference-case").count() == 1
        assert approved in page.get_by_test_id("reference-case").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=f"/tmp/references-{locale}.png", full_page=True)
