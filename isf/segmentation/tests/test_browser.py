"""Browser (Chromium): the sales lead edits a segment rule; the KPI page with its chart; the portfolio chart."""

from decimal import Decimal

import pytest

from conftest import browser_login
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.segmentation.models import Segment
from isf.segmentation.services import segments_assign_all, segments_create_defaults
from isf.segmentation.tests.helpers import account_with_revenue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def base():
    segments_create_defaults(teams={c: TeamFactory(code=c) for c in ("KA", "MP", "SMB", "CDP")})
    account_with_revenue(150000, potential="200000", name="Huber Metallbau GmbH")
    account_with_revenue(30000, potential="400000", name="Schneider Haustechnik KG")
    account_with_revenue(6000, potential="20000", name="Maier Elektro e.K.")
    account_with_revenue(200, potential="3000", customer_type="b2c", name="Anna Berger")
    segments_assign_all()


def _console_errors(page) -> list[str]:
    errors = []
    page.on("console", lambda msg: errors.append(f"{msg.text} {msg.location.get('url', '')}")
            if msg.type == "error" and "favicon" not in msg.location.get("url", "") else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return errors


def test_sales_lead_edits_a_rule_and_a_conflict_is_refused(make_page, base):
    UserFactory(username="vl", role=Role.SALES_LEAD)
    page = make_page(locale="en-US")
    browser_login(page, "vl")
    page.goto(f"{page.base_url}/segments/rules/")
    page.get_by_test_id("edit-MP").click()
    page.fill("input[name=seg-care_budget]", "950")
    page.fill("input[name=rules-0-revenue_min]", "30000")
    page.get_by_test_id("preview").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("preview-result").is_visible()
    page.get_by_test_id("save").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/segments/rules/")
    assert "Segment MP saved" in page.locator(".isf-message").inner_text()
    assert "revenue 12 months from 30,000 €" in page.get_by_test_id("rules-row-MP").inner_text()
    mp = Segment.objects.get(code="MP")
    assert mp.care_budget == Decimal("950.00") and mp.rules.get(position=1).revenue_min == Decimal("30000.00")

    # same precedence as KA with overlapping ranges: refused, the conflict named, nothing saved
    page.get_by_test_id("edit-MP").click()
    page.fill("input[name=seg-precedence]", "10")
    page.fill("input[name=seg-care_budget]", "1")
    page.get_by_test_id("preview").click()
    page.wait_for_load_state("networkidle")
    errors = page.get_by_test_id("form-errors").inner_text()
    assert "Segments KA and MP have the same precedence 10" in errors
    mp.refresh_from_db()
    assert (mp.precedence, mp.care_budget) == (20, Decimal("950.00"))


def test_kpi_page_with_chart_in_german(make_page, base):
    UserFactory(username="idl", role=Role.INSIDE_LEAD)
    page = make_page(locale="de-DE")
    errors = _console_errors(page)
    browser_login(page, "idl")
    page.goto(f"{page.base_url}/segments/")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Segmentkennzahlen"
    ka = page.get_by_test_id("kpi-row-KA").inner_text()
    assert "180.000 €" in ka and "600.000 €" in ka  # Huber by revenue, Schneider by potential
    assert "100,0 %" in page.get_by_test_id("kpi-total").inner_text()
    # Chart.js drew on the canvas (it sizes the canvas element when it renders)
    page.wait_for_function("window.Chart && Chart.getChart('segment-share-chart') !== undefined")
    assert errors == []


def test_portfolio_chart_and_list_on_a_phone(make_page, base):
    UserFactory(username="vl", role=Role.SALES_LEAD)
    page = make_page(width=390, height=844, locale="de-DE")
    errors = _console_errors(page)
    browser_login(page, "vl")
    page.goto(f"{page.base_url}/segments/portfolio/")
    page.wait_for_function("window.Chart && Chart.getChart('portfolio-chart') !== undefined")
    assert page.evaluate("Chart.getChart('portfolio-chart').options.scales.x.type") == "logarithmic"
    assert "Schneider Haustechnik KG" in page.get_by_test_id("opportunity-table").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []


def test_sales_lead_previews_a_buying_behaviour_rule_then_saves_it(make_page, base):
    """German: the frequent-small-orders rule for SMB is previewed (who moves, nothing saved), then saved and
    applied; English: the KPI page shows the buying behaviour per segment."""
    import datetime as dt

    from django.utils import timezone

    from isf.customers.models import Account
    from isf.customers.tests.factories import AccountFactory, OrderFactory, ProductFactory, add_line

    small = AccountFactory(name="Kraus Sanitär OHG", potential=Decimal("9000"))
    for k in range(8):
        order = OrderFactory(account=small, date=timezone.localdate() - dt.timedelta(days=5 + 30 * k))
        add_line(order, product=ProductFactory(), revenue="350", margin="90")
    segments_assign_all()
    assert Account.objects.get(pk=small.pk).segment.code == "C"  # 2,800 € in 12 months
    UserFactory(username="vl", role=Role.SALES_LEAD)
    page = make_page(locale="de-DE")
    errors = _console_errors(page)
    browser_login(page, "vl")
    page.goto(f"{page.base_url}/segments/rules/SMB/")
    row = page.get_by_test_id("rule-2")
    row.locator("summary").click()
    page.fill("input[name=rules-2-orders_min]", "6")
    page.fill("input[name=rules-2-order_value_max]", "800")
    page.select_option("select[name=rules-2-customer_type]", "b2b")
    page.get_by_test_id("preview").click()
    page.wait_for_load_state("networkidle")
    summary = page.get_by_test_id("preview-summary").inner_text()
    assert "1 Kunde würde das Segment wechseln (2.800 € Umsatz in 12 Monaten, 9.000 € Potenzial)" in summary
    assert "C C-Kunden" in page.get_by_test_id("preview-matrix").inner_text()
    assert Account.objects.get(pk=small.pk).segment.code == "C"  # only previewed
    page.get_by_test_id("save").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/segments/rules/")
    assert "1 Kunde hat das Segment gewechselt" in page.locator(".isf-message").inner_text()
    assert "ab 6 Bestellungen im Jahr, Ø Auftragswert unter 800 €" in page.get_by_test_id("rules-row-SMB").inner_text()
    assert Account.objects.get(pk=small.pk).segment.code == "SMB"

    english = make_page(locale="en-US")
    browser_login(english, "vl")
    english.goto(f"{english.base_url}/segments/")
    smb = english.get_by_test_id("behaviour-row-SMB").inner_text()
    # Maier Elektro's one order of 6,000 € and Kraus Sanitär's 8 of 350 €: 9 orders over 2 accounts, 8,800 € / 9
    assert "4.5" in smb and "978 €" in smb
    assert errors == []
