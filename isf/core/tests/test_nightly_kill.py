"""Kill safety of the nightly run: `isf nightly` killed with SIGKILL again and again stays consistent.

The real command runs in a subprocess against a database of its own (SQLite: a file under
tmp_path; PostgreSQL: a database created next to the test run's), seeded with a small demo
company. Before the kills a reference copy runs the steps one by one and records every table's
row count after each step. Then the run is killed at several points (at a random moment of the
start, and shortly after segmentation, monitoring, planning and campaigns began, each after a
random delay) and after every kill:

- SQLite reports `integrity_check` ok and no foreign-key violation;
- the base is exactly the state after the recorded finished steps, or after one more step (the
  step committed but the kill came before its bookkeeping row): nothing of a half-run step is
  visible (segment changes, phase changes, monitoring flags and tasks, contact-plan tasks are
  all-or-nothing); steps that commit per item (SLA escalation per service order, quote
  follow-ups and buying-center tasks per quote/contact) leave only complete items;
- the lock of the killed process does not block the next run (the holder's pid is gone).

Finally the rerun resumes and completes every step, and one more run creates nothing new.
Takes about 30-50 s (a small demo, a reference run and up to seven short nightly runs); the schema is
copied from the test run's migrated database instead of running `migrate`.
"""

import json
import os
import random
import re
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[3]
TODAY = "2026-11-27"
# Run bookkeeping, rewritten on every run (not business data): excluded from the state comparisons.
BOOKKEEPING = {"core_nightlyrun", "core_joblock", "monitoring_monitorrun", "calls_crosssellmodel",
               "monitoring_accountscore", "django_session"}
# Steps that commit once per item (service order, quote, contact) rather than once for the step.
PER_ITEM_STEPS = {"service", "campaigns"}

SEED = """
import sys
import django
django.setup()
from datetime import date
from isf.demo import services
# the base plus the content the nightly steps work on (the slow service and calls demos are not needed);
# reset: the copied test database holds the rows of data migrations
services.DEMO_STEPS = ["segmentation", "lifecycle", "planning"]
services.demo_load(accounts=300, years=2, today=date.fromisoformat(sys.argv[1]), reset=True)
"""

REFERENCE = """
import json
import sys
import django
django.setup()
from datetime import date
from importlib import import_module
from django.db import connection
from isf.core.nightly import available_steps, step_module
from isf.core.tests.test_nightly_kill import table_counts
today = date.fromisoformat(sys.argv[1])
with connection.cursor() as cursor:
    snapshots = [["", table_counts(cursor, connection.vendor)]]
for step in available_steps():
    import_module(step_module(step)).run(today=today, progress=lambda m: None)
    with connection.cursor() as cursor:
        snapshots.append([step, table_counts(cursor, connection.vendor)])
print(json.dumps(snapshots))
"""


def table_counts(cursor, vendor: str) -> dict[str, int]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    tables = sorted(r[0] for r in cursor.fetchall() if r[0] not in BOOKKEEPING)
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


class Target:
    """One database the subprocesses work on: a SQLite file or a PostgreSQL database of its own."""

    def __init__(self, tmp_path: Path, name: str, schema):
        """A new database holding the schema of `schema`, the test run's migrated (and empty) database."""
        self.dir = tmp_path / name
        self.dir.mkdir()
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.env.update(ISF_DATA_DIR=str(self.dir), DJANGO_SETTINGS_MODULE="config.settings", PYTHONPATH=str(ROOT))
        self.pg_url = None
        self.pg_name = None
        if schema.vendor == "postgresql":
            self.pg_name = f"isf_nkill_{name}_{uuid.uuid4().hex[:8]}"
            self.pg_url = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{self.pg_name}"))
            self.env["DATABASE_URL"] = self.pg_url
            schema.close()  # a template database must have no other session
            with _pg_admin() as admin:
                admin.execute(f'CREATE DATABASE "{self.pg_name}" TEMPLATE "{schema.settings_dict['NAME']}"')
        else:
            schema.ensure_connection()
            with sqlite3.connect(self.dir / "isf.sqlite3") as dst:
                schema.connection.backup(dst)

    @property
    def vendor(self) -> str:
        return "postgresql" if self.pg_url else "sqlite"

    def connect(self):
        if self.pg_url:
            import psycopg

            return psycopg.connect(self.pg_url, autocommit=True)
        db = sqlite3.connect(self.dir / "isf.sqlite3", isolation_level=None)
        # integrity_check evaluates the CHECK constraints, some of which use Django's REGEXP function
        db.create_function("REGEXP", 2, lambda pattern, value: value is not None and bool(re.search(pattern, str(value))))
        return db

    def query(self, sql: str, params=()) -> list[tuple]:
        db = self.connect()
        try:
            cursor = db.cursor()
            cursor.execute(sql, params)
            return cursor.fetchall()
        finally:
            db.close()

    def counts(self) -> dict[str, int]:
        db = self.connect()
        try:
            return table_counts(db.cursor(), self.vendor)
        finally:
            db.close()

    def copy_to(self, tmp_path: Path, name: str) -> "Target":
        """A copy of this database (no process may be connected to it)."""
        other = Target.__new__(Target)
        other.dir = tmp_path / name
        other.dir.mkdir()
        other.env = dict(self.env, ISF_DATA_DIR=str(other.dir))
        other.pg_url = other.pg_name = None
        if self.pg_url:
            other.pg_name = f"{self.pg_name}_copy"
            other.pg_url = urlunsplit(urlsplit(self.pg_url)._replace(path=f"/{other.pg_name}"))
            other.env["DATABASE_URL"] = other.pg_url
            with _pg_admin() as admin:
                admin.execute(f'CREATE DATABASE "{other.pg_name}" TEMPLATE "{self.pg_name}"')
        else:
            with sqlite3.connect(self.dir / "isf.sqlite3") as src, sqlite3.connect(other.dir / "isf.sqlite3") as dst:
                src.backup(dst)
        return other

    def drop(self) -> None:
        if self.pg_name:
            with _pg_admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
        shutil.rmtree(self.dir, ignore_errors=True)

    def run(self, *args, timeout=300, script=None) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-c", script, *args] if script else [sys.executable, "-m", "config.cli", *args]
        done = subprocess.run(cmd, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout)
        assert done.returncode == 0, f"{args} failed:\n{done.stderr[-3000:]}"
        return done

    def nightly(self) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "config.cli", "nightly", "--json", "--date", TODAY],
                                cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _pg_admin():
    import psycopg

    parts = urlsplit(os.environ["DATABASE_URL"])
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def _kill_when(proc: subprocess.Popen, *, marker: str | None, delay: float, before: str = "monitoring …") -> list[str]:
    """SIGKILL the run `delay` seconds after a stderr line holding `marker`; without a marker `delay` seconds
    after its start, or as soon as it reaches `before` (so a fast machine cannot finish the run first)."""
    lines: list[str] = []
    if marker is None:
        deadline = time.monotonic() + delay
        while (remaining := deadline - time.monotonic()) > 0:
            if not select.select([proc.stderr], [], [], remaining)[0]:
                break
            line = proc.stderr.readline()
            lines.append(line.rstrip("\n"))
            if not line or before in line:
                break
    else:
        for line in proc.stderr:
            lines.append(line.rstrip("\n"))
            if marker in line:
                time.sleep(delay)
                break
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    if proc.returncode != -signal.SIGKILL:  # ended on its own: keep everything it said for the failure message
        lines += proc.stderr.read().splitlines()
    return lines


def _unfinished_run(target: Target) -> tuple[list[str], bool]:
    rows = target.query("SELECT steps_done, finished_at FROM core_nightlyrun ORDER BY id")
    if not rows:
        return [], False
    steps_done, finished_at = rows[-1]
    steps = steps_done if isinstance(steps_done, dict) else json.loads(steps_done or "{}")
    return list(steps), finished_at is not None


def _check_consistent(target: Target, snapshots: list, steps: list[str], context: str) -> str:
    if target.vendor == "sqlite":
        assert target.query("PRAGMA integrity_check") == [("ok",)], context
        assert target.query("PRAGMA foreign_key_check") == [], context
    done, finished = _unfinished_run(target)
    assert not finished, context
    assert set(done) == set(steps[: len(done)]), context  # a prefix of the steps (jsonb keeps no key order)
    counts = target.counts()
    k = len(done)
    exact = [j for j in (k, k + 1) if j < len(snapshots) and counts == snapshots[j][1]]
    if exact:
        return f"{context}: state after {steps[: exact[0]]}, recorded {done}"
    # only a step that commits per item may be caught half-way, and then only with whole items
    step = steps[k] if k < len(steps) else None
    assert step in PER_ITEM_STEPS, f"{context}: state is neither after {done} nor after one more step: " + str(
        {t: (snapshots[k][1].get(t), counts[t], snapshots[min(k + 1, len(snapshots) - 1)][1].get(t))
         for t in counts if counts[t] != snapshots[k][1].get(t)})
    before, after = snapshots[k][1], snapshots[k + 1][1]
    for table, n in counts.items():
        assert min(before[table], after[table]) <= n <= max(before[table], after[table]), f"{context}: {table}"
    orphans = target.query(
        "SELECT COUNT(*) FROM campaigns_quotefollowup f LEFT JOIN planning_task t ON t.id = f.task_id "
        "WHERE f.task_id IS NOT NULL AND t.id IS NULL")
    assert orphans == [(0,)], context
    return f"{context}: half-way through {step} (whole items only), recorded {done}"


@pytest.fixture
def migrated(transactional_db):
    """The test run's migrated database (only copied, never written): saves a `migrate` per target."""
    from django.db import connection

    assert connection.vendor == "postgresql" or "memory" in connection.settings_dict["NAME"]  # never the dev base
    return connection


def test_sigkill_during_the_nightly_run_repeatedly_stays_consistent_and_a_rerun_completes(tmp_path, migrated):
    seed = int(os.environ.get("ISF_KILL_SEED", time.time_ns() % 100_000))
    rng = random.Random(seed)
    context = f"(ISF_KILL_SEED={seed})"
    target = Target(tmp_path, "run", migrated)
    reference = None
    try:
        target.run(TODAY, script=SEED)
        reference = target.copy_to(tmp_path, "ref")
        snapshots = json.loads(reference.run(TODAY, script=REFERENCE).stdout)
        steps = [step for step, _counts in snapshots[1:]]
        assert snapshots[0][1] == target.counts()
        planned = snapshots[steps.index("planning") + 1][1]["planning_task"] - snapshots[0][1]["planning_task"]
        assert planned > 0  # the planning step has work to do (and to be caught in)
        # a random moment first (start-up, lock, first step), then shortly after given steps began; the
        # planning kill comes right after it printed its plan, inside its transaction, before the tasks go in
        kills = [(None, None, rng.uniform(0.3, 2.5))]
        kills += [(step, marker, rng.uniform(0.0, 0.3)) for step, marker in
                  (("segmentation", "segmentation …"), ("monitoring", "monitoring …"))]
        kills += [("planning", "planned contacts in the horizon", 0.0), ("campaigns", "campaigns …", 0.0)]
        stale_locks = killed = 0
        for step, marker, delay in kills:
            if step is not None and (step not in steps or step in _unfinished_run(target)[0]):
                continue  # already done by a resumed run: its marker would never come
            proc = target.nightly()
            lines = _kill_when(proc, marker=marker, delay=delay)
            where = f"{context} killed {delay:.2f} s after {marker or 'the start'}"
            assert proc.returncode == -signal.SIGKILL, f"{where}: the run ended before the kill\n" + "\n".join(lines[-60:])
            killed += 1
            print(_check_consistent(target, snapshots, steps, where))
            locks = target.query("SELECT holder FROM core_joblock")
            stale_locks += sum(1 for (holder,) in locks if holder.endswith(f":{proc.pid}"))
        assert killed >= 3, context
        # the killed runs left their lock behind; the next run takes it over at once (default 6 h timeout)
        assert stale_locks >= 1, context

        rerun = target.nightly()
        out, err = rerun.communicate(timeout=300)
        assert rerun.returncode == 0, f"{context}\n{err[-3000:]}"
        result = json.loads(out)
        assert result["resumed"] is True, context
        assert sorted(result["steps"]) == sorted(steps), context
        done, finished = _unfinished_run(target)
        assert finished and sorted(done) == sorted(steps), context
        assert target.query("SELECT COUNT(*) FROM core_nightlyrun") == [(1,)], context  # resumed, never restarted
        assert target.query("SELECT COUNT(*) FROM core_joblock") == [(0,)], context
        final = target.counts()
        assert final == snapshots[-1][1], context  # the same base as one uninterrupted run

        again = target.run("nightly", "--json", "--date", TODAY)
        assert json.loads(again.stdout)["resumed"] is False
        assert target.counts() == final, context  # idempotent: nothing new
        assert target.query("SELECT COUNT(*) FROM core_nightlyrun") == [(2,)]
    finally:
        target.drop()
        if reference is not None:
            reference.drop()


# ---- the lock a killed run leaves behind ------------------------------------------------------------------------
def _lock_of(holder: str):
    from django.utils import timezone

    from isf.core.models import JobLock

    now = timezone.now()
    return JobLock.objects.create(name="nightly", holder=holder, acquired_at=now, heartbeat_at=now)


def _child() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


@pytest.mark.django_db
@pytest.mark.parametrize("reaped", [True, False], ids=["reaped", "zombie"])
def test_a_fresh_lock_of_a_killed_process_on_this_machine_is_taken_over_at_once(reaped):
    import socket

    from isf.core.locks import holder_id, lock_acquire
    from isf.core.models import JobLock

    child = _child()
    child.send_signal(signal.SIGKILL)
    if reaped:
        child.wait()
    else:
        time.sleep(0.3)  # dead but not yet waited for by its parent
    try:
        _lock_of(f"{socket.gethostname()}:{child.pid}")
        assert lock_acquire("nightly", timeout_seconds=6 * 3600) == holder_id()
        assert list(JobLock.objects.values_list("holder", flat=True)) == [holder_id()]
    finally:
        child.wait()


@pytest.mark.django_db
def test_a_lock_of_a_live_process_or_of_another_machine_is_respected():
    import socket

    from isf.core.locks import LockBusy, lock_acquire, lock_release
    from isf.core.models import JobLock

    child = _child()
    try:
        _lock_of(f"{socket.gethostname()}:{child.pid}")
        with pytest.raises(LockBusy, match=f":{child.pid}"):
            lock_acquire("nightly", timeout_seconds=6 * 3600)
        lock_release("nightly", f"{socket.gethostname()}:{child.pid}")
    finally:
        child.kill()
        child.wait()
    _lock_of("worker-2.example:999999")  # no such pid here, but it is another machine: only the heartbeat counts
    with pytest.raises(LockBusy, match="worker-2.example:999999"):
        lock_acquire("nightly", timeout_seconds=6 * 3600)
    assert list(JobLock.objects.values_list("holder", flat=True)) == ["worker-2.example:999999"]
