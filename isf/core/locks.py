"""Database job locks (see JobLock): portable across SQLite and PostgreSQL, several machines."""

import os
import socket
from contextlib import contextmanager
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from isf.core.models import JobLock


class LockBusy(Exception):
    """Another process holds the lock; the message names the holder and since when."""


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def lock_acquire(name: str, *, timeout_seconds: int) -> str:
    me = holder_id()
    now = timezone.now()
    try:
        with transaction.atomic():
            JobLock.objects.create(name=name, holder=me, acquired_at=now, heartbeat_at=now)
        return me
    except IntegrityError:
        pass
    stale_before = now - timedelta(seconds=timeout_seconds)
    with transaction.atomic():
        taken = JobLock.objects.filter(name=name, heartbeat_at__lt=stale_before).update(
            holder=me, acquired_at=now, heartbeat_at=now
        )
    if taken:
        return me
    current = JobLock.objects.filter(name=name).first()
    if current is None:  # released in between: try once more
        return lock_acquire(name, timeout_seconds=timeout_seconds)
    raise LockBusy(f"'{name}' is running on {current.holder} since {timezone.localtime(current.acquired_at):%Y-%m-%d %H:%M:%S}")


def lock_heartbeat(name: str, holder: str) -> None:
    JobLock.objects.filter(name=name, holder=holder).update(heartbeat_at=timezone.now())


def lock_release(name: str, holder: str) -> None:
    JobLock.objects.filter(name=name, holder=holder).delete()


@contextmanager
def job_lock(name: str, *, timeout_seconds: int):
    holder = lock_acquire(name, timeout_seconds=timeout_seconds)
    try:
        yield holder
    finally:
        lock_release(name, holder)
