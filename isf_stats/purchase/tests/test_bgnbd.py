"""BG/NBD: golden CDNOW fit, likelihood/gradient correctness, recovery, numerically safe predictions, failures."""

import numpy as np
import pytest
from scipy import integrate, special

from isf_stats.base import ConvergenceError, NotFittedError
from isf_stats.purchase import bgnbd
from isf_stats.purchase.bgnbd import (
    BGNBDFitter,
    bgnbd_loglik_rows,
    conditional_expected_purchases,
    conditional_probability_alive,
    conditional_probability_no_purchase,
    expected_purchases,
    hyp2f1_safe,
)
from isf_stats.purchase.simulate import simulate_bgnbd

CDNOW_PARAMS = (0.243, 4.414, 0.793, 2.426)
SMALL_AB = (0.243, 4.414, 0.3, 0.4)  # a + b < 1: 2F1 with a negative third parameter for x == 0


def reference_expected_given_alive(params, t, x, T):
    """Independent reference: E[Y(t) | alive] = int_0^1 [1 - (1 + p t/(alpha+T))^-(r+x)] / p Beta(p; a, b+x) dp.

    Integrated with adaptive quadrature in u = log p (the Beta(a, b+x) mass sits near a/(a+b+x)).
    """
    r, alpha, a, b = params
    scale, log_beta = t / (alpha + T), special.betaln(a, b + x)

    def f(u):
        p = np.exp(u)
        return -np.expm1(-(r + x) * np.log1p(p * scale)) * np.exp((a - 1) * u + (b + x - 1) * np.log1p(-p) - log_beta)

    centre = np.log(a / (a + b + x))
    pts = sorted(q for q in {centre - 3, centre, min(centre + 3, -1e-3), -np.log1p(scale)} if -745 < q < 0)
    return integrate.quad(f, -745, 0, points=pts, limit=2000, epsabs=0, epsrel=1e-11)[0]


def reference_expected(params, t, x, t_x, T):
    return float(conditional_probability_alive(params, x, t_x, T)[()]) * reference_expected_given_alive(params, t, x, T)


# ----------------------------------------------------------------------------------------------------------------
# Golden fit
# ----------------------------------------------------------------------------------------------------------------
def test_golden_cdnow_fit(cdnow_model):
    p = cdnow_model.params_
    for name, published in zip(("r", "alpha", "a", "b"), CDNOW_PARAMS, strict=True):
        assert p[name] == pytest.approx(published, abs=0.001), name
    assert cdnow_model.loglik_ == pytest.approx(-9582.4, abs=0.05)
    assert cdnow_model.converged_ is True
    assert cdnow_model.n_iter_ > 0
    assert cdnow_model.n_customers_ == 2357


def test_standard_errors_match_second_differences_of_the_loglik(cdnow_summary, cdnow_model):
    """The SEs come from a Hessian of the analytic gradient; check them against plain second differences."""
    s = cdnow_summary
    theta = np.array([cdnow_model.params_[k] for k in ("r", "alpha", "a", "b")])

    def ll(p):
        return bgnbd_loglik_rows(p, s.x, s.t_x, s.T).sum()

    h = 1e-4 * theta
    hess = np.empty((4, 4))
    for i in range(4):
        for j in range(4):
            ei, ej = np.eye(4)[i] * h[i], np.eye(4)[j] * h[j]
            hess[i, j] = (ll(theta + ei + ej) - ll(theta + ei - ej) - ll(theta - ei + ej) + ll(theta - ei - ej)) / (
                4 * h[i] * h[j]
            )
    se = np.sqrt(np.diag(np.linalg.inv(-hess)))
    got = np.array([cdnow_model.standard_errors_[k] for k in ("r", "alpha", "a", "b")])
    np.testing.assert_allclose(got, se, rtol=1e-3)
    assert np.all(got / theta < 0.3)  # sanity: CDNOW identifies all four parameters


def test_loglik_equals_linear_space_formula():
    params = (0.5, 3.0, 1.2, 2.5)
    x = np.array([0, 1, 2, 7])
    t_x = np.array([0.0, 3.0, 10.0, 20.0])
    T = np.array([5.0, 12.0, 30.0, 25.0])
    r, alpha, a, b = params
    g, B = special.gamma, special.beta
    core = g(r + x) * alpha**r / g(r)
    lin = core * (B(a, b + x) / B(a, b) / (alpha + T) ** (r + x)) + np.where(
        x > 0, core * B(a + 1, np.maximum(b + x - 1, 1e-9)) / B(a, b) / (alpha + t_x) ** (r + x), 0.0
    )
    np.testing.assert_allclose(bgnbd_loglik_rows(params, x, t_x, T), np.log(lin), rtol=1e-12)
    # for a frequent buyer the linear-space pieces overflow, the log-space likelihood does not
    assert np.isfinite(bgnbd_loglik_rows(params, np.array([400]), np.array([50.0]), np.array([52.0]))).all()


def test_analytic_gradient_matches_finite_differences(cdnow_summary):
    s = cdnow_summary
    w = np.ones(len(s))
    p = np.array([0.3, 4.0, 0.9, 2.0])
    _f, grad = bgnbd._negloglik_and_grad(p, s.x.astype(float), s.t_x, s.T, w)
    num = np.empty(4)
    for i in range(4):
        h = 1e-6 * p[i]
        up, dn = p.copy(), p.copy()
        up[i] += h
        dn[i] -= h
        num[i] = -(bgnbd_loglik_rows(up, s.x, s.t_x, s.T).sum() - bgnbd_loglik_rows(dn, s.x, s.t_x, s.T).sum()) / (
            2 * h
        )
    np.testing.assert_allclose(grad, num, rtol=1e-5)


def test_weighted_unique_rows_give_the_same_fit(cdnow_summary, cdnow_model):
    s = cdnow_summary
    # every row twice with weight 1/2 is the original data set: same estimates and log-likelihood
    x = np.r_[s.x, s.x]
    tx = np.r_[s.t_x, s.t_x]
    T = np.r_[s.T, s.T]
    m = BGNBDFitter().fit(x, tx, T, weights=np.full(x.size, 0.5))
    for k, v in cdnow_model.params_.items():
        assert m.params_[k] == pytest.approx(v, rel=1e-5)
    assert m.loglik_ == pytest.approx(cdnow_model.loglik_, abs=1e-6)


# ----------------------------------------------------------------------------------------------------------------
# Recovery and failure
# ----------------------------------------------------------------------------------------------------------------
def test_parameter_recovery_on_simulated_customers():
    """20,000 simulated customers: every estimate within 4 standard errors of the truth.

    The SEs are asymptotic (inverse Hessian); with four parameters a |z| > 4 has probability < 3e-4 if they
    are right, while a biased fitter or wrong SEs would miss. The SEs must also be small (< 10 % of the
    value), so the check is not vacuous.
    """
    truth = dict(zip(("r", "alpha", "a", "b"), CDNOW_PARAMS, strict=True))
    T = np.random.default_rng(11).uniform(26.0, 39.0, 20_000)
    sim = simulate_bgnbd(*CDNOW_PARAMS, n=20_000, T=T, seed=2024)
    m = BGNBDFitter().fit(sim.x, sim.t_x, sim.T)
    for k, v in truth.items():
        se = m.standard_errors_[k]
        assert se < 0.15 * v, k
        assert abs(m.params_[k] - v) < 4 * se, (k, m.params_[k], se)


def test_all_one_time_buyers_raise_convergence_error():
    with pytest.raises(ConvergenceError, match="repeat purchase"):
        BGNBDFitter().fit(np.zeros(50), np.zeros(50), np.full(50, 10.0))


def test_identical_customers_raise_convergence_error():
    # no heterogeneity at all: the likelihood has no proper interior maximum
    with pytest.raises(ConvergenceError, match="Hessian|bound"):
        BGNBDFitter().fit(np.full(50, 3), np.full(50, 10.0), np.full(50, 10.0))


def test_iteration_limit_raises_instead_of_returning_a_guess():
    sim = simulate_bgnbd(*CDNOW_PARAMS, n=2000, T=39.0, seed=1)
    with pytest.raises(ConvergenceError, match="optimiser failed"):
        BGNBDFitter(maxiter=2).fit(sim.x, sim.t_x, sim.T)


def test_invalid_rows_and_unfitted_use_are_rejected():
    with pytest.raises(ValueError, match="t_x <= T"):
        BGNBDFitter().fit([1, 2], [5.0, 12.0], [10.0, 10.0])
    with pytest.raises(NotFittedError):
        BGNBDFitter().conditional_probability_alive([1], [1.0], [2.0])


# ----------------------------------------------------------------------------------------------------------------
# Predictions
# ----------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("params", [CDNOW_PARAMS, SMALL_AB, (2.0, 1.0, 0.2, 0.5), (0.5, 10.0, 3.0, 8.0)])
@pytest.mark.parametrize(
    "t,x,t_x,T",
    [(39, 0, 0, 38), (39, 2, 30, 38), (1e4, 0, 0, 38), (1e5, 50, 30, 38), (0.01, 3, 20, 38), (39, 5000, 37.9, 38)],
)
def test_conditional_expectation_matches_integral_reference(params, t, x, t_x, T):
    got = conditional_expected_purchases(params, t, x, t_x, T)
    assert got == pytest.approx(reference_expected(params, t, x, t_x, T), rel=1e-7, abs=1e-300)


def test_cdnow_holdout_forecast(cdnow_summary, cdnow_model, cdnow_holdout):
    s = cdnow_summary
    e = cdnow_model.conditional_expected_number_of_purchases_up_to_time(39.0, s.x, s.t_x, s.T)
    assert e.sum() == pytest.approx(1653.4, abs=0.5)  # 1,882 actual: the BG/NBD under-forecasts CDNOW a little
    assert np.abs(e - cdnow_holdout).mean() == pytest.approx(0.785, abs=0.002)
    assert e[0] == pytest.approx(reference_expected(tuple(cdnow_model.params_.values()), 39.0, 2, s.t_x[0], s.T[0]))


def test_large_x_and_t_are_safe_where_the_textbook_formula_overflows():
    r, alpha, a, b = CDNOW_PARAMS
    x, t_x, T, t = 5000.0, 37.9, 38.0, 39.0
    z = t / (alpha + T + t)
    with np.errstate(all="ignore"):
        naive_hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, z)
        naive = (a + b + x - 1) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * naive_hyp)
    assert not np.isfinite(naive)  # the regime under test really breaks the direct formula
    got = conditional_expected_purchases(CDNOW_PARAMS, t, x, t_x, T)
    assert got == pytest.approx(reference_expected(CDNOW_PARAMS, t, x, t_x, T), rel=1e-8)

    # extreme grid: finite, non-negative, below the hard bound (r+x)t/(alpha+T), monotone in t
    xs = np.array([0, 1, 10, 1e3, 1e5, 1e6])[:, None]
    ts = np.array([0.0, 1e-3, 1.0, 39.0, 1e3, 1e6, 1e8, 1e10])[None, :]
    for params in (CDNOW_PARAMS, SMALL_AB):
        e = conditional_expected_given_alive_grid(params, ts, xs)
        assert np.all(np.isfinite(e)) and np.all(e >= 0)
        assert np.all(e <= (params[0] + xs) * ts / (params[1] + 38.0) * (1 + 1e-9))
        assert np.all(np.diff(e, axis=1) >= -1e-9 * e[:, 1:])
        assert np.all(e[:, 0] == 0)
    # x = 1e5, t = 1e8 against the reference
    assert conditional_expected_purchases(SMALL_AB, 1e8, 1e5, 38.0, 38.0) == pytest.approx(
        reference_expected(SMALL_AB, 1e8, 1e5, 38.0, 38.0), rel=1e-8
    )


def conditional_expected_given_alive_grid(params, ts, xs):
    return conditional_expected_purchases(params, ts, xs, np.where(xs > 0, 38.0, 0.0), 38.0)


def test_small_a_plus_b_regime():
    """a + b < 1: for x == 0 the 2F1 has a negative third parameter and G = 1 - ... is negative."""
    ts = np.array([0.5, 1.0, 39.0, 1e3, 1e4, 1e6])
    e = expected_purchases(SMALL_AB, ts)
    ref = [reference_expected_given_alive(SMALL_AB, t, 0, 0.0) for t in ts]
    np.testing.assert_allclose(e, ref, rtol=1e-7)
    assert np.all(np.diff(e) > 0)
    c = conditional_expected_purchases(SMALL_AB, 1e4, 0, 0.0, 38.0)
    assert c == pytest.approx(reference_expected(SMALL_AB, 1e4, 0, 0.0, 38.0), rel=1e-7)
    # a == 1 and a + b == 1 are removable singularities of the closed form
    for params in [(0.5, 2.0, 1.0, 1.5), (0.5, 2.0, 0.4, 0.6)]:
        assert expected_purchases(params, 10.0) == pytest.approx(
            reference_expected_given_alive(params, 10.0, 0, 0.0), rel=1e-5
        )


def test_unconditional_expectation_agrees_with_simulation():
    sim = simulate_bgnbd(*CDNOW_PARAMS, n=200_000, T=39.0, seed=7, holdout_t=39.0)
    mean_x = sim.x.mean()
    se = sim.x.std() / np.sqrt(sim.x.size)
    assert abs(mean_x - expected_purchases(CDNOW_PARAMS, 39.0)) < 4 * se
    # holdout of the simulated customers vs the conditional forecast, in total
    e = conditional_expected_purchases(CDNOW_PARAMS, 39.0, sim.x, sim.t_x, sim.T)
    assert abs(e.sum() - sim.holdout.sum()) < 4 * np.sqrt(sim.holdout.var() * sim.x.size)


def test_probability_alive_and_no_purchase():
    p = CDNOW_PARAMS
    assert conditional_probability_alive(p, 0, 0.0, 38.0) == 1.0  # the one-time-buyer pitfall, by design
    gaps = np.array([38.0, 30.0, 20.0, 5.0, 0.5])
    alive = conditional_probability_alive(p, 3, gaps, 38.0)
    assert np.all(np.diff(alive) < 0) and alive[0] < 1 and alive[-1] > 0
    huge = conditional_probability_alive(p, np.array([1e6, 1e6]), np.array([38.0, 30.0]), 38.0)
    assert np.all(np.isfinite(huge)) and huge[1] == 0.0 and huge[0] > 0.99
    none = conditional_probability_no_purchase(p, np.array([0.0, 1.0, 39.0, 1e6]), 2, 30.0, 38.0)
    assert none[0] == 1.0 and np.all(np.diff(none) < 0) and none[-1] >= 1 - conditional_probability_alive(p, 2, 30, 38)


# ----------------------------------------------------------------------------------------------------------------
# hyp2f1_safe: scipy path and both fallbacks
# ----------------------------------------------------------------------------------------------------------------
GRID = (
    np.array([-0.5, 0.3, 1.7, 2.0]),
    np.array([-0.2, 0.8, 1.1, 0.5]),
    np.array([0.4, 3.0, 25.0, 500.0]),
    np.array([0.1, 0.5, 0.9, 0.99]),
)


def test_hyp2f1_safe_uses_scipy_when_finite():
    np.testing.assert_array_equal(hyp2f1_safe(*GRID), special.hyp2f1(*GRID))


def test_hyp2f1_safe_falls_back_to_euler_transformation(monkeypatch):
    real = special.hyp2f1
    calls = []

    def fails_first(*args):
        calls.append(1)
        return np.full(np.broadcast(*args).shape, np.nan) if len(calls) == 1 else real(*args)

    monkeypatch.setattr(bgnbd, "_hyp2f1", fails_first)
    np.testing.assert_allclose(hyp2f1_safe(*GRID), real(*GRID), rtol=1e-12)
    assert len(calls) == 2


def test_hyp2f1_safe_falls_back_to_the_series(monkeypatch):
    monkeypatch.setattr(bgnbd, "_hyp2f1", lambda *args: np.full(np.broadcast(*args).shape, np.inf))
    np.testing.assert_allclose(hyp2f1_safe(*GRID), special.hyp2f1(*GRID), rtol=1e-11)
    # a series that cannot converge in the budget gives NaN, never a wrong number
    assert np.isnan(bgnbd._hyp2f1_series(np.array([5.0]), np.array([5.0]), np.array([1.0]), np.array([0.9999]), 50))


def test_quadrature_is_the_last_resort_when_every_2f1_evaluation_fails(monkeypatch):
    monkeypatch.setattr(bgnbd, "_hyp2f1", lambda *args: np.full(np.broadcast(*args).shape, np.nan))
    monkeypatch.setattr(bgnbd, "_hyp2f1_series", lambda a, b, c, z, *rest: np.full(np.shape(z), np.nan))
    t = np.array([39.0, 1e4, 39.0])
    x = np.array([2, 0, 5000])
    t_x = np.array([30.0, 0.0, 37.9])
    got = conditional_expected_purchases(SMALL_AB, t, x, t_x, 38.0)
    ref = [reference_expected(SMALL_AB, *args, 38.0) for args in zip(t, x, t_x, strict=True)]
    np.testing.assert_allclose(got, ref, rtol=1e-8)
