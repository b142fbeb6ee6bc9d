from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isf_stats.purchase.features import customer_features, dropped_product_groups, inter_order_gaps

AS_OF = date(2024, 6, 30)


def _day(days_ago: int) -> date:
    return AS_OF - timedelta(days=days_ago)


def _arrays(rows):
    cust = np.array([r[0] for r in rows])
    dates = np.array([_day(r[1]) for r in rows], dtype="datetime64[D]")
    revenue = np.array([r[2] for r in rows], dtype=float)
    groups = np.array([r[3] for r in rows])
    return cust, dates, revenue, groups


def test_recency_frequency_intervals_and_revenue_trend():
    rows = [
        # customer 1: orders 500, 477, 454, 431 days ago (every 23 days) and 61 days ago; two lines on one day
        (1, 500, 100.0, "toner"), (1, 477, 100.0, "toner"), (1, 454, 50.0, "toner"), (1, 454, 50.0, "paper"),
        (1, 431, 100.0, "toner"), (1, 61, 30.0, "paper"),
        # customer 2: a single order 10 days ago
        (2, 10, 80.0, "paper"),
        # customer 3: orders only after as_of are ignored entirely
        (3, -5, 999.0, "paper"),
    ]  # fmt: skip
    cust, dates, rev, _groups = _arrays(rows)
    f = customer_features(cust, dates, rev, AS_OF)
    assert list(f.customers) == [1, 2]
    np.testing.assert_array_equal(f.n_orders, [5, 1])  # same-day lines are one order
    np.testing.assert_array_equal(f.recency_days, [61, 10])
    np.testing.assert_array_equal(f.tenure_days, [500, 10])
    gaps = np.array([23, 23, 23, 370])
    assert f.mean_interval_days[0] == pytest.approx(gaps.mean())
    assert f.std_interval_days[0] == pytest.approx(gaps.std(ddof=1))
    assert np.isnan(f.mean_interval_days[1]) and np.isnan(f.std_interval_days[1])
    # last 12 months: only the order 61 days ago (30); the 12 months before: 500..431 days ago (400)
    np.testing.assert_allclose(f.revenue_last_12m, [30.0, 80.0])
    np.testing.assert_allclose(f.revenue_prev_12m, [400.0, 0.0])
    assert f.revenue_ratio[0] == pytest.approx(0.075)
    assert np.isnan(f.revenue_ratio[1])


def test_dropped_groups_use_each_groups_own_interval():
    rows = []
    rows += [(1, d, 10.0, "toner") for d in (190, 160, 130, 100)]  # every 30 d, quiet 100 d > max(90, 60)
    rows += [(1, d, 10.0, "paper") for d in (250, 190, 130, 70)]  # every 60 d, quiet 70 d < 120
    rows += [(1, d, 10.0, "drum") for d in (600, 400, 200)]  # every 200 d, quiet 200 d < 400: not dropped
    rows += [(1, d, 10.0, "ink") for d in (300, 200)]  # two orders only: not regular
    rows += [(1, d, 10.0, "old") for d in (900, 800, 300)]  # only one order in the last 24 months
    rows += [(2, d, 10.0, "toner") for d in (500, 480, 460, 440)]  # every 20 d, quiet 440 > 90
    rows += [(2, 5, 10.0, "paper")]
    cust, dates, rev, groups = _arrays(rows)
    f = customer_features(cust, dates, rev, AS_OF)
    d = dropped_product_groups(cust, dates, groups, AS_OF, customers=f.customers)
    got = sorted(zip(f.customers[d.customer_index].tolist(), d.group.tolist(), strict=True))
    assert got == [(1, "toner"), (2, "toner")]
    by = {(int(f.customers[i]), g): k for k, (i, g) in enumerate(zip(d.customer_index, d.group, strict=True))}
    k = by[(1, "toner")]
    assert (d.interval_days[k], d.days_since[k], d.threshold_days[k], d.n_orders_24m[k]) == (30.0, 100, 90.0, 4)
    assert d.threshold_days[by[(2, "toner")]] == 90.0
    np.testing.assert_array_equal(d.regular_per_customer, [3, 1])  # toner, paper, drum | toner


def test_inter_order_gaps_number_the_gaps_per_customer():
    rows = [(1, 30, 1.0, "a"), (1, 20, 1.0, "a"), (1, 5, 1.0, "a"), (2, 9, 1.0, "a"), (2, 3, 1.0, "a")]
    cust, dates, _rev, _g = _arrays(rows)
    customers, idx, number, gap = inter_order_gaps(cust, dates, AS_OF)
    assert list(customers) == [1, 2]
    assert list(zip(idx.tolist(), number.tolist(), gap.tolist(), strict=True)) == [(0, 0, 10), (0, 1, 15), (1, 0, 6)]


@settings(max_examples=50, deadline=None, database=None)
@given(
    rows=st.lists(
        st.tuples(st.integers(0, 5), st.integers(-20, 900), st.sampled_from(["a", "b", "c"])), min_size=1, max_size=80
    )
)
def test_features_equal_naive_loops(rows):
    cust = np.array([c for c, _, _ in rows])
    dates = np.array([_day(d) for _, d, _ in rows], dtype="datetime64[D]")
    groups = np.array([g for _, _, g in rows])
    rev = np.arange(len(rows), dtype=float) + 1.0
    past = [(c, d, g, v) for (c, d, g), v in zip(rows, rev, strict=True) if d >= 0]
    if not past:
        return
    f = customer_features(cust, dates, rev, AS_OF)
    for i, c in enumerate(f.customers):
        days = sorted({d for cc, d, _, _ in past if cc == c}, reverse=True)  # days ago, most recent last
        assert f.n_orders[i] == len(days)
        assert f.recency_days[i] == min(days)
        gaps = -np.diff(days)
        if len(gaps):
            assert f.mean_interval_days[i] == pytest.approx(gaps.mean())
        assert f.revenue_last_12m[i] == pytest.approx(sum(v for cc, d, _, v in past if cc == c and d < 365))
    d = dropped_product_groups(cust, dates, groups, AS_OF, customers=f.customers)
    expected = set()
    for c in f.customers:
        for g in "abc":
            days = sorted({dd for cc, dd, gg, _ in past if cc == c and gg == g and dd < 730})
            if len(days) >= 3:
                interval = (days[-1] - days[0]) / (len(days) - 1)
                if days[0] > max(90.0, 2 * interval):
                    expected.add((int(c), g))
    got = {(int(f.customers[i]), str(g)) for i, g in zip(d.customer_index, d.group, strict=True)}
    assert got == expected
