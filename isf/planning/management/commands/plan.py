"""isf plan [--json] [--date YYYY-MM-DD] [--horizon-days N]"""

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from isf.planning.plan import plan_run


class Command(BaseCommand):
    help = (
        "Turn each segment's care matrix and each account's lifecycle phase into planned tasks (contact plans) "
        "for the next days; cancel planned tasks that no longer apply. Idempotent: a second run creates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
        parser.add_argument("--date", type=date.fromisoformat, default=None, help="business date (default today)")
        parser.add_argument("--horizon-days", type=int, default=90, help="plan this many days ahead (1-366, default 90)")

    def handle(self, *args, **options):
        def progress(message: str) -> None:
            self.stderr.write(f"  {message}")
            sys.stderr.flush()

        try:
            result = plan_run(today=options["date"], horizon_days=options["horizon_days"], progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(
                f"{result['accounts']:,} accounts: {result['created']:,} tasks created, "
                f"{result['cancelled']:,} cancelled ({result['seconds']} s)"
            )
