"""BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting your customers the easy way").

Model, per customer: while alive, purchases follow a Poisson process with rate ``lambda ~ Gamma(r, alpha)``;
after every repeat purchase the customer drops out with probability ``p ~ Beta(a, b)``. The data per
customer are ``(x, t_x, T)`` (see :mod:`isf_stats.purchase.summary`).

Why the implementation looks the way it does:

* **Log space.** The likelihood has Gamma and Beta functions of ``r + x`` and ``b + x``; for frequent buyers
  these overflow in linear space, so the log-likelihood uses ``gammaln``/``betaln`` and combines the
  "still alive" and "dropped out after the last purchase" terms by log-sum-exp (``np.logaddexp``).
* **Log parameters.** All four parameters are positive; optimising their logarithms removes the bounds and
  makes the problem better scaled. An analytic gradient lets L-BFGS-B converge tightly (the CDNOW golden
  values are reproduced to 1e-3).
* **Weighted unique rows.** Cohorts share many identical ``(x, t_x, T)`` rows; the fit runs on the
  compressed rows with integer weights.
* **No silent garbage.** A fit that fails, runs to the parameter bounds (the maximum is at infinity, e.g.
  nobody ever repeats) or stops at a point whose Hessian is not positive definite raises
  :class:`~isf_stats.base.ConvergenceError`.
* **Safe predictions.** The conditional expectation needs ``2F1(r+x, b+x; a+b+x-1; z)``, which overflows for
  large ``x`` (and is multiplied by an underflowing power). We use Euler's transformation so that only
  ``2F1(a+b-1-r, a-1; a+b+x-1; z)`` with bounded upper parameters is needed; see :func:`hyp2f1_safe`.
"""

from __future__ import annotations

import numpy as np
from scipy import integrate, optimize, special

from isf_stats.base import BaseFitter, ConvergenceError
from isf_stats.purchase.summary import _factorize, compress_summary

__all__ = ["BGNBDFitter", "bgnbd_loglik_rows", "hyp2f1_safe", "conditional_probability_alive",
           "conditional_expected_purchases", "conditional_probability_no_purchase", "expected_purchases"]  # fmt: skip

_hyp2f1 = special.hyp2f1  # module-level indirection so tests can simulate scipy failing
_LOG_BOUND = 18.0  # |log(param)| beyond this means the optimum is at 0 or infinity (e^18 ~ 6.6e7)


# --------------------------------------------------------------------------------------------------------------
# Likelihood
# --------------------------------------------------------------------------------------------------------------
def _rows(x, t_x, T):
    x = np.asarray(x, dtype=float)
    t_x = np.asarray(t_x, dtype=float)
    T = np.asarray(T, dtype=float)
    return np.broadcast_arrays(x, t_x, T)


def _x_index(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of ``x`` and each row's index into them.

    Every Gamma/Beta/digamma term of the likelihood depends on ``x`` only, and a customer base has a few
    hundred distinct purchase counts at most, so these terms are evaluated once per distinct ``x``.
    """
    xi = x.astype(np.int64)
    if x.size and xi.min() >= 0 and np.array_equal(xi, x):
        xu, inv = _factorize(xi)
        return xu.astype(float), inv
    return x, np.arange(x.size)


def _loglik_parts(params, x, t_x, T, xu, inv):
    r, alpha, a, b = params
    rep_u = xu > 0
    b3_u = np.full(xu.shape, -np.inf)  # log B(a+1, b+x-1) - log B(a, b); the term does not exist for x == 0
    b3_u[rep_u] = special.betaln(a + 1.0, b + xu[rep_u] - 1.0) - special.betaln(a, b)
    a1 = (special.gammaln(r + xu) - special.gammaln(r) + r * np.log(alpha))[inv]
    a2 = (special.betaln(a, b + xu) - special.betaln(a, b))[inv] - (r + x) * np.log(alpha + T)
    with np.errstate(invalid="ignore"):  # -inf + finite is fine; no inf - inf can occur
        a3 = b3_u[inv] - (r + x) * np.log(alpha + t_x)
    # log-sum-exp of the two terms; np.logaddexp is the two-term logsumexp (exact, and much faster than
    # scipy.special.logsumexp over a stacked array). a3 = -inf for x == 0 drops the second term.
    lse = np.logaddexp(a2, a3)
    return a1, a2, a3, lse


def bgnbd_loglik_rows(params, x, t_x, T) -> np.ndarray:
    """Log-likelihood of each ``(x, t_x, T)`` row under ``params = (r, alpha, a, b)`` (FHL 2005, eq. 6)."""
    x, t_x, T = (np.ravel(v) for v in _rows(x, t_x, T))
    a1, _a2, _a3, lse = _loglik_parts(params, x, t_x, T, *_x_index(x))
    return a1 + lse


def _negloglik_and_grad(params, x, t_x, T, w, xu=None, inv=None):
    """Weighted negative log-likelihood and its gradient in the natural parameters."""
    if xu is None:
        xu, inv = _x_index(x)
    r, alpha, a, b = params
    a1, a2, a3, lse = _loglik_parts(params, x, t_x, T, xu, inv)
    p2 = np.exp(a2 - lse)  # posterior weight of "alive at T"
    p3 = np.exp(a3 - lse)  # posterior weight of "dropped out right after the last purchase"
    psi = special.digamma
    common = (psi(a + b) - psi(a + b + xu))[inv]
    psi_b1_u = np.zeros_like(xu)  # psi(b+x-1), only used where p3 > 0, i.e. x > 0
    psi_b1_u[xu > 0] = psi(b + xu[xu > 0] - 1.0)
    log_at, log_atx = np.log(alpha + T), np.log(alpha + t_x)
    d_r = (psi(r + xu) - psi(r))[inv] + np.log(alpha) - p2 * log_at - p3 * log_atx
    d_alpha = r / alpha - (r + x) * (p2 / (alpha + T) + p3 / (alpha + t_x))
    d_a = common + p3 / a
    d_b = common + p2 * psi(b + xu)[inv] + p3 * psi_b1_u[inv] - psi(b)
    # np.sum(w * v) rather than w @ v: a BLAS dot wakes OpenBLAS threads, which costs more than it saves here
    grad = -np.array([np.sum(w * d_r), np.sum(w * d_alpha), np.sum(w * d_a), np.sum(w * d_b)])
    return -np.sum(w * (a1 + lse)), grad


# --------------------------------------------------------------------------------------------------------------
# Fitter
# --------------------------------------------------------------------------------------------------------------
class BGNBDFitter(BaseFitter):
    """Maximum-likelihood BG/NBD fitter.

    Hyperparameters: ``tol`` (projected-gradient tolerance on the mean log-likelihood), ``maxiter``,
    ``initial_params`` (dict or None for a data-driven start).

    After :meth:`fit`: ``params_`` {r, alpha, a, b}, ``loglik_``, ``standard_errors_``, ``covariance_``
    (4x4, natural parameters, order r, alpha, a, b), ``n_iter_``, ``converged_``, ``n_customers_``.
    """

    param_names = ("r", "alpha", "a", "b")

    def __init__(self, tol: float = 1e-10, maxiter: int = 5000, initial_params: dict | None = None):
        self.tol = tol
        self.maxiter = maxiter
        self.initial_params = initial_params

    # -- fitting -------------------------------------------------------------------------------------------------
    def fit(self, x, t_x, T, weights=None) -> BGNBDFitter:
        """Fit on per-customer arrays (compressed internally) or on unique rows with ``weights``."""
        x, t_x, T = (np.asarray(v, dtype=float).ravel() for v in (x, t_x, T))
        _validate_rows(x, t_x, T)
        if weights is None:
            comp = compress_summary(x.astype(np.int64), t_x, T)
            x, t_x, T, w = comp.x.astype(float), comp.t_x, comp.T, comp.weight.astype(float)
        else:
            w = np.asarray(weights, dtype=float).ravel()
            if w.size != x.size or not np.all(w >= 0):
                raise ValueError("weights must be non-negative and match x")
        if not np.any((x > 0) & (w > 0)):
            raise ConvergenceError("no customer made a repeat purchase: the BG/NBD parameters are not identified")

        n = w.sum()
        xu, inv = _x_index(x)

        def objective(theta):
            params = np.exp(theta)
            f, g = _negloglik_and_grad(params, x, t_x, T, w, xu, inv)
            return f / n, g * params / n  # chain rule d/dlog(p) = p d/dp; mean scale makes tol data-size free

        best = None
        for start in self._starts(x, T, w):
            with np.errstate(all="ignore"):
                res = optimize.minimize(
                    objective,
                    np.log(start),
                    jac=True,
                    method="L-BFGS-B",
                    bounds=[(-_LOG_BOUND, _LOG_BOUND)] * 4,
                    options={"maxiter": self.maxiter, "ftol": 1e-15, "gtol": self.tol, "maxcor": 20},
                )
            if np.isfinite(res.fun) and (best is None or res.fun < best.fun):
                best = res
            if best is not None and best.success and np.all(np.abs(best.x) < _LOG_BOUND - 1e-3):
                break  # a proper interior optimum; further starts only cost time
        if best is None:
            raise ConvergenceError("BG/NBD likelihood was not finite at any starting point")
        theta = best.x
        at_bound = np.abs(theta) > _LOG_BOUND - 1e-3
        if at_bound.any():
            names = [p for p, hit in zip(self.param_names, at_bound, strict=True) if hit]
            raise ConvergenceError(
                f"BG/NBD fit ran to the parameter bound for {', '.join(names)}: the maximum-likelihood estimate "
                "is at zero or infinity (too little repeat-purchase variation for this model)"
            )
        grad_norm = float(np.max(np.abs(best.jac)))
        if not best.success and grad_norm > 1e-6:
            raise ConvergenceError(f"BG/NBD optimiser failed: {best.message} (max |gradient| {grad_norm:.2e})")

        params = np.exp(theta)
        hess = _numerical_hessian(lambda p: _negloglik_and_grad(p, x, t_x, T, w, xu, inv)[1], params)
        try:
            chol = np.linalg.cholesky(hess)
        except np.linalg.LinAlgError:
            raise ConvergenceError(
                "BG/NBD fit stopped at a point whose Hessian is not positive definite (no proper maximum)"
            ) from None
        inv_chol = np.linalg.solve(chol, np.eye(4))
        cov = inv_chol.T @ inv_chol

        self.params_ = dict(zip(self.param_names, (float(v) for v in params), strict=True))
        self.loglik_ = float(-best.fun * n)
        self.covariance_ = cov
        self.standard_errors_ = dict(zip(self.param_names, (float(v) for v in np.sqrt(np.diag(cov))), strict=True))
        self.n_iter_ = int(best.nit)
        self.n_customers_ = int(round(n))
        self.converged_ = True
        return self

    def _starts(self, x, T, w):
        if self.initial_params is not None:
            yield np.array([float(self.initial_params[k]) for k in self.param_names])
            return
        mean_T = float(np.average(T, weights=w)) or 1.0
        mean_rate = max(float(np.average(x, weights=w)) / mean_T, 1e-6)
        # r=1 and alpha=1/mean rate match the mean purchase rate; a=1, b=3 is a mild 25 % drop-out prior.
        yield np.array([1.0, 1.0 / mean_rate, 1.0, 3.0])
        yield np.array([1.0, 1.0, 1.0, 1.0])

    # -- predictions ---------------------------------------------------------------------------------------------
    @property
    def _p(self) -> tuple[float, float, float, float]:
        self._check_fitted()
        return tuple(self.params_[k] for k in self.param_names)

    def conditional_probability_alive(self, x, t_x, T) -> np.ndarray:
        """P(customer still alive at T | x, t_x, T); see :func:`conditional_probability_alive`."""
        return conditional_probability_alive(self._p, x, t_x, T)

    def conditional_expected_number_of_purchases_up_to_time(self, t, x, t_x, T) -> np.ndarray:
        """E[purchases in (T, T+t] | x, t_x, T]; see :func:`conditional_expected_purchases`."""
        return conditional_expected_purchases(self._p, t, x, t_x, T)

    def conditional_probability_no_purchase(self, t, x, t_x, T) -> np.ndarray:
        """P(no purchase in (T, T+t] | x, t_x, T)."""
        return conditional_probability_no_purchase(self._p, t, x, t_x, T)

    def expected_number_of_purchases_up_to_time(self, t) -> np.ndarray:
        """Unconditional E[X(t)] for a customer acquired at time 0."""
        return expected_purchases(self._p, t)


def _validate_rows(x, t_x, T) -> None:
    if not (x.size == t_x.size == T.size) or x.size == 0:
        raise ValueError("x, t_x and T must be non-empty arrays of equal length")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(t_x)) and np.all(np.isfinite(T))):
        raise ValueError("x, t_x and T must be finite")
    if np.any(x < 0) or np.any(x != np.round(x)):
        raise ValueError("x must be non-negative integers")
    if np.any(t_x < 0) or np.any(t_x > T + 1e-9):
        raise ValueError("need 0 <= t_x <= T")
    if np.any((x == 0) & (t_x != 0)):
        raise ValueError("t_x must be 0 when x == 0")


def _numerical_hessian(grad, params: np.ndarray) -> np.ndarray:
    """Central differences of the analytic gradient, relative steps; symmetrised."""
    k = params.size
    hess = np.empty((k, k))
    for j in range(k):
        h = 1e-5 * params[j]
        up, down = params.copy(), params.copy()
        up[j] += h
        down[j] -= h
        hess[:, j] = (grad(up) - grad(down)) / (2.0 * h)
    return 0.5 * (hess + hess.T)


# --------------------------------------------------------------------------------------------------------------
# Predictions (module-level so that they can be used with stored parameters)
# --------------------------------------------------------------------------------------------------------------
def conditional_probability_alive(params, x, t_x, T) -> np.ndarray:
    """P(alive at T | x, t_x, T) = 1 / (1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)), in log space.

    Pitfall: the BG/NBD lets customers drop out only *after a repeat purchase*, so for ``x == 0`` this is
    exactly 1, however long ago the single purchase was. Ranking by P(alive) therefore never flags one-time
    buyers as lost; ISF's risk score (:mod:`isf_stats.purchase.risk`) corrects for that.
    """
    r, alpha, a, b = params
    x, t_x, T = _rows(x, t_x, T)
    rep = x > 0
    log_odds_dead = np.full(x.shape, -np.inf)
    xr = x[rep]
    log_odds_dead[rep] = (
        np.log(a) - np.log(b + xr - 1.0) + (r + xr) * (np.log(alpha + T[rep]) - np.log(alpha + t_x[rep]))
    )
    return special.expit(-log_odds_dead)


def conditional_probability_no_purchase(params, t, x, t_x, T) -> np.ndarray:
    """P(Y(t) = 0 | x, t_x, T) = 1 - P(alive) + P(alive) ((alpha+T)/(alpha+T+t))^(r+x).

    Given alive, lambda ~ Gamma(r+x, alpha+T); a purchase in (T, T+t] needs one Poisson event (dropout only
    happens after a purchase, so it cannot prevent the first one).
    """
    r, alpha, a, b = params
    t = np.asarray(t, dtype=float)
    x, t_x, T, t = np.broadcast_arrays(*_rows(x, t_x, T), t)
    alive = conditional_probability_alive(params, x, t_x, T)
    log_none_if_alive = -(r + x) * np.log1p(t / (alpha + T))
    return 1.0 - alive * -np.expm1(log_none_if_alive)


def hyp2f1_safe(a, b, c, z) -> np.ndarray:
    """Gauss hypergeometric 2F1(a, b; c; z) for 0 <= z < 1 that does not return NaN/inf where avoidable.

    1. ``scipy.special.hyp2f1`` (accurate almost everywhere);
    2. where that is not finite: Euler's transformation 2F1(a,b;c;z) = (1-z)^(c-a-b) 2F1(c-a, c-b; c; z),
       with the power evaluated in log space;
    3. where that is still not finite: the power series, summed term by term (the ratio of consecutive
       terms is (a+n)(b+n) z / ((c+n)(n+1)), so it converges geometrically like z^n).
    """
    a, b, c, z = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (a, b, c, z)))
    with np.errstate(all="ignore"):
        out = np.array(_hyp2f1(a, b, c, z), dtype=float, ndmin=1).reshape(a.shape)
        bad = ~np.isfinite(out)
        if bad.any():
            ab, bb, cb, zb = a[bad], b[bad], c[bad], z[bad]
            inner = _hyp2f1(cb - ab, cb - bb, cb, zb)
            out[bad] = np.sign(inner) * np.exp((cb - ab - bb) * np.log1p(-zb) + np.log(np.abs(inner)))
            bad = ~np.isfinite(out)
        if bad.any():
            out[bad] = _hyp2f1_series(a[bad], b[bad], c[bad], z[bad])
    return out


def _hyp2f1_series(a, b, c, z, max_terms: int = 200_000, rtol: float = 1e-15) -> np.ndarray:
    """Direct power series of 2F1, vectorised; entries that do not converge are NaN (never a wrong number)."""
    total = np.ones_like(z)
    term = np.ones_like(z)
    active = np.ones(z.shape, dtype=bool)
    for n in range(max_terms):
        term = np.where(active, term * (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z, 0.0)
        total = total + term
        active &= np.abs(term) > rtol * np.abs(total)
        if not active.any():
            break
    total[active | ~np.isfinite(total)] = np.nan
    return total


def _expected_given_alive(params, t, x, T) -> np.ndarray:
    """(a+b+x-1)/(a-1) * (1 - G) with G = ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z).

    Euler's transformation turns G into (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z) with z = t/(alpha+T+t):
    no overflowing hypergeometric times an underflowing power, even for x ~ 1e5 and t ~ 1e8.
    ``a == 1`` (and ``a + b + x == 1``) are removable singularities: evaluated just beside them.
    """
    r, alpha, a, b = params
    h = 1e-6
    if abs(a - 1.0) < 1e-7:
        return 0.5 * (
            _expected_given_alive((r, alpha, 1 - h, b), t, x, T) + _expected_given_alive((r, alpha, 1 + h, b), t, x, T)
        )
    if abs(a + b - 1.0) < 1e-7:  # only x == 0 rows hit the pole of 2F1 at c == 0; b - h may not be valid
        bs = [1 - a - h, 1 - a + h] if 1 - a - h > 0 else [1 - a + h]
        return np.mean([_expected_given_alive((r, alpha, a, bb), t, x, T) for bb in bs], axis=0)
    c = a + b + x - 1.0
    z = t / (alpha + T + t)
    with np.errstate(all="ignore"):
        f = hyp2f1_safe(a + b - 1.0 - r, a - 1.0, c, z)
        # G = (1-z)^(a-1) f. G is negative when c = a+b+x-1 < 0 (x == 0 and a+b < 1), so keep the sign;
        # for G > 0 use expm1 so that 1 - G keeps its digits when t is small and G is close to 1.
        log_abs_g = (a - 1.0) * np.log1p(-z) + np.log(np.abs(f))
        one_minus_g = np.where(f > 0, -np.expm1(log_abs_g), 1.0 + np.exp(log_abs_g))
        out = np.array(c / (a - 1.0) * one_minus_g, dtype=float)
    bad = ~np.isfinite(out)
    if bad.any():
        out[bad] = _expected_given_alive_quad(params, t[bad], x[bad], T[bad])
    if not np.all(np.isfinite(out)):  # pragma: no cover - quadrature of a bounded integrand is finite
        raise FloatingPointError("BG/NBD conditional expectation could not be evaluated")
    # E[purchases | alive] <= E[lambda | alive] t = (r+x) t / (alpha+T): clipping only removes rounding error.
    return np.clip(out, 0.0, (r + x) * t / (alpha + T))


def _expected_given_alive_quad(params, t, x, T) -> np.ndarray:
    """Last resort, element by element: E[purchases in t | alive] as a one-dimensional integral over p.

    Given alive, lambda ~ Gamma(r+x, alpha+T) and p ~ Beta(a, b+x) independently, and an alive customer makes
    (1 - exp(-lambda p t)) / p purchases in expectation, so E = int_0^1 [1 - (1 + p t/(alpha+T))^-(r+x)] / p
    Beta(p; a, b+x) dp, integrated in u = log p around the posterior mean of p, where the Beta mass sits.
    """
    r, alpha, a, b = params
    out = np.empty(np.shape(t))
    for i, (ti, xi, Ti) in enumerate(zip(np.ravel(t), np.ravel(x), np.ravel(T), strict=True)):
        scale, log_beta = ti / (alpha + Ti), special.betaln(a, b + xi)

        def integrand(u, scale=scale, log_beta=log_beta, xi=xi):
            p = np.exp(u)
            log_density = (a - 1.0) * u + (b + xi - 1.0) * np.log1p(-p) - log_beta
            return -np.expm1(-(r + xi) * np.log1p(p * scale)) * np.exp(log_density)

        centre = np.log(a / (a + b + xi))
        points = sorted(q for q in {centre - 3, centre, min(centre + 3, -1e-3), -np.log1p(scale)} if -745 < q < 0)
        out.flat[i] = integrate.quad(integrand, -745.0, 0.0, points=points, limit=2000, epsabs=0.0, epsrel=1e-10)[0]
    return out


def conditional_expected_purchases(params, t, x, t_x, T) -> np.ndarray:
    """E[Y(t) | x, t_x, T] = P(alive) * (a+b+x-1)/(a-1) * (1 - G)   (FHL 2005, eq. 10), vectorised."""
    t = np.asarray(t, dtype=float)
    if np.any(t < 0):
        raise ValueError("t must be non-negative")
    x, t_x, T, t = np.broadcast_arrays(*_rows(x, t_x, T), t)
    alive = conditional_probability_alive(params, x, t_x, T)
    return alive * _expected_given_alive(params, t, x, T)


def expected_purchases(params, t) -> np.ndarray:
    """Unconditional E[X(t)] = (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))] (eq. 9).

    This is the conditional formula for a customer with no history yet (x = 0, T = 0), so it shares the
    numerically safe evaluation.
    """
    t = np.asarray(t, dtype=float)
    if np.any(t < 0):
        raise ValueError("t must be non-negative")
    zeros = np.zeros_like(t)
    return _expected_given_alive(params, t, zeros, zeros)
