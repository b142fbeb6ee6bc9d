"""Golden tests of the cross-sell math on hand-made baskets (no Django)."""

import numpy as np
import pytest

from isf_stats.crosssell import (
    CoOccurrenceModel,
    NotFittedError,
    PopularityModel,
    basket_matrix,
    evaluate_time_split,
    hit_rate_at_k,
)

# groups: 0 fasteners, 1 adhesives, 2 sealants, 3 gloves (popular everywhere), 4 welding
BASKETS = [
    [0, 1, 2, 3],
    [0, 1, 2, 3],
    [0, 1, 2],
    [0, 1, 3],
    [0, 1, 3],
    [3, 4],
    [3, 4],
    [3],
    [0, 3],
    [1, 3],
]


def _X():
    return basket_matrix(((i, g) for i, b in enumerate(BASKETS) for g in b), len(BASKETS), 5)


def test_counts_are_exact():
    m = CoOccurrenceModel(shrinkage=0, popularity_damping=0, min_pair_support=1).fit(_X())
    assert m.support_.tolist() == [6, 6, 3, 9, 2]
    assert m.cooc_[0, 1] == 5 and m.cooc_[0, 2] == 3 and m.cooc_[3, 4] == 2
    assert m.triples_[0, 1, 2] == 3  # fasteners & adhesives & sealants
    assert m.triples_[0, 1, 3] == 4


def test_plain_cooccurrence_scores_are_sums_of_conditional_probabilities():
    m = CoOccurrenceModel(shrinkage=0, popularity_damping=0, min_pair_support=1).fit(_X())
    s = m.scores([0, 1])
    # P(2|0)+P(2|1) = 3/6 + 3/6 ; P(3|0)+P(3|1) = 5/6 + 5/6 ; P(4|.) = 0
    assert s[2] == pytest.approx(1.0)
    assert s[3] == pytest.approx(10 / 6)
    assert s[4] == 0
    assert s[0] == -np.inf and s[1] == -np.inf


def test_popularity_damping_lifts_specific_groups_over_everywhere_groups():
    m = CoOccurrenceModel(shrinkage=0, popularity_damping=1.0, min_pair_support=1).fit(_X())
    top = m.recommend([0, 1], k=1)[0]
    assert top.group == 2  # sealants go with fasteners+adhesives; gloves are bought by everyone


def test_reason_names_the_two_strongest_groups_and_the_share_of_accounts_buying_both():
    m = CoOccurrenceModel(shrinkage=0, popularity_damping=1.0, min_pair_support=1).fit(_X())
    s = m.recommend([0, 1], k=1)[0]
    assert s.because == (0, 1)
    assert s.base_count == 5  # accounts with fasteners and adhesives
    assert s.share == pytest.approx(3 / 5)  # 64 % style: 3 of those 5 also buy sealants


def test_reason_falls_back_to_one_group_below_the_pair_support():
    m = CoOccurrenceModel(shrinkage=0, popularity_damping=0, min_pair_support=50).fit(_X())
    s = m.recommend([0, 1], k=1)[0]
    assert len(s.because) == 1
    assert s.share == pytest.approx(m.cooc_[s.because[0], s.group] / m.support_[s.because[0]])


def test_recommend_returns_at_most_k_unbought_groups_with_positive_score():
    m = CoOccurrenceModel().fit(_X())
    recs = m.recommend([3, 4], k=5)
    groups = [r.group for r in recs]
    assert 3 not in groups and 4 not in groups
    assert len(groups) == len(set(groups)) <= 5


def test_model_round_trips_through_bytes():
    m = CoOccurrenceModel(shrinkage=2, popularity_damping=0.3, min_pair_support=2).fit(_X())
    m2 = CoOccurrenceModel.from_bytes(m.to_bytes())
    assert np.array_equal(m.cooc_, m2.cooc_) and np.array_equal(m.triples_, m2.triples_)
    assert np.allclose(m.scores([0]), m2.scores([0]))
    assert (m2.shrinkage, m2.popularity_damping, m2.min_pair_support) == (2, 0.3, 2)


def test_unfitted_model_refuses_to_score():
    with pytest.raises(NotFittedError):
        CoOccurrenceModel().scores([0])


def test_bad_hyperparameters_are_refused():
    with pytest.raises(ValueError):
        CoOccurrenceModel(popularity_damping=2)


def test_hit_rate_counts_accounts_with_at_least_one_hit():
    X = _X()
    pop = PopularityModel().fit(X)
    # popularity order: 3 (9), 0 (6), 1 (6), 2 (3), 4 (2)
    assert hit_rate_at_k(pop, [[3], [3]], [{0}, {4}], k=1) == 0.5
    assert hit_rate_at_k(pop, [[3], [3]], [{0}, {4}], k=4) == 1.0


def test_time_split_learns_before_and_tests_after_the_cutoff():
    # cluster A (0,1,2) and cluster B (3,4,5): accounts later adopt the missing group of their cluster,
    # while group 6 is bought by many accounts of both clusters (popular but not what they adopt).
    rows = []
    acc = 0
    for cluster in ((0, 1, 2), (3, 4, 5)):
        for _ in range(30):
            rows += [(acc, g, 1) for g in cluster] + [(acc, 6, 1)]
            acc += 1
        for later in cluster:
            for _ in range(5):
                owned = [g for g in cluster if g != later]
                rows += [(acc, g, 1) for g in owned] + [(acc, later, 10)]
                acc += 1
    for _ in range(40):
        rows += [(acc, 6, 1), (acc, 7, 1)]
        acc += 1
    result = evaluate_time_split(rows, cutoff=5, n_groups=8, k=1)
    assert result["test_accounts"] == 30
    assert result["train_accounts"] == acc
    assert result["hit_rate_method"] == 1.0
    assert result["hit_rate_popularity"] == 0.0
