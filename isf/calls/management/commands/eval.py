"""isf eval cross-sell [--json] [--cutoff YYYY-MM-DD] [--k 5]"""

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from isf.calls.crosssell import evaluate


class Command(BaseCommand):
    help = "Offline evaluation of ISF's analytic methods. Subcommands: cross-sell."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, help="what to evaluate")
        cs = sub.add_parser(
            "cross-sell",
            help="Hit rate at k of the cross-sell suggestions against the popularity baseline on a time split "
                 "(learn from orders before the cutoff, test on product groups an account first bought after it).",
        )
        cs.add_argument("--json", action="store_true", help="print one JSON object on stdout")
        cs.add_argument("--cutoff", help="split date YYYY-MM-DD (default: one year before today)")
        cs.add_argument("--k", type=int, default=5, help="number of suggestions per account (default 5)")

    def handle(self, *args, **options):
        if options["what"] != "cross-sell":
            raise CommandError(f"unknown evaluation {options['what']!r}")
        cutoff = None
        if options.get("cutoff"):
            try:
                cutoff = date.fromisoformat(options["cutoff"])
            except ValueError as exc:
                raise CommandError(f"--cutoff: {options['cutoff']!r} is not a date YYYY-MM-DD") from exc
        if options["k"] < 1:
            raise CommandError("--k: must be at least 1")
        sys.stderr.write("cross-sell: reading first purchases per account and product group …\n")
        result = evaluate(cutoff=cutoff, k=options["k"])
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            f"cross-sell evaluation, time split at {result['cutoff']} (k={result['k']})\n"
            f"  accounts learned from: {result['train_accounts']:,}\n"
            f"  accounts tested (new product group after the cutoff): {result['test_accounts']:,}\n"
            f"  hit rate @{result['k']} co-occurrence: {result['hit_rate_method']:.3f}\n"
            f"  hit rate @{result['k']} popularity:    {result['hit_rate_popularity']:.3f}\n"
        )
