"""Customer screen (screen-pop on an inbound call), call logging and the account timeline. Thin."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from isf.calls import lookup, sources
from isf.calls.capture_forms import CaptureForm
from isf.calls.forms import CallLogForm
from isf.calls.selectors import (
    is_read_only,
    phone_reach,
    recent_calls,
    screen_account,
    screen_facts,
    with_screen_flags,
)
from isf.calls.services import CallLogError, call_log_create
from isf.calls.telephony import telephony_call
from isf.calls.timeline import KIND_CODES, TIMELINE_LIMIT, timeline_context
from isf.core.htmx import render_page_or_partial
from isf.core.params import QueryParams
from isf.customers.selectors import accounts_visible_to
from isf.planning.selectors import account_open_tasks

PHONE_MAX = 40  # characters of a caller's number the screen reads


def lead_url(phone: str) -> str | None:
    try:
        url = reverse("campaigns:lead-new")
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode({'phone': phone})}" if phone else url


def _open_tasks(account) -> list[dict]:
    """The account's open tasks for the tick list; those a reached call completes by itself are marked ``auto``."""
    if not getattr(account, "has_open_tasks", True):
        return []
    return [{"task": t, "auto": t.fulfilled_by_call} for t in account_open_tasks(account)]


def _screen_context(request, account, *, found=None, form=None, phone="", call_id="", capture_form=None):
    read_only = is_read_only(request.user, account)
    facts = screen_facts(account, contact=found.contact if found else None, read_only=read_only)
    services = sources.service_catalog(account)
    initial = {"started_at": timezone.now(), "call_id": call_id}
    call = telephony_call(call_id)
    if call is not None:  # the phone system's call: it started when it rang
        initial["started_at"] = call.started_at
    if found and found.contact:
        initial["contact"] = found.contact.pk
    open_tasks = _open_tasks(account)
    form = form or CallLogForm(initial=initial, contacts=facts["contacts"], services=services,
                               suggestions=facts["cross_sell"], task_ids=[t["task"].pk for t in open_tasks])
    checked = set(form["tasks"].value() or ()) if form.is_bound else set()
    for t in open_tasks:
        t["checked"] = t["auto"] or str(t["task"].pk) in {str(v) for v in checked}
    capture_form = capture_form or CaptureForm(contacts=facts["contacts"], group_rows=getattr(form, "group_rows", None))
    return {"facts": facts, "account": account, "form": form, "phone": found.e164 if found else phone,
            "calls": recent_calls(account), "read_only": read_only, "open_tasks": open_tasks,
            "capture_form": capture_form}


def _screen_url(account, phone: str = "") -> str:
    params = {"account": account.pk}
    if phone:
        params["phone_hint"] = phone
    return f"{reverse('calls:screen')}?{urlencode(params)}"


def screen(request):
    """`/call/?phone=…` for telephony screen-pop, `?q=` for the search box, `?account=` to open one.

    The caller's number finds any account an inside agent may reach on a call (read-only outside his
    segments, see ``phone_reach``); names and customer numbers only what he may see.
    """
    visible = accounts_visible_to(request.user).select_related("segment", "owner", "team")
    reach = with_screen_flags(phone_reach(request.user).select_related("segment", "owner", "team"))
    query = QueryParams(request.GET)
    phone, q = lookup.phone_from_param(query.raw("phone"))[:PHONE_MAX], query.text("q")
    call_id = query.text("call_id", max_length=100)  # the phone system's call (ringing): the log completes it
    account_id = query.id("account")  # an id that is no id: the search screen with a message
    query.warn(request)
    context = {"q": q or phone, "phone": "", "found": None, "lead_url": None, "call_id": call_id}
    found = None
    if account_id:
        hint = query.text("phone_hint", max_length=PHONE_MAX)
        account = screen_account(request.user, account_id, hint)
        if account is None:
            raise Http404
        context.update(_screen_context(request, account, phone=hint, call_id=call_id))
        return render(request, "calls/screen.html", context)
    if phone:
        found = lookup.by_phone(reach, phone)
    elif q:
        found = lookup.search(visible, q, phone_qs=reach)
    context["found"] = found
    if found is not None:
        context["phone"] = found.e164
        if found.account is not None:
            context.update(_screen_context(request, found.account, found=found, call_id=call_id))
        elif not found.accounts and found.kind == "phone" and not found.error:
            context["lead_url"] = lead_url(found.e164)
    return render(request, "calls/screen.html", context)


@require_POST
def log_call(request):
    account = None
    form_data = QueryParams(request.POST, strict=True)  # an account id that is no id: 400 with the reason
    phone = form_data.text("phone", max_length=20)
    account_id = form_data.id("account")
    if account_id:
        account = screen_account(request.user, account_id, phone)
        if account is None:
            raise Http404
    facts_contacts = list(account.contacts.values("id", "first_name", "last_name")) if account else []
    contacts = [{"id": c["id"], "name": f"{c['first_name']} {c['last_name']}".strip()} for c in facts_contacts]
    services = sources.service_catalog(account) if account else []
    task_ids = [t.pk for t in account_open_tasks(account)] if account else []
    form = CallLogForm(request.POST, contacts=contacts, services=services, task_ids=task_ids)
    if form.is_valid():
        data = form.cleaned_data
        contact = account.contacts.filter(pk=data["contact"]).first() if account and data.get("contact") else None
        try:
            call = call_log_create(
                agent=request.user, direction=data["direction"], outcome=data["outcome"], account=account,
                contact=contact, phone=phone, note=data["note"], started_at=data.get("started_at"),
                cross_sell_group=data.get("cross_sell_group"), cross_sell_accepted=data["cross_sell_accepted"],
                follow_up_due=form.follow_up_due(), service_code=data.get("service") or "",
                task_ids=data.get("tasks") or (), order_value=data.get("order_value"),
                order_groups=form.ordered_groups(), call_id=data.get("call_id") or "",
            )
        except CallLogError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            closed = call.closed_tasks.count()
            if closed:
                messages.success(request, ngettext("Call logged; %(n)d task completed.",
                                                   "Call logged; %(n)d tasks completed.", closed) % {"n": closed})
            else:
                messages.success(request, _("Call logged."))
            if account:
                return redirect(_screen_url(account, phone))
            return redirect("calls:screen")
    if account is None:
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("calls:screen")
    context = {"q": "", "found": None, "lead_url": None}
    context.update(_screen_context(request, account, form=form, phone=phone))
    return render(request, "calls/screen.html", context, status=400)


def timeline(request, pk: int):
    account = get_object_or_404(accounts_visible_to(request.user), pk=pk)
    query = QueryParams(request.GET)
    kinds = query.choice_list("kind", KIND_CODES)
    limit = query.integer("limit", TIMELINE_LIMIT, minimum=1)  # kept between the timeline's bounds
    query.warn(request)
    context = {"timeline": timeline_context(account, kinds=kinds, limit=limit)}
    return render_page_or_partial(request, "calls/timeline_page.html", context, "timeline")
