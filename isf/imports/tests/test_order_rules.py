"""The order line's rules are declared once (isf/imports/order_rules.py) and the three validation paths read them:
at every boundary the column-wise check, the fast row path's compiled check and the thorough path's message agree,
and the thorough path's messages are the ones the import has always given."""

from decimal import Decimal

import numpy as np
import pytest

from isf.imports.order_rules import LINE, MARGIN, NET_REVENUE, QUANTITY, line_bounds

CLEAN = {"line": 1, "qty": 1.0, "rev": 10.0, "mar": 0.0}
CASES = [  # (field, value, thorough message or None)
    ("qty", "0", "quantity must be positive"),
    ("qty", "-1", "quantity must be positive"),
    ("qty", "0.001", None),
    ("qty", "999999999.999", None),
    ("qty", "1000000000", "quantity must be below 1,000,000,000 with at most 3 decimals"),
    ("rev", "-0.01", "net revenue must not be negative"),
    ("rev", "0", None),
    ("rev", "999999999999.99", None),
    ("rev", "1000000000000", "net revenue must be below 1,000,000,000,000 with at most 2 decimals"),
    ("mar", "10", None),
    ("mar", "10.01", "margin must not exceed the net revenue"),
    ("mar", "-999999999999.99", None),
    ("mar", "-1000000000000", "margin must be below 1,000,000,000,000 with at most 2 decimals"),
]


@pytest.mark.parametrize(("field", "text", "message"), CASES)
def test_the_three_paths_agree_at_the_bounds(field, text, message):
    values = {**CLEAN, field: float(text)}
    fast_ok = line_bounds()(values["line"], values["qty"], values["rev"], values["mar"])
    rule = {"qty": QUANTITY, "rev": NET_REVENUE, "mar": MARGIN}[field]
    bound = np.array([values["rev"]]) if rule is MARGIN else None
    column_ok = not rule.bad(np.array([values[field]]), bound).any()
    thorough = rule.problem(Decimal(text), Decimal("10") if rule is MARGIN else None)
    assert (fast_ok, column_ok, thorough) == (message is None, message is None, message)


def test_decimals_beyond_the_rule_are_refused_with_the_limit_message():
    assert QUANTITY.problem(Decimal("1.0001")) == "quantity must be below 1,000,000,000 with at most 3 decimals"
    assert NET_REVENUE.problem(Decimal("1.001")) == "net revenue must be below 1,000,000,000,000 with at most 2 decimals"


def test_line_numbers_and_the_clean_cell_patterns():
    bounds = line_bounds()
    assert [bounds(n, 1.0, 1.0, 0.0) for n in (0, 1, LINE.high, LINE.high + 1)] == [False, True, True, False]
    assert LINE.problem(0) == f"line must be between 1 and {LINE.high}" and LINE.problem(1) is None
    assert NET_REVENUE.pattern(",") == r"-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d{1,2})?"
    assert QUANTITY.pattern(".") == r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,3})?"
