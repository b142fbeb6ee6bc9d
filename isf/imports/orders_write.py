"""The second half of an order import: duplicate lines, comparison with what is stored, and the write - part by part.

:mod:`isf.imports.orders` validates a file into per-order lists and per-line arrays.  A big CSV file is validated in
two parts - this process takes the first, a forked worker the rest - and the first part is settled here (checked for
duplicate lines, compared with the stored orders, written) while the worker still validates the second, which then
follows.  Every part goes through the same steps, so a file taken in one part and in two gives the same counts,
problems and stored rows:

- duplicates: a line key (order, line number) seen before, in this part or an earlier one, is a problem that names
  the row of its first occurrence; the first occurrence is the one kept;
- comparison: each line is new, changed (another product, quantity or amount, or its order's customer or date
  changed) or unchanged;
- write: one transaction for the whole import, opened by the first part with something to write and committed by
  :meth:`LineWriter.finish`; a problem found in a later part (without skip-invalid) rolls back what earlier parts
  wrote, so a file with an error still writes nothing.
"""

from array import array
from contextlib import ExitStack
from datetime import date

import numpy as np
from django.db import connection

from isf.core.bulk import bulk_insert_columns, bulk_update, where_in, where_in_chunk
from isf.core.bulk_load import bulk_load
from isf.core.pgcopy import Date, Int4, Int8, Numeric, copy_columns, fetch_columns
from isf.imports.engine import ImportResult, Progress

LINE_BITS = 20  # key = order index << 20 | line number; lines above 1,048,575 are rejected
LINE_TABLE = "customers_orderline"
ORDER_TABLE = "customers_order"
BIG_LOAD = 50_000  # from this many new lines on, SQLite rebuilds secondary indexes once (PostgreSQL keeps them: readers win)
LINE_INSERT_COLUMNS = ("order_id", "line_no", "account_id", "order_date", "product_id", "quantity", "net_revenue",
                       "margin")
SQLITE_CACHE_KIB = 65_536  # page cache while loading: 64 MB keeps the peak memory of a 1 M-line import flat
WRITE_BATCH = 50_000


class _Rollback(Exception):
    pass


class LineWriter:
    """Settles the validated lines of one order import, part by part in file order; see the module docstring.

    ``numbers``, ``index``, ``accounts`` and ``dates`` are the import's per-order lists (order number, number to
    index, account id, ISO date); they only grow, and every order a part's lines refer to is in them.
    """

    def __init__(self, result: ImportResult, numbers: list[str], index: dict[str, int], accounts: array,
                 dates: list[str], *, line_column: str, skip_invalid: bool, dry_run: bool, progress: Progress,
                 expected_lines: int) -> None:
        self.result = result
        self.numbers, self.index, self.accounts, self.dates = numbers, index, accounts, dates
        self.line_column = line_column
        self.skip_invalid, self.dry_run, self.progress = skip_invalid, dry_run, progress
        self.expected_lines = max(expected_lines, 1)
        self.duplicates = 0  # lines dropped as duplicates
        self.lines = 0  # lines of the parts settled so far
        self.written_lines = 0
        self._seen_keys = np.empty(0, dtype=np.int64)  # keys of the kept lines of earlier parts, sorted
        self._seen_rows = np.empty(0, dtype=np.int64)  # the row of each of those keys
        self._looked_up = 0  # orders [0, _looked_up) were looked up in the database
        self._stored: dict[str, tuple[int, int, str]] = {}  # number -> id, account, ISO date of stored orders
        self._stored_idx = np.empty(0, dtype=np.int64)  # order indexes of the stored orders
        self._stored_ids = np.empty(0, dtype=np.int64)  # ... and their ids
        self._changed: list[int] = []  # order indexes of stored orders whose customer or date changes
        self._order_ids = array("q")  # database id per order index, for the orders settled so far
        self._products: set[int] = set()
        self._stack: ExitStack | None = None
        self._load = None
        self._next_id = 0  # the id of the next new order (and on PostgreSQL, of the next new line)
        self._next_line_id = 0

    # --- the steps of one part -------------------------------------------------------------------------------

    def part(self, order, line, product, quantity, revenue, margin, row) -> None:
        """Settle the next part: numpy arrays per line (order index, line number, product id, quantity, net revenue,
        margin, row number)."""
        n = len(order)
        if not n:
            return
        keys = (order << LINE_BITS) | line
        by_key = np.argsort(keys, kind="stable")
        sorted_keys = keys[by_key]
        first = self._duplicates(order, line, row, by_key, sorted_keys)
        kept_keys, kept_pos = sorted_keys[first], by_key[first]
        keep = np.zeros(n, dtype=bool)
        keep[kept_pos] = True
        merged = np.concatenate((self._seen_keys, kept_keys))
        at = np.argsort(merged, kind="stable")
        self._seen_keys = merged[at]
        self._seen_rows = np.concatenate((self._seen_rows, row[kept_pos]))[at]
        self.lines += n
        result = self.result
        if result.fatal or (result.error_count and not self.skip_invalid):
            return  # nothing will be written: the rest of the file is only checked
        status, line_ids = self._compare(order, product, quantity, revenue, margin, keep, kept_keys, kept_pos)
        unchanged, updated = int((status == 2).sum()), int((status == 1).sum())
        created = int((status == 0).sum())
        result.unchanged += unchanged
        result.updated += updated
        result.created += created
        if self.dry_run or not (created or updated or self._heads_due()):
            return  # (every new order has a new line: its orders are all stored ones, settled by a later write)
        self._open(created)
        self._write(order, line, product, quantity, revenue, margin, status, line_ids)

    def finish(self) -> None:
        """After the last part: commit the transaction (rebuilding what a big load deferred), or roll it back when
        the import found a problem it may not skip."""
        result = self.result
        result.problems.sort(key=lambda p: p.row or 0)
        failed = result.fatal or (result.error_count and not self.skip_invalid)
        if failed:
            result.created = result.updated = result.unchanged = 0
        if self._stack is None:
            return
        if failed:
            self.abort()
            return
        # The lines refer to the file's accounts and products, and to orders this load wrote or found stored.
        self._load.refers_to({"customers_account": set(self.accounts), "customers_product": self._products,
                              ORDER_TABLE: self._stored_ids.tolist()})
        self._seen_keys = self._seen_rows = None  # rebuilding the indexes sorts in memory: free what is not needed
        stack, self._stack = self._stack, None
        stack.close()
        result.written = True
        if (result.created or result.updated) and self.dates:
            from isf.calls.tasks import attribution_after_commit

            attribution_after_commit(min(self.dates))  # what inside sales brought in, once the import commits

    def abort(self) -> None:
        """Roll back whatever was written (an error in a later part, or an exception in the import)."""
        stack, self._stack = self._stack, None
        if stack is not None:
            try:
                with stack:
                    raise _Rollback
            except _Rollback:
                pass

    # --- duplicates ------------------------------------------------------------------------------------------

    def _duplicates(self, order, line, row, by_key, sorted_keys) -> np.ndarray:
        """Report every line whose key occurred before; returns a mask (in key order) of the first occurrences."""
        n = len(sorted_keys)
        earlier = np.zeros(n, dtype=bool)
        at = np.zeros(n, dtype=np.int64)
        if len(self._seen_keys):
            at = np.minimum(np.searchsorted(self._seen_keys, sorted_keys), len(self._seen_keys) - 1)
            earlier = self._seen_keys[at] == sorted_keys
        repeat = np.zeros(n, dtype=bool)
        repeat[1:] = sorted_keys[1:] == sorted_keys[:-1]
        duplicate = earlier | repeat
        for j in np.flatnonzero(duplicate).tolist():
            if earlier[j]:
                first_row = int(self._seen_rows[at[j]])
            else:
                start = j - 1
                while start > 0 and sorted_keys[start - 1] == sorted_keys[j]:
                    start -= 1
                first_row = int(row[by_key[start]])
            pos = int(by_key[j])
            idx, number = int(order[pos]), int(line[pos])
            self.result.add(int(row[pos]), self.line_column, str(number),
                            f"duplicate line {number} of order {self.numbers[idx]} (first in row {first_row})")
            self.duplicates += 1
        return ~duplicate

    # --- comparison with what is stored -----------------------------------------------------------------------

    def _look_up_orders(self) -> None:
        """Find the stored orders among the orders added since the last part; note those whose header changes."""
        numbers = self.numbers[self._looked_up:]
        if not numbers:
            return
        self._looked_up = len(self.numbers)
        found: dict[str, tuple[int, int, str]] = {}
        fetch = where_in_chunk()
        # SQLite: the date as stored text (ISO), which skips the driver's per-row conversion to a date object.
        day_sql = "CAST(date AS TEXT)" if connection.vendor == "sqlite" else "date"
        with connection.cursor() as cursor:
            for i in range(0, len(numbers), fetch):
                condition, params = where_in("number", numbers[i:i + fetch])
                cursor.execute(f"SELECT number, id, account_id, {day_sql} FROM {ORDER_TABLE} WHERE {condition}", params)
                for number, oid, acct, day in cursor.fetchall():
                    found[number] = (oid, acct, day if isinstance(day, str) else day.isoformat())
        if not found:
            return
        self._stored.update(found)
        idx = np.fromiter((self.index[k] for k in found), dtype=np.int64, count=len(found))
        ids = np.fromiter((v[0] for v in found.values()), dtype=np.int64, count=len(found))
        self._stored_idx = np.concatenate((self._stored_idx, idx))
        self._stored_ids = np.concatenate((self._stored_ids, ids))
        for number, (_oid, acct, day) in found.items():
            i = self.index[number]
            if (acct, day) != (self.accounts[i], self.dates[i]):
                self._changed.append(i)

    def _compare(self, order, product, quantity, revenue, margin, keep, kept_keys, kept_pos):
        """Status per line (0 new, 1 changed, 2 unchanged, 3 duplicate) and the stored id of each matched line."""
        self._look_up_orders()
        n = len(order)
        status = np.zeros(n, dtype=np.uint8)
        status[~keep] = 3
        line_ids = np.zeros(n, dtype=np.int64)
        mine = np.isin(self._stored_idx, order[keep])
        ex_idx, ex_ids = self._stored_idx[mine], self._stored_ids[mine]
        by_id = np.argsort(ex_ids)
        ex_idx, ex_ids = ex_idx[by_id], ex_ids[by_id]
        ids = ex_ids.tolist()
        fetch = where_in_chunk()
        m = len(kept_keys)
        with connection.cursor() as cursor:
            for i in range(0, len(ids), fetch):
                chunk = ids[i:i + fetch]
                for ints, vals in _stored_lines(cursor, chunk):
                    k = (ex_idx[np.searchsorted(ex_ids, ints[:, 1])] << LINE_BITS) | ints[:, 2]
                    at = np.minimum(np.searchsorted(kept_keys, k), max(m - 1, 0))
                    found = kept_keys[at] == k if m else np.zeros(len(k), bool)
                    pos = kept_pos[at[found]]
                    line_ids[pos] = ints[found, 0]
                    same = ((product[pos] == ints[found, 3]) & (quantity[pos] == vals[found, 0])
                            & (revenue[pos] == vals[found, 1]) & (margin[pos] == vals[found, 2]))
                    status[pos] = np.where(same, 2, 1)
                self.progress("comparing", i + len(chunk), len(ids))
        if self._changed:  # a changed header changes every stored line of the order: they carry account and date
            status[(status == 2) & np.isin(order, self._changed)] = 1
        return status, line_ids

    # --- the write ---------------------------------------------------------------------------------------------

    def _heads_due(self) -> bool:
        """Whether a stored order whose customer or date changes is still to be written."""
        return any(i >= len(self._order_ids) for i in self._changed)

    def _open(self, created: int) -> None:
        """Open the import's transaction (once); a big load defers index and key upkeep to the commit."""
        if self._stack is not None:
            return
        big = created * self.expected_lines / max(self.lines, 1) >= BIG_LOAD
        tables = (ORDER_TABLE, LINE_TABLE) if big else ()
        stack = ExitStack()
        try:
            self._load = stack.enter_context(bulk_load(*tables))
            self._next_id = self._load.next_id(ORDER_TABLE)
            if connection.vendor == "postgresql":  # SQLite numbers rows itself at no extra cost
                self._next_line_id = self._load.next_id(LINE_TABLE)
        except BaseException:
            stack.close()
            raise
        self._stack = stack

    def _assign_ids(self) -> tuple[list, ...]:
        """Ids for the orders not settled yet: the stored one, or the next free one; returns the new orders as
        column lists (id, number, account, date)."""
        start, end = len(self._order_ids), len(self.numbers)
        numbers = self.numbers[start:end]
        stored = self._stored
        ids = np.zeros(end - start, dtype=np.int64)
        new = np.ones(end - start, dtype=bool)
        if stored:
            for j, number in enumerate(numbers):
                found = stored.get(number)
                if found is not None:
                    ids[j], new[j] = found[0], False
        at = np.flatnonzero(new)
        ids[at] = np.arange(self._next_id, self._next_id + len(at))
        self._next_id += len(at)
        self._order_ids.frombytes(ids.tobytes())
        if len(at) == len(numbers):
            return (ids.tolist(), numbers, self.accounts[start:end].tolist(), self.dates[start:end])
        picks = at.tolist()
        return (ids[at].tolist(), [numbers[j] for j in picks], [self.accounts[start + j] for j in picks],
                [self.dates[start + j] for j in picks])

    def _write(self, order, line, product, quantity, revenue, margin, status, line_ids) -> None:
        heads_from = len(self._order_ids)
        new_orders = self._assign_ids()
        if new_orders[0]:
            bulk_insert_columns(ORDER_TABLE, ("id", "number", "account_id", "date"), new_orders, SQLITE_CACHE_KIB)
        del new_orders
        changed = [i for i in self._changed if i >= heads_from]
        if changed:
            heads = [(self.accounts[i], self.dates[i], self._stored[self.numbers[i]][0]) for i in changed]
            if connection.vendor == "postgresql":
                heads = [(acct, date.fromisoformat(day), oid) for acct, day, oid in heads]
            bulk_update(ORDER_TABLE, "id", ("account_id", "date"), heads)
            bulk_update(LINE_TABLE, "order_id", ("account_id", "order_date"), heads)
        oids = np.frombuffer(self._order_ids, dtype=np.int64).copy()
        accts = np.frombuffer(self.accounts, dtype=np.int64).copy()
        new_pos = np.flatnonzero(status == 0)
        done, total = self.written_lines, self.expected_lines
        if connection.vendor == "postgresql":
            _copy_new_lines(self._next_line_id, new_pos, oids, accts, self.dates, order, line, product, quantity,
                            revenue, margin, self.progress, done, total)
            self._next_line_id += len(new_pos)
        else:
            def new_rows():
                """Batches of column lists of the new lines."""
                for start in range(0, len(new_pos), WRITE_BATCH):
                    p = new_pos[start:start + WRITE_BATCH]
                    o = order[p]
                    yield (oids[o].tolist(), line[p].tolist(), accts[o].tolist(),
                           list(map(self.dates.__getitem__, o.tolist())), product[p].tolist(), quantity[p].tolist(),
                           revenue[p].tolist(), margin[p].tolist())

            _insert_columns(LINE_TABLE, LINE_INSERT_COLUMNS, new_rows(), self.progress, done, total)
        upd = np.flatnonzero(status == 1)
        updates = list(zip(product[upd].tolist(), quantity[upd].tolist(), revenue[upd].tolist(),
                           margin[upd].tolist(), line_ids[upd].tolist(), strict=True))
        bulk_update(LINE_TABLE, "id", ("product_id", "quantity", "net_revenue", "margin"), updates)
        self._products.update(np.unique(product[status < 2]).tolist())
        self.written_lines += len(order)
        self.progress("writing", min(self.written_lines, total), total)


def _insert_columns(table: str, columns, batches, progress: Progress, done: int, total: int) -> None:
    """SQLite: rows given as batches of column lists (no row tuples are built), with progress."""
    written = 0
    for batch in batches:
        written += bulk_insert_columns(table, columns, batch, SQLITE_CACHE_KIB)
        progress("writing", min(done + written, total), total)


def _stored_lines(cursor, order_ids: list[int]):
    """The stored lines of the orders, in batches of (ints, values): columns id, order id, line number, product,
    and quantity, revenue, margin as the doubles the file's values parse to (no Decimal per value)."""
    condition, params = where_in("order_id", order_ids)
    if connection.vendor == "postgresql":
        rows = fetch_columns(cursor, [("id", "int8"), ("order_id", "int8"), ("line_no", "int8"),
                                      ("product_id", "int8"), ("quantity", "float8"), ("net_revenue", "float8"),
                                      ("margin", "float8")], f"{LINE_TABLE} WHERE {condition}", params)
        yield (np.column_stack([rows[f"c{i}"] for i in range(4)]).astype(np.int64),
               np.column_stack([rows[f"c{i}"] for i in range(4, 7)]).astype(np.float64))
        return
    cursor.execute(f"SELECT id, order_id, line_no, product_id, quantity, net_revenue, margin FROM {LINE_TABLE} "
                   f"WHERE {condition}", params)
    while batch := cursor.fetchmany(50_000):
        stored = np.array(batch, dtype=np.float64)  # ids are far below 2**53, so exact as floats
        yield stored[:, :4].astype(np.int64), stored[:, 4:]


def _copy_new_lines(first_id: int, new_pos, oids, accts, order_date: list[str], Lo, Ll, Lp, Lq, Lr, Lm,
                    progress: Progress, done: int, total: int) -> None:
    """PostgreSQL: the new lines (positions ``new_pos`` of the line arrays) by binary COPY, straight from the
    arrays, numbered from ``first_id``.  Amounts and quantities were parsed from at most 2 and 3 decimals, so
    scaling and rounding them gives their exact value in cents and thousandths."""
    days = np.array(order_date, dtype="datetime64[D]").astype(np.int64)
    kinds = (Int8(), Int8(), Int4(), Int8(), Date(), Int8(), Numeric(3), Numeric(2), Numeric(2))
    with connection.cursor() as cursor:
        for start in range(0, len(new_pos), WRITE_BATCH):
            p = new_pos[start:start + WRITE_BATCH]
            o = Lo[p]
            copy_columns(cursor, LINE_TABLE, ("id", *LINE_INSERT_COLUMNS), kinds, (
                np.arange(first_id + start, first_id + start + len(p), dtype=np.int64),
                oids[o], Ll[p], accts[o], days[o], Lp[p], np.rint(Lq[p] * 1000).astype(np.int64),
                np.rint(Lr[p] * 100).astype(np.int64), np.rint(Lm[p] * 100).astype(np.int64)))
            progress("writing", min(done + start + len(p), total), total)
