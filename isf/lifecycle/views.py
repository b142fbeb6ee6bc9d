"""Lifecycle pages: phase overview with the rules (sales lead edits), an account's phase history with override."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from isf.core.access import can
from isf.core.audit import history_for
from isf.core.numbers import NumberParseError, parse_number
from isf.core.params import shown
from isf.customers.selectors import accounts_visible_to
from isf.lifecycle.choices import Phase
from isf.lifecycle.models import LifecycleRules
from isf.lifecycle.selectors import phase_changes_for, phase_counts, recent_changes
from isf.lifecycle.services import RULE_FIELDS, LifecycleError, lifecycle_rules_update, lifecycle_set_phase


def overview(request):
    rules = LifecycleRules.current()
    error = None
    if request.method == "POST":
        data = {}
        try:
            for field in RULE_FIELDS:
                raw = request.POST.get(field, "")
                label = LifecycleRules._meta.get_field(field).verbose_name
                try:  # the one reading of typed numbers (German 1,5 / English 1.5)
                    number = parse_number(raw)
                except NumberParseError:
                    raise LifecycleError(_("Enter “%(label)s” as a number; “%(value)s” is not one.")
                                         % {"label": label, "value": shown(raw)}, field=field) from None
                if field != "at_risk_factor" and number != number.to_integral_value():
                    raise LifecycleError(_("“%(label)s” takes a whole number; “%(value)s” is not one.")
                                         % {"label": label, "value": shown(raw)}, field=field)
                data[field] = float(number) if field == "at_risk_factor" else int(number)
            lifecycle_rules_update(data=data, actor=request.user)
        except LifecycleError as exc:
            error = exc
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Lifecycle rules saved. They apply from the next lifecycle run."))
            return redirect("lifecycle:overview")
    fields = [(f, LifecycleRules._meta.get_field(f).verbose_name, getattr(rules, f)) for f in RULE_FIELDS]
    return render(
        request,
        "lifecycle/overview.html",
        {"counts": phase_counts(), "changes": recent_changes(50), "fields": fields, "error": error,
         "can_edit": can(request.user, "lifecycle:overview", "POST"),
         "history": history_for(rules, limit=20)},
        status=400 if error else 200,
    )


def account_phase(request, pk: int):
    account = get_object_or_404(accounts_visible_to(request.user), pk=pk)
    can_override = can(request.user, "lifecycle:account", "POST")
    if request.method == "POST":
        try:
            change = lifecycle_set_phase(account=account, phase=request.POST.get("phase", ""),
                                         reason=request.POST.get("reason", ""), actor=request.user)
        except LifecycleError as exc:
            field = {"phase": _("Lifecycle phase"), "reason": _("Reason")}.get(exc.field, exc.field)
            messages.error(request, f"{field}: {exc}")
        else:
            if change is None:
                messages.info(request, _("The account already is in this phase."))
            else:
                messages.success(request, _("Phase changed to %(phase)s.") % {"phase": change.get_to_phase_display()})
        return redirect("lifecycle:account", pk=account.pk)
    return render(
        request,
        "lifecycle/account.html",
        {"account": account, "changes": phase_changes_for(account)[:100], "phases": Phase.choices,
         "can_override": can_override},
    )


NAV_LABEL = gettext_lazy("Lifecycle")  # the menu entry (isf/core/navigation.py) finds its German text in this catalog
