"""Care-matrix pages: list, the matrix (reads like the seed's table), edit (sales lead) and PDF."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from isf.core.access import can
from isf.core.audit import history_for
from isf.lifecycle.choices import Phase
from isf.planning.choices import ACTIVITY_CHOICES, Channel, Side, TriggerEvent
from isf.planning.matrix_selectors import entries_by_side, matrix_for, phase_measures, segment_figures
from isf.planning.matrix_services import TEXT_FIELDS, MatrixError, care_matrix_preview, care_matrix_save
from isf.planning.models import CareActivity, CareMatrix
from isf.planning.pdf import PdfError, html_to_pdf
from isf.segmentation.models import Segment

ACTIVITY_FIELDS = ["id", "activity", "title_de", "title_en", "side", "channel", "frequency_per_year",
                   "visits_by_class", "trigger_event", "offset_days"]
EXTRA_ROWS = 3


def can_edit_matrix(user) -> bool:
    return can(user, "planning:matrix-save", "POST")


def can_price_matrix(user) -> bool:
    """The leads see what a matrix costs the inside team, and try edits (what-if) before the VL saves."""
    return can(user, "planning:matrix-edit")


def _price(segment, **edited):
    from isf.capacity.matrix_price import matrix_price

    return matrix_price(segment, **edited)


def _context(segment) -> dict:
    matrix = matrix_for(segment)
    figures = segment_figures().get(segment.pk, {})
    context = {"segment": segment, "matrix": matrix, "figures": figures}
    if matrix is not None:
        context.update({"by_side": entries_by_side(matrix), "phases": phase_measures(matrix),
                        "activities": list(matrix.activities.all())})
    return context


def matrix_list(request):
    matrices = {m.segment_id: m for m in CareMatrix.objects.prefetch_related("activities")}
    figures = segment_figures()
    rows = [
        {"segment": s, "matrix": matrices.get(s.pk), "fig": figures.get(s.pk, {})}
        for s in Segment.objects.select_related("team")
    ]
    return render(request, "planning/matrix_list.html", {"rows": rows})


def matrix_detail(request, code: str):
    segment = get_object_or_404(Segment, code=code)
    context = _context(segment)
    context["can_edit"] = can_edit_matrix(request.user)
    context["can_price"] = can_price_matrix(request.user)
    if context["matrix"] is not None and context["can_price"]:
        context["price"] = _price(segment)
    if context["matrix"] is not None:
        context["history"] = history_for(context["matrix"], limit=30)
        context["activity_history"] = (
            CareActivity.history.filter(matrix_id=context["matrix"].pk)
            .select_related("history_user")
            .order_by("-history_date")[:30]
        )
    return render(request, "planning/matrix_detail.html", context)


def _rows_from_post(post) -> list[dict]:
    rows = []
    try:
        count = int(post.get("rows", "0") or 0)
    except ValueError:  # hostile input: a row count that is not a number reads as no rows
        count = 0
    for i in range(min(count, 200)):
        row = {f: post.get(f"a-{i}-{f}", "").strip() for f in ACTIVITY_FIELDS}
        row["phases"] = post.getlist(f"a-{i}-phases")
        if post.get(f"a-{i}-delete"):
            continue
        if not row["id"] and not row["title_de"]:
            continue  # an empty extra row
        rows.append(row)
    return rows


def matrix_edit(request, code: str):
    can_save = can_edit_matrix(request.user)
    segment = get_object_or_404(Segment, code=code)
    matrix = matrix_for(segment) or CareMatrix(segment=segment)
    error = None
    price = None
    what_if = request.method == "POST" and bool(request.POST.get("preview"))
    if request.method == "POST" and not what_if and not can_save:
        raise PermissionDenied
    if what_if:
        try:
            classes, activities = care_matrix_preview(
                segment=segment, potential_classes=request.POST.get("potential_classes", ""),
                activities=_rows_from_post(request.POST))
        except MatrixError as exc:
            error = exc
        else:
            price = _price(segment, activities=activities, potential_classes=classes)
    if request.method == "POST" and not what_if:
        rows = _rows_from_post(request.POST)
        try:
            care_matrix_save(
                segment=segment,
                texts={f: request.POST.get(f, "") for f in TEXT_FIELDS},
                potential_classes=request.POST.get("potential_classes", ""),
                call_counts_as_visit=bool(request.POST.get("call_counts_as_visit")),
                activities=rows,
                actor=request.user,
            )
        except MatrixError as exc:
            error = exc
        else:
            messages.success(request, _("Care matrix %(code)s saved.") % {"code": segment.code})
            return redirect("planning:matrix", code=segment.code)
    if request.method == "POST":
        texts = {f: request.POST.get(f, "") for f in TEXT_FIELDS}
        classes_text = request.POST.get("potential_classes", "")
        flag = bool(request.POST.get("call_counts_as_visit"))
        rows = [dict(r, phase_list=r["phases"]) for r in _rows_from_post(request.POST)]
    else:
        texts = {f: getattr(matrix, f) for f in TEXT_FIELDS}
        classes_text = ", ".join(f"{c}: {m}" for c, m in matrix.potential_classes)
        flag = matrix.call_counts_as_visit
        rows = []
        if matrix.pk:
            for a in matrix.activities.all():
                rows.append({"id": a.pk, "activity": a.activity, "title_de": a.title_de, "title_en": a.title_en,
                             "side": a.side, "channel": a.channel, "frequency_per_year": a.frequency_per_year or "",
                             "visits_by_class": a.visits_text().replace(": ", ":"), "trigger_event": a.trigger_event,
                             "offset_days": "" if a.offset_days is None else a.offset_days, "phase_list": a.phase_list})
    rows += [{"phase_list": []} for _i in range(EXTRA_ROWS)]
    if price is None and not error:
        price = _price(segment) if matrix.pk else None
    context = {
        "segment": segment, "matrix": matrix, "texts": texts, "classes_text": classes_text, "flag": flag,
        "rows": rows, "row_count": len(rows), "error": error, "price": price, "what_if": what_if and not error,
        "can_save": can_save,
        "activity_choices": ACTIVITY_CHOICES, "side_choices": Side.choices, "channel_choices": Channel.choices,
        "trigger_choices": TriggerEvent.choices, "phase_choices": Phase.choices,
        "text_fields": [(f, CareMatrix._meta.get_field(f).verbose_name, texts[f]) for f in TEXT_FIELDS],
    }
    return render(request, "planning/matrix_edit.html", context, status=400 if error else 200)


def matrix_pdf(request, code: str):
    segment = get_object_or_404(Segment, code=code)
    context = _context(segment)
    html = render_to_string("planning/matrix_print.html", context, request=request)
    try:
        data = html_to_pdf(html)
    except PdfError as exc:
        return HttpResponse(_("The PDF could not be created: %(reason)s") % {"reason": exc}, status=503,
                            content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type="application/pdf")
    prefix = _("care-matrix")
    filename = f"{prefix}-{segment.code}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
