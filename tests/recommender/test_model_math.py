"""The recommender's arithmetic on tiny hand-made matrices with known answers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from recommender import neighbours as neighbours_module
from recommender.base import UserHistory
from recommender.catalog_data import CatalogSnapshot
from recommender.collaborative import fold_in, svd_train
from recommender.neighbours import topk_cosine_neighbours
from recommender.popularity import weighted_rating
from recommender.recommenders import BlendWeights, HybridRecommender, NeighbourRecommender
from recommender.scoring import NeighbourModel

FILM_IDS = np.array([10, 20, 30, 40], dtype=np.int64)


def tiny_snapshot(n: int = 4) -> CatalogSnapshot:
    ids = FILM_IDS[:n]
    return CatalogSnapshot(
        token=1,
        movie_ids=ids,
        titles=[f"Film {movie_id}" for movie_id in ids],
        tmdb_vote_counts=np.zeros(n),
        tmdb_vote_averages=np.zeros(n),
        weighted_rating=np.linspace(4.0, 3.0, n),
        prior=np.linspace(1.0, 0.0, n),
        hidden=np.zeros(n, dtype=bool),
        genre_names={},
        genre_members={},
        primary_genre=np.zeros(n, dtype=np.int64),
    )


@pytest.mark.parametrize("dense_share", [0.01, 1.0], ids=["common-features-through-blas", "all-sparse"])
def test_blockwise_top_k_equals_brute_force_on_a_small_matrix(
    dense_share: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(neighbours_module, "DENSE_FEATURE_SHARE", dense_share)
    matrix = sparse.random(60, 25, density=0.2, random_state=3, format="csr", dtype=np.float32)
    neighbours, scores = topk_cosine_neighbours(matrix, k=4, block_rows=7)

    dense = matrix.toarray()
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    unit = np.divide(dense, norms, out=np.zeros_like(dense), where=norms > 0)
    similarity = unit @ unit.T
    np.fill_diagonal(similarity, -np.inf)
    for row in range(60):
        expected = np.sort(similarity[row])[::-1][:4]
        expected = np.where(expected > 0, expected, 0)
        np.testing.assert_allclose(scores[row], expected, atol=1e-5)
        for neighbour, score in zip(neighbours[row], scores[row], strict=True):
            if neighbour >= 0:
                assert abs(similarity[row, neighbour] - score) < 1e-5
            else:
                assert score == 0


def test_a_film_is_never_its_own_neighbour() -> None:
    matrix = sparse.csr_matrix(np.array([[1, 0], [1, 0], [0, 1]], dtype=np.float32))
    neighbours, scores = topk_cosine_neighbours(matrix, k=2)
    assert neighbours[0].tolist() == [1, -1]
    assert scores[0].tolist() == [1.0, 0.0]
    assert neighbours[2].tolist() == [-1, -1]


def test_weighted_rating_pulls_films_with_few_votes_towards_the_mean() -> None:
    rating = weighted_rating(np.array([1000.0, 1.0, 1000.0]), np.array([4.0, 5.0, 2.0]), minimum_votes=100)
    # mean weighted by votes: (4000 + 5 + 2000) / 2001
    mean = 6005 / 2001
    assert abs(rating[1] - (1 / 101 * 5 + 100 / 101 * mean)) < 1e-9
    assert rating[0] > rating[1] > rating[2]


def test_fold_in_moves_the_user_towards_what_they_rated_high() -> None:
    # Two "directions" of taste: films 0-1 load on the first factor, 2-3 on the second.
    item_factors = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]], dtype=np.float32)
    item_biases = np.zeros(4, dtype=np.float32)
    factors, _bias = fold_in(
        item_factors=item_factors[[0, 2]],
        item_biases=item_biases[[0, 2]],
        global_mean=3.0,
        scores=np.array([5.0, 1.0]),
    )
    predicted = 3.0 + item_factors @ factors
    assert predicted[1] > 3.0 > predicted[3]
    assert predicted[1] > predicted[3]


def test_fold_in_with_no_ratings_is_the_average_user() -> None:
    factors, bias = fold_in(
        item_factors=np.zeros((0, 3), dtype=np.float32),
        item_biases=np.zeros(0, dtype=np.float32),
        global_mean=3.5,
        scores=np.zeros(0),
    )
    assert factors.tolist() == [0.0, 0.0, 0.0]
    assert bias == 0.0


def test_lean_feeding_trains_surprise_svd_to_fit_a_clear_pattern() -> None:
    # Users 0-9 love films 0-4 and dislike 5-9; users 10-19 the opposite.
    users, items, scores = [], [], []
    for user in range(20):
        for item in range(10):
            if (user + item) % 3 == 0:
                continue  # leave some cells out, to predict
            likes = (item < 5) == (user < 10)
            users.append(user)
            items.append(item)
            scores.append(5.0 if likes else 1.0)
    factors = svd_train(
        users=np.array(users),
        items=np.array(items),
        scores=np.array(scores),
        n_users=20,
        n_items=10,
        params={"n_factors": 4, "n_epochs": 200, "lr_all": 0.02, "reg_all": 0.01},
    )
    assert abs(factors.global_mean - np.mean(scores)) < 1e-6
    held_out = factors.predict(np.array([0, 10]), np.array([3, 3]))  # (0+3)%3 == 0 and (10+3)%3 != 0
    assert held_out[0] > 4.0
    assert factors.item_factors.shape == (10, 4)


def test_blend_weights_shift_from_content_and_popularity_to_collaborative() -> None:
    weights = BlendWeights(
        cold={"svd": 0.0, "item_neighbours": 0.0, "content": 0.5, "popularity": 0.5},
        warm={"svd": 0.5, "item_neighbours": 0.5, "content": 0.0, "popularity": 0.0},
        half_way=10,
    )
    new_user, halfway, veteran = weights.for_ratings(0), weights.for_ratings(10), weights.for_ratings(990)
    assert new_user == {"svd": 0.0, "item_neighbours": 0.0, "content": 0.5, "popularity": 0.5}
    assert halfway == {"svd": 0.25, "item_neighbours": 0.25, "content": 0.25, "popularity": 0.25}
    assert veteran["svd"] == 0.495 and abs(veteran["content"] - 0.005) < 1e-12


def neighbour_model() -> NeighbourModel:
    # 10 <-> 20 are close, 30 <-> 40 are close.
    return NeighbourModel.from_arrays(
        version_id=1,
        kind="content",
        arrays={
            "movie_ids": FILM_IDS,
            "neighbours": np.array([[1, 2], [0, 3], [3, 0], [2, 1]], dtype=np.int32),
            "scores": np.array([[0.9, 0.1], [0.9, 0.1], [0.8, 0.1], [0.8, 0.1]], dtype=np.float32),
        },
    )


def test_content_affinity_recommends_the_neighbour_of_a_liked_film_with_the_reason() -> None:
    recommender = NeighbourRecommender(tiny_snapshot(), neighbour_model(), name="content")
    history = UserHistory(ratings={30: 5.0})
    top = recommender.recommend(history, limit=1)
    assert top[0].movie_id == 40
    assert top[0].reason == "Because you liked Film 30"


def test_rated_and_excluded_films_never_come_back() -> None:
    recommender = HybridRecommender(tiny_snapshot(), content=neighbour_model(), item_neighbours=neighbour_model())
    history = UserHistory(ratings={10: 5.0, 30: 1.0}, excluded=frozenset({20}))
    returned = [item.movie_id for item in recommender.recommend(history, limit=10)]
    assert returned == [40]


def test_a_new_user_gets_popularity_from_the_hybrid() -> None:
    recommender = HybridRecommender(tiny_snapshot(), content=neighbour_model())
    returned = recommender.recommend(UserHistory(ratings={}), limit=4)
    assert [item.movie_id for item in returned] == [10, 20, 30, 40]
    assert set(returned[0].parts) == {"popularity"}


def test_on_a_large_catalog_the_svd_re_ranks_a_pool_chosen_by_the_cheap_signals(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from recommender import recommenders
    from recommender.scoring import SvdModel

    monkeypatch.setattr(recommenders, "RERANK_POOL", 1)
    factors = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]], dtype=np.float32)
    svd = SvdModel(
        version_id=1,
        movie_ids=FILM_IDS,
        item_factors=factors,
        item_biases=np.zeros(4, dtype=np.float32),
        global_mean=3.0,
        user_ids=np.zeros(0, dtype=np.int64),
        user_factors=np.zeros((0, 2), dtype=np.float32),
        user_biases=np.zeros(0, dtype=np.float32),
        user_counts=np.zeros(0, dtype=np.int64),
        ratings_cutoff=0.0,
    )
    recommender = HybridRecommender(tiny_snapshot(), svd=svd, content=neighbour_model())
    returned = recommender.recommend(UserHistory(ratings={10: 5.0}), limit=3)
    # Only the pool (one film: the content neighbour of the liked film) is ranked at all.
    assert [item.movie_id for item in returned] == [20]
    assert set(returned[0].parts) >= {"svd", "content"}


def test_strongest_sources_of_many_films_equal_a_brute_force_per_film() -> None:
    """The reason of each recommended film ("Because you liked X"), found for all films in one pass."""
    rng = np.random.default_rng(7)
    n, k = 40, 5
    ids = np.arange(100, 100 + n, dtype=np.int64)
    snapshot = CatalogSnapshot(
        token=1,
        movie_ids=ids,
        titles=[f"Film {movie_id}" for movie_id in ids],
        tmdb_vote_counts=np.zeros(n),
        tmdb_vote_averages=np.zeros(n),
        weighted_rating=np.zeros(n),
        prior=np.zeros(n),
        hidden=np.zeros(n, dtype=bool),
        genre_names={},
        genre_members={},
        primary_genre=np.zeros(n, dtype=np.int64),
    )
    neighbours = np.array([rng.choice(np.delete(np.arange(n), row), k, replace=False) for row in range(n)])
    neighbours[::7, -1] = -1  # some lists are short
    scores = rng.uniform(0.1, 1.0, (n, k)).astype(np.float32)
    model = NeighbourModel.from_arrays(
        version_id=1, kind="content", arrays={"movie_ids": ids, "neighbours": neighbours, "scores": scores}
    )
    rated = np.array([3, 11, 17, 25, 30, 38])
    weights = np.array([1.5, -0.5, 0.8, 0.0, 2.0, 0.8])  # disliked and neutral films pull nothing
    pointed_at = neighbours[rated][neighbours[rated] >= 0]
    films = [*np.unique(pointed_at).tolist()[:12], *(film for film in range(n) if film not in pointed_at)][:16]

    found = model.strongest_sources(snapshot, films, rated, weights)

    expected = {}
    for film in films:
        pulls = [
            float(scores[row][neighbours[row] == film].sum()) * weight if weight > 0 else 0.0
            for row, weight in zip(rated, weights, strict=True)
        ]
        best = int(np.argmax(pulls))
        if pulls[best] > 0:
            expected[film] = (int(rated[best]), pulls[best])
    assert found.keys() == expected.keys()
    assert expected, "the data should give some film a source"
    for film, (source, pull) in expected.items():
        assert found[film][0] == source
        assert found[film][1] == pytest.approx(pull)
    assert model.strongest_sources(snapshot, [], rated, weights) == {}
    assert model.strongest_sources(snapshot, films, rated, np.zeros(len(rated))) == {}


def test_a_reason_never_calls_a_film_rated_low_liked() -> None:
    """The co-rating signal counts films watched and disliked; "Because you liked" must not name them."""
    recommender = HybridRecommender(tiny_snapshot(), item_neighbours=neighbour_model())
    everything_low = UserHistory(ratings={10: 1.0, 30: 1.5})
    reasons = {item.movie_id: item.reason for item in recommender.recommend(everything_low, limit=2)}
    assert set(reasons) == {20, 40}
    assert reasons == {20: "Popular on moviesite", 40: "Popular on moviesite"}


def test_a_reason_names_a_film_only_when_it_was_rated_high_not_just_above_a_low_average() -> None:
    # 2.0 is above this user's average (everything else 0.5) but is not liking a film.
    history = UserHistory(ratings={10: 2.0, 30: 4.5})
    for recommender in (
        HybridRecommender(tiny_snapshot(), item_neighbours=neighbour_model()),
        NeighbourRecommender(tiny_snapshot(), neighbour_model(), name="item_neighbours"),
    ):
        reasons = {item.movie_id: item.reason for item in recommender.recommend(history, limit=2)}
        assert reasons[40] == "Because you liked Film 30"
        assert reasons[20] == "Popular on moviesite"
