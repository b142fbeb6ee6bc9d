"""isf monitor [--json] [--date YYYY-MM-DD]"""

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from isf.core.locks import LockBusy
from isf.monitoring.services import monitor_run


class Command(BaseCommand):
    help = (
        "Order-behaviour monitoring over the whole base: fit the purchase model, score every account, store "
        "P(alive), expected orders and the next-order window, raise irregularity flags (one task each for the "
        "inside team), close them when the account orders again. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the result as one JSON object on stdout")
        parser.add_argument("--date", type=date.fromisoformat, default=None,
                            help="business date to score as of (YYYY-MM-DD, default today)")
        parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")

    def handle(self, *args, **options):
        def progress(message: str) -> None:
            if not options["quiet"]:
                self.stderr.write(f"  {message}")
                sys.stderr.flush()

        try:
            result = monitor_run(today=options["date"], progress=progress)
        except LockBusy as exc:
            raise CommandError(f"another monitoring run is active: {exc}") from exc
        if options["json"]:
            self.stdout.write(json.dumps(result, default=str))
            return
        self.stdout.write(
            f"monitoring {result['date']}: {result['accounts']:,} accounts scored from {result['order_lines']:,} "
            f"order lines; {result['flags_raised']:,} new flags ({result['tasks_created']:,} tasks, "
            f"{result['owner_notices']:,} key-account notices), {result['flags_resolved']:,} resolved, "
            f"{result['open_flags']:,} open; {result['seconds']['total']} s"
        )
