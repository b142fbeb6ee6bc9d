"""bulk_load: a load into tables whose index and key upkeep is deferred still never commits a row without its parent.

On both databases: a missing parent the loader names, or one it does not name (then every row is checked),
rolls the whole load back. On PostgreSQL the load keeps every key and index, so readers are never locked out.
"""

import pytest
from django.db import IntegrityError, connection

from isf.core.bulk_load import bulk_load
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


@pytest.mark.django_db(transaction=True)
def test_postgresql_readers_are_not_locked_out_during_a_load_and_the_keys_stay():
    """Another connection reads the accounts, products and orders while a load has written and not committed;
    the load drops no key, so the catalog is the same during the load and after it."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL locks")
    import psycopg

    account = AccountFactory(erp_number="10001")
    before = foreign_keys()
    assert before and all(before.values())
    params = {k: v for k, v in connection.get_connection_params().items() if k not in ("cursor_factory", "context")}
    reader = psycopg.connect(**params, autocommit=True)
    try:
        reader.execute("SET lock_timeout = '1s'")
        with bulk_load("customers_order", "customers_orderline") as load:
            with connection.cursor() as cursor:
                cursor.execute(INSERT, [account.id, account.id])
            load.refers_to({"customers_account": [account.id]})
            seen = [reader.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                    for table in ("customers_account", "customers_product", "customers_order", "customers_orderline")]
            assert seen == [1, 0, 0, 0]  # nothing waited (lock_timeout), and the load is not visible yet
            assert foreign_keys() == before
        assert reader.execute("SELECT count(*) FROM customers_order").fetchone()[0] == 2
    finally:
        reader.close()
    assert foreign_keys() == before


def test_the_background_checkpoint_copies_the_wal_into_the_database_file(tmp_path):
    import shutil
    import sqlite3
    from contextlib import closing

    from isf.core.bulk_load import sqlite_checkpoint_in_background

    path = tmp_path / "wal.sqlite3"
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA wal_autocheckpoint = 0")
        db.execute("CREATE TABLE t (x)")
        with db:
            db.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(5000)])

        def in_the_file_alone(when: str) -> int:
            """Rows a copy of the database file without its WAL holds: what was checkpointed."""
            copy = tmp_path / f"{when}.sqlite3"
            shutil.copy(path, copy)
            with closing(sqlite3.connect(copy)) as alone:
                return alone.execute("SELECT count(*) FROM t").fetchone()[0] if alone.execute(
                    "SELECT 1 FROM sqlite_master WHERE name = 't'").fetchone() else 0

        assert in_the_file_alone("before") == 0  # committed, but only in the WAL
        sqlite_checkpoint_in_background(str(path)).join()
        assert in_the_file_alone("after") == 5000
        assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 5000


@pytest.mark.django_db(transaction=True)
def test_a_sqlite_load_restores_the_automatic_checkpoint():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite WAL")
    account = AccountFactory(erp_number="10001")
    with connection.cursor() as cursor:
        before = cursor.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    with bulk_load("customers_order") as load:
        with connection.cursor() as cursor:
            cursor.execute(INSERT, [account.id, account.id])
    if load.checkpoint is not None:  # a database file in WAL mode (the test database may live in memory)
        load.checkpoint.join()
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == before
    assert Order.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("tables", [("customers_order",), ()], ids=["deferred upkeep", "plain transaction"])
def test_ids_a_load_hands_out_are_free_and_the_next_row_gets_the_one_after(tables):
    account = AccountFactory(erp_number="10001")
    stored = Order.objects.create(number="OLD", account=account, date="2025-01-01")
    with bulk_load(*tables) as load:
        first = load.next_id("customers_order")
        with pytest.raises(ValueError, match="already"):
            load.next_id("customers_order")
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO customers_order (id, number, account_id, date) VALUES "
                           "(%s, 'A1', %s, '2025-01-15'), (%s, 'A2', %s, '2025-01-15')",
                           [first, account.id, first + 1, account.id])
    assert first == stored.id + 1
    after = Order.objects.create(number="NEW", account=account, date="2025-02-01")
    assert after.id == first + 2
