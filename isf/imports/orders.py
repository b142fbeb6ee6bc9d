"""Order import: flat ERP order lines (order number + line), optionally with a separate header file.

Built for millions of lines (bench/import_orders.py): one streaming validation pass into compact arrays - CSV
files column-wise, a block of about 16,000 lines at a time (isf.imports.columns), where a block with anything
unusual is validated row by row with the same rules and messages -
foreign keys resolved with dictionaries loaded once, stored lines fetched in bulk and compared value by value
(so a re-import writes nothing and says ``unchanged``), then one transaction (isf.imports.orders_write: binary
COPY on PostgreSQL, multi-row inserts on SQLite, indexes rebuilt and foreign keys checked once after a big load).
A big CSV file is validated in two processes, the first part compared and written while a forked worker still
validates the rest (the pipeline: isf.imports.orders_pipeline). The columns and every rule of an order line are
declared once in isf.imports.order_rules; the column-wise path and both row paths read them from there.

Order lines carry the account and the order date of their header (see isf.customers.models); both are copied
from the header here.  Within one file all lines of an order must agree on customer and date.
"""

import re
import resource
from array import array
from datetime import date
from functools import partial

import numpy as np
from django.db import connection

from isf.imports import orders_pipeline as pipeline
from isf.imports.columns import clean_keys, clean_line_numbers, clean_numbers
from isf.imports.engine import ImportResult, Mapping, Progress, no_progress, problem_from_format_error
from isf.imports.order_rules import (  # noqa: F401 - the columns are imported from here too
    HEADER_COLUMNS,
    LINE,
    MARGIN,
    NET_REVENUE,
    NO_CUSTOMER,
    ORDER_COLUMNS,
    ORDER_NUMBER,
    OTHER_CUSTOMER,
    OTHER_DATE,
    QUANTITY,
    UNKNOWN_CUSTOMER,
    UNKNOWN_PRODUCT,
    line_bounds,
)
from isf.imports.orders_write import LineWriter
from isf.imports.reader import FileFormatError, TableReader, _row_builder
from isf.imports.values import ValueParseError, parse_cell_date, parse_cell_decimal

# Clean amounts and quantities (decimal comma / point): what the fast paths accept without Decimal, from the rules.
_AMOUNT_PATTERNS = {sep: (NET_REVENUE.pattern(sep), QUANTITY.pattern(sep)) for sep in ",."}
_DATE_CACHE_LIMIT = 100_000  # distinct date cells remembered by the column-wise path


def read_headers(table: TableReader, mapping: Mapping, result: ImportResult, accounts: dict[str, int]) -> dict:
    """Order number -> (account id, iso date) from a header file; problems go into ``result``."""
    cols = mapping.resolve(HEADER_COLUMNS, table.header, result)
    if result.error_count:
        result.fatal = True
        return {}
    fmt = table.dialect.date_format or "%d.%m.%Y"
    c_num, c_acct, c_date = cols["order_number"], cols["customer_number"], cols["order_date"]
    headers: dict[str, tuple[int, str]] = {}
    first: dict[str, int] = {}
    try:
        for rn, row in table:
            number = row[c_num].strip()
            if not number:
                result.add(rn, c_num, "", ORDER_NUMBER.empty)
                continue
            acct = accounts.get(row[c_acct].strip())
            if acct is None:
                result.add(rn, c_acct, row[c_acct], UNKNOWN_CUSTOMER)
                continue
            try:
                day = parse_cell_date(row[c_date], fmt, xlsx=table.dialect.kind == "xlsx").isoformat()
            except ValueParseError as exc:
                result.add(rn, c_date, row[c_date], exc.reason)
                continue
            if number in headers:
                result.add(rn, c_num, number, f"duplicate order number (first in row {first[number]})")
                continue
            headers[number] = (acct, day)
            first[number] = rn
    except FileFormatError as exc:
        problem_from_format_error(result, exc)
    return headers


def import_orders(
    table: TableReader,
    *,
    mapping: Mapping | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    headers: dict[str, tuple[int, str]] | None = None,
    progress: Progress = no_progress,
    total: int | None = None,
) -> ImportResult:
    mapping = mapping or Mapping()
    result = ImportResult(kind="orders", file=table.file, dialect=table.dialect.describe(), dry_run=dry_run,
                          skip_invalid=skip_invalid)
    cols = mapping.resolve(ORDER_COLUMNS, table.header, result)
    if headers is None and not result.error_count:
        for name in ("customer_number", "order_date"):
            if cols[name] is None:
                result.add(1, name, "", f"required column {name!r} is missing (or give a separate header file)")
    if result.error_count:
        result.fatal = True
        return result

    with connection.cursor() as cursor:
        cursor.execute("SELECT erp_number, id FROM customers_account")
        accounts = dict(cursor.fetchall())
        cursor.execute("SELECT sku, id FROM customers_product")
        products = dict(cursor.fetchall())

    sep = table.dialect.decimal_separator
    parse_number = partial(parse_cell_decimal, xlsx=table.dialect.kind == "xlsx")  # German number text in Excel
    parse_date = partial(parse_cell_date, xlsx=table.dialect.kind == "xlsx")  # and German date text ("07.12.2026")
    fmt = table.dialect.date_format or "%d.%m.%Y"
    c_num, c_line, c_acct, c_date = cols["order_number"], cols["line"], cols["customer_number"], cols["order_date"]
    c_sku, c_qty, c_rev, c_mar = cols["sku"], cols["quantity"], cols["net_revenue"], cols["margin"]
    headers = headers or {}

    # Per order (index into order_numbers): account id, iso date, first row.
    order_index: dict[str, int] = {}
    order_numbers: list[str] = []
    order_acct = array("q")
    order_date: list[str] = []
    order_row = array("q")
    order_rawdate: list[str] = []  # the date cell as written in the order's first row (fast consistency check)
    # Per valid line: columnar storage, ~60 bytes a line.
    L_order, L_line, L_prod = array("q"), array("q"), array("q")
    L_qty, L_rev, L_mar, L_row = array("d"), array("d"), array("d"), array("q")
    iso_of: dict[date, str] = {}
    iso_raw: dict[str, str] = {}  # date cell -> iso date, for the column-wise path
    add = result.add
    rows = 0
    bad_rows = 0
    step = 50_000
    fast = not headers
    group = "." if sep == "," else ","
    amount_ok = re.compile(NET_REVENUE.pattern(sep), re.ASCII).fullmatch
    margin_ok = re.compile(MARGIN.pattern(sep), re.ASCII).fullmatch
    qty_ok = re.compile(QUANTITY.pattern(sep), re.ASCII).fullmatch
    in_bounds = line_bounds()
    key_length = ORDER_NUMBER.max_length
    header_pos = {name: i for i, name in enumerate(table.header)}

    def validate_block(first: int, columns: list[list[str]]) -> bool:
        """Column-wise validation of a block of rows; False (and nothing recorded) unless every row is clean.

        Accepts exactly what the fast branch of ``validate_rows`` accepts, with the same values; a block with
        anything else is handed to ``validate_rows`` as a whole, which then names every problem.
        """
        nums = columns[header_pos[c_num]]
        n = len(nums)
        lines = clean_line_numbers(columns[header_pos[c_line]])
        if lines is None or lines.min() < LINE.low or lines.max() > LINE.high:
            return False
        if not clean_keys(nums, key_length):
            return False
        prods = list(map(products.get, columns[header_pos[c_sku]]))
        if None in prods:
            return False
        qty = clean_numbers(columns[header_pos[c_qty]], sep, QUANTITY.places, signed=QUANTITY.signed)
        rev = clean_numbers(columns[header_pos[c_rev]], sep, NET_REVENUE.places, signed=NET_REVENUE.signed)
        mar = (clean_numbers(columns[header_pos[c_mar]], sep, MARGIN.places, signed=MARGIN.signed) if c_mar
               else np.zeros(n))
        if qty is None or rev is None or mar is None:
            return False
        if (QUANTITY.bad(qty) | NET_REVENUE.bad(rev) | MARGIN.bad(mar, rev)).any():
            return False
        accts = list(map(accounts.get, columns[header_pos[c_acct]]))
        if None in accts:
            return False
        days = columns[header_pos[c_date]]
        missing = set(days).difference(iso_raw)
        if missing:
            if len(iso_raw) + len(missing) > _DATE_CACHE_LIMIT:
                iso_raw.clear()
                missing = set(days)
            for raw in missing:
                try:
                    d = parse_date(raw, fmt)
                except ValueParseError:
                    return False
                iso_raw[raw] = iso_of.get(d) or iso_of.setdefault(d, d.isoformat())
        isos = list(map(iso_raw.__getitem__, days))
        # Orders: new ones get the customer and date of their first row; every row must agree with its order.
        base = len(order_numbers)
        new = [k for k in dict.fromkeys(nums) if k not in order_index]
        if new:
            order_index.update(zip(new, range(base, base + len(new)), strict=True))
            order_numbers.extend(new)
        idx_arr = np.fromiter(map(order_index.__getitem__, nums), dtype=np.int64, count=n)
        if new:  # the new orders' first rows: their indexes were given in the order of first appearance
            index, first_at = np.unique(idx_arr, return_index=True)
            at = first_at[index >= base].tolist()
            order_acct.extend(map(accts.__getitem__, at))
            order_date.extend(map(isos.__getitem__, at))
        idx = idx_arr.tolist()
        if (not (np.frombuffer(order_acct, dtype=np.int64)[idx_arr] == np.array(accts, dtype=np.int64)).all()
                or list(map(order_date.__getitem__, idx)) != isos):
            for k in new:
                del order_index[k]
            del order_numbers[base:], order_acct[base:], order_date[base:]
            return False
        if new:
            order_rawdate.extend(map(days.__getitem__, at))
            order_row.extend(first + i for i in at)
        L_order.frombytes(idx_arr.tobytes())
        L_line.frombytes(lines.tobytes())
        L_prod.extend(prods)
        L_qty.frombytes(qty.tobytes())
        L_rev.frombytes(rev.tobytes())
        L_mar.frombytes(mar.tobytes())
        L_row.frombytes(np.arange(first, first + n, dtype=np.int64).tobytes())
        return True

    def validate_rows(records) -> None:
        """The thorough row-by-row validation (with a fast branch for clean rows); names every problem."""
        nonlocal rows, bad_rows
        for rn, row in records:
                rows += 1
                if not rows % step:
                    progress("validating", rows, total)
                # Fast path for the common, clean row: no Decimal objects, raw-string comparisons for the header.
                # Anything unusual (or wrong) falls through to the thorough path below, which names every problem.
                if fast:
                    number = row[c_num]
                    raw = row[c_line]
                    prod = products.get(row[c_sku])
                    q_raw, r_raw, m_raw = row[c_qty], row[c_rev], row[c_mar] if c_mar else "0"
                    if (raw.isdigit() and raw.isascii() and prod is not None and 0 < len(number) <= key_length
                            and qty_ok(q_raw) and amount_ok(r_raw) and margin_ok(m_raw)):
                        line = int(raw)
                        qty = float(q_raw.replace(group, "").replace(sep, "."))
                        rev = float(r_raw.replace(group, "").replace(sep, "."))
                        mar = float(m_raw.replace(group, "").replace(sep, "."))
                        if in_bounds(line, qty, rev, mar) and number[0] != " " and number[-1] != " ":
                            idx = order_index.get(number)
                            good = False
                            if idx is not None:
                                good = row[c_date] == order_rawdate[idx] and accounts.get(row[c_acct]) == order_acct[idx]
                            else:
                                acct = accounts.get(row[c_acct])
                                if acct is not None:
                                    try:
                                        d = parse_date(row[c_date], fmt)
                                    except ValueParseError:
                                        pass
                                    else:
                                        idx = len(order_numbers)
                                        order_index[number] = idx
                                        order_numbers.append(number)
                                        order_acct.append(acct)
                                        order_date.append(iso_of.get(d) or iso_of.setdefault(d, d.isoformat()))
                                        order_rawdate.append(row[c_date])
                                        order_row.append(rn)
                                        good = True
                            if good:
                                L_order.append(idx)
                                L_line.append(line)
                                L_prod.append(prod)
                                L_qty.append(qty)
                                L_rev.append(rev)
                                L_mar.append(mar)
                                L_row.append(rn)
                                continue
                ok = True
                number = row[c_num]
                if not number or number != number.strip():
                    number = number.strip()
                if (problem := ORDER_NUMBER.problem(number)) is not None:
                    add(rn, c_num, number, problem)
                    ok = False
                raw = row[c_line]
                try:
                    line = int(raw)
                    if (problem := LINE.problem(line)) is not None:
                        add(rn, c_line, raw, problem)
                        ok = False
                except ValueError:
                    add(rn, c_line, raw, LINE.not_whole)
                    ok = False
                prod = products.get(row[c_sku])
                if prod is None:
                    prod = products.get(row[c_sku].strip())
                    if prod is None:
                        add(rn, c_sku, row[c_sku], UNKNOWN_PRODUCT)
                        ok = False
                raw = row[c_qty]
                try:
                    qty = parse_number(raw, sep)
                    if (problem := QUANTITY.problem(qty)) is not None:
                        add(rn, c_qty, raw, problem)
                        ok = False
                except ValueParseError as exc:
                    add(rn, c_qty, raw, exc.reason)
                    ok = False
                raw = row[c_rev]
                try:
                    rev = parse_number(raw, sep)
                    if (problem := NET_REVENUE.problem(rev)) is not None:
                        add(rn, c_rev, raw, problem)
                        ok = False
                except ValueParseError as exc:
                    add(rn, c_rev, raw, exc.reason)
                    ok = False
                if c_mar is not None and (raw := row[c_mar]):
                    try:
                        mar = parse_number(raw, sep)
                        if (problem := MARGIN.problem(mar, rev if ok else None)) is not None:
                            add(rn, c_mar, raw, problem)
                            ok = False
                    except ValueParseError as exc:
                        add(rn, c_mar, raw, exc.reason)
                        ok = False
                else:
                    mar = 0
                # Header: from the header file, else from this line (and consistent over the order's lines).
                idx = order_index.get(number)
                if idx is None:
                    acct = day = None
                    if number in headers:
                        acct, day = headers[number]
                    else:
                        raw = row[c_acct] if c_acct else ""
                        acct = accounts.get(raw) or accounts.get(raw.strip())
                        if acct is None:
                            add(rn, c_acct or "customer_number", raw, UNKNOWN_CUSTOMER if raw else NO_CUSTOMER)
                            ok = False
                        raw = row[c_date] if c_date else ""
                        try:
                            d = parse_date(raw, fmt)
                            day = iso_of.get(d) or iso_of.setdefault(d, d.isoformat())
                        except ValueParseError as exc:
                            add(rn, c_date or "order_date", raw, exc.reason)
                            ok = False
                    if not ok:
                        bad_rows += 1
                        continue
                    idx = len(order_numbers)
                    order_index[number] = idx
                    order_numbers.append(number)
                    order_acct.append(acct)
                    order_date.append(day)
                    order_rawdate.append(row[c_date] if c_date else "")
                    order_row.append(rn)
                elif number not in headers:
                    raw = row[c_acct] if c_acct else ""
                    if accounts.get(raw, -1) != order_acct[idx] and accounts.get(raw.strip(), -1) != order_acct[idx]:
                        add(rn, c_acct, raw, OTHER_CUSTOMER.format(number=number, row=order_row[idx]))
                        ok = False
                    raw = row[c_date] if c_date else ""
                    try:
                        d = parse_date(raw, fmt)
                        if (iso_of.get(d) or d.isoformat()) != order_date[idx]:
                            add(rn, c_date, raw, OTHER_DATE.format(number=number, row=order_row[idx]))
                            ok = False
                    except ValueParseError as exc:
                        add(rn, c_date, raw, exc.reason)
                        ok = False
                if not ok:
                    bad_rows += 1
                    continue
                L_order.append(idx)
                L_line.append(line)
                L_prod.append(prod)
                L_qty.append(qty)
                L_rev.append(rev)
                L_mar.append(mar)
                L_row.append(rn)

    build = _row_builder(table.header)

    def validate_blocks(blocks, scale: float = 1) -> None:
        nonlocal rows
        for first, columns in blocks:
            if first is None:
                validate_rows(columns)
                continue
            n = len(columns[0])
            if validate_block(first, columns):
                rows += n
            else:
                validate_rows(zip(range(first, first + n), map(build, zip(*columns, strict=True)), strict=True))
            if rows // step != (rows - n) // step:
                progress("validating", min(int(rows * scale), total or rows * scale), total)

    line_arrays = (L_order, L_line, L_prod, L_qty, L_rev, L_mar, L_row)

    def take_lines() -> tuple[bytes, ...]:
        """The lines validated since the last call, as the bytes of each array (which are emptied)."""
        lines = tuple(map(bytes, line_arrays))
        for a in line_arrays:
            del a[:]
        return lines

    sent = {"orders": 0, "rows": 0}

    def piece() -> dict:
        """The worker's news since its last piece: the orders it added, the lines (given away), the row count."""
        o = sent["orders"]
        news = {"numbers": order_numbers[o:], "acct": order_acct[o:], "date": order_date[o:],
                "rawdate": order_rawdate[o:], "row": order_row[o:], "lines": take_lines(), "rows": rows - sent["rows"],
                "errors": result.error_count, "fatal": result.fatal,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}
        sent.update(orders=len(order_numbers), rows=rows)
        return news

    worker_index = array("q")  # the worker's order index -> this process's

    def merge(news: dict) -> bool:
        """Append a clean piece validated by the worker; False, and nothing changed, when one of its orders also
        occurs before with another customer or date - the caller then validates from that piece on itself,
        naming the rows."""
        nonlocal rows
        numbers, accts, days = news["numbers"], news["acct"], news["date"]
        # Most orders of a piece are new here; one that spans a cut was begun by an earlier part.
        known = [j for j, number in enumerate(numbers) if number in order_index]
        for j in known:
            i = order_index[numbers[j]]
            if order_acct[i] != accts[j] or order_date[i] != days[j]:
                return False
        index = np.empty(len(numbers), dtype=np.int64)
        index[known] = [order_index[numbers[j]] for j in known]
        if known:
            fresh = np.ones(len(numbers), dtype=bool)
            fresh[known] = False
            picks = np.flatnonzero(fresh).tolist()
            numbers, accts, days = [numbers[j] for j in picks], [accts[j] for j in picks], [days[j] for j in picks]
            rawdates, first_rows = [news["rawdate"][j] for j in picks], [news["row"][j] for j in picks]
        else:
            picks = slice(None)
            rawdates, first_rows = news["rawdate"], news["row"]
        base = len(order_numbers)
        index[picks] = np.arange(base, base + len(numbers))
        order_index.update(zip(numbers, range(base, base + len(numbers)), strict=True))
        order_numbers.extend(numbers)
        order_acct.extend(accts)
        order_date.extend(days)
        order_rawdate.extend(rawdates)
        order_row.extend(first_rows)
        worker_index.frombytes(index.tobytes())
        p_order, p_line, p_prod, p_qty, p_rev, p_mar, p_row = news["lines"]
        L_order.frombytes(np.frombuffer(worker_index, dtype=np.int64)[np.frombuffer(p_order, dtype=np.int64)]
                          .tobytes())
        for target, data in zip((L_line, L_prod, L_qty, L_rev, L_mar, L_row), (p_line, p_prod, p_qty, p_rev, p_mar,
                                                                               p_row), strict=True):
            target.frombytes(data)
        rows += news["rows"]
        return True

    writer = LineWriter(result, order_numbers, order_index, order_acct, order_date, line_column=c_line,
                        skip_invalid=skip_invalid, dry_run=dry_run, progress=progress, expected_lines=total or 0)

    def settle() -> None:
        """Hand the lines validated since the last call to the writer (and forget them here)."""
        if not len(L_row):
            return
        types = [np.int64 if a.typecode == "q" else np.float64 for a in line_arrays]
        writer.part(*(np.frombuffer(data, dtype=t) for data, t in zip(take_lines(), types, strict=True)))

    def quiet() -> None:
        nonlocal progress
        progress = no_progress

    validation = pipeline.Validation(validate_blocks=validate_blocks, piece=piece, merge=merge, settle=settle,
                                     rows=lambda: rows, quiet=quiet)
    worker = None
    try:
        try:
            found = pipeline._cuts(table) if fast else None
            if found is not None:
                worker = pipeline.start_worker(table, found, validation, result)
            if worker is None:
                blocks = table.column_blocks() if fast else None
                if blocks is None:
                    validate_rows(table)
                else:
                    validate_blocks(blocks)
            else:
                pipeline.validate_with_worker(table, found, worker, validation, writer=writer, result=result,
                                              total=total, progress=progress)
        except FileFormatError as exc:
            problem_from_format_error(result, exc)
        progress("validating", rows, rows)
        result.rows = rows
        settle()
        writer.finish()
    except BaseException:
        if worker is not None:
            worker.stop()
        writer.abort()
        raise
    result.skipped = bad_rows + writer.duplicates if skip_invalid else 0
    return result
