"""The two import kinds that other apps own: leads (campaigns) and call volumes (capacity).

``isf import leads|call-volumes`` and the upload page both run them through these functions, so the command
line and the UI accept and refuse exactly the same files.  Both services are all or nothing.
"""

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from isf.campaigns.errors import CampaignsError
from isf.campaigns.services.lead_import import lead_import_rows, parse_rows, rows_from_table

#: kinds of the upload page that are not table kinds of :func:`isf.imports.kinds.run_import`
OTHER_KINDS = ("leads", "call-volumes")


class OtherKindError(Exception):
    """The file was refused; ``errors`` lists every reason (one per bad row where the service says so)."""

    def __init__(self, errors: list[str], details: list[dict] | None = None):
        super().__init__("; ".join(errors[:20]))
        self.errors = errors
        #: every problem as row, column, value, message (English; None row: the file as a whole)
        self.details = details or [{"row": None, "column": "", "value": "", "message": e} for e in errors]


def _lead_rows(path: Path) -> list[dict]:
    """The lead rows of a CSV file, or of an Excel workbook read by the import reader (cells as text)."""
    if path.suffix.lower() != ".xlsx":
        return parse_rows(path.read_bytes())
    from isf.imports.reader import FileFormatError, open_table

    try:
        with open_table(path) as table:
            return rows_from_table(table.header, ([row.get(h, "") for h in table.header] for _n, row in table),
                                   decimal_separator=table.dialect.decimal_separator)
    except FileFormatError as exc:
        raise OtherKindError([str(exc)]) from None


def import_leads(path: str | Path, *, dry_run: bool = False, user=None) -> dict:
    """Leads from a CSV or Excel file through the campaigns app's import:
    ``{"created": n, "updated": n, "unchanged": n, "dry_run": bool}`` (rows with a lead number are that lead)."""
    try:
        rows = _lead_rows(Path(path))
        with transaction.atomic():
            done = lead_import_rows(rows=rows, user=user)
            if dry_run:
                transaction.set_rollback(True)
    except CampaignsError as exc:
        raise OtherKindError(list(getattr(exc, "errors", None) or [str(exc)]), getattr(exc, "details", None)) from None
    return {"created": len(done.created), "updated": done.updated, "unchanged": done.unchanged, "dry_run": dry_run}


def import_call_volumes(path: str | Path, *, team=None, dry_run: bool = False, timezone: str | None = None,
                        mapping: dict[str, str] | None = None) -> dict:
    """Interval call volumes through the capacity app's import (the result dict of ``call_volumes_import``)."""
    from isf.capacity.services import CapacityError, call_volumes_import

    try:
        return call_volumes_import(path=path, team=team, dry_run=dry_run, timezone=timezone, mapping=mapping)
    except CapacityError as exc:
        raise OtherKindError([str(exc)], exc.details or None) from None


def call_volumes_summary(result: dict) -> str:
    """What a call-volume import did (or would do), in the active language."""
    from datetime import datetime

    from isf.core.dates import format_datetime
    from isf.core.numbers import format_number
    from isf.org.models import Team

    team = Team.objects.filter(code=result["team"]).values_list("name", flat=True).first() if result["team"] else None
    values = {**result, "team": team or result["team"] or _("the whole line"), "calls": format_number(result["calls"]),
              "rows": format_number(result["rows"]),
              **{k: format_datetime(datetime.fromisoformat(result[k])) for k in ("first_interval", "last_interval")}}
    text = (_("would import %(rows)s intervals of %(resolution_minutes)s minutes") if result["dry_run"]
            else _("imported %(rows)s intervals of %(resolution_minutes)s minutes")) % values
    text += " " + (_("(%(first_interval)s – %(last_interval)s, %(calls)s calls) for %(team)s; "
                     "would replace %(replaced)s stored intervals") if result["dry_run"] else
                   _("(%(first_interval)s – %(last_interval)s, %(calls)s calls) for %(team)s; "
                     "replaced %(replaced)s stored intervals")) % values
    if result.get("closed_intervals"):
        text += "; " + _("%(closed_intervals)s intervals closed (outside the opening hours)") % values
    for warning in result.get("warnings") or ():
        text += "; " + _("warning: %(warning)s") % {"warning": warning}
    return text
