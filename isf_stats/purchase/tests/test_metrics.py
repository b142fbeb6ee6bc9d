import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isf_stats.purchase.metrics import mean_absolute_error, roc_auc


def _pairwise_auc(y, s):
    pos = [v for v, lab in zip(s, y, strict=True) if lab]
    neg = [v for v, lab in zip(s, y, strict=True) if not lab]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in itertools.product(pos, neg))
    return wins / (len(pos) * len(neg))


def test_auc_known_values():
    assert roc_auc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4]) == 1.0
    assert roc_auc([1, 1, 0, 0], [0.1, 0.2, 0.3, 0.4]) == 0.0
    assert roc_auc([0, 1, 0, 1], [5, 5, 5, 5]) == 0.5  # all tied
    assert roc_auc([0, 1, 1], [0.2, 0.2, 0.9]) == pytest.approx(0.75)  # one tie counts one half


@settings(max_examples=100, deadline=None, database=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 4)), min_size=2, max_size=40))
def test_auc_equals_pairwise_definition_with_ties(pairs):
    y = [p[0] for p in pairs]
    s = [float(p[1]) for p in pairs]
    if all(y) or not any(y):
        with pytest.raises(ValueError, match="positive and one negative"):
            roc_auc(y, s)
        return
    assert roc_auc(y, s) == pytest.approx(_pairwise_auc(y, s))


def test_auc_and_mae_reject_bad_input():
    with pytest.raises(ValueError, match="same length"):
        roc_auc([0, 1], [0.5])
    with pytest.raises(ValueError, match="finite"):
        roc_auc([0, 1], [0.5, np.nan])
    with pytest.raises(ValueError, match="same length"):
        mean_absolute_error([1, 2], [1])


def test_mae():
    assert mean_absolute_error([0, 2, 5], [1.0, 2.0, 3.0]) == pytest.approx(1.0)
