"""Fast bulk writes for generated and imported facts (millions of order lines).

PostgreSQL gets COPY; SQLite gets executemany inside the caller's transaction. Both skip the
ORM's per-object overhead; callers pass plain tuples in column order.
"""

from collections.abc import Iterable, Sequence
from contextlib import contextmanager

from django.db import connection

BATCH = 20_000


def bulk_insert(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert rows into table; returns the number of rows written."""
    count = 0
    quoted_cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    quoted_table = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg3 cursor
            with raw.copy(f"COPY {quoted_table} ({quoted_cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        # A large page cache keeps the indexes of million-row tables in memory while loading.
        cursor.execute("PRAGMA cache_size = -400000")
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {quoted_table} ({quoted_cols}) VALUES ({placeholders})"
        batch: list = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


@contextmanager
def sqlite_indexes_deferred(*tables: str):
    """Drop the tables' secondary indexes during a bulk load and build them again afterwards.

    Building an index once over sorted data is several times faster than maintaining it row by
    row. Unique constraints stay in place. A no-op on PostgreSQL (COPY is fast enough there).
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(tables))
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND sql NOT LIKE 'CREATE UNIQUE%%' AND tbl_name IN ({placeholders})",
            list(tables),
        )
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        for _name, sql in indexes:
            cursor.execute(sql)


def reset_sequence(model) -> None:
    """After inserting explicit primary keys, move PostgreSQL's sequence past them."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)
