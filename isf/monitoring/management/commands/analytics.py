"""isf analytics bgnbd FILE.csv --customer COL --date COL [--date-format %Y%m%d] --calibration-end DATE
[--observation-end DATE] [--json]"""

import json

from django.core.management.base import BaseCommand, CommandError

from isf_stats.base import ConvergenceError
from isf_stats.purchase.analyst import AnalystInputError, run_bgnbd_analysis


def _num(value, digits: int = 4) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


class Command(BaseCommand):
    help = "Analyst checks of ISF's models on your own data. `isf analytics bgnbd FILE.csv ...` fits the BG/NBD."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="analysis", required=True, title="analyses", metavar="ANALYSIS")
        bgnbd = sub.add_parser(
            "bgnbd",
            help="fit the BG/NBD repeat-purchase model on a transaction CSV; with --observation-end also compare "
            "its predictions and ISF's at-risk score with the holdout period",
            description="Reads a CSV with a header row (comma, semicolon, tab or whitespace separated; UTF-8 or "
            "cp1252), one row per purchase. Time unit: weeks at day resolution; same-day purchases of a customer "
            "count once.",
        )
        bgnbd.add_argument("file", metavar="FILE.csv", help="transaction file with a header row")
        bgnbd.add_argument("--customer", required=True, help="name of the customer id column")
        bgnbd.add_argument("--date", required=True, help="name of the purchase date column")
        bgnbd.add_argument("--date-format", default="%Y%m%d",
                           help="strptime format of the date column (default %%Y%%m%%d; ISO dates always work)")
        bgnbd.add_argument("--calibration-end", required=True,
                           help="last day of the calibration period (YYYY-MM-DD or in --date-format)")
        bgnbd.add_argument("--observation-end", default=None,
                           help="last day of the holdout period; adds the holdout comparison")
        bgnbd.add_argument("--json", action="store_true", help="print the result as one JSON object on stdout")

    def handle(self, *args, **options):
        try:
            result = run_bgnbd_analysis(
                options["file"], options["customer"], options["date"], options["date_format"],
                options["calibration_end"], options["observation_end"],
            )
        except AnalystInputError as exc:
            raise CommandError(f"bad input: {exc}") from exc
        except ConvergenceError as exc:
            raise CommandError(f"the BG/NBD model could not be fitted (no estimates reported): {exc}") from exc
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        p, se = result["params"], result["standard_errors"]
        lines = [f"BG/NBD on {result['customers']:,} customers (time unit: week)", "parameter   estimate   std. error"]
        lines += [f"{name:<10} {p[name]:>9.4f} {se[name]:>12.4f}" for name in ("r", "alpha", "a", "b")]
        lines.append(f"log-likelihood {result['loglik']:.2f}")
        hold = result.get("holdout")
        if hold:
            lines += [
                f"holdout: actual repeat purchases {hold['actual']:,}, predicted {hold['predicted']:,.1f}, "
                f"MAE per customer {_num(hold['mae'])}",
                f"ROC AUC for 'no purchase in the holdout': expected purchases {_num(hold['auc_expected'])}, "
                f"ISF at-risk score {_num(hold['auc_risk'])}",
            ]
        lines.append(f"run time {result['runtime_seconds']:.2f} s")
        self.stdout.write("\n".join(lines))
