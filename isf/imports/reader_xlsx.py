"""XLSX side of the import reader: one worksheet streamed row by row with openpyxl (read-only mode).

Split from reader.py, which holds the CSV detection and the shared pieces (errors, dialects,
header validation); see its docstring for the contract.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any

from .reader import (
    FileFormatError,
    Row,
    TableReader,
    XlsxDialect,
    _cell_text,
    _column_letter,
    _is_blank,
    _row_builder,
    _validate_header,
)

#: Excel's own limits: a worksheet beyond them was not written by a spreadsheet program, and openpyxl would
#: spend minutes on it (a 170 KB file can hold a row of 1.5 million cells).
EXCEL_MAX_COLUMNS = 16_384
EXCEL_MAX_ROWS = 1_048_576
#: Rows the header is looked for in (leading empty rows are skipped).
HEADER_SEARCH_ROWS = 100
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|dimension)(?=[\s/>])([^<>]*)")
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["']\s*(\d+)""")
_SCAN_CHUNK = 1024 * 1024


def check_dimensions(path: str, display: str, *, preview: bool = False) -> None:
    """Refuse a workbook whose XML has a row beyond Excel's limits, before openpyxl parses a byte of it.

    A fast scan of the decompressed XML parts for ``<row>`` and ``<c>`` tags (a few per cent of what openpyxl
    needs to parse the same cells). With ``preview`` each part is scanned only as far as the header search
    reads, unless it has no ``<dimension>`` element: openpyxl then parses the whole sheet to find its size.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, ValueError):
        return  # openpyxl reports what is wrong with the file
    with archive:
        for member in archive.infolist():
            if member.filename.lower().endswith(".xml"):
                _scan_part(archive, member, display, preview=preview)


def _scan_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, display: str, *, preview: bool) -> None:
    rows = cells = 0
    dimension = False
    tail = b""
    try:
        handle = archive.open(member)
    except (OSError, zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError):
        return
    with handle:
        while True:
            try:
                chunk = handle.read(_SCAN_CHUNK)
            except (OSError, zipfile.BadZipFile, EOFError, ValueError):
                return  # damaged: openpyxl says so
            if not chunk:
                return
            buffer = tail + chunk
            cut = buffer.rfind(b"<")
            if cut < 0 or buffer.find(b">", cut) >= 0:
                cut = len(buffer)
            for match in _TAG.finditer(buffer, 0, cut):
                tag = match.group(1)
                if tag == b"c":
                    cells += 1
                    if cells > EXCEL_MAX_COLUMNS:
                        raise FileFormatError(
                            f"the worksheet has a row with more than {EXCEL_MAX_COLUMNS:,} cells, Excel's limit; "
                            "this is not a table Excel wrote",
                            file=display,
                            row=rows,
                        )
                elif tag == b"row":
                    rows += 1
                    cells = 0
                    number = _ROW_NUMBER.search(match.group(2))
                    if number and int(number.group(1)) > EXCEL_MAX_ROWS:
                        raise FileFormatError(
                            f"the worksheet has a row number beyond {EXCEL_MAX_ROWS:,}, Excel's limit; "
                            "this is not a table Excel wrote",
                            file=display,
                        )
                    if preview and dimension and rows > HEADER_SEARCH_ROWS:
                        return
                else:
                    dimension = True
            tail = buffer[cut:]
            if len(tail) > _SCAN_CHUNK:
                raise FileFormatError("the workbook has an XML tag longer than 1 MB; it is damaged", file=display)


def open_xlsx(path: str, display: str, sheet: str | int | None, *, preview: bool = False) -> TableReader:
    from openpyxl import load_workbook  # deferred: a noticeable import that CSV-only imports never need

    check_dimensions(path, display, preview=preview)

    try:
        # A file object rather than the path: openpyxl rejects paths whose extension it does not know, and
        # uploads are stored under temporary names.
        handle = open(path, "rb")
    except OSError as exc:
        raise FileFormatError(f"the file cannot be opened ({exc.strerror or exc})", file=display) from None
    workbook = None

    def close() -> None:
        if workbook is not None:
            workbook.close()
        handle.close()

    try:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl warns about styles/extensions it drops; noise for users
                workbook = load_workbook(handle, read_only=True, data_only=True)
            names = tuple(ws.title for ws in workbook.worksheets)
        except Exception as exc:  # openpyxl raises anything from KeyError to BadZipFile on bad input
            raise FileFormatError(
                f"this is not a readable Excel workbook ({type(exc).__name__})", file=display
            ) from None
        worksheet = workbook.worksheets[_pick_sheet(names, sheet, display)]
        worksheet.reset_dimensions()  # some writers store wrong dimensions; read-only mode would trust them
        dialect = XlsxDialect(sheet=worksheet.title, sheets=names)
        stream = _XlsxStream(worksheet.iter_rows(min_row=1, values_only=True), display, dialect)
        header, header_row = stream.read_header()
    except BaseException:
        close()
        raise
    return TableReader(
        file=display, header=header, header_row=header_row, dialect=dialect, rows=stream.rows(), closer=close
    )


def _pick_sheet(names: tuple[str, ...], sheet: str | int | None, display: str) -> int:
    listed = ", ".join(names)
    if not names:
        raise FileFormatError("the workbook has no worksheets", file=display)
    if sheet is None:
        if len(names) == 1:
            return 0
        raise FileFormatError(f"the workbook has {len(names)} sheets ({listed}): choose one", file=display)
    if isinstance(sheet, int):
        if 0 <= sheet < len(names):
            return sheet
        raise FileFormatError(f"the workbook has no sheet number {sheet + 1}; it has {listed}", file=display)
    if sheet in names:
        return names.index(sheet)
    folded = [n.strip().casefold() for n in names]
    if sheet.strip().casefold() in folded:
        return folded.index(sheet.strip().casefold())
    raise FileFormatError(f"the workbook has no sheet {sheet!r}; it has {listed}", file=display)


class _XlsxStream:
    """Row loop over openpyxl's read-only rows.

    Hand-made sheets often place the table somewhere other than A1.  Leading empty rows are skipped like in CSV
    (row numbers stay Excel's), and empty columns left of the header are ignored as long as they stay empty.
    """

    def __init__(self, rows: Iterator[tuple[Any, ...]], display: str, dialect: XlsxDialect) -> None:
        self.source = rows
        self.display = display
        self.dialect = dialect
        self.row = 0
        self.offset = 0  # empty columns left of the header
        self.header: list[str] = []

    def _next(self) -> tuple[Any, ...] | None:
        try:
            values = next(self.source, None)
        except Exception as exc:  # corrupt XML surfaces as arbitrary exceptions
            raise self._damaged(exc, self.row + 1) from None
        if values is not None:
            self.row += 1
        return values

    def _damaged(self, exc: Exception, row: int) -> FileFormatError:
        return FileFormatError(f"the workbook is damaged ({type(exc).__name__})", file=self.display, row=row)

    def read_header(self) -> tuple[list[str], int]:
        while True:
            values = self._next()
            if values is None:
                raise FileFormatError(f"the sheet {self.dialect.sheet!r} is empty", file=self.display)
            if self.row > HEADER_SEARCH_ROWS:
                raise FileFormatError(
                    f"the sheet {self.dialect.sheet!r} has no column names in its first {HEADER_SEARCH_ROWS} rows",
                    file=self.display,
                )
            cells = [_cell_text(v) for v in values]
            if not _is_blank(cells):
                break
        self.offset = next(i for i, cell in enumerate(cells) if cell.strip())
        self.header = _validate_header(cells[self.offset :], self.row, self.display, "xlsx", self.offset)
        return self.header, self.row

    def rows(self) -> Iterator[Row]:
        build = _row_builder(self.header)
        width = len(self.header)
        offset = self.offset
        while True:
            values = self._next()
            if values is None:
                return
            n = self.row
            cells = [_cell_text(v) for v in values]
            if _is_blank(cells):
                continue
            if offset:
                if not _is_blank(cells[:offset]):
                    raise self._outside(next(i for i in range(offset) if cells[i].strip()), n)
                cells = cells[offset:]
            if len(cells) < width:
                cells += [""] * (width - len(cells))
            elif len(cells) > width:
                extra = next((i for i in range(width, len(cells)) if cells[i].strip()), None)
                if extra is not None:
                    raise self._outside(offset + extra, n)
                del cells[width:]
            yield n, build(cells)

    def _outside(self, column: int, row: int) -> FileFormatError:
        first, last = _column_letter(self.offset), _column_letter(self.offset + len(self.header) - 1)
        return FileFormatError(
            f"the row has a value in column {_column_letter(column)}, outside the header's columns {first}-{last}",
            file=self.display,
            row=row,
        )


