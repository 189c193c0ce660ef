"""Every rating (site users and dataset raters) as numpy arrays, read fast.

Tens of millions of rows never become Django objects: PostgreSQL streams them
with COPY into a temporary CSV that pandas' C parser reads; SQLite goes
through a raw cursor in large batches. Users get one integer key each:
site user u → u, dataset rater (source s, id r) → -(s·2³² + r).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import Count, Max, Sum

from ratings.models import DatasetRating, Rating

_BATCH = 200_000
_DATASET_KEY_SHIFT = 1 << 32


@dataclass(frozen=True)
class RatingsData:
    users: np.ndarray  # int32 inner user ids 0..n_users-1
    items: np.ndarray  # int32 inner item ids 0..n_items-1
    scores: np.ndarray  # float32
    user_keys: np.ndarray  # int64 per inner user (site user id > 0, dataset rater < 0)
    movie_ids: np.ndarray  # int64 per inner item, sorted
    site_updated_at: np.ndarray  # float64 unix seconds per rating; 0 for dataset ratings

    @property
    def n_users(self) -> int:
        return len(self.user_keys)

    @property
    def n_items(self) -> int:
        return len(self.movie_ids)

    def __len__(self) -> int:
        return len(self.scores)


def dataset_user_key(source: int, rater_id: int) -> int:
    return -(source * _DATASET_KEY_SHIFT + rater_id)


def _postgres_read(sql: str, columns: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    with tempfile.TemporaryFile() as spool, connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:  # type: ignore[attr-defined]
            for block in copy:
                spool.write(block)
        spool.seek(0)
        return pd.read_csv(spool, header=None, names=columns, dtype=dtypes, engine="c")  # type: ignore[arg-type]


def _cursor_read(sql: str, columns: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    frames = []
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while batch := cursor.fetchmany(_BATCH):
            frames.append(pd.DataFrame.from_records(batch, columns=columns))
    if not frames:
        return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in dtypes.items()})
    return pd.concat(frames, ignore_index=True).astype(dtypes)


def _read(sql: str, columns: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    reader = _postgres_read if connection.vendor == "postgresql" else _cursor_read
    return reader(sql, columns, dtypes)


def ratings_load(*, progress: Callable[[str], None] | None = None) -> RatingsData:
    """All ratings, users and films numbered from 0 (films in movie id order)."""
    site_table, dataset_table = Rating._meta.db_table, DatasetRating._meta.db_table
    if connection.vendor == "postgresql":
        epoch = "EXTRACT(EPOCH FROM updated_at)"
    else:
        epoch = "(julianday(updated_at) - 2440587.5) * 86400.0"
    site = _read(
        f"SELECT user_id, movie_id, score, {epoch} FROM {site_table}",  # noqa: S608 - table names from models
        ["key", "movie", "score", "updated"],
        {"key": "int64", "movie": "int64", "score": "float32", "updated": "float64"},
    )
    if progress:
        progress(f"read {len(site):,} site ratings")
    dataset = _read(
        f"SELECT source, rater_id, movie_id, score FROM {dataset_table}",  # noqa: S608 - table names from models
        ["source", "rater", "movie", "score"],
        {"source": "int64", "rater": "int64", "movie": "int64", "score": "float32"},
    )
    if progress:
        progress(f"read {len(dataset):,} dataset ratings")
    dataset_keys = -(dataset["source"].to_numpy() * _DATASET_KEY_SHIFT + dataset["rater"].to_numpy())
    keys = np.concatenate([site["key"].to_numpy(), dataset_keys])
    movies = np.concatenate([site["movie"].to_numpy(), dataset["movie"].to_numpy()])
    scores = np.concatenate([site["score"].to_numpy(), dataset["score"].to_numpy()]).astype(np.float32)
    updated = np.concatenate([site["updated"].to_numpy(), np.zeros(len(dataset))])
    del site, dataset, dataset_keys
    user_keys, users = np.unique(keys, return_inverse=True)
    del keys
    movie_ids, items = np.unique(movies, return_inverse=True)
    del movies
    return RatingsData(
        users=users.astype(np.int32),
        items=items.astype(np.int32),
        scores=scores,
        user_keys=user_keys.astype(np.int64),
        movie_ids=movie_ids.astype(np.int64),
        site_updated_at=updated,
    )


def ratings_fingerprint() -> dict[str, object]:
    """Counts and changes: equal fingerprints mean a retrain would see the same data.

    Site ratings carry their last change; dataset ratings have no such time
    (and their keys are not in arrival order), so their scores and timestamps
    are summed in the same scan that counts them: an import that adds,
    changes or removes ratings changes the sums.
    """
    site = Rating.objects.aggregate(count=Count("id"), latest=Max("updated_at"))
    dataset = DatasetRating.objects.aggregate(count=Count("id"), scores=Sum("score"), rated_at=Sum("rated_at"))
    return {
        "site_ratings": site["count"],
        "site_latest": site["latest"].isoformat() if site["latest"] else None,
        "dataset_ratings": dataset["count"],
        "dataset_sums": f"{dataset['scores'] or 0:.1f}:{dataset['rated_at'] or 0}",
    }
