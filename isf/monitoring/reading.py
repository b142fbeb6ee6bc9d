"""Read the order lines of the whole base into numpy arrays with one streaming query - or only the new ones.

Three million order lines through the ORM would build three million Decimal and date objects; instead one
raw query returns plain numbers (days since 1970 computed by the database, revenue as float) that numpy takes
straight from the cursor (``np.fromiter`` into a record array, no intermediate lists). Order lines carry account
and date themselves, so no join is needed; the product group comes from the (small) product table.

Incremental reading. The nightly run reads the same millions of lines every night, plus one day of new ones. The
lines read last time are kept in a cache file (``ISF_DATA_DIR/cache``, one per database) with a fingerprint of
them: count, highest id, sums of account, product, day and revenue in cents and an id-weighted sum. The next run
asks the database for the same fingerprint of the lines up to that id - a scan in the database's C code, a
fraction of fetching them - and, when it matches, reads only the lines above that id. A line changed, deleted or
moved to another date or account in between (an import correcting an order) changes the fingerprint, and the
run reads everything again. Lines are always in id order, so a cached and a full read give the same arrays.
``ISF_MONITOR_CACHE=0`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import DatabaseError, connection

from isf.customers.models import OrderLine, Product, ProductGroup

log = logging.getLogger(__name__)

CACHE_VERSION = 1
ROW = np.dtype([("id", "i8"), ("account", "i8"), ("day", "i8"), ("revenue", "f8"), ("product", "i8")])
WEIGHT_MOD = 1021  # the weighted sum: (id mod 1021) * (day mod 4099 + product); catches lines that swap values
DAY_MOD = 4099


@dataclass
class OrderArrays:
    account: np.ndarray  # int64 account ids
    day: np.ndarray  # int64 days since 1970-01-01
    revenue: np.ndarray  # float64 net revenue (EUR)
    group: np.ndarray  # int64 product group ids

    def __len__(self) -> int:
        return int(self.account.size)


def _columns() -> tuple[str, str, str]:
    """SQL for (day number, revenue as float, revenue in cents) of a line, per database."""
    if connection.vendor == "postgresql":
        return ("(order_date - DATE '1970-01-01')", "net_revenue::float8", "ROUND(net_revenue * 100)::bigint")
    # SQLite stores dates as ISO text; julianday() parses them in C
    return ("CAST(julianday(order_date) - 2440587.5 AS INTEGER)", "CAST(net_revenue AS REAL)",
            "CAST(ROUND(net_revenue * 100) AS INTEGER)")


def _table() -> str:
    return connection.ops.quote_name(OrderLine._meta.db_table)


def _fetch(where: str = "", params: tuple = ()) -> np.ndarray:
    """Order lines (in id order) as a record array of ROW."""
    days, revenue, _cents = _columns()
    sql = f"SELECT id, account_id, {days}, {revenue}, product_id FROM {_table()} {where} ORDER BY id"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return np.fromiter(cursor.cursor, dtype=ROW)  # the driver's rows, straight into the record array


def _cents(revenue: np.ndarray) -> np.ndarray:
    return np.floor(revenue * 100 + 0.5).astype(np.int64)  # half up, as ROUND() on a revenue (never negative)


def fingerprint_of(rows: np.ndarray) -> tuple[int, ...]:
    """The fingerprint of these lines, computed as :func:`fingerprint_in_database` computes it."""
    if rows.size == 0:
        return (0, 0, 0, 0, 0, 0, 0)
    weighted = (rows["id"] % WEIGHT_MOD) * (rows["day"] % DAY_MOD + rows["product"])
    return (int(rows.size), int(rows["id"].max()), int(rows["account"].sum()), int(rows["product"].sum()),
            int(rows["day"].sum()), int(_cents(rows["revenue"]).sum()), int(weighted.sum()))


def _combine(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    return (a[0] + b[0], max(a[1], b[1]), *(x + y for x, y in zip(a[2:], b[2:], strict=True)))


def fingerprint_in_database(up_to_id: int) -> tuple[int, ...] | None:
    """The fingerprint of the stored lines with id <= ``up_to_id`` (None when the sums overflow). The modulo is
    written ``%%``: the query has parameters, so a single ``%`` would be read as a placeholder (psycopg, and
    Django's debug cursor on SQLite)."""
    days, _revenue, cents = _columns()
    sql = (f"SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(account_id), 0), COALESCE(SUM(product_id), 0), "
           f"COALESCE(SUM(d), 0), COALESCE(SUM(c), 0), COALESCE(SUM((id %% {WEIGHT_MOD}) * (d %% {DAY_MOD} + product_id)), 0) "
           f"FROM (SELECT id, account_id, product_id, {days} AS d, {cents} AS c FROM {_table()} WHERE id <= %s) lines")  # noqa: S608
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, [up_to_id])
            return tuple(int(v) for v in cursor.fetchone())
    except (DatabaseError, OverflowError):
        return None


# -- the cache file --------------------------------------------------------------------------------------------
def cache_path() -> Path | None:
    """The cache file of this database (None when the cache is off)."""
    if not getattr(settings, "ISF_MONITOR_CACHE", True):
        return None
    db = connection.settings_dict
    key = f"{connection.vendor}|{db.get('HOST')}|{db.get('PORT')}|{db.get('NAME')}|{CACHE_VERSION}"
    return Path(settings.DATA_DIR) / "cache" / f"order-lines-{hashlib.sha256(key.encode()).hexdigest()[:16]}.npz"


def _load(path: Path) -> tuple[np.ndarray, tuple[int, ...]] | None:
    try:
        with np.load(path, allow_pickle=False) as stored:
            rows, fp = stored["rows"], tuple(int(v) for v in stored["fingerprint"])
    except (OSError, ValueError, KeyError):
        return None
    return (rows, fp) if rows.dtype == ROW and len(fp) == 7 else None


def _save(path: Path, rows: np.ndarray, fp: tuple[int, ...]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
        np.savez(tmp, rows=rows, fingerprint=np.array(fp, dtype=np.int64))
        os.replace(tmp, path)
    except OSError as exc:  # a read-only data directory costs speed, not the run
        log.warning("order-line cache not written: %s", exc)


def _lines() -> tuple[np.ndarray, str]:
    """Every order line (record array, id order) and how it was read: "full" or "incremental"."""
    path = cache_path()
    cached = _load(path) if path is not None and path.exists() else None
    if cached is not None:
        rows, fp = cached
        if fingerprint_in_database(fp[1]) == fp:
            new = _fetch("WHERE id > %s", (fp[1],))
            if new.size:
                rows, fp = np.concatenate([rows, new]), _combine(fp, fingerprint_of(new))
                _save(path, rows, fp)
            return rows, "incremental"
    rows = _fetch()
    if path is not None:
        _save(path, rows, fingerprint_of(rows))
    return rows, "full"


def read_order_lines() -> OrderArrays:
    """All order lines as arrays (account, day, revenue, product group), in id order."""
    return read_order_lines_with_mode()[0]


def read_order_lines_with_mode() -> tuple[OrderArrays, str]:
    """:func:`read_order_lines` and whether it read everything ("full") or only new lines ("incremental")."""
    rows, mode = _lines()
    product = rows["product"]
    products = np.array(list(Product.objects.values_list("pk", "group_id").order_by()), dtype=np.int64)
    group_of = np.zeros(int(products[:, 0].max()) + 1 if products.size else 1, dtype=np.int64)
    if products.size:
        group_of[products[:, 0]] = products[:, 1]
    return OrderArrays(
        account=np.ascontiguousarray(rows["account"]),
        day=np.ascontiguousarray(rows["day"]),
        revenue=np.ascontiguousarray(rows["revenue"]),
        group=group_of[product],
    ), mode


def group_names() -> dict[int, tuple[str, str]]:
    """Product group id -> (German name, English name)."""
    return {pk: (name, name_en or name) for pk, name, name_en in ProductGroup.objects.values_list("pk", "name", "name_en")}
