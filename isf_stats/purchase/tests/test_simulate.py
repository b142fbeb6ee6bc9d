import numpy as np

from isf_stats.purchase.simulate import simulate_bgnbd, simulate_transactions
from isf_stats.purchase.summary import summarize_transactions

PARAMS = (0.243, 4.414, 0.793, 2.426)


def test_summary_simulation_is_reproducible_and_consistent():
    a = simulate_bgnbd(*PARAMS, n=5000, T=39.0, seed=3, holdout_t=10.0)
    b = simulate_bgnbd(*PARAMS, n=5000, T=39.0, seed=3, holdout_t=10.0)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.t_x, b.t_x)
    assert not np.array_equal(a.x, simulate_bgnbd(*PARAMS, n=5000, T=39.0, seed=4).x)
    assert np.all((a.t_x >= 0) & (a.t_x <= a.T))
    assert np.all(a.t_x[a.x == 0] == 0) and np.all(a.t_x[a.x > 0] > 0)
    assert np.all(a.holdout[~a.alive] == 0)  # the dead do not buy
    assert a.holdout[a.alive].sum() > 0


def test_transaction_simulation_matches_model_and_lifetimes_cut_purchases():
    kw = dict(n=20_000, start="2020-01-01", end="2020-12-31", acquisition_days=1, seed=9)
    tr = simulate_transactions(*PARAMS, **kw)
    assert np.all(np.diff(tr.customer) >= 0)
    assert np.unique(tr.customer).size == 20_000  # every customer has the first purchase
    s = summarize_transactions(tr.customer, tr.date, "2020-12-31")
    direct = simulate_bgnbd(*PARAMS, n=20_000, T=s.T, seed=1)
    # same model: mean repeat purchases agree within sampling error (merging same-day purchases costs a little)
    se = np.hypot(s.x.std(), direct.x.std()) / np.sqrt(20_000)
    assert abs(s.x.mean() - direct.x.mean()) < 4 * se + 0.02
    churned = simulate_transactions(*PARAMS, lifetime_shape=2.0, lifetime_rate=20.0, **kw)
    assert churned.customer.size < 0.8 * tr.customer.size
