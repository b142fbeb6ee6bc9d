"""What an operator watches (issue 25): health checks, jobs, workers and the last nightly run.

One reader each for `/health/`, the operator page (`/ops/`), `isf status --json` and `isf jobs`.
"""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

from django.db import connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from isf.core.models import JobEvent, JobLock, NightlyRun, WorkerHeartbeat
from isf.core.nightly import LOCK_NAME, available_steps
from isf.core.workers import RECOVERY, last_worker, running_tasks_with_state, worker_state

SHOWN_EVENTS = 10
SHOWN_WORKERS_STOPPED_HOURS = 24


def health_checks() -> dict[str, str]:
    """Each check by name: "ok" or "fail: <what>". Only the database for now: the one thing every page needs."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure of the database is the answer, never a 500
        checks["database"] = f"fail: {type(exc).__name__}"
        try:
            connection.close()  # a broken connection is not reused by the next request
        except Exception:  # noqa: BLE001, S110 - closing a dead connection may fail too
            pass
    return checks


def _subject(result: DBTaskResult) -> str:
    """A readable name of a task: "import job 12" for an import, else the task's function name."""
    args = (result.args_kwargs or {}).get("args") or []
    if result.task_path == "isf.imports.jobs.run_import_job" and args:
        return f"import job {args[0]}"
    return result.task_path.rsplit(".", 1)[-1]


def jobs_overview(*, now=None) -> dict:
    """Queued, running and stale tasks (oldest first), counts, and the latest recoveries and cancellations."""
    now = now or timezone.now()
    queued = list(DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by("enqueued_at")[:200])
    rows = [{"id": str(r.pk), "state": "queued", "task": r.task_path, "subject": _subject(r),
             "since": r.enqueued_at, "worker": "", "attempts": len(r.worker_ids or []),
             "retry_safe": RECOVERY.get(r.task_path) is not None and RECOVERY[r.task_path].retry_safe}
            for r in queued]
    running = stale = 0
    for result, state, _beat in running_tasks_with_state(now=now):
        is_stale = state in {"stale", "stopped"}
        stale += is_stale
        running += not is_stale
        rows.append({"id": str(result.pk), "state": "stale" if is_stale else "running", "task": result.task_path,
                     "subject": _subject(result), "since": result.started_at, "worker": last_worker(result),
                     "attempts": len(result.worker_ids or []),
                     "retry_safe": RECOVERY.get(result.task_path) is not None and RECOVERY[result.task_path].retry_safe,
                     "worker_state": state})
    events = [{"at": e.at, "task_id": e.task_id, "subject": e.subject, "action": e.action, "message": e.message,
               "by": e.by} for e in JobEvent.objects.all()[:SHOWN_EVENTS]]
    return {"queued": DBTaskResult.objects.filter(status=TaskResultStatus.READY).count(), "running": running,
            "stale": stale, "jobs": rows, "events": events}


def workers_overview(*, now=None) -> list[dict]:
    """Workers that run, went stale, or stopped in the last day, newest heartbeat first."""
    now = now or timezone.now()
    since = now - timedelta(hours=SHOWN_WORKERS_STOPPED_HOURS)
    out = []
    for beat in WorkerHeartbeat.objects.filter(heartbeat_at__gte=since) | WorkerHeartbeat.objects.filter(
            stopped_at__isnull=True):
        out.append({"worker_id": beat.worker_id, "host": beat.host, "pid": beat.pid, "started_at": beat.started_at,
                    "heartbeat_at": beat.heartbeat_at, "seconds_since_heartbeat": int((now - beat.heartbeat_at).total_seconds()),
                    "task_id": beat.task_id, "stopped_at": beat.stopped_at, "state": worker_state(beat, now=now)})
    return sorted(out, key=lambda w: w["heartbeat_at"], reverse=True)


def nightly_overview() -> dict:
    """The last nightly run: its date, start, end (None while open), each step done, the steps still to do."""
    run = NightlyRun.objects.order_by("-started_at").first()
    lock = JobLock.objects.filter(name=LOCK_NAME).first()
    steps = available_steps()
    if run is None:
        return {"last_run": None, "steps": steps, "running_on": lock.holder if lock else None}
    done = run.steps_done or {}
    return {
        "last_run": {"run_date": run.run_date, "started_at": run.started_at, "finished_at": run.finished_at,
                     "holder": run.holder,
                     "steps": [{"step": step, "done": step in done, "result": done.get(step)} for step in steps]},
        "steps": steps,
        "running_on": lock.holder if lock else None,
    }


def ops_status(*, now=None) -> dict:
    """Everything the operator page and `isf status --json` show, from one read."""
    now = now or timezone.now()
    checks = health_checks()
    if checks["database"] != "ok":
        return {"time": now, "checks": checks}
    jobs = jobs_overview(now=now)
    failed_day = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED,
                                             finished_at__gte=now - timedelta(days=1)).count()
    return {
        "time": now,
        "checks": checks,
        "queue": {"queued": jobs["queued"], "running": jobs["running"], "stale": jobs["stale"],
                  "failed_last_24h": failed_day,
                  "oldest_queued_at": jobs["jobs"][0]["since"] if jobs["queued"] else None},
        "stale_jobs": [row for row in jobs["jobs"] if row["state"] == "stale"],
        "events": jobs["events"],
        "workers": workers_overview(now=now),
        "nightly": nightly_overview(),
        "version": _version(),
    }


def _version() -> str:
    try:
        return import_module("importlib.metadata").version("isf")
    except Exception:  # noqa: BLE001 - running from a checkout that was never installed
        return "unknown"
