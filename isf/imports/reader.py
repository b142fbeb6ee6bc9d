"""Streaming readers for bulk-import files (CSV/TXT and XLSX), with dialect detection.

This is the Django-free bottom layer of the importer: it turns an uploaded file into a header plus a lazy
stream of ``(row_number, {column: raw string})`` pairs and says *what it assumed* about the file (encoding,
delimiter, decimal separator, date format) so the UI can show it and let the user override it.  Typing the raw
strings is :mod:`isf.imports.values`' job.

Design decisions, and why:

* **Streaming only.**  Exports reach millions of rows and up to 2 GiB.  CSVs are read line by line through a
  text wrapper, XLSX through openpyxl's read-only mode; nothing ever holds the whole file, and pathological
  inputs (a 2 GiB file without a single line break, an unclosed quote) hit a per-line / per-field cap and fail
  with a :class:`FileFormatError` instead of exhausting memory.
* **Row numbers as a spreadsheet user sees them.**  The header is row 1 and every CSV *record* is one row -
  a quoted value spanning three physical lines is still one row, exactly as Excel shows it - so "row 57" in the
  error report is the row the user finds when opening the file.  Blank rows are skipped but still counted.
* **Detection is advisory.**  :func:`detect_csv` looks at the first 64 KB only (plus a few probes further into
  the file when that head is pure ASCII and cannot tell UTF-8 from Windows-1252).  Every detected property can
  be overridden, and every failure - including ones that only show up at row 800,000 - is a
  :class:`FileFormatError` naming the file, row and column, never a bare ``UnicodeDecodeError`` or
  ``csv.Error``.
* **One canonical text form for XLSX.**  Typed Excel cells are rendered as strings (ISO dates, ``.`` decimals,
  15 significant digits like Excel itself) so the same value parsers serve both formats; ``XlsxDialect`` says
  so.
"""

import os
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from .reader_base import (  # noqa: F401 - re-exported: the reader's public names live here too
    _BOM,
    _CONTROL_CHARS,
    _DELIMITER_NAMES,
    _ENCODING_NAMES,
    _FIELD_LIMIT,
    _MAX_LINE_CHARS,
    CSV_EXTENSIONS,
    DEFAULT_MAX_BYTES,
    DELIMITERS,
    ENCODINGS,
    MAX_COLUMNS,
    SAMPLE_BYTES,
    XLSX_EXTENSIONS,
    Block,
    CsvDialect,
    Dialect,
    FileFormatError,
    Row,
    XlsxDialect,
    _date_format_label,
)
from .reader_detect import _detect, _is_blank, detect_csv  # noqa: F401 - re-exported
from .values import ValueParseError, detect_date_format, parse_decimal

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_COLUMNS",
    "SAMPLE_BYTES",
    "CsvDialect",
    "FileFormatError",
    "TableReader",
    "XlsxDialect",
    "detect_csv",
    "open_table",
]


class TableReader:
    """An open table: ``header``, ``dialect`` and a single-pass, lazy iteration over ``(row_number, row)``.

    Use it as a context manager (or call :meth:`close`) so the file handle is released even when the caller
    stops iterating early or a :class:`FileFormatError` interrupts the stream.  Iterating a second time
    continues where the first iteration stopped; it does not rewind, because rewinding would mean re-reading
    a possibly huge file behind the caller's back.
    """

    def __init__(
        self,
        *,
        file: str,
        header: list[str],
        header_row: int,
        dialect: Dialect,
        rows: Iterator[Row],
        closer: Callable[[], None],
        blocks: Callable[[], Iterator[Block]] | None = None,
        path: str | None = None,
    ) -> None:
        self.file = file
        self.path = path  # the file on disk (CSV), for readers of parts of it
        self.header = header
        self.header_row = header_row
        self.dialect = dialect
        self._rows = rows
        self._closer: Callable[[], None] | None = closer
        self._blocks = blocks

    def column_blocks(self) -> Iterator[Block] | None:
        """The same records as the row iteration, column-wise in blocks, for bulk importers; None if unsupported.

        Yields ``(first_row_number, columns)`` for blocks of consecutive, plain records (no quotes, no blank or
        short or long records): ``columns[i]`` holds the raw strings of ``header[i]``, the records are rows
        ``first_row_number .. first_row_number + len(columns[0]) - 1``.  A block holding any record that needs
        the careful record parser ends the blocks: from that block's first record on, the rest of the file is
        yielded once as ``(None, rows)`` with ``rows`` the usual ``(row_number, row)`` iterator.  Use either this
        or the row iteration, not both.
        """
        return self._blocks() if self._blocks is not None else None

    @property
    def kind(self) -> str:
        return self.dialect.kind

    def __iter__(self) -> Iterator[Row]:
        return self._rows

    def close(self) -> None:
        closer, self._closer = self._closer, None
        if closer is not None:
            close_rows = getattr(self._rows, "close", None)
            if close_rows is not None:
                close_rows()
            closer()

    def __enter__(self) -> "TableReader":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<TableReader {self.file!r} {self.dialect.describe()}, {len(self.header)} columns>"



# ==============================================================================================================
# Opening
# ==============================================================================================================


def open_table(
    path: str | os.PathLike[str],
    *,
    kind_hint: Literal["csv", "xlsx"] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    decimal_separator: str | None = None,
    date_format: str | None = None,
    sheet: str | int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    display_name: str | None = None,
    preview: bool = False,
) -> TableReader:
    """Open a CSV/TXT or XLSX file for streaming and read its header.

    ``kind_hint`` overrides the file extension (uploads are often stored under temporary names).  The CSV
    options override detection and are ignored for XLSX; ``sheet`` (name or 0-based index) selects the XLSX
    worksheet and is required when the workbook has several.  ``display_name`` is the name used in error
    messages (default: the file's base name).  The size limit is checked before a single byte is read.
    ``preview=True`` promises that only the header will be read: an XLSX workbook is then checked for absurd
    dimensions only as far as its header (otherwise all of it is checked before openpyxl parses it).

    Header problems (empty file, no header, blank or duplicate column names) raise :class:`FileFormatError`
    here; problems further down the file are raised from the iteration, with the row number.
    """
    path = os.fspath(path)
    display = display_name or Path(path).name
    kind = _resolve_kind(path, kind_hint, display)
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise FileFormatError(f"the file cannot be opened ({exc.strerror or exc})", file=display) from None
    if size > max_bytes:
        raise FileFormatError(_size_message(size, max_bytes), file=display)
    if size == 0:
        raise FileFormatError("the file is empty", file=display)
    if kind == "xlsx":
        return _open_xlsx(path, display, sheet, preview=preview)
    return _open_csv(
        path,
        display,
        size,
        encoding=encoding,
        delimiter=delimiter,
        decimal_separator=decimal_separator,
        date_format=date_format,
    )


def _resolve_kind(path: str, kind_hint: str | None, display: str) -> str:
    if kind_hint is not None:
        kind = kind_hint.lower().lstrip(".")
        if kind in ("csv", "txt", "tsv"):
            return "csv"
        if kind in ("xlsx", "xlsm"):
            return "xlsx"
        raise FileFormatError(f"unsupported file type {kind_hint!r}; expected 'csv' or 'xlsx'", file=display)
    ext = Path(display).suffix.lower() or Path(path).suffix.lower()
    if ext in CSV_EXTENSIONS:
        return "csv"
    if ext in XLSX_EXTENSIONS:
        return "xlsx"
    if ext in (".xls", ".xlsb", ".ods", ".numbers"):
        raise FileFormatError(f"{ext} files are not supported; save the file as .xlsx or CSV", file=display)
    shown = ext or "(none)"
    raise FileFormatError(f"unsupported file type {shown}; expected .csv, .txt, .tsv or .xlsx", file=display)


def _human_size(n: int) -> str:
    """Binary units labelled KB/MB/GB, as Windows Explorer shows sizes to our users."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= factor:
            return f"{n / factor:.1f} {unit}"
    return f"{n} bytes"


def _size_message(size: int, limit: int) -> str:
    """ "file is 2.5 GB; the limit is 2.0 GB", with exact byte counts when rounding makes both look equal."""
    message = f"file is {_human_size(size)}; the limit is {_human_size(limit)}"
    if _human_size(size) == _human_size(limit):
        message += f" ({size:,} > {limit:,} bytes)"
    return message


# ==============================================================================================================
# CSV
# ==============================================================================================================


def _open_csv(path: str, display: str, size: int, **overrides: Any) -> TableReader:
    try:
        with open(path, "rb") as f:
            head = f.read(SAMPLE_BYTES)
    except OSError as exc:
        raise FileFormatError(f"the file cannot be opened ({exc.strerror or exc})", file=display) from None
    truncated = size > len(head)
    dialect = _detect(head, truncated=truncated, display=display, path=path, size=size, **overrides)
    fast_split = _prefer_split(head)
    try:
        text_file = open(path, encoding=dialect.encoding, newline="", errors="strict")  # closed by the TableReader
    except OSError as exc:
        raise FileFormatError(f"the file cannot be opened ({exc.strerror or exc})", file=display) from None
    try:
        from .reader_csv import _CsvStream  # the record parser lives beside this module

        stream = _CsvStream(text_file, path, display, dialect, fast_split)
        header, header_row = stream.read_header()
    except BaseException:
        text_file.close()
        raise
    return TableReader(
        file=display,
        header=header,
        header_row=header_row,
        dialect=dialect,
        rows=stream.rows(),
        closer=text_file.close,
        blocks=stream.column_blocks if fast_split and len(header) > 1 else None,
        path=path,
    )


def _prefer_split(head: bytes) -> bool:
    """Whether at most a quarter of the lines contain a quote, so split mode pays off (see ``_CsvStream``).

    Split mode costs about 2.5x more than reader mode on a quoted line and half as much on a plain one; the
    choice only affects speed, never the result.
    """
    lines = head.splitlines()
    return sum(b'"' in line for line in lines) * 4 <= len(lines)


# A line appended after the last one.  A quoted value that is never closed - which csv.reader (like Excel)
# would silently merge with every following row - swallows it, and that is how it is detected and reported.
# The line starts with a quote so that, when swallowed, it closes the runaway value and ends up in that value's
# tail; see _CsvStream._rows_reader for why it also carries delimiters.
def _row_builder(header: list[str]) -> Callable[[list[str]], dict[str, str]]:
    """Return ``f(fields) -> {header[i]: fields[i]}``, about 3x faster than ``dict(zip(header, fields))``.

    ``dict(zip(...))`` grows the dict while inserting; a dict display is presized and built by one opcode.  The
    function is generated the way ``collections.namedtuple`` and ``dataclasses`` generate theirs.  The source
    text contains only generated identifiers - column names are passed in as closure values, never pasted into
    code - so no file content can inject anything.  Very wide tables fall back to ``dict(zip(...))``.
    """
    width = len(header)
    if width > 200:
        return lambda fields: dict(zip(header, fields, strict=True))
    params = ", ".join(f"k{i}" for i in range(width))
    items = ", ".join(f"k{i}: f[{i}]" for i in range(width))
    namespace: dict[str, Any] = {}
    exec(f"def factory({params}):\n    def build(f):\n        return {{{items}}}\n    return build\n", namespace)
    return namespace["factory"](*header)


def _validate_header(fields: list[str], row: int, display: str, kind: str, first_column: int = 0) -> list[str]:
    """Strip names, drop trailing unnamed columns and reject headers the importer could not map reliably.

    ``first_column`` is the sheet column of ``fields[0]``, so messages name the column the user sees.
    """
    width = len(fields)
    while width and not _cell_text(fields[width - 1]).strip():
        width -= 1
    if width > MAX_COLUMNS:
        raise FileFormatError(
            f"the header row has {width:,} columns; a file to import may have at most {MAX_COLUMNS:,}",
            file=display,
            row=row,
        )
    names = [_cell_text(v).strip().lstrip("\ufeff").strip() for v in fields[:width]]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise FileFormatError("the header row has no column names", file=display, row=row)
    if all(_looks_like_data(name) for name in names if name):
        example = next(name for name in names if name)
        raise FileFormatError(
            f"the first row contains data ({example!r}), not column names; add a header row",
            file=display,
            row=row,
        )
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        if not name:
            raise FileFormatError(
                f"column {_column_label(first_column + index, kind)} has no name", file=display, row=row
            )
        key = name.casefold()
        if key in seen:
            raise FileFormatError(
                f"the column name {name!r} appears twice (columns {_column_label(first_column + seen[key], kind)}"
                f" and {_column_label(first_column + index, kind)})",
                file=display,
                row=row,
                column=name,
            )
        seen[key] = index
    return names


def _looks_like_data(name: str) -> bool:
    for sep in (",", "."):
        try:
            parse_decimal(name, sep)
            return True
        except ValueParseError:
            pass
    return detect_date_format([name]) is not None


def _column_label(index: int, kind: str) -> str:
    letter = _column_letter(index)
    return letter if kind == "xlsx" else f"{index + 1} ({letter})"


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters



# --------------------------------------------------------------------------------------------------------------
# Locating an undecodable byte
# --------------------------------------------------------------------------------------------------------------


def _open_xlsx(path: str, display: str, sheet: str | int | None, *, preview: bool) -> TableReader:
    from .reader_xlsx import open_xlsx  # openpyxl is only imported when a workbook is read

    return open_xlsx(path, display, sheet, preview=preview)


def _cell_text(value: object) -> str:
    """Render an openpyxl cell value canonically: ISO dates, '.' decimals, 'true'/'false'."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, datetime):
        if value.time() == time():
            return value.date().isoformat()
        return value.isoformat(" ", "seconds" if not value.microsecond else "milliseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat("seconds" if not value.microsecond else "milliseconds")
    if isinstance(value, timedelta):
        seconds = round(value.total_seconds())
        sign = "-" if seconds < 0 else ""
        hours, rest = divmod(abs(seconds), 3600)
        return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"
    return str(value)


def _float_text(value: float) -> str:
    """15 significant digits, like Excel: a formula's 119.00000000000001 is shown - and imported - as 119."""
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    text = f"{value:.15g}"
    if "e" in text:
        text = format(Decimal(text), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text

