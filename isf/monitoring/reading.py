"""Read the order lines of the whole base into numpy arrays with one streaming query.

Three million order lines through the ORM would build three million Decimal and date objects; instead one
raw query returns plain numbers (days since 1970 computed by the database, revenue as float) that are
fetched in chunks straight into float64 arrays. Order lines carry account and date themselves, so no join
is needed; the product group comes from the (small) product table via an id lookup array.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db import connection

from isf.customers.models import OrderLine, Product, ProductGroup

CHUNK = 100_000


@dataclass
class OrderArrays:
    account: np.ndarray  # int64 account ids
    day: np.ndarray  # int64 days since 1970-01-01
    revenue: np.ndarray  # float64 net revenue (EUR)
    group: np.ndarray  # int64 product group ids

    def __len__(self) -> int:
        return int(self.account.size)


def _sql() -> str:
    table = connection.ops.quote_name(OrderLine._meta.db_table)
    if connection.vendor == "postgresql":
        days = "(order_date - DATE '1970-01-01')"
        revenue = "net_revenue::float8"
    else:  # SQLite stores dates as ISO text; julianday() parses them in C
        days = "CAST(julianday(order_date) - 2440587.5 AS INTEGER)"
        revenue = "CAST(net_revenue AS REAL)"
    return f"SELECT account_id, {days}, {revenue}, product_id FROM {table}"  # noqa: S608 - no user input


def read_order_lines() -> OrderArrays:
    """All order lines as arrays (account, day, revenue, product group)."""
    products = np.array(list(Product.objects.values_list("pk", "group_id").order_by()), dtype=np.int64)
    group_of = np.zeros(int(products[:, 0].max()) + 1 if products.size else 1, dtype=np.int64)
    if products.size:
        group_of[products[:, 0]] = products[:, 1]
    parts = []
    with connection.cursor() as cursor:
        cursor.execute(_sql())
        while True:
            rows = cursor.fetchmany(CHUNK)
            if not rows:
                break
            parts.append(np.array(rows, dtype=np.float64))
    data = np.concatenate(parts) if parts else np.empty((0, 4))
    product = data[:, 3].astype(np.int64)
    return OrderArrays(
        account=data[:, 0].astype(np.int64),
        day=data[:, 1].astype(np.int64),
        revenue=np.ascontiguousarray(data[:, 2]),
        group=group_of[product],
    )


def group_names() -> dict[int, tuple[str, str]]:
    """Product group id -> (German name, English name)."""
    return {pk: (name, name_en or name) for pk, name, name_en in ProductGroup.objects.values_list("pk", "name", "name_en")}
