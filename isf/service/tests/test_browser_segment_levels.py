"""Browser: the sales lead sets service levels per segment on a contract draft (German), a refused value is shown
and changes nothing; the contract page says per segment whether it has its own level or falls back to the default
(German and English)."""

import pytest

from conftest import browser_login
from isf.segmentation.models import Segment
from isf.service import contracts
from isf.service.models import SegmentTarget

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(people, team, segment, contract):
    Segment.objects.create(code="KA", name_de="Key Accounts", name_en="Key accounts", team=team, precedence=10)
    Segment.objects.create(code="C", name_de="C-Kunden", name_en="C customers", team=team, precedence=40)
    return contracts.contract_new_version(user=people["vl"], contract=contract)


def test_lead_sets_segment_levels_and_the_contract_page_names_the_fallbacks(make_page, people, draft):
    page = make_page(locale="de-DE")
    browser_login(page, "vl")
    page.goto(f"{page.base_url}/service/contracts/{draft.pk}/edit/")
    page.fill("input[name='st.quote_prep.KA']", "0")
    page.get_by_role("button", name="Sichern").click()
    page.wait_for_load_state("networkidle")
    error = page.locator(".isf-message-error").inner_text()
    assert "muss größer als null sein" in error and "Key Accounts" in error
    assert page.input_value("input[name='st.quote_prep.KA']") == "0"  # what was typed stays on the page
    assert not SegmentTarget.objects.exists()

    page.fill("input[name='st.quote_prep.KA']", "4")
    page.fill("input[name='st.quote_prep.C']", "2")
    page.select_option("select[name='stu.quote_prep.C']", "days")
    page.get_by_role("button", name="Sichern").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/service/contracts/{draft.pk}/")
    saved = {(t.segment.code, t.target_value, t.target_unit)
             for t in SegmentTarget.objects.filter(line__contract=draft, line__service__code="quote_prep")}
    assert saved == {("KA", 4, "hours"), ("C", 2, "days")}
    row = page.locator("[data-testid=segment-levels] tr[data-service=quote_prep]")
    assert row.locator("[data-segment=KA]").inner_text() == "Key Accounts: 4 Geschäftsstunden"
    assert row.locator("[data-segment=C]").inner_text() == "C-Kunden: 2 Geschäftstage"
    assert row.get_by_test_id("fallback").inner_text() == "KMU: fällt auf den Standard zurück"
    other = page.locator("[data-testid=segment-levels] tr[data-service=order_intake]").get_by_test_id("fallback")
    assert other.inner_text() == "Key Accounts, KMU, C-Kunden: fällt auf den Standard zurück"

    english = make_page(width=390, height=844, locale="en-US")
    browser_login(english, "idl")
    english.goto(f"{english.base_url}/service/contracts/{draft.pk}/")
    row = english.locator("[data-testid=segment-levels] tr[data-service=quote_prep]")
    assert row.locator("[data-segment=KA]").inner_text() == "Key accounts: 4 business hours"
    assert row.get_by_test_id("fallback").inner_text() == "SMB: falls back to default"
    assert english.evaluate("document.documentElement.scrollWidth") <= 390
