"""bulk_insert_columns and where_in store and find exactly the values given, whichever fast path they take."""

from datetime import date

import pytest
from django.db import connection

from isf.core.bulk import bulk_insert_columns, where_in
from isf.customers.models import Order
from isf.customers.tests.factories import AccountFactory

AWKWARD = ["A\tB", "back\\slash", "line\nbreak", "cr\rlf", "\\N", "unit\x1fsep", "  spaces  ", "Ümlaut-ß", "'quote\""]


@pytest.mark.django_db
@pytest.mark.parametrize("numbers", [["A1", "A2", "A3"], AWKWARD], ids=["plain", "awkward"])
def test_bulk_insert_columns_stores_the_values_as_given(numbers):
    account = AccountFactory(erp_number="10001")
    n = len(numbers)
    days = [date(2025, 1, 1 + i) for i in range(n)]
    written = bulk_insert_columns("customers_order", ("number", "account_id", "date"),
                                  [numbers, [account.id] * n, [d.isoformat() if i % 2 else d for i, d in enumerate(days)]])
    assert written == n
    assert sorted(Order.objects.values_list("number", "account_id", "date")) == sorted(
        zip(numbers, [account.id] * n, days, strict=True))


@pytest.mark.django_db
def test_bulk_insert_columns_rejects_ragged_columns():
    with pytest.raises(ValueError, match="same number|expected"):
        bulk_insert_columns("customers_order", ("number", "account_id"), [["A1", "A2"], [1]])


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["ints", "strings", "awkward strings", "one empty string"])
def test_where_in_finds_exactly_the_rows_named(kind):
    account = AccountFactory(erp_number="10001")
    numbers = ["A1", "A2", "A3", "", *AWKWARD]
    orders = [Order.objects.create(number=number, account=account, date=date(2025, 1, 15)) for number in numbers]
    column, wanted = {
        "ints": ("id", [orders[0].id, orders[2].id, 999_999]),
        "strings": ("number", ["A1", "A3", "nope"]),
        "awkward strings": ("number", [*AWKWARD, "A2"]),
        "one empty string": ("number", [""]),
    }[kind]
    condition, params = where_in(column, wanted)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number FROM customers_order WHERE {condition}", params)
        found = sorted(row[0] for row in cursor.fetchall())
    expected = sorted(o.number for o in orders if (o.id if column == "id" else o.number) in wanted)
    assert found == expected and found
