"""Training as pure functions: ratings or documents in, artifact arrays and metrics out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import sparse

from recommender.collaborative import svd_train
from recommender.neighbours import topk_cosine_neighbours
from recommender.ratings_data import RatingsData

# Below this many ratings there is nothing meaningful to hold out.
_MIN_RATINGS_FOR_HOLDOUT = 100


def item_neighbours_build(
    data: RatingsData, *, k: int, on_block: Callable[[int, int], None] | None = None
) -> dict[str, np.ndarray]:
    """Co-rating neighbours: cosine between films' sets of raters (who watched both)."""
    watched = sparse.csr_matrix(
        (np.ones(len(data), dtype=np.float32), (data.items, data.users)), shape=(data.n_items, data.n_users)
    )
    neighbours, scores = topk_cosine_neighbours(watched, k=k, on_block=on_block)
    return {"movie_ids": data.movie_ids, "neighbours": neighbours, "scores": scores}


def collaborative_build(
    data: RatingsData,
    *,
    params: dict[str, Any],
    holdout_fraction: float = 0.02,
    random_state: int = 0,
    on_epoch: Callable[[int], None] | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """SVD on every rating except a random holdout, which gives the RMSE the registry compares."""
    rng = np.random.default_rng(random_state)
    order = rng.permutation(len(data))
    n_holdout = int(len(data) * holdout_fraction) if len(data) >= _MIN_RATINGS_FOR_HOLDOUT else 0
    holdout, train = order[:n_holdout], order[n_holdout:]
    # SGD sees the ratings in random order: grouped by user it converges worse.
    factors = svd_train(
        users=data.users[train],
        items=data.items[train],
        scores=data.scores[train],
        n_users=data.n_users,
        n_items=data.n_items,
        params=params,
        random_state=random_state,
        on_epoch=on_epoch,
    )
    metrics: dict[str, float] = {"train_seconds": round(factors.seconds, 3)}
    if n_holdout:
        predicted = factors.predict(data.users[holdout], data.items[holdout])
        errors = predicted - data.scores[holdout]
        metrics["holdout_rmse"] = float(np.sqrt(np.mean(errors**2)))
        metrics["holdout_mae"] = float(np.mean(np.abs(errors)))
        metrics["holdout_ratings"] = n_holdout
    site = data.user_keys > 0
    # Ratings each user was trained on: a site user with a rating in the
    # holdout must not pass for unchanged (SvdModel.user_vector), or serving
    # would keep a vector that never saw that rating instead of folding it in.
    counts = np.bincount(data.users[train], minlength=data.n_users)
    site_updated = data.site_updated_at[data.site_updated_at > 0]
    arrays = {
        "movie_ids": data.movie_ids,
        "item_factors": factors.item_factors,
        "item_biases": factors.item_biases,
        "global_mean": np.array(factors.global_mean),
        "user_ids": data.user_keys[site],
        "user_factors": factors.user_factors[site],
        "user_biases": factors.user_biases[site],
        "user_counts": counts[site].astype(np.int32),
        "ratings_cutoff": np.array(float(site_updated.max()) if len(site_updated) else 0.0),
    }
    return arrays, metrics
