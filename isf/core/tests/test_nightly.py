from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from isf.core import nightly
from isf.core.locks import LockBusy, job_lock, lock_acquire, lock_release
from isf.core.models import JobLock, NightlyRun

pytestmark = pytest.mark.django_db


def test_second_holder_is_refused_with_the_holder_named():
    holder = lock_acquire("nightly", timeout_seconds=3600)
    JobLock.objects.filter(name="nightly").update(holder="machine-a:123")
    with pytest.raises(LockBusy, match="machine-a:123"):
        lock_acquire("nightly", timeout_seconds=3600)
    lock_release("nightly", "machine-a:123")
    assert lock_acquire("nightly", timeout_seconds=3600) == holder


def test_a_stale_lock_of_a_dead_holder_is_taken_over():
    JobLock.objects.create(name="nightly", holder="dead:1", acquired_at=timezone.now() - timedelta(hours=9),
                           heartbeat_at=timezone.now() - timedelta(hours=9))
    with job_lock("nightly", timeout_seconds=3600) as me:
        assert JobLock.objects.get(name="nightly").holder == me
    assert not JobLock.objects.exists()


def test_nightly_runs_steps_in_order_and_resumes_after_an_interruption(monkeypatch):
    calls = []

    def step(name, fail=False):
        def run(*, today, progress):
            calls.append(name)
            if fail and calls.count(name) == 1:
                raise RuntimeError("killed")
            return {"ok": name}

        return SimpleNamespace(run=run)

    modules = {"isf.segmentation.nightly": step("segmentation"), "isf.lifecycle.nightly": step("lifecycle", fail=True),
               "isf.planning.nightly": step("planning")}
    monkeypatch.setattr(nightly, "available_steps", lambda: ["segmentation", "lifecycle", "planning"])
    monkeypatch.setattr(nightly, "import_module", lambda name: modules[name])
    day = date(2026, 11, 27)
    with pytest.raises(RuntimeError):
        nightly.nightly_run(today=day)
    assert not JobLock.objects.exists()  # released despite the crash
    result = nightly.nightly_run(today=day)
    assert result["resumed"] is True
    assert calls == ["segmentation", "lifecycle", "lifecycle", "planning"]  # segmentation not repeated
    run = NightlyRun.objects.get()
    assert run.finished_at is not None and set(run.steps_done) == {"segmentation", "lifecycle", "planning"}
    nightly.nightly_run(today=day)
    assert NightlyRun.objects.count() == 2  # a finished run is not resumed; a new one starts
