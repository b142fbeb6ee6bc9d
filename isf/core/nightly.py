"""The nightly run: every derived state of the base refreshed in dependency order.

Order: segments (revenue, potential) → lifecycle phases → order-behaviour monitoring (at risk)
→ contact plans (need segment and phase) → cross-sell suggestions → SLA escalation → data
retention → housekeeping (uploads, error reports, sessions, task records; docs/operations-data.md). Each step is a
module with `run(*, today, progress) -> dict`; the order and the modules are listed in the settings
(``ISF_NIGHTLY_STEPS``, the composition layer), so this core module names no domain app and discovers nothing.
Every step is idempotent; finished steps are recorded, so a run
interrupted (killed) mid-way resumes with the next step, and a database lock guarantees that two
runs never overlap, also with several worker machines on one PostgreSQL database.
"""

from collections.abc import Callable
from datetime import date
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from isf.core.locks import job_lock, lock_heartbeat
from isf.core.models import NightlyRun

# Steps are named to order and resume them; the settings list them with their modules.
STEP_MODULES = dict(settings.ISF_NIGHTLY_STEPS)
STEPS = list(STEP_MODULES)
LOCK_NAME = "nightly"


def available_steps() -> list[str]:
    return list(STEPS)


def step_module(step: str) -> str:
    return STEP_MODULES[step]


def nightly_run(*, today: date | None = None, progress: Callable[[str], None] = lambda m: None) -> dict:
    """Run (or resume) today's nightly run. Raises LockBusy when another run holds the lock."""
    today = today or timezone.localdate()
    with job_lock(LOCK_NAME, timeout_seconds=settings.ISF_NIGHTLY_LOCK_TIMEOUT) as holder:
        run = NightlyRun.objects.filter(run_date=today, finished_at__isnull=True).order_by("-started_at").first()
        resumed = run is not None
        if run is None:
            run = NightlyRun.objects.create(run_date=today, started_at=timezone.now(), holder=holder)
        results = dict(run.steps_done)
        for step in available_steps():
            if step in results:
                progress(f"{step}: already done in this run, skipped")
                continue
            progress(f"{step} …")
            result = import_module(step_module(step)).run(today=today, progress=progress)
            results[step] = result if isinstance(result, dict) else {"result": str(result)}
            run.steps_done = results
            run.save(update_fields=["steps_done"])
            lock_heartbeat(LOCK_NAME, holder)
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
    return {"date": today.isoformat(), "resumed": resumed, "steps": results}
