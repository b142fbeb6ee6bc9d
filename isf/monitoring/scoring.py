"""From order-line arrays to the model's view per account and the flag candidates (numpy only, no ORM).

`score_base` runs ISF's at-risk score (`isf_stats.purchase.at_risk_scores`: one BG/NBD fit on today's
summary, one on the backtest cut-off, the signals, the learned combination) once over the whole base and
derives what the account page shows: P(alive), expected orders in the next 90 days, the window in which
the next order is expected, the 12-month revenue trend. `flag_candidates` turns the signals into flags with
the parameters of their plain-language reason, vectorised (one pass per flag type, not per account).

Thresholds. A flag is raised when its signal passes a level that means "unusual for this account", not
"worse than average": overdue when the current wait is longer than 90 % of the (own-rhythm normalised) gaps
the base has seen; few expected orders when the model expects less than 40 % of the account's own pace;
revenue drop at half the year before or less; a product group when one regularly bought group (3+ orders in 24
months) has been silent for four times its own interval and at least 90 days, and it carried at least
GROUP_MIN_WEIGHT of the account's revenue in those 24 months. (On the 100,000-account demo base, looser levels -
40 % drop, twice the interval - flagged half of all ordering accounts: more alerts than an inside team can call,
so they would be ignored.) The trend counts: an account whose 12-month revenue is rising (or new) is not flagged
for a dropped group or for few expected orders - it is buying, only differently or more seldom in larger orders;
a real pause (overdue) is still flagged. Which kinds are raised at all is decided by their measured precision
(`isf.monitoring.evaluation`). Accounts silent for longer than the
lifecycle's "lost" limit are left to win-back and get no new flags. Flags never rest on P(alive) alone
(P(alive) is 1 for every one-time buyer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from isf_stats.purchase import risk as risk_model

HORIZON_DAYS = 90
TIME_UNIT_DAYS = 7.0
THRESHOLDS = {"overdue": 0.9, "few_expected": 0.6, "revenue_drop": 0.5, "group_dropped": 1e-9}
GROUP_QUIET_FACTOR = 4.0  # a dropped group is flagged once its silence is 4x its own interval (and >= 90 days)
GROUP_MIN_WEIGHT = 0.10  # a dropped group must have carried 10 % of the account's 24-month revenue
GROUP_WINDOW_DAYS = 730
REGULAR_GROUP_ORDERS = 3
GROWING = ("up", "new")
FLAG_ORDER = ("overdue", "revenue_drop", "group_dropped", "few_expected")
TREND_BAND = 0.1  # +-10 % on the year before counts as stable
MIN_REFERENCE = 30  # customers needed for a population reference (one-time buyers' next-order window)
EPOCH = date(1970, 1, 1).toordinal()


def day_number(d: date) -> int:
    return d.toordinal() - EPOCH


def from_day(n: int) -> date:
    return date.fromordinal(int(n) + EPOCH)


@dataclass
class BaseScores:
    """One entry per account with an order on or before ``as_of`` (account ids ascending)."""

    as_of: date
    accounts: np.ndarray
    n_orders: np.ndarray
    first_day: np.ndarray
    last_day: np.ndarray
    recency_days: np.ndarray
    mean_interval: np.ndarray
    p_alive: np.ndarray
    expected_90d: np.ndarray
    next_from: np.ndarray  # day numbers, -1 = unknown
    next_to: np.ndarray
    revenue_last_12m: np.ndarray
    revenue_prev_12m: np.ndarray
    trend: np.ndarray  # Trend values
    risk: np.ndarray
    signals: dict[str, np.ndarray]
    horizon_days: int
    method: str
    model_params: dict = field(default_factory=dict)
    model_loglik: float | None = None
    coefficients: dict = field(default_factory=dict)
    table: object = None

    def __len__(self) -> int:
        return int(self.accounts.size)

    def index_of(self, account_ids) -> np.ndarray:
        """Positions of ``account_ids`` in ``accounts`` (-1 where an id has no score)."""
        ids = np.asarray(account_ids, dtype=np.int64)
        if self.accounts.size == 0:
            return np.full(ids.size, -1)
        pos = np.minimum(np.searchsorted(self.accounts, ids), self.accounts.size - 1)
        return np.where(self.accounts[pos] == ids, pos, -1)


@dataclass
class FlagCandidate:
    index: int  # into BaseScores.accounts
    code: str  # flag code (FlagCode)
    reason_code: str  # template in isf_stats.purchase.risk.REASON_TEMPLATES
    params: dict
    score: float
    expected_loss: float = 0.0  # EUR a year at stake: what the flag puts at risk, times the risk


@dataclass
class GroupProfile:
    """Per (account, product group) bought in the 24 months up to ``as_of``: order days and revenue weight."""

    account: np.ndarray
    group: np.ndarray
    order_days: np.ndarray
    weight: np.ndarray  # the group's share of the account's revenue in the window

    def weights(self) -> PairWeights:
        return PairWeights(self)

    def regular(self) -> list[tuple[int, int]]:
        keep = self.order_days >= REGULAR_GROUP_ORDERS
        return list(zip(self.account[keep].tolist(), self.group[keep].tolist(), strict=True))


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` by sorting: numpy's hash-based unique takes seconds on millions of integers."""
    ordered = np.sort(values)
    keep = np.ones(ordered.size, dtype=bool)
    keep[1:] = ordered[1:] != ordered[:-1]
    return ordered[keep]


class PairWeights:
    """(account, group) -> revenue share of a :class:`GroupProfile`, looked up by binary search on its (sorted)
    pairs instead of a dict of every pair of the base (a quarter of a million on 100,000 accounts)."""

    def __init__(self, profile: GroupProfile):
        self.account, self.group, self.weight = profile.account, profile.group, profile.weight

    def get(self, pair: tuple[int, int], default: float = 0.0) -> float:
        account, group = pair
        lo = int(np.searchsorted(self.account, account, side="left"))
        hi = int(np.searchsorted(self.account, account, side="right"))
        at = lo + int(np.searchsorted(self.group[lo:hi], group))
        return float(self.weight[at]) if at < hi and self.group[at] == group else default


def group_profile(account_ids, days, revenue, groups, as_of: date) -> GroupProfile:
    """Order days and revenue share of every (account, group) pair in the 24 months up to ``as_of``."""
    ref = day_number(as_of)
    acc = np.asarray(account_ids, dtype=np.int64)
    day = np.asarray(days, dtype=np.int64)
    keep = (day <= ref) & (day > ref - GROUP_WINDOW_DAYS)
    acc, day = acc[keep], day[keep]
    rev = np.asarray(revenue, dtype=float)[keep]
    grp = np.asarray(groups, dtype=np.int64)[keep]
    if acc.size == 0:
        empty = np.empty(0, dtype=np.int64)
        return GroupProfile(empty, empty, empty, np.empty(0))
    # (account, group) and (pair, day) as one int64 key each: a 1-D unique sorts plain integers, in the same
    # order as the row-wise unique of the stacked columns (account first), at a fraction of its cost
    groups_n = int(grp.max()) - int(grp.min()) + 1
    pair_keys, pair_idx = np.unique((acc - acc.min()) * groups_n + (grp - grp.min()), return_inverse=True)
    pair_idx = pair_idx.ravel()
    pair_acc = pair_keys // groups_n + acc.min()
    pair_grp = pair_keys % groups_n + grp.min()
    pair_rev = np.bincount(pair_idx, weights=rev, minlength=pair_keys.size)
    span = int(day.max()) - int(day.min()) + 1
    distinct = _sorted_unique(pair_idx * span + (day - day.min()))
    order_days = np.bincount(distinct // span, minlength=pair_keys.size)
    _accounts, acc_idx = np.unique(pair_acc, return_inverse=True)
    acc_rev = np.bincount(acc_idx.ravel(), weights=pair_rev, minlength=_accounts.size)
    total = acc_rev[acc_idx.ravel()]
    weight = np.where(total > 0, pair_rev / np.where(total > 0, total, 1.0), 0.0)
    return GroupProfile(pair_acc, pair_grp, order_days.astype(np.int64), weight)


def _trend(last: np.ndarray, prev: np.ndarray) -> np.ndarray:
    out = np.full(last.size, "flat", dtype=object)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(prev > 0, last / np.where(prev > 0, prev, 1.0), np.nan)
    out[ratio >= 1 + TREND_BAND] = "up"
    out[ratio <= 1 - TREND_BAND] = "down"
    out[(prev <= 0) & (last > 0)] = "new"
    out[(prev <= 0) & (last <= 0)] = "none"
    return out


def _next_order_window(n_orders, last_day, mean_gap, std_gap) -> tuple[np.ndarray, np.ndarray]:
    """Expected next-order window: last order + usual interval +- its spread (one-time buyers: the base's
    middle half of first reorder times, taken from the accounts with exactly two orders)."""
    n = n_orders.size
    lo, hi = np.full(n, -1, dtype=np.int64), np.full(n, -1, dtype=np.int64)
    rep = (n_orders >= 2) & np.isfinite(mean_gap)
    spread = np.where(np.isfinite(std_gap), std_gap, 0.25 * mean_gap)
    lo[rep] = last_day[rep] + np.maximum(1, np.round(mean_gap[rep] - spread[rep])).astype(np.int64)
    hi[rep] = last_day[rep] + np.maximum(1, np.round(mean_gap[rep] + spread[rep])).astype(np.int64)
    first_gaps = mean_gap[n_orders == 2]
    once = n_orders == 1
    if first_gaps.size >= MIN_REFERENCE and once.any():
        q25, q75 = np.percentile(first_gaps, [25, 75])
        lo[once] = last_day[once] + max(1, int(round(q25)))
        hi[once] = last_day[once] + max(1, int(round(q75)))
    return lo, np.maximum(hi, lo)


def score_base(account_ids, days, revenue, groups, as_of: date, horizon_days: int = HORIZON_DAYS) -> BaseScores:
    """Fit and score the whole base once. ``days`` are day numbers since 1970-01-01 (int64)."""
    account_ids = np.asarray(account_ids, dtype=np.int64)
    if account_ids.size == 0:  # no orders yet (a freshly installed system): nothing to fit, no account to score
        return _no_scores(as_of, horizon_days)
    dates = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    rr = risk_model.at_risk_scores(
        account_ids, dates, np.datetime64(as_of, "D"), horizon_days=horizon_days, revenue=revenue, groups=groups,
        time_unit_days=TIME_UNIT_DAYS,
    )
    table = rr.table
    feats, summ, model = table.features, table.summary, table.model
    n = feats.customers.size
    if model is not None and n:
        p_alive = model.conditional_probability_alive(summ.x, summ.t_x, summ.T)
        if rr.horizon_days == horizon_days:
            expected = table.details["expected"]
        else:
            expected = model.conditional_expected_number_of_purchases_up_to_time(
                horizon_days / TIME_UNIT_DAYS, summ.x, summ.t_x, summ.T
            )
        params, loglik = {k: float(v) for k, v in model.params_.items()}, float(model.loglik_)
    else:
        p_alive, expected, params, loglik = np.full(n, np.nan), np.full(n, np.nan), {}, None
    lo, hi = _next_order_window(feats.n_orders, feats.last_order_days, feats.mean_interval_days,
                                feats.std_interval_days)
    return BaseScores(
        as_of=as_of,
        accounts=feats.customers.astype(np.int64),
        n_orders=feats.n_orders,
        first_day=feats.first_order_days.astype(np.int64),
        last_day=feats.last_order_days.astype(np.int64),
        recency_days=feats.recency_days,
        mean_interval=feats.mean_interval_days,
        p_alive=np.clip(p_alive, 0.0, 1.0),
        expected_90d=np.maximum(expected, 0.0),
        next_from=lo,
        next_to=hi,
        revenue_last_12m=feats.revenue_last_12m,
        revenue_prev_12m=feats.revenue_prev_12m,
        trend=_trend(feats.revenue_last_12m, feats.revenue_prev_12m),
        risk=np.clip(np.nan_to_num(rr.score, nan=0.0), 0.0, 1.0),
        signals={k: np.clip(np.nan_to_num(v), 0.0, 1.0) for k, v in rr.signals.items()},
        horizon_days=int(rr.horizon_days),
        method=rr.method,
        model_params=params,
        model_loglik=loglik,
        coefficients=dict(rr.coefficients),
        table=table,
    )


def _no_scores(as_of: date, horizon_days: int) -> BaseScores:
    ints, floats = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=float)
    return BaseScores(
        as_of=as_of, accounts=ints, n_orders=ints, first_day=ints, last_day=ints, recency_days=floats,
        mean_interval=floats, p_alive=floats, expected_90d=floats, next_from=ints, next_to=ints,
        revenue_last_12m=floats, revenue_prev_12m=floats, trend=np.zeros(0, dtype=object), risk=floats,
        signals={code: floats for code in FLAG_ORDER}, horizon_days=int(horizon_days), method="none",
    )


def _worst_dropped_group(table, n: int):
    """Per customer index: row of its most overdue dropped group in ``table.dropped`` (-1 if none)."""
    worst = np.full(n, -1, dtype=np.int64)
    dropped = table.dropped
    if dropped is None or dropped.customer_index.size == 0:
        return worst
    ratio = dropped.days_since / np.maximum(dropped.threshold_days, 1.0)
    order = np.lexsort((-ratio, dropped.customer_index))
    ci = dropped.customer_index[order]
    first = np.ones(ci.size, dtype=bool)
    first[1:] = ci[1:] != ci[:-1]
    worst[ci[first]] = order[first]
    return worst


def flag_candidates(scores: BaseScores, *, eligible: np.ndarray | None = None,
                    group_weights: dict[tuple[int, int], float] | None = None,
                    kinds: set[str] | None = None) -> list[FlagCandidate]:
    """Every flag whose signal passes its threshold, with its reason parameters, strongest first per account.

    ``group_weights`` ((account, group) -> revenue share, :func:`group_profile`) keeps small lapsed groups out;
    ``kinds`` limits the flag kinds raised (the calibrated ones); the trend rule is in the module docstring.
    """
    n = len(scores)
    if n == 0:
        return []
    eligible = np.ones(n, dtype=bool) if eligible is None else np.asarray(eligible, dtype=bool)
    growing = np.isin(scores.trend, GROWING)
    at_stake = np.maximum(scores.revenue_last_12m, scores.revenue_prev_12m)
    d = scores.table.details
    out: list[FlagCandidate] = []
    since = d["days_since"].astype(np.int64)
    for code in FLAG_ORDER:
        if kinds is not None and code not in kinds:
            continue
        signal = scores.signals[code]
        mask = eligible & (signal >= THRESHOLDS[code])
        if code in ("group_dropped", "few_expected"):
            mask &= ~growing
        hits = np.flatnonzero(mask)
        weight = {}
        if code == "group_dropped":
            worst = _worst_dropped_group(scores.table, n)
            hits = hits[worst[hits] >= 0]
            dropped = scores.table.dropped
            rows = worst[hits]
            quiet = dropped.days_since[rows] >= GROUP_QUIET_FACTOR * np.maximum(dropped.interval_days[rows], 1.0)
            hits = hits[quiet]
            if group_weights is not None:
                weight = {int(i): group_weights.get((int(scores.accounts[i]), int(dropped.group[worst[i]])), 0.0)
                          for i in hits.tolist()}
                hits = np.array([i for i in hits.tolist() if weight[i] >= GROUP_MIN_WEIGHT], dtype=np.int64)
        for i in hits.tolist():
            s = float(signal[i])
            loss = float(at_stake[i]) * float(scores.risk[i])
            if code == "overdue":
                interval = d["interval_days"][i]
                if np.isfinite(interval):
                    out.append(FlagCandidate(i, code, "overdue",
                                             {"interval_days": int(round(interval)), "days_since": int(since[i])}, s))
                else:
                    out.append(FlagCandidate(i, code, "overdue_one_time",
                                             {"days_since": int(since[i]), "share_pct": int(round(d["share_pct"][i]))},
                                             s))
            elif code == "few_expected":
                out.append(FlagCandidate(i, code, code, {
                    "expected": round(float(d["expected"][i]), 1),
                    "historical": round(float(d["historical"][i]), 1),
                    "horizon_days": scores.horizon_days,
                }, s))
            elif code == "revenue_drop":
                pct = int(round(100 * (1 - float(np.nan_to_num(d["revenue_ratio"][i])))))
                out.append(FlagCandidate(i, code, code, {"pct": pct}, s))
            else:
                row = worst[i]
                dropped = scores.table.dropped
                out.append(FlagCandidate(i, code, code, {
                    "group": int(dropped.group[row]),
                    "interval_days": int(round(dropped.interval_days[row])),
                    "days_since": int(dropped.days_since[row]),
                }, s))
                loss *= weight.get(i, 1.0)
            out[-1].expected_loss = round(loss, 2)
    return out


def reason_texts(candidate: FlagCandidate, group_names: dict[int, tuple[str, str]]) -> tuple[str, str]:
    """The reason in German and English (a product group's id replaced by its name in each language)."""
    texts = []
    for k, lang in enumerate(("de", "en")):
        params = dict(candidate.params)
        if "group" in params:
            names = group_names.get(int(params["group"]))
            params["group"] = (names[k] or names[0]) if names else str(params["group"])
        texts.append(risk_model.format_reason(candidate.reason_code, params, lang))
    return texts[0], texts[1]
