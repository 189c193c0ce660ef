"""Loaded models, aligned to the catalog snapshot so every signal is one array over all films."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from recommender.catalog_data import CatalogSnapshot
from recommender.collaborative import fold_in


@dataclass
class _Aligned:
    token: int
    arrays: dict[str, np.ndarray]


@dataclass
class NeighbourModel:
    """Top-k neighbours of each film (content similarity or co-rating cosine)."""

    version_id: int
    kind: str
    movie_ids: np.ndarray  # int64, the artifact's own order
    neighbours: np.ndarray  # (n, k) int32 row numbers into movie_ids, -1 = none
    scores: np.ndarray  # (n, k) float32 cosine similarities
    _aligned: _Aligned | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_arrays(cls, *, version_id: int, kind: str, arrays: dict[str, np.ndarray]) -> NeighbourModel:
        model = cls(
            version_id=version_id,
            kind=kind,
            movie_ids=arrays["movie_ids"].astype(np.int64),
            neighbours=arrays["neighbours"].astype(np.int32),
            scores=arrays["scores"].astype(np.float32),
        )
        if model.neighbours.shape != model.scores.shape or model.neighbours.shape[0] != len(model.movie_ids):
            raise ValueError(f"{kind} artifact: neighbour and score shapes disagree with {len(model.movie_ids)} films")
        return model

    def aligned(self, snapshot: CatalogSnapshot) -> dict[str, np.ndarray]:
        """row_of (catalog index -> artifact row, -1) and catalog_neighbours ((n, k) catalog indices, -1)."""
        cached = self._aligned
        if cached is not None and cached.token == snapshot.token:
            return cached.arrays
        with self._lock:
            positions, found = snapshot.indices_of(self.movie_ids)
            row_of = np.full(len(snapshot), -1, dtype=np.int64)
            row_of[positions[found]] = np.flatnonzero(found)
            catalog_of_row = np.where(found, positions, -1)
            catalog_neighbours = np.where(self.neighbours >= 0, catalog_of_row[self.neighbours.clip(0)], -1)
            arrays = {"row_of": row_of, "catalog_neighbours": catalog_neighbours}
            self._aligned = _Aligned(snapshot.token, arrays)
            return arrays

    def affinity(self, snapshot: CatalogSnapshot, rated: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Σ weight(j) · similarity(j, film) over the rated films j, for every film in the catalog."""
        aligned = self.aligned(snapshot)
        rows = aligned["row_of"][rated]
        known = rows >= 0
        neighbours = aligned["catalog_neighbours"][rows[known]]
        contributions = self.scores[rows[known]] * weights[known, None]
        present = neighbours >= 0
        return np.bincount(neighbours[present], weights=contributions[present], minlength=len(snapshot))

    def strongest_sources(
        self, snapshot: CatalogSnapshot, films: Sequence[int], rated: np.ndarray, weights: np.ndarray
    ) -> dict[int, tuple[int, float]]:
        """For each film, the rated film (catalog index) that pulls it up the most, with its pull.

        Films nothing pulls up are left out. All films in one pass over the
        rated films' neighbour lists (a recommendation list's dozen reasons
        cost one gather instead of one each); ties go to the earlier rated film.
        """
        aligned = self.aligned(snapshot)
        rows = aligned["row_of"][rated]
        known = (rows >= 0) & (weights > 0)
        wanted = np.unique(np.asarray(films, dtype=np.int64))
        if not known.any() or not len(wanted):
            return {}
        neighbours = aligned["catalog_neighbours"][rows[known]]
        hit_rows, hit_columns = np.nonzero(np.isin(neighbours, wanted))
        film_of_hit = np.searchsorted(wanted, neighbours[hit_rows, hit_columns])
        pull_of_hit = self.scores[rows[known][hit_rows], hit_columns].astype(np.float64) * weights[known][hit_rows]
        pulls = np.bincount(
            hit_rows * len(wanted) + film_of_hit, weights=pull_of_hit, minlength=len(neighbours) * len(wanted)
        ).reshape(len(neighbours), len(wanted))
        best = pulls.argmax(axis=0)
        sources = rated[known]
        return {
            int(film): (int(sources[best[column]]), float(pulls[best[column], column]))
            for column, film in enumerate(wanted.tolist())
            if pulls[best[column], column] > 0
        }

    def neighbours_of(self, snapshot: CatalogSnapshot, film: int) -> tuple[np.ndarray, np.ndarray]:
        aligned = self.aligned(snapshot)
        row = aligned["row_of"][film]
        if row < 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        neighbours = aligned["catalog_neighbours"][row]
        present = neighbours >= 0
        return neighbours[present], self.scores[row][present]


@dataclass
class SvdModel:
    """Surprise SVD factors; site users' own vectors kept for those with nothing new since training."""

    version_id: int
    movie_ids: np.ndarray  # int64
    item_factors: np.ndarray  # (n_items, k) float32
    item_biases: np.ndarray
    global_mean: float
    user_ids: np.ndarray  # site user ids (int64, sorted)
    user_factors: np.ndarray
    user_biases: np.ndarray
    user_counts: np.ndarray  # ratings each site user had at training time
    ratings_cutoff: float  # newest site rating (unix seconds) the model saw
    regularisation: float = 0.1
    _aligned: _Aligned | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_arrays(cls, *, version_id: int, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> SvdModel:
        return cls(
            version_id=version_id,
            movie_ids=arrays["movie_ids"].astype(np.int64),
            item_factors=arrays["item_factors"].astype(np.float32),
            item_biases=arrays["item_biases"].astype(np.float32),
            global_mean=float(arrays["global_mean"]),
            user_ids=arrays["user_ids"].astype(np.int64),
            user_factors=arrays["user_factors"].astype(np.float32),
            user_biases=arrays["user_biases"].astype(np.float32),
            user_counts=arrays["user_counts"].astype(np.int64),
            ratings_cutoff=float(arrays["ratings_cutoff"]),
            regularisation=float(params.get("reg_all", 0.1) or 0.1),
        )

    def aligned(self, snapshot: CatalogSnapshot) -> dict[str, np.ndarray]:
        cached = self._aligned
        if cached is not None and cached.token == snapshot.token:
            return cached.arrays
        with self._lock:
            positions, found = snapshot.indices_of(self.movie_ids)
            n_factors = self.item_factors.shape[1]
            factors = np.zeros((len(snapshot), n_factors), dtype=np.float32)
            biases = np.zeros(len(snapshot), dtype=np.float32)
            known = np.zeros(len(snapshot), dtype=bool)
            factors[positions[found]] = self.item_factors[found]
            biases[positions[found]] = self.item_biases[found]
            known[positions[found]] = True
            arrays = {"factors": factors, "biases": biases, "known": known}
            self._aligned = _Aligned(snapshot.token, arrays)
            return arrays

    def stored_user(self, user_id: int) -> int | None:
        position = int(np.searchsorted(self.user_ids, user_id))
        if position < len(self.user_ids) and self.user_ids[position] == user_id:
            return position
        return None

    def user_vector(
        self,
        snapshot: CatalogSnapshot,
        *,
        user_id: int | None,
        rated: np.ndarray,
        scores: np.ndarray,
        latest_rating_at: float | None,
    ) -> tuple[np.ndarray, float, bool]:
        """(factors, bias, folded_in). The trained vector only if nothing changed since training."""
        stored = self.stored_user(user_id) if user_id is not None else None
        # A millisecond of slack: SQLite's julianday arithmetic is not exact to the microsecond.
        unchanged = latest_rating_at is not None and latest_rating_at <= self.ratings_cutoff + 1e-3
        if stored is not None and unchanged and self.user_counts[stored] == len(rated):
            return self.user_factors[stored], float(self.user_biases[stored]), False
        aligned = self.aligned(snapshot)
        known = aligned["known"][rated]
        factors, bias = fold_in(
            item_factors=aligned["factors"][rated[known]],
            item_biases=aligned["biases"][rated[known]],
            global_mean=self.global_mean,
            scores=scores[known],
            regularisation=self.regularisation,
        )
        return factors, bias, True

    def predict_all(self, snapshot: CatalogSnapshot, factors: np.ndarray, bias: float) -> np.ndarray:
        """Predicted score of every film; films the model never saw get the user's baseline."""
        aligned = self.aligned(snapshot)
        return self.global_mean + bias + aligned["biases"] + aligned["factors"] @ factors

    def predict_at(self, snapshot: CatalogSnapshot, factors: np.ndarray, bias: float, films: np.ndarray) -> np.ndarray:
        """`predict_all` for some films only (catalog indices)."""
        aligned = self.aligned(snapshot)
        return self.global_mean + bias + aligned["biases"][films] + aligned["factors"][films] @ factors
