"""The work queue pages: list (with inline claim/complete via htmx), task page, reschedule; coverage.

The care-matrix pages live in matrix_views.py; `matrix_pdf` is re-exported here because
config/urls.py mounts it under /segments/<code>/matrix.pdf.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from isf.core.params import QueryParams
from isf.customers.selectors import accounts_visible_to
from isf.org.models import Team
from isf.planning import services
from isf.planning.choices import CALL_KINDS, TaskKind, TaskOutcome
from isf.planning.coverage import overdue_accounts, planned_vs_done
from isf.planning.forms import CompleteForm, KindWeightsForm, RescheduleForm
from isf.planning.matrix_views import matrix_detail, matrix_edit, matrix_list, matrix_pdf  # noqa: F401
from isf.planning.models import Task
from isf.planning.priority import priorities_refresh_stale, team_kind_weights
from isf.planning.selectors import queue_filters, work_queue

PAGE_SIZE = 25
OVERDUE_PAGE_SIZE = 50


def _visible_tasks(user):
    if user.is_lead:
        return Task.objects.all()
    condition = Q(assignee=user)
    if user.team_id:
        condition |= Q(team_id=user.team_id)
    condition |= Q(account__in=accounts_visible_to(user), side="field", assignee=user)
    return Task.objects.filter(condition)


def _is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False)) and not request.htmx.boosted


@login_required
def queue(request):
    query = QueryParams(request.GET)
    filters = queue_filters(query)
    page_number = query.page()
    query.warn(request)
    scope, kind = filters["scope"], filters["kind"]
    priorities_refresh_stale()
    qs = work_queue(user=request.user, include_team=scope != "mine", kind=kind)
    page = Paginator(qs, PAGE_SIZE).get_page(page_number)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "planning/queue.html",
        {
            "page": page, "tasks": page.object_list, "kind": kind, "scope": scope, "kinds": TaskKind.choices,
            "querystring": params.urlencode(), "complete_form": CompleteForm(), "now": timezone.now(),
        },
    )


@login_required
def task_detail(request, pk: int):
    return _detail(request, pk)


def _detail(request, pk: int, reschedule_form=None, status: int = 200):
    task = get_object_or_404(_visible_tasks(request.user).select_related("account", "contact", "team", "assignee"), pk=pk)
    return render(
        request,
        "planning/task_detail.html",
        {
            "task": task,
            "events": task.events.select_related("actor"),
            "complete_form": CompleteForm(kind=task.kind),
            "reschedule_form": reschedule_form or RescheduleForm(),
        },
        status=status,
    )


def _row(request, task_id: int, error: str = ""):
    task = Task.objects.select_related("account", "team", "assignee").get(pk=task_id)
    return render(request, "planning/_task_row.html",
                  {"t": task, "row_error": error, "complete_form": CompleteForm(), "now": timezone.now()})


@login_required
@require_POST
def task_claim(request, pk: int):
    task = get_object_or_404(_visible_tasks(request.user), pk=pk)
    error = ""
    try:
        services.task_claim(task_id=task.pk, user=request.user)
    except services.TaskError as exc:
        error = _("Could not claim the task: %(reason)s") % {"reason": exc}
    if _is_htmx(request):
        return _row(request, task.pk, error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Task claimed."))
    return redirect("planning:task-detail", pk=pk)


@login_required
@require_POST
def task_take_next(request):
    """Claim the first unclaimed task of my team's queue (the highest priority) and open it."""
    priorities_refresh_stale()
    task = services.task_claim_next(user=request.user)
    if task is None:
        messages.info(request, _("No unclaimed tasks in your team's queue."))
        return redirect("planning:queue")
    messages.success(request, _("Task claimed."))
    return redirect("planning:task-detail", pk=task.pk)


@login_required
@require_POST
def task_complete(request, pk: int):
    task = get_object_or_404(_visible_tasks(request.user), pk=pk)
    form = CompleteForm(request.POST, kind=task.kind)
    error = ""
    if not form.is_valid():
        error = "; ".join(str(e) for errs in form.errors.values() for e in errs) if form.data.get("outcome") \
            else _("Please choose an outcome.")
    else:
        data = dict(form.cleaned_data)
        order = {"order_value": data.pop("order_value", None), "order_groups": data.pop("order_groups", None) or []}
        try:
            if data["outcome"] == TaskOutcome.SALE and task.account_id and task.kind in CALL_KINDS:
                # an order taken on a call from the queue: logged as a call, so it is matched to its ERP order
                from isf.calls.services import CallLogError, task_complete_with_order

                try:
                    task_complete_with_order(task=task, user=request.user, note=data["note"], **order)
                except CallLogError as exc:
                    raise services.TaskError(exc.message, field=exc.field) from exc
            else:
                services.task_complete(task=task, user=request.user, **data)
        except services.TaskError as exc:
            error = _("Could not complete the task: %(reason)s") % {"reason": exc}
    if _is_htmx(request):
        return _row(request, task.pk, error)
    if error:
        messages.error(request, error)
        return redirect("planning:task-detail", pk=pk)
    messages.success(request, _("Task completed."))
    return redirect("planning:queue")


@login_required
@require_POST
def task_reschedule(request, pk: int):
    task = get_object_or_404(_visible_tasks(request.user), pk=pk)
    form = RescheduleForm(request.POST)
    if form.is_valid():
        try:
            services.task_reschedule(task=task, user=request.user, **form.cleaned_data)
        except services.TaskError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("Task rescheduled."))
            return redirect("planning:task-detail", pk=pk)
    # show the form again with the error at its field, nothing changed
    return _detail(request, pk, reschedule_form=form, status=400)


def coverage(request):
    query = QueryParams(request.GET)
    days = query.integer("days", 90, choices=(30, 90, 180, 365))
    page_number = query.page()
    query.warn(request)
    count, overdue, per_segment = overdue_accounts()
    page = Paginator(overdue, OVERDUE_PAGE_SIZE).get_page(page_number)
    params = request.GET.copy()
    params.pop("page", None)
    by_segment = planned_vs_done(days=days, group="segment")
    chart = {
        "labels": [row["key"] for row in by_segment],
        "planned": [row["planned"] for row in by_segment],
        "done": [row["done"] for row in by_segment],
        "label_planned": _("planned"),
        "label_done": _("done"),
    }
    return render(
        request,
        "planning/coverage.html",
        {
            "days": days, "by_segment": by_segment, "by_team": planned_vs_done(days=days, group="team"),
            "by_rep": planned_vs_done(days=days, group="rep"), "overdue_count": count, "overdue": page.object_list,
            "page": page, "querystring": params.urlencode(),
            "overdue_per_segment": sorted(per_segment.items()), "chart": chart,
        },
    )


def kind_weights(request, code: str):
    """The IDL sets how much each kind of work weighs in the team's queue; saving re-ranks its open tasks."""
    team = get_object_or_404(Team, code=code)
    rows = team_kind_weights(team)
    form = KindWeightsForm(request.POST or None, rows=rows)
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services.kind_weights_set(team=team, weights=form.cleaned_data, user=request.user)
            except services.TaskError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, _("Weights saved: %(n)s tasks re-ranked.") % {"n": changed})
                return redirect("planning:weights", code=team.code)
        return render(request, "planning/weights.html", {"team": team, "form": form}, status=400)
    return render(request, "planning/weights.html", {"team": team, "form": form})
