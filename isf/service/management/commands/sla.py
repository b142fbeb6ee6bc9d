"""`isf sla due` (due time of a request) and `isf sla escalate` (due-soon and breach notices)."""

import json

from django.core.management.base import BaseCommand, CommandError

from isf.service import clock
from isf.service.escalation import sla_escalate


class Command(BaseCommand):
    help = "SLA clock of service orders: compute a due time (due) or send due-soon/breach notices (escalate)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due", help="Print the due time (ISO 8601, local time with UTC offset).")
        due.add_argument("--start", required=True, help="Receipt time, local Europe/Berlin, e.g. 2027-06-07T16:30")
        due.add_argument("--hours", required=True, type=float, help="Service level in business hours (may be fractional)")
        due.add_argument("--state", default=None, help="Federal state whose public holidays count, e.g. BY")
        due.add_argument("--business-hours", default="08:00-17:00", help="Daily business hours, e.g. 08:00-17:00")
        due.add_argument("--workdays", default="1-5", help="ISO weekdays, e.g. 1-5")
        due.add_argument("--no-closing-days", action="store_true",
                         help="Ignore the company closing days stored in ISF")
        due.add_argument("--json", action="store_true", help="Print one JSON object")
        esc = sub.add_parser("escalate", help="Notify assignees and the inside-sales lead once per SLA state change.")
        esc.add_argument("--json", action="store_true", help="Print one JSON object")

    def handle(self, *args, action, **options):
        if action == "escalate":
            counts = sla_escalate()
            self.stdout.write(json.dumps(counts) if options["json"] else
                              ", ".join(f"{k}: {v}" for k, v in counts.items()))
            return
        closing = frozenset()
        if not options["no_closing_days"]:
            try:
                closing = clock.company_closing_days()
            except Exception:  # noqa: BLE001 - no database yet: the calendar has no closing days
                closing = frozenset()
        try:
            due = clock.sla_due(start_local=options["start"], hours=options["hours"], state=options["state"],
                                business_hours=options["business_hours"], workdays=options["workdays"],
                                closing_days=closing)
            cal = clock.calendar_from_spec(state=options["state"], business_hours=options["business_hours"],
                                           workdays=options["workdays"], closing_days=closing)
        except (ValueError, TypeError) as exc:
            raise CommandError(str(exc)) from None
        local = due.astimezone(cal.zone).isoformat()
        if options["json"]:
            self.stdout.write(json.dumps({"due_at": local, "due_at_utc": due.isoformat()}))
        else:
            self.stdout.write(local)
