"""Lead pages: catalog (with process), service contract (versions, acceptance, PDF) and the SLA report."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from isf.core.access import can
from isf.core.audit import history_for
from isf.core.params import QueryParams, parse_id
from isf.org.choices import Role
from isf.org.models import Team
from isf.segmentation.models import Segment
from isf.service import contracts, reports
from isf.service.choices import OrderStatus, TargetUnit
from isf.service.decisions import active_contract
from isf.service.errors import ServiceOrderError
from isf.service.forms import CatalogEntryForm, ContractForm
from isf.service.models import ServiceCatalogEntry, ServiceContract
from isf.service.pdf import PdfError, contract_pdf
from isf.service.service_levels import contract_body_context


def _is_lead(user) -> bool:
    return can(user, "service:catalog-edit")


@login_required
def catalog(request):
    entries = ServiceCatalogEntry.objects.prefetch_related("segments").select_related("default_team").annotate(
        open_orders=Count("orders", filter=Q(orders__status__in=[OrderStatus.NEW, OrderStatus.ACCEPTED,
                                                                  OrderStatus.IN_PROGRESS, OrderStatus.WAITING])))
    return render(request, "service/catalog.html", {"entries": entries, "can_edit": _is_lead(request.user),
                                                    "contract": active_contract()})


@login_required
def catalog_entry(request, code: str):
    entry = get_object_or_404(ServiceCatalogEntry.objects.select_related("default_team"), code=code)
    return render(request, "service/catalog_entry.html", {
        "entry": entry, "can_edit": _is_lead(request.user), "history": history_for(entry, limit=50),
        "can_order": can(request.user, "service:order-new")})


def catalog_entry_edit(request, code: str | None = None):
    entry = get_object_or_404(ServiceCatalogEntry, code=code) if code else None
    form = CatalogEntryForm(request.POST or None, instance=entry or ServiceCatalogEntry())
    if entry is None:
        from django import forms

        form.fields["code"] = forms.SlugField(label=_("Code"), max_length=40)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        data["inputs"] = form.cleaned_data["inputs_text"]
        data["process_steps"] = form.cleaned_data["steps_text"]
        if entry is None:
            data["code"] = form.cleaned_data["code"]
        try:
            saved = contracts.catalog_entry_save(user=request.user, entry=entry, data=data,
                                                 segments=form.cleaned_data["segments"])
        except ServiceOrderError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Catalog entry saved; the change is recorded."))
            return redirect("service:catalog-entry", code=saved.code)
    return render(request, "service/catalog_edit.html", {"form": form, "entry": entry})


@login_required
def contract_list(request):
    if not _is_lead(request.user):
        raise PermissionDenied
    return render(request, "service/contract_list.html", {
        "contracts": ServiceContract.objects.select_related("accepted_by_vl", "accepted_by_idl"),
        "active": active_contract()})


def _contract_context(contract: ServiceContract) -> dict:
    return contract_body_context(contract) | {"today": timezone.localdate()}


@login_required
def contract_detail(request, pk: int):
    if not _is_lead(request.user):
        raise PermissionDenied
    contract = get_object_or_404(ServiceContract.objects.select_related("accepted_by_vl", "accepted_by_idl"), pk=pk)
    user = request.user
    context = _contract_context(contract) | {
        "history": history_for(contract, limit=50),
        "can_accept": (user.role == Role.SALES_LEAD and not contract.accepted_by_vl_id)
        or (user.role == Role.INSIDE_LEAD and not contract.accepted_by_idl_id),
        "in_force": active_contract() == contract,
    }
    return render(request, "service/contract_detail.html", context)


def _segment_targets_from_post(post, code: str) -> list[dict]:
    """The service levels per segment typed for one service: fields ``st.<service>.<segment>`` (value) and
    ``stu.<service>.<segment>`` (unit); the segment is named by its code, so one that does not exist is refused by
    the service with its name."""
    prefix = f"st.{code}."
    return [{"segment": key[len(prefix):], "target_value": post.get(key),
             "target_unit": post.get(f"stu.{code}.{key[len(prefix):]}") or TargetUnit.HOURS}
            for key in post if key.startswith(prefix)]


def _lines_from_post(post) -> list[dict]:
    lines = []
    for entry in ServiceCatalogEntry.objects.all():
        if post.get(f"on_{entry.code}"):
            unit = post.get(f"unit_{entry.code}") or entry.target_unit
            lines.append({"service": entry, "target_value": post.get(f"value_{entry.code}") or entry.target_value,
                          "target_unit": unit if unit in TargetUnit.values else entry.target_unit,
                          "expected_monthly_volume": post.get(f"volume_{entry.code}") or 0,
                          "segment_targets": _segment_targets_from_post(post, entry.code)})
    return lines


def _edit_rows(contract, post) -> list[dict]:
    """The edit page's rows: per active catalog service its line and, per segment, the target as stored or, after
    a refused save, as typed (so nothing typed is lost: the line's level, volume and tick too)."""
    lines = contract.lines.prefetch_related("segment_targets") if contract else []
    current = {line.service_id: line for line in lines}
    segments = list(Segment.objects.all())
    rows = []
    for entry in ServiceCatalogEntry.objects.filter(active=True).prefetch_related("segments"):
        line = current.get(entry.pk)
        own = {t.segment_id: t for t in line.segment_targets.all()} if line else {}
        offered = {s.pk for s in entry.segments.all()}
        cells = []
        for segment in segments:
            target = own.get(segment.pk)
            key = f"st.{entry.code}.{segment.code}"
            cells.append({"segment": segment, "name": key, "unit_name": f"stu.{entry.code}.{segment.code}",
                          "target": target, "typed": post.get(key) if post is not None else None,
                          "unit": (post.get(f"stu.{entry.code}.{segment.code}") if post is not None else None)
                          or (target.target_unit if target else entry.target_unit),
                          "offered": not offered or segment.pk in offered})
        typed = {} if post is None else {"typed_value": post.get(f"value_{entry.code}"),
                                          "typed_volume": post.get(f"volume_{entry.code}"),
                                          "typed_on": bool(post.get(f"on_{entry.code}"))}
        rows.append({"entry": entry, "line": line, "on": entry.pk in current or contract is None, "cells": cells, **typed,
                     "not_offered": [c["segment"] for c in cells if not c["offered"]]})
    return rows


def contract_edit(request, pk: int | None = None):
    contract = get_object_or_404(ServiceContract, pk=pk) if pk else None
    if contract is not None and contract.is_accepted:
        messages.error(request, _("Contract %(contract)s is accepted by both leads and cannot be changed; "
                                  "create a new version.") % {"contract": contract})
        return redirect("service:contract-detail", pk=contract.pk)
    if contract is None:
        year = timezone.localdate().year + 1
        initial = {"period": str(year), "valid_from": date(year, 1, 1), "valid_to": date(year, 12, 31)}
        form = ContractForm(request.POST or None, initial=initial)
    else:
        form = ContractForm(request.POST or None, instance=contract)
    if request.method == "POST" and form.is_valid():
        try:
            saved = contracts.contract_save(user=request.user, contract=contract, data=form.cleaned_data,
                                            lines=_lines_from_post(request.POST))
        except ServiceOrderError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Contract saved. Both leads must accept it before it is in force."))
            return redirect("service:contract-detail", pk=saved.pk)
    rows = _edit_rows(contract, request.POST if request.method == "POST" else None)
    return render(request, "service/contract_edit.html", {"form": form, "contract": contract, "rows": rows,
                                                          "units": TargetUnit.choices,
                                                          "segments": list(Segment.objects.all())})


@login_required
@require_POST
def contract_accept(request, pk: int):
    contract = get_object_or_404(ServiceContract, pk=pk)
    try:
        contracts.contract_accept(user=request.user, contract=contract)
        messages.success(request, _("You accepted the contract."))
    except ServiceOrderError as exc:
        messages.error(request, exc.message)
    return redirect("service:contract-detail", pk=pk)


@require_POST
def contract_new_version(request, pk: int):
    contract = get_object_or_404(ServiceContract, pk=pk)
    try:
        copy = contracts.contract_new_version(user=request.user, contract=contract)
    except ServiceOrderError as exc:
        messages.error(request, exc.message)
        return redirect("service:contract-detail", pk=pk)
    messages.success(request, _("New version %(version)s created as a draft.") % {"version": copy.version})
    return redirect("service:contract-edit", pk=copy.pk)


@login_required
def contract_print(request, pk: int):
    if not _is_lead(request.user):
        raise PermissionDenied
    contract = get_object_or_404(ServiceContract, pk=pk)
    return render(request, "service/contract_print.html", _contract_context(contract) | {"printable": True})


@login_required
def contract_pdf_view(request, pk: int):
    if not _is_lead(request.user):
        raise PermissionDenied
    contract = get_object_or_404(ServiceContract, pk=pk)
    try:
        data = contract_pdf(contract)
    except PdfError as exc:
        messages.error(request, str(exc))
        return redirect("service:contract-detail", pk=pk)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dienstleistungsvertrag-{contract.period}-v{contract.version}.pdf"'
    return response


def _period(query) -> tuple[date, date, int | None]:
    """``from``/``to`` (months, ``YYYY-MM``) and ``team`` (id) of the SLA report and its CSV."""
    from isf.org.models import Team

    today = timezone.localdate()
    default_start = date(today.year - (today.month <= 6), (today.month + 5) % 12 + 1, 1)
    start = query.month("from") or default_start
    end_month = query.month("to") or today.replace(day=1)
    end = date(end_month.year + (end_month.month == 12), end_month.month % 12 + 1, 1)
    team_id = query.lookup("team", lambda raw: Team.objects.filter(pk=parse_id(raw)).values_list(
        "pk", flat=True).first() if parse_id(raw) else None)
    return start, end, team_id


def sla_report(request):
    query = QueryParams(request.GET)
    start, end, team_id = _period(query)
    query.warn(request)
    report = reports.sla_report(start=start, end=end, team_id=team_id)
    chart = {"labels": [s.key for s in report["by_month"]],
             "attainment": [s.attainment for s in report["by_month"]],
             "median": [s.median for s in report["by_month"]], "p90": [s.p90 for s in report["by_month"]],
             "label_attainment": _("SLA attainment %"), "label_median": _("Median lead time (business hours)"),
             "label_p90": _("P90 lead time (business hours)")}
    params = request.GET.copy()
    return render(request, "service/sla_report.html", {
        "report": report, "chart": chart, "teams": Team.objects.all(), "team_id": team_id,
        "from": start.strftime("%Y-%m"), "to": date.fromordinal(end.toordinal() - 1).strftime("%Y-%m"),
        "querystring": params.urlencode()})


def sla_report_csv(request):
    start, end, team_id = _period(QueryParams(request.GET, strict=True))  # a refused filter: 400, not a wrong file
    report = reports.sla_report(start=start, end=end, team_id=team_id)
    response = HttpResponse(reports.sla_report_csv(report), content_type="text/csv; charset=utf-8")
    last = date.fromordinal(end.toordinal() - 1)  # ``end`` is exclusive: the name says the last month it holds
    response["Content-Disposition"] = f'attachment; filename="sla-{start:%Y-%m}-{last:%Y-%m}.csv"'
    return response
