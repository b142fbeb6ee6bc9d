"""isf jobs [--json] [--cancel ID] [--recover]: queued, running and stale background jobs (isf.core.workers)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from isf.core.ops import jobs_overview
from isf.core.workers import JobError, recover_stale_tasks, task_cancel


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else "-"


class Command(BaseCommand):
    help = (
        "List the background jobs that are queued, running or stale (their worker stopped), with the last "
        "recoveries and cancellations; cancel one (--cancel ID) or recover the stale ones now (--recover)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
        parser.add_argument("--cancel", metavar="ID", default=None,
                            help="cancel the queued (or stale) job with this id or id prefix (8+ characters); "
                                 "its page says it was cancelled")
        parser.add_argument("--recover", action="store_true",
                            help="recover stale jobs now (workers do it on their own every heartbeat)")

    def handle(self, *args, **options):
        if options["cancel"] is not None:
            try:
                event = task_cancel(task_id=options["cancel"], by="isf jobs --cancel")
            except JobError as exc:
                raise CommandError(str(exc)) from exc
            if options["json"]:
                self.stdout.write(json.dumps({"cancelled": event.task_id, "subject": event.subject}))
            else:
                self.stdout.write(f"cancelled {event.task_id} {event.subject}".rstrip())
            return
        if options["recover"]:
            for event in recover_stale_tasks(by="isf jobs --recover"):
                self.stderr.write(f"{event.task_id} {event.subject}: {event.message}")
        data = jobs_overview()
        if options["json"]:
            self.stdout.write(json.dumps(data, default=str))
            return
        rows = data["jobs"]
        self.stdout.write(f"{data['queued']} queued, {data['running']} running, {data['stale']} stale")
        if rows:
            self.stdout.write(f"{'ID':<36}  {'STATE':<8}  {'TASK':<28}  {'SINCE':<19}  {'WORKER'}")
        for row in rows:
            self.stdout.write(f"{row['id']:<36}  {row['state']:<8}  {(row['subject'] or row['task'])[:28]:<28}  "
                              f"{_local(row['since']):<19}  {row['worker'] or '-'}")
        if data["events"]:
            self.stdout.write("recent recoveries and cancellations:")
        for event in data["events"]:
            self.stdout.write(f"  {_local(event['at'])}  {event['task_id']}  {event['action']}: {event['message']}")
