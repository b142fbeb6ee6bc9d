"""The order line's columns and rules, declared once (issue 22).

The order import validates in three ways for speed (isf/imports/orders.py): column-wise over a block of lines
(numpy), a fast row path for the clean row, and the thorough row path that names every problem. All three read
their limits, decimals, signs and messages from the rules here, so a rule changes in one place:

- ``ORDER_NUMBER``: the order's key (length, no surrounding blanks);
- ``LINE``: the line number, a whole number within the range the writer's key leaves (``LINE_BITS``);
- ``QUANTITY``, ``NET_REVENUE``, ``MARGIN``: amounts with their decimals, sign, lower bound and limit; the margin
  must not exceed the net revenue of its line;
- the lookups (article number, customer number) and the consistency of an order's lines (same customer and date).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.utils.translation import gettext_lazy as _

from isf.imports.engine import Column
from isf.imports.orders_write import LINE_BITS

ORDER_COLUMNS = (
    Column("order_number", True, ("Auftragsnr", "Auftragsnummer", "Belegnummer", "Beleg", "order_no"), ("A100001", "A100001"),
           label=_("order number")),
    Column("line", True, ("Position", "Pos", "Positionsnummer", "line_no"), ("1", "2"), label=_("line")),
    Column("customer_number", False, ("Kundennr", "Kundennummer", "Debitor", "erp_number"), ("10001", "10001"),
           label=_("customer number")),
    Column("order_date", False, ("Auftragsdatum", "Belegdatum", "Datum", "date"), ("15.01.2025", "15.01.2025"),
           label=_("order date"), type="date"),
    Column("sku", True, ("Artikelnr", "Artikelnummer", "Material", "article_number"), ("ART-1001", "ART-2040"),
           label=_("article number")),
    Column("quantity", True, ("Menge", "qty"), ("12", "1,5"), label=_("quantity"), type="decimal"),
    Column("net_revenue", True, ("Umsatz", "Nettoumsatz", "Nettowert", "Betrag", "revenue"), ("1.234,56", "89,90"),
           label=_("net revenue (EUR)"), type="decimal"),
    Column("margin", False, ("Deckungsbeitrag", "DB", "Marge"), ("345,67", "12,30"), label=_("margin (EUR)"),
           type="decimal"),
)
HEADER_COLUMNS = (
    Column("order_number", True, ORDER_COLUMNS[0].aliases, ("A100001", "A100002"), label=ORDER_COLUMNS[0].label),
    Column("customer_number", True, ORDER_COLUMNS[2].aliases, ("10001", "10002"), label=ORDER_COLUMNS[2].label),
    Column("order_date", True, ORDER_COLUMNS[3].aliases, ("15.01.2025", "16.01.2025"), label=ORDER_COLUMNS[3].label,
           type="date"),
)


@dataclass(frozen=True)
class Key:
    """A text key: 1 to ``max_length`` characters after stripping blanks."""

    max_length: int
    empty: str
    too_long: str

    def problem(self, text: str) -> str | None:
        if not text:
            return self.empty
        return self.too_long if len(text) > self.max_length else None


@dataclass(frozen=True)
class WholeNumber:
    """A whole number from ``low`` to ``high`` (both included)."""

    low: int
    high: int
    not_whole: str
    out_of_range: str

    def problem(self, value: int) -> str | None:
        return None if self.low <= value <= self.high else self.out_of_range


@dataclass(frozen=True)
class Amount:
    """A decimal amount: at most ``places`` decimals, a sign only when ``signed``, at least ``minimum`` (or above it
    when not ``minimum_included``), its absolute value below ``limit``; ``not_above`` names the column whose value
    of the same line it must not exceed."""

    places: int
    signed: bool
    minimum: int | None
    minimum_included: bool
    limit: int
    below_minimum: str
    too_big: str
    not_above: str = ""
    above: str = ""

    def pattern(self, decimal_sep: str) -> str:
        """The clean cell the fast row path accepts without Decimal (thousands groups of exactly three)."""
        group = "." if decimal_sep == "," else ","
        sign = "-?" if self.signed else ""
        return rf"{sign}(?:\d{{1,3}}(?:{re.escape(group)}\d{{3}})+|\d+)(?:{re.escape(decimal_sep)}\d{{1,{self.places}}})?"

    def bad(self, values: np.ndarray, bound: np.ndarray | None = None) -> np.ndarray:
        """Column-wise: which values break the bounds (the decimals were checked by the reader)."""
        out = (values >= self.limit) | (values <= -self.limit)
        if self.minimum is not None:
            out |= (values < self.minimum) if self.minimum_included else (values <= self.minimum)
        if bound is not None:
            out |= values > bound
        return out

    def bounds_expression(self, name: str, bound: str = "") -> str:
        """The same bounds as a Python expression over the float ``name`` (the fast row path compiles it)."""
        parts = []
        if self.minimum is not None:
            parts.append(f"{name} {'>=' if self.minimum_included else '>'} {self.minimum!r}")
        if bound:
            parts.append(f"{name} <= {bound}")
        parts.append(f"-{self.limit!r} < {name} < {self.limit!r}")
        return " and ".join(parts)

    def problem(self, value: Decimal, bound: Decimal | None = None) -> str | None:
        """The thorough path's message for a parsed value (``bound``: the value it must not exceed, when valid)."""
        if self.minimum is not None and (value < self.minimum or (value == self.minimum and not self.minimum_included)):
            return self.below_minimum
        if bound is not None and value > bound:
            return self.above
        if abs(value) >= self.limit or value.as_tuple().exponent < -self.places:
            return self.too_big
        return None


ORDER_NUMBER = Key(max_length=30, empty="order number is empty",
                   too_long="order number is longer than 30 characters")
LINE = WholeNumber(low=1, high=(1 << LINE_BITS) - 1, not_whole="line is not a whole number",
                   out_of_range=f"line must be between 1 and {(1 << LINE_BITS) - 1}")
QUANTITY = Amount(places=3, signed=False, minimum=0, minimum_included=False, limit=10**9,  # max_digits 12
                  below_minimum="quantity must be positive",
                  too_big="quantity must be below 1,000,000,000 with at most 3 decimals")
NET_REVENUE = Amount(places=2, signed=True, minimum=0, minimum_included=True, limit=10**12,  # max_digits 14
                     below_minimum="net revenue must not be negative",
                     too_big="net revenue must be below 1,000,000,000,000 with at most 2 decimals")
MARGIN = Amount(places=2, signed=True, minimum=None, minimum_included=True, limit=10**12,
                below_minimum="", too_big="margin must be below 1,000,000,000,000 with at most 2 decimals",
                not_above="net_revenue", above="margin must not exceed the net revenue")

UNKNOWN_PRODUCT = "unknown article number"
UNKNOWN_CUSTOMER = "unknown customer number"
NO_CUSTOMER = "customer number is empty and no header given"
OTHER_CUSTOMER = "order {number} has a different customer in row {row}"
OTHER_DATE = "order {number} has a different date in row {row}"


def line_bounds():
    """The fast row path's check of a clean row's numbers, compiled from the rules above:
    ``(line, quantity, net revenue, margin) -> bool``."""
    expression = " and ".join([
        f"{LINE.low!r} <= line <= {LINE.high!r}",
        QUANTITY.bounds_expression("qty"),
        NET_REVENUE.bounds_expression("rev"),
        MARGIN.bounds_expression("mar", bound="rev"),
    ])
    return eval(f"lambda line, qty, rev, mar: {expression}")  # noqa: S307 - built from the constants above
