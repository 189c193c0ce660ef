"""What the recommenders need to know about the catalog, as arrays.

One snapshot per process, rebuilt after `RECOMMENDER_CATALOG_TTL` seconds:
45,000 films load in well under a second, and the exact per-request checks
(hidden films, platforms) are made against the database on the few films
that are about to be shown, so a slightly old snapshot never shows a film a
curator has just hidden.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings

from catalog.models import Genre, Movie
from recommender.popularity import weighted_rating

_snapshot_counter = itertools.count(1)


@dataclass(frozen=True)
class CatalogSnapshot:
    token: int  # changes with every reload; caches keyed on it notice a new catalog
    movie_ids: np.ndarray  # int64, sorted
    titles: list[str]
    tmdb_vote_counts: np.ndarray
    tmdb_vote_averages: np.ndarray  # 0-10, TMDB's scale
    weighted_rating: np.ndarray  # on the 0.5-5 scale
    prior: np.ndarray  # weighted rating rescaled to 0..1
    hidden: np.ndarray  # bool
    genre_names: dict[int, str]
    genre_members: dict[int, np.ndarray]  # genre id -> catalog indices
    primary_genre: np.ndarray  # genre id per film (its rarest genre), 0 when none
    loaded_at: float = field(default_factory=time.monotonic)

    def __len__(self) -> int:
        return len(self.movie_ids)

    def indices_of(self, movie_ids: np.ndarray | list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(indices, found mask) of these movie ids in the catalog."""
        ids = np.asarray(movie_ids, dtype=np.int64)
        if len(self.movie_ids) == 0:
            return np.zeros(len(ids), dtype=np.int64), np.zeros(len(ids), dtype=bool)
        positions = np.searchsorted(self.movie_ids, ids).clip(0, len(self.movie_ids) - 1)
        return positions, self.movie_ids[positions] == ids

    def genre_id(self, name: str) -> int | None:
        wanted = name.strip().casefold()
        for genre_id, genre_name in self.genre_names.items():
            if genre_name.casefold() == wanted:
                return genre_id
        return None


def popularity_prior(
    *,
    vote_counts: np.ndarray,
    vote_averages: np.ndarray,
    site_counts: np.ndarray,
    site_averages: np.ndarray,
) -> np.ndarray:
    """Weighted rating on the 0.5-5 scale: TMDB votes where a film has them, else moviesite's ratings."""
    from_tmdb = weighted_rating(vote_counts, vote_averages / 2.0)
    from_site = weighted_rating(site_counts, site_averages)
    return np.where(vote_counts > 0, from_tmdb, from_site)


def catalog_snapshot_build() -> CatalogSnapshot:
    rows = list(
        Movie.objects.order_by("id").values_list(
            "id", "vote_count", "vote_average", "ratings_count", "ratings_average", "is_hidden", "title"
        )
    )
    table = np.array([row[:6] for row in rows], dtype=np.float64).reshape(-1, 6)
    movie_ids = table[:, 0].astype(np.int64)
    rating = popularity_prior(
        vote_counts=table[:, 1], vote_averages=table[:, 2], site_counts=table[:, 3], site_averages=table[:, 4]
    )
    spread = float(rating.max() - rating.min()) if len(rating) else 0.0
    prior = (rating - rating.min()) / spread if spread > 0 else np.zeros_like(rating)

    genre_names = dict(Genre.objects.values_list("id", "name"))
    links = np.array(list(Movie.genres.through.objects.values_list("movie_id", "genre_id")), dtype=np.int64).reshape(
        -1, 2
    )
    positions = np.searchsorted(movie_ids, links[:, 0]) if len(movie_ids) else np.zeros(0, dtype=np.int64)
    genre_members = {
        genre_id: np.unique(positions[links[:, 1] == genre_id]) for genre_id in np.unique(links[:, 1]).tolist()
    }
    primary_genre = np.zeros(len(movie_ids), dtype=np.int64)
    # Rarest first, so that the most common genre is written last only where
    # a film has nothing rarer: the reason then names the telling genre.
    for genre_id in sorted(genre_members, key=lambda g: -len(genre_members[g])):
        primary_genre[genre_members[genre_id]] = genre_id
    return CatalogSnapshot(
        token=next(_snapshot_counter),
        movie_ids=movie_ids,
        titles=[row[6] for row in rows],
        tmdb_vote_counts=table[:, 1],
        tmdb_vote_averages=table[:, 2],
        weighted_rating=rating,
        prior=prior,
        hidden=table[:, 5].astype(bool),
        genre_names=genre_names,
        genre_members=genre_members,
        primary_genre=primary_genre,
    )


class _SnapshotCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snapshot: CatalogSnapshot | None = None

    def get(self) -> CatalogSnapshot:
        snapshot = self._snapshot
        ttl = settings.RECOMMENDER_CATALOG_TTL
        if snapshot is not None and time.monotonic() - snapshot.loaded_at < ttl:
            return snapshot
        with self._lock:
            if self._snapshot is snapshot:
                self._snapshot = catalog_snapshot_build()
            return self._snapshot  # type: ignore[return-value]

    def clear(self) -> None:
        with self._lock:
            self._snapshot = None


_cache = _SnapshotCache()


def catalog_snapshot() -> CatalogSnapshot:
    """The process's catalog snapshot, rebuilt when older than the TTL."""
    return _cache.get()


def catalog_snapshot_clear() -> None:
    """Forget the snapshot (after an import, in tests)."""
    _cache.clear()
