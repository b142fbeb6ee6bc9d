"""The work queue pages: list, task page, claim / complete / reschedule."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from isf.customers.selectors import accounts_visible_to
from isf.planning import services
from isf.planning.forms import CompleteForm, RescheduleForm
from isf.planning.models import Task
from isf.planning.selectors import work_queue


def _visible_tasks(user):
    if user.is_lead:
        return Task.objects.all()
    condition = Q(assignee=user)
    if user.team_id:
        condition |= Q(team_id=user.team_id)
    condition |= Q(account__in=accounts_visible_to(user), side="field", assignee=user)
    return Task.objects.filter(condition)


@login_required
def queue(request):
    qs = work_queue(user=request.user)
    kind = request.GET.get("kind", "")
    if kind:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "planning/queue.html",
        {"page": page, "tasks": page.object_list, "kind": kind, "querystring": params.urlencode()},
    )


@login_required
def task_detail(request, pk: int):
    task = get_object_or_404(_visible_tasks(request.user).select_related("account", "contact", "team", "assignee"), pk=pk)
    return render(
        request,
        "planning/task_detail.html",
        {
            "task": task,
            "events": task.events.select_related("actor"),
            "complete_form": CompleteForm(),
            "reschedule_form": RescheduleForm(),
        },
    )


@login_required
@require_POST
def task_claim(request, pk: int):
    task = get_object_or_404(_visible_tasks(request.user), pk=pk)
    try:
        services.task_claim(task_id=task.pk, user=request.user)
        messages.success(request, _("Task claimed."))
    except services.TaskError as exc:
        messages.error(request, _("Could not claim the task: %(reason)s") % {"reason": exc})
    return redirect("planning:task-detail", pk=pk)


@login_required
@require_POST
def task_complete(request, pk: int):
    task = get_object_or_404(_visible_tasks(request.user), pk=pk)
    form = CompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose an outcome."))
        return redirect("planning:task-detail", pk=pk)
    try:
        services.task_complete(task=task, user=request.user, **form.cleaned_data)
        messages.success(request, _("Task completed."))
    except services.TaskError as exc:
        messages.error(request, _("Could not complete the task: %(reason)s") % {"reason": exc})
        return redirect("planning:task-detail", pk=pk)
    return redirect("planning:queue")


@login_required
@require_POST
def task_reschedule(request, pk: int):
    task = get_object_or_404(_visible_tasks(request.user), pk=pk)
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
        return redirect("planning:task-detail", pk=pk)
    try:
        services.task_reschedule(task=task, user=request.user, **form.cleaned_data)
        messages.success(request, _("Task rescheduled."))
    except services.TaskError as exc:
        messages.error(request, str(exc))
    return redirect("planning:task-detail", pk=pk)
