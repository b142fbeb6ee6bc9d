"""Nightly housekeeping of the core: expired sessions and task records finished longer ago than the retention
are deleted; live sessions and queued or running tasks stay."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.models import Session
from django_tasks_db.models import DBTaskResult

from isf.core.housekeeping import run

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 1, 3, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def task(status: str, finished_days_ago: int | None) -> DBTaskResult:
    finished = None if finished_days_ago is None else NOW - dt.timedelta(days=finished_days_ago)
    return DBTaskResult.objects.create(status=status, finished_at=finished, args_kwargs={}, task_path="x.y",
                                       backend_name="default", run_after=NOW - dt.timedelta(days=400),
                                       exception_class_path="", traceback="")


def test_expired_sessions_and_old_finished_task_records_are_deleted(time_machine, settings):
    settings.ISF_RETENTION_TASK_DAYS = 30
    time_machine.move_to(NOW, tick=False)
    Session.objects.create(session_key="expired", session_data="", expire_date=NOW - dt.timedelta(seconds=1))
    Session.objects.create(session_key="live", session_data="", expire_date=NOW + dt.timedelta(hours=1))
    old_ok, old_failed = task("SUCCESSFUL", 31), task("FAILED", 31)
    recent = task("SUCCESSFUL", 29)
    running, queued = task("RUNNING", None), task("READY", None)

    assert run(today=NOW.date(), progress=lambda m: None) == {"expired_sessions_deleted": 1,
                                                               "task_records_deleted": 2}
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, running.pk, queued.pk}
    assert not DBTaskResult.objects.filter(pk__in=[old_ok.pk, old_failed.pk]).exists()
