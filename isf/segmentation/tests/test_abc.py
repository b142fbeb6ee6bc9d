"""ABC proposal on known distributions."""

from decimal import Decimal

import pytest

from isf.segmentation.abc import abc_propose
from isf.segmentation.selectors import abc_proposal
from isf.segmentation.tests.helpers import TODAY, account_with_revenue


def test_known_distribution():
    p = abc_propose([3, 50, 10, 2, 30, 5, 0])
    assert p.threshold_a == Decimal("30.00") and p.threshold_b == Decimal("5.00")
    assert [(c.code, c.accounts, c.revenue) for c in p.classes] == [("A", 2, 80.0), ("B", 2, 15.0), ("C", 3, 5.0)]
    assert [c.revenue_share for c in p.classes] == pytest.approx([0.80, 0.15, 0.05])
    assert sum(c.account_share for c in p.classes) == pytest.approx(1.0)


def test_ties_at_the_threshold_go_to_the_higher_class():
    p = abc_propose([40, 40, 40, 10, 10])  # 80 % reached with the second 40; the third has the same revenue
    assert p.threshold_a == Decimal("40.00")
    assert [c.accounts for c in p.classes] == [3, 2, 0]


def test_other_shares_and_no_revenue():
    p = abc_propose([60, 20, 10, 10], a_share=0.6, b_share=0.3)
    assert (p.threshold_a, p.threshold_b) == (Decimal("60.00"), Decimal("10.00"))
    empty = abc_propose([0, 0])
    assert empty.threshold_a is None and empty.classes[2].accounts == 2
    with pytest.raises(ValueError):
        abc_propose([1], a_share=0.9, b_share=0.2)


@pytest.mark.django_db
def test_proposal_from_the_database_counts_b2b_accounts_without_revenue():
    for revenue in (50000, 30000, 10000, 5000, 3000, 2000, 0):
        account_with_revenue(revenue)
    account_with_revenue(90000, customer_type="b2c")  # private customers are not part of the B2B curve
    p = abc_proposal(today=TODAY)
    assert p.total_accounts == 7 and p.total_revenue == 100000.0
    assert (p.threshold_a, p.threshold_b) == (Decimal("30000.00"), Decimal("5000.00"))
