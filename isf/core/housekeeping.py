"""Nightly housekeeping of the core: expired sessions and finished background-task records are deleted.

Retention (settings, from the environment; docs/operations-data.md): a finished task record (successful or failed)
is kept ``ISF_RETENTION_TASK_DAYS`` days (30) after it finished; a session until it expires (Django's
SESSION_COOKIE_AGE). Queued and running task records are never touched. Uploads and import error reports are
the imports step's (isf.imports.nightly). Runs as the nightly step ``housekeeping`` (isf.core.nightly).
"""

from collections.abc import Callable
from datetime import date, timedelta
from importlib import import_module

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def sessions_clear_expired() -> int:
    """Delete expired sessions (database sessions; other engines expire by themselves); returns how many."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
        return 0
    from django.contrib.sessions.models import Session

    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


def task_records_delete_finished() -> int:
    """Delete task records that finished more than ``ISF_RETENTION_TASK_DAYS`` days ago; returns how many."""
    cutoff = timezone.now() - timedelta(days=settings.ISF_RETENTION_TASK_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted


def run(*, today: date, progress: Callable[[str], None]) -> dict:
    progress("housekeeping: sessions and task records …")
    return {"expired_sessions_deleted": sessions_clear_expired(),
            "task_records_deleted": task_records_delete_finished()}
