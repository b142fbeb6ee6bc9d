"""Generate the demo customer base with numpy: believable, seeded, fast at 100,000 accounts.

The generator models what the rest of ISF must find in real data:
- revenue concentrated (lognormal potential x share of wallet: about 20 % of accounts make 80 %),
- potential not equal to revenue (a group buys most of its demand at competitors),
- individual ordering rhythms (gamma renewal processes with their own regularity) and seasonality,
- customers who stop ordering, customers who slow down (at risk), new customers, win-backs,
- product-group affinities (clusters by industry) adopted over time, and groups dropped.
Everything derives from one numpy Generator, so the same seed and end date give the same data.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from isf.demo import catalog

SEASON = np.array([0.82, 0.92, 1.10, 1.15, 1.12, 1.05, 1.00, 0.72, 1.06, 1.12, 1.05, 0.84])
K_GROUPS = 8


@dataclass
class DemoBase:
    today: date
    start: date
    n: int
    region: np.ndarray
    city: np.ndarray
    is_b2c: np.ndarray
    industry: np.ndarray  # str codes
    potential: np.ndarray
    employees: np.ndarray
    groups: np.ndarray  # (n, K) group indices
    # order facts
    order_account: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    order_day: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # days since start
    line_order: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    line_no: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    line_product: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    line_quantity: np.ndarray = field(default_factory=lambda: np.empty(0))
    line_revenue: np.ndarray = field(default_factory=lambda: np.empty(0))
    line_margin: np.ndarray = field(default_factory=lambda: np.empty(0))
    churned: np.ndarray = field(default_factory=lambda: np.empty(0, bool))
    slowing: np.ndarray = field(default_factory=lambda: np.empty(0, bool))


def products_per_group() -> list[list[tuple[str, str, float]]]:
    """A fixed assortment: 6 to 10 articles per group with deterministic prices."""
    rng = np.random.default_rng(7)
    assortment = []
    for gi, (code, name, _en, _margin, price, _cluster) in enumerate(catalog.PRODUCT_GROUPS):
        count = 6 + gi % 5
        items = []
        for j in range(count):
            level = price * float(np.exp(rng.normal(0, 0.45)))
            items.append((f"{code}-{100 + j * 7:04d}", f"{name} Artikel {j + 1:02d}", round(level, 2)))
        assortment.append(items)
    return assortment


def generate(*, n: int, years: int, seed: int, today: date) -> DemoBase:
    rng = np.random.default_rng(seed)
    start = today - timedelta(days=int(round(365.25 * years)))
    horizon = (today - start).days

    region = rng.integers(0, len(catalog.REGIONS), n)
    city = rng.integers(0, 6, n)
    is_b2c = rng.random(n) < 0.08
    ind_codes = np.array([c for c, _ in catalog.INDUSTRY_WEIGHTS])
    ind_p = np.array([w for _, w in catalog.INDUSTRY_WEIGHTS])
    industry = ind_codes[rng.choice(len(ind_codes), n, p=ind_p / ind_p.sum())]
    industry = np.where(is_b2c, "T", industry)

    size = rng.normal(0, 1, n)
    potential = np.where(is_b2c, np.exp(np.log(1800) + 0.6 * size), np.exp(np.log(16000) + 1.45 * size))
    potential = np.round(potential, -2).clip(500, None)
    employees = np.clip(np.exp(1.9 + 1.1 * size + rng.normal(0, 0.5, n)), 1, 20000)
    # share of wallet: most buy a fair share, some buy little and cover their demand elsewhere
    competitor_buyer = rng.random(n) < 0.14
    sow = np.where(competitor_buyer, rng.beta(1.0, 14.0, n), rng.beta(2.2, 2.8, n))
    revenue_target = potential * sow

    groups = _group_sets(rng, n, industry)
    base = DemoBase(today=today, start=start, n=n, region=region, city=city, is_b2c=is_b2c, industry=industry,
                    potential=potential, employees=employees, groups=groups)
    _orders(rng, base, revenue_target, horizon)
    return base


def _group_sets(rng, n: int, industry: np.ndarray) -> np.ndarray:
    clusters = sorted({g[5] for g in catalog.PRODUCT_GROUPS})
    by_cluster = {c: [i for i, g in enumerate(catalog.PRODUCT_GROUPS) if g[5] == c] for c in clusters}
    n_groups = len(catalog.PRODUCT_GROUPS)
    out = np.empty((n, K_GROUPS), dtype=np.int64)
    for code in np.unique(industry):
        idx = np.flatnonzero(industry == code)
        prefs = catalog.INDUSTRY_CLUSTERS.get(str(code), clusters[:2])
        core = [g for c in prefs[:2] for g in by_cluster[c]]
        extra = [g for c in prefs[2:] for g in by_cluster[c]]
        for i in idx:
            k_core = min(len(core), 5)
            chosen = list(rng.choice(core, k_core, replace=False))
            pool = extra or list(range(n_groups))
            rest = [g for g in rng.permutation(pool) if g not in chosen][:2]
            chosen += rest
            while len(chosen) < K_GROUPS:
                g = int(rng.integers(0, n_groups))
                if g not in chosen:
                    chosen.append(g)
            out[i] = chosen[:K_GROUPS]
    return out


def _orders(rng, base: DemoBase, revenue_target: np.ndarray, horizon: int) -> None:
    n = base.n
    aov = np.exp(np.log(1300) + 0.45 * np.log(np.maximum(revenue_target, 50) / 6000) + rng.normal(0, 0.25, n))
    rate = np.clip(revenue_target / aov, 0.4, 60.0) / 365.25  # orders per day
    aov = revenue_target / (rate * 365.25)
    shape = rng.uniform(0.7, 4.0, n)  # regularity of the rhythm

    kind = rng.random(n)
    prospect = (kind < 0.04) & ~base.is_b2c
    newcomer = (kind >= 0.04) & (kind < 0.14)
    begin = np.where(newcomer, rng.integers(0, horizon, n), -rng.integers(0, 400, n))
    begin = np.where(newcomer & (rng.random(n) < 0.3), horizon - rng.integers(5, 90, n), begin)
    churned = (rng.random(n) < 0.13) & ~prospect
    stop = np.where(churned, rng.integers(60, horizon, n), horizon + 1)
    won_back = churned & (rng.random(n) < 0.18)
    restart = np.where(won_back, np.minimum(stop + rng.integers(400, 600, n), horizon - 10), horizon + 1)
    slowing = (~churned) & (~prospect) & (rng.random(n) < 0.07)
    slow_from = horizon - rng.integers(60, 200, n)
    # a dropped product group (bought to a competitor) for some accounts
    drop_group = np.where(rng.random(n) < 0.08, rng.integers(0, 3, n), -1)
    drop_from = horizon - rng.integers(120, 260, n)
    adopt = np.where(rng.random((n, K_GROUPS)) < 0.72, -1, rng.integers(0, horizon, (n, K_GROUPS)))
    adopt[:, 0] = -1
    weights = np.sort(rng.dirichlet(np.full(K_GROUPS, 0.9), n), axis=1)[:, ::-1]
    cumw = np.cumsum(weights, axis=1)

    acc_list, day_list = [], []
    for i in range(n):
        if prospect[i]:
            continue
        lam = rate[i]
        mean_gap = 1.0 / lam
        expected = int((horizon - begin[i]) * lam * 1.4) + 8
        gaps = rng.gamma(shape[i], mean_gap / shape[i], expected)
        t = begin[i] + rng.uniform(0, mean_gap) + np.cumsum(gaps)
        t = t[(t >= 0) & (t < horizon)]
        if t.size == 0:
            continue
        keep = (t < stop[i]) | (t >= restart[i])
        if slowing[i]:
            keep &= (t < slow_from[i]) | (rng.random(t.size) < 0.25)
        t = t[keep]
        if t.size == 0:
            continue
        acc_list.append(np.full(t.size, i, dtype=np.int64))
        day_list.append(t.astype(np.int64))
    acc = np.concatenate(acc_list)
    day = np.concatenate(day_list)
    # seasonality by thinning, and no orders at weekends (moved to Friday/Monday)
    start_ord = base.start.toordinal()
    months = np.array([date.fromordinal(int(start_ord + d)).month for d in range(horizon + 1)]) - 1
    keep = rng.random(day.size) < SEASON[months[day]] / SEASON.max()
    acc, day = acc[keep], day[keep]
    weekday = (start_ord + day) % 7  # date.fromordinal(1) is a Monday -> ordinal % 7: 1=Mon ... 0=Sun
    day = np.where(weekday == 6, day - 1, day)
    day = np.where(weekday == 0, np.minimum(day + 1, horizon - 1), day)
    order = np.lexsort((acc, day))
    acc, day = acc[order], day[order]
    # same-day duplicates of an account are merged into one order
    uniq = np.ones(acc.size, bool)
    uniq[1:] = (acc[1:] != acc[:-1]) | (day[1:] != day[:-1])
    acc, day = acc[uniq], day[uniq]

    # lines
    n_orders = acc.size
    lines_per_order = 1 + rng.poisson(np.clip(0.6 + 0.45 * np.log1p(base.employees[acc]) / 2, 0.4, 3.5))
    line_order = np.repeat(np.arange(n_orders), lines_per_order)
    line_no = np.arange(line_order.size) - np.repeat(np.cumsum(lines_per_order) - lines_per_order, lines_per_order) + 1
    line_acc = acc[line_order]
    line_day = day[line_order]
    u = rng.random(line_order.size)
    k = (u[:, None] > cumw[line_acc]).sum(axis=1).clip(0, K_GROUPS - 1)
    not_adopted = adopt[line_acc, k] > line_day
    dropped = (drop_group[line_acc] == k) & (line_day >= drop_from[line_acc])
    k = np.where(not_adopted | dropped, 0, k)
    group = base.groups[line_acc, k]
    # one line per (order, group) keeps orders readable; duplicates fold into quantity
    assortment = products_per_group()
    sizes = np.array([len(a) for a in assortment])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    prices = np.array([p for a in assortment for (_, _, p) in a])
    product = offsets[group] + (rng.integers(0, 1 << 30, group.size) % sizes[group])
    value = aov[line_acc] / lines_per_order[line_order] * np.exp(rng.normal(0, 0.5, group.size))
    quantity = np.maximum(1, np.round(value / prices[product]))
    revenue = np.round(quantity * prices[product] * rng.uniform(0.82, 1.0, group.size), 2)
    margin_rate = np.array([g[3] for g in catalog.PRODUCT_GROUPS])[group] * np.exp(rng.normal(0, 0.12, group.size))
    margin = np.round(revenue * np.clip(margin_rate, 0.02, 0.9), 2)

    base.order_account, base.order_day = acc, day
    base.line_order, base.line_no, base.line_product = line_order, line_no, product
    base.line_quantity, base.line_revenue, base.line_margin = quantity, revenue, margin
    base.churned, base.slowing = churned & ~won_back, slowing
