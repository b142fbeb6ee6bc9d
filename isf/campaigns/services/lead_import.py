"""CSV import of leads: all rows valid or nothing saved; errors name the row and the field."""

import csv
import io

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.campaigns.choices import LeadSource
from isf.campaigns.errors import CampaignsError
from isf.campaigns.services.leads import clean_lead_data, lead_create

HEADERS = {
    "company": "company",
    "firma": "company",
    "unternehmen": "company",
    "contact_name": "contact_name",
    "contact": "contact_name",
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
    "notiz": "message",
}
MAX_ROWS = 5000


class ImportErrors(CampaignsError):
    def __init__(self, errors: list[str]):
        more = _(" (+%(n)s more)") % {"n": len(errors) - 20} if len(errors) > 20 else ""
        super().__init__("; ".join(errors[:20]) + more, "file")
        self.errors = errors


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def parse_rows(raw: bytes) -> list[dict]:
    text = _decode(raw)
    if not text.strip():
        raise CampaignsError(_("file: the file is empty"), "file")
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    mapping = []
    for col in header:
        key = HEADERS.get(col.strip().lower())
        mapping.append(key)
    if "company" not in mapping:
        raise CampaignsError(_("file: no column 'company' (or 'Firma') in the header"), "file")
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        rows.append({key: value for key, value in zip(mapping, values, strict=False) if key})
        if len(rows) > MAX_ROWS:
            raise CampaignsError(_("file: at most %(MAX_ROWS)s rows per import") % {"MAX_ROWS": MAX_ROWS}, "file")
    return rows


@transaction.atomic
def lead_import_csv(*, raw: bytes, user) -> list:
    """Import leads from CSV. Every row is checked first; one bad row refuses the whole file."""
    rows = parse_rows(raw)
    errors = []
    for number, row in enumerate(rows, start=2):
        try:
            clean_lead_data(row)
        except CampaignsError as exc:
            errors.append(_("row %(row)s: %(message)s") % {"row": number, "message": exc.message})
    if errors:
        raise ImportErrors(errors)
    now = timezone.now()
    return [lead_create(data=row, source=LeadSource.IMPORT, user=user, now=now).lead for row in rows]
