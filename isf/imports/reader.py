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

import codecs
import csv
import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, Literal

from .values import DATE_FORMATS, ValueParseError, detect_date_format, detect_decimal_separator, parse_decimal

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

#: How much of a CSV file detection looks at.
SAMPLE_BYTES = 64 * 1024
#: Largest accepted upload (just under 2 GiB, the limit of many upstream tools and of signed 32-bit offsets).
DEFAULT_MAX_BYTES = 2 * 1024**3 - 1
#: Most columns a table to import may have: every kind has a few dozen at most, and each column of the header
#: becomes a choice on the preview page.
MAX_COLUMNS = 1_000

ENCODINGS = ("utf-8", "utf-8-sig", "cp1252")
DELIMITERS = (";", ",", "\t")  # in order of preference for ties: German Excel writes ";"
CSV_EXTENSIONS = frozenset({".csv", ".txt", ".tsv", ".tab"})
XLSX_EXTENSIONS = frozenset({".xlsx", ".xlsm"})

_BOM = codecs.BOM_UTF8
# A physical line longer than this cannot come from a sane export (Excel cells hold at most 32,767 characters);
# reading lines in bounded pieces keeps memory flat even for a 2 GiB file without line breaks.
_MAX_LINE_CHARS = 4 * 1024 * 1024
_FIELD_LIMIT = csv.field_size_limit()
_PROBES = 8  # extra 64 KB windows sampled when the head is pure ASCII
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
_DELIMITER_NAMES = {";": "semicolon", ",": "comma", "\t": "tab", "|": "pipe"}
_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "cp1252": "Windows-1252"}


class FileFormatError(ValueError):
    """The file as a whole (or one of its rows) cannot be read; ``message`` is meant for the end user.

    ``file`` is the display name (never a server path), ``row`` the 1-based spreadsheet row and ``column``
    the column name where known.  ``str()`` combines them: ``"orders.csv, row 17, column 'Betrag': ..."``.
    It subclasses ``ValueError`` so callers that only care about "bad input" can catch that.
    """

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.row = row
        self.column = column

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(frozen=True, slots=True)
class CsvDialect:
    """How a CSV file is written: detected by :func:`detect_csv`, every field overridable.

    ``overridden`` names the fields the caller forced, so the UI can show "detected" vs "chosen".
    """

    kind: ClassVar[str] = "csv"
    encoding: str  # "utf-8", "utf-8-sig" or "cp1252"
    delimiter: str  # ";", "," or "\t" when detected; any single character when forced
    decimal_separator: str  # "," or "."
    date_format: str | None  # one of values.DATE_FORMATS, None when the sample holds no dates
    has_bom: bool
    overridden: frozenset[str] = field(default=frozenset())

    def describe(self) -> str:
        """One line for the import preview, e.g. "CSV, UTF-8 with BOM, semicolon-separated, decimal comma"."""
        parts = [
            "CSV",
            _ENCODING_NAMES.get(self.encoding, self.encoding),
            f"{_DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))}-separated",
            "decimal comma" if self.decimal_separator == "," else "decimal point",
        ]
        if self.date_format:
            parts.append(f"dates {_date_format_label(self.date_format)}")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class XlsxDialect:
    """What an XLSX reader hands out: typed cells rendered canonically, so decimal point and ISO dates."""

    kind: ClassVar[str] = "xlsx"
    sheet: str
    sheets: tuple[str, ...]
    decimal_separator: str = "."
    date_format: str = "%Y-%m-%d"

    def describe(self) -> str:
        return f"Excel workbook, sheet {self.sheet!r}"


Dialect = CsvDialect | XlsxDialect
Row = tuple[int, dict[str, str]]
#: ``(first_row_number, columns)`` or, once, ``(None, rows)``: see :meth:`TableReader.column_blocks`.
Block = tuple[int, list[list[str]]] | tuple[None, Iterator[Row]]


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
# Detection
# ==============================================================================================================


def detect_csv(
    source: str | os.PathLike[str] | bytes,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    decimal_separator: str | None = None,
    date_format: str | None = None,
) -> CsvDialect:
    """Detect encoding, delimiter, decimal separator and date format of a CSV file.

    ``source`` is a path (only the first :data:`SAMPLE_BYTES` are read, plus a few probes when needed) or the
    first bytes of a file; bytes of at least :data:`SAMPLE_BYTES` length are treated as a truncated head.  Any
    keyword argument overrides the corresponding detection.  Raises :class:`FileFormatError` for empty,
    binary or otherwise non-CSV content.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        head = bytes(source)
        return _detect(
            head,
            truncated=len(head) >= SAMPLE_BYTES,
            display=None,
            path=None,
            size=len(head),
            encoding=encoding,
            delimiter=delimiter,
            decimal_separator=decimal_separator,
            date_format=date_format,
        )
    path = os.fspath(source)
    display = Path(path).name
    try:
        size = os.stat(path).st_size
        with open(path, "rb") as f:
            head = f.read(SAMPLE_BYTES)
    except OSError as exc:
        raise FileFormatError(f"the file cannot be opened ({exc.strerror or exc})", file=display) from None
    return _detect(
        head,
        truncated=size > len(head),
        display=display,
        path=path,
        size=size,
        encoding=encoding,
        delimiter=delimiter,
        decimal_separator=decimal_separator,
        date_format=date_format,
    )


def _detect(
    head: bytes,
    *,
    truncated: bool,
    display: str | None,
    path: str | None,
    size: int,
    encoding: str | None,
    delimiter: str | None,
    decimal_separator: str | None,
    date_format: str | None,
) -> CsvDialect:
    overridden = set()
    if encoding is not None:
        encoding = _normalize_encoding(encoding, display)
        overridden.add("encoding")
    if delimiter is not None:
        if len(delimiter) != 1 or delimiter in '"\r\n' or delimiter.isalnum():
            raise FileFormatError(f"{delimiter!r} cannot be used as delimiter", file=display)
        overridden.add("delimiter")
    if decimal_separator is not None:
        if decimal_separator not in (",", "."):
            raise FileFormatError(f"decimal separator must be ',' or '.', not {decimal_separator!r}", file=display)
        overridden.add("decimal_separator")
    if date_format is not None:
        if date_format not in DATE_FORMATS:
            choices = ", ".join(_date_format_label(f) for f in DATE_FORMATS)
            raise FileFormatError(f"unsupported date format {date_format!r}; choose one of {choices}", file=display)
        overridden.add("date_format")

    if not head:
        raise FileFormatError("the file is empty", file=display)
    _reject_binary_signatures(head, display)
    has_bom = head.startswith(_BOM)

    if encoding is None:
        encoding = _detect_encoding(head, truncated=truncated, has_bom=has_bom, path=path, size=size, display=display)
    # Bytes that do not fit the encoding (forced by the user, or after a BOM that promised UTF-8) are reported
    # with row and byte position when the rows are read; for detection a few replacement characters do no harm.
    text = _decode_head(head, encoding, truncated, errors="replace")
    text = text.removeprefix("\ufeff")

    controls = len(_CONTROL_CHARS.findall(text))
    if controls > 2 and controls * 100 > len(text):
        raise FileFormatError("this is not a text file (it contains binary data)", file=display)
    if truncated:
        # Drop the incomplete last line; keep everything if the head holds no line break at all.
        cut = max(text.rfind("\n"), text.rfind("\r"))
        if cut < 0:
            raise FileFormatError(
                f"no line break in the first {SAMPLE_BYTES // 1024} KB; this does not look like a CSV file",
                file=display,
            )
        text = text[: cut + 1]

    if delimiter is None:
        delimiter = _sniff_delimiter(text, truncated)
    cells = _sample_cells(text, delimiter, truncated)
    if decimal_separator is None:
        decimal_separator = detect_decimal_separator(cells, default="." if delimiter == "," else ",")
    if date_format is None:
        date_format = detect_date_format(cells)
    return CsvDialect(
        encoding=encoding,
        delimiter=delimiter,
        decimal_separator=decimal_separator,
        date_format=date_format,
        has_bom=has_bom,
        overridden=frozenset(overridden),
    )


def _normalize_encoding(name: str, display: str | None) -> str:
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        canonical = ""
    if canonical not in ENCODINGS:
        raise FileFormatError(f"unsupported encoding {name!r}; choose one of {', '.join(ENCODINGS)}", file=display)
    return canonical


def _reject_binary_signatures(head: bytes, display: str | None) -> None:
    """Recognise the non-CSV files users actually upload by mistake and say what they are."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # also covers the UTF-32 LE BOM
        raise FileFormatError(
            "the file is UTF-16 encoded (Excel 'Unicode text'); save it as 'CSV UTF-8' or 'CSV (semicolon)'",
            file=display,
        )
    if head.startswith(b"PK\x03\x04"):
        raise FileFormatError("this is an Excel workbook or another ZIP archive, not a CSV file", file=display)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileFormatError("this is an old Excel (.xls) or Office file; save it as .xlsx or CSV", file=display)
    if b"\x00" in head:
        half = max(len(head) // 2, 1)
        if max(head[0::2].count(0), head[1::2].count(0)) > 0.4 * half:  # every other byte NUL: UTF-16 text
            raise FileFormatError(
                "the file looks UTF-16 encoded (Excel 'Unicode text'); save it as 'CSV UTF-8'", file=display
            )
        raise FileFormatError("this is not a text file (it contains binary data)", file=display)


def _detect_encoding(
    head: bytes, *, truncated: bool, has_bom: bool, path: str | None, size: int, display: str | None
) -> str:
    if has_bom:
        return "utf-8-sig"
    if head.isascii():
        # ASCII is valid in both encodings; look further into the file before deciding for UTF-8.
        probe = _first_non_ascii_probe(path, size) if (path and truncated) else None
        if probe is None or _is_utf8(probe, truncated=True, skip_leading_continuation=True):
            return "utf-8"
        return "cp1252"
    if _is_utf8(head, truncated=truncated):
        return "utf-8"
    try:
        head.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise FileFormatError(
            f"the file is neither UTF-8 nor Windows-1252 text (byte 0x{head[exc.start]:02X} at byte position "
            f"{exc.start})",
            file=display,
        ) from None
    return "cp1252"


def _is_utf8(data: bytes, *, truncated: bool, skip_leading_continuation: bool = False) -> bool:
    if skip_leading_continuation:  # a probe may start in the middle of a multi-byte sequence
        start = 0
        while start < min(3, len(data)) and 0x80 <= data[start] < 0xC0:
            start += 1
        data = data[start:]
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=not truncated)
    except UnicodeDecodeError:
        return False
    return True


def _first_non_ascii_probe(path: str, size: int) -> bytes | None:
    """Read a few windows spread over the file and return the first one containing non-ASCII bytes."""
    try:
        with open(path, "rb") as f:
            for i in range(1, _PROBES + 1):
                f.seek(max(0, size * i // _PROBES - SAMPLE_BYTES))
                window = f.read(SAMPLE_BYTES)
                if not window.isascii():
                    return window
    except OSError:
        return None
    return None


def _decode_head(head: bytes, encoding: str, truncated: bool, errors: str) -> str:
    # The incremental decoder tolerates a multi-byte character cut off at the end of a truncated head.
    return codecs.getincrementaldecoder(encoding)(errors).decode(head, final=not truncated)


def _records(text: str, delimiter: str, truncated: bool) -> list[list[str]]:
    """Parse a decoded sample into non-blank records; the last one is dropped if the sample was cut."""
    try:
        records = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if not _is_blank(r)]
    except csv.Error:
        return []
    if truncated and len(records) > 1:
        records.pop()
    return records


def _sniff_delimiter(text: str, truncated: bool) -> str:
    """Pick the candidate delimiter that splits the sample into a consistent column count > 1.

    Every candidate is scored by parsing the sample with ``csv.reader`` (so delimiters inside quoted values do
    not count): first whether it yields a consistent column count > 1 at all, then how consistent, whether the
    header has that count, and how many columns it yields.  ``csv.Sniffer`` (restricted to the candidates) only
    decides what this structural evidence leaves open: on its own it prefers "," whenever several candidates
    fit (its built-in preference list is English), which is exactly wrong for a headerless German file whose
    amounts all carry one decimal comma.  Remaining ties go to ";", then tab, then ",".  A sample where no
    candidate yields more than one column is a single-column file (or all blank); ";" is then as good as any.
    """
    stats = []
    for rank, candidate in enumerate(DELIMITERS):
        counts = [len(r) for r in _records(text, candidate, truncated)]
        if not counts:  # nothing but blank lines - e.g. only delimiters - under this candidate
            stats.append((False, 1.0, True, 1, rank, candidate))
            continue
        mode = max(set(counts), key=counts.count)
        consistency = round(counts.count(mode) / len(counts), 2)
        stats.append((mode > 1 and consistency >= 0.5, consistency, counts[0] == mode, mode, rank, candidate))
    best = max(stats, key=lambda s: s[:4])
    tied = [s[5] for s in stats if s[:4] == best[:4]]
    if len(tied) > 1 and best[0]:
        try:
            sniffed = csv.Sniffer().sniff(text[:8192], delimiters="".join(tied)).delimiter
        except Exception:  # only a tie-breaker; its regex heuristics must never turn into a user-facing error
            sniffed = None
        if sniffed in tied:
            return sniffed
    return tied[0]


def _sample_cells(text: str, delimiter: str, truncated: bool) -> list[str]:
    records = _records(text, delimiter, truncated)
    return [cell for record in records[1:] for cell in record]


def _is_blank(fields: list[str]) -> bool:
    return not "".join(fields).strip()


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


def _date_format_label(fmt: str) -> str:
    return fmt.replace("%d", "DD").replace("%m", "MM").replace("%Y", "YYYY")


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
