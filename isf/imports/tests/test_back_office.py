"""Issue 26: every error at once, dry run to import in one step, exports that re-import, new records placed."""

import io
import json
import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from isf.customers.models import Account
from isf.customers.tests.factories import AccountFactory, ContactFactory
from isf.imports.kinds import run_import
from isf.imports.models import ImportJob
from isf.org.choices import Role
from isf.org.tests.factories import RegionFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

BAD = ("Kundennummer;Name;Mitarbeiter;Potenzial (EUR)\r\n"
       "20001;;viele;12,5x\r\n"
       "20002;Bäckerei Schäfer;1-9;8.500,00\r\n")
GOOD = ("Kundennummer;Name;PLZ;Potenzial (EUR)\r\n"
        "20001;Müller Haustechnik GmbH;80331;300.000,00\r\n"
        "20002;Bäckerei Schäfer;80333;8.500,00\r\n")


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_every_error_of_a_row_is_reported_in_one_pass(tmp_path):
    result = run_import("accounts", write(tmp_path, "konten.csv", BAD))
    assert [(p.row, p.column, p.value, p.message) for p in result.problems] == [
        (2, "Name", "", "name is empty"),
        (2, "Mitarbeiter", "viele", "employee_band must be one of 1-9, 10-49, 50-249, 250-999, 1000+"),
        (2, "Potenzial (EUR)", "12,5x", "not a number (unexpected character 'x')"),
    ]
    assert (result.error_rows, result.error_count, result.written, Account.objects.count()) == (1, 3, False, 0)


@pytest.mark.parametrize(("lang", "messages"), [
    ("de", ["Name ist leer", "Mitarbeiter muss einer dieser Werte sein: 1-9, 10-49, 50-249, 250-999, 1000+", "keine Zahl (unerwartetes Zeichen 'x')"]),
    ("en", ["name is empty", "employees must be one of 1-9, 10-49, 50-249, 250-999, 1000+", "not a number (unexpected character 'x')"]),
])
def test_cli_json_keeps_errors_as_rows_and_adds_every_error_in_the_asked_language(tmp_path, settings, lang, messages):
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import", "accounts", str(write(tmp_path, "konten.csv", BAD)), "--json", "--dry-run",
                     f"--lang={lang}", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["errors"], data["errors_total"]) == (1, 3)
    assert [(e["row"], e["column"], e["value"], e["message"]) for e in data["first_errors"]] == [
        (2, "Name", "", messages[0]), (2, "Mitarbeiter", "viele", messages[1]), (2, "Potenzial (EUR)", "12,5x", messages[2])]
    report = data["error_report"]
    first = open(report, encoding="utf-8-sig").read().splitlines()
    assert first[0] == ("Datei;Zeile;Spalte;Wert;Nachricht" if lang == "de" else "file;row;column;value;message")


def test_dry_run_then_import_now_writes_exactly_what_was_checked(client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(UserFactory(role=Role.INSIDE_LEAD))
    client.post(reverse("imports:list"), {"kind": "accounts", "file": SimpleUploadedFile("konten.csv", GOOD.encode())},
                HTTP_ACCEPT_LANGUAGE="de")
    dry = ImportJob.objects.get()
    page = client.get(reverse("imports:job", args=[dry.pk]), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "CSV, UTF-8, Semikolon-getrennt, Dezimalkomma" in page
    assert "<td>300000,00</td>" in page  # the first rows as they will be read, in the page's language
    client.post(reverse("imports:job", args=[dry.pk]), {"dry_run": "1"}, HTTP_ACCEPT_LANGUAGE="de")
    dry.refresh_from_db()
    assert (dry.status, dry.dry_run, dry.created, Account.objects.count()) == ("done", True, 2, 0)
    page = client.get(reverse("imports:job", args=[dry.pk]), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Würde anlegen" in page and 'id="import-now"' in page
    response = client.post(reverse("imports:job-import-now", args=[dry.pk]), HTTP_ACCEPT_LANGUAGE="de")
    done = ImportJob.objects.exclude(pk=dry.pk).get()
    assert response.url == reverse("imports:job", args=[done.pk])
    assert (done.status, done.dry_run, done.checked_by_id, done.path, done.created) == ("done", False, dry.pk, dry.path, 2)
    assert sorted(Account.objects.values_list("erp_number", "potential")) == [
        ("20001", Decimal("300000.00")), ("20002", Decimal("8500.00"))]
    client.post(reverse("imports:job-import-now", args=[dry.pk]))  # a second click imports nothing again
    assert ImportJob.objects.count() == 2


def test_import_now_refuses_a_file_changed_since_the_dry_run(client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(UserFactory(role=Role.INSIDE_LEAD))
    client.post(reverse("imports:list"), {"kind": "accounts", "file": SimpleUploadedFile("konten.csv", GOOD.encode())})
    dry = ImportJob.objects.get()
    client.post(reverse("imports:job", args=[dry.pk]), {"dry_run": "1"})
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    changed = default_storage.open(dry.path).read() + b"20003;Neu;80331;1,00\r\n"
    default_storage.delete(dry.path)
    default_storage.save(dry.path, ContentFile(changed))
    client.post(reverse("imports:job-import-now", args=[dry.pk]))
    done = ImportJob.objects.exclude(pk=dry.pk).get()
    assert (done.status, Account.objects.count()) == ("failed", 0)


def test_imported_accounts_are_placed_at_once(tmp_path):
    from isf.segmentation.services import segments_create_defaults

    teams = {code: TeamFactory(code=code) for code in ("KA", "MP", "SMB", "CDP")}
    segments_create_defaults(teams=teams)
    region = RegionFactory(code="M", postcode_prefixes="80")
    rep = UserFactory(role=Role.FIELD_REP, region=region)
    result = run_import("accounts", write(tmp_path, "konten.csv", GOOD))
    placed = {a.erp_number: (a.segment.code, a.owner_id, a.team.code) for a in Account.objects.all()}
    assert placed == {"20001": ("KA", rep.pk, "KA"), "20002": ("D", rep.pk, "CDP")}
    assert result.placed == {"accounts": 2, "per_segment": {"KA": 1, "D": 1}, "owners": 2, "teams": 2}
    assert "2 neue Kunden eingeordnet: Segmente 1 D, 1 KA; 2 mit Außendienst; 2 mit Innendienst-Team" in result.summary()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_export_reimports_unchanged(tmp_path, fmt, lang):
    from isf.campaigns.services.leads import lead_create
    from isf.imports.exportlists import EXPORTS, IMPORT_KIND
    from isf.imports.otherkinds import import_leads

    UserFactory(username="admin", is_superuser=True, role=Role.ADMIN)
    region = RegionFactory(code="M", name="München", postcode_prefixes="80")
    a = AccountFactory(erp_number="30001", name="=Formel GmbH", postcode="80331", region=region, state="BY",
                       potential=Decimal("87600.00"), industry="F", employee_band="10-49")
    ContactFactory(account=a, first_name="Anna", last_name="Weiß", external_id="AP-1", buying_role="decision_maker",
                   status="leaving", status_date="2026-03-31")
    ContactFactory(account=a, first_name="Jürgen", last_name="Schmidt", external_id=None)
    lead_create(data={"company": "=Elektro Krause GmbH", "contact_name": "Petra Krause", "email": "P.Krause@example.de",
                      "phone": "0341 556677", "postcode": "04109", "city": "Leipzig", "potential": "12.500,50"},
                source="import")
    lead_create(data={"company": "Schreinerei Vogt", "phone": "+49 711 223344"}, source="manual")
    # every list with an import; the others are named, so a new export must choose
    assert set(EXPORTS) - set(IMPORT_KIND) == {"tasks", "service_orders", "campaign_results", "telemarketing_results"}
    stored = {"accounts": 1, "contacts": 2, "leads": 2}
    for name, kind in IMPORT_KIND.items():
        path = tmp_path / f"{name}.{fmt}"
        call_command("export", name, str(path), f"--format={fmt}", f"--lang={lang}", stdout=io.StringIO())
        if kind == "leads":
            done = import_leads(path, dry_run=True)
            counts = (done["created"], done["updated"], done["unchanged"])
        else:
            result = run_import(kind, path, dry_run=True)
            assert result.error_count == 0, (name, result.problems[:3])
            counts = (result.created, result.updated, result.unchanged)
        assert (name, counts) == (name, (0, 0, stored[name]))


def test_lead_export_reimports_through_the_cli_and_an_edited_row_updates_its_lead(tmp_path, settings):
    from isf.campaigns.models import Lead
    from isf.campaigns.services.leads import lead_create

    settings.DATA_DIR = tmp_path
    UserFactory(username="admin", is_superuser=True, role=Role.ADMIN)
    lead = lead_create(data={"company": "Elektro Krause GmbH", "email": "p.krause@example.de", "postcode": "04109",
                             "potential": "12.500,00"}, source="import").lead
    path = tmp_path / "leads.csv"
    call_command("export", "leads", str(path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import", "leads", str(path), "--json", stdout=out)
    assert {k: v for k, v in json.loads(out.getvalue()).items() if k in ("created", "updated", "unchanged", "errors")} == {
        "created": 0, "updated": 0, "unchanged": 1, "errors": 0}
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Firma;") and lines[0].endswith(";Lead-Nr.")
    path.write_text("\r\n".join([lines[0], lines[1].replace("12500,00", "20000,00"),
                                  lines[1].removesuffix(f";{lead.pk}") + ";999999"]) + "\r\n", encoding="utf-8-sig")
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import", "leads", str(path), "--json", "--lang=en", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["errors"], data["errors_total"], data["first_errors"]) == (1, 1, [
        {"row": 3, "column": "lead number", "value": "999999", "message": "no lead has the number 999999"}])
    assert Lead.objects.get().potential == Decimal("12500.00")  # nothing half-written
    path.write_text("\r\n".join(path.read_text(encoding="utf-8-sig").splitlines()[:2]) + "\r\n", encoding="utf-8-sig")
    out = io.StringIO()
    call_command("import", "leads", str(path), "--json", stdout=out)
    assert (json.loads(out.getvalue())["updated"], Lead.objects.get().potential) == (1, Decimal("20000.00"))


def test_excel_cells_with_german_number_text_read_like_the_csv(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Kundennummer", "Name", "Potenzial (EUR)"])
    sheet.append(["40001", "Text GmbH", "87.600,00"])
    sheet.append(["40002", "Zahl GmbH", 12.5])
    sheet.append(["40003", "Komma GmbH", "12,5"])
    workbook.save(tmp_path / "konten.xlsx")
    result = run_import("accounts", tmp_path / "konten.xlsx")
    assert result.error_count == 0, result.problems
    assert sorted(Account.objects.values_list("erp_number", "potential")) == [
        ("40001", Decimal("87600.00")), ("40002", Decimal("12.50")), ("40003", Decimal("12.50"))]


def test_template_has_every_column_in_the_page_language_and_imports_without_mapping(client, tmp_path):
    client.force_login(UserFactory(role=Role.ADMIN))
    de = client.get(reverse("imports:template", args=["accounts"]), HTTP_ACCEPT_LANGUAGE="de").content.decode("utf-8-sig")
    en = client.get(reverse("imports:template", args=["accounts"]) + "?lang=en").content.decode("utf-8-sig")
    assert de.splitlines()[0] == ("Kundennummer;Name;Straße;PLZ;Ort;Bundesland;Region;Branche;Mitarbeiter;Kundentyp;"
                                  "Potenzial (EUR);Telefon")
    assert en.splitlines()[0] == ("customer number;name;street;postcode;city;federal state;region;industry;employees;"
                                  "customer type;potential (EUR);phone")
    for lang, text in (("de", de), ("en", en)):
        result = run_import("accounts", write(tmp_path, f"t-{lang}.csv", text), dry_run=True)
        assert (result.error_count, result.created) == (0, 2)


def test_export_times_in_company_zone_with_offset_and_file_name_with_date(client, time_machine):
    time_machine.move_to("2026-12-07 10:00:00+00:00")
    from isf.imports.exports import time_heading

    assert time_heading("due") == "due (Europe/Berlin, UTC+01:00/+02:00)"
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True))
    response = client.get(reverse("imports:export", args=["accounts", "csv"]))
    assert response["Content-Disposition"] == 'attachment; filename="isf-accounts-2026-12-07.csv"'


def test_job_page_of_a_large_excel_file_renders_fast(client, settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Kunden")
    sheet.append(["Kundennummer", "Name", "PLZ", "Potenzial (EUR)"])
    for i in range(60_000):
        sheet.append([str(100000 + i), f"Firma {i} GmbH", "80331", 1000.5 + i])
    body = io.BytesIO()
    workbook.save(body)
    client.force_login(UserFactory(role=Role.ADMIN))
    client.post(reverse("imports:list"), {"kind": "accounts", "file": SimpleUploadedFile("gross.xlsx", body.getvalue())})
    job = ImportJob.objects.get()
    assert job.preview["rows"][0]["cells"][0]["value"] == "100000"
    assert job.preview["rows"][1]["cells"][10]["value"] == "1001.5"

    def never(*args, **kwargs):
        raise AssertionError("the job page opened the file")

    monkeypatch.setattr("isf.imports.preview.open_table", never)
    monkeypatch.setattr("isf.imports.reader.open_table", never)
    started = time.perf_counter()
    page = client.get(reverse("imports:job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="de")
    elapsed = time.perf_counter() - started
    body = page.content.decode()
    assert page.status_code == 200 and "Excel-Arbeitsmappe, Blatt „Kunden“" in body
    assert "<td>100001</td><td>Firma 1 GmbH</td>" in body and "<td>1001,5</td>" in body
    assert elapsed < 1.0


def test_sla_report_file_name_names_the_last_month_it_holds(client):
    client.force_login(UserFactory(role=Role.SALES_LEAD))
    response = client.get(reverse("service:sla-report-csv"), {"from": "2026-07", "to": "2026-12"})
    assert response["Content-Disposition"] == 'attachment; filename="sla-2026-07-2026-12.csv"'


def test_isf_export_writes_the_same_file_as_the_page(client, tmp_path):
    from isf.imports.exports import read_back

    admin = UserFactory(username="chef", is_superuser=True, role=Role.SALES_LEAD)
    AccountFactory(erp_number="50001", name="Alpha Bau", postcode="80331", potential=Decimal("1234.50"))
    AccountFactory(erp_number="50002", name="Beta Bau", postcode="50667")
    client.force_login(admin)
    page = read_back(client.get(reverse("imports:export", args=["accounts", "csv"]), {"q": "Alpha"},
                                HTTP_ACCEPT_LANGUAGE="de"))
    call_command("export", "accounts", str(tmp_path / "a.csv"), "--user=chef", "--filter=q=Alpha", stdout=io.StringIO())
    assert (tmp_path / "a.csv").read_bytes() == page
    assert page.decode("utf-8-sig").splitlines()[1:] == [
        "50001;Alpha Bau;Industriestraße 1;80331;München;BY;;;b2b;;Interessent;;;1234,50;0"]


def test_order_lines_from_excel_with_german_number_text(tmp_path):
    from isf.customers.models import OrderLine
    from isf.customers.tests.factories import ProductFactory

    AccountFactory(erp_number="10001")
    ProductFactory(sku="ART-1")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Auftragsnummer", "Position", "Kundennummer", "Auftragsdatum", "Artikelnummer", "Menge",
                  "Nettoumsatz (EUR)"])
    sheet.append(["A1", 1, "10001", date(2025, 1, 15), "ART-1", "1,5", "87.600,00"])
    workbook.save(tmp_path / "auftraege.xlsx")
    result = run_import("orders", tmp_path / "auftraege.xlsx")
    assert result.error_count == 0, result.problems
    assert list(OrderLine.objects.values_list("quantity", "net_revenue")) == [(Decimal("1.500"), Decimal("87600.00"))]


def test_quotes_from_excel_read_german_date_and_number_text(tmp_path):
    from isf.customers.models import Quote

    AccountFactory(erp_number="10001")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Angebotsnummer", "Kundennummer", "Angebotsdatum", "Betrag (EUR)", "Gültig bis"])
    sheet.append(["AN-1", "10001", "10.02.2025", "12.500,00", date(2025, 3, 10)])
    workbook.save(tmp_path / "angebote.xlsx")
    result = run_import("quotes", tmp_path / "angebote.xlsx")
    assert result.error_count == 0, result.problems
    assert list(Quote.objects.values_list("number", "date", "amount", "valid_until")) == [
        ("AN-1", date(2025, 2, 10), Decimal("12500.00"), date(2025, 3, 10))]


def test_order_dates_as_german_text_in_excel_read_like_the_csv(tmp_path):
    from isf.customers.models import Order
    from isf.customers.tests.factories import ProductFactory

    AccountFactory(erp_number="10001")
    ProductFactory(sku="ART-1")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Auftragsnummer", "Position", "Kundennummer", "Auftragsdatum", "Artikelnummer", "Menge",
                  "Nettoumsatz (EUR)"])
    sheet.append(["A1", 1, "10001", "07.12.2026", "ART-1", "1,5", "87.600,00"])  # a text cell, as the CSV has it
    sheet.append(["A2", 1, "10001", date(2026, 12, 8), "ART-1", 2, 5])  # a typed Excel date beside it
    workbook.save(tmp_path / "auftraege.xlsx")
    (tmp_path / "auftraege.csv").write_text("Auftragsnummer;Position;Kundennummer;Auftragsdatum;Artikelnummer;Menge;"
                                            "Nettoumsatz (EUR)\r\nA1;1;10001;07.12.2026;ART-1;1,5;87.600,00\r\n",
                                            encoding="utf-8")
    result = run_import("orders", tmp_path / "auftraege.xlsx")
    assert result.error_count == 0, result.problems
    assert sorted(Order.objects.values_list("number", "date")) == [("A1", date(2026, 12, 7)), ("A2", date(2026, 12, 8))]
    again = run_import("orders", tmp_path / "auftraege.csv", dry_run=True)  # the CSV reads the same order
    assert (again.error_count, again.created, again.updated) == (0, 0, 0)
    broken = Workbook()
    broken.active.append(["Auftragsnummer", "Position", "Kundennummer", "Auftragsdatum", "Artikelnummer", "Menge",
                          "Nettoumsatz (EUR)"])
    broken.active.append(["A3", 1, "10001", "31.02.2026", "ART-1", 1, 1])
    broken.save(tmp_path / "falsch.xlsx")
    refused = run_import("orders", tmp_path / "falsch.xlsx")
    assert [(p.row, p.value, p.message) for p in refused.problems] == [(2, "31.02.2026", "date does not exist")]
