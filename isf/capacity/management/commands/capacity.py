"""isf capacity: forecast accuracy of interval call volumes (backtest) and related checks."""

import json
import sys

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from isf.capacity.opening import open_mask
from isf.capacity.volumefile import VolumeFileError, read_volume_file
from isf_stats.capacity import METHODS, VolumeSeriesError, backtest


def local_grid(parsed):
    """The file's intervals as naive local starts (the repeated autumn hour summed into one set)."""
    from isf.capacity.selectors import _bucket, _local_minute

    starts = [_local_minute(s) for s in parsed.starts_utc]
    return _bucket(starts, parsed.counts, parsed.first_local.date(), parsed.last_local.date(),
                   parsed.resolution_minutes)


class Command(BaseCommand):
    help = ("Capacity tools. 'backtest': rolling-origin forecast backtest of a call-volume file, reported as MASE "
            "over the open intervals.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        bt = sub.add_parser("backtest", help="Backtest the interval forecast on a call-volume CSV (start;calls).")
        bt.add_argument("--volumes", required=True, help="CSV file with columns start and calls (5/15/30 minutes).")
        bt.add_argument("--horizon-days", type=int, default=5, help="Days forecast from each origin (default 5).")
        bt.add_argument("--method", default="isf", choices=METHODS, help="Forecast method (default isf).")
        bt.add_argument("--min-train-weeks", type=int, default=3, help="Weeks of history before the first origin.")
        bt.add_argument("--team", default=None,
                        help="Team code: its opening hours and holidays tell closed intervals from gaps, and only "
                             "open intervals are tested (default: the file's weekly pattern).")
        bt.add_argument("--timezone", default=None, help="IANA time zone of the file's local times.")
        bt.add_argument("--json", action="store_true", help="Print one JSON object on stdout.")

    def handle(self, *args, **opts):
        if opts["action"] == "backtest":
            return self.backtest(opts)
        raise CommandError(f"unknown action {opts['action']!r}")  # pragma: no cover - argparse refuses first

    def backtest(self, opts):
        if opts["horizon_days"] < 1:
            raise CommandError(f"--horizon-days must be at least 1, got {opts['horizon_days']}")
        cal = None
        if opts.get("team"):
            from isf.capacity.processtimes import team_calendar
            from isf.org.models import Team

            team = Team.objects.filter(code=opts["team"]).first()
            if team is None:
                raise CommandError(f"team {opts['team']!r} does not exist")
            cal = team_calendar(team)
        try:
            parsed = read_volume_file(opts["volumes"], opts.get("timezone"), calendar=cal)
        except VolumeFileError as exc:
            raise CommandError(str(exc)) from None
        for warning in parsed.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        starts, counts = local_grid(parsed)
        is_open = open_mask(starts, parsed.resolution_minutes, cal=cal, present=parsed.local_starts)
        # the file is cut to whole days: leading/trailing partial days are zero-padded by the grid, so drop them
        first = np.datetime64(parsed.first_local, "m")
        last = np.datetime64(parsed.last_local, "m")
        keep = (starts >= first) & (starts <= last)
        print(f"backtesting {int(keep.sum())} intervals ...", file=sys.stderr)
        try:
            result = backtest(starts[keep], counts[keep], horizon_days=opts["horizon_days"], method=opts["method"],
                              min_train_weeks=opts["min_train_weeks"], open_intervals=is_open[keep])
        except (VolumeSeriesError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        result["resolution_minutes"] = parsed.resolution_minutes
        result["horizon_days"] = opts["horizon_days"]
        result["closed_intervals"], result["gaps"], result["warnings"] = (
            parsed.closed_intervals, parsed.gaps, parsed.warnings)
        if opts["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(f"method               {result['method']['name']}")
        self.stdout.write(f"mase                 {result['mase']:.4f}")
        self.stdout.write(f"mase_seasonal_naive  {result['mase_seasonal_naive']:.4f}")
        self.stdout.write(f"mae                  {result['mae']:.3f} calls per interval")
        self.stdout.write(f"points_tested        {result['points_tested']} (open intervals only)")
        self.stdout.write(f"points_closed        {result['points_closed']}")
        self.stdout.write(f"origins              {len(result['origins'])}")
        verdict = "beats" if result["mase"] < 1 else "does not beat"
        self.stdout.write(f"The {result['method']['name']} forecast {verdict} seasonal naive.")
