"""isf demo [--accounts N] [--years Y] [--seed S] [--reset]"""

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from isf.demo.services import DEMO_PASSWORD, DemoRefused, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo company (Brandl Technik-Großhandel GmbH, a German technical wholesaler) into the "
        "configured database. Refuses to touch a non-empty database unless --reset is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--accounts", type=int, default=2000, help="number of accounts (default 2000)")
        parser.add_argument("--years", type=int, default=3, help="years of order history (default 3)")
        parser.add_argument("--seed", type=int, default=42, help="random seed; the same seed gives the same data")
        parser.add_argument("--reset", action="store_true", help="delete everything in the database first")
        parser.add_argument("--today", type=date.fromisoformat, default=None,
                            help="end date of the history (YYYY-MM-DD, default today)")
        parser.add_argument("--quiet", action="store_true", help="no progress output")

    def handle(self, *args, **options):
        if options["accounts"] < 1:
            raise CommandError("--accounts must be at least 1")
        if options["years"] < 1:
            raise CommandError("--years must be at least 1")

        def progress(message: str) -> None:
            if not options["quiet"]:
                self.stderr.write(f"  {message}")
                sys.stderr.flush()

        try:
            counts = demo_load(
                accounts=options["accounts"], years=options["years"], seed=options["seed"],
                reset=options["reset"], today=options["today"], progress=progress,
            )
        except DemoRefused as exc:
            raise CommandError(f"refused: {exc}; nothing was changed") from exc
        self.stdout.write(
            "Demo loaded: " + ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in counts.items())
        )
        self.stdout.write(f"Logins (password '{DEMO_PASSWORD}'): vl, idl, ad1…ad8, id1…id10, mkt, admin")
