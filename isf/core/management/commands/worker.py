"""isf worker [--interval S] [--max-tasks N] [--batch]: the background worker that recovers (isf.core.workers)."""

import logging
import time

from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import Worker

from isf.core.workers import Heartbeat, new_worker_id, recover_stale_tasks, task_recover

logger = logging.getLogger("isf.worker")
RECONNECT_MAX_SECONDS = 10


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class RecoveringWorker(Worker):
    """django-tasks-db's worker with a heartbeat, recovery of stale tasks and reconnecting after a database restart."""

    def __init__(self, *, heartbeat: Heartbeat, **kwargs):
        super().__init__(**kwargs)
        self.heartbeat = heartbeat
        self.current = None

    def run_task(self, db_task_result) -> None:
        self.current = db_task_result
        self.heartbeat.task_id = str(db_task_result.pk)
        try:
            super().run_task(db_task_result)
        finally:
            self.heartbeat.task_id = ""
            self.current = None

    def run(self) -> None:
        delay = 1.0
        while self.running:
            try:
                self.heartbeat.register()
                recover_stale_tasks(by=self.worker_id)
                super().run()
                return
            except (OperationalError, InterfaceError) as exc:
                interrupted, self.current = self.current, None
                self.heartbeat.task_id = ""
                logger.warning("worker %s: database unavailable (%s: %s); reconnecting in %.0f s", self.worker_id,
                               type(exc).__name__, _first_line(exc), delay)
                connections.close_all()
                time.sleep(delay)
                delay = min(delay * 2, RECONNECT_MAX_SECONDS)
                if interrupted is not None:
                    self._recover_interrupted(interrupted)
                continue
            finally:
                connections.close_all()
        return

    def _recover_interrupted(self, result) -> None:
        """The task this worker ran when the database went away: its transaction is gone, so it is recovered now."""
        try:
            task_recover(result=result, reason=f"The database connection of worker {self.worker_id} broke while "
                                               "running it", by=self.worker_id)
        except (OperationalError, InterfaceError):
            pass  # still down: the next pass (another worker, or this one once it reconnects) recovers it


class Command(BaseCommand):
    help = (
        "Run a background worker (imports and other long jobs) that records a heartbeat, recovers the jobs of "
        "workers that stopped (retried when safe, failed otherwise) and reconnects after a database restart. "
        "Run one or more per machine under systemd (docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0,
                            help="seconds to wait when the queue is empty before looking again (default 1)")
        parser.add_argument("--max-tasks", type=int, default=None,
                            help="exit after running this many tasks (default: run until stopped)")
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--queue-name", default=DEFAULT_TASK_QUEUE_NAME,
                            help="queues to work on, comma-separated, '*' for all (default: %(default)s)")
        parser.add_argument("--worker-id", default=None,
                            help="a unique name of at most 64 characters (default: host:pid:random)")

    def handle(self, *args, **options):
        for name in ("django_tasks_db", "django.tasks", "isf.worker"):
            if logging.getLogger(name).level == logging.NOTSET or options["verbosity"] > 1:
                logging.getLogger(name).setLevel(logging.DEBUG if options["verbosity"] > 1 else logging.INFO)
        worker_id = (options["worker_id"] or new_worker_id())[:64]
        heartbeat = Heartbeat(worker_id)
        worker = RecoveringWorker(
            heartbeat=heartbeat, queue_names=options["queue_name"].split(","), interval=options["interval"],
            batch=options["batch"], backend_name=DEFAULT_TASK_BACKEND_ALIAS, startup_delay=True,
            max_tasks=options["max_tasks"], worker_id=worker_id, excluded_queue_names=[],
        )
        worker.configure_signals()
        heartbeat.start()
        try:
            worker.run()
        finally:
            heartbeat.stop()
            worker.reset_signals()
