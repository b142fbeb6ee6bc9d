import numpy as np
import pytest

from isf_stats.purchase.bgnbd import BGNBDFitter
from isf_stats.purchase.metrics import roc_auc
from isf_stats.purchase.risk import at_risk_scores, format_reason
from isf_stats.purchase.simulate import simulate_transactions
from isf_stats.purchase.summary import holdout_purchases, summarize_transactions

from .conftest import CALIBRATION_END, HOLDOUT_WEEKS

HOLDOUT_DAYS = int(HOLDOUT_WEEKS * 7)


def test_format_reason_in_both_languages():
    params = {"interval_days": 23, "days_since": 61}
    assert format_reason("overdue", params, "en") == "orders about every 23 days; last order 61 days ago"
    assert format_reason("overdue", params, "de") == "bestellt etwa alle 23 Tage; letzte Bestellung vor 61 Tagen"
    few = {"expected": 0.3, "historical": 2.0, "horizon_days": 90}
    assert format_reason("few_expected", few, "de") == (
        "erwartet 0,3 Bestellungen in den nächsten 90 Tagen; bisher 2 je 90 Tage"
    )
    assert format_reason("revenue_drop", {"pct": 40}, "en") == (
        "revenue in the last 12 months 40 % below the 12 months before"
    )
    with pytest.raises(KeyError, match="unknown reason"):
        format_reason("nope", {}, "en")
    with pytest.raises(KeyError, match="available: en, de"):
        format_reason("overdue", params, "fr")


@pytest.fixture(scope="module")
def cdnow_risk(cdnow):
    return at_risk_scores(cdnow.customer, cdnow.date, CALIBRATION_END, horizon_days=HOLDOUT_DAYS)


def test_cdnow_risk_auc_beats_expected_purchases(cdnow_summary, cdnow_model, cdnow_holdout, cdnow_risk):
    s = cdnow_summary
    no_purchase = cdnow_holdout == 0
    expected = cdnow_model.conditional_expected_number_of_purchases_up_to_time(HOLDOUT_WEEKS, s.x, s.t_x, s.T)
    auc_expected = roc_auc(no_purchase, -expected)
    auc_risk = roc_auc(no_purchase, cdnow_risk.score)
    assert auc_expected == pytest.approx(0.7725, abs=0.001)
    assert 0.76 < auc_risk < 0.82
    assert auc_risk > auc_expected + 0.005, (auc_risk, auc_expected)
    assert cdnow_risk.method == "backtest-logistic"
    np.testing.assert_array_equal(cdnow_risk.customers, s.customers)
    assert np.all((cdnow_risk.score > 0) & (cdnow_risk.score < 1))


def test_one_time_buyers_are_not_ignored(cdnow_summary, cdnow_model, cdnow_risk):
    s = cdnow_summary
    one_time = s.x == 0
    # the BG/NBD calls every one-time buyer certainly alive ...
    assert np.all(cdnow_model.conditional_probability_alive(s.x, s.t_x, s.T)[one_time] == 1.0)
    # ... ISF's score does not: they are over-represented among the highest risks, and their overdue signal is high
    top = cdnow_risk.score >= np.quantile(cdnow_risk.score, 0.75)
    assert one_time[top].mean() > one_time.mean() + 0.2
    assert cdnow_risk.signals["overdue"][one_time].min() > 0.9  # months without a second order


def test_no_information_from_after_as_of_is_used(cdnow, cdnow_risk):
    keep = cdnow.date <= np.datetime64(CALIBRATION_END)
    only_past = at_risk_scores(cdnow.customer[keep], cdnow.date[keep], CALIBRATION_END, horizon_days=HOLDOUT_DAYS)
    np.testing.assert_array_equal(only_past.score, cdnow_risk.score)


def test_risk_auc_beats_expected_purchases_on_simulated_churn():
    """BG/NBD buyers plus churn in calendar time (exponential lifetimes): one-time buyers can leave too."""
    tr = simulate_transactions(
        0.5, 5.0, 0.5, 5.0, n=20_000, start="2020-01-01", end="2021-09-30",
        acquisition_days=90, lifetime_shape=2.0, lifetime_rate=60.0, seed=0,
    )  # fmt: skip
    cal_end, obs_end = "2020-12-31", "2021-09-30"
    s = summarize_transactions(tr.customer, tr.date, cal_end)
    no_purchase = holdout_purchases(tr.customer, tr.date, cal_end, obs_end, s.customers) == 0
    model = BGNBDFitter().fit(s.x, s.t_x, s.T)
    expected = model.conditional_expected_number_of_purchases_up_to_time(273 / 7, s.x, s.t_x, s.T)
    risk = at_risk_scores(tr.customer, tr.date, cal_end, horizon_days=273)
    auc_expected, auc_risk = roc_auc(no_purchase, -expected), roc_auc(no_purchase, risk.score)
    assert 0.8 < auc_expected < 0.9
    assert 0.8 < auc_risk < 0.92
    assert auc_risk > auc_expected, (auc_risk, auc_expected)


def _customer_with_history():
    """A regular customer: an order every 23 days from 682 to 61 days before as_of.

    Revenue 100 per order until a year ago, 20 since; paper bought with every order until 153 days ago.
    """
    as_of = np.datetime64("2023-12-31")
    days_ago = 61 + 23 * np.arange(28)
    dates = as_of - days_ago
    revenue = np.where(days_ago >= 365, 100.0, 20.0)
    paper = days_ago >= 150
    cust = np.full(days_ago.size + paper.sum(), 999_999)
    return (
        as_of,
        cust,
        np.r_[dates, dates[paper]],
        np.r_[revenue, np.zeros(paper.sum())],
        np.r_[np.full(days_ago.size, "toner"), np.full(paper.sum(), "paper")],
    )


def test_reasons_for_a_lapsing_regular_customer():
    as_of, c_cust, c_dates, c_rev, c_groups = _customer_with_history()
    tr = simulate_transactions(0.243, 4.414, 0.793, 2.426, n=3000, start="2021-01-01", end="2023-12-31", seed=5)
    rng = np.random.default_rng(5)
    cust = np.r_[tr.customer, c_cust]
    dates = np.r_[tr.date, c_dates]
    revenue = np.r_[rng.gamma(2.0, 30.0, tr.customer.size), c_rev]
    groups = np.r_[rng.choice(["toner", "paper"], tr.customer.size), c_groups]
    res = at_risk_scores(cust, dates, as_of, horizon_days=90, revenue=revenue, groups=groups)
    assert res.method == "backtest-logistic" and res.horizon_days == 90
    i = int(np.flatnonzero(res.customers == 999_999)[0])
    reasons = {r["code"]: r["params"] for r in res.reasons(i)}
    assert reasons["overdue"] == {"interval_days": 23, "days_since": 61}
    # revenue: 14 orders x 100 in the year before (682..383 days ago), 14 x 20 in the last year (360..61)
    assert reasons["revenue_drop"] == {"pct": 80}
    assert reasons["group_dropped"] == {"group": "paper", "interval_days": 23, "days_since": 153}
    assert res.signals["group_dropped"][i] == 0.5  # paper dropped, toner not (61 days < 90)
    texts = [format_reason(r["code"], r["params"], "de") for r in res.reasons(i)]
    assert "bestellt etwa alle 23 Tage; letzte Bestellung vor 61 Tagen" in texts
    assert all(0.0 <= v[i] <= 1.0 for v in res.signals.values())


def test_short_history_falls_back_to_rank_average():
    cust = np.array([1, 1, 2, 3, 3, 3])
    dates = np.array(
        ["2024-01-01", "2024-01-20", "2024-01-05", "2024-01-02", "2024-01-09", "2024-01-16"], dtype="datetime64[D]"
    )
    res = at_risk_scores(cust, dates, "2024-01-31", horizon_days=30)
    assert res.method == "rank-average"
    assert res.score.shape == (3,) and np.all((res.score >= 0) & (res.score <= 1))
    # customer 2 (one order, 26 days ago) is the most overdue against the population's reorder times
    assert res.signals["overdue"][1] == res.signals["overdue"].max()
