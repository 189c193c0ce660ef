"""Surprise's SVD fed lean, and fold-in of users the model has not seen.

Surprise's own path (Dataset.load_from_df → build_full_trainset) keeps every
rating as Python objects several times over: about 8 GB for 25M ratings.
`SVD.fit` reads only `all_ratings()`, `n_users`, `n_items` and `global_mean`
from its trainset (surprise/prediction_algorithms/matrix_factorization.pyx,
`SVD.sgd`; `AlgoBase.fit` just stores it), so `LeanTrainset` serves those from
three numpy arrays (13 bytes a rating) and leaves `ur`/`ir` empty. Training is
pure: arrays in, factors out; saving is the registry's business.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from surprise import SVD, Trainset

logger = logging.getLogger(__name__)

# Rows turned into Python objects at a time while Surprise iterates.
_FEED_CHUNK = 1 << 20

FOLD_IN_PSEUDO_RATINGS = 5

DEFAULT_SVD_PARAMS: dict[str, Any] = {"n_factors": 100, "n_epochs": 20, "lr_all": 0.005, "reg_all": 0.02}
# What Surprise's SVD accepts besides random_state and verbose, which training sets itself.
SVD_PARAMETERS = (
    "n_factors",
    "n_epochs",
    "biased",
    "init_mean",
    "init_std_dev",
    "lr_all",
    "reg_all",
    "lr_bu",
    "lr_bi",
    "lr_pu",
    "lr_qi",
    "reg_bu",
    "reg_bi",
    "reg_pu",
    "reg_qi",
)


class LeanTrainset(Trainset):
    """A Surprise trainset over numpy arrays of inner ids and scores."""

    def __init__(
        self,
        users: np.ndarray,
        items: np.ndarray,
        scores: np.ndarray,
        *,
        n_users: int,
        n_items: int,
        rating_scale: tuple[float, float] = (0.5, 5.0),
        on_epoch: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(
            ur={},
            ir={},
            n_users=n_users,
            n_items=n_items,
            n_ratings=len(scores),
            rating_scale=rating_scale,
            raw2inner_id_users={},
            raw2inner_id_items={},
        )
        self._users = users
        self._items = items
        self._scores = scores
        self._global_mean = float(scores.mean()) if len(scores) else 0.0
        self._on_epoch = on_epoch
        self._epoch = 0

    def all_ratings(self) -> Iterator[tuple[int, int, float]]:  # type: ignore[override]
        self._epoch += 1
        if self._on_epoch:
            self._on_epoch(self._epoch)
        for start in range(0, len(self._scores), _FEED_CHUNK):
            end = start + _FEED_CHUNK
            yield from zip(
                self._users[start:end].tolist(),
                self._items[start:end].tolist(),
                self._scores[start:end].tolist(),
                strict=True,
            )

    @property
    def global_mean(self) -> float:  # type: ignore[override]
        return self._global_mean

    def knows_user(self, uid: int) -> bool:
        return 0 <= uid < self.n_users

    def knows_item(self, iid: int) -> bool:
        return 0 <= iid < self.n_items


@dataclass(frozen=True)
class SvdFactors:
    global_mean: float
    user_factors: np.ndarray  # (n_users, k) float32
    user_biases: np.ndarray  # (n_users,) float32
    item_factors: np.ndarray  # (n_items, k) float32
    item_biases: np.ndarray  # (n_items,) float32
    seconds: float

    def predict(self, users: np.ndarray, items: np.ndarray) -> np.ndarray:
        dots = np.einsum("ij,ij->i", self.user_factors[users], self.item_factors[items])
        estimate = self.global_mean + self.user_biases[users] + self.item_biases[items] + dots
        return np.clip(estimate, 0.5, 5.0)


def svd_train(
    *,
    users: np.ndarray,
    items: np.ndarray,
    scores: np.ndarray,
    n_users: int,
    n_items: int,
    params: dict[str, Any] | None = None,
    random_state: int = 0,
    on_epoch: Callable[[int], None] | None = None,
) -> SvdFactors:
    """Fit Surprise's SVD on inner-id arrays (users and items numbered from 0)."""
    started = time.perf_counter()
    algo_params = {**DEFAULT_SVD_PARAMS, **(params or {})}
    trainset = LeanTrainset(
        np.ascontiguousarray(users, dtype=np.int32),
        np.ascontiguousarray(items, dtype=np.int32),
        np.ascontiguousarray(scores, dtype=np.float32),
        n_users=n_users,
        n_items=n_items,
        on_epoch=on_epoch,
    )
    algo = SVD(random_state=random_state, **algo_params)
    algo.fit(trainset)
    return SvdFactors(
        global_mean=trainset.global_mean,
        user_factors=np.asarray(algo.pu, dtype=np.float32),
        user_biases=np.asarray(algo.bu, dtype=np.float32),
        item_factors=np.asarray(algo.qi, dtype=np.float32),
        item_biases=np.asarray(algo.bi, dtype=np.float32),
        seconds=time.perf_counter() - started,
    )


def fold_in(
    *,
    item_factors: np.ndarray,
    item_biases: np.ndarray,
    global_mean: float,
    scores: np.ndarray,
    regularisation: float = 0.1,
) -> tuple[np.ndarray, float]:
    """A user's (factors, bias) from their ratings with the item side held fixed.

    Ridge regression of (score - mean - item bias) on [1, item factors]: the
    same objective SVD minimises for one user, solved exactly. `item_factors`
    and `item_biases` are the rows of the films this user rated.
    """
    n_factors = item_factors.shape[1]
    if len(scores) == 0:
        return np.zeros(n_factors, dtype=np.float32), 0.0
    design = np.hstack([np.ones((len(scores), 1)), item_factors.astype(np.float64)])
    target = scores.astype(np.float64) - global_mean - item_biases.astype(np.float64)
    # The penalty grows with the number of ratings as SGD's does (one per
    # rating seen), plus a few pseudo-ratings so that one rating cannot swing
    # the vector to an extreme.
    penalty = regularisation * (len(scores) + FOLD_IN_PSEUDO_RATINGS) * np.eye(n_factors + 1)
    solution = np.linalg.solve(design.T @ design + penalty, design.T @ target)
    return solution[1:].astype(np.float32), float(solution[0])
