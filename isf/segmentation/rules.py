"""Segment rules as plain values: description, overlap and conflict checks (no database access).

Bounds are half-open: `min` inclusive, `max` exclusive, None = open. Revenue, potential, orders, order
value and the phone share are never negative, so an open lower bound is the same as 0; the trend (revenue
growth in %) can be. The average order value, the trend and the phone share are undefined for some accounts
(no orders, no revenue the year before): such an account fails every bound on them.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from isf.core.numbers import format_eur, format_number
from isf.segmentation.choices import RuleCustomerType

BEHAVIOUR_FIELDS = ("orders_min", "orders_max", "order_value_min", "order_value_max", "trend_min", "trend_max",
                    "phone_share_min", "phone_share_max")
FIELDS = ("revenue_min", "revenue_max", "potential_min", "potential_max", "customer_type", *BEHAVIOUR_FIELDS)
NO_FLOOR = Decimal("-Infinity")


@dataclass(frozen=True)
class RuleSpec:
    segment_code: str
    precedence: int
    revenue_min: Decimal | None = None
    revenue_max: Decimal | None = None
    potential_min: Decimal | None = None
    potential_max: Decimal | None = None
    customer_type: str = RuleCustomerType.ANY
    position: int = 1
    orders_min: Decimal | None = None
    orders_max: Decimal | None = None
    order_value_min: Decimal | None = None
    order_value_max: Decimal | None = None
    trend_min: Decimal | None = None
    trend_max: Decimal | None = None
    phone_share_min: Decimal | None = None
    phone_share_max: Decimal | None = None

    @classmethod
    def of(cls, rule) -> "RuleSpec":
        """From a SegmentRule (with its segment)."""
        return cls(rule.segment.code, rule.segment.precedence, rule.revenue_min, rule.revenue_max,
                   rule.potential_min, rule.potential_max, rule.customer_type or RuleCustomerType.ANY, rule.position,
                   **{f: getattr(rule, f) for f in BEHAVIOUR_FIELDS})


def snapshot(rule) -> dict:
    """A JSON-able copy of a rule's conditions (kept with each recorded change)."""
    return {f: (str(getattr(rule, f)) if getattr(rule, f) is not None and f != "customer_type" else getattr(rule, f))
            for f in FIELDS}


def _money(value) -> str:
    return format_eur(Decimal(value), 0)


def _figure(value) -> str:
    return format_number(Decimal(value), 1 if Decimal(value) % 1 else 0)


def _percent(value) -> str:
    return f"{_figure(value)} %"


def _range(label_from: str, label_below: str, label_between: str, low, high, fmt=_money, floor=True) -> str | None:
    low = None if low in (None, "") or (floor and Decimal(low) == 0) else low
    high = None if high in (None, "") else high
    if low is not None and high is not None:
        return label_between % {"low": fmt(low), "high": fmt(high)}
    if low is not None:
        return label_from % {"low": fmt(low)}
    if high is not None:
        return label_below % {"high": fmt(high)}
    return None


def _behaviour_parts(get) -> list[str | None]:
    return [
        _range(_("%(low)s orders a year or more"), _("fewer than %(high)s orders a year"),
               _("%(low)s to under %(high)s orders a year"), get("orders_min"), get("orders_max"), _figure),
        _range(_("average order value from %(low)s"), _("average order value below %(high)s"),
               _("average order value from %(low)s below %(high)s"), get("order_value_min"), get("order_value_max")),
        _range(_("revenue trend from %(low)s"), _("revenue trend below %(high)s"),
               _("revenue trend from %(low)s below %(high)s"), get("trend_min"), get("trend_max"), _percent,
               floor=False),
        _range(_("orders by phone from %(low)s"), _("orders by phone below %(high)s"),
               _("orders by phone from %(low)s below %(high)s"), get("phone_share_min"), get("phone_share_max"),
               _percent),
    ]


def describe(rule) -> str:
    """Plain-language conditions of a rule (SegmentRule, RuleSpec or snapshot dict)."""
    get = rule.get if isinstance(rule, dict) else (lambda f: getattr(rule, f, None))
    parts = [
        _range(_("revenue 12 months from %(low)s"), _("revenue 12 months below %(high)s"),
               _("revenue 12 months from %(low)s below %(high)s"), get("revenue_min"), get("revenue_max")),
        _range(_("potential from %(low)s"), _("potential below %(high)s"),
               _("potential from %(low)s below %(high)s"), get("potential_min"), get("potential_max")),
    ]
    parts += _behaviour_parts(get)
    ctype = get("customer_type") or RuleCustomerType.ANY
    if ctype == RuleCustomerType.B2B:
        parts.append(_("B2B only"))
    elif ctype == RuleCustomerType.B2C:
        parts.append(_("private customers (B2C) only"))
    parts = [p for p in parts if p]
    return ", ".join(parts) if parts else _("every account")


# (min field, max field, lowest possible value, the measure can be undefined for an account)
BOUNDS = (
    ("revenue_min", "revenue_max", Decimal(0), False),
    ("potential_min", "potential_max", Decimal(0), False),
    ("orders_min", "orders_max", Decimal(0), False),
    ("order_value_min", "order_value_max", Decimal(0), True),
    ("trend_min", "trend_max", NO_FLOOR, True),
    ("phone_share_min", "phone_share_max", Decimal(0), True),
)


def _lo(v, floor=Decimal(0)) -> Decimal:
    return Decimal(v) if v is not None else floor


def _intervals_overlap(a_min, a_max, b_min, b_max, floor=Decimal(0)) -> bool:
    return (a_max is None or _lo(b_min, floor) < a_max) and (b_max is None or _lo(a_min, floor) < b_max)


def _interval_contains(o_min, o_max, i_min, i_max, floor=Decimal(0), undefined=False) -> bool:
    if undefined and (o_min is not None or o_max is not None) and i_min is None and i_max is None:
        return False  # the inner rule also takes the accounts for which the measure is undefined
    return _lo(o_min, floor) <= _lo(i_min, floor) and (o_max is None or (i_max is not None and i_max <= o_max))


def _types_overlap(a: str, b: str) -> bool:
    return a == RuleCustomerType.ANY or b == RuleCustomerType.ANY or a == b


def overlap(a: RuleSpec, b: RuleSpec) -> bool:
    """Some account could match both rules."""
    return _types_overlap(a.customer_type, b.customer_type) and all(
        _intervals_overlap(getattr(a, low), getattr(a, high), getattr(b, low), getattr(b, high), floor)
        for low, high, floor, _undefined in BOUNDS)


def covers(outer: RuleSpec, inner: RuleSpec) -> bool:
    """Every account matching `inner` also matches `outer`."""
    return (outer.customer_type == RuleCustomerType.ANY or outer.customer_type == inner.customer_type) and all(
        _interval_contains(getattr(outer, low), getattr(outer, high), getattr(inner, low), getattr(inner, high),
                           floor, undefined)
        for low, high, floor, undefined in BOUNDS)


def rule_errors(rule: RuleSpec) -> list[tuple[str, str]]:
    """Contradictions inside one rule as (field, message)."""
    errors = []
    labels = {"revenue_min": (_("revenue 12 months"), _money), "potential_min": (_("potential"), _money),
              "orders_min": (_("orders a year"), _figure), "order_value_min": (_("average order value"), _money),
              "trend_min": (_("revenue trend"), _percent), "phone_share_min": (_("orders by phone"), _percent)}
    for low, high, floor, _undefined in BOUNDS:
        label, fmt = labels[low]
        lo, hi = getattr(rule, low), getattr(rule, high)
        if floor != NO_FLOOR:
            if lo is not None and lo < 0:
                errors.append((low, _("%(what)s: the lower bound must not be negative.") % {"what": label}))
            if hi is not None and hi <= 0:
                errors.append((high, _("%(what)s: the upper bound must be above 0.") % {"what": label}))
        if low == "phone_share_min":
            for field, value in ((low, lo), (high, hi)):
                if value is not None and value > 100:
                    errors.append((field, _("%(what)s: a share cannot be above 100 %%.") % {"what": label}))
        if lo is not None and hi is not None and lo >= hi:
            errors.append((high, _("%(what)s: “from” (%(low)s) must be below “below” (%(high)s).")
                           % {"what": label, "low": fmt(lo), "high": fmt(hi)}))
    return errors


def find_conflicts(rules: list[RuleSpec]) -> list[str]:
    """Conflicts in a whole rule set: contradictory rules, ambiguous overlaps, rules that can never apply."""
    conflicts = []
    for rule in rules:
        for _field, message in rule_errors(rule):
            conflicts.append(_("Segment %(code)s, rule %(pos)s: %(message)s")
                             % {"code": rule.segment_code, "pos": rule.position, "message": message})
    if conflicts:
        return conflicts
    ordered = sorted(rules, key=lambda r: (r.precedence, r.segment_code, r.position))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if a.segment_code == b.segment_code:
                continue
            if a.precedence == b.precedence and overlap(a, b):
                conflicts.append(
                    _("Segments %(a)s and %(b)s have the same precedence %(p)s and their rules overlap "
                      "(%(ra)s / %(rb)s): an account could belong to both. Give one of them another precedence "
                      "or make the ranges disjoint.")
                    % {"a": a.segment_code, "b": b.segment_code, "p": a.precedence, "ra": describe(a), "rb": describe(b)}
                )
            elif a.precedence < b.precedence and covers(a, b):
                conflicts.append(
                    _("The rule “%(rb)s” of segment %(b)s can never apply: segment %(a)s (precedence %(p)s) is "
                      "checked first and its rule “%(ra)s” covers it.")
                    % {"a": a.segment_code, "b": b.segment_code, "p": a.precedence, "ra": describe(a), "rb": describe(b)}
                )
    return conflicts
