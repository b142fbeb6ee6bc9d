"""isf nightly [--json] [--date YYYY-MM-DD]"""

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from isf.core.locks import LockBusy
from isf.core.nightly import nightly_run


class Command(BaseCommand):
    help = (
        "Run the nightly job: segmentation, lifecycle, monitoring, contact plans, cross-sell, SLA escalation "
        "and retention, in that order. Resumes an interrupted run; exits with a message if another run is active."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument("--date", type=date.fromisoformat, default=None, help="business date (default today)")

    def handle(self, *args, **options):
        def progress(message: str) -> None:
            self.stderr.write(f"  {message}")
            sys.stderr.flush()

        try:
            result = nightly_run(today=options["date"], progress=progress)
        except LockBusy as exc:
            raise CommandError(f"another nightly run is active: {exc}") from exc
        if options["json"]:
            self.stdout.write(json.dumps(result, default=str))
        else:
            self.stdout.write(f"nightly run {result['date']} done ({'resumed' if result['resumed'] else 'new'})")
