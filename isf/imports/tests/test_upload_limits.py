"""Hostile uploads: one size setting (ISF_UPLOAD_MAX_BYTES) for every upload, and workbooks whose dimensions
would cost openpyxl minutes are refused before it parses them; previews read a bounded part of a file."""

import time
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from openpyxl import Workbook

from isf.campaigns.models import Lead
from isf.imports.models import ImportJob
from isf.imports.reader import FileFormatError, open_table
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory

ORDERS = ("Auftragsnr;Position;Kundennr;Auftragsdatum;Artikelnr;Menge;Umsatz\r\n"
          "A1;1;10001;15.01.2025;ART-1;12;1.234,56\r\n")
WIDE_MESSAGE = ("wide.xlsx, row 1: the worksheet has a row with more than 16,384 cells, Excel's limit; "
                "this is not a table Excel wrote")


def workbook_xml(sheet_data: str, *, dimension: str = "") -> dict[str, str]:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    return {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"'
            '/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}"><Relationship Id="rId1"'
                        f' Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
                            '<sheet name="Tabelle1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}"><Relationship Id="rId1" '
            f'Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}">{dimension}'
                                     f"<sheetData>{sheet_data}</sheetData></worksheet>"),
    }


def write_workbook(path, parts: dict[str, str]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


@pytest.fixture
def wide_xlsx(tmp_path):
    """170 KB on disk: a header row of 1.5 million cells (about 50 s of openpyxl for every preview before)."""
    cells = '<c t="inlineStr"><is><t>a</t></is></c>' * 1_500_000
    path = write_workbook(tmp_path / "wide.xlsx", workbook_xml(f'<row r="1">{cells}</row>'))
    assert 150_000 < path.stat().st_size < 200_000
    return path


@pytest.mark.parametrize("preview", [True, False])
def test_a_header_row_of_a_million_cells_is_refused_at_once(wide_xlsx, preview):
    started = time.process_time()
    with pytest.raises(FileFormatError) as error:
        open_table(wide_xlsx, preview=preview)
    assert str(error.value) == WIDE_MESSAGE
    assert time.process_time() - started < 3


def test_a_row_number_beyond_excel_is_refused(tmp_path):
    path = write_workbook(tmp_path / "far.xlsx", workbook_xml(
        '<row r="1"><c t="inlineStr"><is><t>sku</t></is></c></row>'
        '<row r="5000000"><c t="inlineStr"><is><t>X</t></is></c></row>'))
    with pytest.raises(FileFormatError) as error:
        open_table(path)
    assert str(error.value) == ("far.xlsx: the worksheet has a row number beyond 1,048,576, Excel's limit; "
                                "this is not a table Excel wrote")


def test_a_preview_scans_only_the_head_of_a_sheet_with_its_dimension(tmp_path):
    # a bad row far down is found by the import, not by the preview (which reads the header only)
    rows = "".join(f'<row r="{n}"><c t="inlineStr"><is><t>v{n}</t></is></c></row>' for n in range(2, 300))
    parts = workbook_xml('<row r="1"><c t="inlineStr"><is><t>sku</t></is></c></row>' + rows
                         + '<row r="300">' + "<c/>" * 16_385 + "</row>", dimension='<dimension ref="A1:A300"/>')
    path = write_workbook(tmp_path / "tail.xlsx", parts)
    with open_table(path, preview=True) as table:
        assert table.header == ["sku"]
    with pytest.raises(FileFormatError) as error:
        open_table(path)
    assert str(error.value) == ("tail.xlsx, row 300: the worksheet has a row with more than 16,384 cells, "
                                "Excel's limit; this is not a table Excel wrote")


def test_a_header_with_more_columns_than_an_import_can_have_is_refused(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(";".join(f"c{i}" for i in range(1_001)) + "\n" + ";".join("1" * 1_001) + "\n", encoding="utf-8")
    with pytest.raises(FileFormatError) as error:
        open_table(path, preview=True)
    assert str(error.value) == "wide.csv, row 1: the header row has 1,001 columns; a file to import may have at most 1,000"


def test_the_header_is_looked_for_in_the_first_hundred_rows(tmp_path):
    wb = Workbook()
    wb.active.cell(row=102, column=1, value="sku")
    wb.active.cell(row=103, column=1, value="A-1")
    wb.save(tmp_path / "late.xlsx")
    with pytest.raises(FileFormatError) as error:
        open_table(tmp_path / "late.xlsx", preview=True)
    assert str(error.value) == "late.xlsx: the sheet 'Sheet' has no column names in its first 100 rows"


@pytest.fixture
def lead_user(client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    user = UserFactory(role=Role.INSIDE_LEAD)
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_the_preview_of_such_a_workbook_shows_the_reason_quickly(client, lead_user, wide_xlsx):
    response = client.post(reverse("imports:list"), {
        "kind": "accounts", "file": SimpleUploadedFile("wide.xlsx", wide_xlsx.read_bytes())})
    job = ImportJob.objects.get()
    assert response.url == reverse("imports:job", args=[job.pk])
    started = time.process_time()
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en")
    assert time.process_time() - started < 3
    assert escape(WIDE_MESSAGE) in page.content.decode()


@pytest.mark.django_db
def test_one_upload_size_setting_for_the_upload_page_the_job_and_the_lead_import(client, lead_user, settings):
    assert settings.ISF_UPLOAD_MAX_BYTES == 512 * 1024**2
    settings.ISF_UPLOAD_MAX_BYTES = 3 * 1024**2
    page = client.get(reverse("imports:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "3 MB" in page
    settings.ISF_UPLOAD_MAX_BYTES = 50
    response = client.post(reverse("imports:list"), {"kind": "orders",
                                                     "file": SimpleUploadedFile("orders.csv", ORDERS.encode())},
                           HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "orders.csv: the file is larger than the limit of 0 MB." in response.content.decode()
    assert ImportJob.objects.count() == 0

    settings.ISF_UPLOAD_MAX_BYTES = 10_000
    client.post(reverse("imports:list"), {"kind": "orders", "file": SimpleUploadedFile("orders.csv", ORDERS.encode())})
    job = ImportJob.objects.get()
    settings.ISF_UPLOAD_MAX_BYTES = 50  # lowered before the job runs: the job reads the same setting
    client.post(reverse("imports:job", args=[job.pk]), {})
    job.refresh_from_db()
    assert (job.status, job.errors) == ("failed", 1)
    with default_storage.open(job.error_report) as report:
        assert report.read().decode("utf-8-sig").splitlines()[1] == 'orders.csv;;;;"file is 108 bytes; the limit is 50 bytes"'

    response = client.post(reverse("campaigns:lead-import"), {
        "file": SimpleUploadedFile("leads.csv", b"company;city\n" + b"Dach Weiss GmbH;Nuernberg\n" * 10)},
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "The file is larger than the limit of 0 MB." in response.content.decode()
    assert Lead.objects.count() == 0


@pytest.mark.parametrize(
    ("english", "german"),
    [
        ("the worksheet has a row with more than 16,384 cells, Excel's limit; this is not a table Excel wrote",
         "das Tabellenblatt hat eine Zeile mit mehr als 16,384 Zellen, der Grenze von Excel; "
         "diese Tabelle stammt nicht aus Excel"),
        ("the header row has 1,001 columns; a file to import may have at most 1,000",
         "die Kopfzeile hat 1,001 Spalten; eine Importdatei darf höchstens 1,000 haben"),
        ("the sheet 'Sheet' has no column names in its first 100 rows",
         "das Tabellenblatt 'Sheet' hat in seinen ersten 100 Zeilen keine Spaltennamen"),
    ],
)
def test_the_new_reasons_are_translated(english, german):
    from django.utils import translation

    from isf.imports.wording import reason

    with translation.override("de"):
        assert reason(english) == german
