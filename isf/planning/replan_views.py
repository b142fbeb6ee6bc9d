"""The re-plan page: the rep's planned visits overdue beyond their care interval, to drop or give a new date."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import ngettext

from isf.core.params import QueryParams
from isf.planning.field_day import field_day, visits_replan_drop
from isf.planning.plan import care_interval_days


def replan(request):
    """Who may open it: the page access table (isf/core/access.py, ``planning:replan``)."""
    if request.method == "POST":
        ticked = QueryParams(request.POST).ids("task")  # "x", "²" or 23 nines are left out, never a database error
        dropped = visits_replan_drop(user=request.user, task_ids=ticked)
        messages.success(request, ngettext("%(n)d visit dropped; the next planned visit stays.",
                                           "%(n)d visits dropped; the next planned visits stay.", dropped)
                         % {"n": dropped})
        return redirect("planning:replan")
    stale = field_day(request.user).replan
    rows = [{"task": t, "interval": round(care_interval_days(t.dedupe_key))} for t in stale]
    return render(request, "planning/replan.html", {"rows": rows})
