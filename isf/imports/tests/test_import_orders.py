"""Order import and the `isf import` command: real files in tmp_path, exact counts, nothing half-written."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from isf.customers.models import Order, OrderLine
from isf.customers.tests.factories import AccountFactory, ProductFactory
from isf.imports.kinds import run_import

pytestmark = pytest.mark.django_db

HEADER = "Auftragsnr;Position;Kundennr;Auftragsdatum;Artikelnr;Menge;Umsatz;Deckungsbeitrag\r\n"


@pytest.fixture
def master():
    AccountFactory(erp_number="10001")
    AccountFactory(erp_number="10002")
    ProductFactory(sku="ART-1")
    ProductFactory(sku="ART-2")


def write(tmp_path, body: str, name="orders.csv", encoding="cp1252", header=HEADER):
    path = tmp_path / name
    path.write_bytes((header + body).encode(encoding))
    return path


GOOD = (
    "A1;1;10001;15.01.2025;ART-1;12;1.234,56;345,67\r\n"
    "A1;2;10001;15.01.2025;ART-2;1,5;89,90;12,30\r\n"
    "A2;1;10002;03.02.2025;ART-1;3;300,00;-20,00\r\n"
)


def test_import_creates_orders_lines_with_header_values_copied(master, tmp_path):
    result = run_import("orders", write(tmp_path, GOOD))
    assert result.ok and result.written
    assert (result.rows, result.created, result.updated, result.unchanged, result.error_count) == (3, 3, 0, 0, 0)
    a1 = Order.objects.get(number="A1")
    assert a1.account.erp_number == "10001" and a1.date == date(2025, 1, 15)
    line = OrderLine.objects.get(order=a1, line_no=2)
    assert (line.quantity, line.net_revenue, line.margin) == (Decimal("1.5"), Decimal("89.90"), Decimal("12.30"))
    assert line.account_id == a1.account_id and line.order_date == date(2025, 1, 15)
    assert OrderLine.objects.get(order__number="A2").margin == Decimal("-20.00")


def test_reimport_same_file_is_unchanged_and_changed_values_update(master, tmp_path):
    path = write(tmp_path, GOOD)
    run_import("orders", path)
    again = run_import("orders", path)
    assert (again.created, again.updated, again.unchanged, again.written) == (0, 0, 3, False)
    changed = write(tmp_path, GOOD.replace("1,5;89,90", "2;99,90") + "A2;2;10002;03.02.2025;ART-2;1;10;1\r\n",
                    name="orders2.csv")
    third = run_import("orders", changed)
    assert (third.created, third.updated, third.unchanged) == (1, 1, 2)
    line = OrderLine.objects.get(order__number="A1", line_no=2)
    assert (line.quantity, line.net_revenue) == (Decimal("2"), Decimal("99.90"))
    assert OrderLine.objects.count() == 4


def test_changed_header_updates_the_lines_copy(master, tmp_path):
    run_import("orders", write(tmp_path, GOOD))
    moved = GOOD.replace("A2;1;10002;03.02.2025", "A2;1;10001;04.02.2025")
    result = run_import("orders", write(tmp_path, moved, name="moved.csv"))
    assert (result.updated, result.unchanged) == (1, 2)
    line = OrderLine.objects.get(order__number="A2")
    assert line.account.erp_number == "10001" and line.order_date == date(2025, 2, 4)
    assert Order.objects.get(number="A2").date == date(2025, 2, 4)


BAD_CASES = [
    ("A1;1;99999;15.01.2025;ART-1;1;1;0\r\n", 2, "Kundennr", "unknown customer number"),
    ("A1;1;10001;15.01.2025;ART-9;1;1;0\r\n", 2, "Artikelnr", "unknown article number"),
    ("A1;1;10001;15.01.2025;ART-1;-1;1;0\r\n", 2, "Menge", "quantity must be positive"),
    ("A1;1;10001;31.02.2025;ART-1;1;1;0\r\n", 2, "Auftragsdatum", "date does not exist"),
    ("A1;1;10001;15.01.2025;ART-1;1;1;0\r\nA1;1;10001;15.01.2025;ART-2;1;1;0\r\n", 3, "Position",
     "duplicate line 1 of order A1 (first in row 5)"),
    ("A1;1;10001;15.01.2025;ART-1;1;1;0\r\nA1;2;10002;15.01.2025;ART-2;1;1;0\r\n", 3, "Kundennr",
     "order A1 has a different customer in row 5"),
    ("A1;1;10001;15.01.2025;ART-1;1;10;11\r\n", 2, "Deckungsbeitrag", "margin must not exceed the net revenue"),
]


@pytest.mark.parametrize(("body", "row", "column", "message"), BAD_CASES)
def test_bad_row_names_row_and_column_and_writes_nothing(master, tmp_path, body, row, column, message):
    result = run_import("orders", write(tmp_path, GOOD + body.replace("A1;", "B1;")))
    assert not result.ok and not result.written
    p = result.problems[-1]
    assert (p.row, p.column) == (row + 3, column) and message.replace("A1", "B1") in p.message
    assert Order.objects.count() == 0 and OrderLine.objects.count() == 0


def test_skip_invalid_writes_valid_rows_and_reports_the_rest(master, tmp_path):
    path = write(tmp_path, GOOD + "B1;1;99999;15.01.2025;ART-1;1;1;0\r\n")
    result = run_import("orders", path, skip_invalid=True)
    assert result.ok and result.written
    assert (result.created, result.skipped, result.error_count) == (3, 1, 1)
    assert OrderLine.objects.count() == 3


def test_missing_required_column(master, tmp_path):
    path = write(tmp_path, "A1;1;10001;15.01.2025;12;1\r\n",
                 header="Auftragsnr;Position;Kundennr;Auftragsdatum;Menge;Umsatz\r\n")
    result = run_import("orders", path, skip_invalid=True)
    assert not result.ok and result.fatal
    assert result.problems[0].column == "sku" and "required column 'sku' is missing" in result.problems[0].message
    assert OrderLine.objects.count() == 0


def test_wrong_encoding_names_file_and_row(master, tmp_path):
    # UTF-8 with umlauts for well over the 64 KB detection sample, then one Windows-1252 byte in row 3002.
    good = "A{n};1;10001;15.01.2025;ART-1;1;1;0\r\n"
    body = "".join(good.format(n=i) for i in range(3000)).replace("A0;", "Ä0;")
    path = tmp_path / "orders.csv"
    path.write_bytes(HEADER.encode() + body.encode() + b"Z1;1;10001;15.01.2025;ART-1;1;1;M\xfcller\r\n")
    result = run_import("orders", path)
    assert not result.ok and Order.objects.count() == 0
    p = result.problems[-1]
    assert p.row == 3002 and "UTF-8" in p.message, p


def test_empty_file_and_size_limit(master, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = run_import("orders", empty)
    assert not result.ok and result.problems[0].message == "the file is empty"
    big = write(tmp_path, GOOD)
    result = run_import("orders", big, max_bytes=100)
    assert not result.ok and "limit" in result.problems[0].message and result.file == "orders.csv"
    assert OrderLine.objects.count() == 0


def test_xlsx_with_several_sheets_needs_a_sheet_choice(master, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Aufträge"
    ws.append(["order_number", "line", "customer_number", "order_date", "sku", "quantity", "net_revenue"])
    ws.append(["X1", 1, "10001", date(2025, 3, 1), "ART-1", 2, 19.9])
    wb.create_sheet("Notizen")
    path = tmp_path / "orders.xlsx"
    wb.save(path)
    result = run_import("orders", path)
    assert not result.ok and "sheet" in result.problems[0].message
    from isf.imports.engine import Mapping

    result = run_import("orders", path, mapping=Mapping(sheet="Aufträge"))
    assert result.ok and result.created == 1
    assert OrderLine.objects.get().net_revenue == Decimal("19.90")


def test_headers_and_lines_files(master, tmp_path):
    headers = write(tmp_path, "H1;10002;01.03.2025\r\n", name="heads.csv",
                    header="Auftragsnr;Kundennr;Auftragsdatum\r\n")
    lines = write(tmp_path, "H1;1;ART-1;2;20,00\r\nH1;2;ART-2;1;5,00\r\n", name="lines.csv",
                  header="Auftragsnr;Position;Artikelnr;Menge;Umsatz\r\n")
    result = run_import("orders", lines, headers_path=headers)
    assert result.ok and result.created == 2
    assert set(OrderLine.objects.values_list("account__erp_number", "order_date")) == {("10002", date(2025, 3, 1))}


def test_command_json_exit_codes_and_error_report(master, tmp_path, settings, capsys):
    settings.DATA_DIR = tmp_path
    good = write(tmp_path, GOOD)
    call_command("import", "orders", str(good), "--json")
    out = json.loads(capsys.readouterr().out)
    assert {k: out[k] for k in ("created", "updated", "unchanged", "errors", "error_report")} == {
        "created": 3, "updated": 0, "unchanged": 0, "errors": 0, "error_report": None}
    call_command("import", "orders", str(good), "--json", "--dry-run")
    assert json.loads(capsys.readouterr().out)["unchanged"] == 3
    bad = write(tmp_path, "C1;1;10001;31.02.2025;ART-1;1;1;0\r\n", name="bad.csv")
    with pytest.raises(SystemExit) as exc:
        call_command("import", "orders", str(bad), "--json")
    assert exc.value.code == 1
    out = json.loads(capsys.readouterr().out)
    assert out["errors"] == 1 and out["created"] == 0 and not Order.objects.filter(number="C1").exists()
    report = (tmp_path / "imports").glob("bad-orders-errors-*.csv")
    text = next(report).read_text(encoding="utf-8-sig")
    assert "bad.csv;2;Auftragsdatum;31.02.2025;das Datum existiert nicht" in text  # the command's language: German


def test_mapping_file_and_template(master, tmp_path, capsys):
    path = write(tmp_path, "M1;1;10001;2025-01-05;ART-1;1.5;10.5\r\n",
                 header="Beleg,Pos,Kunde,Tag,Material,Stueck,Wert\r\n".replace(",", ";"))
    path.write_text(path.read_text(encoding="cp1252").replace(";", ","), encoding="utf-8")
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"columns": {"order_number": "Beleg", "customer_number": "Kunde", "order_date": "Tag",
                                               "sku": "Material", "quantity": "Stueck", "net_revenue": "Wert"},
                                   "decimal_separator": "."}))
    call_command("import", "orders", str(path), "--mapping", str(mapping), "--json")
    assert json.loads(capsys.readouterr().out)["created"] == 1
    assert OrderLine.objects.get().quantity == Decimal("1.5")
    call_command("import", "orders", "--template")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("Auftragsnummer;Position;Kundennummer;Auftragsdatum;Artikelnummer;Menge;Nettoumsatz (EUR);"
                        "Deckungsbeitrag (EUR)")
    assert len(lines) == 3
    call_command("import", "orders", "--template", "--lang=en")
    english = capsys.readouterr().out.splitlines()
    assert english[0] == "order number;line;customer number;order date;article number;quantity;net revenue (EUR);margin (EUR)"
