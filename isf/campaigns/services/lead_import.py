"""Import of leads (CSV, or rows an Excel reader gives): all rows valid or nothing saved; errors name the row and the
field.

A row with a lead number (the lead list's export writes it first) is that lead: unchanged when the file's columns
hold what the lead has, else those columns are updated (a column the file does not have is left as it is). A row
without one is a new lead, validated, scored and routed. So the lead list's export re-imports with nothing created
and nothing updated, CSV or Excel.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.campaigns.choices import LeadSource
from isf.campaigns.errors import CampaignsError
from isf.campaigns.models import Lead
from isf.campaigns.services.leads import lead_create, lead_data_checked, lead_rescore, region_for_postcode
from isf.core.spreadsheet import csv_text_value

HEADERS = {
    "lead number": "number",
    "lead-nr.": "number",
    "lead-nr": "number",
    "leadnummer": "number",
    "lead_id": "number",
    "lead id": "number",
    "company": "company",
    "firma": "company",
    "unternehmen": "company",
    "contact_name": "contact_name",
    "contact": "contact_name",
    "contact person": "contact_name",
    "ansprechpartner": "contact_name",
    "name": "contact_name",
    "email": "email",
    "e-mail": "email",
    "mail": "email",
    "phone": "phone",
    "telefon": "phone",
    "tel": "phone",
    "street": "street",
    "strasse": "street",
    "straße": "street",
    "postcode": "postcode",
    "plz": "postcode",
    "zip": "postcode",
    "city": "city",
    "ort": "city",
    "stadt": "city",
    "industry": "industry",
    "branche": "industry",
    "wz": "industry",
    "employee_band": "employee_band",
    "employees": "employee_band",
    "mitarbeiter": "employee_band",
    "potential": "potential",
    "potenzial": "potential",
    "message": "message",
    "nachricht": "message",
    "meldung": "message",
    "notiz": "message",
}
MAX_ROWS = 5000


class ImportErrors(CampaignsError):
    """Every problem of a file: ``errors`` as "row N: message" lines, ``details`` as row, column, value, message."""

    def __init__(self, errors: list[str], details: list[dict] | None = None):
        more = _(" (+%(n)s more)") % {"n": len(errors) - 20} if len(errors) > 20 else ""
        super().__init__("; ".join(errors[:20]) + more, "file")
        self.errors = errors
        self.details = details or []


def _column(field: str) -> str:
    """The column a lead field is read from, by its label in the page language ("Potenzial", "potential")."""
    try:
        return str(Lead._meta.get_field(field).verbose_name)
    except Exception:  # noqa: BLE001 - a checked name that is no model field (the contact channel, the lead number)
        return {"number": _("lead number")}.get(field, field)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


#: The key under which a row carries its file's decimal separator (not a lead field).
DECIMAL_KEY = "_decimal_separator"


def header_key(column: str) -> str | None:
    """The lead field a column heading names ("Potenzial (EUR)" -> potential), or None."""
    name = str(column or "").strip().lower()
    return HEADERS.get(name) or HEADERS.get(re.sub(r"\s*\(.*\)\s*$", "", name))


def rows_from_table(header: list[str], records, decimal_separator: str | None = None) -> list[dict]:
    """Field dicts from a header and its records (lists of cells); a CSV export's formula guard ("'+49...") is
    taken off. ``decimal_separator`` is the file's ("," German, "." English; None: the page language's), kept with
    each row as ``DECIMAL_KEY`` so numbers are read as the file writes them."""
    mapping = [header_key(col) for col in header]
    if "company" not in mapping:
        raise CampaignsError(_("file: no column 'company' (or 'Firma') in the header"), "file")
    rows = []
    for values in records:
        if not any(str(v or "").strip() for v in values):
            continue
        row = {key: csv_text_value(str(value or "")) for key, value in zip(mapping, values, strict=False) if key}
        if decimal_separator:
            row[DECIMAL_KEY] = decimal_separator
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise CampaignsError(_("file: at most %(MAX_ROWS)s rows per import") % {"MAX_ROWS": MAX_ROWS}, "file")
    return rows


def parse_rows(raw: bytes) -> list[dict]:
    text = _decode(raw)
    if not text.strip():
        raise CampaignsError(_("file: the file is empty"), "file")
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    # a ;-separated file is written the German way ("80.000" is eighty thousand), a ,-separated one the English way
    return rows_from_table(header, reader, decimal_separator="," if delimiter == ";" else ".")


@dataclass
class LeadImport:
    """What a lead import did: the new leads, and the counts of stored leads updated or left unchanged."""

    created: list = field(default_factory=list)
    updated: int = 0
    unchanged: int = 0


def _stored_lead(row: dict, number: int):
    text = str(row.get("number") or "").strip()
    if not text:
        return None, ""
    if not text.isdigit() or len(text) > 12:
        return None, _("row %(row)s: lead number '%(value)s' is not a number") % {"row": number, "value": text}
    lead = Lead.objects.filter(pk=int(text)).first()
    if lead is None:
        return None, _("row %(row)s: no lead has the number %(value)s") % {"row": number, "value": text}
    return lead, ""


@transaction.atomic
def lead_import_rows(*, rows: list[dict], user) -> LeadImport:
    """Import field dicts (see the module docstring). Every row is checked first; one bad row refuses the file."""
    errors, details, checked = [], [], []
    for number, row in enumerate(rows, start=2):
        lead, problem = _stored_lead(row, number)
        if problem:
            errors.append(problem)
            details.append({"row": number, "column": _column("number"), "value": str(row.get("number") or ""),
                            "message": problem.split(": ", 1)[-1]})
        separator = row.pop(DECIMAL_KEY, None)
        clean, problems = lead_data_checked(row, number_language={",": "de", ".": "en"}.get(separator))
        errors += [_("row %(row)s: %(message)s") % {"row": number, "message": exc.message} for exc in problems]
        details += [{"row": number, "column": _column(exc.field), "value": str(row.get(exc.field) or ""),
                     "message": exc.message} for exc in problems]
        if not problems:
            checked.append((lead, row, clean))
    if errors:
        raise ImportErrors(errors, details)
    now = timezone.now()
    done = LeadImport()
    for lead, row, clean in checked:
        if lead is None:
            done.created.append(lead_create(data=row, source=LeadSource.IMPORT, user=user, now=now).lead)
            continue
        changed = {name: value for name, value in clean.items() if name in row and getattr(lead, name) != value}
        if not changed:
            done.unchanged += 1
            continue
        for name, value in changed.items():
            setattr(lead, name, value)
        if "postcode" in changed:
            lead.region = region_for_postcode(lead.postcode)
        lead.save()
        lead_rescore(lead=lead, now=now)
        done.updated += 1
    return done


def lead_import_csv(*, raw: bytes, user) -> list:
    """Import leads from CSV; the new leads (see :func:`lead_import_rows`)."""
    return lead_import_rows(rows=parse_rows(raw), user=user).created
