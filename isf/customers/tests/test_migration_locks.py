"""Index changes of the big tables (order lines, orders) never lock readers out on PostgreSQL: every migration
from customers.0005 on builds and drops their indexes concurrently, outside a transaction (isf.core.migration_ops;
docs/operations-data.md has the measured lock times of the alternative)."""

from django.db.migrations import AddIndex, RemoveIndex
from django.db.migrations.loader import MigrationLoader

from isf.core.migration_ops import AddIndexWithoutLocking, RemoveIndexWithoutLocking

BIG_TABLES = {"orderline", "order"}


def test_index_changes_of_the_order_tables_are_concurrent_and_outside_a_transaction():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    checked = []
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        if app != "customers" or name < "0005":
            continue
        for operation in migration.operations:
            if isinstance(operation, (AddIndex, RemoveIndex)) and operation.model_name_lower in BIG_TABLES:
                assert isinstance(operation, (AddIndexWithoutLocking, RemoveIndexWithoutLocking)), (name, operation)
                assert migration.atomic is False, name
                checked.append((name, type(operation).__name__))
    assert checked[:4] == [("0005_covering_indexes", "AddIndexWithoutLocking")] * 2 + [
        ("0005_covering_indexes", "RemoveIndexWithoutLocking")] * 2
