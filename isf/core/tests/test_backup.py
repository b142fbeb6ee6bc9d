"""Backup/restore round trip: every table's row count and content come back identical, and so do the stored
files (uploads, error reports); the backup is readable by its owner only."""

import hashlib
import io
import os
import stat
import tarfile

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from isf.core.files import file_save
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
    file_save(name="imports/uploads/a1.csv", content="Kundennr;Name\n10001;Müller\n".encode("cp1252"))
    file_save(name="imports/uploads/job1-errors.csv", content=b"file;row\n")
    file_save(name="other/deep/x.bin", content=bytes(range(256)) * 5000)
    before = table_fingerprints()
    backup = tmp_path / "isf.backup"
    backup.write_bytes(b"an older file, readable by all")
    os.chmod(backup, 0o644)
    call_command("backup", str(backup))
    assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600
    with tarfile.open(backup) as tar:
        names = sorted(tar.getnames())
    assert names == sorted(["manifest.json", f"database.{'sqlite3' if connection.vendor == 'sqlite' else 'pgdump'}",
                            "media/imports/uploads/a1.csv", "media/imports/uploads/job1-errors.csv",
                            "media/other/deep/x.bin"])
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup))
    call_command("flush", interactive=False, verbosity=0)
    for name in ("imports/uploads/a1.csv", "imports/uploads/job1-errors.csv", "other/deep/x.bin"):
        default_storage.delete(name)
    assert table_fingerprints() != before
    call_command("restore", str(backup))
    connection.close()
    after = table_fingerprints()
    assert after == before
    assert after["customers_account"][0] == 60
    assert default_storage.open("imports/uploads/a1.csv").read() == "Kundennr;Name\n10001;Müller\n".encode("cp1252")
    assert default_storage.open("imports/uploads/job1-errors.csv").read() == b"file;row\n"
    assert default_storage.open("other/deep/x.bin").read() == bytes(range(256)) * 5000


def test_a_backup_of_an_earlier_version_without_files_is_restored(tmp_path):
    """A bare database file (what `isf backup` wrote before backups held the stored files)."""
    UserFactory(username="vl")
    before = table_fingerprints()
    backup = tmp_path / "isf.tar"
    call_command("backup", str(backup))
    with tarfile.open(backup) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith("database."))
        (tmp_path / "bare").write_bytes(tar.extractfile(member).read())
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(tmp_path / "bare"))
    connection.close()
    assert table_fingerprints() == before


@pytest.mark.parametrize("bad", ["media/../../etc/cron.d/x", "media//etc/passwd", "media/"])
def test_a_backup_with_a_hostile_file_name_is_refused_before_anything_changes(tmp_path, bad):
    UserFactory(username="vl")
    backup = tmp_path / "isf.tar"
    call_command("backup", str(backup))
    with tarfile.open(backup, "a") as tar:
        info = tarfile.TarInfo(bad)
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="not a file name a backup holds; nothing was changed"):
        call_command("restore", str(backup))
    assert table_fingerprints()["org_user"][0] == 0


def test_restore_refuses_a_file_that_is_no_backup(tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="not an ISF backup"):
        call_command("restore", str(bogus))
