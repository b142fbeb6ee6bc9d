"""isf segment [--json] [--today YYYY-MM-DD]: assign every account to its segment."""

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from isf.segmentation.services import SegmentError, segments_assign_all


class Command(BaseCommand):
    help = (
        "Assign every account to its segment by the segment rules (revenue of the last 12 months, potential, "
        "customer type); accounts with an open manual override keep it, expired overrides fall back to the rules. "
        "Every change is recorded. Part of the nightly run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print one JSON object with the result on stdout")
        parser.add_argument("--today", type=date.fromisoformat, default=None,
                            help="evaluate as of this date (YYYY-MM-DD, default today)")
        parser.add_argument("--quiet", action="store_true", help="no progress output on stderr")

    def handle(self, *args, **options):
        def progress(message: str) -> None:
            if not options["quiet"]:
                self.stderr.write(f"  {message}")
                sys.stderr.flush()

        try:
            result = segments_assign_all(today=options["today"], progress=progress)
        except SegmentError as exc:
            raise CommandError(f"refused: {exc.message}; nothing was changed") from exc
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        per = ", ".join(f"{code or '-'} {n:,}" for code, n in result["per_segment"].items())
        self.stdout.write(f"{result['accounts']:,} accounts, {result['changed']:,} changed segment "
                          f"({result['overrides_expired']} overrides expired) in {result['seconds']} s: {per}")
