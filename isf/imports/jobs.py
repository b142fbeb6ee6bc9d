"""The background import task (django.tasks) and the job bookkeeping around :func:`isf.imports.kinds.run_import`."""

import json
import tempfile
import time
from pathlib import Path

from django.db import connection
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext

from isf.core import spreadsheet
from isf.core.files import file_delete, file_read_text, file_save, file_save_local, local_copy
from isf.core.security import max_upload_bytes
from isf.imports.engine import FIRST_ERRORS, Mapping, write_error_report
from isf.imports.models import ImportJob
from isf.imports.otherkinds import OTHER_KINDS, OtherKindError, call_volumes_summary, import_call_volumes, import_leads
from isf.imports.wording import summary

#: Folder of the uploads, error reports and progress files in the file storage (isf.core.files).
UPLOAD_DIR = "imports/uploads"


def upload_name(suffix: str) -> str:
    """A fresh storage name for an uploaded file."""
    import uuid

    return f"{UPLOAD_DIR}/{uuid.uuid4().hex}{suffix}"


def progress_name(job_id: int) -> str:
    return f"{UPLOAD_DIR}/job{job_id}-progress.json"


def error_report_name(job_id: int) -> str:
    return f"{UPLOAD_DIR}/job{job_id}-errors.csv"


def write_progress(job_id: int, phase: str, progress: int, rows: int) -> None:
    """Progress of a running job outside the database (see run_import_job), in the file storage: the web
    host reads it from there, also when the worker runs on another machine."""
    file_save(name=progress_name(job_id), content=json.dumps({"phase": phase, "progress": progress, "rows": rows})
              .encode())


def read_progress(job: ImportJob) -> dict:
    """The running job's latest progress: from its progress file when there is one, else from the job row."""
    fields = {"phase": job.phase, "progress": job.progress, "rows": job.rows}
    if job.status == ImportJob.Status.RUNNING:
        try:
            fields.update(json.loads(file_read_text(progress_name(job.pk))))
        except (OSError, ValueError):  # none yet, or caught in the moment the worker replaces it
            pass
    return fields


def store_error_report(job_id: int, write) -> str:
    """Write an error report with ``write(local_path)`` and put it into the file storage; returns its name."""
    with tempfile.TemporaryDirectory(prefix="isf-report-") as tmp:
        local = Path(tmp) / "errors.csv"
        write(local)
        return file_save_local(name=error_report_name(job_id), path=local)


@task()
def preview_import_job(job_id: int) -> None:
    """Read the uploaded file once for its preview page (format, mapping, first rows) and store the result."""
    from isf.imports.kinds import KINDS
    from isf.imports.preview import build_preview, file_sha256

    job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED, phase="preview").first()
    if job is None:
        return
    try:
        mapping = Mapping.from_json(job.options or {})
    except ValueError:
        mapping = Mapping()
    preview = {}
    try:
        # the worker reads the upload through the file storage (it may run on another machine than the web host)
        with local_copy(job.path) as path:
            if job.kind in KINDS and job.kind not in OTHER_KINDS:
                preview = build_preview(KINDS[job.kind], path, display_name=job.file_name, mapping=mapping,
                                        max_bytes=max_upload_bytes())
            elif job.kind == "call-volumes":
                from isf.capacity.volumepreview import volume_preview

                preview = volume_preview(path, mapping=(job.options or {}).get("columns"))
            sha = file_sha256(path)
    except OSError as exc:
        preview, sha = {"error": f"the file cannot be opened ({exc.strerror or exc})", "error_at": f"{job.file_name}: "}, ""
    preview["ready"] = True
    ImportJob.objects.filter(pk=job_id).update(preview=preview, file_sha256=sha)


def _changed_since_dry_run(job: ImportJob) -> str:
    """Why the checked file cannot be imported as checked ("" when it can)."""
    from isf.imports.preview import file_sha256

    try:
        with local_copy(job.path) as path:
            same = bool(job.file_sha256) and file_sha256(path) == job.file_sha256
    except OSError:
        same = False
    return "" if same else f"{job.file_name}: the file changed or is gone since the dry run; upload it again"


@task()
def run_import_job(job_id: int) -> None:
    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return
    with translation.override(job.language or "de"):
        _run_import_job(job)


def _run_import_job(job: ImportJob) -> None:
    from isf.imports.kinds import run_import

    job_id = job.pk
    if job.checked_by_id and (refusal := _changed_since_dry_run(job)):
        ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.FAILED, phase="", message=refusal,
                                                   finished_at=timezone.now())
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
        # The worker reads the upload through the file storage (it may run on another machine than the web host).
        with local_copy(job.path) as path:
            result = run_import(job.kind, path, mapping=Mapping.from_json(job.options or {}), dry_run=job.dry_run,
                                skip_invalid=job.skip_invalid, display_name=job.file_name, progress=progress,
                                max_bytes=max_upload_bytes())
    except Exception as exc:  # noqa: BLE001 - the job page must say what happened
        ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.FAILED, message=str(exc)[:500],
                                                   finished_at=timezone.now())
        raise
    finally:
        file_delete(progress_name(job_id))
    report = ""
    if result.error_count:
        report = store_error_report(job_id, lambda local: write_error_report(result, local,
                                                                           language=job.language or "de"))
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.DONE if result.ok else ImportJob.Status.FAILED, phase="", progress=100,
        rows=result.rows, created=result.created, updated=result.updated, unchanged=result.unchanged,
        errors=result.error_rows, errors_total=result.error_count, placed=result.placed,
        first_errors=[{"row": p.row, "column": p.column or "", "value": p.value, "message": p.message}
                      for p in result.problems[:FIRST_ERRORS]],
        message=result.summary()[:500], error_report=report, finished_at=timezone.now(),
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
    file_delete(progress_name(job_id))
    return f"import job {job_id}"


def run_other_kind(job: ImportJob) -> None:
    """Leads and call volumes: through the same services as ``isf import leads|call-volumes`` (all or nothing)."""
    fields: dict = {"phase": "", "progress": 100, "finished_at": timezone.now()}
    try:
        if job.kind == "leads":
            with local_copy(job.path) as path:
                out = import_leads(path, dry_run=job.dry_run, user=job.user)
            rows = out["created"] + out["updated"] + out["unchanged"]
            fields.update(status=ImportJob.Status.DONE, rows=rows, created=out["created"], updated=out["updated"],
                          unchanged=out["unchanged"],
                          message=summary(file=job.file_name, rows=rows, created=out["created"],
                                          updated=out["updated"], unchanged=out["unchanged"], errors=0,
                                          dry_run=job.dry_run, written=not job.dry_run)[:500])
        else:
            options = job.options or {}
            with local_copy(job.path) as path:
                out = import_call_volumes(path, team=options.get("team") or None, dry_run=job.dry_run,
                                          timezone=options.get("timezone") or None, mapping=options.get("columns"))
            with translation.override(job.language or "de"):
                message = call_volumes_summary(out)
            # a dry run counts what it would write: new intervals as created, stored ones it replaces as updated
            fields.update(status=ImportJob.Status.DONE, rows=out["rows"],
                          created=out["rows"] - out["replaced"] if job.dry_run else out["imported"],
                          updated=out["replaced"] if job.dry_run else 0, message=message[:500])
    except OtherKindError as exc:
        from isf.imports.wording import reason

        with translation.override(job.language or "de"):
            header = [gettext("file"), gettext("row"), gettext("column"), gettext("value"), gettext("message")]
            rows = [header, *([job.file_name, d["row"] or "", d["column"], d["value"],
                               reason(d["message"]).replace("\n", " ")] for d in exc.details)]
            problem_rows = len({d["row"] for d in exc.details if d["row"]})
            message = (gettext("%(total)s problems in %(rows)s rows; nothing was imported") % {
                "total": len(exc.details), "rows": problem_rows} if problem_rows else
                "; ".join(reason(d["message"]) for d in exc.details))
        report = store_error_report(job.pk, lambda local: spreadsheet.write_csv(local, rows))
        fields.update(status=ImportJob.Status.FAILED, errors=len({d["row"] for d in exc.details}),
                      errors_total=len(exc.details), error_report=report, message=message[:500],
                      first_errors=exc.details[:FIRST_ERRORS])
    ImportJob.objects.filter(pk=job.pk).update(**fields)
