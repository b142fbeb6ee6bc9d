"""The background import task (django.tasks) and the job bookkeeping around :func:`isf.imports.kinds.run_import`."""

import json
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.tasks import task
from django.utils import timezone

from isf.core import spreadsheet
from isf.core.security import max_upload_bytes
from isf.imports.engine import Mapping, write_error_report
from isf.imports.models import ImportJob
from isf.imports.otherkinds import OTHER_KINDS, OtherKindError, call_volumes_summary, import_call_volumes, import_leads
from isf.imports.wording import summary

UPLOAD_DIR = "imports/uploads"


def upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / UPLOAD_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_file(job_id: int) -> Path:
    return upload_dir() / f"job{job_id}-progress.json"


def write_progress(job_id: int, phase: str, progress: int, rows: int) -> None:
    """Progress of a running job outside the database (see run_import_job), replaced atomically."""
    path = progress_file(job_id)
    part = path.with_suffix(".part")
    part.write_text(json.dumps({"phase": phase, "progress": progress, "rows": rows}), encoding="utf-8")
    part.replace(path)


def read_progress(job: ImportJob) -> dict:
    """The running job's latest progress: from its progress file when there is one, else from the job row."""
    fields = {"phase": job.phase, "progress": job.progress, "rows": job.rows}
    if job.status == ImportJob.Status.RUNNING:
        try:
            fields.update(json.loads(progress_file(job.pk).read_text(encoding="utf-8")))
        except (OSError, ValueError):
            pass
    return fields


@task()
def run_import_job(job_id: int) -> None:
    from isf.imports.kinds import run_import

    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])
    last = [0.0]

    def progress(phase: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - last[0] < 0.5 and done != total:
            return
        last[0] = now
        pct = min(99, done * 100 // total) if total else 0
        if connection.in_atomic_block:
            # Inside the import's transaction a row update would only show at its commit (and on SQLite no
            # other connection may write meanwhile): the job page reads this file instead.
            write_progress(job_id, phase, pct, done)
        else:
            ImportJob.objects.filter(pk=job_id).update(phase=phase, progress=pct, rows=done)

    if job.kind in OTHER_KINDS:
        run_other_kind(job)
        return
    try:
        result = run_import(job.kind, job.path, mapping=Mapping.from_json(job.options or {}), dry_run=job.dry_run,
                            skip_invalid=job.skip_invalid, display_name=job.file_name, progress=progress,
                            max_bytes=max_upload_bytes())
    except Exception as exc:  # noqa: BLE001 - the job page must say what happened
        ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.FAILED, message=str(exc)[:500],
                                                   finished_at=timezone.now())
        raise
    progress_file(job_id).unlink(missing_ok=True)
    report = ""
    if result.error_count:
        report = write_error_report(result, upload_dir() / f"job{job_id}-errors.csv")
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.DONE if result.ok else ImportJob.Status.FAILED, phase="", progress=100,
        rows=result.rows, created=result.created, updated=result.updated, unchanged=result.unchanged,
        errors=result.error_count, message=result.summary()[:500], error_report=report, finished_at=timezone.now(),
    )


def job_worker_stopped(args_kwargs: dict, *, retried: bool, message: str) -> str:
    """The job of a task recovered after its worker stopped, or cancelled (isf.core.workers): queued again from the
    start, or failed, with the message on its page."""
    args = args_kwargs.get("args") or [args_kwargs.get("kwargs", {}).get("job_id")]
    job_id = args[0] if args and isinstance(args[0], int) else None
    if job_id is None:
        return ""
    jobs = ImportJob.objects.filter(pk=job_id)
    if retried:
        jobs.update(status=ImportJob.Status.QUEUED, phase="", progress=0, rows=0, message=message[:500])
    else:
        jobs.exclude(status=ImportJob.Status.DONE).update(status=ImportJob.Status.FAILED, phase="",
                                                          message=message[:500], finished_at=timezone.now())
    progress_file(job_id).unlink(missing_ok=True)
    return f"import job {job_id}"


def run_other_kind(job: ImportJob) -> None:
    """Leads and call volumes: through the same services as ``isf import leads|call-volumes`` (all or nothing)."""
    fields: dict = {"phase": "", "progress": 100, "finished_at": timezone.now()}
    try:
        if job.kind == "leads":
            out = import_leads(job.path, dry_run=job.dry_run, user=job.user)
            fields.update(status=ImportJob.Status.DONE, rows=out["created"], created=out["created"],
                          message=summary(file=job.file_name, rows=out["created"], created=out["created"], updated=0,
                                          unchanged=0, errors=0, dry_run=job.dry_run, written=not job.dry_run)[:500])
        else:
            out = import_call_volumes(job.path, team=(job.options or {}).get("team") or None, dry_run=job.dry_run)
            fields.update(status=ImportJob.Status.DONE, rows=out["rows"], created=out["imported"],
                          message=call_volumes_summary(out)[:500])
    except OtherKindError as exc:
        report = upload_dir() / f"job{job.pk}-errors.csv"
        spreadsheet.write_csv(report, [["file", "row", "column", "value", "message"],
                                       *([job.file_name, "", "", "", e.replace("\n", " ")] for e in exc.errors)])
        fields.update(status=ImportJob.Status.FAILED, errors=len(exc.errors), error_report=str(report),
                      message="; ".join(exc.errors)[:500])
    ImportJob.objects.filter(pk=job.pk).update(**fields)
