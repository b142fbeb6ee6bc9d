"""Bulk loads: a transaction whose index, key and foreign-key upkeep is done once at its end, not row by row.

:func:`bulk_load` is the entry point (the order import uses it); :func:`sqlite_indexes_deferred` serves the demo
loader as well. The writes themselves are in :mod:`isf.core.bulk`.
"""

import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from contextlib import closing, contextmanager

from django.db import IntegrityError, connection, transaction

from isf.core.bulk import where_in, where_in_chunk

logger = logging.getLogger(__name__)

SQLITE_DEFAULT_CACHE = -2_000  # SQLite's default page cache: 2,000 KiB


@contextmanager
def sqlite_indexes_deferred(*tables: str):
    """Drop the tables' secondary indexes during a bulk load and build them again afterwards.

    Building an index once over sorted data is several times faster than maintaining it row by
    row. Unique constraints stay in place. A no-op elsewhere (PostgreSQL keeps its indexes: readers win).
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
        # The sorter of CREATE INDEX sorts pieces of the size of the page cache in helper threads and merges them:
        # with SQLite's default cache of 2 MB and helper threads a million-row index builds in 60-70 % of the time
        # one thread needs with the 64 MB cache of a bulk load (measured, bench/import_orders.py).
        cursor.execute(f"PRAGMA threads = {min(os.cpu_count() or 1, 4)}")
        cursor.execute(f"PRAGMA cache_size = {SQLITE_DEFAULT_CACHE}")
        for _name, sql in indexes:
            cursor.execute(sql)
        cursor.execute("PRAGMA threads = 0")


class BulkLoad:
    """Handed to the body of :func:`bulk_load`: hands out ids, and the loader names the parent rows its new rows
    refer to."""

    def __init__(self, first_ids: dict[str, int] | None = None) -> None:
        self.parents: dict[str, list[int]] | None = None
        #: SQLite: the thread that checkpoints the WAL after the commit (see sqlite_checkpoint_in_background)
        self.checkpoint: threading.Thread | None = None
        self._first_ids = first_ids or {}
        self._ids_given: list[str] = []

    def refers_to(self, parents: dict[str, Iterable[int]]) -> None:
        """Name every parent row the load's rows refer to, per parent table (``{"customers_account": ids}``):
        only those are looked up at the end instead of every row of the tables. Call it once the rows are
        written; a parent table not named is checked in full."""
        self.parents = {table: list(ids) for table, ids in parents.items()}

    def next_id(self, table: str) -> int:
        """The first free ``id`` of ``table``: the loader numbers its new rows from there itself (on PostgreSQL
        that saves a ``nextval()`` per row, 0.5 s of server time per million rows). The table is locked against
        other writers until the commit - SQLite's write lock; on PostgreSQL SHARE ROW EXCLUSIVE, which lets
        readers in - and its sequence is moved past the new ids at the end. Once per table."""
        if table in self._ids_given:
            raise ValueError(f"next_id({table!r}) was already called in this load")
        self._ids_given.append(table)
        if table in self._first_ids:
            return self._first_ids[table]
        return _first_free_ids([table])[table]

    def _sequences_moved_past_ids(self) -> None:
        """PostgreSQL: each table's id sequence continues after the largest id (SQLite's AUTOINCREMENT does that
        by itself)."""
        if connection.vendor != "postgresql" or not self._ids_given:
            return
        with connection.cursor() as cursor:
            for table in self._ids_given:
                cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 1), "
                               f"MAX(id) IS NOT NULL) FROM {connection.ops.quote_name(table)}", [table])


def _first_free_ids(tables: Sequence[str]) -> dict[str, int]:
    """MAX(id) + 1 per table, inside the caller's transaction, after locking the tables against other writers
    (PostgreSQL; SQLite's IMMEDIATE transaction holds the write lock already)."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {', '.join(qn(t) for t in tables)} IN SHARE ROW EXCLUSIVE MODE")
        found = {}
        for table in tables:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {qn(table)}")
            found[table] = cursor.fetchone()[0]
        return found


@contextmanager
def bulk_load(*tables: str):
    """The transaction of a bulk load into ``tables``, with index, key and foreign-key upkeep done once at its end
    instead of row by row. Yields a :class:`BulkLoad`. Without tables it is just a transaction.

    A row that refers to a missing parent - e.g. a product someone deleted while the file was read - raises
    ``IntegrityError`` at the end, and everything rolls back; so does any exception in the body.

    - SQLite: enter it outside any transaction (SQLite ignores the foreign-key pragma inside one; there the keys
      stay on as usual). Foreign keys are off during the load and checked at its end: the named parents, or
      ``PRAGMA foreign_key_check`` of the tables. Secondary indexes: :func:`sqlite_indexes_deferred`. The commit
      leaves copying the WAL into the database file to a thread (:func:`sqlite_checkpoint_in_background`).
    - PostgreSQL: keys, indexes and foreign keys stay; nothing a reader would wait for is locked (readers win
      over import speed, docs/architecture.md). Named parents are checked first, then the deferred keys.
    """
    if not tables or connection.vendor not in ("sqlite", "postgresql"):
        with transaction.atomic():
            load = BulkLoad()
            yield load
            load._sequences_moved_past_ids()
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            load = BulkLoad(_first_free_ids(tables))
            # Keys, indexes and foreign keys stay in place: dropping them would lock the tables - and the accounts
            # and products the keys point at - against every reader until the commit (bench/import_orders.py
            # measures readers during a load). Foreign keys are checked at the end (Django declares them
            # DEFERRABLE INITIALLY DEFERRED); named parents first, so a missing one fails with a message naming it.
            yield load
            with connection.cursor() as cursor:
                if load.parents is not None:
                    _raise_for_missing_parents(cursor, tables, load.parents)
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            load._sequences_moved_past_ids()
        return
    load = BulkLoad()
    outermost = not connection.in_atomic_block
    disabled = outermost and connection.disable_constraint_checking()
    autocheckpoint = _sqlite_autocheckpoint(0) if outermost else None
    try:
        with transaction.atomic():
            with sqlite_indexes_deferred(*tables):
                yield load
            if disabled:
                _sqlite_foreign_key_check(tables, load.parents)
    finally:
        if disabled:
            connection.enable_constraint_checking()
        if autocheckpoint is not None:
            _sqlite_autocheckpoint(autocheckpoint)
    if autocheckpoint is not None:
        load.checkpoint = sqlite_checkpoint_in_background(connection.settings_dict["NAME"])


def _sqlite_autocheckpoint(pages: int) -> int | None:
    """Set the connection's automatic checkpoint (0: off); returns the previous setting, or None without a WAL."""
    with connection.cursor() as cursor:
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            return None
        previous = cursor.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        cursor.execute(f"PRAGMA wal_autocheckpoint = {int(pages)}")
        return previous


def sqlite_checkpoint_in_background(path: str) -> threading.Thread:
    """Copy what a big commit wrote to SQLite's WAL into the database file, in a thread with its own connection.

    The automatic checkpoint would do that inside the commit: for a million order lines 160 MB, 1.3-1.7 s of
    which 0.3 s is work and the rest waiting for the disk (fsync). The data is committed and visible before;
    a PASSIVE checkpoint makes no reader or writer wait, and one that cannot finish is completed by the next
    automatic one. SQLite's WAL documentation names this as the alternative to automatic checkpoints (turn
    them off, checkpoint in a separate thread). The thread is not a daemon: a command waits for it to exit.
    """
    def run() -> None:
        try:
            with closing(sqlite3.connect(path, timeout=20)) as db:
                db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error:
            logger.warning("checkpoint of %s after a bulk load failed; the next automatic one does it", path,
                           exc_info=True)

    thread = threading.Thread(target=run, name="sqlite-checkpoint")
    thread.start()
    return thread


def _sqlite_foreign_key_check(tables: Sequence[str], parents: dict[str, list[int]] | None) -> None:
    with connection.cursor() as cursor:
        if parents is not None:
            _raise_for_missing_parents(cursor, tables, parents)
            return
        for table in tables:
            cursor.execute(f"PRAGMA foreign_key_check({connection.ops.quote_name(table)})")
            bad = cursor.fetchone()
            if bad:
                raise IntegrityError(f"{table}: row {bad[1]} refers to a missing row of {bad[2]}")


def _raise_for_missing_parents(cursor, tables: Sequence[str], parents: dict[str, list[int]]) -> None:
    for parent, ids in parents.items():
        missing = _missing_ids(cursor, parent, ids)
        if missing:
            raise IntegrityError(f"{', '.join(tables)}: a row refers to the missing row {missing} of {parent}")


def validate_foreign_keys_now(constraints: Sequence[Sequence[str]]) -> int:
    """``VALIDATE CONSTRAINT`` for each ``(table, name)`` still marked not validated; returns how many it did.
    Validating takes a lock that lets reads and writes go on; a key dropped since (by a later load) is skipped."""
    qn = connection.ops.quote_name
    done = 0
    with connection.cursor() as cursor:
        for table, name in constraints:
            cursor.execute("SELECT 1 FROM pg_constraint WHERE conrelid::regclass::text = %s AND conname = %s "
                           "AND NOT convalidated", [table, name])
            if cursor.fetchone():
                cursor.execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT {qn(name)}")
                done += 1
    return done


def _missing_ids(cursor, table: str, ids: Iterable[int]) -> int | None:
    """The first of ``ids`` without a row in ``table`` (primary key ``id``), or None when all exist."""
    wanted = sorted(set(ids))
    chunk = where_in_chunk()
    for i in range(0, len(wanted), chunk):
        part = wanted[i:i + chunk]
        condition, params = where_in("id", part)
        cursor.execute(f"SELECT id FROM {connection.ops.quote_name(table)} WHERE {condition}", params)
        found = {row[0] for row in cursor.fetchall()}
        if len(found) < len(part):
            return next(x for x in part if x not in found)
    return None
