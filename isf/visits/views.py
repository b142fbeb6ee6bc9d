"""Visit reports on a phone: pick the account, fill the template's sections, send (also offline-safe)."""

import uuid

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from isf.calls import sources
from isf.core.params import QueryParams
from isf.customers.selectors import accounts_visible_to
from isf.org.choices import Role
from isf.planning.models import Task
from isf.visits import selectors
from isf.visits.choices import ALL_SECTIONS, Section
from isf.visits.forms import VisitReportForm
from isf.visits.models import VisitReport, VisitType
from isf.visits.services import VisitReportError, VisitReportInput, visit_report_create


def follow_up_choices(account) -> list[tuple[str, str]]:
    """The catalog services the account may order, named in the active language."""
    return [(s["code"], s["name"]) for s in sources.service_catalog(account)]


def _form_context(request, account, form, task=None):
    types = selectors.visit_types()
    selected = form["visit_type"].value() or next((t.code for t in types if t.is_default), types[0].code if types else "")
    shown = next((t.sections for t in types if t.code == selected), ALL_SECTIONS)
    return {"account": account, "form": form, "types": types, "shown": shown, "task": task,
            "sections": {s.value: s.label for s in Section}}


def _build_form(request, account, data=None):
    contacts = list(account.contacts.exclude(status="left").order_by("last_name")) if account else []
    return VisitReportForm(data, contacts=contacts, visit_types=selectors.visit_types(),
                           follow_ups=follow_up_choices(account) if account else [],
                           initial={"client_id": uuid.uuid4().hex, "account": account.pk if account else None})


def _wants_json(request) -> bool:
    return request.headers.get("X-ISF-Async") == "1"


def new(request):
    visible = accounts_visible_to(request.user)
    if request.method == "POST":
        return _submit(request, visible)
    query = QueryParams(request.GET, strict=True)  # an account or task id that is no id: 400
    account_id = query.id("account")
    if not account_id:
        q = query.text("q")
        return render(request, "visits/pick.html", {
            "planned": selectors.planned_visits_today(request.user),
            "overdue": selectors.overdue_visits(request.user),
            "recent": selectors.recent_accounts(request.user),
            "q": q, "results": selectors.account_choices(request.user, q) if q else None,
        })
    account = get_object_or_404(visible, pk=account_id)
    task_id = query.id("task")
    task = Task.objects.filter(pk=task_id, account=account).first() if task_id else None
    form = _build_form(request, account)
    if task:
        form.initial["task"] = task.pk
    return render(request, "visits/form.html", _form_context(request, account, form, task))


def _parse(form, account, user) -> VisitReportInput:
    d = form.cleaned_data
    contacts_by_pk = {c.pk: c for c in account.contacts.all()} if account else {}
    visit_type = VisitType.objects.filter(code=d.get("visit_type")).first()
    shown = set(visit_type.sections if visit_type else ALL_SECTIONS)
    new_contact = None
    if (d.get("new_contact_last") or d.get("new_contact_first") or "").strip():
        new_contact = {"first_name": d["new_contact_first"], "last_name": d["new_contact_last"],
                       "function": d["new_contact_function"], "buying_role": d["new_contact_role"]}
    competitors = []
    if "competitors" in shown:
        for i in range(1, 4):
            name = (d.get(f"competitor_{i}") or "").strip()
            if name:
                competitors.append({"name": name, "share_percent": d.get(f"competitor_share_{i}")})
    company_change = None
    if "company" in shown and d.get("change_kind"):
        company_change = {"kind": d["change_kind"], "description": d.get("change_description", "")}
    contact_changes = []
    if "contacts" in shown and (d.get("contact_change_kind") or d.get("contact_change_contact")):
        contact_changes.append({"contact": contacts_by_pk.get(d.get("contact_change_contact")),
                                "kind": d.get("contact_change_kind"), "date": d.get("contact_change_date")})
    follow_ups = []
    if "follow_up" in shown and d.get("follow_up"):
        follow_ups.append({"code": d["follow_up"], "note": d.get("follow_up_note", "")})
    task = None
    if d.get("task") and account:
        task = Task.objects.filter(pk=d["task"]).first()
    return VisitReportInput(
        account=account, visit_date=d.get("visit_date"), visit_type=visit_type, client_id=d["client_id"],
        contacts=[contacts_by_pk[pk] for pk in d.get("contacts") or [] if pk in contacts_by_pk],
        new_contact=new_contact, summary=d.get("summary", ""),
        needs=d.get("needs", "") if "needs" in shown else "",
        potential_estimate=d.get("potential_estimate") if "needs" in shown else None,
        competitors=competitors, company_change=company_change, contact_changes=contact_changes,
        agreements=d.get("agreements", "") if "agreements" in shown else "",
        next_steps=d.get("next_steps", "") if "next_steps" in shown else "",
        follow_ups=follow_ups, task=task,
    )


def _submit(request, visible):
    account = None
    raw_account = request.POST.get("account", "").strip()
    if raw_account:
        try:
            account = visible.select_related("segment", "team", "owner").get(pk=int(raw_account))
        except (ValueError, visible.model.DoesNotExist):
            account = None
    client_id = QueryParams(request.POST).text("client_id")  # control characters: the form refuses the id
    existing = VisitReport.objects.filter(client_id=client_id, author=request.user).first() if client_id else None
    if existing is not None:  # a resend of a report already stored (offline retry, double tap)
        if _wants_json(request):
            return JsonResponse({"ok": True, "created": False, "id": existing.pk, "url": existing.get_absolute_url()})
        return redirect(existing.get_absolute_url())
    if account is None:
        message = _("Choose the account you visited.")
        if _wants_json(request):
            return JsonResponse({"ok": False, "errors": {"account": [message]}, "field": "account",
                                 "message": message}, status=400)
        return render(request, "visits/pick.html", {
            "planned": selectors.planned_visits_today(request.user), "overdue": selectors.overdue_visits(request.user),
            "recent": selectors.recent_accounts(request.user),
            "q": "", "results": None, "error": message,
        }, status=400)
    form = _build_form(request, account, request.POST)
    error_field = None
    if form.is_valid():
        try:
            report, created = visit_report_create(author=request.user, data=_parse(form, account, request.user))
        except VisitReportError as exc:
            error_field = exc.field
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if _wants_json(request):
                return JsonResponse({"ok": True, "created": created, "id": report.pk, "url": report.get_absolute_url()})
            messages.success(request, _("Visit report saved."))
            return redirect(report.get_absolute_url())
    if _wants_json(request):
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        message = "; ".join(e for errs in errors.values() for e in errs)
        return JsonResponse({"ok": False, "errors": errors, "field": error_field, "message": message}, status=400)
    return render(request, "visits/form.html", _form_context(request, account, form), status=400)


def detail(request, pk: int):
    report = get_object_or_404(
        selectors.reports_visible_to(request.user).select_related("account", "author", "visit_type", "task"), pk=pk)
    changed = {c.contact_id: c for c in report.contact_changes.select_related("contact")}
    return render(request, "visits/detail.html", {
        "report": report, "contacts": list(report.contacts.all()), "competitors": list(report.competitors.all()),
        "changes": list(report.change_events.all()), "contact_changes": list(changed.values()),
        "follow_ups": selectors.follow_ups_of(report),
    })


def report_list(request):
    qs = selectors.reports_visible_to(request.user).select_related("account", "author", "visit_type")
    if request.user.role == Role.FIELD_REP:
        qs = qs.filter(author=request.user)
    return render(request, "visits/list.html", {"reports": qs[:50]})
