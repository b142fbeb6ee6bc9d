import time
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isf_stats.purchase.summary import compress_summary, holdout_purchases, summarize_transactions


def test_hand_example_merges_same_day_and_drops_late_customers():
    cust = np.array(["A", "A", "A", "A", "B", "C", "A", "A", "A"])
    dates = np.array(
        ["2020-01-01", "2020-01-01", "2020-01-08", "2020-01-22", "2020-01-15", "2020-02-02", "2020-02-05",
         "2020-02-05", "2020-03-01"],
        dtype="datetime64[D]",
    )  # fmt: skip
    s = summarize_transactions(cust, dates, "2020-01-29")
    assert list(s.customers) == ["A", "B"]  # C's first purchase is after the calibration end
    np.testing.assert_array_equal(s.x, [2, 0])  # two rows on 2020-01-01 are one purchase
    np.testing.assert_allclose(s.t_x, [21 / 7, 0.0])
    np.testing.assert_allclose(s.T, [28 / 7, 14 / 7])
    assert s.last_purchase[0] == np.datetime64("2020-01-22")

    hold = holdout_purchases(cust, dates, "2020-01-29", "2020-02-29", s.customers)
    np.testing.assert_array_equal(hold, [1, 0])  # two rows on 02-05 = 1; 03-01 is after observation end; C ignored

    days = summarize_transactions(cust, dates, "2020-01-29", time_unit_days=1)
    np.testing.assert_allclose(days.T, [28, 14])


def test_cdnow_summary_matches_published_data(cdnow_summary, cdnow_holdout):
    s = cdnow_summary
    assert len(s) == 2357
    assert int(s.x.sum()) == 2457
    assert int((s.x == 0).sum()) == 1411
    # customer 1 of Fader & Hardie's file: x = 2, t_x = 30.43, T = 38.86 weeks
    assert s.customers[0] == 1
    assert (s.x[0], round(s.t_x[0], 2), round(s.T[0], 2)) == (2, 30.43, 38.86)
    assert int(cdnow_holdout.sum()) == 1882


def test_string_and_integer_ids_give_the_same_summary(cdnow):
    as_int = summarize_transactions(cdnow.customer, cdnow.date, "1997-09-30")
    as_str = summarize_transactions(np.char.zfill(cdnow.customer.astype(str), 5), cdnow.date, "1997-09-30")
    np.testing.assert_array_equal(as_int.x, as_str.x)
    np.testing.assert_array_equal(as_int.t_x, as_str.t_x)


def test_compression_round_trip(cdnow_summary):
    s = cdnow_summary
    c = compress_summary(s.x, s.t_x, s.T)
    assert c.weight.sum() == len(s)
    assert c.x.size < len(s) / 2  # the cohort shares many rows
    np.testing.assert_array_equal(c.x[c.inverse], s.x)
    np.testing.assert_array_equal(c.t_x[c.inverse], s.t_x)
    np.testing.assert_array_equal(c.T[c.inverse], s.T)
    rows = set(zip(c.x.tolist(), c.t_x.tolist(), c.T.tolist(), strict=True))
    assert len(rows) == c.x.size  # unique


def _naive(rows, cal_end, obs_end, unit):
    by_cust = {}
    for cust, day in rows:
        by_cust.setdefault(cust, set()).add(day)
    out = {}
    for cust, days in by_cust.items():
        cal = sorted(d for d in days if d <= cal_end)
        if not cal:
            continue
        hold = sum(1 for d in days if cal_end < d <= obs_end)
        out[cust] = (len(cal) - 1, (cal[-1] - cal[0]).days / unit, (cal_end - cal[0]).days / unit, hold)
    return out


@settings(max_examples=60, deadline=None, database=None)
@given(
    rows=st.lists(st.tuples(st.integers(0, 8), st.integers(0, 60)), min_size=1, max_size=60),
    cal=st.integers(0, 60),
    unit=st.sampled_from([1.0, 7.0, 30.0]),
)
def test_vectorised_summary_equals_naive_loop(rows, cal, unit):
    base = date(2021, 1, 1)
    rows_d = [(c, base + timedelta(days=d)) for c, d in rows]
    cal_end, obs_end = base + timedelta(days=cal), base + timedelta(days=cal + 20)
    expected = _naive(rows_d, cal_end, obs_end, unit)
    cust = np.array([c for c, _ in rows_d])
    dates = np.array([d for _, d in rows_d], dtype="datetime64[D]")
    s = summarize_transactions(cust, dates, cal_end, time_unit_days=unit)
    hold = holdout_purchases(cust, dates, cal_end, obs_end, s.customers)
    got = {int(c): (int(x), tx, T, int(h)) for c, x, tx, T, h in zip(s.customers, s.x, s.t_x, s.T, hold, strict=True)}
    assert got.keys() == expected.keys()
    for c, (x, tx, T, h) in expected.items():
        assert got[c][0] == x and got[c][3] == h
        assert got[c][1] == pytest.approx(tx) and got[c][2] == pytest.approx(T)


def test_three_million_rows_are_fast():
    rng = np.random.default_rng(0)
    n = 3_000_000
    cust = rng.integers(0, 300_000, n)
    dates = (np.datetime64("2020-01-01") + rng.integers(0, 1500, n)).astype("datetime64[D]")
    started = time.perf_counter()
    s = summarize_transactions(cust, dates, "2023-06-30")
    elapsed = time.perf_counter() - started
    assert len(s) == np.count_nonzero(np.bincount(cust[dates <= np.datetime64("2023-06-30")]))
    assert int(s.x.sum()) + len(s) <= n
    # ~0.5 s on a 2-core machine; the bound leaves room for a loaded CI box but catches any per-row Python loop
    assert elapsed < 5.0, f"summary of 3M rows took {elapsed:.2f} s"


def test_mismatched_inputs_are_rejected():
    with pytest.raises(ValueError, match="equal length"):
        summarize_transactions(np.array([1, 2]), np.array(["2020-01-01"], dtype="datetime64[D]"), "2020-02-01")
    with pytest.raises(ValueError, match="positive"):
        summarize_transactions(np.array([1]), np.array(["2020-01-01"], dtype="datetime64[D]"), "2020-02-01", 0)
