"""The tuned SVD is scored on ratings its parameters were not chosen on, and stored only where it applies."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.management import call_command

from recommender.evaluation import final_test_mask
from recommender.models import EvaluationRun, ModelVersion, TuningRun
from recommender.ratings_data import RatingsData, ratings_load
from tests.factories import dataset_ratings_grid

TINY_SVD = {"n_epochs": 2, "n_factors": 4}


def random_ratings(rng: np.random.Generator, user_keys: np.ndarray, movie_ids: np.ndarray, n: int) -> RatingsData:
    users = rng.integers(0, len(user_keys), n).astype(np.int32)
    items = rng.integers(0, len(movie_ids), n).astype(np.int32)
    return RatingsData(
        users=users,
        items=items,
        scores=rng.integers(1, 11, n).astype(np.float32) / 2,
        user_keys=user_keys,
        movie_ids=movie_ids,
        site_updated_at=np.zeros(n),
    )


def pairs_in_final_test(data: RatingsData) -> dict[tuple[int, int], bool]:
    mask = final_test_mask(data)
    raters, films = data.user_keys[data.users], data.movie_ids[data.items]
    return {(int(r), int(f)): bool(m) for r, f, m in zip(raters, films, mask, strict=True)}


def test_a_rating_stays_in_or_out_of_the_final_test_whatever_is_added_or_reordered() -> None:
    rng = np.random.default_rng(7)
    user_keys = np.concatenate([np.arange(1, 301), -np.arange(1, 301)]).astype(np.int64)
    before = random_ratings(rng, user_keys, np.arange(10, 2010, dtype=np.int64), 20_000)
    # More raters and films, numbered differently, and the ratings shuffled: inner ids all move.
    more_users = np.concatenate([np.arange(-900, -700), user_keys[::-1]]).astype(np.int64)
    more_films = np.arange(5, 3005, dtype=np.int64)
    positions = {int(key): index for index, key in enumerate(more_users)}
    film_positions = {int(film): index for index, film in enumerate(more_films)}
    old_raters, old_films = before.user_keys[before.users], before.movie_ids[before.items]
    extra = random_ratings(rng, more_users, more_films, 5_000)
    order = rng.permutation(len(before) + len(extra))
    after = RatingsData(
        users=np.concatenate([[positions[int(key)] for key in old_raters], extra.users]).astype(np.int32)[order],
        items=np.concatenate([[film_positions[int(film)] for film in old_films], extra.items]).astype(np.int32)[order],
        scores=np.concatenate([before.scores, extra.scores])[order],
        user_keys=more_users,
        movie_ids=more_films,
        site_updated_at=np.zeros(len(order)),
    )

    kept, later = pairs_in_final_test(before), pairs_in_final_test(after)

    assert all(later[pair] == in_final for pair, in_final in kept.items())
    assert 0.08 < np.mean(list(kept.values())) < 0.12


@pytest.mark.django_db
def test_tune_searches_every_rating_except_the_final_test() -> None:
    dataset_ratings_grid(n_films=12, n_raters=30)
    data = ratings_load()
    kept_out = int(final_test_mask(data).sum())
    assert kept_out > 0

    call_command("tune", "--grid", '{"n_epochs": [1], "n_factors": [2]}', "--folds", "2")

    assert TuningRun.objects.get().n_ratings == len(data) - kept_out


@pytest.mark.django_db
def test_evaluate_stores_the_svd_errors_only_on_a_version_trained_with_the_evaluated_parameters() -> None:
    dataset_ratings_grid(n_films=12, n_raters=30)
    call_command("train", "--kind", "collaborative", "--params", '{"n_epochs": 3, "n_factors": 4}')
    TuningRun.objects.create(best_params=TINY_SVD, best_rmse=1.0)

    call_command("evaluate", "--folds", "2")

    trained_otherwise = ModelVersion.objects.get(kind="collaborative", status="active")
    run = EvaluationRun.objects.get()
    final = run.results["svd_final_test"]["tuned"]
    assert final["params"]["n_epochs"] == 2 and final["test_ratings"] > 0
    assert "final_test_rmse" not in trained_otherwise.metrics and "kfold_rmse" not in trained_otherwise.metrics

    call_command("train", "--kind", "collaborative", "--force")
    call_command("evaluate", "--folds", "2")

    trained_with_tuned = ModelVersion.objects.get(kind="collaborative", status="active")
    latest = EvaluationRun.objects.order_by("-id").first()
    assert trained_with_tuned.pk != trained_otherwise.pk
    assert trained_with_tuned.metrics["final_test_rmse"] == latest.results["svd_final_test"]["tuned"]["rmse"]
    assert trained_with_tuned.metrics["kfold_rmse"] == latest.results["svd_kfold"]["tuned"]["rmse"]
