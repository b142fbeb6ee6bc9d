"""Per-customer order-behaviour features from transaction arrays (vectorised numpy).

These are the plain facts a sales rep understands ("orders about every 23 days, last order 61 days ago";
"revenue down 40 % on the year before"; "stopped buying toner") and the raw material of the at-risk signals
in :mod:`isf_stats.purchase.risk`.

Conventions (same as :mod:`isf_stats.purchase.summary`): an *order* is a distinct (customer, day); several
rows on one day are one order, but their revenue is summed. Only rows on or before ``as_of`` are used.
Times are in days.

Product groups "bought regularly but not lately": a (customer, group) pair is *regular* with at least
``min_group_orders`` (3) distinct order days in the last 24 months; its usual interval is the mean gap
between those days, and it counts as *dropped* when the last such order is more than
``max(min_quiet_days, 2 x usual interval)`` days ago. The threshold scales with each pair's own rhythm,
so a monthly consumable and a yearly spare part are judged by their own interval, not by a fixed constant.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from isf_stats.purchase.summary import _factorize, _scalar_day, as_days

__all__ = ["CustomerFeatures", "DroppedGroups", "customer_features", "dropped_product_groups", "inter_order_gaps"]

YEAR_DAYS = 365


@dataclass(frozen=True)
class CustomerFeatures:
    """One entry per customer (sorted ids) with at least one order on or before ``as_of``."""

    customers: np.ndarray
    n_orders: np.ndarray  # distinct order days (frequency); repeat purchases = n_orders - 1
    first_order_days: np.ndarray  # days since 1970-01-01
    last_order_days: np.ndarray
    recency_days: np.ndarray  # as_of - last order
    tenure_days: np.ndarray  # as_of - first order
    mean_interval_days: np.ndarray  # NaN with fewer than 2 orders
    std_interval_days: np.ndarray  # sample std of the gaps; NaN with fewer than 3 orders
    revenue_last_12m: np.ndarray  # (as_of - 365, as_of]
    revenue_prev_12m: np.ndarray  # (as_of - 730, as_of - 365]
    revenue_ratio: np.ndarray  # last / prev; NaN when prev <= 0
    as_of_days: int


@dataclass(frozen=True)
class DroppedGroups:
    """Regular (customer, group) pairs without an order for longer than their own threshold."""

    customer_index: np.ndarray  # index into CustomerFeatures.customers
    group: np.ndarray
    n_orders_24m: np.ndarray
    interval_days: np.ndarray
    days_since: np.ndarray
    threshold_days: np.ndarray
    regular_per_customer: np.ndarray  # number of regular groups of each customer (length = len(customers))


def _order_days(code: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (customer code, day) pairs sorted by customer then day (one int64 sort)."""
    if days.size == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    dmin = int(days.min())
    span = int(days.max()) - dmin + 1
    key = np.sort(code.astype(np.int64) * span + (days - dmin))
    distinct = np.ones(key.size, dtype=bool)
    distinct[1:] = key[1:] != key[:-1]
    key = key[distinct]
    return key // span, key % span + dmin


def inter_order_gaps(customer_ids, dates, as_of) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """All completed gaps between consecutive orders on or before ``as_of``.

    Returns ``(customers, customer_index, gap_number, gap_days)``: ``gap_number`` 0 is the gap from the first
    to the second order. Used for population timing distributions (how soon do customers reorder?).
    """
    cust = np.asarray(customer_ids)
    days = as_days(dates)
    keep = days <= _scalar_day(as_of)
    customers, code = _factorize(cust[keep])
    ocode, oday = _order_days(code, days[keep])
    same = ocode[1:] == ocode[:-1]
    gcode = ocode[1:][same]
    starts = np.searchsorted(gcode, gcode, side="left")
    number = np.arange(gcode.size) - starts
    return customers, gcode, number.astype(np.int64), (oday[1:] - oday[:-1])[same].astype(np.int64)


def customer_features(customer_ids, dates, revenue, as_of) -> CustomerFeatures:
    """Recency, frequency, inter-order timing and 12-month revenue trend per customer as of ``as_of``."""
    cust = np.asarray(customer_ids)
    days = as_days(dates)
    rev = np.asarray(revenue, dtype=float)
    if not (cust.shape == days.shape == rev.shape) or cust.ndim != 1:
        raise ValueError("customer_ids, dates and revenue must be 1-d arrays of equal length")
    ref = _scalar_day(as_of)
    keep = days <= ref
    cust, days, rev = cust[keep], days[keep], rev[keep]
    customers, code = _factorize(cust)
    n = customers.size
    ocode, oday = _order_days(code, days)
    n_orders = np.bincount(ocode, minlength=n)
    starts = np.searchsorted(ocode, np.arange(n))
    first, last = oday[starts], oday[starts + n_orders - 1]

    same = ocode[1:] == ocode[:-1]
    gaps = (oday[1:] - oday[:-1])[same].astype(float)
    gcode = ocode[1:][same]
    n_gaps = np.bincount(gcode, minlength=n)
    gsum = np.bincount(gcode, weights=gaps, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_gap = np.where(n_gaps > 0, gsum / np.maximum(n_gaps, 1), np.nan)
        dev2 = np.bincount(gcode, weights=(gaps - mean_gap[gcode]) ** 2, minlength=n)
        std_gap = np.where(n_gaps > 1, np.sqrt(dev2 / np.maximum(n_gaps - 1, 1)), np.nan)

    age = ref - days
    last12 = np.bincount(code, weights=np.where(age < YEAR_DAYS, rev, 0.0), minlength=n)
    prev12 = np.bincount(code, weights=np.where((age >= YEAR_DAYS) & (age < 2 * YEAR_DAYS), rev, 0.0), minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(prev12 > 0, last12 / np.where(prev12 > 0, prev12, 1.0), np.nan)

    return CustomerFeatures(
        customers=customers,
        n_orders=n_orders.astype(np.int64),
        first_order_days=first,
        last_order_days=last,
        recency_days=(ref - last).astype(np.int64),
        tenure_days=(ref - first).astype(np.int64),
        mean_interval_days=mean_gap,
        std_interval_days=std_gap,
        revenue_last_12m=last12,
        revenue_prev_12m=prev12,
        revenue_ratio=ratio,
        as_of_days=ref,
    )


def dropped_product_groups(
    customer_ids,
    dates,
    groups,
    as_of,
    customers=None,
    window_days: int = 2 * YEAR_DAYS,
    min_group_orders: int = 3,
    min_quiet_days: int = 90,
) -> DroppedGroups:
    """(customer, group) pairs bought regularly in the last ``window_days`` but not for ``max(90, 2 x interval)``.

    ``customers`` (sorted, e.g. ``CustomerFeatures.customers``) fixes the index space of ``customer_index``;
    by default it is the sorted ids seen on or before ``as_of``.
    """
    cust = np.asarray(customer_ids)
    days = as_days(dates)
    grp = np.asarray(groups)
    if not (cust.shape == days.shape == grp.shape):
        raise ValueError("customer_ids, dates and groups must have equal length")
    ref = _scalar_day(as_of)
    if customers is None:
        customers = _factorize(cust[days <= ref])[0]
    customers = np.asarray(customers)
    keep = (days <= ref) & (days > ref - window_days)
    cust, days, grp = cust[keep], days[keep], grp[keep]
    no_regular = np.zeros(customers.size, dtype=np.int64)
    empty = DroppedGroups(
        *(np.empty(0, dt) for dt in (np.int64, grp.dtype, np.int64, float, np.int64, float)), no_regular
    )
    if days.size == 0 or customers.size == 0:
        return empty
    cidx = np.minimum(np.searchsorted(customers, cust), customers.size - 1)
    known = customers[cidx] == cust
    cust, days, grp, cidx = cust[known], days[known], grp[known], cidx[known]
    if days.size == 0:
        return empty
    group_values, gidx = _factorize(grp)
    pair_code = cidx.astype(np.int64) * group_values.size + gidx
    pairs, pcode = _factorize(pair_code)

    kcode, kday = _order_days(pcode, days)
    m = pairs.size
    count = np.bincount(kcode, minlength=m)
    starts = np.searchsorted(kcode, np.arange(m))
    first, last = kday[starts], kday[starts + count - 1]
    regular = count >= min_group_orders
    interval = (last - first) / np.maximum(count - 1, 1)
    since = ref - last
    threshold = np.maximum(float(min_quiet_days), 2.0 * interval)
    dropped = regular & (since > threshold)
    sel = np.flatnonzero(dropped)
    return DroppedGroups(
        customer_index=(pairs[sel] // group_values.size).astype(np.int64),
        group=group_values[pairs[sel] % group_values.size],
        n_orders_24m=count[sel].astype(np.int64),
        interval_days=interval[sel].astype(float),
        days_since=since[sel].astype(np.int64),
        threshold_days=threshold[sel],
        regular_per_customer=np.bincount(pairs[regular] // group_values.size, minlength=customers.size).astype(
            np.int64
        ),
    )
