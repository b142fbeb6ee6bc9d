"""Demo content for imports: saved column mappings of the demo company's ERP exports and a finished import job."""

from django.utils import timezone

from isf.imports.models import ImportJob, ImportMapping
from isf.org.choices import Role


def load(ctx) -> None:
    ctx.progress("imports: saved mappings and an import history …")
    ImportMapping.objects.create(kind="orders", source="SAP Auftragsexport (VA05)", mapping={
        "columns": {"order_number": "Verkaufsbeleg", "line": "Position", "customer_number": "Auftraggeber",
                    "order_date": "Belegdatum", "sku": "Material", "quantity": "Auftragsmenge",
                    "net_revenue": "Nettowert", "margin": "Deckungsbeitrag"},
        "encoding": "cp1252", "delimiter": ";", "decimal_separator": ",", "date_format": "%d.%m.%Y"})
    ImportMapping.objects.create(kind="accounts", source="SAP Debitoren (XD03)", mapping={
        "columns": {"erp_number": "Debitor", "name": "Name 1", "street": "Straße", "postcode": "Postleitzahl",
                    "city": "Ort", "phone": "Telefon"}, "encoding": "cp1252", "delimiter": ";"})
    lead = next((u for u in ctx.users.values() if u.role == Role.INSIDE_LEAD), None)
    now = timezone.now()
    ImportJob.objects.create(kind="orders", file_name="VA05_Auftraege_Oktober.csv", path="", status="done",
                             progress=100, rows=48_212, created=1_204, updated=37, unchanged=46_971, user=lead,
                             message="VA05_Auftraege_Oktober.csv: 48212 rows; created 1204, updated 37, "
                                     "unchanged 46971, errors 0", finished_at=now)
