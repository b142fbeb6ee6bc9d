"""Simulate customers from the BG/NBD model (for parameter-recovery tests and risk-score checks).

The generative story (Fader, Hardie & Lee 2005): each customer has a purchase rate ``lambda ~ Gamma(r, alpha)``
(shape r, rate alpha) and a drop-out probability ``p ~ Beta(a, b)``; while alive, repeat purchases are a
Poisson process; right after each repeat purchase the customer drops out with probability ``p``.

The summary simulation is fully vectorised without generating single purchases:

* the number of repeat purchases before drop-out is ``K ~ Geometric(p)`` (the K-th purchase is the last);
* the number of purchases an immortal customer would make in ``(0, T]`` is ``N ~ Poisson(lambda T)``;
* so ``x = min(K, N)``, and given ``N`` the purchase times are sorted uniforms on ``(0, T]``: the x-th of
  N uniforms is ``Beta(x, N - x + 1)``, which gives ``t_x`` directly.

:func:`simulate_transactions` produces dated purchases instead, optionally with an *additional* churn process
in calendar time (exponential lifetimes), under which one-time buyers also leave: the situation where the
BG/NBD's P(alive) = 1 for one-time buyers is wrong and the risk score has to cope.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["SimulatedSummary", "SimulatedTransactions", "simulate_bgnbd", "simulate_transactions"]


@dataclass(frozen=True)
class SimulatedSummary:
    x: np.ndarray
    t_x: np.ndarray
    T: np.ndarray
    holdout: np.ndarray | None  # repeat purchases in (T, T + holdout_t], if requested
    alive: np.ndarray  # true state at T


@dataclass(frozen=True)
class SimulatedTransactions:
    customer: np.ndarray  # int64 ids 0..n-1
    date: np.ndarray  # datetime64[D]


def simulate_bgnbd(r, alpha, a, b, n, T, seed=None, holdout_t=None) -> SimulatedSummary:
    """Simulate ``n`` BG/NBD customers observed for ``T`` time units (scalar or length-n array).

    ``seed`` is anything :func:`numpy.random.default_rng` accepts. With ``holdout_t`` the number of repeat
    purchases in the following ``holdout_t`` units is simulated as well (from the same latent customers).
    """
    rng = np.random.default_rng(seed)
    T = np.broadcast_to(np.asarray(T, dtype=float), (n,)).copy()
    lam = rng.gamma(shape=r, scale=1.0 / alpha, size=n)
    p = np.clip(rng.beta(a, b, size=n), 1e-12, 1.0)
    k = rng.geometric(p)  # repeat purchases until (and including) the one after which the customer leaves
    n_immortal = rng.poisson(lam * T)
    x = np.minimum(k, n_immortal)
    t_x = np.zeros(n)
    rep = x > 0
    t_x[rep] = T[rep] * rng.beta(x[rep], n_immortal[rep] - x[rep] + 1)
    alive = k > n_immortal
    holdout = None
    if holdout_t is not None:
        future = rng.poisson(lam * np.asarray(holdout_t, dtype=float))
        holdout = np.where(alive, np.minimum(future, k - n_immortal), 0)
    return SimulatedSummary(x=x.astype(np.int64), t_x=t_x, T=T, holdout=holdout, alive=alive)


def simulate_transactions(
    r,
    alpha,
    a,
    b,
    n,
    start,
    end,
    acquisition_days: int = 90,
    time_unit_days: float = 7.0,
    lifetime_shape: float | None = None,
    lifetime_rate: float | None = None,
    seed=None,
) -> SimulatedTransactions:
    """Dated purchases of ``n`` customers acquired uniformly in the first ``acquisition_days`` after ``start``.

    Rates are per ``time_unit_days``. Purchases after ``end`` are not generated. If ``lifetime_shape`` and
    ``lifetime_rate`` are given, every customer also leaves at an exponential time (in time units) whose rate
    is ``Gamma(lifetime_shape, lifetime_rate)``: churn that can happen before any repeat purchase.
    """
    rng = np.random.default_rng(seed)
    start_day = int(np.datetime64(start, "D").astype(np.int64))
    end_day = int(np.datetime64(end, "D").astype(np.int64))
    acq = start_day + rng.integers(0, acquisition_days, size=n)
    window = (end_day - acq) / time_unit_days  # time units from acquisition to end

    lam = rng.gamma(shape=r, scale=1.0 / alpha, size=n)
    p = np.clip(rng.beta(a, b, size=n), 1e-12, 1.0)
    k = rng.geometric(p)
    horizon = window.copy()
    if lifetime_shape is not None and lifetime_rate is not None:
        mu = rng.gamma(shape=lifetime_shape, scale=1.0 / lifetime_rate, size=n)
        horizon = np.minimum(horizon, rng.exponential(1.0 / mu))
    horizon = np.maximum(horizon, 0.0)

    counts = rng.poisson(lam * horizon)
    owner = np.repeat(np.arange(n), counts)
    times = rng.uniform(0.0, 1.0, size=owner.size) * horizon[owner]
    order = np.lexsort((times, owner))
    owner, times = owner[order], times[order]
    rank = np.arange(owner.size) - np.repeat(np.cumsum(counts) - counts, counts)
    keep = rank < k[owner]  # purchases up to and including the K-th; the customer is gone afterwards
    owner, times = owner[keep], times[keep]

    day = acq[owner] + np.floor(times * time_unit_days).astype(np.int64)
    customer = np.concatenate([np.arange(n), owner]).astype(np.int64)
    days = np.concatenate([acq, np.minimum(day, end_day)])
    order = np.lexsort((days, customer))
    return SimulatedTransactions(customer=customer[order], date=days[order].astype("datetime64[D]"))
