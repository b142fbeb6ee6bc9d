"""Account page: the latest orders come newest first; amounts use the separators of the page's language."""

import datetime as dt
import re

import pytest

from isf.customers.tests.factories import AccountFactory, OrderFactory, QuoteFactory, add_line
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(client):
    user = UserFactory(role=Role.SALES_LEAD)
    client.force_login(user)
    return user


def _order_numbers(html: str) -> list[str]:
    body = html.split('data-testid="orders"', 1)[1] if 'data-testid="orders"' in html else html
    return re.findall(r"<td>(A-\d{3})</td>", body)


def test_latest_orders_are_the_ten_newest_newest_first(client, lead):
    account = AccountFactory()
    start = dt.date(2026, 1, 5)
    for i in range(12):  # created oldest first, so insertion order is the wrong answer
        order = OrderFactory(account=account, number=f"A-{i:03d}", date=start + dt.timedelta(days=7 * i))
        add_line(order, revenue="10.00", margin="2.00")

    html = client.get(f"/accounts/{account.pk}/").content.decode()

    assert _order_numbers(html) == [f"A-{i:03d}" for i in range(11, 1, -1)]


def test_same_day_orders_are_ordered_by_number_descending(client, lead):
    account = AccountFactory()
    for number in ("A-001", "A-003", "A-002"):
        add_line(OrderFactory(account=account, number=number, date=dt.date(2026, 3, 1)))

    html = client.get(f"/accounts/{account.pk}/").content.decode()

    assert _order_numbers(html) == ["A-003", "A-002", "A-001"]


def test_amounts_use_german_separators_on_german_and_english_on_english_pages(client, lead):
    account = AccountFactory(potential="1234567.00")
    order = OrderFactory(account=account, number="A-100", date=dt.date.today() - dt.timedelta(days=10))
    add_line(order, revenue="1026.38", margin="300.50")
    QuoteFactory(account=account, amount="2500.75")

    de = client.get(f"/accounts/{account.pk}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    en = client.get(f"/accounts/{account.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "1.026,38 €" in de and "300,50 €" in de and "2.500,75 €" in de and "1.234.567 €" in de
    assert "1,026.38 €" in en and "300.50 €" in en and "2,500.75 €" in en and "1,234,567 €" in en
    assert "1,026,38" not in de and "1.026.38" not in en


def test_account_list_groups_the_potential_by_language(client, lead):
    AccountFactory(name="Huber GmbH", potential="98765.00")

    de = client.get("/accounts/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    en = client.get("/accounts/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "98.765 €" in de and "98,765 €" in en
