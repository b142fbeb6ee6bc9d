"""CSV side of the import reader: the streaming record parser and locating decode errors.

Split from reader.py (detection, dialects, errors, header validation); see its docstring.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from functools import partial
from itertools import chain
from operator import methodcaller
from typing import Any

import numpy as np

from .reader import (
    _BOM,
    _DELIMITER_NAMES,
    _ENCODING_NAMES,
    _FIELD_LIMIT,
    _MAX_LINE_CHARS,
    Block,
    CsvDialect,
    FileFormatError,
    Row,
    _is_blank,
    _row_builder,
    _validate_header,
)

_BLOCK_CHARS = 1 << 20  # characters read per column block
_EOF_MARK = "\ue000ISF-EOF\ue000"
_EOF_LINES = ('"' + _EOF_MARK,)


class _CsvStream:
    """Record loop over a text file, translating decode and csv errors into located :class:`FileFormatError`.

    Records are parsed one of two ways with identical results.  *Split mode* handles a line without a quote
    character with ``str.split`` - about twice as fast as ``csv.reader`` - and hands lines that do contain one
    to a short-lived ``csv.reader``, which pulls continuation lines of multi-line values itself.  *Reader mode*
    runs one persistent ``csv.reader`` and is used when most lines are quoted, where split mode's per-record
    reader would cost more than it saves.  Parsing is non-strict like Excel (``"abc"def`` reads as
    ``abcdef``), except that a quote that is never closed is an error instead of silently eating the rest of
    the file.
    """

    def __init__(
        self, text_file: io.TextIOWrapper, path: str, display: str, dialect: CsvDialect, fast_split: bool
    ) -> None:
        self.path = path
        self.display = display
        self.dialect = dialect
        self.delimiter = dialect.delimiter
        # Bounded reads: a line longer than _MAX_LINE_CHARS arrives in pieces instead of all at once.
        self.text_file = text_file
        self.lines = iter(partial(text_file.readline, _MAX_LINE_CHARS), "")
        self.fast_split = fast_split
        self.row = 0  # number of the last record read (1-based, blank records included)
        self.header: list[str] = []

    def _split(self, line: str, row: int) -> list[str]:
        """Fields of the record starting with ``line`` (split mode)."""
        if '"' not in line:
            if len(line) >= _MAX_LINE_CHARS:
                raise self._too_long(row)
            return line.rstrip("\r\n").split(self.delimiter)
        fields = next(csv.reader(chain((line,), self.lines, _EOF_LINES), delimiter=self.delimiter), [])
        if fields and fields[-1].endswith(_EOF_MARK):
            raise self._unclosed(row)
        return fields

    def read_header(self) -> tuple[list[str], int]:
        while True:
            try:
                line = next(self.lines, None)
                if line is None:
                    raise FileFormatError("the file contains only empty lines", file=self.display)
                self.row += 1
                record = self._split(line, self.row)
            except UnicodeDecodeError:
                raise self._decode_error() from None
            except csv.Error as exc:
                raise self._csv_error(exc, self.row) from None
            if not _is_blank(record):
                break
        self.header = _validate_header(record, self.row, self.display, "csv")
        return self.header, self.row

    def rows(self) -> Iterator[Row]:
        # A one-column file uses split mode: reader mode tells its end-of-file mark apart from data by width.
        if self.fast_split or len(self.header) == 1:
            return self._rows_split()
        return self._rows_reader()

    def column_blocks(self) -> Iterator[Block]:
        """Plain records column-wise, about 1 MB of text at a time; see :meth:`TableReader.column_blocks`.

        A block is taken as it is only when every record in it is what the row iteration's fast branch would
        accept unchanged: no quote character, exactly the header's width, a non-blank first value and shorter
        than the line limit.  Anything else (and everything after it) goes through :meth:`rows`, from the first
        record of that block on, so row numbers, values and errors are exactly those of the row iteration.
        """
        width = len(self.header)
        delimiter = self.delimiter
        want = width - 1
        count = methodcaller("count", delimiter)
        read = self.text_file.read
        n = self.row
        carry = ""
        prefix = ""
        try:
            while True:
                data = read(_BLOCK_CHARS)
                text = carry + data if carry else data
                if not data:
                    if not text:
                        return
                    complete, carry = text, ""
                else:
                    cut = max(text.rfind("\n"), text.rfind("\r"))
                    if cut < 0:
                        if len(text) >= _MAX_LINE_CHARS:
                            prefix = text
                            break
                        carry = text
                        continue
                    if cut == len(text) - 1 and text[cut] == "\r":  # a "\r\n" may be cut in two
                        following = read(1)
                        text += following
                        if following == "\n":
                            cut += 1
                    complete, carry = text[: cut + 1], text[cut + 1 :]
                plain = complete
                if "\r" in plain and plain.count("\r") == plain.count("\r\n") == plain.count("\n"):
                    lines = plain.split("\r\n")  # Windows line ends only: no copy with "\n" ends needed
                    if not lines[-1]:
                        lines.pop()
                else:
                    if "\r" in plain:
                        plain = plain.replace("\r\n", "\n").replace("\r", "\n")
                    if plain[-1] != "\n":
                        plain += "\n"
                    lines = plain.split("\n")
                    lines.pop()
                widths = delimiters_per_line(plain, delimiter, want, len(lines))
                if widths is None:
                    widths = set(map(count, lines)) == {want}
                if ('"' in plain or not widths
                        or (len(plain) >= _MAX_LINE_CHARS - 2 and max(map(len, lines)) >= _MAX_LINE_CHARS - 2)):
                    prefix = complete + carry
                    break
                cells = delimiter.join(lines).split(delimiter)
                columns = [cells[i::width] for i in range(width)]
                if not all(map(str.strip, columns[0])) and not all(map(_has_text, zip(*columns, strict=True))):
                    prefix = complete + carry
                    break
                yield n + 1, columns
                n += len(lines)
                self.row = n
        except UnicodeDecodeError:
            raise self._decode_error() from None
        self.lines = _resume_lines(prefix, self.lines)
        self.row = n
        yield None, self.rows()

    # The loops are deliberately written out instead of sharing a per-row helper: one extra function call per
    # row costs ~10% of throughput.  Only rows whose width differs from the header leave the fast branch.
    def _rows_split(self) -> Iterator[Row]:
        build = _row_builder(self.header)
        width = len(self.header)
        delimiter = self.delimiter
        lines = self.lines
        split = self._split
        n = self.row
        try:
            for line in lines:
                n += 1
                if '"' in line:
                    fields = split(line, n)
                else:
                    fields = line.rstrip("\r\n").split(delimiter)
                if len(fields) == width:
                    if fields[0].strip() or not _is_blank(fields):
                        yield n, build(fields)
                    continue
                if len(line) >= _MAX_LINE_CHARS:
                    raise self._too_long(n)
                fields = self._fit(fields, n)
                if fields is not None:
                    yield n, build(fields)
        except UnicodeDecodeError:
            raise self._decode_error() from None
        except csv.Error as exc:
            raise self._csv_error(exc, n) from None  # n was already advanced to the failing record

    def _rows_reader(self) -> Iterator[Row]:
        build = _row_builder(self.header)
        width = len(self.header)
        # End-of-file line for reader mode: '"' + mark + `width` delimiters.  At a record boundary it parses as
        # one quoted value (1 field, never the header's width > 1).  Swallowed by a runaway quoted value, its
        # quote closes that value and the delimiters add `width` more fields, so the broken record can never
        # have the header's width and always reaches the slow branch: no per-row check is needed.
        eof_line = '"' + _EOF_MARK + self.delimiter * width
        eof_record = [eof_line[1:]]
        n = self.row
        try:
            for fields in csv.reader(chain(self.lines, (eof_line,)), delimiter=self.delimiter):
                n += 1
                if len(fields) == width:
                    if fields[0].strip() or not _is_blank(fields):
                        yield n, build(fields)
                    continue
                if fields == eof_record:
                    return
                if len(fields) > width and fields[-width - 1].endswith(_EOF_MARK):
                    raise self._unclosed(n)
                fields = self._fit(fields, n)
                if fields is not None:
                    yield n, build(fields)
        except UnicodeDecodeError:
            raise self._decode_error() from None
        except csv.Error as exc:
            raise self._csv_error(exc, n + 1) from None  # the reader failed before n was advanced
        raise AssertionError("the end-of-file line was not seen")  # pragma: no cover - see eof_line above

    def _fit(self, fields: list[str], n: int) -> list[str] | None:
        """Bring a record to header width: None for blank rows, padded if short, error if it has extra values.

        Short rows are padded because some exporters drop trailing empty fields; extra *empty* fields (a
        trailing delimiter) are tolerated for the same reason.  Extra values mean the columns are shifted -
        typically an unquoted delimiter inside a value - and importing such a row would silently put data into
        the wrong fields.
        """
        if _is_blank(fields):
            return None
        width = len(self.header)
        if len(fields) < width:
            return fields + [""] * (width - len(fields))
        if _is_blank(fields[width:]):
            return fields[:width]
        name = _DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))
        raise self._error(
            f"the row has {len(fields)} fields but the header has {width} columns "
            f"(is there an unquoted {name} inside a value?)",
            n,
        )

    def _error(self, message: str, row: int | None, column: str | None = None) -> FileFormatError:
        return FileFormatError(message, file=self.display, row=row, column=column)

    def _unclosed(self, row: int) -> FileFormatError:
        return self._error('a quoted value starting in this row is never closed (missing ")', row)

    def _too_long(self, row: int) -> FileFormatError:
        limit = _MAX_LINE_CHARS // (1024 * 1024)
        return self._error(f"the line is longer than {limit} million characters; this is not a valid CSV file", row)

    def _csv_error(self, exc: csv.Error, row: int) -> FileFormatError:
        text = str(exc)
        if "field larger than field limit" in text:
            return self._error(
                f'a value is longer than {_FIELD_LIMIT:,} characters; probably a quote (") is never closed', row
            )
        return self._error(f"the CSV structure is broken ({text})", row)

    def _decode_error(self) -> FileFormatError:
        return _locate_decode_error(self.path, self.display, self.dialect)



def delimiters_per_line(text: str, delimiter: str, want: int, lines: int) -> bool | None:
    """Whether each of the ``lines`` lines of ``text`` (ended by "\n", the last one maybe not) holds exactly
    ``want`` delimiters; None (not checked) unless text and delimiter are ASCII.

    The delimiters' positions, read row by row as a ``lines`` x ``want`` matrix, must have each row's first
    after the line's start and its last before the line's end: with exactly ``want * lines`` of them in order,
    that puts ``want`` in every line.
    """
    if not (text.isascii() and delimiter.isascii() and len(delimiter) == 1) or lines == 0:
        return None
    a = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    at = np.flatnonzero(a == ord(delimiter))
    if len(at) != want * lines:
        return False
    if not want:
        return True
    ends = np.flatnonzero(a == 10)
    if len(ends) == lines - 1:
        ends = np.append(ends, len(a))
    if len(ends) != lines:
        return None
    starts = np.empty(lines, dtype=np.int64)
    starts[0] = -1
    starts[1:] = ends[:-1]
    per_line = at.reshape(lines, want)
    return bool(((per_line[:, 0] > starts) & (per_line[:, -1] < ends)).all())


def _has_text(fields: tuple[str, ...]) -> bool:
    return not _is_blank(fields)


def _resume_lines(prefix: str, lines: Iterator[str]) -> Iterator[str]:
    """The lines of ``prefix`` (text already read from the file) followed by the file's remaining lines.

    ``prefix`` may end in the middle of a line; that line is completed from the file.
    """
    pending = None
    for line in iter(partial(io.StringIO(prefix, newline="").readline, _MAX_LINE_CHARS), ""):
        if pending is not None:
            yield pending
        pending = line
    if pending is not None:
        if not pending.endswith(("\n", "\r")):
            pending += next(lines, "")
        yield pending
    yield from lines


def _locate_decode_error(path: str, display: str, dialect: CsvDialect) -> FileFormatError:
    """Turn a UnicodeDecodeError from the streaming loop into an error naming row, column and byte position.

    The text wrapper decodes ahead in chunks, so the exception itself cannot say which row is affected.  This
    error path therefore rescans the file: first for the absolute offset of the first undecodable byte, then -
    with the same CSV rules as the main loop - for the record containing it.  Both scans stream, so this stays
    cheap in memory even at 2 GiB, and it only ever runs once per import.
    """
    encoding = dialect.encoding
    label = _ENCODING_NAMES.get(encoding, encoding)
    try:
        found = _first_undecodable_byte(path, encoding)
        if found is None:  # pragma: no cover - the main loop saw one, so the rescan finds it
            return FileFormatError(f"the file is not valid {label} text", file=display)
        offset, bad = found
        row, column = _record_at_offset(path, encoding, dialect.delimiter, offset)
    except Exception:  # an error report must never fail with a second, unrelated error
        return FileFormatError(f"the file is not valid {label} text", file=display)
    message = f"the file is not valid {label} text: byte 0x{bad[0]:02X} at byte position {offset:,} cannot be decoded"
    if encoding.startswith("utf-8"):
        message += "; the file is probably Windows-1252 (ANSI) encoded - choose encoding cp1252"
    return FileFormatError(message, file=display, row=row, column=column)


def _first_undecodable_byte(path: str, encoding: str) -> tuple[int, bytes] | None:
    start = 0
    if encoding == "utf-8-sig":  # decode the BOM ourselves so error offsets stay absolute
        encoding = "utf-8"
        with open(path, "rb") as f:
            start = len(_BOM) if f.read(len(_BOM)) == _BOM else 0
    decoder = codecs.getincrementaldecoder(encoding)()
    base = start
    with open(path, "rb") as f:
        f.seek(start)
        while chunk := f.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                data_start = base - (len(exc.object) - len(chunk))  # the decoder prepends bytes it held back
                return data_start + exc.start, bytes(exc.object[exc.start : exc.end])
            base += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:  # truncated multi-byte sequence at the very end
            return base - len(exc.object) + exc.start, bytes(exc.object[exc.start : exc.end])
    return None


class _Prefix(io.RawIOBase):
    """The first ``limit`` bytes of a binary file, as a raw stream for TextIOWrapper."""

    def __init__(self, f: io.BufferedReader, limit: int) -> None:
        self._f = f
        self._remaining = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), self._remaining)
        if n <= 0:
            return 0
        data = self._f.read(n)
        buffer[: len(data)] = data
        self._remaining -= len(data)
        return len(data)


def csv_part(path: str, display: str, dialect: CsvDialect, header: list[str], row: int, start: int,
             end: int) -> _CsvStream:
    """A record stream over bytes ``start`` to ``end`` of a CSV file whose header is known, starting after record
    ``row``; see :func:`split_points`. Close it with ``stream.text_file.close()``."""
    raw = open(path, "rb")  # noqa: SIM115 - closed with the text wrapper
    raw.seek(start)
    encoding = "utf-8" if dialect.encoding == "utf-8-sig" else dialect.encoding  # the BOM is before ``start``
    text_file = io.TextIOWrapper(io.BufferedReader(_Prefix(raw, end - start), 1 << 16), encoding=encoding,
                                 newline="", errors="strict")
    stream = _CsvStream(text_file, path, display, dialect, fast_split=True)
    stream.header = header
    stream.row = row
    return stream


def split_points(path: str, header_row: int, size: int, shares) -> tuple[int, list[tuple[int, int]]] | None:
    """Where to cut a big CSV file into parts that can be read independently (isf.imports.orders validates them
    in two processes): the byte offset of the first data line, and for each of the rising ``shares`` of the
    data the byte offset of the first line start after it with the number of the last record before that line
    (cuts that fall on the same line are given once).

    None unless every line is exactly one record: no quote character anywhere (a quoted value may hold a line
    break) and no carriage return except in "\r\n" - then records are counted by counting "\n".
    """
    with open(path, "rb") as f:
        head = f.read(1 << 20)
        start = 0
        for _ in range(header_row):
            end = head.find(b"\n", start)
            if end < 0:
                return None
            start = end + 1
        cuts: list[int] = []
        for share in shares:
            f.seek(start + int((size - start) * share))
            at = f.tell()
            end = f.read(1 << 20).find(b"\n")
            if end < 0 or at + end + 1 >= size:
                break
            if not cuts or at + end + 1 > cuts[-1]:
                cuts.append(at + end + 1)
        if not cuts:
            return None
        f.seek(0)
        done = 0
        before = [0] * len(cuts)  # line ends before each cut
        while chunk := f.read(1 << 22):
            if chunk.endswith(b"\r"):
                chunk += f.read(1)
            if b'"' in chunk or chunk.count(b"\r") != chunk.count(b"\r\n"):
                return None
            for i, cut in enumerate(cuts):
                if done < cut:
                    before[i] += chunk.count(b"\n", 0, cut - done)
            done += len(chunk)
    return start, list(zip(cuts, before, strict=True))


def _record_at_offset(path: str, encoding: str, delimiter: str, offset: int) -> tuple[int, str | None]:
    """Row number and column name of the record that contains the byte at ``offset``.

    The valid text before the bad byte is parsed with a marker character appended in place of the bad byte;
    the marker always ends up in the last record, so the number of records is the row and the index of the
    last field is the column.  The header is taken from the same parse (first non-blank record), because the
    error may surface before the main loop has read it - the text wrapper decodes ahead.
    """
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(io.BufferedReader(_Prefix(raw, offset)), encoding=encoding, newline="")
        lines = iter(partial(text.readline, _MAX_LINE_CHARS), "")
        records = 0
        header: list[str] | None = None
        last: list[str] = []
        for record in csv.reader(_with_marker(lines), delimiter=delimiter):
            records += 1
            if header is None and not _is_blank(last):
                header = [name.strip().lstrip("\ufeff").strip() for name in last]
            last = record
    index = max(len(last) - 1, 0)
    column = header[index] if header and index < len(header) and header[index] else None
    return max(records, 1), column


def _with_marker(lines: Iterator[str]) -> Iterator[str]:
    previous = None
    for line in lines:
        if previous is not None:
            yield previous
        previous = line
    if previous is None:
        yield "\ufffd"
    elif previous.endswith(("\n", "\r")):
        yield previous
        yield "\ufffd"
    else:
        yield previous + "\ufffd"


# ==============================================================================================================
# XLSX
# ==============================================================================================================


