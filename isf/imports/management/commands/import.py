"""isf import KIND FILE [--mapping MAP.json] [--sheet NAME] [--dry-run] [--skip-invalid] [--json] | isf import KIND --template

Each KIND is a subcommand. accounts, contacts, products, orders and quotes run through isf.imports.kinds
(all or nothing, idempotent, error report CSV); leads through the campaigns app's import service;
`call-volumes` (capacity) is dispatched to isf.capacity.services.call_volumes_import.
Exit code 0 only when the import (or dry run) succeeded.
"""

import json
import resource
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext

from isf.core import spreadsheet
from isf.imports.engine import Mapping, template_csv, write_error_report
from isf.imports.kinds import KINDS, run_import
from isf.imports.otherkinds import OtherKindError, call_volumes_summary, import_call_volumes, import_leads
from isf.imports.wording import reason

#: the reader's message for a workbook with several sheets, completed with how to choose one here
SHEETS_MESSAGE_END = "sheets ("

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
    with translation.override(opts.get("lang") or "de"):
        _table_in_language(command, opts)


def _table_in_language(command, opts):
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
    if opts.get("sheet"):
        mapping = mapping or Mapping()
        mapping.options["sheet"] = opts["sheet"]
    started, cpu_started = time.perf_counter(), time.process_time()
    result = run_import(kind, opts["file"], mapping=mapping, dry_run=opts["dry_run"],
                        skip_invalid=opts["skip_invalid"], headers_path=opts.get("headers"), progress=_progress)
    for p in result.problems:
        if SHEETS_MESSAGE_END in p.message and p.message.endswith("): choose one"):
            p.message += " with --sheet NAME"
    if result.error_count:
        write_error_report(result, _error_report_path(kind, opts["file"]), language=opts.get("lang") or "de")
    out = result.as_json()
    out["seconds"] = round(time.perf_counter() - started, 3)
    out["cpu_seconds"] = round(time.process_time() - cpu_started, 3)
    if result.worker_peak_rss_mb is not None:  # the validating child process (isf.imports.orders)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        out["worker_peak_rss_mb"] = result.worker_peak_rss_mb
        out["cpu_seconds"] = round(out["cpu_seconds"] + children.ru_utime + children.ru_stime, 3)
    if opts["json"]:
        command.stdout.write(json.dumps(out))
    else:
        command.stdout.write(result.summary())
        for p in result.problems[:20]:
            where = ", ".join(x for x in (gettext("row %(n)s") % {"n": p.row} if p.row else "",
                                          gettext("column %(name)r") % {"name": p.column} if p.column else "") if x)
            command.stderr.write(f"  {', '.join(x for x in (result.file, where) if x)}: {reason(p.message)}" + (f" ({p.value!r})" if p.value else ""))
        if result.error_report:
            command.stderr.write(gettext("error report: %(path)s") % {"path": result.error_report})
    if not result.ok:
        sys.exit(1)


def _leads(command, opts):
    with translation.override(opts.get("lang") or "de"):
        _leads_in_language(command, opts)


def _leads_in_language(command, opts):
    if opts["template"]:
        command.stdout.write(template_csv(KINDS["leads"]), ending="")
        return
    if not opts["file"]:
        raise CommandError("give a FILE to import (or --template)")
    out = {"created": 0, "updated": 0, "unchanged": 0, "errors": 0, "errors_total": 0, "first_errors": [],
           "error_report": None}
    try:
        done = import_leads(opts["file"], dry_run=opts["dry_run"])
        out.update(created=done["created"], updated=done["updated"], unchanged=done["unchanged"])
    except OtherKindError as exc:
        errors = [dict(e) for e in exc.details]  # row, column, value, message (row None: the file as a whole)
        out["errors"] = len({e["row"] for e in errors})  # rows with errors (a file-wide error counts as one)
        out["errors_total"] = len(errors)
        out["first_errors"] = errors[:20]
        report = _error_report_path("leads", opts["file"])
        report.parent.mkdir(parents=True, exist_ok=True)
        header = [gettext("file"), gettext("row"), gettext("column"), gettext("value"), gettext("message")]
        spreadsheet.write_csv(report, [header, *([Path(opts["file"]).name, e["row"] or "", e["column"], e["value"],
                                                  e["message"]] for e in errors)])
        out["error_report"] = str(report)
    command.stdout.write(json.dumps(out) if opts["json"] else
                         gettext("leads: created %(created)s, updated %(updated)s, unchanged %(unchanged)s, "
                                 "errors %(errors)s") % out)
    for e in out["first_errors"] if not opts["json"] else ():
        command.stderr.write(f"  {gettext('row %(n)s') % {'n': e['row']} if e['row'] else ''}: {e['message']}")
    if out["errors"]:
        sys.exit(1)


def _call_volumes(command, opts):
    with translation.override(opts.get("lang") or "de"):
        _call_volumes_in_language(command, opts)


def _call_volumes_in_language(command, opts):
    if opts.get("template"):
        command.stdout.write(template_csv(KINDS["call-volumes"]), ending="")
        return
    if not opts["file"]:
        raise CommandError("give a FILE to import (or --template)")
    print(f"reading {opts['file']} ...", file=sys.stderr)
    try:
        result = import_call_volumes(opts["file"], team=opts["team"], dry_run=opts["dry_run"],
                                     timezone=opts.get("timezone"))
    except OtherKindError as exc:
        if not opts["json"]:
            raise CommandError(str(exc)) from None
        errors = [{**d, "message": reason(d["message"])} for d in exc.details]
        report = _error_report_path("call-volumes", opts["file"])
        report.parent.mkdir(parents=True, exist_ok=True)
        header = [gettext("file"), gettext("row"), gettext("column"), gettext("value"), gettext("message")]
        spreadsheet.write_csv(report, [header, *([Path(opts["file"]).name, e["row"] or "", e["column"], e["value"],
                                                  e["message"]] for e in errors)])
        command.stdout.write(json.dumps({"errors": len({e["row"] for e in errors}), "errors_total": len(errors),
                                         "first_errors": errors[:20], "error_report": str(report)}))
        sys.exit(1)
    if opts["json"]:
        command.stdout.write(json.dumps({**result, "errors": 0, "errors_total": 0, "first_errors": []}))
        return
    command.stdout.write(call_volumes_summary(result))


SUBCOMMANDS = {"call-volumes": _call_volumes, "leads": _leads, **{k: _table for k in TABLE_KINDS}}


class Command(BaseCommand):
    help = (
        "Import a CSV/XLSX data file (all or nothing, idempotent). KIND: accounts, contacts, products, orders, "
        "quotes, leads, call-volumes. `isf import KIND --template` prints an example CSV."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        cv = sub.add_parser("call-volumes", help="Interval call volumes (columns start, calls; 5/15/30 minutes).")
        cv.add_argument("file", nargs="?", help="CSV file (; or , separated, UTF-8 or Windows-1252).")
        cv.add_argument("--template", action="store_true", help="Print an example CSV (header and two rows).")
        cv.add_argument("--team", default=None, help="Team code the volumes belong to (default: the whole line).")
        cv.add_argument("--dry-run", action="store_true", help="Check the file and report; store nothing.")
        cv.add_argument("--timezone", default=None,
                        help="IANA time zone of the file's local times (default: the team's, Europe/Berlin).")
        cv.add_argument("--json", action="store_true", help="Print one JSON object on stdout.")
        cv.add_argument("--lang", choices=("de", "en"), default="de",
                        help="Language of the messages and the error report (default: de).")
        for kind in (*TABLE_KINDS, "leads"):
            p = sub.add_parser(kind, help=KIND_HELP[kind])
            p.add_argument("file", nargs="?", help="CSV (; , or tab; UTF-8 or Windows-1252) or XLSX file.")
            p.add_argument("--template", action="store_true", help="Print an example CSV (header and two rows).")
            p.add_argument("--mapping", help="JSON mapping file: {\"columns\": {field: column}, \"delimiter\": ...}.")
            if kind in TABLE_KINDS:
                p.add_argument("--sheet", metavar="NAME", help="Worksheet of a multi-sheet XLSX to read (overrides the mapping's \"sheet\").")
            p.add_argument("--dry-run", action="store_true", help="Validate and count; write nothing.")
            p.add_argument("--skip-invalid", action="store_true",
                           help="Write the valid rows and report the invalid ones (default: all or nothing).")
            p.add_argument("--json", action="store_true", help="Print one JSON object on stdout.")
            p.add_argument("--lang", choices=("de", "en"), default="de",
                           help="Language of the messages, the error report and the template headers (default: de).")
            if kind == "orders":
                p.add_argument("--headers", help="Separate order header file (order_number, customer_number, order_date).")

    def handle(self, *args, **opts):
        handler = SUBCOMMANDS.get(opts["kind"])
        if handler is None:  # pragma: no cover - argparse refuses unknown kinds first
            raise CommandError(f"unknown import kind {opts['kind']!r}")
        return handler(self, opts)
