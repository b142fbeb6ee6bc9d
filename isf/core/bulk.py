"""Fast bulk writes for generated and imported facts (millions of order lines).

PostgreSQL gets COPY (updates: COPY into a temporary table, then one UPDATE ... FROM); SQLite gets multi-row
``INSERT ... VALUES (...), (...)`` statements inside the caller's transaction. Both skip the ORM's per-object
overhead; callers pass plain tuples in column order. Loads that defer index and key upkeep: :mod:`isf.core.bulk_load`.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from itertools import chain, islice

from django.db import connection

BATCH = 20_000
#: parameters per SQLite statement: about 1,000 (far below SQLite's limit of 32,766) amortise the per-statement
#: work - parsing is done once, but each execution resets the statement and, for AUTOINCREMENT tables, reads
#: and writes sqlite_sequence - over ~100 rows; a million order lines load three times faster than row by row.
SQLITE_PARAMETERS = 1_000


def sqlite_insert_flat(cursor, table: str, columns: Sequence[str], flat: list) -> int:
    """Insert rows given as one flat list of values (row after row) into a SQLite table; returns the row count.

    ``cursor`` is a Django cursor inside the caller's transaction; ``table`` and ``columns`` are unquoted names.
    """
    width = len(columns)
    if not flat:
        return 0
    if len(flat) % width:
        raise ValueError(f"{len(flat)} values do not make whole rows of {width} columns")
    qn = connection.ops.quote_name
    head = f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) VALUES "
    one = "(" + ", ".join(["%s"] * width) + ")"
    per = max(1, SQLITE_PARAMETERS // width)
    step = per * width
    full = len(flat) // step * step
    if full:
        cursor.executemany(head + ", ".join([one] * per), [flat[i:i + step] for i in range(0, full, step)])
    if full < len(flat):
        cursor.execute(head + ", ".join([one] * ((len(flat) - full) // width)), flat[full:])
    return len(flat) // width


def sqlite_insert_columns(cursor, table: str, columns: Sequence[str], values: Sequence[list]) -> int:
    """Insert rows given column by column (equal-length lists, one per column); returns the row count."""
    n = len(values[0]) if values else 0
    width = len(columns)
    flat: list = [None] * (n * width)
    for i, column in enumerate(values):
        if len(column) != n:
            raise ValueError(f"column {columns[i]!r} has {len(column)} values, expected {n}")
        flat[i::width] = column
    return sqlite_insert_flat(cursor, table, columns, flat)


def bulk_insert(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert rows into table; returns the number of rows written."""
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(_copy_sql(table, columns)) as copy:  # the psycopg cursor
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        # A large page cache keeps the indexes of million-row tables in memory while loading.
        cursor.execute("PRAGMA cache_size = -400000")
        rows = iter(rows)
        while batch := list(islice(rows, BATCH)):
            count += sqlite_insert_flat(cursor, table, columns, list(chain.from_iterable(batch)))
    return count


def bulk_insert_columns(table: str, columns: Sequence[str], values: Sequence[list], cache_kib: int | None = None) -> int:
    """:func:`bulk_insert` for rows given column by column (equal-length lists, one per column): SQLite binds them
    without building row tuples, with a page cache of ``cache_kib`` if given; PostgreSQL COPYs them."""
    if connection.vendor == "postgresql":
        payload = _copy_text(values)
        if payload is None:
            return bulk_insert(table, columns, zip(*values, strict=True))
        with connection.cursor() as cursor, cursor.cursor.copy(_copy_sql(table, columns)) as copy:
            copy.write(payload)
        return len(values[0])
    if connection.vendor != "sqlite":
        return bulk_insert(table, columns, zip(*values, strict=True))
    with connection.cursor() as cursor:
        if cache_kib:
            cursor.execute(f"PRAGMA cache_size = -{cache_kib}")
        return sqlite_insert_columns(cursor, table, columns, values)


def _copy_sql(table: str, columns: Sequence[str]) -> str:
    qn = connection.ops.quote_name
    return f"COPY {qn(table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"


def _copy_text(values: Sequence[list]) -> str | None:
    """The columns as one payload of COPY's text format, joined in C (the driver's ``write_row`` costs about 3 µs
    a row in Python); None when a value needs more than ``str()`` - NULL, a tab, a line break or a backslash,
    which the format escapes - or a type whose ``str()`` is not its SQL input (floats, bools)."""
    n = len(values[0]) if values else 0
    if any(len(column) != n for column in values):
        raise ValueError("all columns must have the same number of values")
    if not n:
        return None
    if not all(set(map(type, column)) <= _COPY_TEXT_TYPES for column in values):
        return None
    payload = "\n".join(map("\t".join, zip(*[list(map(str, column)) for column in values], strict=True))) + "\n"
    if (payload.count("\t") != n * (len(values) - 1) or payload.count("\n") != n or "\\" in payload
            or "\r" in payload):
        return None
    return payload


_COPY_TEXT_TYPES = frozenset({int, str, date})


def bulk_update(table: str, key: str, columns: Sequence[str], rows: Sequence[Sequence]) -> int:
    """``UPDATE table SET columns WHERE key = ...`` for many rows; each row holds the new values, then the key.

    PostgreSQL: COPY into a temporary table (dropped at commit) and one ``UPDATE ... FROM``; SQLite:
    executemany. Must run inside a transaction. Returns the number of rows given.
    """
    if not rows:
        return 0
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            temp = qn(f"isf_bulk_update_{table}")
            cols = ", ".join(qn(c) for c in (*columns, key))
            cursor.execute(f"DROP TABLE IF EXISTS {temp}")
            cursor.execute(f"CREATE TEMP TABLE {temp} ON COMMIT DROP AS SELECT {cols} FROM {qn(table)} WITH NO DATA")
            with cursor.cursor.copy(f"COPY {temp} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            sets = ", ".join(f"{qn(c)} = s.{qn(c)}" for c in columns)
            cursor.execute(f"UPDATE {qn(table)} AS t SET {sets} FROM {temp} AS s WHERE t.{qn(key)} = s.{qn(key)}")
            cursor.execute(f"DROP TABLE {temp}")
        else:
            sets = ", ".join(f"{qn(c)} = %s" for c in columns)
            cursor.executemany(f"UPDATE {qn(table)} SET {sets} WHERE {qn(key)} = %s", rows)
    return len(rows)


def where_in(column: str, values: Sequence) -> tuple[str, list]:
    """``column IN (values)`` for raw SQL, with its parameters; ``column`` is SQL, not quoted here.

    PostgreSQL: one parameter however many values, parsed and bound once. Integers and strings go as one text
    the server splits (``'{1,2,3}'::bigint[]``, ``string_to_array``): the driver would build an array value by
    value in Python, about 3 µs each (0.6 s of a million-line import). Elsewhere a placeholder per value.
    """
    if connection.vendor != "postgresql":
        return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)
    types = set(map(type, values))
    if types == {int}:
        return f"{column} = ANY(%s::bigint[])", ["{" + ",".join(map(str, values)) + "}"]
    if types == {str} and "" not in values:
        joined = _SEPARATOR.join(values)
        if joined.count(_SEPARATOR) == len(values) - 1:  # no value holds the separator itself
            return f"{column} = ANY(string_to_array(%s, %s))", [joined, _SEPARATOR]
    return f"{column} = ANY(%s)", [list(values)]


_SEPARATOR = "\x1f"  # ASCII unit separator: not part of any key an ERP exports (checked per call)


def where_in_chunk() -> int:
    """How many values to pass to one :func:`where_in`: a placeholder each costs on SQLite, one array does not."""
    return 100_000 if connection.vendor == "postgresql" else 5_000


def reset_sequence(model) -> None:
    """After inserting explicit primary keys, move PostgreSQL's sequence past them."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)
