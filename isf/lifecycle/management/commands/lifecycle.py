"""isf lifecycle [--json] [--date YYYY-MM-DD]"""

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand

from isf.lifecycle.services import lifecycle_update_all


class Command(BaseCommand):
    help = (
        "Derive every account's lifecycle phase (prospect, new, active, at risk, lost, won back) from its orders "
        "and record each transition with its reason. Manual and monitoring phases hold until the next order."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
        parser.add_argument("--date", type=date.fromisoformat, default=None, help="business date (default today)")

    def handle(self, *args, **options):
        def progress(message: str) -> None:
            self.stderr.write(f"  {message}")
            sys.stderr.flush()

        result = lifecycle_update_all(today=options["date"], progress=progress)
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(
                f"{result['accounts']:,} accounts, {result['changed']:,} phase changes, {result['held']:,} held "
                f"({result['seconds']} s)"
            )
