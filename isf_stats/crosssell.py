"""Cross-sell scores from co-occurrence of product groups over accounts (Django-free).

An account "buys" a product group when it has at least one order line of that group. The model
learns, over all accounts, how often groups are bought together:

* ``support_[i]``   number of accounts buying group i,
* ``cooc_[i, j]``   number of accounts buying both i and j,
* ``triples_[a, b, j]`` number of accounts buying a, b and j (for the two-group reason text).

The score of a group j that an account does not buy yet is the sum over the groups i it buys of
the shrunk conditional probability P(j | i) = cooc[i, j] / (support[i] + shrinkage), divided by
P(j) ** ``popularity_damping``. The sum rewards groups that many of the account's groups point to;
the damping keeps very common groups from winning everywhere (damping 0 is plain item-to-item
co-occurrence, damping 1 is lift). The reason of a suggestion names the two bought groups that
contribute most and the share of accounts buying both that also buy j: "bought by 64 % of
customers who buy fasteners and adhesives".

``evaluate_time_split`` is the offline check: learn from first purchases before a cutoff, test on
the groups each account first bought after it, hit rate at k against the popularity baseline.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np


class NotFittedError(RuntimeError):
    """A score was requested before ``fit``."""


@dataclass(frozen=True)
class Suggestion:
    group: int  # column index
    score: float
    because: tuple[int, ...]  # one or two column indices of bought groups
    share: float  # fraction 0..1 of accounts buying `because` that also buy `group`
    base_count: int  # accounts buying all of `because`


def basket_matrix(pairs: Iterable[tuple[int, int]], n_accounts: int, n_groups: int) -> np.ndarray:
    """Boolean account x group matrix from (account index, group index) pairs."""
    X = np.zeros((n_accounts, n_groups), dtype=bool)
    arr = np.asarray(list(pairs), dtype=np.int64).reshape(-1, 2)
    if arr.size:
        X[arr[:, 0], arr[:, 1]] = True
    return X


class CoOccurrenceModel:
    """Item-to-item co-occurrence recommender for product groups (estimator contract: fit returns self)."""

    def __init__(self, *, shrinkage: float = 5.0, popularity_damping: float = 0.5, min_pair_support: int = 10):
        if shrinkage < 0 or not 0 <= popularity_damping <= 1 or min_pair_support < 1:
            raise ValueError("shrinkage >= 0, 0 <= popularity_damping <= 1, min_pair_support >= 1")
        self.shrinkage = shrinkage
        self.popularity_damping = popularity_damping
        self.min_pair_support = min_pair_support

    # -- learning -----------------------------------------------------------------------
    def fit(self, X: np.ndarray) -> CoOccurrenceModel:
        X = np.asarray(X, dtype=bool)
        if X.ndim != 2:
            raise ValueError("X must be a 2-d account x group matrix")
        Xf = X.astype(np.float32)
        self.n_accounts_ = int(X.shape[0])
        self.n_groups_ = int(X.shape[1])
        self.support_ = X.sum(axis=0).astype(np.int64)
        self.cooc_ = np.rint(Xf.T @ Xf).astype(np.int64)
        triples = np.zeros((self.n_groups_, self.n_groups_, self.n_groups_), dtype=np.int64)
        for a in range(self.n_groups_):
            rows = Xf[X[:, a]]
            if rows.shape[0]:
                triples[a] = np.rint(rows.T @ rows).astype(np.int64)
        self.triples_ = triples
        self._derive()
        return self

    def _derive(self) -> None:
        support = self.support_.astype(float)
        cond = self.cooc_ / (support[:, None] + self.shrinkage if self.shrinkage else np.maximum(support[:, None], 1))
        np.fill_diagonal(cond, 0.0)
        self.cond_ = cond
        popularity = (support + 1.0) / (self.n_accounts_ + 2.0)
        self.popularity_ = popularity
        self._weight = popularity ** (-self.popularity_damping)

    def _check(self) -> None:
        if not hasattr(self, "cooc_"):
            raise NotFittedError("call fit() first")

    # -- scoring ------------------------------------------------------------------------
    def scores(self, owned: Sequence[int]) -> np.ndarray:
        """Score of every group for an account buying `owned`; owned groups get -inf."""
        self._check()
        owned = [int(g) for g in owned]
        if owned:
            s = self.cond_[owned].sum(axis=0) * self._weight
        else:
            s = self.popularity_.copy()
        s = s.astype(float)
        s[owned] = -np.inf
        return s

    def recommend(self, owned: Sequence[int], k: int = 5, exclude: Sequence[int] = ()) -> list[Suggestion]:
        """The k best groups not yet bought, each with its reason."""
        s = self.scores(owned)
        if len(exclude):
            s[list(exclude)] = -np.inf
        order = [int(j) for j in np.argsort(-s, kind="stable") if np.isfinite(s[j]) and s[j] > 0][:k]
        return [self._reason(owned, j, float(s[j])) for j in order]

    def _reason(self, owned: Sequence[int], j: int, score: float) -> Suggestion:
        owned = [int(g) for g in owned]
        if not owned:
            share = self.support_[j] / max(self.n_accounts_, 1)
            return Suggestion(j, score, (), float(share), self.n_accounts_)
        contrib = sorted(owned, key=lambda i: (-self.cond_[i, j], i))
        a = contrib[0]
        if len(contrib) > 1:
            b = contrib[1]
            both = int(self.cooc_[a, b])
            if both >= self.min_pair_support:
                return Suggestion(j, score, (a, b), float(self.triples_[a, b, j] / both), both)
        base = int(self.support_[a])
        return Suggestion(j, score, (a,), float(self.cooc_[a, j] / base) if base else 0.0, base)

    # -- persistence ----------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        self._check()
        buf = io.BytesIO()
        np.savez_compressed(
            buf,
            params=np.array([self.shrinkage, self.popularity_damping, self.min_pair_support], dtype=float),
            n_accounts=np.array([self.n_accounts_]),
            support=self.support_,
            cooc=self.cooc_,
            triples=self.triples_.astype(np.int32),
        )
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> CoOccurrenceModel:
        with np.load(io.BytesIO(data)) as z:
            shrinkage, damping, min_pair = (float(v) for v in z["params"])
            model = cls(shrinkage=shrinkage, popularity_damping=damping, min_pair_support=int(min_pair))
            model.n_accounts_ = int(z["n_accounts"][0])
            model.support_ = z["support"].astype(np.int64)
            model.cooc_ = z["cooc"].astype(np.int64)
            model.triples_ = z["triples"].astype(np.int64)
        model.n_groups_ = int(model.support_.size)
        model._derive()
        return model


class PopularityModel:
    """The baseline: the most bought groups the account does not buy yet."""

    def fit(self, X: np.ndarray) -> PopularityModel:
        X = np.asarray(X, dtype=bool)
        self.support_ = X.sum(axis=0).astype(np.int64)
        return self

    def scores(self, owned: Sequence[int]) -> np.ndarray:
        s = self.support_.astype(float)
        s[[int(g) for g in owned]] = -np.inf
        return s


def hit_rate_at_k(model, owned_sets: Sequence[Sequence[int]], new_sets: Sequence[set[int]], k: int = 5) -> float:
    """Share of accounts where at least one of the top-k suggestions is among the groups bought later."""
    if not owned_sets:
        return 0.0
    hits = 0
    for owned, new in zip(owned_sets, new_sets, strict=True):
        s = model.scores(owned)
        top = [int(j) for j in np.argsort(-s, kind="stable")[:k] if np.isfinite(s[j])]
        hits += bool(new.intersection(top))
    return hits / len(owned_sets)


def evaluate_time_split(
    first_purchases: Iterable[tuple[int, int, int]],
    *,
    cutoff: int,
    n_groups: int,
    k: int = 5,
    model: CoOccurrenceModel | None = None,
) -> dict:
    """Offline evaluation on a time split.

    `first_purchases` holds (account key, group index, day of the first purchase as an ordinal).
    Learn from the purchases before `cutoff` (all accounts); test every account that bought
    something before the cutoff and at least one group for the first time on or after it.
    """
    before: dict[int, list[int]] = {}
    after: dict[int, set[int]] = {}
    for acc, group, day in first_purchases:
        if day < cutoff:
            before.setdefault(acc, []).append(int(group))
        else:
            after.setdefault(acc, set()).add(int(group))
    accounts = sorted(before)
    index = {a: i for i, a in enumerate(accounts)}
    X = basket_matrix(((index[a], g) for a in accounts for g in before[a]), len(accounts), n_groups)
    method = (model or CoOccurrenceModel()).fit(X)
    baseline = PopularityModel().fit(X)
    test = [a for a in accounts if after.get(a)]
    owned = [before[a] for a in test]
    new = [after[a] for a in test]
    return {
        "k": k,
        "train_accounts": len(accounts),
        "test_accounts": len(test),
        "hit_rate_method": hit_rate_at_k(method, owned, new, k),
        "hit_rate_popularity": hit_rate_at_k(baseline, owned, new, k),
    }
