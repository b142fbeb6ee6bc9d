"""Segment rules as plain values: description, overlap and conflict checks (no database access).

Bounds are half-open: `min` inclusive, `max` exclusive, None = open. Revenue and potential are
never negative, so an open lower bound is the same as 0.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from isf.core.numbers import format_eur
from isf.segmentation.choices import RuleCustomerType

FIELDS = ("revenue_min", "revenue_max", "potential_min", "potential_max", "customer_type")


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

    @classmethod
    def of(cls, rule) -> "RuleSpec":
        """From a SegmentRule (with its segment)."""
        return cls(rule.segment.code, rule.segment.precedence, rule.revenue_min, rule.revenue_max,
                   rule.potential_min, rule.potential_max, rule.customer_type or RuleCustomerType.ANY, rule.position)


def snapshot(rule) -> dict:
    """A JSON-able copy of a rule's conditions (kept with each recorded change)."""
    return {f: (str(getattr(rule, f)) if getattr(rule, f) is not None and f != "customer_type" else getattr(rule, f))
            for f in FIELDS}


def _money(value) -> str:
    return format_eur(Decimal(value), 0)


def _range(label_from: str, label_below: str, label_between: str, low, high) -> str | None:
    low = None if low in (None, "") or Decimal(low) == 0 else low
    high = None if high in (None, "") else high
    if low is not None and high is not None:
        return label_between % {"low": _money(low), "high": _money(high)}
    if low is not None:
        return label_from % {"low": _money(low)}
    if high is not None:
        return label_below % {"high": _money(high)}
    return None


def describe(rule) -> str:
    """Plain-language conditions of a rule (SegmentRule, RuleSpec or snapshot dict)."""
    get = rule.get if isinstance(rule, dict) else (lambda f: getattr(rule, f, None))
    parts = [
        _range(_("revenue 12 months from %(low)s"), _("revenue 12 months below %(high)s"),
               _("revenue 12 months from %(low)s below %(high)s"), get("revenue_min"), get("revenue_max")),
        _range(_("potential from %(low)s"), _("potential below %(high)s"),
               _("potential from %(low)s below %(high)s"), get("potential_min"), get("potential_max")),
    ]
    ctype = get("customer_type") or RuleCustomerType.ANY
    if ctype == RuleCustomerType.B2B:
        parts.append(_("B2B only"))
    elif ctype == RuleCustomerType.B2C:
        parts.append(_("private customers (B2C) only"))
    parts = [p for p in parts if p]
    return ", ".join(parts) if parts else _("every account")


def _lo(v) -> Decimal:
    return Decimal(v) if v is not None else Decimal(0)


def _intervals_overlap(a_min, a_max, b_min, b_max) -> bool:
    return (a_max is None or _lo(b_min) < a_max) and (b_max is None or _lo(a_min) < b_max)


def _interval_contains(o_min, o_max, i_min, i_max) -> bool:
    return _lo(o_min) <= _lo(i_min) and (o_max is None or (i_max is not None and i_max <= o_max))


def _types_overlap(a: str, b: str) -> bool:
    return a == RuleCustomerType.ANY or b == RuleCustomerType.ANY or a == b


def overlap(a: RuleSpec, b: RuleSpec) -> bool:
    """Some account could match both rules."""
    return (_types_overlap(a.customer_type, b.customer_type)
            and _intervals_overlap(a.revenue_min, a.revenue_max, b.revenue_min, b.revenue_max)
            and _intervals_overlap(a.potential_min, a.potential_max, b.potential_min, b.potential_max))


def covers(outer: RuleSpec, inner: RuleSpec) -> bool:
    """Every account matching `inner` also matches `outer`."""
    return ((outer.customer_type == RuleCustomerType.ANY or outer.customer_type == inner.customer_type)
            and _interval_contains(outer.revenue_min, outer.revenue_max, inner.revenue_min, inner.revenue_max)
            and _interval_contains(outer.potential_min, outer.potential_max, inner.potential_min, inner.potential_max))


def rule_errors(rule: RuleSpec) -> list[tuple[str, str]]:
    """Contradictions inside one rule as (field, message)."""
    errors = []
    for low, high, label in (("revenue_min", "revenue_max", _("revenue 12 months")),
                             ("potential_min", "potential_max", _("potential"))):
        lo, hi = getattr(rule, low), getattr(rule, high)
        if lo is not None and lo < 0:
            errors.append((low, _("%(what)s: the lower bound must not be negative.") % {"what": label}))
        if hi is not None and hi <= 0:
            errors.append((high, _("%(what)s: the upper bound must be above 0.") % {"what": label}))
        if lo is not None and hi is not None and lo >= hi:
            errors.append((high, _("%(what)s: “from” (%(low)s) must be below “below” (%(high)s).")
                           % {"what": label, "low": _money(lo), "high": _money(hi)}))
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
