"""The offline evaluation's metrics and splits, on rankings small enough to work out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from recommender.evaluation import RELEVANT_SCORE, TOP_N, _relevant_by_user, per_user_holdout, ranking_metrics
from recommender.ratings_data import RatingsData


def test_ten_hits_out_of_ten_is_a_perfect_ranking_whatever_else_was_relevant() -> None:
    relevant = set(range(100, 100 + TOP_N + 2))  # more relevant films than a list holds

    metrics = ranking_metrics(list(range(100, 100 + TOP_N)), relevant)

    assert metrics["ndcg@10"] == pytest.approx(1.0)
    assert metrics["precision@10"] == pytest.approx(1.0)
    assert metrics["recall@10"] == pytest.approx(TOP_N / len(relevant))


def test_a_short_list_is_scored_out_of_ten_places() -> None:
    metrics = ranking_metrics([7, 8], {8})

    assert metrics["precision@10"] == pytest.approx(1 / TOP_N)
    assert metrics["recall@10"] == pytest.approx(1.0)
    # The one hit is in second place; the ideal list has it first.
    assert metrics["ndcg@10"] == pytest.approx(1 / math.log2(3))
    assert metrics["hit_rate@10"] == 1.0


def ratings(users: list[int], scores: list[float]) -> RatingsData:
    """One rating per (user, film) pair: user `u` rates films 0, 1, 2… in order."""
    items = [sum(1 for earlier in users[:index] if earlier == user) for index, user in enumerate(users)]
    return RatingsData(
        users=np.array(users, dtype=np.int32),
        items=np.array(items, dtype=np.int32),
        scores=np.array(scores, dtype=np.float32),
        user_keys=np.arange(1, max(users) + 2, dtype=np.int64),
        movie_ids=np.arange(1000, 1000 + max(items) + 1, dtype=np.int64),
        site_updated_at=np.zeros(len(users)),
    )


def test_a_rating_of_exactly_the_relevance_threshold_counts_as_relevant() -> None:
    data = ratings([0, 0, 0], [RELEVANT_SCORE - 0.5, RELEVANT_SCORE, RELEVANT_SCORE + 0.5])

    assert _relevant_by_user(data, np.arange(len(data))) == {0: {1001, 1002}}


def test_a_user_with_exactly_the_minimum_ratings_has_some_held_out() -> None:
    data = ratings([0] * 5 + [1] * 4, [4.0] * 9)

    split = per_user_holdout(data, np.arange(len(data)), fraction=0.2, min_ratings=5, seed=0)

    assert sorted(data.users[split.test].tolist()) == [0]
    assert sorted([*split.train.tolist(), *split.test.tolist()]) == list(range(len(data)))
