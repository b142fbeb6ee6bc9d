"""Browser: the inside-sales lead prices an edited care matrix (what-if) on a phone, and nothing is saved."""

import pytest

from conftest import browser_login
from isf.capacity.matrix_price import matrix_price
from isf.customers.tests.factories import AccountFactory
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory
from isf.planning.matrix_services import care_matrix_defaults
from isf.planning.models import CareActivity
from isf.planning.tests.helpers import make_segment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inside_lead_tries_a_doubled_care_call_frequency_at_phone_width(make_page):
    UserFactory(username="idl", role=Role.INSIDE_LEAD)
    segment = make_segment()
    care_matrix_defaults(segment=segment)
    for _i in range(40):
        AccountFactory(segment=segment, phase="active", customer_type="b2b")
    care = CareActivity.objects.filter(matrix__segment=segment, activity="care_call").order_by("position").first()
    frequency = care.frequency_per_year
    before = matrix_price(segment).hours_per_week
    per_call = [e for e in matrix_price(segment).entries if e.title == care.title][0]
    page = make_page(width=390, height=844, locale="en-US")
    browser_login(page, "idl")

    page.goto(f"{page.base_url}/queue/matrix/SMB/")
    assert f"This matrix generates {before:.1f} hours" in page.get_by_test_id("matrix-price-summary").inner_text()
    page.get_by_test_id("matrix-what-if").click()
    row = next(i for i in range(20) if page.input_value(f"input[name=a-{i}-title_de]") == care.title_de)
    page.fill(f"input[name=a-{row}-frequency_per_year]", str(frequency * 2))
    page.get_by_test_id("matrix-preview").click()
    page.wait_for_load_state("networkidle")

    after = before + per_call.hours_per_week  # the doubled entry costs its hours once more
    assert "Workload of the edited matrix (what-if, not saved)" in page.locator("h2").first.inner_text()
    assert f"This matrix generates {after:.1f} hours" in page.get_by_test_id("matrix-price-summary").inner_text()
    assert page.get_by_test_id("matrix-save").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.input_value(f"input[name=a-{row}-frequency_per_year]") == str(frequency * 2)  # the edit stays
    assert CareActivity.objects.get(pk=care.pk).frequency_per_year == frequency  # nothing saved
