"""Bulk transitions write what single ones write (issue 22): each completed task gets its "completed" event and a
history row, closed tasks are left alone, and the workflows' own changes (a service order's claim) leave an event
and a history row too."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.planning.choices import TaskAction, TaskStatus
from isf.planning.models import Task, TaskEvent
from isf.planning.services import (
    task_assign_by_workflow,
    task_cancel,
    task_complete,
    task_create,
    tasks_close_by_key,
    tasks_complete_bulk,
)

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def _task(n: int, team, **kw):
    return task_create(kind="care_call", title=f"Betreuungsanruf {n}", due_at=datetime(2026, 12, 8, 9, tzinfo=BERLIN),
                       team=team, dedupe_key=f"test:{n}", **kw)


def _trace(task_id: int) -> tuple[list[str], list[str]]:
    """(event actions, history statuses) of a task, oldest first."""
    events = list(TaskEvent.objects.filter(task_id=task_id).order_by("pk").values_list("action", flat=True))
    history = list(Task.history.filter(id=task_id).order_by("history_date", "history_id")
                   .values_list("status", flat=True))
    return events, history


def test_bulk_completion_leaves_the_same_trace_as_a_single_completion(today_is):
    today_is(date(2026, 12, 7))
    team = TeamFactory(code="SMB")
    agent = UserFactory(role=Role.INSIDE_AGENT, team=team)
    single, *many = [_task(n, team) for n in range(4)]
    cancelled = _task(9, team)
    task_cancel(task=cancelled, reason="doppelt")
    task_complete(task=single, user=agent, outcome="reached")

    done = tasks_complete_bulk(task_ids=[t.pk for t in many] + [cancelled.pk], outcome="reached", actor_id=agent.pk,
                               assignee_id=agent.pk)

    assert done == sorted(t.pk for t in many)
    assert all(_trace(t.pk) == _trace(single.pk) == (["created", "completed"], ["open", "done"]) for t in many)
    assert _trace(cancelled.pk) == (["created", "cancelled"], ["open", "cancelled"])
    rows = Task.objects.filter(pk__in=done)
    assert {(t.status, t.outcome, t.assignee_id) for t in rows} == {(TaskStatus.DONE, "reached", agent.pk)}
    assert set(TaskEvent.objects.filter(task_id__in=done, action=TaskAction.COMPLETED)
               .values_list("actor_id", "note")) == {(agent.pk, "reached")}
    assert set(Task.history.filter(id__in=done, status="done").values_list("history_user_id", flat=True)) == {agent.pk}


def test_closing_by_key_writes_event_and_history(today_is):
    today_is(date(2026, 12, 7))
    task = _task(1, TeamFactory(code="SMB"))
    assert tasks_close_by_key(dedupe_key="test:1", outcome="converted") == 1
    assert _trace(task.pk) == (["created", "completed"], ["open", "done"])
    assert tasks_close_by_key(dedupe_key="test:1", outcome="converted") == 0


def test_a_workflow_claim_overrides_a_queue_claim_with_event_and_history(today_is):
    today_is(date(2026, 12, 7))
    team = TeamFactory(code="SMB")
    holder, worker = (UserFactory(role=Role.INSIDE_AGENT, team=team) for _ in range(2))
    task = _task(1, team)
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.CLAIMED, assignee=holder)  # claimed in the queue
    task_assign_by_workflow(task=task, assignee=worker, claimed_at=datetime(2026, 12, 7, 10, tzinfo=BERLIN),
                            actor=worker)
    task.refresh_from_db()
    assert (task.status, task.assignee_id) == (TaskStatus.CLAIMED, worker.pk)
    events, history = _trace(task.pk)
    assert events == ["created", "assigned"] and history[-1] == "claimed"
