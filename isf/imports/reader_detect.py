"""CSV dialect detection for the import reader: encoding, delimiter, decimal separator and date format.

Split from :mod:`isf.imports.reader` (which re-exports :func:`detect_csv`); see its docstring for why detection
is advisory and only looks at the head of a file.
"""

import codecs
import csv
import io
import os
from pathlib import Path

from .reader_base import (
    _BOM,
    _CONTROL_CHARS,
    _PROBES,
    DELIMITERS,
    ENCODINGS,
    SAMPLE_BYTES,
    CsvDialect,
    FileFormatError,
    _date_format_label,
)
from .values import DATE_FORMATS, detect_date_format, detect_decimal_separator


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

