"""The shared vocabulary of the import reader: limits, the file-format error and the two dialects.

Split from :mod:`isf.imports.reader` (which re-exports every name here) so that detection
(:mod:`isf.imports.reader_detect`) and the CSV/XLSX streams can use them without importing each other.
"""

import codecs
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

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


def _date_format_label(fmt: str) -> str:
    return fmt.replace("%d", "DD").replace("%m", "MM").replace("%Y", "YYYY")

