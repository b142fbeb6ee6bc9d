"""bulk_load: a load into tables whose index and key upkeep is deferred still never commits a row without its parent.

On both databases: a missing parent the loader names, or one it does not name (then every row is checked),
rolls the whole load back. On PostgreSQL the keys of named parents come back NOT VALID and the task enqueued at
the commit validates them; the catalog ends as it began.
"""

import pytest
from django.db import IntegrityError, connection

from isf.core.bulk import bulk_load
from isf.customers.models import Order
from isf.customers.tests.factories import AccountFactory

INSERT = "INSERT INTO customers_order (number, account_id, date) VALUES ('A1', %s, '2025-01-15'), ('A2', %s, '2025-01-15')"


def foreign_keys() -> dict[str, bool]:
    """The foreign keys of the order table: name -> validated."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname, convalidated FROM pg_constraint WHERE contype = 'f' "
                       "AND conrelid = 'customers_order'::regclass")
        return dict(cursor.fetchall())


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("named", [True, False], ids=["named parents", "every row"])
def test_a_row_with_a_missing_parent_rolls_the_load_back(named):
    account = AccountFactory(erp_number="10001")
    with pytest.raises(IntegrityError), bulk_load("customers_order") as load:  # noqa: PT012 - the load is the block
        with connection.cursor() as cursor:
            cursor.execute(INSERT, [account.id, 999999])
        if named:
            load.refers_to({"customers_account": [account.id, 999999]})
    assert Order.objects.count() == 0
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    else:
        assert all(foreign_keys().values())


@pytest.mark.django_db(transaction=True)
def test_the_message_names_the_missing_parent_row():
    account = AccountFactory(erp_number="10001")
    with pytest.raises(IntegrityError, match="missing row 999999 of customers_account"), \
            bulk_load("customers_order") as load:
        with connection.cursor() as cursor:
            cursor.execute(INSERT, [account.id, 999999])
        load.refers_to({"customers_account": [account.id, 999999]})


@pytest.mark.django_db(transaction=True)
def test_a_load_whose_parents_exist_is_written():
    account = AccountFactory(erp_number="10001")
    with bulk_load("customers_order") as load:
        with connection.cursor() as cursor:
            cursor.execute(INSERT, [account.id, account.id])
        load.refers_to({"customers_account": [account.id]})
    assert Order.objects.filter(account=account).count() == 2


@pytest.mark.django_db
def test_postgresql_keys_of_named_parents_are_validated_by_the_task_at_the_commit(django_capture_on_commit_callbacks):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL catalog")
    account = AccountFactory(erp_number="10001")
    before = foreign_keys()
    assert before and all(before.values())
    with django_capture_on_commit_callbacks() as callbacks:
        with bulk_load("customers_order") as load:
            with connection.cursor() as cursor:
                cursor.execute(INSERT, [account.id, account.id])
            load.refers_to({"customers_account": [account.id]})
        assert not any(foreign_keys().values())  # holds for new rows, but not marked validated yet
        with bulk_load("customers_order"):  # a second load re-adds them, with the full check as nobody names parents
            pass
        assert foreign_keys() == before
    assert len(callbacks) == 1
    with bulk_load("customers_order") as load:
        load.refers_to({"customers_account": []})
    assert not any(foreign_keys().values())
    callbacks[0]()  # the task of the first load: its keys are gone and back, still to validate
    assert foreign_keys() == before
