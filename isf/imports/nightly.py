"""Nightly step of the imports: uploaded files and error reports past their retention are deleted.

Retention (settings, from the environment; docs/operations-data.md):

- an uploaded file: ``ISF_RETENTION_UPLOAD_DAYS`` days (90) after its import finished; a file uploaded for a
  preview that was never started, the same days after its upload; a running or queued import keeps its file;
- an import's error report: ``ISF_RETENTION_ERROR_REPORT_DAYS`` days (90) after the import finished; so do the
  reports ``isf import`` writes under ``$ISF_DATA_DIR/imports/``;
- any other file in the upload folder no job refers to (e.g. the progress file of a killed worker): the upload
  retention after it was last written.

The job rows stay (they are the import history); their file fields are emptied, so the job page says the file
is no longer stored. Files go through the file storage (isf.core.files), wherever it keeps them.
"""

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from isf.core.files import file_delete, stored_files
from isf.imports.jobs import UPLOAD_DIR
from isf.imports.models import ImportJob


def uploads_delete_expired(*, now) -> int:
    cutoff = now - timedelta(days=settings.ISF_RETENTION_UPLOAD_DAYS)
    never_started = Q(status=ImportJob.Status.QUEUED, phase="preview", created_at__lt=cutoff)
    deleted = 0
    for job in ImportJob.objects.exclude(path="").filter(Q(finished_at__lt=cutoff) | never_started):
        deleted += file_delete(job.path)
        ImportJob.objects.filter(pk=job.pk).update(path="")
    return deleted


def error_reports_delete_expired(*, now) -> int:
    cutoff = now - timedelta(days=settings.ISF_RETENTION_ERROR_REPORT_DAYS)
    deleted = 0
    for job in ImportJob.objects.exclude(error_report="").filter(finished_at__lt=cutoff):
        deleted += file_delete(job.error_report)
        ImportJob.objects.filter(pk=job.pk).update(error_report="")
    folder = Path(settings.DATA_DIR) / "imports"  # the command's reports, on the machine that ran it
    for report in folder.glob("*-errors-*.csv") if folder.is_dir() else ():
        if report.stat().st_mtime < cutoff.timestamp():
            report.unlink(missing_ok=True)
            deleted += 1
    return deleted


def orphans_delete_expired(*, now) -> int:
    cutoff = now - timedelta(days=settings.ISF_RETENTION_UPLOAD_DAYS)
    referenced = set(ImportJob.objects.exclude(path="").values_list("path", flat=True))
    referenced |= set(ImportJob.objects.exclude(error_report="").values_list("error_report", flat=True))
    deleted = 0
    for name in stored_files(UPLOAD_DIR):
        if name not in referenced and default_storage.get_modified_time(name) < cutoff:
            deleted += file_delete(name)
    return deleted


def run(*, today: date, progress: Callable[[str], None]) -> dict:
    progress("imports: uploads and error reports past retention …")
    now = timezone.now()
    return {"uploads_deleted": uploads_delete_expired(now=now),
            "error_reports_deleted": error_reports_delete_expired(now=now),
            "orphan_files_deleted": orphans_delete_expired(now=now)}
