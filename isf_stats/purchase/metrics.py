"""Evaluation metrics for purchase predictions (no scikit-learn dependency).

``roc_auc`` is the rank (Mann-Whitney) form: the probability that a randomly chosen positive gets a higher
score than a randomly chosen negative, ties counting one half. Tied scores are common here (all one-time
buyers acquired on the same day have identical BG/NBD predictions), so ties must be handled exactly: average
ranks do that.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

__all__ = ["roc_auc", "mean_absolute_error"]


def roc_auc(y_true, score) -> float:
    """ROC AUC of ``score`` for the binary labels ``y_true`` (1/True = positive), ties handled by mid-ranks."""
    y = np.asarray(y_true).astype(bool).ravel()
    s = np.asarray(score, dtype=float).ravel()
    if y.shape != s.shape:
        raise ValueError("y_true and score must have the same length")
    if not np.all(np.isfinite(s)):
        raise ValueError("scores must be finite")
    n_pos = int(y.sum())
    n_neg = y.size - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("ROC AUC needs at least one positive and one negative label")
    ranks = rankdata(s)  # average ranks for ties
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def mean_absolute_error(actual, predicted) -> float:
    """Mean of |actual - predicted|."""
    a = np.asarray(actual, dtype=float).ravel()
    p = np.asarray(predicted, dtype=float).ravel()
    if a.shape != p.shape:
        raise ValueError("actual and predicted must have the same length")
    if a.size == 0:
        raise ValueError("need at least one value")
    return float(np.mean(np.abs(a - p)))
