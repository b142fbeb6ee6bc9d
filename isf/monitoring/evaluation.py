"""How good are the flags? A time split of the database's own orders (`isf eval monitoring`).

Learn from the orders up to a cutoff (default: 180 days before the last order), raise the flags exactly as the
nightly run would on that day (same scoring, same thresholds, same eligibility), then look at the next
``HORIZON_DAYS`` days and count, per flag kind, how many flagged accounts showed what the flag predicts:

* ``overdue`` and ``few_expected``: no order at all in the window;
* ``revenue_drop``: a lasting drop, revenue in the window still below half of what the account bought in a window
  of that length before its drop (the 12 months before the last 12, pro rata): the drop did not recover;
* ``group_dropped``: the flagged product group not bought in the window.

``precision`` is that share among the flagged accounts; ``base_rate`` is the same outcome among all scored
accounts (for ``group_dropped``: among all regularly bought account/group pairs), so a flag earns its call only
when its precision clearly beats its base rate (:func:`calibrate`). The whole (``total``) counts an account once,
with the outcome "no order or a lasting drop".
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from isf.monitoring import scoring
from isf.monitoring.choices import FlagCode

HORIZON_DAYS = 90
DEFAULT_CUTOFF_DAYS = 180
LASTING_DROP = 0.5
# A kind is raised when its precision beats its base rate by this much, both as a difference and as a ratio,
# on at least MIN_FLAGGED flagged accounts; with fewer the evaluation cannot tell and the kind stays raised.
MIN_LIFT_POINTS = 0.05
MIN_LIFT_RATIO = 1.2
MIN_FLAGGED = 20


def _share(hits: int, n: int) -> float | None:
    return round(hits / n, 4) if n else None


def _window_facts(data, accounts: np.ndarray, start: int, end: int):
    """Per account (sorted ids): ordered in (start, end], revenue in it; and the set of (account, group) bought."""
    inside = (data.day > start) & (data.day <= end)
    acc, rev, grp = data.account[inside], data.revenue[inside], data.group[inside]
    pos = np.searchsorted(accounts, acc)
    pos = np.minimum(pos, max(accounts.size - 1, 0))
    known = accounts.size > 0
    match = (accounts[pos] == acc) if known else np.zeros(acc.size, dtype=bool)
    ordered = np.zeros(accounts.size, dtype=bool)
    revenue = np.zeros(accounts.size)
    if match.any():
        ordered[pos[match]] = True
        np.add.at(revenue, pos[match], rev[match])
    bought = set(zip(acc[match].tolist(), grp[match].tolist(), strict=True))
    return ordered, revenue, bought


def evaluate_arrays(data, *, cutoff: date, eligible_days: int, horizon_days: int = HORIZON_DAYS) -> dict:
    """The evaluation on order arrays (``isf.monitoring.reading.OrderArrays``); see the module docstring."""
    cut = scoring.day_number(cutoff)
    learn = data.day <= cut
    scores = scoring.score_base(data.account[learn], data.day[learn], data.revenue[learn], data.group[learn], cutoff)
    n = len(scores)
    eligible = scores.recency_days <= eligible_days
    profile = scoring.group_profile(data.account[learn], data.day[learn], data.revenue[learn], data.group[learn],
                                    cutoff)
    candidates = scoring.flag_candidates(scores, eligible=eligible, group_weights=profile.weights())
    ordered, revenue, bought = _window_facts(data, scores.accounts, cut, cut + horizon_days)
    usual = scores.revenue_prev_12m * horizon_days / 365.0
    no_order = ~ordered
    drop = (usual > 0) & (revenue < LASTING_DROP * usual)

    scored = int(eligible.sum())
    items = []
    flagged_any = np.zeros(n, dtype=bool)
    by_code: dict[str, list] = {code: [] for code in FlagCode.values}
    for c in candidates:
        by_code[c.code].append(c)
    for code in FlagCode.values:
        cands = by_code[code]
        idx = np.array([c.index for c in cands], dtype=np.int64)
        flagged_any[idx] = True
        if code == FlagCode.GROUP_DROPPED:
            hits = sum(1 for c in cands if (int(scores.accounts[c.index]), int(c.params["group"])) not in bought)
            eligible_ids = set(scores.accounts[eligible].tolist())
            pairs = [pair for pair in profile.regular() if pair[0] in eligible_ids]
            base_hits = sum(1 for pair in pairs if pair not in bought)
            base_n = len(pairs)
        elif code == FlagCode.REVENUE_DROP:
            hits = int(drop[idx].sum())
            base_pool = eligible & (usual > 0)
            base_hits, base_n = int((drop & base_pool).sum()), int(base_pool.sum())
        else:
            hits = int(no_order[idx].sum())
            base_hits, base_n = int((no_order & eligible).sum()), scored
        items.append({"flag": code, "flagged": len(cands), "flagged_share": _share(len(cands), scored),
                      "precision": _share(hits, len(cands)), "base_rate": _share(base_hits, base_n)})
    either = no_order | drop
    total_flagged = int(flagged_any.sum())
    total = {"flag": "total", "flagged": total_flagged, "flagged_share": _share(total_flagged, scored),
             "precision": _share(int(either[flagged_any].sum()), total_flagged),
             "base_rate": _share(int((either & eligible).sum()), scored)}
    return {"cutoff": cutoff.isoformat(), "observed_until": (cutoff + timedelta(days=horizon_days)).isoformat(),
            "horizon_days": horizon_days, "accounts_scored": scored, "items": items, "total": total,
            "raised": calibrate(items)}


def calibrate(items: list[dict]) -> dict[str, bool]:
    """Per flag kind: is it raised? Only when its precision clearly beats its base rate (or there are too few
    flagged accounts to tell)."""
    raised = {}
    for item in items:
        precision, base = item["precision"], item["base_rate"]
        if item["flagged"] < MIN_FLAGGED or precision is None or base is None:
            raised[item["flag"]] = True
            continue
        raised[item["flag"]] = precision >= base + MIN_LIFT_POINTS and precision >= base * MIN_LIFT_RATIO
    return raised


def evaluate(*, cutoff: date | None = None, horizon_days: int = HORIZON_DAYS) -> dict:
    """Read the database's order lines and evaluate the flags at ``cutoff`` (default 180 days before the last
    order). Raises ValueError when there are no orders, or the cutoff leaves nothing to learn or to observe."""
    from isf.monitoring.reading import read_order_lines
    from isf.monitoring.services import lost_days

    data = read_order_lines()
    if len(data) == 0:
        raise ValueError("there are no orders to evaluate")
    last = scoring.from_day(int(data.day.max()))
    first = scoring.from_day(int(data.day.min()))
    cutoff = cutoff or last - timedelta(days=DEFAULT_CUTOFF_DAYS)
    if cutoff <= first:
        raise ValueError(f"the cutoff {cutoff.isoformat()} is before the first order ({first.isoformat()})")
    if cutoff >= last:
        raise ValueError(f"the cutoff {cutoff.isoformat()} leaves no orders to observe (last order "
                         f"{last.isoformat()})")
    result = evaluate_arrays(data, cutoff=cutoff, eligible_days=lost_days(), horizon_days=horizon_days)
    result["last_order"] = last.isoformat()
    return result
