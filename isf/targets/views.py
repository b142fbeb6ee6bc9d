"""Target pages: target against actual for a period, the plans (versions) with their targets, import, agreement."""

import os
import tempfile
from pathlib import Path

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from isf.core.audit import history_for
from isf.core.params import QueryParams, parse_id
from isf.core.security import max_upload_bytes
from isf.core.spreadsheet import csv_response
from isf.imports.reader import FileFormatError, open_table
from isf.imports.values import ValueParseError, parse_decimal
from isf.org.choices import Role
from isf.org.models import Team, User
from isf.reviews.models import ReviewMeeting
from isf.segmentation.models import Segment
from isf.targets import selectors, services
from isf.targets.choices import Metric, PlanStatus, Scope
from isf.targets.models import TargetPlan
from isf.targets.periods import PeriodError, current_period, parse_period, periods_of_year
from isf.targets.services import IMPORT_COLUMNS, TargetError

LEADS = (Role.SALES_LEAD, Role.INSIDE_LEAD)


def _period_from(request):
    raw = QueryParams(request.GET).text("period", max_length=20)
    today = timezone.localdate()
    if raw:
        try:
            return parse_period(raw), ""
        except PeriodError:
            return current_period("quarter", today), _("Unknown period '%(value)s' ignored.") % {"value": raw[:20]}
    return current_period("quarter", today), ""


def overview(request):
    period, problem = _period_from(request)
    if problem:
        messages.warning(request, problem)
    today = timezone.localdate()
    plan, rows = selectors.target_progress(period=period, user=request.user, today=today)
    quick = [current_period(kind, today) for kind in ("month", "quarter", "year")]
    return render(request, "targets/overview.html", {
        "period": period, "plan": plan, "rows": rows, "quick": quick, "plans": selectors.plans()[:30],
        "today": today, "can_create": True,
    })


@require_POST
def plan_new(request):
    try:
        plan = services.target_plan_create(period=request.POST.get("period", ""), note=request.POST.get("note", ""),
                                           actor=request.user)
    except TargetError as exc:
        messages.error(request, str(exc))
        return redirect("targets:overview")
    messages.success(request, _("Draft version %(version)s for %(period)s created.")
                     % {"version": plan.version, "period": plan.period})
    return redirect("targets:plan", pk=plan.pk)


def _plan_context(plan, **extra):
    targets = list(plan.targets.order_by("period_start", "-period_end", "scope", "code", "metric"))
    meetings = ReviewMeeting.objects.filter(status="planned").order_by("scheduled_at")[:5]
    return {
        "plan": plan, "targets": targets, "events": plan.events.select_related("actor")[:30],
        "history": history_for(plan, limit=20), "periods": [p.code for p in periods_of_year(plan.period_start.year)
                                                           if parse_period(plan.period).contains(p)],
        "scopes": Scope.choices, "metrics": Metric.choices, "columns": IMPORT_COLUMNS,
        "segments": Segment.objects.order_by("precedence", "code"), "teams": Team.objects.order_by("code"),
        "reps": User.objects.filter(role=Role.FIELD_REP, is_active=True).order_by("username"),
        "is_draft": plan.status == PlanStatus.DRAFT, "meetings": meetings, **extra,
    }


def plan_detail(request, pk: int):
    plan = get_object_or_404(TargetPlan.objects.select_related("sales_lead", "inside_lead", "meeting"), pk=pk)
    return render(request, "targets/plan.html", _plan_context(plan))


@require_POST
def target_set(request, pk: int):
    plan = get_object_or_404(TargetPlan, pk=pk)
    p = request.POST
    try:
        services.target_set(plan=plan, period=p.get("period", ""), scope=p.get("scope", ""), code=p.get("code", ""),
                            metric=p.get("metric", ""), value=p.get("value", ""),
                            actor=request.user)
    except TargetError as exc:
        return render(request, "targets/plan.html", _plan_context(plan, error=exc, posted=p), status=400)
    messages.success(request, _("Target saved."))
    return redirect("targets:plan", pk=plan.pk)


@require_POST
def target_delete(request, pk: int, target_id: int):
    plan = get_object_or_404(TargetPlan, pk=pk)
    try:
        services.target_delete(plan=plan, target_id=target_id, actor=request.user)
    except TargetError as exc:
        messages.error(request, str(exc))
    return redirect("targets:plan", pk=plan.pk)


def _rows(upload):
    """The uploaded table as (row number, {column: text}) pairs; FileFormatError for a broken file."""
    suffix = Path(upload.name or "").suffix.lower()
    kind = "xlsx" if suffix in {".xlsx", ".xlsm"} else "csv"
    with tempfile.NamedTemporaryFile(suffix=f".{kind}", delete=False) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
    try:
        with open_table(tmp.name, kind_hint=kind, max_bytes=max_upload_bytes(),
                        display_name=(upload.name or "file")[:100]) as table:
            header = [h.strip().lower() for h in table.header]
            missing = [c for c in IMPORT_COLUMNS if c not in header]
            if missing:
                raise TargetError(_("file: the columns %(missing)s are missing (expected: %(columns)s)")
                                  % {"missing": ", ".join(missing), "columns": ", ".join(IMPORT_COLUMNS)}, "file")
            sep = getattr(table.dialect, "decimal_separator", ".")
            rows = []
            for number, row in table:
                values = {k.strip().lower(): (v or "") for k, v in row.items()}
                try:  # the file's decimal separator (a German CSV writes 1.200,50); a bad number is the service's
                    values["target"] = parse_decimal(values.get("target", ""), sep)
                except ValueParseError:
                    pass
                rows.append((number, values))
                if len(rows) > 20000:
                    raise TargetError(_("file: more than 20,000 targets"), "file")
            return rows
    finally:
        os.unlink(tmp.name)


@require_POST
def plan_import(request, pk: int):
    plan = get_object_or_404(TargetPlan, pk=pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise TargetError(_("file: choose a CSV or Excel file"), "file")
        if upload.size > max_upload_bytes():
            raise TargetError(_("file: the file is too large"), "file")
        n = services.targets_import(plan=plan, rows=_rows(upload), actor=request.user)
    except FileFormatError as exc:
        return render(request, "targets/plan.html", _plan_context(plan, import_error=str(exc)), status=400)
    except TargetError as exc:
        return render(request, "targets/plan.html", _plan_context(plan, import_error=str(exc)), status=400)
    messages.success(request, _("%(n)s targets imported.") % {"n": n})
    return redirect("targets:plan", pk=plan.pk)


def plan_template(request, pk: int):
    """The plan's targets as a CSV in the import's columns (a starting point for the next year's file)."""
    plan = get_object_or_404(TargetPlan, pk=pk)
    rows = [list(IMPORT_COLUMNS)]
    rows += [[t.period, t.scope, t.code, t.metric, t.value] for t in plan.targets.order_by(
        "period_start", "-period_end", "scope", "code", "metric")]
    return csv_response(rows, f"targets-{plan.period}-v{plan.version}.csv")


@require_POST
def plan_agree(request, pk: int):
    plan = get_object_or_404(TargetPlan, pk=pk)
    meeting = None
    raw = request.POST.get("meeting", "")
    if raw:
        meeting_id = parse_id(raw)
        meeting = ReviewMeeting.objects.filter(pk=meeting_id).first() if meeting_id else None
        if meeting is None:
            raise Http404
    try:
        plan = services.target_plan_agree(plan=plan, actor=request.user, meeting=meeting)
    except TargetError as exc:
        messages.error(request, str(exc))
    else:
        if plan.status == PlanStatus.AGREED:
            messages.success(request, _("Targets %(period)s version %(version)s agreed.")
                             % {"period": plan.period, "version": plan.version})
        else:
            messages.success(request, _("Your agreement is recorded; the other lead's is still missing."))
    if meeting is not None and request.POST.get("back") == "meeting":
        return redirect(meeting)
    return redirect("targets:plan", pk=plan.pk)
