"""Rule evaluation in the database: one query computes every account's revenue of the last 12
months and the first matching rule, and returns only the accounts whose segment would change.

The query is plain SQL that runs on SQLite and PostgreSQL (a CASE over a grouped derived table;
the ORM cannot select from a derived table). Thresholds are passed as floats so
SQLite compares numbers with numbers.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection

from isf.customers.models import Account, OrderLine
from isf.segmentation.choices import RuleCustomerType
from isf.segmentation.models import SegmentOverride, SegmentRule


@dataclass(frozen=True)
class Move:
    account_id: int
    old_segment_id: int | None
    new_segment_id: int | None
    rule_id: int | None
    revenue_12m: Decimal
    potential: Decimal


def ordered_rules() -> list[SegmentRule]:
    return list(SegmentRule.objects.select_related("segment").order_by(
        "segment__precedence", "segment__code", "position", "pk"))


def _condition(rule: SegmentRule, params: list) -> str:
    parts = []
    for column, low, high in (("y.rev", rule.revenue_min, rule.revenue_max),
                              ("y.potential", rule.potential_min, rule.potential_max)):
        if low is not None:
            parts.append(f"{column} >= %s")
            params.append(float(low))
        if high is not None:
            parts.append(f"{column} < %s")
            params.append(float(high))
    if rule.customer_type and rule.customer_type != RuleCustomerType.ANY:
        parts.append("y.customer_type = %s")
        params.append(rule.customer_type)
    return " AND ".join(parts) or "1 = 1"


def pending_moves(*, since: date, until: date, account_ids: list[int] | None = None) -> list[Move]:
    """Accounts without an open override whose rule-based segment differs from the current one."""
    q = connection.ops.quote_name
    account, line = q(Account._meta.db_table), q(OrderLine._meta.db_table)
    override, rule_table = q(SegmentOverride._meta.db_table), q(SegmentRule._meta.db_table)
    params: list = []
    whens = []
    for rule in ordered_rules():
        cond = _condition(rule, params)
        # typed: PostgreSQL may read a bare parameter here as text ("operator does not exist: bigint = text")
        whens.append(f"WHEN {cond} THEN CAST(%s AS BIGINT)")
        params.append(rule.pk)
    case = f"CASE {' '.join(whens)} ELSE NULL END" if whens else "CAST(NULL AS BIGINT)"  # an untyped NULL is text
    only, ids = "", []
    if account_ids is not None:
        if not account_ids:
            return []
        only = f" AND a.id IN ({', '.join(['%s'] * len(account_ids))})"
        ids = list(account_ids)
    # The LEFT JOIN with the date range in its ON clause walks the accounts and, per account, the
    # (account, order_date) index: no temporary B-tree over a million order lines.
    sql = f"""
        SELECT z.id, z.segment_id, z.rule_id, sr.segment_id, z.rev, z.potential FROM (
            SELECT y.id, y.segment_id, y.potential, y.rev, {case} AS rule_id FROM (
                SELECT a.id AS id, a.segment_id AS segment_id, a.potential AS potential,
                       a.customer_type AS customer_type, COALESCE(SUM(l.net_revenue), 0) AS rev
                FROM {account} a
                LEFT JOIN {line} l ON l.account_id = a.id AND l.order_date > %s AND l.order_date <= %s
                WHERE NOT EXISTS (SELECT 1 FROM {override} o WHERE o.account_id = a.id AND o.ended_at IS NULL){only}
                GROUP BY a.id, a.segment_id, a.potential, a.customer_type
            ) y
        ) z LEFT JOIN {rule_table} sr ON sr.id = z.rule_id
        WHERE (sr.segment_id IS NULL AND z.segment_id IS NOT NULL)
           OR (sr.segment_id IS NOT NULL AND (z.segment_id IS NULL OR z.segment_id <> sr.segment_id))
    """
    # parameters in text order: the CASE thresholds, the dates, the account ids
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, since.isoformat(), until.isoformat(), *ids])
        rows = cursor.fetchall()
    return [Move(r[0], r[1], r[3], r[2], _dec(r[4]), _dec(r[5])) for r in rows]


def _dec(value) -> Decimal:
    return Decimal(str(value if value is not None else 0)).quantize(Decimal("0.01"))
