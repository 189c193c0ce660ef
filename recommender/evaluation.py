"""Offline evaluation: every recommender on the same split, as served.

Protocol (printed by `manage.py evaluate` and stored with the run):
- a random per-user holdout: for every user with at least `min_ratings`
  ratings, `test_fraction` of their ratings go to the test set;
- the blend weights are tuned on a validation split cut the same way from the
  training part (models fitted without it), never on the test set;
- every model is then fitted on the whole training part;
- full ranking: each user's top 10 among all films they did not rate in
  training; relevant = a test rating >= 4;
- precision, recall, NDCG and hit rate at 10 averaged over users with at least
  one relevant test film; catalog coverage = distinct films recommended / films.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from recommender.base import UserHistory
from recommender.catalog_data import CatalogSnapshot, popularity_prior
from recommender.collaborative import DEFAULT_SVD_PARAMS, svd_train
from recommender.ratings_data import RatingsData
from recommender.recommenders import (
    BlendWeights,
    CatalogRecommender,
    HybridRecommender,
    NeighbourRecommender,
    PopularityRecommender,
    RatedFilms,
    SvdRecommender,
    top_films,
)
from recommender.scoring import NeighbourModel, SvdModel
from recommender.training import item_neighbours_build

RELEVANT_SCORE = 4.0
TOP_N = 10
# Only the ratios between weights matter (the blend divides by their sum), so
# the co-rating signal is the unit and the others are searched relative to it.
WARM_GRID = {
    "svd": (0.0, 0.05, 0.1, 0.2, 0.4),
    "item_neighbours": (1.0,),
    "content": (0.0, 0.02, 0.05, 0.1),
    "popularity": (0.0, 0.05, 0.1, 0.2),
}
HALF_WAY_GRID = (2.0, 5.0, 10.0)
# One rating in this many is kept from `tune` for `evaluate`'s final test.
FINAL_TEST_SHARE = 10


@dataclasses.dataclass(frozen=True)
class Split:
    train: np.ndarray  # row numbers into the RatingsData
    test: np.ndarray


def per_user_holdout(data: RatingsData, rows: np.ndarray, *, fraction: float, min_ratings: int, seed: int) -> Split:
    """Hold out `fraction` of each user's ratings (users with at least `min_ratings`)."""
    rng = np.random.default_rng(seed)
    shuffled = rows[rng.permutation(len(rows))]
    users = data.users[shuffled]
    order = np.argsort(users, kind="stable")
    shuffled, users = shuffled[order], users[order]
    starts = np.flatnonzero(np.r_[True, users[1:] != users[:-1]])
    counts = np.diff(np.r_[starts, len(users)])
    rank = np.arange(len(users)) - np.repeat(starts, counts)
    n_test = np.where(counts >= min_ratings, np.floor(counts * fraction).astype(np.int64), 0)
    is_test = rank < np.repeat(n_test, counts)
    return Split(train=shuffled[~is_test], test=shuffled[is_test])


def _mix64(values: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: every input bit moves every output bit (unsigned, wrapping)."""
    values = values ^ (values >> np.uint64(30))
    values = values * np.uint64(0xBF58476D1CE4E5B9)
    values = values ^ (values >> np.uint64(27))
    values = values * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def final_test_mask(data: RatingsData) -> np.ndarray:
    """The ratings `tune` never sees, on which `evaluate` scores the tuned SVD.

    Chosen by a hash of (rater, film) rather than a random draw, so a rating
    stays in it whatever is added, removed or reordered: no later tuning run can
    have chosen its parameters on it.
    """
    raters = _mix64(data.user_keys[data.users].astype(np.int64).view(np.uint64))
    films = data.movie_ids[data.items].astype(np.int64).view(np.uint64)
    return _mix64(raters ^ films) % np.uint64(FINAL_TEST_SHARE) == 0


def _subset(data: RatingsData, rows: np.ndarray) -> RatingsData:
    """The same numbering (users, films), fewer ratings: models fitted on it align with the full data."""
    return dataclasses.replace(
        data,
        users=data.users[rows],
        items=data.items[rows],
        scores=data.scores[rows],
        site_updated_at=data.site_updated_at[rows],
    )


def _snapshot_for(snapshot: CatalogSnapshot, train: RatingsData, token: int) -> CatalogSnapshot:
    """The catalog with the popularity prior recomputed from training ratings only (no test leakage)."""
    counts = np.bincount(train.items, minlength=train.n_items).astype(np.float64)
    sums = np.bincount(train.items, weights=train.scores, minlength=train.n_items)
    positions, found = snapshot.indices_of(train.movie_ids)
    site_counts = np.zeros(len(snapshot))
    site_averages = np.zeros(len(snapshot))
    site_counts[positions[found]] = counts[found]
    site_averages[positions[found]] = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)[found]
    rating = popularity_prior(
        vote_counts=snapshot.tmdb_vote_counts,
        vote_averages=snapshot.tmdb_vote_averages,
        site_counts=site_counts,
        site_averages=site_averages,
    )
    spread = float(rating.max() - rating.min()) or 1.0
    return dataclasses.replace(snapshot, token=token, weighted_rating=rating, prior=(rating - rating.min()) / spread)


@dataclasses.dataclass
class FittedModels:
    snapshot: CatalogSnapshot
    svd: SvdModel
    item_neighbours: NeighbourModel
    content: NeighbourModel | None
    histories: dict[int, UserHistory]  # inner user id -> training history


def fit_models(
    data: RatingsData,
    rows: np.ndarray,
    *,
    snapshot: CatalogSnapshot,
    content: NeighbourModel | None,
    svd_params: dict[str, Any],
    k: int,
    token: int,
) -> FittedModels:
    train = _subset(data, rows)
    factors = svd_train(
        users=train.users,
        items=train.items,
        scores=train.scores,
        n_users=train.n_users,
        n_items=train.n_items,
        params=svd_params,
    )
    counts = np.bincount(train.users, minlength=train.n_users)
    # Evaluation users are numbered by inner id and keep their trained vectors,
    # which is what serving does for a site user with nothing new since training.
    svd = SvdModel(
        version_id=-token,
        movie_ids=train.movie_ids,
        item_factors=factors.item_factors,
        item_biases=factors.item_biases,
        global_mean=factors.global_mean,
        user_ids=np.arange(train.n_users, dtype=np.int64),
        user_factors=factors.user_factors,
        user_biases=factors.user_biases,
        user_counts=counts,
        ratings_cutoff=0.0,
        regularisation=float(svd_params.get("reg_all", 0.02)),
    )
    item_neighbours = NeighbourModel.from_arrays(
        version_id=-token, kind="item_neighbours", arrays=item_neighbours_build(train, k=k)
    )
    order = np.argsort(train.users, kind="stable")
    boundaries = np.flatnonzero(np.r_[True, train.users[order][1:] != train.users[order][:-1], True])
    histories: dict[int, UserHistory] = {}
    for start, end in itertools.pairwise(boundaries):
        chosen = order[start:end]
        user = int(train.users[chosen[0]])
        histories[user] = UserHistory(
            ratings=dict(
                zip(train.movie_ids[train.items[chosen]].tolist(), train.scores[chosen].tolist(), strict=True)
            ),
            user_key=f"u{user}",
            latest_rating_at=0.0,
        )
    return FittedModels(
        snapshot=_snapshot_for(snapshot, train, token),
        svd=svd,
        item_neighbours=item_neighbours,
        content=content,
        histories=histories,
    )


def _relevant_by_user(data: RatingsData, rows: np.ndarray) -> dict[int, set[int]]:
    relevant: dict[int, set[int]] = {}
    liked = rows[data.scores[rows] >= RELEVANT_SCORE]
    for user, item in zip(data.users[liked].tolist(), data.items[liked].tolist(), strict=True):
        relevant.setdefault(user, set()).add(int(data.movie_ids[item]))
    return relevant


def ranking_metrics(recommended: list[int], relevant: set[int], n: int = TOP_N) -> dict[str, float]:
    hits = [1.0 if movie in relevant else 0.0 for movie in recommended[:n]]
    dcg = sum(hit / np.log2(position + 2) for position, hit in enumerate(hits))
    ideal = sum(1.0 / np.log2(position + 2) for position in range(min(len(relevant), n)))
    return {
        "precision@10": sum(hits) / n,
        "recall@10": sum(hits) / len(relevant),
        "ndcg@10": dcg / ideal if ideal else 0.0,
        "hit_rate@10": 1.0 if any(hits) else 0.0,
    }


def evaluate_recommenders(
    recommenders: dict[str, CatalogRecommender],
    histories: dict[int, UserHistory],
    relevant: dict[int, set[int]],
    n_films: int,
) -> dict[str, dict[str, float]]:
    results = {}
    for name, recommender in recommenders.items():
        totals: dict[str, float] = {}
        seen: set[int] = set()
        started = time.perf_counter()
        for user, wanted in relevant.items():
            history = histories.get(user, UserHistory(ratings={}))
            recommended = [item.movie_id for item in recommender.recommend(history, limit=TOP_N)]
            seen.update(recommended)
            for metric, value in ranking_metrics(recommended, wanted).items():
                totals[metric] = totals.get(metric, 0.0) + value
        results[name] = {metric: round(value / max(len(relevant), 1), 4) for metric, value in totals.items()}
        results[name]["coverage"] = round(len(seen) / max(n_films, 1), 4)
        results[name]["users"] = len(relevant)
        results[name]["ms_per_user"] = round((time.perf_counter() - started) * 1000 / max(len(relevant), 1), 3)
    return results


def _hybrid(models: FittedModels, weights: BlendWeights | None = None) -> HybridRecommender:
    return HybridRecommender(
        models.snapshot,
        svd=models.svd,
        content=models.content,
        item_neighbours=models.item_neighbours,
        weights=weights,
    )


def blend_weights_tune(
    models: FittedModels, relevant: dict[int, set[int]], *, max_users: int = 500, seed: int = 0
) -> tuple[BlendWeights, float]:
    """Grid search of the warm weights by mean NDCG@10 on the validation split."""
    users = sorted(relevant)
    if len(users) > max_users:
        users = sorted(np.random.default_rng(seed).choice(users, size=max_users, replace=False).tolist())
    hybrid = _hybrid(models)
    prepared = []
    for user in users:
        history = models.histories.get(user, UserHistory(ratings={}))
        rated = RatedFilms.from_history(models.snapshot, history)
        blocked = models.snapshot.hidden.copy()
        blocked[rated.indices] = True
        prepared.append((len(rated.indices), hybrid.signals(history, rated), blocked, relevant[user]))
    best = (BlendWeights(), -1.0)
    for half_way, *values in itertools.product(HALF_WAY_GRID, *WARM_GRID.values()):
        candidate = BlendWeights(warm=dict(zip(WARM_GRID, values, strict=True)), half_way=half_way)
        total = 0.0
        for n_ratings, signals, blocked, wanted in prepared:
            scores = HybridRecommender.blend(signals, candidate.for_ratings(n_ratings))["score"]
            chosen = top_films(scores, blocked, TOP_N)
            total += ranking_metrics(models.snapshot.movie_ids[chosen].tolist(), wanted)["ndcg@10"]
        if total / len(prepared) > best[1]:
            best = (candidate, total / len(prepared))
    return best


def evaluation_run(
    data: RatingsData,
    *,
    snapshot: CatalogSnapshot,
    content: NeighbourModel | None,
    svd_params: dict[str, Any] | None = None,
    k: int = 50,
    test_fraction: float = 0.2,
    min_ratings: int = 5,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Split, tune the blend on validation, fit on training, score every recommender on test."""
    say = progress or (lambda message: None)
    params = {**DEFAULT_SVD_PARAMS, **(svd_params or {})}
    every = np.arange(len(data))
    outer = per_user_holdout(data, every, fraction=test_fraction, min_ratings=min_ratings, seed=seed)
    inner = per_user_holdout(data, outer.train, fraction=test_fraction, min_ratings=min_ratings, seed=seed + 1)
    say(
        f"split: {len(outer.train):,} training ratings ({len(inner.train):,} + {len(inner.test):,} validation), "
        f"{len(outer.test):,} test"
    )
    validation_models = fit_models(
        data, inner.train, snapshot=snapshot, content=content, svd_params=params, k=k, token=10**9 + 1
    )
    weights, validation_ndcg = blend_weights_tune(validation_models, _relevant_by_user(data, inner.test))
    say(f"blend weights tuned on validation: {weights.as_dict()} (NDCG@10 {validation_ndcg:.4f})")
    models = fit_models(data, outer.train, snapshot=snapshot, content=content, svd_params=params, k=k, token=10**9 + 2)
    recommenders: dict[str, CatalogRecommender] = {
        "popularity": PopularityRecommender(models.snapshot),
        "svd": SvdRecommender(models.snapshot, models.svd),
        "item_neighbours": NeighbourRecommender(models.snapshot, models.item_neighbours, name="item_neighbours"),
    }
    if content is not None:
        recommenders["content"] = NeighbourRecommender(models.snapshot, content, name="content")
    recommenders["hybrid"] = _hybrid(models, weights)
    results = evaluate_recommenders(recommenders, models.histories, _relevant_by_user(data, outer.test), len(snapshot))
    results["hybrid"]["blend_weights"] = weights.as_dict()  # type: ignore[assignment]
    results["hybrid"]["validation_ndcg@10"] = round(validation_ndcg, 4)
    return {
        "protocol": {
            "split": f"random per-user holdout: {test_fraction:.0%} of each user's ratings "
            f"(users with >= {min_ratings} ratings), seed {seed}",
            "ranking": "full ranking over every film the user did not rate in training",
            "relevant": f"test rating >= {RELEVANT_SCORE:g}",
            "blend_tuning": "warm blend weights grid-searched on a validation split cut from training",
            "svd_params": params,
            "train_ratings": len(outer.train),
            "test_ratings": len(outer.test),
        },
        "results": results,
    }
