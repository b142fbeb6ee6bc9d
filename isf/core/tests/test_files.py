"""Files through the storage API (isf.core.files): a store without local paths (Django's InMemoryStorage, the
tests' default) hands readers a temporary copy; a directory store hands its own path and keeps files owner-only."""

import os
import stat
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from isf.core.files import file_delete, file_exists, file_save, file_save_local, local_copy, stored_files


def test_a_store_without_local_paths_gives_a_temporary_copy_removed_afterwards():
    name = file_save(name="imports/uploads/a.csv", chunks=[b"Kundennr;", b"Name\n10001;M\xfcller\n"])
    assert name == "imports/uploads/a.csv"
    with local_copy(name) as path:
        assert Path(path).read_bytes() == b"Kundennr;Name\n10001;M\xfcller\n"
        assert not path.startswith(str(default_storage.location))
    assert not Path(path).exists()
    assert file_save(name=name, content=b"new") == name  # replaced, not renamed
    assert default_storage.open(name).read() == b"new"
    assert stored_files("imports/uploads") == ["imports/uploads/a.csv"]
    assert stored_files("nothing/here") == []
    assert file_delete(name) is True and file_delete(name) is False


def test_a_missing_file_or_a_path_outside_the_store_is_not_found(tmp_path):
    outside = tmp_path / "secret.csv"
    outside.write_text("x")
    for name in ("imports/uploads/gone.csv", str(outside), "../../etc/passwd", ""):
        assert file_exists(name) is False
        with pytest.raises(FileNotFoundError), local_copy(name):
            pass


def test_a_directory_store_hands_out_its_own_path_and_keeps_files_owner_only(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path / "media", "file_permissions_mode": 0o600,
                    "directory_permissions_mode": 0o700}}}
    report = tmp_path / "report.csv"
    report.write_text("file;row\n")
    name = file_save_local(name="imports/uploads/job1-errors.csv", path=report)
    assert not report.exists()
    with local_copy(name) as path:
        assert path == str(tmp_path / "media" / "imports" / "uploads" / "job1-errors.csv")
        assert Path(path).read_text() == "file;row\n"
    assert Path(path).exists()  # the stored file itself, not a copy
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "media" / "imports").st_mode) == 0o700
