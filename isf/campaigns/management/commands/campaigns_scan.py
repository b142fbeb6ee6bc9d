"""`isf campaigns_scan`: the nightly producers of this app (idempotent)."""

import json
import sys

from django.core.management.base import BaseCommand

from isf.campaigns.services.accounts import buying_center_scan, quote_followups_schedule


class Command(BaseCommand):
    help = (
        "Schedule a follow-up task for every open quote without one and open buying-center re-mapping tasks "
        "for decision makers marked leaving/left by an import. Safe to run repeatedly."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Schedule at most this many quote follow-ups.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object with the counts on stdout.")

    def handle(self, *args, **options):
        sys.stderr.write("quote follow-ups …\n")
        quotes = quote_followups_schedule(limit=options["limit"])
        sys.stderr.write("buying-center changes …\n")
        tasks = buying_center_scan()
        result = {"quote_followups": quotes, "buying_center_tasks": tasks}
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(f"{quotes} quote follow-ups scheduled, {tasks} buying-center tasks created")
