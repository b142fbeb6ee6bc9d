"""Recording what the customer told us from the customer screen (``calls:capture``). Thin: the writes are
``isf.customers.services``'s."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from isf.calls.capture_forms import CaptureForm
from isf.calls.selectors import is_read_only, screen_account
from isf.core.params import QueryParams
from isf.customers.services import CaptureError, contact_capture, need_record, potential_record


def contact_choices(account) -> list[dict]:
    return [{"id": c["id"], "name": f"{c['first_name']} {c['last_name']}".strip()}
            for c in account.contacts.values("id", "first_name", "last_name")]


def capture_record(form: CaptureForm, *, account, user) -> list[str]:
    """Record every filled part of the form in one transaction; returns what was recorded (for the message)."""
    data, done = form.cleaned_data, []
    with transaction.atomic():
        if form.has_need():
            need_record(account=account, product_group=data.get("need_group"), user=user,
                        expected_volume=data.get("need_volume"), timing=data.get("need_timing") or "",
                        note=data.get("need_note") or "", source="call")
            done.append(_("need"))
        if form.has_potential():
            potential_record(account=account, value=data["potential"], user=user,
                             source=data.get("potential_source") or "call", note=data.get("potential_note") or "")
            done.append(_("potential estimate"))
        if form.has_contact():
            contact = account.contacts.filter(pk=data["contact"]).first() if data.get("contact") else None
            if data.get("contact") and contact is None:
                raise CaptureError(_("Choose a contact of this account."), "contact")
            contact_capture(account=account, user=user, contact=contact, first_name=data["contact_first_name"],
                            last_name=data["contact_last_name"], function=data["contact_function"],
                            buying_role=data["contact_role"], email=data["contact_email"])
            done.append(_("contact"))
    return done


@require_POST
def capture(request):
    from isf.calls.views import _screen_context, _screen_url

    params = QueryParams(request.POST, strict=True)
    phone = params.text("phone", max_length=20)
    account = screen_account(request.user, params.id("account") or 0, phone)
    if account is None:
        raise Http404
    form = CaptureForm(request.POST, contacts=contact_choices(account))
    if is_read_only(request.user, account):
        form.is_valid()
        form.add_error(None, _("This customer is outside your segments: tell the owning team instead."))
    elif form.is_valid():
        try:
            done = capture_record(form, account=account, user=request.user)
        except CaptureError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Recorded: %(what)s. The field rep is notified.") % {"what": ", ".join(done)})
            return redirect(_screen_url(account, phone))
    context = {"q": "", "found": None, "lead_url": None}
    context.update(_screen_context(request, account, phone=phone, capture_form=form))
    return render(request, "calls/screen.html", context, status=400)
