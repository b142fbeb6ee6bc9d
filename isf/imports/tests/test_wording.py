"""What an import says: "would" only for a dry run, a second identical import says nothing changed, and the
job page speaks the viewer's language (summary and row reasons) while the error CSV and --json stay English."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from isf.customers.models import Contact
from isf.customers.tests.factories import AccountFactory, ProductFactory
from isf.imports.models import ImportJob
from isf.imports.wording import reason, summary
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CONTACTS = "customer_number;first_name;last_name\r\n10001;Anna;Schmidt\r\n10001;Jürgen;Weiß\r\n"


def cli(*args) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("import", *args, "--lang=en", stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_second_identical_import_says_nothing_changed_and_would_only_for_dry_run(tmp_path):
    AccountFactory(erp_number="10001")
    path = tmp_path / "kontakte.csv"
    path.write_text(CONTACTS, encoding="utf-8")
    assert cli("contacts", str(path), "--dry-run") == (
        "kontakte.csv: 2 rows; dry run, nothing written: would create 2, update 0, leave 0 unchanged; errors 0")
    assert Contact.objects.count() == 0
    assert cli("contacts", str(path)) == "kontakte.csv: 2 rows; created 2, updated 0, unchanged 0, errors 0"
    second = cli("contacts", str(path))
    assert second == ("kontakte.csv: 2 rows; nothing changed, everything is already up to date "
                      "(unchanged 2, errors 0)")
    assert "would" not in second and Contact.objects.count() == 2
    out = json.loads(cli("contacts", str(path), "--json"))
    assert (out["created"], out["updated"], out["unchanged"], out["errors"]) == (0, 0, 2, 0)


def test_summary_in_german_and_refused_file():
    with translation.override("de"):
        text = summary(file="a.csv", rows=2, created=0, updated=0, unchanged=2, errors=0, written=False)
        assert text == "a.csv: 2 Zeilen; nichts geändert, alles ist bereits aktuell (unverändert 2, Fehler 0)"
        refused = summary(file="a.csv", rows=3, created=2, updated=0, unchanged=0, errors=1, written=False)
        assert refused == "a.csv: 3 Zeilen; Fehler 1; es wurde nichts geschrieben"
    with translation.override("en"):
        assert summary(file="a.csv", rows=1, created=1, updated=0, unchanged=0, errors=0, written=True) == (
            "a.csv: 1 row; created 1, updated 0, unchanged 0, errors 0")


def test_row_reasons_are_translated_fixed_and_with_values():
    with translation.override("de"):
        assert reason("unknown customer number") == "unbekannte Kundennummer"
        assert reason("duplicate key '10003' (first in row 4)") == "doppelter Schlüssel '10003' (zuerst in Zeile 4)"
        assert reason("something nobody knows") == "something nobody knows"
    with translation.override("en"):
        assert reason("unknown customer number") == "unknown customer number"


def test_german_job_page_shows_german_summary_and_reasons_and_a_german_error_csv(client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(UserFactory(role=Role.INSIDE_LEAD))
    AccountFactory(erp_number="10001")
    body = (CONTACTS + "99999;Max;Muster\r\n").encode()
    client.post(reverse("imports:list"), {"kind": "contacts", "file": SimpleUploadedFile("kontakte.csv", body)})
    job = ImportJob.objects.get()
    client.post(reverse("imports:job", args=[job.pk]), {}, HTTP_ACCEPT_LANGUAGE="de")
    page = client.get(reverse("imports:job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "kontakte.csv: 3 Zeilen; Fehler 1; es wurde nichts geschrieben" in page
    assert "<td>4</td><td>customer_number</td><td>99999</td><td>unbekannte Kundennummer</td>" in page
    assert "unknown customer number" not in page
    status = client.get(reverse("imports:job-status", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="de").json()
    assert status["message"] == "kontakte.csv: 3 Zeilen; Fehler 1; es wurde nichts geschrieben"
    report = b"".join(client.get(reverse("imports:job-errors", args=[job.pk])).streaming_content)
    assert report.decode("utf-8-sig").splitlines() == ["Datei;Zeile;Spalte;Wert;Nachricht",
                                                        "kontakte.csv;4;customer_number;99999;unbekannte Kundennummer"]
    assert Contact.objects.count() == 0


def test_reimport_in_the_ui_says_nothing_changed(client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(UserFactory(role=Role.INSIDE_LEAD))
    AccountFactory(erp_number="10001")
    for _ in range(2):
        client.post(reverse("imports:list"), {"kind": "contacts", "file": SimpleUploadedFile("k.csv", CONTACTS.encode())})
        job = ImportJob.objects.first()
        client.post(reverse("imports:job", args=[job.pk]), {})
    page = client.get(reverse("imports:job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "k.csv: 2 rows; nothing changed, everything is already up to date (unchanged 2, errors 0)" in page
    assert Contact.objects.count() == 2


def _two_sheets(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Aufträge"
    ws.append(["order_number", "line", "customer_number", "order_date", "sku", "quantity", "net_revenue"])
    ws.append(["X1", 1, "10001", date(2025, 3, 1), "ART-1", 2, 19.9])
    notes = wb.create_sheet("Notizen")
    notes.append(["nur", "Notizen"])
    path = tmp_path / "orders.xlsx"
    wb.save(path)
    return path


def test_cli_sheet_option_chooses_the_sheet_and_the_error_says_how(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    AccountFactory(erp_number="10001")
    ProductFactory(sku="ART-1")
    path = _two_sheets(tmp_path)
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info, translation.override("en"):
        call_command("import", "orders", str(path), "--lang=en", stdout=StringIO(), stderr=err)
    assert exit_info.value.code == 1
    assert "  orders.xlsx: the workbook has 2 sheets (Aufträge, Notizen): choose one with --sheet NAME\n" in err.getvalue()
    out = json.loads(cli("orders", str(path), "--sheet", "Aufträge", "--json"))
    assert (out["created"], out["errors"], out["ok"]) == (1, 0, True)
