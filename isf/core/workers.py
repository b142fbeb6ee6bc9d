"""Background workers that recover: heartbeats, stale jobs, retry or fail, cancel (issue 25).

`isf worker` (isf/core/management/commands/worker.py) runs django-tasks-db's worker loop and adds:

- a **heartbeat** row per worker (`WorkerHeartbeat`), refreshed by a thread every `ISF_WORKER_HEARTBEAT_SECONDS`,
  naming the task it runs;
- **recovery**: a task left `RUNNING` by a worker that stopped is found by every other worker (and by `isf jobs`).
  A worker is gone when its process no longer exists on this machine, or (any machine) when its heartbeat is older
  than `ISF_WORKER_STALE_SECONDS` - the same judgement as the nightly lock (isf.core.locks). A task registered as
  safe to repeat (`register_task`, e.g. imports: all or nothing, the killed transaction wrote nothing) is queued
  again, up to `MAX_ATTEMPTS` runs; any other task is marked failed with a message. Each recovery writes a
  `JobEvent` and calls the task's hook, so its own page (the import job) shows what happened;
- **reconnecting** after the database went away (restart, failover) instead of exiting.

A task a worker without heartbeat runs (the plain `db_worker`) is never judged: its state is unknown.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.models import DBTaskResult

from isf.core.locks import holder_is_dead
from isf.core.models import JobEvent, WorkerHeartbeat

logger = logging.getLogger("isf.worker")

MAX_ATTEMPTS = 3  # a task that kills its worker every time (out of memory) is not retried for ever
WORKER_LOST = "isf.core.workers.WorkerLost"
CANCELLED = "isf.core.workers.Cancelled"


class JobError(Exception):
    """A job operation that cannot be done (unknown id, already finished, running on a live worker)."""


@dataclass(frozen=True)
class Recovery:
    retry_safe: bool
    # on_stopped(args_kwargs, *, retried, message) -> subject ("import job 12"); updates the task's own record
    on_stopped: Callable[..., str] | None = None


RECOVERY: dict[str, Recovery] = {}


def register_task(task_path: str, *, retry_safe: bool, on_stopped: Callable[..., str] | None = None) -> None:
    """Declare how a task recovers from a lost worker (called from the owning app's ready())."""
    RECOVERY[task_path] = Recovery(retry_safe=retry_safe, on_stopped=on_stopped)


def stale_seconds() -> int:
    return int(settings.ISF_WORKER_STALE_SECONDS)


def new_worker_id() -> str:
    host = socket.gethostname()[:40]
    return f"{host}:{os.getpid()}:{get_random_string(6)}"[:64]


# --------------------------------------------------------------------------------------------------------------
# Liveness
# --------------------------------------------------------------------------------------------------------------
def worker_state(beat: WorkerHeartbeat | None, *, now=None) -> str:
    """"alive", "stale" (gone without stopping), "stopped" (stopped cleanly) or "unknown" (no heartbeat row)."""
    if beat is None:
        return "unknown"
    if beat.stopped_at is not None:
        return "stopped"
    now = now or timezone.now()
    if beat.heartbeat_at < now - timedelta(seconds=stale_seconds()) or holder_is_dead(f"{beat.host}:{beat.pid}"):
        return "stale"
    return "alive"


def last_worker(result: DBTaskResult) -> str:
    ids = result.worker_ids or []
    return str(ids[-1]) if ids else ""


def running_tasks_with_state(*, now=None) -> list[tuple[DBTaskResult, str, WorkerHeartbeat | None]]:
    """Every RUNNING task with its worker's state (see worker_state)."""
    now = now or timezone.now()
    results = list(DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).order_by("started_at"))
    beats = {b.worker_id: b for b in WorkerHeartbeat.objects.filter(worker_id__in=[last_worker(r) for r in results])}
    out = []
    for result in results:
        beat = beats.get(last_worker(result))
        out.append((result, worker_state(beat, now=now), beat))
    return out


def stale_tasks(*, now=None) -> list[DBTaskResult]:
    return [r for r, state, _beat in running_tasks_with_state(now=now) if state in {"stale", "stopped"}]


# --------------------------------------------------------------------------------------------------------------
# Recovery and cancelling (the only places that change a task's status outside its run)
# --------------------------------------------------------------------------------------------------------------
def _describe_worker(worker_id: str, beat: WorkerHeartbeat | None) -> str:
    if beat is None:
        return f"worker {worker_id or '?'}"
    seen = timezone.localtime(beat.heartbeat_at).strftime("%Y-%m-%d %H:%M:%S")
    return f"worker {worker_id} (last heartbeat {seen})"


@transaction.atomic
def task_recover(*, result: DBTaskResult, reason: str, by: str = "") -> JobEvent | None:
    """Requeue (safe to repeat, attempts left) or fail a task whose worker is gone. None if it changed meanwhile."""
    recovery = RECOVERY.get(result.task_path, Recovery(retry_safe=False))
    attempts = len(result.worker_ids or [])
    retry = recovery.retry_safe and attempts < MAX_ATTEMPTS
    now = timezone.now()
    running = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at)
    if retry:
        message = f"{reason}; queued again (attempt {attempts + 1} of {MAX_ATTEMPTS}), nothing of the stopped run was kept."
        changed = running.update(status=TaskResultStatus.READY)
    else:
        why = "it is not safe to repeat" if not recovery.retry_safe else f"it stopped {attempts} times"
        message = f"{reason}; marked failed ({why})."
        changed = running.update(status=TaskResultStatus.FAILED, finished_at=now, exception_class_path=WORKER_LOST,
                                 traceback=message, return_value=None)
    if not changed:
        return None
    return _event(result, action=JobEvent.Action.RETRIED if retry else JobEvent.Action.FAILED, message=message,
                  retried=retry, by=by, recovery=recovery, now=now)


def _event(result, *, action, message, retried, by, recovery, now) -> JobEvent:
    subject = ""
    if recovery.on_stopped is not None:
        subject = recovery.on_stopped(result.args_kwargs or {}, retried=retried, message=message) or ""
    event = JobEvent.objects.create(task_id=str(result.pk), task_path=result.task_path, subject=subject[:200],
                                    action=action, message=message[:500], worker_id=last_worker(result)[:64],
                                    by=by[:200], at=now)
    logger.warning("task %s (%s) %s: %s", result.pk, subject or result.task_path, action, message)
    return event


def recover_stale_tasks(*, by: str = "") -> list[JobEvent]:
    """Recover every task whose worker is gone. Safe to call from several workers at once."""
    events = []
    now = timezone.now()
    for result, state, beat in running_tasks_with_state(now=now):
        if state not in {"stale", "stopped"}:
            continue
        reason = f"The {_describe_worker(last_worker(result), beat)} stopped while running it"
        event = task_recover(result=result, reason=reason, by=by)
        if event is not None:
            events.append(event)
    return events


def find_task(task_id: str) -> DBTaskResult:
    """A task by its id or a unique prefix of at least 8 characters (as `isf jobs` prints it)."""
    text = (task_id or "").strip().lower()
    if len(text) < 8 or any(ch not in "0123456789abcdef-" for ch in text):
        raise JobError(f"'{task_id}' is not a task id (at least 8 hexadecimal characters, see `isf jobs`)")
    if len(text.replace("-", "")) == 32:
        found = list(DBTaskResult.objects.filter(pk=text))
    else:
        found = [r for r in DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
                 if str(r.pk).startswith(text)]
    if len(found) != 1:
        raise JobError(f"no queued or running task has the id {task_id}" if not found
                       else f"{len(found)} tasks start with {task_id}: give more characters")
    return found[0]


@transaction.atomic
def task_cancel(*, task_id: str, by: str) -> JobEvent:
    """Cancel a queued task, or one whose worker is gone. A task a live worker runs is refused (stop the worker)."""
    result = find_task(task_id)
    recovery = RECOVERY.get(result.task_path, Recovery(retry_safe=False))
    now = timezone.now()
    if result.status == TaskResultStatus.RUNNING:
        beat = WorkerHeartbeat.objects.filter(worker_id=last_worker(result)).first()
        state = worker_state(beat, now=now)
        if state == "alive":
            raise JobError(f"task {result.pk} is running on the live {_describe_worker(last_worker(result), beat)}: "
                           "stop that worker (SIGTERM lets it finish the task, a second one stops it at once) first")
        previous = TaskResultStatus.RUNNING
    elif result.status == TaskResultStatus.READY:
        previous = TaskResultStatus.READY
    else:
        raise JobError(f"task {result.pk} has already finished ({result.status.lower()})")
    message = f"Cancelled by {by}."
    changed = DBTaskResult.objects.filter(pk=result.pk, status=previous).update(
        status=TaskResultStatus.FAILED, finished_at=now, exception_class_path=CANCELLED, traceback=message,
        return_value=None)
    if not changed:
        raise JobError(f"task {result.pk} changed meanwhile: look again with `isf jobs`")
    return _event(result, action=JobEvent.Action.CANCELLED, message=message, retried=False, by=by,
                  recovery=recovery, now=now)


# --------------------------------------------------------------------------------------------------------------
# The heartbeat of one worker
# --------------------------------------------------------------------------------------------------------------
class Heartbeat:
    """Keeps a worker's row fresh from a thread (its own database connection) and recovers stale tasks."""

    def __init__(self, worker_id: str, *, interval: float | None = None):
        self.worker_id = worker_id
        self.interval = float(interval if interval is not None else settings.ISF_WORKER_HEARTBEAT_SECONDS)
        self.task_id = ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failing = False

    def register(self) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(  # again after a reconnect: keeps the first start
            worker_id=self.worker_id,
            defaults={"host": socket.gethostname()[:200], "pid": os.getpid(), "heartbeat_at": now, "task_id": "",
                      "stopped_at": None},
            create_defaults={"host": socket.gethostname()[:200], "pid": os.getpid(), "started_at": now,
                             "heartbeat_at": now})
        # rows of workers that stopped a week ago tell nobody anything
        WorkerHeartbeat.objects.filter(stopped_at__lt=now - timedelta(days=7)).delete()

    def beat(self) -> None:
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(heartbeat_at=timezone.now(),
                                                                        task_id=self.task_id, stopped_at=None)

    def tick(self) -> None:
        """One beat plus a recovery pass; a database that does not answer is logged once, then retried."""
        from django.db import connection

        try:
            self.beat()
            recover_stale_tasks(by=self.worker_id)
            if self._failing:
                logger.warning("worker %s: database answers again", self.worker_id)
            self._failing = False
        except Exception as exc:  # noqa: BLE001 - the heartbeat must outlive a database restart
            if not self._failing:
                logger.warning("worker %s: heartbeat failed (%s: %s), retrying every %s s", self.worker_id,
                               type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "", self.interval)
            self._failing = True
        finally:
            connection.close()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.tick()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name=f"heartbeat-{self.worker_id}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 5)
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(stopped_at=timezone.now(), task_id="")
        except Exception as exc:  # noqa: BLE001 - stopping while the database is down: the row goes stale instead
            logger.warning("worker %s: could not record the stop (%s)", self.worker_id, type(exc).__name__)
