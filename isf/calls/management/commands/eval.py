"""isf eval cross-sell [--json] [--cutoff YYYY-MM-DD] [--k 5]
isf eval monitoring [--json] [--cutoff YYYY-MM-DD] [--save]"""

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from isf.calls.crosssell import evaluate


class Command(BaseCommand):
    help = "Offline evaluation of ISF's analytic methods. Subcommands: cross-sell, monitoring."

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
        mon = sub.add_parser(
            "monitoring",
            help="Precision of every order-behaviour flag kind against its base rate on a time split (learn up to "
                 "the cutoff, raise flags as the nightly run would, observe the next 90 days).",
        )
        mon.add_argument("--json", action="store_true", help="print one JSON object on stdout")
        mon.add_argument("--cutoff", help="split date YYYY-MM-DD (default: 180 days before the last order)")
        mon.add_argument("--save", action="store_true",
                         help="make the result the calibration in force (which flag kinds the nightly run raises)")

    def handle(self, *args, **options):
        cutoff = None
        if options.get("cutoff"):
            try:
                cutoff = date.fromisoformat(options["cutoff"])
            except ValueError as exc:
                raise CommandError(f"--cutoff: {options['cutoff']!r} is not a date YYYY-MM-DD") from exc
        if options["what"] == "monitoring":
            return self.monitoring(cutoff, options)
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

    def monitoring(self, cutoff, options):
        from django.utils import timezone

        from isf.monitoring.calibration import calibration_save
        from isf.monitoring.evaluation import evaluate as evaluate_flags

        sys.stderr.write("monitoring: reading the order lines, scoring at the cutoff …\n")
        try:
            result = evaluate_flags(cutoff=cutoff)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["save"]:
            calibration_save(result=result, today=timezone.localdate())
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(f"monitoring evaluation: learned up to {result['cutoff']}, observed until "
                          f"{result['observed_until']}, {result['accounts_scored']:,} accounts scored\n")
        self.stdout.write(f"  {'flag':<15}{'flagged':>9}{'share':>8}{'precision':>11}{'base rate':>11}  raised\n")
        for item in [*result["items"], result["total"]]:
            share, prec, base = (("–" if v is None else f"{v:.3f}")
                                 for v in (item["flagged_share"], item["precision"], item["base_rate"]))
            raised = "" if item["flag"] == "total" else ("yes" if result["raised"][item["flag"]] else "no")
            self.stdout.write(f"  {item['flag']:<15}{item['flagged']:>9,}{share:>8}{prec:>11}{base:>11}  {raised}\n")
