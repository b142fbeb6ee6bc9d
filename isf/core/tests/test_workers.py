"""Jobs recover (issue 25): a task whose worker is gone is queued again when safe, failed otherwise; cancelling."""

import json
import socket
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max

from isf.core import workers
from isf.core.management.commands.worker import RecoveringWorker
from isf.core.models import JobEvent, WorkerHeartbeat
from isf.imports.models import ImportJob

pytestmark = pytest.mark.django_db

IMPORT_TASK = "isf.imports.jobs.run_import_job"
OTHER_TASK = "isf.some.tasks.not_repeatable"
NOW = "2027-05-04 10:00:00+02:00"


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return timezone.now()


def _beat(worker_id, *, host="worker-2.example", pid=4242, seconds_ago=0, stopped=False):
    at = timezone.now() - timedelta(seconds=seconds_ago)
    return WorkerHeartbeat.objects.create(worker_id=worker_id, host=host, pid=pid, started_at=at, heartbeat_at=at,
                                          stopped_at=at if stopped else None)


def _task(*, path=IMPORT_TASK, args=(), status=TaskResultStatus.RUNNING, worker_ids=("w1",)):
    return DBTaskResult.objects.create(
        status=status, args_kwargs={"args": list(args), "kwargs": {}}, task_path=path, backend_name="default",
        run_after=get_date_max(), worker_ids=list(worker_ids),
        started_at=timezone.now() - timedelta(minutes=5) if status == TaskResultStatus.RUNNING else None)


def _import_job(status=ImportJob.Status.RUNNING):
    return ImportJob.objects.create(kind="accounts", file_name="kunden.csv", path="/tmp/kunden.csv", status=status,
                                    phase="write", progress=99, rows=1200)


def test_an_import_whose_worker_stopped_beating_is_queued_again_with_its_page_saying_so(now):
    job = _import_job()
    _beat("w1", seconds_ago=301)  # another machine: judged by its heartbeat (ISF_WORKER_STALE_SECONDS=300)
    task = _task(args=[job.pk])
    events = workers.recover_stale_tasks(by="w2")
    task.refresh_from_db()
    job.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert (job.status, job.progress, job.rows, job.phase) == (ImportJob.Status.QUEUED, 0, 0, "")
    assert job.message == ("The worker w1 (last heartbeat 2027-05-04 09:54:59) stopped while running it; queued again "
                           "(attempt 2 of 3), nothing of the stopped run was kept.")
    assert [(e.task_id, e.action, e.subject, e.worker_id, e.by) for e in events] == [
        (str(task.pk), "retried", f"import job {job.pk}", "w1", "w2")]
    assert JobEvent.objects.count() == 1


def test_a_worker_with_a_fresh_heartbeat_keeps_its_task(now):
    job = _import_job()
    _beat("w1", seconds_ago=299)
    task = _task(args=[job.pk])
    assert workers.recover_stale_tasks() == []
    task.refresh_from_db()
    job.refresh_from_db()
    assert (task.status, job.status, job.progress) == (TaskResultStatus.RUNNING, ImportJob.Status.RUNNING, 99)
    assert not JobEvent.objects.exists()


def test_a_killed_worker_on_this_machine_is_recognised_at_once_by_its_missing_process(now):
    job = _import_job()
    _beat("w1", host=socket.gethostname(), pid=999_999_99, seconds_ago=1)  # no such process
    task = _task(args=[job.pk])
    assert [e.action for e in workers.recover_stale_tasks()] == ["retried"]
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


def test_a_task_that_is_not_safe_to_repeat_is_marked_failed_with_the_reason(now):
    _beat("w1", seconds_ago=600)
    task = _task(path=OTHER_TASK)
    [event] = workers.recover_stale_tasks()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == workers.WORKER_LOST
    assert task.traceback == event.message == ("The worker w1 (last heartbeat 2027-05-04 09:50:00) stopped while running "
                                               "it; marked failed (it is not safe to repeat).")
    assert (event.action, event.subject) == ("failed", "")


def test_an_import_that_stopped_its_worker_three_times_is_failed_not_retried_for_ever(now):
    job = _import_job()
    _beat("w3", seconds_ago=600)
    task = _task(args=[job.pk], worker_ids=["w1", "w2", "w3"])
    [event] = workers.recover_stale_tasks()
    task.refresh_from_db()
    job.refresh_from_db()
    assert (task.status, job.status, event.action) == (TaskResultStatus.FAILED, ImportJob.Status.FAILED, "failed")
    assert job.message.endswith("marked failed (it stopped 3 times).")
    assert job.finished_at == now


def test_a_task_of_a_worker_without_heartbeat_is_never_judged(now):
    task = _task(worker_ids=["plain-db-worker"])
    assert workers.recover_stale_tasks() == []
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_cancelling_a_queued_import_fails_it_with_the_operator_named(now):
    job = _import_job(status=ImportJob.Status.QUEUED)
    task = _task(args=[job.pk], status=TaskResultStatus.READY, worker_ids=[])
    out = StringIO()
    call_command("jobs", "--cancel", str(task.pk)[:8], stdout=out)
    task.refresh_from_db()
    job.refresh_from_db()
    assert out.getvalue().strip() == f"cancelled {task.pk} import job {job.pk}"
    assert (task.status, task.exception_class_path) == (TaskResultStatus.FAILED, workers.CANCELLED)
    assert (job.status, job.message) == (ImportJob.Status.FAILED, "Cancelled by isf jobs --cancel.")
    assert JobEvent.objects.get().action == "cancelled"


def test_a_task_running_on_a_live_worker_cannot_be_cancelled_and_nothing_changes(now):
    job = _import_job()
    _beat("w1", seconds_ago=5)
    task = _task(args=[job.pk])
    with pytest.raises(CommandError, match="is running on the live worker w1"):
        call_command("jobs", "--cancel", str(task.pk), stdout=StringIO())
    task.refresh_from_db()
    job.refresh_from_db()
    assert (task.status, job.status, JobEvent.objects.count()) == (TaskResultStatus.RUNNING, ImportJob.Status.RUNNING, 0)


@pytest.mark.parametrize("bad", ["", "1234", "zzzzzzzzzz", "'; drop table x", "0" * 32])
def test_cancel_with_an_unknown_or_hostile_id_says_so(bad, now):
    with pytest.raises(CommandError, match="is not a task id|no queued or running task"):
        call_command("jobs", "--cancel", bad, stdout=StringIO())


def test_isf_jobs_lists_queued_running_and_stale_jobs(now):
    _beat("live", seconds_ago=3)
    _beat("gone", seconds_ago=900)
    queued = _task(status=TaskResultStatus.READY, worker_ids=[], args=[7])
    running = _task(worker_ids=["live"], path=OTHER_TASK)
    stale = _task(worker_ids=["gone"], args=[8])
    out = StringIO()
    call_command("jobs", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["queued"], data["running"], data["stale"]) == (1, 1, 1)
    assert [(j["id"], j["state"], j["subject"], j["worker"]) for j in data["jobs"]] == [
        (str(queued.pk), "queued", "import job 7", ""),
        (str(running.pk), "running", "not_repeatable", "live"),
        (str(stale.pk), "stale", "import job 8", "gone"),
    ]
    text = StringIO()
    call_command("jobs", stdout=text)
    assert text.getvalue().splitlines()[0] == "1 queued, 1 running, 1 stale"


def test_the_worker_reconnects_after_the_database_went_away_and_recovers_the_task_it_ran(now, monkeypatch):
    job = _import_job()
    task = _task(args=[job.pk], worker_ids=["me"])
    calls = []

    def run(self):
        calls.append("run")
        if len(calls) == 1:
            self.current = task  # the database went away in the middle of this task
            raise OperationalError("connection to server failed: Connection refused")

    monkeypatch.setattr(Worker, "run", run)
    monkeypatch.setattr("isf.core.management.commands.worker.time.sleep", lambda s: calls.append(f"sleep {s}"))
    # the test's transaction holds the rows: keep its connection (the real worker opens a new one)
    monkeypatch.setattr("isf.core.management.commands.worker.connections.close_all", lambda: calls.append("close"))
    worker = RecoveringWorker(heartbeat=workers.Heartbeat("me", interval=60), queue_names=["default"], interval=1,
                              batch=False, backend_name="default", startup_delay=False, max_tasks=None,
                              worker_id="me", excluded_queue_names=[])
    worker.run()
    assert calls == ["run", "close", "sleep 1.0", "close", "run", "close"]
    task.refresh_from_db()
    job.refresh_from_db()
    assert (task.status, job.status) == (TaskResultStatus.READY, ImportJob.Status.QUEUED)
    assert job.message.startswith("The database connection of worker me broke while running it; queued again")
    assert WorkerHeartbeat.objects.get(worker_id="me").stopped_at is None
