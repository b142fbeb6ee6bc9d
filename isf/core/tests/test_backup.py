"""Backup/restore round trip: every table's row count and content come back identical."""

import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from isf.customers.tests.factories import ContactFactory, OrderFactory, PhoneFactory, add_line
from isf.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def table_fingerprints() -> dict[str, tuple[int, str]]:
    result = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(tuple(str(v) for v in row)) for row in cursor.fetchall())
            result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return result


def test_backup_restore_round_trip(tmp_path):
    UserFactory(username="vl", first_name="Jürgen")
    for i in range(60):
        contact = ContactFactory(last_name=f"Müller-{i}")
        PhoneFactory(account=contact.account)
        add_line(OrderFactory(account=contact.account), revenue=f"{100 + i}.50", margin="12.25")
    before = table_fingerprints()
    backup = tmp_path / "isf.backup"
    call_command("backup", str(backup))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup))
    call_command("flush", interactive=False, verbosity=0)
    assert table_fingerprints() != before
    call_command("restore", str(backup))
    connection.close()
    after = table_fingerprints()
    assert after == before
    assert after["customers_account"][0] == 60


def test_restore_refuses_a_file_that_is_no_backup(tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="not an ISF backup"):
        call_command("restore", str(bogus))
