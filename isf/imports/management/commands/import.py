"""isf import KIND FILE [--mapping MAP.json] [--dry-run] [--skip-invalid] [--json] | isf import KIND --template

Each KIND is a subcommand. accounts, contacts, products, orders and quotes run through isf.imports.kinds
(all or nothing, idempotent, error report CSV); leads through the campaigns app's import service;
`call-volumes` (capacity) is dispatched to isf.capacity.services.call_volumes_import.
Exit code 0 only when the import (or dry run) succeeded.
"""

import json
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from isf.imports.engine import Mapping, template_csv, write_error_report
from isf.imports.kinds import KINDS, leads_service, run_import

TABLE_KINDS = ("accounts", "contacts", "products", "orders", "quotes")
KIND_HELP = {
    "accounts": "Customers keyed by ERP number; phones normalised to E.164, region derived from the postcode.",
    "contacts": "Contacts keyed by external id (or customer number + name).",
    "products": "Products keyed by article number (sku).",
    "orders": "Order lines keyed by order number + line (flat, or with --headers HEADERS.csv).",
    "quotes": "Quotes keyed by quote number.",
    "leads": "Leads from marketing (campaigns app's import).",
}


def _error_report_path(kind: str, file: str) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "imports" / f"{Path(file).stem}-{kind}-errors-{stamp}.csv"


def _progress(phase: str, done: int, total: int | None) -> None:
    pct = f" ({min(100, done * 100 // total)} %)" if total else ""
    print(f"{phase}: {done:,} rows{pct}", file=sys.stderr)


def _table(command, opts):
    kind = opts["kind"]
    if opts["template"]:
        command.stdout.write(template_csv(KINDS[kind]), ending="")
        return
    if not opts["file"]:
        raise CommandError("give a FILE to import (or --template)")
    mapping = None
    if opts.get("mapping"):
        try:
            mapping = Mapping.from_file(opts["mapping"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
    started, cpu_started = time.perf_counter(), time.process_time()
    result = run_import(kind, opts["file"], mapping=mapping, dry_run=opts["dry_run"],
                        skip_invalid=opts["skip_invalid"], headers_path=opts.get("headers"), progress=_progress)
    if result.error_count:
        write_error_report(result, _error_report_path(kind, opts["file"]))
    out = result.as_json()
    out["seconds"] = round(time.perf_counter() - started, 3)
    out["cpu_seconds"] = round(time.process_time() - cpu_started, 3)
    if opts["json"]:
        command.stdout.write(json.dumps(out))
    else:
        command.stdout.write(result.summary())
        for p in result.problems[:20]:
            where = ", ".join(x for x in (f"row {p.row}" if p.row else "", f"column {p.column!r}" if p.column else "") if x)
            command.stderr.write(f"  {result.file}, {where}: {p.message}" + (f" ({p.value!r})" if p.value else ""))
        if result.error_report:
            command.stderr.write(f"error report: {result.error_report}")
    if not result.ok:
        sys.exit(1)


def _leads(command, opts):
    if opts["template"]:
        command.stdout.write(template_csv(KINDS["leads"]), ending="")
        return
    service = leads_service()
    if service is None:
        raise CommandError("lead import is not available (the campaigns app is not installed)")
    if not opts["file"]:
        raise CommandError("give a FILE to import (or --template)")
    from isf.campaigns.errors import CampaignsError

    raw = Path(opts["file"]).read_bytes()
    out = {"created": 0, "updated": 0, "unchanged": 0, "errors": 0, "error_report": None}
    try:
        if opts["dry_run"]:
            from django.db import transaction

            with transaction.atomic():
                out["created"] = len(service(raw=raw, user=None))
                transaction.set_rollback(True)
        else:
            out["created"] = len(service(raw=raw, user=None))
    except CampaignsError as exc:
        errors = getattr(exc, "errors", [str(exc)])
        out["errors"] = len(errors)
        report = _error_report_path("leads", opts["file"])
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text("message\r\n" + "\r\n".join(e.replace("\n", " ") for e in errors) + "\r\n",
                          encoding="utf-8-sig")
        out["error_report"] = str(report)
    command.stdout.write(json.dumps(out) if opts["json"] else
                         f"leads: created {out['created']}, errors {out['errors']}")
    if out["errors"]:
        sys.exit(1)


def _call_volumes(command, opts):
    from isf.capacity.services import CapacityError, call_volumes_import

    print(f"reading {opts['file']} ...", file=sys.stderr)
    try:
        result = call_volumes_import(path=opts["file"], team=opts["team"], dry_run=opts["dry_run"])
    except CapacityError as exc:
        raise CommandError(str(exc)) from None
    if opts["json"]:
        command.stdout.write(json.dumps(result))
        return
    verb = "would import" if result["dry_run"] else "imported"
    command.stdout.write(
        f"{verb} {result['rows']} intervals of {result['resolution_minutes']} minutes "
        f"({result['first_interval']} – {result['last_interval']}, {result['calls']} calls) "
        f"for {result['team'] or 'the whole line'}; replaced {result['replaced']} stored intervals"
    )


SUBCOMMANDS = {"call-volumes": _call_volumes, "leads": _leads, **{k: _table for k in TABLE_KINDS}}


class Command(BaseCommand):
    help = (
        "Import a CSV/XLSX data file (all or nothing, idempotent). KIND: accounts, contacts, products, orders, "
        "quotes, leads, call-volumes. `isf import KIND --template` prints an example CSV."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        cv = sub.add_parser("call-volumes", help="Interval call volumes (columns start, calls; 5/15/30 minutes).")
        cv.add_argument("file", help="CSV file (; or , separated, UTF-8 or Windows-1252).")
        cv.add_argument("--team", default=None, help="Team code the volumes belong to (default: the whole line).")
        cv.add_argument("--dry-run", action="store_true", help="Check the file and report; store nothing.")
        cv.add_argument("--json", action="store_true", help="Print one JSON object on stdout.")
        for kind in (*TABLE_KINDS, "leads"):
            p = sub.add_parser(kind, help=KIND_HELP[kind])
            p.add_argument("file", nargs="?", help="CSV (; , or tab; UTF-8 or Windows-1252) or XLSX file.")
            p.add_argument("--template", action="store_true", help="Print an example CSV (header and two rows).")
            p.add_argument("--mapping", help="JSON mapping file: {\"columns\": {field: column}, \"delimiter\": ...}.")
            p.add_argument("--dry-run", action="store_true", help="Validate and count; write nothing.")
            p.add_argument("--skip-invalid", action="store_true",
                           help="Write the valid rows and report the invalid ones (default: all or nothing).")
            p.add_argument("--json", action="store_true", help="Print one JSON object on stdout.")
            if kind == "orders":
                p.add_argument("--headers", help="Separate order header file (order_number, customer_number, order_date).")

    def handle(self, *args, **opts):
        handler = SUBCOMMANDS.get(opts["kind"])
        if handler is None:  # pragma: no cover - argparse refuses unknown kinds first
            raise CommandError(f"unknown import kind {opts['kind']!r}")
        return handler(self, opts)
