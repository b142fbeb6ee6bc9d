"""Rule evaluation in the database: one query computes every account's revenue of the last 12
months, its buying behaviour where a rule reads it (isf.segmentation.behaviour) and the first
matching rule, and returns only the accounts whose segment would change.

The query is plain SQL that runs on SQLite and PostgreSQL (a CASE over a grouped derived table;
the ORM cannot select from a derived table). Thresholds are passed as floats so
SQLite compares numbers with numbers.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection

from isf.segmentation import behaviour
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


# rule field pairs -> the SQL of the measure over the figures table `y` (isf.segmentation.behaviour)
MEASURES = (
    ("revenue_min", "revenue_max", "y.rev"),
    ("potential_min", "potential_max", "y.potential"),
    ("orders_min", "orders_max", behaviour.ORDERS),
    ("order_value_min", "order_value_max", behaviour.ORDER_VALUE),
    ("trend_min", "trend_max", behaviour.TREND),
    ("phone_share_min", "phone_share_max", behaviour.PHONE_SHARE),
)
# which part of the figures a measure needs
NEEDS = {"orders_min": "orders", "order_value_min": "orders", "phone_share_min": "orders", "trend_min": "trend"}


def parts_needed(rules) -> set[str]:
    """The parts of the buying-behaviour figures the rules read (nothing: revenue and potential only)."""
    return {part for rule in rules for low, high, _sql in MEASURES if (part := NEEDS.get(low))
            and (getattr(rule, low) is not None or getattr(rule, high) is not None)}


def _condition(rule: SegmentRule, params: list) -> str:
    parts = []
    for low_field, high_field, column in MEASURES:
        low, high = getattr(rule, low_field), getattr(rule, high_field)
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
    """Accounts without an open override whose rule-based segment differs from the current one.

    `since` is the start of the 12 months up to `until` (kept for the callers; the window is the one of
    isf.segmentation.behaviour)."""
    q = connection.ops.quote_name
    override, rule_table = q(SegmentOverride._meta.db_table), q(SegmentRule._meta.db_table)
    params: list = []
    whens = []
    rules = ordered_rules()
    for rule in rules:
        cond = _condition(rule, params)
        # typed: PostgreSQL may read a bare parameter here as text ("operator does not exist: bigint = text")
        whens.append(f"WHEN {cond} THEN CAST(%s AS BIGINT)")
        params.append(rule.pk)
    case = f"CASE {' '.join(whens)} ELSE NULL END" if whens else "CAST(NULL AS BIGINT)"  # an untyped NULL is text
    where = f"NOT EXISTS (SELECT 1 FROM {override} o WHERE o.account_id = a.id AND o.ended_at IS NULL)"
    ids: list = []
    if account_ids is not None:
        if not account_ids:
            return []
        where += f" AND a.id IN ({', '.join(['%s'] * len(account_ids))})"
        ids = [int(pk) for pk in account_ids]
    figures, figure_params = behaviour.figures_sql(today=until, parts=parts_needed(rules), where=where,
                                                   where_params=ids)
    sql = f"""
        SELECT z.id, z.segment_id, z.rule_id, sr.segment_id, z.rev, z.potential FROM (
            SELECT y.id, y.segment_id, y.potential, y.rev, {case} AS rule_id FROM ({figures}) y
        ) z LEFT JOIN {rule_table} sr ON sr.id = z.rule_id
        WHERE (sr.segment_id IS NULL AND z.segment_id IS NOT NULL)
           OR (sr.segment_id IS NOT NULL AND (z.segment_id IS NULL OR z.segment_id <> sr.segment_id))
    """
    # parameters in text order: the CASE thresholds, then the figures' own
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *figure_params])
        rows = cursor.fetchall()
    return [Move(r[0], r[1], r[3], r[2], _dec(r[4]), _dec(r[5])) for r in rows]


def _dec(value) -> Decimal:
    return Decimal(str(value if value is not None else 0)).quantize(Decimal("0.01"))
