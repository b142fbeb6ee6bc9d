"""isf status [--json]: health, queue, stale jobs, workers and the last nightly run (isf.core.ops)."""

import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from isf.core.ops import ops_status


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else "-"


class Command(BaseCommand):
    help = (
        "Show what an operator watches: the database check, queue depth, stale jobs, each worker's last heartbeat "
        "and the last nightly run with its steps. Exits with status 1 when the database does not answer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")

    def handle(self, *args, **options):
        data = ops_status()
        healthy = all(value == "ok" for value in data["checks"].values())
        if options["json"]:
            self.stdout.write(json.dumps(data, default=str))
        else:
            self._print(data)
        if not healthy:
            raise SystemExit(1)

    def _print(self, data: dict) -> None:
        for name, value in data["checks"].items():
            self.stdout.write(f"{name}: {value}")
        if "queue" not in data:
            return
        q = data["queue"]
        self.stdout.write(f"jobs: {q['queued']} queued (oldest {_local(q['oldest_queued_at'])}), {q['running']} running, "
                          f"{q['stale']} stale, {q['failed_last_24h']} failed in the last 24 h")
        for job in data["stale_jobs"]:
            self.stdout.write(f"  stale: {job['id']} {job['subject']} on {job['worker']} since {_local(job['since'])}")
        self.stdout.write(f"workers: {len(data['workers'])}")
        for w in data["workers"]:
            self.stdout.write(f"  {w['worker_id']}  {w['state']}  last heartbeat {_local(w['heartbeat_at'])} "
                              f"({w['seconds_since_heartbeat']} s ago){'  task ' + w['task_id'] if w['task_id'] else ''}")
        nightly = data["nightly"]
        run = nightly["last_run"]
        if run is None:
            self.stdout.write("nightly: never ran")
        else:
            state = f"finished {_local(run['finished_at'])}" if run["finished_at"] else "not finished"
            self.stdout.write(f"nightly: {run['run_date']} started {_local(run['started_at'])}, {state}")
            for step in run["steps"]:
                self.stdout.write(f"  {step['step']}: {'done' if step['done'] else 'open'}")
        if nightly["running_on"]:
            self.stdout.write(f"nightly running on {nightly['running_on']}")
