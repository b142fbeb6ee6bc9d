"""Browser: a field rep orders a quote at phone width; an agent works it from the work queue."""

import time

import pytest

from conftest import browser_login
from isf.service.models import ServiceOrder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_field_rep_orders_a_quote_on_a_phone_in_a_few_taps(make_page, people, account, contract):
    page = make_page(width=390, height=844, locale="de-DE")
    browser_login(page, "ad1")
    started = time.perf_counter()
    page.goto(f"{page.base_url}/service/orders/new/")
    page.locator("[data-service=quote_prep]").click()
    page.wait_for_load_state("networkidle")
    page.locator("label", has=page.locator(f"input[name=account][value='{account.pk}']")).click()
    page.locator("textarea[name=in_products]").fill("200 Dübel M8, 50 Anker")
    page.get_by_test_id("send-order").click()
    page.wait_for_load_state("networkidle")
    elapsed = time.perf_counter() - started
    order = ServiceOrder.objects.get()
    assert page.url.endswith(f"/service/orders/{order.pk}/")
    assert (order.service.code, order.account_id, order.requester.username) == ("quote_prep", account.pk, "ad1")
    assert page.get_by_test_id("status").inner_text() == order.get_status_display()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert elapsed < 30


def test_missing_input_is_shown_at_phone_width_and_nothing_is_saved(make_page, people, account):
    page = make_page(width=390, height=844, locale="en-US")
    browser_login(page, "ad1")
    page.goto(f"{page.base_url}/service/orders/new/?service=quote_prep&account={account.pk}")
    page.locator("textarea[name=in_products]").evaluate("el => el.removeAttribute('required')")
    page.get_by_test_id("send-order").click()
    page.wait_for_load_state("networkidle")
    assert "is required for" in page.locator(".isf-message-error").inner_text()
    assert ServiceOrder.objects.count() == 0


def test_agent_works_the_order_from_the_queue(make_page, people, account, quote_prep, contract):
    from isf.service import services

    order = services.service_order_create(service=quote_prep, account=account, requester=people["rep"],
                                          inputs={"products": "500 Schrauben"})
    page = make_page(width=390, height=844, locale="de-DE")
    browser_login(page, "id1")
    page.goto(f"{page.base_url}/queue/")
    page.locator(f"text=Angebotserstellung: {account.name}").click()
    page.locator(f"a[role=button][href='/service/orders/{order.pk}/']").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/service/orders/{order.pk}/")
    page.get_by_test_id("to-accepted").click()
    page.get_by_test_id("to-in_progress").click()
    for index in range(len(order.checklist)):
        page.get_by_test_id(f"step-{index}").click()
        page.wait_for_load_state("networkidle")
    page.get_by_test_id("to-done").click()
    page.wait_for_load_state("networkidle")
    order.refresh_from_db()
    assert (order.status, order.assignee.username) == ("done", "id1")
    assert page.get_by_test_id("status").inner_text() == order.get_status_display()
    assert page.locator("[data-testid=timeline] li").count() >= 4 + len(order.checklist)
    page.goto(f"{page.base_url}/queue/")
    assert page.locator(f"text=Angebotserstellung: {account.name}").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
