"""Tests for the Django-free import reader (isf.imports.reader) and value parsers (isf.imports.values).

Every reader test writes a real file (tmp_path) with the exact bytes an ERP or Excel would produce, because
encoding, BOM and line-ending bugs only show up with real bytes - never with StringIO.
"""

import codecs
import csv
import io
import tracemalloc
import types
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import Workbook

from isf.core.text import DATE_MAX, DATE_MIN
from isf.imports import reader as reader_module
from isf.imports.reader import (
    DEFAULT_MAX_BYTES,
    SAMPLE_BYTES,
    CsvDialect,
    FileFormatError,
    XlsxDialect,
    detect_csv,
    open_table,
)
from isf.imports.values import (
    ValueParseError,
    detect_date_format,
    detect_decimal_separator,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
)


@pytest.fixture
def settings():
    """Stand-in for pytest-django's ``settings``.

    The repository conftest has an autouse fixture that tweaks Django settings.  This module tests Django-free
    code and runs with ``-p no:django``, where that fixture would otherwise fail for lack of ``settings``.
    """
    return types.SimpleNamespace()


# ---------------------------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------------------------

GERMAN = "Kunde;Ort;Betrag;Datum\r\nMüller;Köln;1.234,56;31.01.2025\r\nGroß;Düsseldorf;-12,5;01.02.2025\r\n"


def write(tmp_path: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def read_all(path: Path, **options) -> tuple[list[str], list[tuple[int, dict[str, str]]], object]:
    with open_table(path, **options) as table:
        return table.header, list(table), table.dialect


def read_error(path: Path, **options) -> FileFormatError:
    """The FileFormatError raised by opening *or* iterating (where it surfaces is an implementation detail)."""
    with pytest.raises(FileFormatError) as info:
        read_all(path, **options)
    return info.value


@pytest.fixture(params=[True, False], ids=["split-mode", "reader-mode"])
def parse_mode(request):
    """Run a test with both record parsers; they must give identical results."""
    with mock.patch.object(reader_module, "_prefer_split", lambda head: request.param):
        yield request.param


# ---------------------------------------------------------------------------------------------------------------
# encodings
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "expected", "bom"),
    [("utf-8", "utf-8", False), ("utf-8-sig", "utf-8-sig", True), ("cp1252", "cp1252", False)],
)
def test_encoding_is_detected_and_umlauts_survive(tmp_path, encoding, expected, bom):
    path = write(tmp_path, "kunden.csv", GERMAN + "Straße;Fürth;7;03.02.2025\r\n", encoding)

    dialect = detect_csv(path)
    assert (dialect.encoding, dialect.has_bom) == (expected, bom)
    assert detect_csv(path.read_bytes()).encoding == expected

    header, rows, _ = read_all(path)
    assert header == ["Kunde", "Ort", "Betrag", "Datum"]  # no BOM residue in the first name
    assert [(n, r["Kunde"], r["Ort"]) for n, r in rows] == [
        (2, "Müller", "Köln"),
        (3, "Groß", "Düsseldorf"),
        (4, "Straße", "Fürth"),
    ]


def test_cp1252_is_found_when_the_first_64kb_are_pure_ascii(tmp_path):
    lines = ["Nr;Name"] + [f"{i};Kunde {i}" for i in range(12_000)] + ["12000;Bäckerei Schäfer"]
    path = write(tmp_path, "late.csv", "\r\n".join(lines) + "\r\n", "cp1252")
    assert path.stat().st_size > 2 * SAMPLE_BYTES

    assert detect_csv(path).encoding == "cp1252"
    _, rows, _ = read_all(path)
    assert rows[-1] == (12_002, {"Nr": "12000", "Name": "Bäckerei Schäfer"})


def test_forced_utf8_on_cp1252_bytes_names_row_column_and_byte_position(tmp_path):
    data = GERMAN.encode("cp1252")
    path = write(tmp_path, "ansi.csv", data)

    error = read_error(path, encoding="utf-8")

    assert error.file == "ansi.csv"
    assert (error.row, error.column) == (2, "Kunde")  # "Müller" is the first value of row 2
    assert f"byte 0xFC at byte position {data.index(b'\xfc'):,}" in error.message
    assert "cp1252" in error.message
    assert str(error).startswith("ansi.csv, row 2, column 'Kunde': the file is not valid UTF-8 text")


def test_invalid_byte_deep_in_a_utf8_file_is_located_exactly(tmp_path):
    head = "Nr;Name;Ort\n" + "".join(f"{i};Jörg {i};München\n" for i in range(1, 5000))
    bad_row = "5000;Jorg;M\xfcnchen\n".encode("cp1252")  # one row exported by another system
    data = head.encode("utf-8") + bad_row + "5001;Ende;Köln\n".encode()
    path = write(tmp_path, "mixed.csv", data)
    assert detect_csv(path).encoding == "utf-8"

    seen = []
    with pytest.raises(FileFormatError) as info, open_table(path) as table:
        for n, _ in table:
            seen.append(n)

    assert (info.value.row, info.value.column) == (5001, "Ort")
    assert f"byte position {data.index(b'M\xfcnchen') + 1:,}" in info.value.message
    assert seen == list(range(2, len(seen) + 2))  # rows before the bad chunk were delivered in order


def test_forced_utf8_on_a_bom_file_leaves_no_bom_in_the_header(tmp_path):
    path = write(tmp_path, "bom.csv", GERMAN, "utf-8-sig")
    header, rows, dialect = read_all(path, encoding="utf-8")
    assert (dialect.encoding, dialect.has_bom) == ("utf-8", True)
    assert header[0] == "Kunde"
    assert rows[0][1]["Kunde"] == "Müller"


def test_forced_encoding_reads_what_the_user_asked_for(tmp_path):
    path = write(tmp_path, "utf8.csv", GERMAN)
    header, rows, dialect = read_all(path, encoding="windows-1252")  # aliases are normalised
    assert dialect.encoding == "cp1252"
    assert dialect.overridden == frozenset({"encoding"})
    assert rows[0][1]["Kunde"] == "MÃ¼ller"  # the user's choice wins, even when it is wrong


def test_bytes_undefined_in_cp1252(tmp_path):
    path = write(tmp_path, "x.csv", b"Kunde;Betrag\nA;1\nB\x81;2\n")
    assert "neither UTF-8 nor Windows-1252 text (byte 0x81 at byte position 18)" in read_error(path).message
    error = read_error(path, encoding="cp1252")
    assert (error.row, error.column) == (3, "Kunde")
    assert error.message == "the file is not valid Windows-1252 text: byte 0x81 at byte position 18 cannot be decoded"


def test_unsupported_encoding_is_rejected(tmp_path):
    path = write(tmp_path, "x.csv", GERMAN)
    assert "unsupported encoding 'utf-16'" in read_error(path, encoding="utf-16").message
    assert "unsupported encoding" in read_error(path, encoding="no-such-codec").message


# ---------------------------------------------------------------------------------------------------------------
# delimiters, quoting, line endings
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delimiter", "amount", "decimal"),
    [(";", "1.234,56", ","), (",", "1,234.56", "."), ("\t", "1.234,56", ",")],
    ids=["semicolon", "comma", "tab"],
)
def test_delimiter_is_detected_respecting_quotes(tmp_path, parse_mode, delimiter, amount, decimal):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["Kunde", "Betrag", "Notiz"])
    writer.writerow(["Müller, Hans; Jun.", amount, "a\tb"])  # every candidate delimiter inside a value
    writer.writerow(["Meier", "12" + decimal + "5", "ok"])
    path = write(tmp_path, "d.csv", buffer.getvalue())

    dialect = detect_csv(path)
    assert (dialect.delimiter, dialect.decimal_separator) == (delimiter, decimal)

    header, rows, _ = read_all(path)
    assert header == ["Kunde", "Betrag", "Notiz"]
    assert rows[0] == (2, {"Kunde": "Müller, Hans; Jun.", "Betrag": amount, "Notiz": "a\tb"})
    assert parse_decimal(rows[0][1]["Betrag"], decimal) == Decimal("1234.56")


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"], ids=["crlf", "lf", "cr"])
def test_quoted_fields_with_delimiters_quotes_and_newlines(tmp_path, parse_mode, newline):
    nl = newline
    text = (
        f"Kunde;Notiz;Betrag{nl}"
        f'"Müller; Hans";"Zeile 1{nl}Zeile 2; mit ""Zitat""";"1,5"{nl}'
        f"Meier;ok;2{nl}"
        f'"Schulz";"";"3"{nl}'
    )
    path = write(tmp_path, "q.csv", text)

    _, rows, _ = read_all(path)

    assert rows == [
        (2, {"Kunde": "Müller; Hans", "Notiz": f'Zeile 1{nl}Zeile 2; mit "Zitat"', "Betrag": "1,5"}),
        (3, {"Kunde": "Meier", "Notiz": "ok", "Betrag": "2"}),  # a record is one row, as in Excel
        (4, {"Kunde": "Schulz", "Notiz": "", "Betrag": "3"}),
    ]


def test_blank_and_delimiter_only_lines_are_skipped_but_counted(tmp_path, parse_mode):
    path = write(tmp_path, "b.csv", "\n \nKunde;Betrag\n1;2\n;;\n  ;  \n\n\t\n3;4\n;\n")
    header, rows, _ = read_all(path)
    assert header == ["Kunde", "Betrag"]
    assert rows == [(4, {"Kunde": "1", "Betrag": "2"}), (9, {"Kunde": "3", "Betrag": "4"})]


def test_short_rows_are_padded_and_trailing_empty_fields_tolerated(tmp_path, parse_mode):
    path = write(tmp_path, "s.csv", "a;b;c;\n1;2;3;\n4\n5;6;7;;;\n")
    header, rows, _ = read_all(path)
    assert header == ["a", "b", "c"]  # the unnamed trailing column of "a;b;c;" is dropped
    assert [r for _, r in rows] == [
        {"a": "1", "b": "2", "c": "3"},
        {"a": "4", "b": "", "c": ""},
        {"a": "5", "b": "6", "c": "7"},
    ]


def test_row_with_more_fields_than_the_header_is_reported_with_its_row(tmp_path, parse_mode):
    path = write(tmp_path, "m.csv", 'Kunde;Betrag\nA;1\n"B\nC";2\nMüller; Hans;3\n')
    delivered = []
    with open_table(path) as table, pytest.raises(FileFormatError) as info:
        for n, _ in table:
            delivered.append(n)
    assert delivered == [2, 3]
    error = info.value
    assert error.row == 4
    assert "3 fields but the header has 2 columns" in error.message
    assert "unquoted semicolon" in error.message


def test_unclosed_quote_is_an_error_not_a_silently_merged_row(tmp_path, parse_mode):
    path = write(tmp_path, "u.csv", 'Kunde;Betrag\nA;1\nB;"2\nC;3\nD;4\n')
    with open_table(path) as table, pytest.raises(FileFormatError) as info:
        assert next(iter(table)) == (2, {"Kunde": "A", "Betrag": "1"})
        next(iter(table))
    assert info.value.row == 3
    assert "never closed" in info.value.message


def test_single_column_file(tmp_path, parse_mode):
    path = write(tmp_path, "one.csv", 'Kundennummer\n4711\n"0815"\n\n4712\n')
    header, rows, dialect = read_all(path)
    assert header == ["Kundennummer"]
    assert rows == [(2, {"Kundennummer": "4711"}), (3, {"Kundennummer": "0815"}), (5, {"Kundennummer": "4712"})]
    assert dialect.delimiter == ";"


def test_header_only_file_has_no_rows(tmp_path):
    header, rows, _ = read_all(write(tmp_path, "h.csv", "Kunde;Betrag\r\n"))
    assert (header, rows) == (["Kunde", "Betrag"], [])


def test_iteration_is_lazy_and_single_pass(tmp_path):
    path = write(tmp_path, "l.csv", "a;b\n1;2\n3;4\n5;6\n")
    with open_table(path) as table:
        assert next(iter(table))[0] == 2
        assert [n for n, _ in table] == [3, 4]  # continues, does not rewind
        assert list(table) == []


def test_closing_early_releases_the_file(tmp_path):
    path = write(tmp_path, "l.csv", "a;b\n1;2\n3;4\n")
    table = open_table(path)
    assert next(iter(table))[0] == 2
    table.close()
    table.close()  # idempotent
    assert list(table) == []
    assert repr(table).startswith("<TableReader 'l.csv' CSV, UTF-8, semicolon-separated")


# ---------------------------------------------------------------------------------------------------------------
# numbers and dates in files
# ---------------------------------------------------------------------------------------------------------------


def test_decimal_comma_with_thousands_separator(tmp_path):
    path = write(tmp_path, "n.csv", "Artikel;Preis;Menge\nA;1.234.567,89;3\nB;0,5;1.000\nC;-12,00;7\n")
    _, rows, dialect = read_all(path)
    assert dialect.decimal_separator == ","
    values = [parse_decimal(r["Preis"], dialect.decimal_separator) for _, r in rows]
    assert values == [Decimal("1234567.89"), Decimal("0.5"), Decimal("-12.00")]
    assert parse_int(rows[1][1]["Menge"]) == 1000


@pytest.mark.parametrize(
    ("fmt", "values"),
    [
        ("%d.%m.%Y", ["31.01.2025", "29.02.2024", "01.12.2025"]),
        ("%Y-%m-%d", ["2025-01-31", "2024-02-29", "2025-12-01"]),
        ("%Y%m%d", ["20250131", "20240229", "20251201"]),
    ],
)
def test_each_date_format_is_detected_and_parsed(tmp_path, fmt, values):
    lines = ["Auftrag;Datum"] + [f"A{i};{v}" for i, v in enumerate(values)]
    path = write(tmp_path, "dates.csv", "\n".join(lines) + "\n")
    _, rows, dialect = read_all(path)
    assert dialect.date_format == fmt
    assert [parse_date(r["Datum"], dialect.date_format) for _, r in rows] == [
        date(2025, 1, 31),
        date(2024, 2, 29),
        date(2025, 12, 1),
    ]


@pytest.mark.parametrize(
    ("text", "fmt"), [("31.02.2025", "%d.%m.%Y"), ("2025-02-29", "%Y-%m-%d"), ("20250431", "%Y%m%d")]
)
def test_non_existent_dates_are_rejected(text, fmt):
    with pytest.raises(ValueParseError, match="^date does not exist$") as info:
        parse_date(text, fmt)
    assert info.value.value == text


def test_detection_overrides(tmp_path):
    path = write(tmp_path, "o.csv", "Kunde|Betrag|Datum\nA|1.5|2025-01-31\n")
    dialect = detect_csv(path, delimiter="|", decimal_separator=",", date_format="%d.%m.%Y", encoding="cp1252")
    assert dialect == CsvDialect(
        encoding="cp1252",
        delimiter="|",
        decimal_separator=",",
        date_format="%d.%m.%Y",
        has_bom=False,
        overridden=frozenset({"encoding", "delimiter", "decimal_separator", "date_format"}),
    )
    header, rows, opened = read_all(path, delimiter="|")
    assert header == ["Kunde", "Betrag", "Datum"]
    assert (opened.decimal_separator, opened.date_format, opened.overridden) == (".", "%Y-%m-%d", {"delimiter"})
    assert "pipe-separated" in opened.describe()


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"delimiter": ";;"}, "cannot be used as delimiter"),
        ({"delimiter": '"'}, "cannot be used as delimiter"),
        ({"decimal_separator": ";"}, "decimal separator must be"),
        ({"date_format": "%m/%d/%Y"}, "unsupported date format"),
    ],
)
def test_invalid_overrides(tmp_path, option, message):
    path = write(tmp_path, "x.csv", GERMAN)
    assert message in read_error(path, **option).message


# ---------------------------------------------------------------------------------------------------------------
# header and file-level errors
# ---------------------------------------------------------------------------------------------------------------


def test_empty_file(tmp_path):
    path = write(tmp_path, "leer.csv", b"")
    error = read_error(path)
    assert (error.message, error.file, error.row) == ("the file is empty", "leer.csv", None)
    with pytest.raises(FileFormatError, match="the file is empty"):
        detect_csv(b"")
    assert read_error(write(tmp_path, "blank.csv", "\r\n ;; \r\n\r\n")).message == "the file contains only empty lines"


@pytest.mark.parametrize("header", ["Kunde;Betrag;Kunde", "Kunde;Betrag; kunde "])
def test_duplicate_header(tmp_path, header):
    error = read_error(write(tmp_path, "dup.csv", header + "\n1;2;3\n"))
    assert error.row == 1
    assert error.column.casefold() == "kunde"
    assert "appears twice (columns 1 (A) and 3 (C))" in error.message


def test_blank_column_name(tmp_path):
    error = read_error(write(tmp_path, "blank.csv", "Kunde;;Betrag\n1;2;3\n"))
    assert (error.row, error.message) == (1, "column 2 (B) has no name")


def test_missing_header(tmp_path):
    error = read_error(write(tmp_path, "nohead.csv", "4711;12,50;31.01.2025\n4712;3,00;01.02.2025\n"))
    assert error.row == 1
    assert "not column names" in error.message


def test_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    path = write(tmp_path, "big.csv", "a;b\n" * 625)  # 2,500 bytes

    def no_reading(*args, **kwargs):
        raise AssertionError("the file must not be opened")

    monkeypatch.setattr("builtins.open", no_reading)
    error = read_error(path, max_bytes=1024)
    assert error.message == "file is 2.4 KB; the limit is 1.0 KB"
    assert error.file == "big.csv"


def test_size_limit_default_is_just_under_2_gib(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as f:
        f.truncate(2 * 1024**3)  # sparse: instant and takes no disk space; reading it would find NUL bytes
    assert DEFAULT_MAX_BYTES == 2 * 1024**3 - 1
    error = read_error(path)
    assert error.message == "file is 2.0 GB; the limit is 2.0 GB (2,147,483,648 > 2,147,483,647 bytes)"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("report.pdf", "unsupported file type .pdf"),
        ("alt.xls", ".xls files are not supported"),
        ("README", "unsupported file type (none)"),
    ],
)
def test_unsupported_extension(tmp_path, name, message):
    assert message in read_error(write(tmp_path, name, GERMAN)).message


def test_kind_hint_overrides_the_extension(tmp_path):
    header, rows, _ = read_all(write(tmp_path, "upload.tmp", GERMAN), kind_hint="csv", display_name="Kunden.csv")
    assert header[0] == "Kunde" and len(rows) == 2
    error = read_error(write(tmp_path, "upload2.tmp", b"a;b\n;\n4;4;4\n"), kind_hint="csv", display_name="K.csv")
    assert error.file == "K.csv"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "not a text file"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 100, "Excel workbook or another ZIP archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel (.xls)"),
        (codecs.BOM_UTF16_LE + "Kunde;Betrag\r\n".encode("utf-16-le"), "UTF-16"),
        ("Kunde;Betrag\r\nA;1\r\n".encode("utf-16-le"), "UTF-16"),
        (bytes(range(1, 32)) * 20, "not a text file"),
    ],
    ids=["png", "zip", "ole2", "utf16-bom", "utf16-no-bom", "control-chars"],
)
def test_binary_files_are_rejected(tmp_path, data, message):
    path = write(tmp_path, "daten.csv", data)
    assert message in read_error(path).message
    with pytest.raises(FileFormatError, match="UTF-16|not a text|ZIP|old Excel"):
        detect_csv(data)


def test_csv_without_line_breaks_in_the_first_64kb_is_rejected(tmp_path):
    path = write(tmp_path, "one-line.csv", "a;" * SAMPLE_BYTES)
    assert "no line break" in read_error(path).message


# ---------------------------------------------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------------------------------------------


def make_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    workbook.save(path)
    return path


def test_xlsx_single_sheet_values_are_canonical_strings(tmp_path):
    path = make_workbook(
        tmp_path / "kunden.xlsx",
        {
            "Kunden": [
                ["Kunde", "Betrag", "Datum", "Aktiv", "Zeitpunkt", "Menge"],
                ["Müller", 1234.56, datetime(2025, 1, 31), True, datetime(2025, 1, 31, 14, 30), 3],
                [None, None, None],
                ["Groß", 0.1 + 0.2, datetime(2024, 2, 29), False, None, 1e20],
                ["Formel", 119.00000000000001, "31.12.2025", None, None, -0.0],
            ]
        },
    )

    header, rows, dialect = read_all(path)

    assert dialect == XlsxDialect(sheet="Kunden", sheets=("Kunden",))
    assert (dialect.decimal_separator, dialect.date_format, dialect.kind) == (".", "%Y-%m-%d", "xlsx")
    assert header == ["Kunde", "Betrag", "Datum", "Aktiv", "Zeitpunkt", "Menge"]
    assert rows == [
        (2, {"Kunde": "Müller", "Betrag": "1234.56", "Datum": "2025-01-31", "Aktiv": "true",
             "Zeitpunkt": "2025-01-31 14:30:00", "Menge": "3"}),
        (4, {"Kunde": "Groß", "Betrag": "0.3", "Datum": "2024-02-29", "Aktiv": "false", "Zeitpunkt": "",
             "Menge": "100000000000000000000"}),
        (5, {"Kunde": "Formel", "Betrag": "119", "Datum": "31.12.2025", "Aktiv": "", "Zeitpunkt": "",
             "Menge": "0"}),
    ]  # fmt: skip
    assert parse_decimal(rows[0][1]["Betrag"], dialect.decimal_separator) == Decimal("1234.56")
    assert parse_date(rows[0][1]["Datum"], dialect.date_format) == date(2025, 1, 31)
    assert parse_date(rows[0][1]["Zeitpunkt"], dialect.date_format) == date(2025, 1, 31)
    assert parse_bool(rows[0][1]["Aktiv"]) is True


def test_xlsx_with_several_sheets_requires_a_choice(tmp_path):
    path = make_workbook(
        tmp_path / "export.xlsx",
        {"Kunden": [["Kunde"], ["A"]], "Aufträge": [["Auftrag", "Betrag"], ["X1", 5]], "Tabelle1": []},
    )

    error = read_error(path)
    assert error.message == "the workbook has 3 sheets (Kunden, Aufträge, Tabelle1): choose one"
    assert error.file == "export.xlsx"

    header, rows, dialect = read_all(path, sheet="Aufträge")
    assert (header, rows) == (["Auftrag", "Betrag"], [(2, {"Auftrag": "X1", "Betrag": "5"})])
    assert dialect.sheets == ("Kunden", "Aufträge", "Tabelle1")
    assert read_all(path, sheet=0)[0] == ["Kunde"]
    assert read_all(path, sheet=" kunden")[0] == ["Kunde"]
    assert "no sheet 'Orders'" in read_error(path, sheet="Orders").message
    assert read_error(path, sheet="Tabelle1").message == "the sheet 'Tabelle1' is empty"


def test_xlsx_table_away_from_a1_keeps_excel_row_numbers(tmp_path):
    workbook = Workbook()
    worksheet = workbook.active
    worksheet["B3"], worksheet["C3"] = "Kunde", "Betrag"  # the table starts at B3, as in many hand-made sheets
    worksheet["B4"], worksheet["C4"] = "A", 1
    worksheet["B7"], worksheet["C7"] = "B", 2.5
    worksheet["A9"] = "Summe"  # a note left of the table
    path = tmp_path / "versetzt.xlsx"
    workbook.save(path)

    delivered = []
    with open_table(path) as table, pytest.raises(FileFormatError) as info:
        assert (table.header, table.header_row) == (["Kunde", "Betrag"], 3)
        for row in table:
            delivered.append(row)

    assert delivered == [(4, {"Kunde": "A", "Betrag": "1"}), (7, {"Kunde": "B", "Betrag": "2.5"})]
    assert info.value.row == 9
    assert info.value.message == "the row has a value in column A, outside the header's columns B-C"


def test_xlsx_header_errors_name_sheet_columns(tmp_path):
    path = make_workbook(tmp_path / "x.xlsx", {"S": [[None, "Kunde", None, "Betrag"], [None, "A", None, 1]]})
    assert read_error(path).message == "column C has no name"
    path = make_workbook(tmp_path / "y.xlsx", {"S": [["Kunde", "Betrag", "kunde"]]})
    assert "appears twice (columns A and C)" in read_error(path).message


def test_xlsx_extra_value_right_of_the_header(tmp_path):
    path = make_workbook(tmp_path / "x.xlsx", {"S": [["Kunde", "Betrag"], ["A", 1], [], ["B", 2, None, "x"]]})
    with open_table(path) as table, pytest.raises(FileFormatError) as info:
        assert table.header_row == 1
        assert next(iter(table)) == (2, {"Kunde": "A", "Betrag": "1"})
        next(iter(table))
    assert info.value.row == 4
    assert info.value.message == "the row has a value in column D, outside the header's columns A-B"


def test_xlsx_leading_empty_rows_keep_excel_row_numbers(tmp_path):
    path = make_workbook(tmp_path / "x.xlsx", {"S": [[], [], ["Kunde", "Betrag"], ["A", 1], [], ["B", 2]]})
    with open_table(path) as table:
        assert table.header_row == 3
        assert [n for n, _ in table] == [4, 6]


def test_xlsx_under_a_temporary_name_and_damaged_workbooks(tmp_path):
    path = make_workbook(tmp_path / "a.xlsx", {"S": [["Kunde"], ["A"]]})
    upload = tmp_path / "upload.tmp"
    upload.write_bytes(path.read_bytes())
    assert read_all(upload, kind_hint="xlsx")[1] == [(2, {"Kunde": "A"})]

    broken = write(tmp_path, "kaputt.xlsx", path.read_bytes()[:300])
    assert "not a readable Excel workbook" in read_error(broken).message
    assert "not a readable Excel workbook" in read_error(write(tmp_path, "text.xlsx", GERMAN)).message


# ---------------------------------------------------------------------------------------------------------------
# streaming
# ---------------------------------------------------------------------------------------------------------------


def test_streaming_keeps_memory_flat(tmp_path):
    path = tmp_path / "gross.csv"
    with path.open("w", encoding="cp1252", newline="") as f:
        f.write("Auftragsnr;Kunde;Betrag;Datum;Notiz\r\n")
        for i in range(200_000):
            note = '"mit; Semikolon"' if i % 97 == 0 else ""
            f.write(
                f"A{i};Müller GmbH {i % 13};{i % 9}.{i % 1000:03d},{i % 100:02d};{1 + i % 28:02d}.03.2025;{note}\r\n"
            )
    size = path.stat().st_size

    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        count = 0
        last_row = 0
        with open_table(path) as table:
            for row_number, _ in table:
                count += 1
                last_row = row_number
        peak = tracemalloc.get_traced_memory()[1] - baseline
    finally:
        tracemalloc.stop()

    assert count == 200_000
    assert last_row == 200_001
    assert size > 8 * 1024 * 1024
    assert peak < 2 * 1024 * 1024, f"peak growth {peak / 1e6:.1f} MB for a {size / 1e6:.0f} MB file"


# ---------------------------------------------------------------------------------------------------------------
# values
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sep", "expected"),
    [
        ("1.234,56", ",", "1234.56"),
        ("1,234.56", ".", "1234.56"),
        ("-12,5", ",", "-12.5"),
        ("12", ",", "12"),
        ("  12,50 ", ",", "12.50"),
        ("+3", ",", "3"),
        ("12,50-", ",", "-12.50"),
        ("1 234 567,8", ",", "1234567.8"),
        ("1'234.5", ".", "1234.5"),
        (",5", ",", "0.5"),
        ("1.234", ",", "1234"),
        ("1,234", ",", "1.234"),
        ("\u22125,5", ",", "-5.5"),
        ("0", ".", "0"),
    ],
)
def test_parse_decimal_accepts(text, sep, expected):
    assert parse_decimal(text, sep) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "sep", "reason"),
    [
        ("1,2,3", ",", "more than one decimal separator ','"),
        ("1,2,3", ".", "not followed by groups of three digits"),
        ("abc", ",", "not a number (unexpected character 'a')"),
        ("", ",", "empty value"),
        ("   ", ",", "empty value"),
        ("1.23", ",", "'.' is the thousands separator here"),
        ("12,5", ".", "',' is the thousands separator here"),
        ("1,234.5", ",", "thousands separator '.' after the decimal separator ','"),
        ("1e5", ".", "exponent notation"),
        ("NaN", ".", "not a number"),
        ("12,50 €", ",", "unexpected character '€'"),
        ("1.234 567,8", ",", "mixed thousands separators"),
        ("١٢", ",", "not a number"),
        ("-", ",", "not a number"),
        ("1_000", ",", "not a number"),
    ],
)
def test_parse_decimal_rejects_with_reason(text, sep, reason):
    with pytest.raises(ValueParseError) as info:
        parse_decimal(text, sep)
    assert reason in info.value.reason
    assert str(info.value) == info.value.reason
    assert isinstance(info.value, ValueError)


def test_parse_int():
    assert parse_int("42") == 42
    assert parse_int("-7") == -7
    assert parse_int("1.234") == 1234
    assert parse_int("12,0") == 12
    assert parse_int("12.0", ".") == 12
    assert parse_int("9" * 30) == int("9" * 30)
    with pytest.raises(ValueParseError, match="not a whole number"):
        parse_int("12,5")
    with pytest.raises(ValueParseError, match="empty value"):
        parse_int("")


def test_parse_date_leniencies_and_reasons():
    assert parse_date(" 1.2.2025 ") == date(2025, 2, 1)
    assert parse_date("31.01.2025 14:30") == date(2025, 1, 31)
    assert parse_date("2025-01-31T00:00:00", "%Y-%m-%d") == date(2025, 1, 31)
    with pytest.raises(ValueParseError, match="two-digit year is ambiguous"):
        parse_date("31.01.25")
    with pytest.raises(ValueParseError, match=r"expected a date like 31.12.2025 \(DD.MM.YYYY\)"):
        parse_date("2025-01-31")
    with pytest.raises(ValueParseError, match="time of day does not exist"):
        parse_date("31.01.2025 25:00")
    with pytest.raises(ValueParseError, match="empty value"):
        parse_date("", "%Y%m%d")
    with pytest.raises(ValueError, match="unsupported date format"):
        parse_date("31.01.2025", "%m/%d/%Y")


def test_parse_bool():
    for text in ("ja", "JA", "yes", "1", "true", "WAHR", "x", " X "):
        assert parse_bool(text) is True
    for text in ("nein", "no", "0", "false", "FALSCH", "N"):
        assert parse_bool(text) is False
    assert parse_bool("", empty=False) is False
    with pytest.raises(ValueParseError, match="empty value"):
        parse_bool("  ")
    with pytest.raises(ValueParseError, match="expected ja/nein"):
        parse_bool("vielleicht")


def test_detect_decimal_separator():
    assert detect_decimal_separator(["1.234,56", "12", "0,5"]) == ","
    assert detect_decimal_separator(["1,234.56", "12", "0.5"]) == "."
    assert detect_decimal_separator(["12,5", "3.75", "4,25"]) == ","
    # "1.234" and "1,234" are ambiguous, dates and integers are no evidence: the caller's default decides.
    assert detect_decimal_separator(["1.234", "31.01.2025", "17"], default=".") == "."
    assert detect_decimal_separator(["1,234", "x", ""], default=",") == ","
    assert detect_decimal_separator([]) == ","


def test_detect_date_format():
    assert detect_date_format(["31.01.2025", "", "1.2.2025"]) == "%d.%m.%Y"
    assert detect_date_format(["2025-01-31", "2025-02-01", "31.01.2025"]) == "%Y-%m-%d"
    assert detect_date_format(["20250131", "20250201"]) == "%Y%m%d"
    assert detect_date_format(["12345678", "47110815"]) is None  # article numbers, not dates
    assert detect_date_format(["Müller", "12,5"]) is None


@hypothesis_settings(deadline=None)
@given(st.text(max_size=40), st.sampled_from([",", "."]))
def test_fuzz_value_parsers_only_raise_value_parse_error(text, sep):
    for parse in (
        lambda: parse_decimal(text, sep),
        lambda: parse_int(text, sep),
        lambda: parse_bool(text),
        *(lambda fmt=fmt: parse_date(text, fmt) for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%Y%m%d")),
    ):
        try:
            parse()
        except ValueParseError as exc:
            assert exc.reason


@hypothesis_settings(deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9))
def test_fuzz_decimal_round_trip_german_and_english(value):
    english = f"{value:,.2f}"
    german = english.replace(",", "_").replace(".", ",").replace("_", ".")
    assert parse_decimal(english, ".") == value
    assert parse_decimal(german, ",") == value


@hypothesis_settings(deadline=None)
@given(st.dates(min_value=DATE_MIN, max_value=DATE_MAX))
def test_fuzz_date_round_trip(value):
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%Y%m%d"):
        assert parse_date(value.strftime(fmt), fmt) == value


@hypothesis_settings(deadline=None)
@given(st.dates(min_value=date(1000, 1, 1), max_value=DATE_MIN - timedelta(days=1))
       | st.dates(min_value=DATE_MAX + timedelta(days=1)))
def test_fuzz_dates_outside_the_sane_range_are_refused(value):
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        with pytest.raises(ValueParseError, match=r"^date outside 1900-01-01\.\.2099-12-31$"):
            parse_date(value.strftime(fmt), fmt)


# ---------------------------------------------------------------------------------------------------------------
# fuzzing the reader: only FileFormatError may escape
