"""Buying behaviour (Kaufverhalten) from the orders: one definition for the rules, the overview and the API.

Per account, over the 12 months up to `today` (the same window as the revenue of the segment rules):
- orders a year: the ERP orders dated in the window (order frequency);
- average order value: the window's net revenue / its orders (none without orders);
- trend: revenue growth in % against the 12 months before (none without revenue then);
- channel mix: the share of the window's orders taken by phone (an inside-sales call matched to the ERP order,
  ``CallLog.matched_order``), after a field visit (a visit report of the account in the 14 days up to the order
  date, not by phone) and the rest (direct: web shop, e-mail, EDI). Orders carry no channel of their own; these
  two records are where the channel is known.

One SQL statement (:func:`figures_sql`) computes them per account - revenue through the per-account
(account, order_date) index range, the order counts as correlated counts over the (account, date) index of
the order headers - and both the rule engine and :func:`segment_behaviour` read it; Python never loops over
orders.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from isf.customers.models import Account, Order, OrderLine
from isf.customers.selectors import twelve_months_ago

VISIT_DAYS = 14  # an order up to 14 days after a visit report counts as taken after the visit
ALL_PARTS = frozenset({"trend", "orders", "channels"})

# SQL for the derived measures over the figures table `y` (NULL where the measure is undefined)
ORDERS = "y.orders"
ORDER_VALUE = "(y.rev * 1.0 / NULLIF(y.orders, 0))"
TREND = "((y.rev - y.prev) * 100.0 / NULLIF(y.prev, 0))"
PHONE_SHARE = "(y.phone_orders * 100.0 / NULLIF(y.orders, 0))"


def _days_before(column: str, days: int) -> str:
    if connection.vendor == "sqlite":
        return f"date({column}, '-{int(days)} days')"
    return f"({column} - {int(days)})"


def figures_sql(*, today: date, parts=ALL_PARTS, where: str = "", where_params: list | None = None
                ) -> tuple[str, list]:
    """A SELECT with one row per account: id, segment_id, potential, customer_type, rev, prev, orders,
    phone_orders, field_orders. `parts` leaves out what nobody reads (prev, the order counts, the channels are 0
    then); `where` filters the accounts (alias ``a``), with its parameters."""
    q = connection.ops.quote_name
    account, line, order = q(Account._meta.db_table), q(OrderLine._meta.db_table), q(Order._meta.db_table)
    since = twelve_months_ago(today)
    params: list = []
    if "trend" in parts:
        before = twelve_months_ago(since)
        rev = "COALESCE(SUM(CASE WHEN l.order_date > %s THEN l.net_revenue ELSE 0 END), 0)"
        prev = "SUM(CASE WHEN l.order_date <= %s THEN l.net_revenue END)"
        params += [since.isoformat(), since.isoformat()]
        window_start = before
    else:
        rev, prev, window_start = "COALESCE(SUM(l.net_revenue), 0)", "NULL", since
    counts = "0 AS orders, 0 AS phone_orders, 0 AS field_orders"
    count_params: list = []
    if parts & {"orders", "channels"}:
        from isf.calls.models import CallLog

        in_window = f"FROM {order} o WHERE o.account_id = y.id AND o.date > %s AND o.date <= %s"
        phone = f"EXISTS (SELECT 1 FROM {q(CallLog._meta.db_table)} c WHERE c.matched_order_id = o.id)"
        counts = f"(SELECT COUNT(*) {in_window}) AS orders, (SELECT COUNT(*) {in_window} AND {phone}) AS phone_orders"
        count_params = [since.isoformat(), today.isoformat()] * 2
        if "channels" in parts:
            from isf.visits.models import VisitReport

            visit = (f"EXISTS (SELECT 1 FROM {q(VisitReport._meta.db_table)} v WHERE v.account_id = o.account_id "
                     f"AND v.visit_date <= o.date AND v.visit_date > {_days_before('o.date', VISIT_DAYS)})")
            counts += f", (SELECT COUNT(*) {in_window} AND NOT {phone} AND {visit}) AS field_orders"
            count_params += [since.isoformat(), today.isoformat()]
        else:
            counts += ", 0 AS field_orders"
    # The LEFT JOIN with the date range in its ON clause walks the accounts and, per account, the
    # (account, order_date) index: no temporary B-tree over a million order lines.
    sql = f"""
        SELECT y.id, y.segment_id, y.potential, y.customer_type, y.rev, y.prev, {counts} FROM (
            SELECT a.id AS id, a.segment_id AS segment_id, a.potential AS potential,
                   a.customer_type AS customer_type, {rev} AS rev, {prev} AS prev
            FROM {account} a
            LEFT JOIN {line} l ON l.account_id = a.id AND l.order_date > %s AND l.order_date <= %s
            {"WHERE " + where if where else ""}
            GROUP BY a.id, a.segment_id, a.potential, a.customer_type
        ) y
    """
    # parameters in text order: the order counts (outer select), the revenue split, the window, the filter
    return sql, [*count_params, *params, window_start.isoformat(), today.isoformat(), *(where_params or [])]


def _dec(value) -> Decimal:
    return Decimal(str(value if value is not None else 0)).quantize(Decimal("0.01"))


def _pct(part, whole) -> float | None:
    return float(part) * 100 / float(whole) if whole else None


@dataclass(frozen=True)
class Behaviour:
    """Buying behaviour of one account or of a group (sums over its accounts)."""

    accounts: int
    revenue_12m: Decimal
    revenue_before: Decimal | None  # the 12 months before; None: no revenue then
    orders: int
    phone_orders: int
    field_orders: int

    @property
    def order_frequency(self) -> float:
        """Orders per account and year."""
        return self.orders / self.accounts if self.accounts else 0.0

    @property
    def average_order_value(self) -> Decimal | None:
        return (self.revenue_12m / self.orders).quantize(Decimal("0.01")) if self.orders else None

    @property
    def trend(self) -> float | None:
        """Revenue growth in % against the 12 months before."""
        if not self.revenue_before:
            return None
        return float(self.revenue_12m - self.revenue_before) * 100 / float(self.revenue_before)

    @property
    def phone_share(self) -> float | None:
        return _pct(self.phone_orders, self.orders)

    @property
    def field_share(self) -> float | None:
        return _pct(self.field_orders, self.orders)

    @property
    def direct_share(self) -> float | None:
        return _pct(self.orders - self.phone_orders - self.field_orders, self.orders)


def combined(parts: list[Behaviour]) -> Behaviour:
    """The behaviour of several groups together (sums; "before" is None only if it is None everywhere)."""
    before = [p.revenue_before for p in parts if p.revenue_before is not None]
    return Behaviour(sum(p.accounts for p in parts), sum((p.revenue_12m for p in parts), Decimal("0.00")),
                     sum(before, Decimal("0.00")) if before else None, sum(p.orders for p in parts),
                     sum(p.phone_orders for p in parts), sum(p.field_orders for p in parts))


def account_behaviour(*, account_ids: list[int], today: date | None = None) -> dict[int, Behaviour]:
    """Buying behaviour of the given accounts (id -> Behaviour)."""
    today = today or timezone.localdate()
    ids = [int(pk) for pk in account_ids]
    if not ids:
        return {}
    sql, params = figures_sql(today=today, where=f"a.id IN ({', '.join(['%s'] * len(ids))})", where_params=ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {r[0]: Behaviour(1, _dec(r[4]), None if r[5] is None else _dec(r[5]), int(r[6]), int(r[7]), int(r[8]))
            for r in rows}


def _rows(sql: str, params: list) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {r[0]: r[1:] for r in cursor.fetchall()}


def segment_behaviour(*, today: date | None = None, revenue_12m: dict | None = None) -> dict[int | None, Behaviour]:
    """Buying behaviour per segment (segment id -> Behaviour over its accounts as assigned today; None: none).

    The same measures as :func:`figures_sql`, summed per segment without a row per account: the revenue of
    both years through the accounts' (account, order_date) index ranges (the 12 months' revenue can be passed
    in by a caller that has it: the segment KPIs), the orders by date, the phone orders from the matched calls,
    the orders after a visit from the visit reports (few rows each)."""
    today = today or timezone.localdate()
    q = connection.ops.quote_name
    from isf.calls.models import CallLog
    from isf.visits.models import VisitReport

    account, line, order = q(Account._meta.db_table), q(OrderLine._meta.db_table), q(Order._meta.db_table)
    calls, visits = q(CallLog._meta.db_table), q(VisitReport._meta.db_table)
    since = twelve_months_ago(today)
    window = [since.isoformat(), today.isoformat()]
    before_window = [twelve_months_ago(since).isoformat(), since.isoformat()]
    accounts = _rows(f"SELECT a.segment_id, COUNT(*) FROM {account} a GROUP BY a.segment_id", [])
    per_account_lines = f"FROM {account} a LEFT JOIN {line} l ON l.account_id = a.id AND l.order_date > %s " \
                        f"AND l.order_date <= %s GROUP BY a.segment_id"
    before = _rows(f"SELECT a.segment_id, SUM(l.net_revenue) {per_account_lines}", before_window)
    if revenue_12m is None:
        revenue_12m = {k: v[0] for k, v in _rows(f"SELECT a.segment_id, SUM(l.net_revenue) {per_account_lines}",
                                                 window).items()}
    # accounts first: the (account, date) index of the orders covers the count, no row is read
    orders = _rows(f"""
        SELECT a.segment_id, COUNT(o.id) FROM {account} a
        LEFT JOIN {order} o ON o.account_id = a.id AND o.date > %s AND o.date <= %s GROUP BY a.segment_id""", window)
    phone = _rows(f"""
        SELECT a.segment_id, COUNT(*) FROM {order} o JOIN {account} a ON a.id = o.account_id
        WHERE o.id IN (SELECT c.matched_order_id FROM {calls} c WHERE c.matched_order_id IS NOT NULL)
          AND o.date > %s AND o.date <= %s GROUP BY a.segment_id""", window)
    # CROSS JOIN: SQLite keeps the (few) visit reports outside and reads each one's orders by the account index
    field = _rows(f"""
        SELECT a.segment_id, COUNT(*) FROM (
            SELECT DISTINCT o.id AS id, o.account_id AS account_id FROM {visits} v
            CROSS JOIN {order} o
            WHERE o.account_id = v.account_id AND v.visit_date <= o.date
              AND v.visit_date > {_days_before('o.date', VISIT_DAYS)} AND o.date > %s AND o.date <= %s
              AND NOT EXISTS (SELECT 1 FROM {calls} c WHERE c.matched_order_id = o.id)
        ) x JOIN {account} a ON a.id = x.account_id GROUP BY a.segment_id""", window)
    result = {}
    for segment_id, (n,) in accounts.items():
        earlier = before.get(segment_id, (None,))[0]
        result[segment_id] = Behaviour(
            int(n), _dec(revenue_12m.get(segment_id)), None if earlier is None else _dec(earlier),
            int(orders.get(segment_id, (0,))[0]), int(phone.get(segment_id, (0,))[0]),
            int(field.get(segment_id, (0,))[0]))
    return result


def window(today: date) -> tuple[date, date]:
    """The first and last day of the 12 months the figures cover."""
    return twelve_months_ago(today) + timedelta(days=1), today
