"""ABC analysis on the revenue Pareto curve (no database access).

Accounts sorted by revenue, largest first: A is the smallest group of top accounts that makes at
least `a_share` of the revenue (about 80 %), B the next accounts up to `a_share + b_share`
(about 95 %), C the rest (including accounts without revenue). The thresholds are the smallest
revenue inside A and inside B: a rule "revenue from threshold" reproduces the classes (ties at
the threshold go to the higher class).
"""

from dataclasses import dataclass
from decimal import Decimal

import numpy as np


@dataclass(frozen=True)
class AbcClass:
    code: str
    accounts: int
    revenue: float
    revenue_share: float
    account_share: float


@dataclass(frozen=True)
class AbcProposal:
    threshold_a: Decimal | None
    threshold_b: Decimal | None
    classes: list[AbcClass]
    total_revenue: float
    total_accounts: int
    a_share: float
    b_share: float

    @property
    def display_rows(self) -> list[tuple[AbcClass, Decimal | None, Decimal | None]]:
        """(class, share of accounts in %, share of revenue in %) rounded so each column adds up to 100."""
        from isf.core.numbers import largest_remainder

        accounts = largest_remainder([c.account_share for c in self.classes]) if self.total_accounts else [None] * 3
        revenue = largest_remainder([c.revenue_share for c in self.classes]) if self.total_revenue else [None] * 3
        return list(zip(self.classes, accounts, revenue, strict=True))


def abc_propose(revenues, *, a_share: float = 0.80, b_share: float = 0.15) -> AbcProposal:
    """Propose A/B thresholds for a list of per-account revenues (any order; negatives count as 0)."""
    if not (0 < a_share < 1 and 0 < b_share < 1 and a_share + b_share < 1):
        raise ValueError("shares must be in (0, 1) and add up to less than 1")
    values = np.sort(np.clip(np.asarray(revenues, dtype=float), 0, None))[::-1]
    n, total = int(values.size), float(values.sum())
    if n == 0 or total <= 0:
        empty = [AbcClass(c, n if c == "C" else 0, 0.0, 0.0, 1.0 if (c == "C" and n) else 0.0) for c in "ABC"]
        return AbcProposal(None, None, empty, 0.0, n, a_share, b_share)
    cum = np.cumsum(values) / total
    eps = 1e-12
    ia = int(np.searchsorted(cum, a_share - eps))  # index of the last A account
    ib = max(int(np.searchsorted(cum, a_share + b_share - eps)), ia + 1)
    t_a = values[ia]
    t_b = values[ib] if ib < n else None
    # ties: everything at or above a threshold belongs to the class (as a "from" rule would decide)
    n_a = int((values >= t_a).sum())
    n_b = int((values >= t_b).sum()) - n_a if t_b is not None and t_b > 0 else 0
    if t_b is not None and t_b <= 0:
        t_b = None
    counts = {"A": n_a, "B": n_b, "C": n - n_a - n_b}
    rev = {"A": float(values[:n_a].sum()), "B": float(values[n_a:n_a + n_b].sum())}
    rev["C"] = total - rev["A"] - rev["B"]
    classes = [AbcClass(c, counts[c], rev[c], rev[c] / total, counts[c] / n) for c in "ABC"]
    as_dec = lambda v: None if v is None else Decimal(str(round(float(v), 2)))  # noqa: E731
    return AbcProposal(as_dec(t_a), as_dec(t_b), classes, total, n, a_share, b_share)
