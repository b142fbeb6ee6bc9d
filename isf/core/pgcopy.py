"""PostgreSQL binary transfers straight from and into numpy columns (a million order lines without a Python object
per value): :func:`copy_columns` writes, :func:`fetch_columns` reads.

``COPY ... FROM STDIN (FORMAT BINARY)`` takes every tuple as a field count followed by each field's length and
bytes in network order.  For fixed-width fields that is one numpy structured array per batch, written with a
single ``tobytes()``: no per-value formatting on the client and no text parsing on the server.

Supported column kinds (the values come as numpy arrays of equal length):

- ``Int8`` / ``Int4``: integers (bigint / integer columns);
- ``Date``: days since 1970-01-01 (``datetime64[D]`` values as integers), sent as days since 2000-01-01;
- ``Numeric(scale)``: whole multiples of ``10**-scale`` (``units``, int64) for ``numeric`` columns, sent as a
  fixed number of base-10000 digits - leading zero digits are allowed by the server, which normalises them.

The format is documented in the PostgreSQL manual ("COPY", section "Binary Format") and ``numeric_recv``.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
_TRAILER = (-1).to_bytes(2, "big", signed=True)
_PG_EPOCH_DAYS = 10_957  # 2000-01-01 counted from 1970-01-01
_NUMERIC_NEG = 0x4000
BATCH = 100_000


@dataclass(frozen=True)
class Int8:
    def encode(self, values: np.ndarray):
        return ">i8", (), values


@dataclass(frozen=True)
class Int4:
    def encode(self, values: np.ndarray):
        if len(values) and (values.min() < -(2**31) or values.max() >= 2**31):
            raise ValueError("value out of range for a 4-byte integer")
        return ">i4", (), values


@dataclass(frozen=True)
class Date:
    def encode(self, values: np.ndarray):
        return ">i4", (), np.asarray(values, dtype=np.int64) - _PG_EPOCH_DAYS


@dataclass(frozen=True)
class Numeric:
    scale: int

    def encode(self, values: np.ndarray):
        """ndigits, weight, sign, dscale, then the base-10000 digits (integer groups, one fraction group)."""
        if not 0 <= self.scale <= 4:
            raise ValueError("scale must be between 0 and 4")
        units = np.asarray(values, dtype=np.int64)
        magnitude = np.abs(units)
        whole, fraction = np.divmod(magnitude, 10**self.scale)
        groups = 1
        top = int(whole.max()) if len(whole) else 0
        while top >= 10_000**groups:
            groups += 1
        digits = np.empty((len(units), 4 + groups + 1), dtype=np.int64)
        digits[:, 0] = groups + 1
        digits[:, 1] = groups - 1
        digits[:, 2] = np.where(units < 0, _NUMERIC_NEG, 0)
        digits[:, 3] = self.scale
        for g in range(groups):  # most significant group first
            digits[:, 4 + g] = whole // 10_000 ** (groups - 1 - g) % 10_000
        digits[:, 4 + groups] = fraction * 10 ** (4 - self.scale)
        return ">i2", (digits.shape[1],), digits


def _records(kinds, arrays, n: int) -> np.ndarray:
    """One binary COPY tuple per row: the field count, then each field's byte length and value."""
    fields = [kind.encode(np.asarray(values)) for kind, values in zip(kinds, arrays, strict=True)]
    layout = [("count", ">i2")]
    for i, (dtype, shape, _) in enumerate(fields):
        layout += [(f"len{i}", ">i4"), (f"value{i}", dtype, shape)]
    records = np.empty(n, dtype=np.dtype(layout))
    records["count"] = len(fields)
    for i, (dtype, shape, values) in enumerate(fields):
        records[f"len{i}"] = np.dtype((dtype, shape)).itemsize
        records[f"value{i}"] = values
    return records


def copy_columns(cursor, table: str, columns: Sequence[str], kinds: Sequence, arrays: Sequence[np.ndarray]) -> int:
    """COPY rows given as numpy columns into ``table`` in binary; returns the row count.

    ``cursor`` is a Django cursor on PostgreSQL inside the caller's transaction; ``table`` and ``columns`` are
    unquoted names.  No column may be NULL.
    """
    if not (len(columns) == len(kinds) == len(arrays)):
        raise ValueError("columns, kinds and arrays must have the same length")
    n = len(arrays[0]) if arrays else 0
    if any(len(a) != n for a in arrays):
        raise ValueError("all columns must have the same number of values")
    from django.db import connection

    qn = connection.ops.quote_name
    sql = f"COPY {qn(table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN (FORMAT BINARY)"
    with cursor.cursor.copy(sql) as copy:
        copy.write(_SIGNATURE)
        for start in range(0, n, BATCH):
            end = min(n, start + BATCH)
            copy.write(_records(kinds, [a[start:end] for a in arrays], end - start).tobytes())
        copy.write(_TRAILER)
    return n


#: numpy type of each kind of :func:`fetch_columns` (big-endian, as the server's send functions write them)
_FETCH_KINDS = {"int8": ">i8", "float8": ">f8"}


def fetch_columns(cursor, columns: Sequence[tuple[str, str]], source: str, params: Sequence = ()) -> np.ndarray:
    """``SELECT columns FROM source`` read in one round trip into a numpy structured array (fields ``c0``, ``c1``...).

    ``columns`` are ``(SQL expression, kind)`` with kind ``int8`` or ``float8``; the server sends each row's values
    with ``int8send`` / ``float8send`` and aggregates all rows into one ``bytea``, which numpy reads as it is.
    Fetching rows as Python tuples costs several times as much on the client (a tuple and an object per value;
    COPY TO STDOUT sends a message per row). ``source`` is the rest of the query after FROM (with ``%s``
    placeholders for ``params``); the expressions must not be NULL - a row with one would be lost, so that raises
    ``ValueError``. The rows come in no particular order. The bytea limit of 1 GB bounds one call (18 million rows
    of 7 columns): fetch in chunks.
    """
    layout = np.dtype([(f"c{i}", _FETCH_KINDS[kind]) for i, (_sql, kind) in enumerate(columns)])
    packed = " || ".join(f"{kind}send(({sql})::{kind})" for sql, kind in columns)
    cursor = getattr(cursor, "cursor", cursor)  # the driver's cursor: binary results
    cursor.execute(f"SELECT count(*), string_agg({packed}, ''::bytea) FROM {source}", list(params), binary=True)
    count, data = cursor.fetchone()
    data = data or b""
    if len(data) != count * layout.itemsize:
        raise ValueError("fetch_columns: a column is NULL in some row")
    return np.frombuffer(data, dtype=layout)
