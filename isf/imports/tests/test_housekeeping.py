"""Nightly housekeeping of the imports: uploads and error reports go after their retention, running work keeps
its files, job rows stay with their file fields emptied. The file storage of the tests is Django's InMemoryStorage
(conftest.py), so this also shows the step works on a storage that is not the local file system."""

import datetime as dt
import os
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage

from isf.core import nightly
from isf.core.files import file_save
from isf.imports.models import ImportJob
from isf.imports.nightly import run

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 3, 1, 3, 0, tzinfo=BERLIN)


def job(name: str, *, status=ImportJob.Status.DONE, phase="", finished_days_ago=None, created_days_ago=0,
        report="") -> ImportJob:
    path = file_save(name=f"imports/uploads/{name}.csv", content=b"Kundennr;Name\n10001;A\n")
    if report:
        report = file_save(name=f"imports/uploads/{report}", content=b"file;row;column;value;message\n")
    created = ImportJob.objects.create(kind="accounts", file_name=f"{name}.csv", path=path, status=status, phase=phase,
                                       error_report=report)
    ImportJob.objects.filter(pk=created.pk).update(
        created_at=NOW - dt.timedelta(days=created_days_ago),
        finished_at=None if finished_days_ago is None else NOW - dt.timedelta(days=finished_days_ago))
    return created


def test_files_past_their_retention_are_deleted_and_the_rest_kept(time_machine, settings):
    settings.ISF_RETENTION_UPLOAD_DAYS = 90
    settings.ISF_RETENTION_ERROR_REPORT_DAYS = 30
    time_machine.move_to(NOW - dt.timedelta(days=100), tick=False)
    file_save(name="imports/uploads/old-orphan.csv", content=b"x")
    file_save(name="imports/uploads/job99-progress.json", content=b"{}")
    time_machine.move_to(NOW - dt.timedelta(days=1), tick=False)
    file_save(name="imports/uploads/new-orphan.csv", content=b"x")
    time_machine.move_to(NOW, tick=False)
    expired = job("expired", finished_days_ago=91, created_days_ago=91, report="job1-errors.csv")
    kept = job("kept", finished_days_ago=89, created_days_ago=89, report="job2-errors.csv")
    fresh_report = job("fresh", finished_days_ago=29, created_days_ago=29, report="job3-errors.csv")
    never_started = job("preview", status=ImportJob.Status.QUEUED, phase="preview", created_days_ago=91)
    running = job("running", status=ImportJob.Status.RUNNING, created_days_ago=200)

    assert run(today=NOW.date(), progress=lambda m: None) == {
        "uploads_deleted": 2, "error_reports_deleted": 2, "orphan_files_deleted": 2}

    _, files = default_storage.listdir("imports/uploads")
    assert sorted(files) == ["fresh.csv", "job3-errors.csv", "kept.csv", "new-orphan.csv", "running.csv"]
    rows = {j.file_name: (j.path, j.error_report) for j in ImportJob.objects.all()}
    assert rows == {
        "expired.csv": ("", ""),
        "kept.csv": ("imports/uploads/kept.csv", ""),
        "fresh.csv": ("imports/uploads/fresh.csv", "imports/uploads/job3-errors.csv"),
        "preview.csv": ("", ""),
        "running.csv": ("imports/uploads/running.csv", ""),
    }
    assert {expired.pk, kept.pk, fresh_report.pk, never_started.pk, running.pk} == set(
        ImportJob.objects.values_list("pk", flat=True))
    # a second night finds nothing more to do
    assert run(today=NOW.date(), progress=lambda m: None) == {
        "uploads_deleted": 0, "error_reports_deleted": 0, "orphan_files_deleted": 0}


def test_the_reports_of_the_import_command_go_after_the_error_report_retention(time_machine, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.ISF_RETENTION_ERROR_REPORT_DAYS = 90
    folder = tmp_path / "imports"
    folder.mkdir()
    old, new, other = folder / "a-orders-errors-1.csv", folder / "b-orders-errors-2.csv", folder / "notes.csv"
    for path, days in ((old, 91), (new, 89), (other, 400)):
        path.write_text("x")
        stamp = (NOW - dt.timedelta(days=days)).timestamp()
        os.utime(path, (stamp, stamp))
    time_machine.move_to(NOW, tick=False)
    assert run(today=NOW.date(), progress=lambda m: None)["error_reports_deleted"] == 1
    assert sorted(p.name for p in folder.iterdir()) == ["b-orders-errors-2.csv", "notes.csv"]


def test_the_nightly_run_ends_with_the_housekeeping_steps(time_machine, monkeypatch):
    time_machine.move_to(NOW, tick=False)
    job("expired", finished_days_ago=91, created_days_ago=91)
    assert nightly.available_steps()[-2:] == ["imports", "housekeeping"]
    monkeypatch.setattr(nightly, "available_steps", lambda: ["imports", "housekeeping"])  # the others: their tests
    result = nightly.nightly_run(today=NOW.date())
    assert result["steps"]["imports"] == {"uploads_deleted": 1, "error_reports_deleted": 0, "orphan_files_deleted": 0}
    assert result["steps"]["housekeeping"] == {"expired_sessions_deleted": 0, "task_records_deleted": 0}
