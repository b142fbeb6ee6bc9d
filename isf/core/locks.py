"""Database job locks (see JobLock): portable across SQLite and PostgreSQL, several machines.

A lock is taken over when its heartbeat is older than the timeout (the holder died on another
machine), or at once when the holder ran on this machine and its process is gone (killed with
SIGKILL, out of memory, the machine rebooted): a killed nightly run never blocks the next one
until the timeout. A holder on another machine is only ever judged by its heartbeat.
"""

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


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, owned by another user
        return False
    try:  # a killed process its parent has not reaped yet is a zombie: as dead as it gets
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def holder_is_dead(holder: str) -> bool:
    """True when `holder` ("host:pid") ran on this machine and that process no longer exists."""
    host, _sep, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    return _process_gone(int(pid))


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
    if holder_is_dead(current.holder):
        with transaction.atomic():  # only if nobody took it over in between
            taken = JobLock.objects.filter(name=name, holder=current.holder).update(
                holder=me, acquired_at=now, heartbeat_at=now
            )
        if taken:
            return me
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
