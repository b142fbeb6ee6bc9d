"""Upload page (preview with detected dialect and column mapping, then a background job), templates, exports."""

from datetime import timedelta
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from isf.core import spreadsheet
from isf.core.access import can
from isf.core.files import file_exists, file_save
from isf.core.params import QueryParams
from isf.core.security import max_upload_bytes
from isf.imports.engine import Mapping, template_csv
from isf.imports.exportlists import EXPORTS, PAGE_OF
from isf.imports.exports import export_file
from isf.imports.jobs import preview_import_job, read_progress, run_import_job, upload_name
from isf.imports.kinds import KINDS, MASTER_KINDS
from isf.imports.models import ImportJob, ImportMapping
from isf.imports.otherkinds import OTHER_KINDS
from isf.imports.preview import describe_format, typed
from isf.imports.wording import placed_summary, reason, summary
from isf.org.selectors import tokens_visible_to

TABLE_UI_KINDS = (*MASTER_KINDS, "orders")
UI_KINDS = (*TABLE_UI_KINDS, *OTHER_KINDS)
KIND_LABELS = {
    "accounts": gettext_lazy("Accounts"), "products": gettext_lazy("Products"), "contacts": gettext_lazy("Contacts"),
    "quotes": gettext_lazy("Quotes"), "orders": gettext_lazy("Order lines"), "leads": gettext_lazy("Leads"),
    "call-volumes": gettext_lazy("Call volumes (telephone system)"),
}
ALLOWED_EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx")
CSV_ONLY_EXTENSIONS = (".csv", ".txt")
#: a job queued longer than this without a worker picking it up gets a hint that no worker is running
WORKER_WAIT = timedelta(seconds=30)
SHOWN_PROBLEMS = 20


def upload(request):
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        f = request.FILES.get("file")
        error = None
        if kind not in UI_KINDS:
            error = _("Choose what to import.")
        elif f is None:
            error = _("Choose a file.")
        elif not f.name.lower().endswith(ALLOWED_EXTENSIONS):
            error = _("%(file)s: only CSV and XLSX files can be imported.") % {"file": f.name}
        elif kind == "call-volumes" and not f.name.lower().endswith(CSV_ONLY_EXTENSIONS):
            error = _("%(file)s: %(kind)s can only be imported from a CSV file.") % {
                "file": f.name, "kind": KIND_LABELS[kind]}
        elif f.size > max_upload_bytes():
            error = _("%(file)s: the file is larger than the limit of %(mb)s MB.") % {
                "file": f.name, "mb": max_upload_bytes() // 1024**2}
        if error:
            messages.error(request, error)
        else:
            target = file_save(name=upload_name(Path(f.name).suffix.lower()), file=f)
            saved = ImportMapping.objects.filter(kind=kind, source=request.POST.get("source", "")).first()
            job = ImportJob.objects.create(kind=kind, file_name=Path(f.name).name[:255], path=target,
                                           user=request.user, phase="preview", language=page_language(request),
                                           options=saved.mapping if saved else _upload_options(request, kind))
            preview_import_job.enqueue(job.pk)  # the worker reads the file once; the page shows what it stored
            return redirect("imports:job", pk=job.pk)
    context = {
        "kinds": [(k, KIND_LABELS[k]) for k in UI_KINDS],
        "sources": ImportMapping.objects.all(),
        "jobs": ImportJob.objects.all()[:20],
        "max_mb": max_upload_bytes() // 1024**2,
    }
    return render(request, "imports/upload.html", context)


def page_language(request) -> str:
    """The language the user sees the page in: the job's error report and summary are written in it."""
    return (getattr(request, "LANGUAGE_CODE", "") or "de")[:8]


def _upload_options(request, kind: str) -> dict:
    """A call-volume file uploaded from a team's capacity page keeps the team for the job page to preselect."""
    team = request.POST.get("team", "")[:20]
    return {"team": team} if kind == "call-volumes" and team else {}


def _call_volume_options(request, job: ImportJob) -> dict:
    """Team, time zone and chosen columns of a call-volume file (the columns only where one was chosen)."""
    from isf.capacity.volumepreview import FIELDS

    header = (job.preview or {}).get("header") or []
    columns = {f: request.POST.get(f"col_{f}", "") for f in FIELDS}
    return {"team": request.POST.get("team", "")[:20], "timezone": request.POST.get("timezone", "").strip()[:64],
            "columns": {f: c for f, c in columns.items() if c and c in header}}


def _job_for(request, pk) -> ImportJob:
    job = get_object_or_404(ImportJob, pk=pk)
    return job


def job_detail(request, pk: int):
    job = _job_for(request, pk)
    preview = job.status == ImportJob.Status.QUEUED and job.phase == "preview"
    if request.method == "POST" and preview and job.kind in OTHER_KINDS:
        job.options = _call_volume_options(request, job) if job.kind == "call-volumes" else {}
        job.dry_run = bool(request.POST.get("dry_run"))
        job.phase = ""
        job.save()
        run_import_job.enqueue(job.pk)
        return redirect("imports:job", pk=job.pk)
    if request.method == "POST" and preview:
        fields = [c.name for c in KINDS[job.kind]]
        options = {k: request.POST.get(k, "") for k in Mapping.OPTION_KEYS}
        columns = {name: request.POST.get(f"col_{name}", "") for name in fields}
        mapping = Mapping({k: v for k, v in columns.items() if v}, **options)
        job.options = mapping.as_json()
        job.dry_run = bool(request.POST.get("dry_run"))
        job.skip_invalid = bool(request.POST.get("skip_invalid"))
        job.language = page_language(request)
        job.phase = ""
        job.save()
        source = request.POST.get("save_as", "").strip()
        if source:
            ImportMapping.objects.update_or_create(kind=job.kind, source=source[:100],
                                                   defaults={"mapping": mapping.as_json()})
        run_import_job.enqueue(job.pk)
        return redirect("imports:job", pk=job.pk)
    context = {"job": job, "preview": preview, "kind_label": KIND_LABELS.get(job.kind, job.kind),
               "progress": read_progress(job)["progress"],
               "message": job_message(job), "problems": job_problems(job), "other_kind": job.kind in OTHER_KINDS,
               "can_import_now": can_import_now(job), "imported_as": job.imports.order_by("pk").first()}
    if preview and job.kind in OTHER_KINDS:
        if job.kind == "call-volumes":
            from isf.imports.volumejob import call_volume_preview_context

            context.update(call_volume_preview_context(job))
        return render(request, "imports/job.html", context)
    if preview:
        context.update(_preview_context(job))
        if job.path and not file_exists(job.path):  # a storage lookup, not a read of the file
            context["file_error"] = _("The uploaded file is no longer stored. Upload it again.")
    return render(request, "imports/job.html", context)


def _preview_context(job: ImportJob) -> dict:
    """The preview page from what the worker stored (never the file itself: any size renders at once)."""
    stored = job.preview or {}
    if not stored.get("ready"):
        return {"preview_pending": True, "no_worker": job.created_at < timezone.now() - WORKER_WAIT}
    mapping = Mapping.from_json(job.options or {})
    columns = KINDS[job.kind]
    chosen = stored.get("mapping", {})
    fields = [{"name": c.name, "label": c.heading(), "required": c.required,
               "chosen": mapping.columns.get(c.name) or chosen.get(c.name, "")} for c in columns]
    sample = [{"row": r["row"], "cells": [{"value": typed(c, cell), "raw": cell["raw"],
                                           "error": reason(cell["error"]) if cell["error"] else ""}
                                          for c, cell in zip(columns, r["cells"], strict=False)]}
              for r in stored.get("rows", [])]
    fmt = stored.get("format", {})
    error = stored.get("error_at", "") + reason(stored["error"]) if stored.get("error") else ""
    return {"file_error": error, "format": describe_format(fmt), "sheets": fmt.get("sheets", []),
            "sheet": fmt.get("sheet", ""), "header": stored.get("header", []), "fields": fields, "sample": sample,
            "options": mapping.options}


def can_import_now(job: ImportJob) -> bool:
    """A finished, successful dry run whose checked file has not been imported yet."""
    return (job.dry_run and job.status == ImportJob.Status.DONE and job.finished_at is not None
            and bool(job.path) and not job.imports.exists())


@require_POST
def import_now(request, pk: int):
    """Import exactly what the dry run checked: the same stored file, mapping and options, as a new job."""
    job = _job_for(request, pk)
    done = job.imports.order_by("pk").first()
    if done is not None:
        return redirect("imports:job", pk=done.pk)
    if not can_import_now(job):
        messages.error(request, _("Only a finished dry run without errors can be imported."))
        return redirect("imports:job", pk=job.pk)
    new = ImportJob.objects.create(kind=job.kind, file_name=job.file_name, path=job.path, options=job.options,
                                   skip_invalid=job.skip_invalid, dry_run=False, user=request.user,
                                   language=page_language(request), preview=job.preview,
                                   file_sha256=job.file_sha256, checked_by=job)
    run_import_job.enqueue(new.pk)
    return redirect("imports:job", pk=new.pk)


def job_status(request, pk: int):
    job = _job_for(request, pk)
    return JsonResponse({
        "status": job.status, **read_progress(job),
        "created": job.created, "updated": job.updated, "unchanged": job.unchanged, "errors": job.errors,
        "errors_total": job.errors_total, "preview_ready": bool((job.preview or {}).get("ready")),
        "message": job_message(job) if job.finished_at or job.message or waiting_for_worker(job) else "",
        "finished": job.finished_at is not None, "waiting": waiting_for_worker(job),
    })


def waiting_for_worker(job: ImportJob) -> bool:
    """Queued (not in preview) for longer than :data:`WORKER_WAIT`: no background worker picks jobs up."""
    return (job.status == ImportJob.Status.QUEUED and job.phase != "preview"
            and job.created_at < timezone.now() - WORKER_WAIT)


def job_message(job: ImportJob) -> str:
    """The job's state in the viewer's language: the import summary once finished, a hint when no worker runs."""
    if waiting_for_worker(job):
        return _("No background worker is running, so this import has not started yet. Start it with "
                 "`make worker` (or `isf worker` in production); the import then begins on its own.")
    finished_table_job = (job.finished_at is not None and job.kind in TABLE_UI_KINDS
                          and (job.status == ImportJob.Status.DONE or job.errors))
    if finished_table_job:
        written = job.status == ImportJob.Status.DONE and not job.dry_run and bool(job.created or job.updated)
        skipped = max(job.rows - job.created - job.updated - job.unchanged, 0) if job.skip_invalid else 0
        return summary(file=job.file_name, rows=job.rows, created=job.created, updated=job.updated,
                       unchanged=job.unchanged, errors=job.errors, skipped=skipped, dry_run=job.dry_run,
                       written=written) + placed_summary(job.placed or {})
    state = job.get_status_display()
    return f"{state}: {job.message}" if job.message else str(state)


def job_problems(job: ImportJob) -> list[dict]:
    """The job's first problems (stored by the worker), reasons in the viewer's language."""
    return [{"row": p.get("row") or "", "column": p.get("column", ""), "value": p.get("value", ""),
             "reason": reason(p.get("message", ""))} for p in (job.first_errors or [])[:SHOWN_PROBLEMS]]


def job_errors(request, pk: int):
    job = _job_for(request, pk)
    if not file_exists(job.error_report):
        raise Http404
    return FileResponse(default_storage.open(job.error_report, "rb"), as_attachment=True,
                        filename=f"{Path(job.file_name).stem}-errors.csv", content_type=spreadsheet.CSV_CONTENT_TYPE)


def template_download(request, kind: str):
    if kind not in KINDS or kind not in (*UI_KINDS, "order-headers"):
        raise Http404
    language = QueryParams(request.GET).choice("lang", ("de", "en"), default=page_language(request))
    response = HttpResponse(template_csv(KINDS[kind], language=language).encode("utf-8-sig"),
                            content_type=spreadsheet.CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="isf-{kind}-template-{language}.csv"'
    return response


@login_required
def export(request, name: str, fmt: str):
    if name not in EXPORTS or fmt not in ("csv", "xlsx"):
        raise Http404
    namespace, url_name = PAGE_OF[name]
    if not can(request.user, f"{namespace}:{url_name}" if namespace else url_name):
        raise PermissionDenied  # the same roles as the list's page (docs/permissions.md)
    return export_file(name, request, fmt)


@login_required
def tokens(request):
    """The user's API tokens (all tokens for admins): prefix, label, expiry, last use; revoke buttons."""
    return render(request, "imports/tokens.html", {"tokens": tokens_visible_to(request.user)})


@login_required
@require_POST
def token_revoke(request, pk: int):
    from isf.org.services import api_token_revoke

    token = get_object_or_404(tokens_visible_to(request.user), pk=pk)
    api_token_revoke(token=token)
    messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
    return redirect("imports:tokens")
