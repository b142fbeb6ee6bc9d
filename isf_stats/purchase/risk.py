"""ISF's at-risk score: which customers are about to stop ordering, and why (in words a rep understands).

Signals (each probability-like in 0..1, each with a reason template + parameters, see :func:`format_reason`):

``overdue``
    How unusual the current wait since the last order is. Repeat customers are judged by their *own* usual
    interval: the share of all customers' completed gaps, each divided by that customer's mean gap, that were
    shorter than (days since last order / own mean gap). One-time buyers have no interval of their own, so they
    are judged against the population: the share of first-to-second-order gaps shorter than their wait.
    This is what keeps one-time buyers in view: the BG/NBD's P(alive) is exactly 1 for them.
``few_expected``
    ``1 - E/H``: BG/NBD expected repeat orders in the horizon (``E``) against the customer's own pace so far
    (``H`` = repeat orders per horizon over the customer's tenure); 0 for one-time buyers.
``revenue_drop``
    ``1 - last 12 months / 12 months before`` (clipped to 0..1); 0 without a previous year.
``group_dropped``
    share of the customer's regularly bought product groups that were dropped
    (see :func:`isf_stats.purchase.features.dropped_product_groups`).

Combined score. The signals measure different things on different scales, and how much each one predicts
churn differs between businesses, so fixed weights would be tuned to one data set. Instead the weights are
*learned from the customer base's own past* ("backtest"): the same signals are computed at an earlier cut-off
``as_of - h``, the outcome "no order in (cut-off, as_of]" is observed, and a ridge-regularised logistic
regression of that outcome is fitted on: the BG/NBD's own answer P(no order in h | x, t_x, T), the signals, and
frequency, recency and a one-time-buyer indicator (an empirical recency/frequency hazard, which corrects the
BG/NBD where it is wrong, above all for one-time buyers). Applied to today's inputs it estimates
``risk = P(no order in the next h days)``. Nothing from the future is used, and nothing is a tuned constant:
on CDNOW the holdout AUC is 0.782-0.783 for any horizon from 30 to 273 days (ranking by lowest BG/NBD expected
purchases: 0.773). When the history is too short for a backtest, the score falls back to the mean percentile
rank of the signals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import optimize, special
from scipy.stats import rankdata

from isf_stats.base import ConvergenceError
from isf_stats.purchase.bgnbd import BGNBDFitter
from isf_stats.purchase.features import customer_features, dropped_product_groups, inter_order_gaps
from isf_stats.purchase.summary import _scalar_day, holdout_purchases, summarize_transactions

__all__ = ["REASON_TEMPLATES", "SIGNALS", "MODEL_INPUTS", "SignalTable", "RiskResult", "compute_signals",
           "at_risk_scores", "format_reason"]  # fmt: skip

SIGNALS = ("overdue", "few_expected", "revenue_drop", "group_dropped")

REASON_TEMPLATES: dict[str, dict[str, str]] = {
    "overdue": {
        "en": "orders about every {interval_days} days; last order {days_since} days ago",
        "de": "bestellt etwa alle {interval_days} Tage; letzte Bestellung vor {days_since} Tagen",
    },
    "overdue_one_time": {
        "en": "ordered once, {days_since} days ago; {share_pct} % of reorders come sooner",
        "de": "hat einmal bestellt, vor {days_since} Tagen; {share_pct} % der Nachbestellungen kommen früher",
    },
    "few_expected": {
        "en": "expected {expected} orders in the next {horizon_days} days; so far {historical} per {horizon_days} days",
        "de": "erwartet {expected} Bestellungen in den nächsten {horizon_days} Tagen; bisher {historical} "
        "je {horizon_days} Tage",
    },
    "revenue_drop": {
        "en": "revenue in the last 12 months {pct} % below the 12 months before",
        "de": "Umsatz der letzten 12 Monate {pct} % unter den 12 Monaten davor",
    },
    "group_dropped": {
        "en": "used to order {group} about every {interval_days} days; none for {days_since} days",
        "de": "bestellte {group} etwa alle {interval_days} Tage; seit {days_since} Tagen nicht mehr",
    },
}

#: Inputs of the combined model: the BG/NBD's own answer (P(no order)), each signal, and frequency / recency /
#: one-time-buyer terms that let the backtest correct the BG/NBD where it is misspecified (one-time buyers).
MODEL_INPUTS = [
    "logit_bgnbd_no_order",
    "logit_overdue",
    "logit_few_expected",
    "revenue_drop",
    "group_dropped",
    "log_repeat_orders",
    "one_time_buyer",
    "log_days_since_order",
]
_EPS = 1e-4  # probabilities are clipped to [eps, 1-eps] before logit so one extreme value cannot dominate


def _fmt_value(value, lang: str) -> str:
    if isinstance(value, float | np.floating) and not float(value).is_integer():
        text = f"{float(value):.1f}"
        return text.replace(".", ",") if lang == "de" else text
    if isinstance(value, float | np.floating | int | np.integer):
        return str(int(value))
    return str(value)


def format_reason(code: str, params: dict, lang: str = "en") -> str:
    """Render a reason, e.g. ``format_reason("overdue", {"interval_days": 23, "days_since": 61}, "de")``."""
    if code not in REASON_TEMPLATES:
        raise KeyError(f"unknown reason code {code!r}")
    templates = REASON_TEMPLATES[code]
    if lang not in templates:
        raise KeyError(f"no {lang!r} text for reason {code!r}; available: {', '.join(templates)}")
    return templates[lang].format(**{k: _fmt_value(v, lang) for k, v in params.items()})


# --------------------------------------------------------------------------------------------------------------
# Signals
# --------------------------------------------------------------------------------------------------------------
@dataclass
class SignalTable:
    """Signals and model inputs of all customers with an order on or before ``as_of`` (sorted ids)."""

    customers: np.ndarray
    signals: dict[str, np.ndarray]
    inputs: dict[str, np.ndarray]  # columns for the combined model
    details: dict[str, np.ndarray]  # reason parameters
    horizon_days: int
    model: BGNBDFitter | None
    dropped: object = None
    features: object = None  # CustomerFeatures as of ``as_of`` (same customer order), for callers that store them
    summary: object = None  # RFSummary (x, t_x, T) as of ``as_of`` (same customer order)


def _ecdf(sample: np.ndarray):
    sample = np.sort(np.asarray(sample, dtype=float))
    return lambda v: np.searchsorted(sample, v, side="left") / sample.size  # share strictly shorter


def compute_signals(
    customer_ids, dates, as_of, horizon_days: int, revenue=None, groups=None, time_unit_days: float = 7.0
) -> SignalTable:
    """All risk signals as of ``as_of`` (orders after it are ignored)."""
    cust = np.asarray(customer_ids)
    rev = np.zeros(cust.size) if revenue is None else np.asarray(revenue, dtype=float)
    feats = customer_features(cust, dates, rev, as_of)
    summ = summarize_transactions(cust, dates, as_of, time_unit_days)
    n = feats.customers.size
    x = feats.n_orders - 1
    since = feats.recency_days.astype(float)
    one_time = x == 0

    # overdue: own rhythm for repeat customers, population reorder times for one-time buyers
    _c, gidx, gnum, gap = inter_order_gaps(cust, dates, as_of)
    mean_gap = feats.mean_interval_days
    norm_pool = gap[x[gidx] >= 2] / mean_gap[gidx[x[gidx] >= 2]]
    first_pool = gap[gnum == 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(one_time, 0.0, since / np.where(mean_gap > 0, mean_gap, 1.0))
    own = _ecdf(norm_pool)(ratio) if norm_pool.size >= 30 else -np.expm1(-ratio)
    if first_pool.size >= 30:
        pop = _ecdf(first_pool)(since)
    else:  # too few reorders to tell: exponential with the mean gap of everybody
        pop = -np.expm1(-since / max(float(gap.mean()) if gap.size else 1.0, 1.0))
    overdue = np.where(one_time, pop, own)

    # few expected purchases: BG/NBD forecast against the customer's own pace
    model = None
    expected = np.full(n, np.nan)
    try:
        model = BGNBDFitter().fit(summ.x, summ.t_x, summ.T)
        expected = model.conditional_expected_number_of_purchases_up_to_time(
            horizon_days / time_unit_days, summ.x, summ.t_x, summ.T
        )
        no_order = model.conditional_probability_no_purchase(horizon_days / time_unit_days, summ.x, summ.t_x, summ.T)
    except ConvergenceError:
        pass  # no usable BG/NBD (e.g. nobody reordered): the signal is left out
    # repeat orders per horizon so far (the BG/NBD forecasts repeat orders too); one-time buyers have no pace
    # to fall short of, so this signal is 0 for them and the overdue signal speaks for them instead
    historical = x * horizon_days / np.maximum(feats.tenure_days, horizon_days)
    few_expected = np.zeros(n)
    if model is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            few_expected = np.where(historical > 0, np.clip(1.0 - expected / historical, 0.0, 1.0), 0.0)

    ratio_rev = feats.revenue_ratio
    revenue_drop = np.where(np.isfinite(ratio_rev), np.clip(1.0 - np.nan_to_num(ratio_rev), 0.0, 1.0), 0.0)

    group_dropped = np.zeros(n)
    dropped = None
    if groups is not None:
        dropped = dropped_product_groups(cust, dates, groups, as_of, customers=feats.customers)
        n_dropped = np.bincount(dropped.customer_index, minlength=n)
        group_dropped = n_dropped / np.maximum(dropped.regular_per_customer, 1)

    signals = {
        "overdue": overdue,
        "few_expected": few_expected,
        "revenue_drop": revenue_drop,
        "group_dropped": group_dropped,
    }
    inputs = {
        "log_repeat_orders": np.log1p(x),
        "one_time_buyer": one_time.astype(float),
        "log_days_since_order": np.log1p(since),
        "logit_overdue": special.logit(np.clip(overdue, _EPS, 1 - _EPS)),
        "revenue_drop": revenue_drop,
        "group_dropped": group_dropped,
    }
    if model is not None:
        inputs["logit_few_expected"] = special.logit(np.clip(few_expected, _EPS, 1 - _EPS))
        inputs["logit_bgnbd_no_order"] = special.logit(np.clip(no_order, _EPS, 1 - _EPS))
    details = {
        "days_since": feats.recency_days,
        "interval_days": mean_gap,
        "share_pct": 100.0 * pop,
        "expected": expected,
        "historical": historical,
        "revenue_ratio": ratio_rev,
        "revenue_last_12m": feats.revenue_last_12m,
        "revenue_prev_12m": feats.revenue_prev_12m,
    }
    return SignalTable(feats.customers, signals, inputs, details, int(horizon_days), model, dropped, feats, summ)


# --------------------------------------------------------------------------------------------------------------
# Combined score
# --------------------------------------------------------------------------------------------------------------
@dataclass
class RiskResult:
    """Combined risk per customer plus everything needed to explain it."""

    customers: np.ndarray
    score: np.ndarray  # P(no order in the next horizon_days), or a 0..1 rank score for method "rank-average"
    signals: dict[str, np.ndarray]
    horizon_days: int
    method: str  # "backtest-logistic" or "rank-average"
    coefficients: dict[str, float] = field(default_factory=dict)
    table: SignalTable | None = None

    def reasons(self, i: int, min_score: float = 0.5) -> list[dict]:
        """Reasons for customer ``i`` whose signal is at least ``min_score``, strongest first.

        Each is ``{"code", "params", "score"}``; render with :func:`format_reason`.
        """
        d = self.table.details
        out = []
        s = {k: float(v[i]) for k, v in self.signals.items()}
        if s["overdue"] >= min_score:
            if np.isfinite(d["interval_days"][i]):
                params = {"interval_days": int(round(d["interval_days"][i])), "days_since": int(d["days_since"][i])}
                out.append({"code": "overdue", "params": params, "score": s["overdue"]})
            else:
                params = {"days_since": int(d["days_since"][i]), "share_pct": int(round(d["share_pct"][i]))}
                out.append({"code": "overdue_one_time", "params": params, "score": s["overdue"]})
        if s["few_expected"] >= min_score:
            params = {
                "expected": round(float(d["expected"][i]), 1),
                "historical": round(float(d["historical"][i]), 1),
                "horizon_days": self.horizon_days,
            }
            out.append({"code": "few_expected", "params": params, "score": s["few_expected"]})
        if s["revenue_drop"] >= min_score:
            params = {"pct": int(round(100 * (1 - d["revenue_ratio"][i])))}
            out.append({"code": "revenue_drop", "params": params, "score": s["revenue_drop"]})
        dropped = self.table.dropped
        if s["group_dropped"] >= min_score and dropped is not None:
            rows = np.flatnonzero(dropped.customer_index == i)
            worst = rows[np.argmax(dropped.days_since[rows] / dropped.threshold_days[rows])]
            params = {
                "group": str(dropped.group[worst]),
                "interval_days": int(round(dropped.interval_days[worst])),
                "days_since": int(dropped.days_since[worst]),
            }
            out.append({"code": "group_dropped", "params": params, "score": s["group_dropped"]})
        return sorted(out, key=lambda r: -r["score"])


def _design(inputs: dict[str, np.ndarray], names: list[str]) -> np.ndarray:
    return np.column_stack([inputs[k] for k in names])


def _fit_logistic(X: np.ndarray, y: np.ndarray, ridge: float = 1e-3):
    """Ridge-regularised logistic regression on standardised columns; returns a scoring function."""
    mu, sd = X.mean(axis=0), X.std(axis=0)
    Z = np.column_stack([np.ones(len(y)), (X - mu) / sd])
    n = len(y)

    def loss(beta):
        eta = Z @ beta
        prob = special.expit(eta)
        penalty = ridge * np.r_[0.0, beta[1:]]
        return (
            np.sum(np.logaddexp(0.0, eta) - y * eta) / n + 0.5 * ridge * np.sum(beta[1:] ** 2),
            Z.T @ (prob - y) / n + penalty,
        )

    res = optimize.minimize(loss, np.zeros(Z.shape[1]), jac=True, method="BFGS", options={"gtol": 1e-8})
    if not np.all(np.isfinite(res.x)):
        raise ConvergenceError("risk model (logistic regression) did not converge")
    beta = res.x

    def predict(Xnew):
        return special.expit(beta[0] + ((Xnew - mu) / sd) @ beta[1:])

    return predict, beta


def _rank_average(signals: dict[str, np.ndarray]) -> np.ndarray:
    cols = [v for v in signals.values() if np.ptp(v) > 0]
    if not cols:
        return np.zeros(next(iter(signals.values())).size)
    return np.mean([(rankdata(v) - 1) / max(v.size - 1, 1) for v in cols], axis=0)


def at_risk_scores(
    customer_ids,
    dates,
    as_of,
    horizon_days: int = 90,
    revenue=None,
    groups=None,
    time_unit_days: float = 7.0,
    min_class_size: int = 20,
) -> RiskResult:
    """At-risk score of every customer with an order on or before ``as_of``.

    The effective horizon is ``horizon_days``, shortened to half the median customer tenure when the history
    is too short to observe that horizon in a backtest (``RiskResult.horizon_days`` says which was used).
    """
    cust = np.asarray(customer_ids)
    ref = _scalar_day(as_of)
    now_feats = customer_features(cust, dates, np.zeros(cust.size), as_of)
    median_tenure = float(np.median(now_feats.tenure_days)) if now_feats.customers.size else 0.0
    horizon = int(min(horizon_days, median_tenure // 2))
    if horizon >= 1:
        cut = np.datetime64(ref - horizon, "D")
        past = compute_signals(cust, dates, cut, horizon, revenue, groups, time_unit_days)
        label = holdout_purchases(cust, dates, cut, as_of, past.customers) == 0
        if min(label.sum(), (~label).sum()) >= min_class_size:
            now = compute_signals(cust, dates, as_of, horizon, revenue, groups, time_unit_days)
            names = [k for k in MODEL_INPUTS if k in now.inputs and k in past.inputs and np.ptp(past.inputs[k]) > 0]
            predict, beta = _fit_logistic(_design(past.inputs, names), label.astype(float))
            score = predict(_design(now.inputs, names))
            coefs = dict(zip(["intercept", *names], (float(b) for b in beta), strict=True))
            return RiskResult(now.customers, score, now.signals, horizon, "backtest-logistic", coefs, now)
    now = compute_signals(cust, dates, as_of, max(int(horizon_days), 1), revenue, groups, time_unit_days)
    return RiskResult(now.customers, _rank_average(now.signals), now.signals, now.horizon_days, "rank-average", {}, now)
