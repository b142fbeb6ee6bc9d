"""isf export KIND FILE [--format csv|xlsx] [--user NAME] [--lang de|en] [--filter KEY=VALUE ...]

Writes the same file as the list page's "Export CSV / Excel" link (the same columns, filters and permissions),
for scripts and for checking that an export re-imports unchanged (`isf import accounts FILE --dry-run`).
"""

import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from django.utils import translation

from isf.core.params import ParamError
from isf.imports.exportlists import EXPORTS
from isf.imports.exports import export_file, read_back


class _Request:
    """What an export reads of a request: the user and the list's query parameters."""

    def __init__(self, user, query: QueryDict, language: str) -> None:
        self.user, self.GET, self.LANGUAGE_CODE = user, query, language


class Command(BaseCommand):
    help = ("Export a list (accounts, contacts, tasks, leads, service_orders, campaign_results, telemarketing_results) "
            "to a CSV or Excel "
            "file, exactly as the list page's export does.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(EXPORTS), help="The list to export.")
        parser.add_argument("file", help="The file to write (use - for stdout, CSV only).")
        parser.add_argument("--format", choices=("csv", "xlsx"), default=None,
                            help="csv or xlsx (default: from the file's extension, else csv).")
        parser.add_argument("--user", default=None,
                            help="Export what this user sees (default: the first active superuser).")
        parser.add_argument("--lang", choices=("de", "en"), default="de", help="Language of the headers (default: de).")
        parser.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE",
                            help="A filter of the list page, e.g. --filter segment__code=A (repeatable).")
        parser.add_argument("--json", action="store_true", help="Print one JSON object on stdout.")

    def handle(self, *args, **opts):
        fmt = opts["format"] or ("xlsx" if opts["file"].lower().endswith(".xlsx") else "csv")
        if opts["file"] == "-" and fmt == "xlsx":
            raise CommandError("an Excel file cannot go to stdout; give a FILE")
        users = get_user_model().objects.filter(is_active=True)
        user = (users.filter(username=opts["user"]) if opts["user"] else
                users.filter(is_superuser=True).order_by("pk")).first()
        if user is None:
            raise CommandError(f"no active user {opts['user']!r}" if opts["user"] else
                               "no active superuser: name the user whose view to export with --user")
        query = QueryDict(mutable=True)
        for item in opts["filter"]:
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise CommandError(f"--filter {item!r}: expected KEY=VALUE")
            query.appendlist(key, value)
        with translation.override(opts["lang"]):
            try:
                response = export_file(opts["kind"], _Request(user, query, opts["lang"]), fmt)
                body = read_back(response)
            except ParamError as exc:
                raise CommandError(str(exc)) from None
        if opts["file"] == "-":
            sys.stdout.buffer.write(body)
            return
        Path(opts["file"]).write_bytes(body)
        summary = {"kind": opts["kind"], "file": opts["file"], "format": fmt, "bytes": len(body),
                   "user": user.get_username()}
        self.stdout.write(json.dumps(summary) if opts["json"] else f"{opts['kind']}: {len(body):,} bytes to {opts['file']}")
