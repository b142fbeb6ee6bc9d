"""isf queue load [--team CODE] [--days N] [--json]: each team's work against its capacity, per business day."""

import json

from django.core.management.base import BaseCommand, CommandError

from isf.capacity.schedule import queue_load
from isf.org.models import Team

MAX_DAYS = 90


class Command(BaseCommand):
    help = ("Work queues against capacity. 'load': per team and each of the next business days, the working "
            "minutes the present staff has (after shrinkage), the inbound-call minutes (Erlang C on the forecast), "
            "the expected SLA minutes, the minutes of queue work due, the planned contacts deferred for capacity, "
            "and the team's overdue tasks now.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = sub.add_parser("load", help="Capacity against queue work per team and business day.")
        load.add_argument("--team", default="", metavar="CODE",
                          help="Only this inside team (its code, e.g. SMB; default: every team).")
        load.add_argument("--days", type=int, default=10, metavar="N",
                          help=f"Number of business days from today (1-{MAX_DAYS}, default 10).")
        load.add_argument("--json", action="store_true",
                          help="Print one JSON object on stdout: {\"teams\": [{\"team\", \"overdue_tasks\", "
                               "\"days\": [{\"date\", \"capacity_minutes\", \"inbound_minutes\", \"sla_minutes\", "
                               "\"planned_minutes\", \"deferred_tasks\", \"overdue_tasks\", ...}]}]}.")

    def handle(self, *args, **opts):
        if opts["action"] != "load":  # pragma: no cover - argparse refuses other actions first
            raise CommandError(f"unknown action {opts['action']!r}")
        days = opts["days"]
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(f"--days must be between 1 and {MAX_DAYS}, got {days}")
        teams = list(Team.objects.order_by("code"))
        code = (opts["team"] or "").strip()
        if code:
            teams = [t for t in teams if t.code.lower() == code.lower()]
            if not teams:
                known = ", ".join(Team.objects.order_by("code").values_list("code", flat=True)) or "none"
                raise CommandError(f"--team: no team with code {code!r} (known: {known})")
        rows = queue_load(teams=teams, days=days)
        for team in rows:
            for day in team["days"]:
                day["overdue_tasks"] = team["overdue_tasks"]
        if opts["json"]:
            self.stdout.write(json.dumps({"days": days, "teams": rows}))
            return
        header = f"{'date':<11} {'capacity':>9} {'inbound':>8} {'SLA':>6} {'planned':>8} {'free':>7} {'deferred':>9}"
        for team in rows:
            self.stdout.write(f"{team['team']}  (overdue tasks now: {team['overdue_tasks']}; minutes per day)")
            self.stdout.write(header)
            for d in team["days"]:
                free = d["capacity_minutes"] - d["inbound_minutes"] - d["sla_minutes"] - d["planned_minutes"]
                mark = "  over capacity" if free < 0 else ""
                self.stdout.write(
                    f"{d['date']:<11} {d['capacity_minutes']:>9} {d['inbound_minutes']:>8} {d['sla_minutes']:>6} "
                    f"{d['planned_minutes']:>8} {free:>7} {d['deferred_tasks']:>9}{mark}")
            self.stdout.write("")
