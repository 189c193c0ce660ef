"""Deterministic generators of The Movies Dataset files, sized like the real ones.

Everything is written in the real formats (Python-literal nested columns,
zero-padded IMDb ids, CRLF links, `userId,movieId,rating,timestamp` ratings)
and streamed to disk, so 26M ratings never sit in memory. Same seed, same bytes.

    write_movies_dataset(directory, n_movies=45_000)      # metadata, credits, keywords, links
    write_ratings_for_dataset(directory, n_ratings=10_000_000)
    write_ratings_csv(path, n_ratings, n_users, movielens_ids)

Run alone: `python -m bench.datagen DIR --movies 45000 --ratings 1000000`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20240601
GENRES = [
    (28, "Action"), (12, "Adventure"), (16, "Animation"), (35, "Comedy"), (80, "Crime"), (99, "Documentary"),
    (18, "Drama"), (10751, "Family"), (14, "Fantasy"), (36, "History"), (27, "Horror"), (10402, "Music"),
    (9648, "Mystery"), (10749, "Romance"), (878, "Science Fiction"), (10770, "TV Movie"), (53, "Thriller"),
    (10752, "War"), (37, "Western"),
]  # fmt: skip
COUNTRIES = [
    ("US", "United States of America"), ("GB", "United Kingdom"), ("FR", "France"), ("DE", "Germany"),
    ("JP", "Japan"), ("IT", "Italy"), ("ES", "Spain"), ("CN", "China"), ("IN", "India"), ("CA", "Canada"),
]  # fmt: skip
LANGUAGES = [("en", "English"), ("fr", "Français"), ("de", "Deutsch"), ("ja", "日本語"), ("it", "Italiano"),
             ("es", "Español"), ("zh", "普通话"), ("hi", "हिन्दी"), ("cn", "广州话 / 廣州話")]  # fmt: skip
_WORD_TEXT = (
    "love war city night dark last first secret king queen river house road star dream blood return lost "
    "world time man woman child ghost island summer winter story game fire water heart shadow light"
)
WORDS = _WORD_TEXT.split(" ")
METADATA_HEADER = [
    "adult", "belongs_to_collection", "budget", "genres", "homepage", "id", "imdb_id", "original_language",
    "original_title", "overview", "popularity", "poster_path", "production_companies", "production_countries",
    "release_date", "revenue", "runtime", "spoken_languages", "status", "tagline", "title", "video",
    "vote_average", "vote_count",
]  # fmt: skip
DEPARTMENTS = [
    ("Directing", "Director"), ("Writing", "Screenplay"), ("Production", "Producer"),
    ("Sound", "Original Music Composer"), ("Camera", "Director of Photography"), ("Editing", "Editor"),
]  # fmt: skip


def tmdb_ids(n_movies: int) -> list[int]:
    """TMDB ids with gaps, like the real ones (2 .. ~470,000)."""
    return [2 + index * 10 + (index * 7919) % 9 for index in range(n_movies)]


def movielens_ids(n_movies: int) -> list[int]:
    """MovieLens ids for the same films (1 .. ~176,000 in the real links.csv)."""
    return [1 + index * 3 + (index * 104729) % 3 for index in range(n_movies)]


def _title(rng: np.random.Generator) -> str:
    words = rng.choice(WORDS, size=int(rng.integers(1, 5)))
    return " ".join(word.capitalize() for word in words)


def write_movies_dataset(
    directory: Path, n_movies: int = 45_000, seed: int = SEED, *, credits: bool = True, keywords: bool = True
) -> dict[str, Path]:
    """movies_metadata.csv, links.csv and (optionally) credits.csv and keywords.csv for n_movies films."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    ids = tmdb_ids(n_movies)
    paths = {"movies_metadata": directory / "movies_metadata.csv", "links": directory / "links.csv"}
    start = dt.date(1920, 1, 1)
    with paths["movies_metadata"].open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(METADATA_HEADER)
        for index, tmdb_id in enumerate(ids):
            title = _title(rng)
            genres = [
                {"id": g, "name": n}
                for g, n in (GENRES[i] for i in rng.choice(len(GENRES), int(rng.integers(0, 4)), replace=False))
            ]
            budget = int(rng.integers(1, 200)) * 1_000_000 if rng.random() < 0.25 else 0
            revenue = int(budget * rng.uniform(0, 5)) if budget and rng.random() < 0.8 else 0
            released = start + dt.timedelta(days=int(rng.integers(0, 36_000))) if rng.random() < 0.98 else None
            collection = (
                {
                    "id": 100_000 + index % 1500,
                    "name": f"{title} Collection",
                    "poster_path": None,
                    "backdrop_path": None,
                }
                if rng.random() < 0.1
                else None
            )
            countries = [
                dict(zip(("iso_3166_1", "name"), COUNTRIES[i], strict=True))
                for i in rng.choice(len(COUNTRIES), int(rng.integers(0, 3)), replace=False)
            ]
            languages = [
                dict(zip(("iso_639_1", "name"), LANGUAGES[i], strict=True))
                for i in rng.choice(len(LANGUAGES), int(rng.integers(0, 3)), replace=False)
            ]
            companies = [
                {"name": f"Studio {c}", "id": int(c)} for c in rng.integers(1, 20_000, int(rng.integers(0, 4)))
            ]
            companies = list({c["id"]: c for c in companies}.values())
            overview = " ".join(rng.choice(WORDS, size=int(rng.integers(10, 60))))
            writer.writerow(
                [
                    "False",
                    repr(collection) if collection else "",
                    budget,
                    repr(genres),
                    "",
                    tmdb_id,
                    f"tt{1_000_000 + index:07d}",
                    languages[0]["iso_639_1"] if languages else "en",
                    title,
                    overview,
                    f"{rng.exponential(3):.6f}",
                    f"/{index:08x}.jpg",
                    repr(companies),
                    repr(countries),
                    released.isoformat() if released else "",
                    revenue,
                    f"{int(rng.integers(60, 180))}.0" if rng.random() < 0.97 else "",
                    repr(languages),
                    "Released" if rng.random() < 0.98 else "Rumored",
                    "",
                    title,
                    "False",
                    f"{rng.uniform(0, 10):.1f}",
                    int(rng.integers(0, 15_000)),
                ]
            )
    with paths["links"].open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(["movieId", "imdbId", "tmdbId"])
        for index, (movielens_id, tmdb_id) in enumerate(zip(movielens_ids(n_movies), ids, strict=True)):
            writer.writerow([movielens_id, f"{1_000_000 + index:07d}", tmdb_id])
    if credits:
        paths["credits"] = _write_credits(directory / "credits.csv", ids, rng)
    if keywords:
        paths["keywords"] = _write_keywords(directory / "keywords.csv", ids, rng)
    return paths


def _write_credits(path: Path, ids: Sequence[int], rng: np.random.Generator) -> Path:
    """About 13 cast and 10 crew per film from a pool of people, like the real 45k films' 560k + 460k credits."""
    people = max(1000, len(ids) * 5)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["cast", "crew", "id"])
        for index, tmdb_id in enumerate(ids):
            cast_ids = np.unique((people * rng.random(int(rng.integers(0, 26))) ** 3).astype(np.int64) + 1)
            crew_ids = np.unique((people * rng.random(int(rng.integers(0, 20))) ** 3).astype(np.int64) + 1)
            cast = [
                {"cast_id": order, "character": f"Character {order}", "credit_id": f"{index:012x}c{order:04d}",
                 "gender": int(person % 3), "id": int(person), "name": f"Person {person}", "order": order,
                 "profile_path": None if person % 4 else f"/p{person}.jpg"}
                for order, person in enumerate(cast_ids)
            ]  # fmt: skip
            crew = [
                {"credit_id": f"{index:012x}w{order:04d}", "department": DEPARTMENTS[order % 6][0],
                 "gender": int(person % 3), "id": int(person), "job": DEPARTMENTS[order % 6][1],
                 "name": f"Person {person}", "profile_path": None}
                for order, person in enumerate(crew_ids)
            ]  # fmt: skip
            writer.writerow([repr(cast), repr(crew), tmdb_id])
    return path


def _write_keywords(path: Path, ids: Sequence[int], rng: np.random.Generator) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["id", "keywords"])
        for tmdb_id in ids:
            chosen = np.unique((20_000 * rng.random(int(rng.integers(0, 12))) ** 2).astype(np.int64) + 1)
            writer.writerow([tmdb_id, repr([{"id": int(k), "name": f"{WORDS[k % len(WORDS)]} {k}"} for k in chosen])])
    return path


def write_ratings_csv(
    path: Path,
    n_ratings: int,
    n_users: int,
    movielens_ids: Sequence[int],
    seed: int = SEED,
    *,
    chunk_users: int = 20_000,
) -> Path:
    """`userId,movieId,rating,timestamp` sorted by user, each user's films distinct, popular films rated more.

    Written chunk by chunk (memory ~ chunk_users x ratings per user), CRLF like ratings_small.csv.
    """
    rng = np.random.default_rng(seed)
    films = np.asarray(movielens_ids, dtype=np.int64)
    # A fixed popularity order: index 0 is the most rated film.
    films = films[rng.permutation(len(films))]
    n_films = len(films)
    # Ratings per user: long-tailed (most users rate few films), summing exactly to n_ratings.
    weights = rng.pareto(1.2, n_users) + 1
    per_user = np.maximum(1, np.floor(weights / weights.sum() * n_ratings)).astype(np.int64)
    per_user = np.minimum(per_user, n_films)
    shortfall = n_ratings - int(per_user.sum())
    order = np.argsort(-weights)
    position = 0
    while shortfall != 0:
        user = order[position % n_users]
        step = 1 if shortfall > 0 else -1
        if 1 <= per_user[user] + step <= n_films:
            per_user[user] += step
            shortfall -= step
        position += 1
    scores = np.array([0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0])
    score_weights = np.array([1.1, 3.3, 1.7, 7.1, 4.4, 19.9, 10.5, 26.6, 8.5, 14.5])
    score_weights /= score_weights.sum()
    with path.open("w", encoding="utf-8", newline="") as stream:
        stream.write("userId,movieId,rating,timestamp\r\n")
        for first in range(0, n_users, chunk_users):
            counts = per_user[first : first + chunk_users]
            users = np.repeat(np.arange(first + 1, first + 1 + len(counts), dtype=np.int64), counts)
            offsets = np.arange(len(users)) - np.repeat(np.cumsum(counts) - counts, counts)
            # Distinct films per user: an arithmetic walk with a stride coprime to n_films,
            # starting near the popular end.
            starts = np.repeat((rng.exponential(n_films / 8, len(counts))).astype(np.int64) % n_films, counts)
            strides = np.repeat(_coprime_strides(rng, len(counts), n_films), counts)
            picked = films[(starts + offsets * strides) % n_films]
            frame = pd.DataFrame(
                {
                    "userId": users,
                    "movieId": picked,
                    "rating": rng.choice(scores, size=len(users), p=score_weights),
                    "timestamp": rng.integers(789_652_009, 1_501_829_870, size=len(users)),
                }
            )
            frame.to_csv(stream, header=False, index=False, lineterminator="\r\n", float_format="%.1f")
    return path


def _coprime_strides(rng: np.random.Generator, size: int, modulus: int) -> np.ndarray:
    candidates = rng.integers(1, max(2, modulus), size=size * 2)
    good = candidates[np.gcd(candidates, modulus) == 1]
    while len(good) < size:
        extra = rng.integers(1, max(2, modulus), size=size)
        good = np.concatenate([good, extra[np.gcd(extra, modulus) == 1]])
    return good[:size]


def write_ratings_for_dataset(
    directory: Path, n_ratings: int, n_users: int | None = None, seed: int = SEED, *, name: str = "ratings.csv"
) -> Path:
    """ratings.csv for the films of links.csv in `directory` (written by write_movies_dataset)."""
    directory = Path(directory)
    with (directory / "links.csv").open(encoding="utf-8", newline="") as stream:
        ids = [int(row["movieId"]) for row in csv.DictReader(stream)]
    # The real file: 26M ratings by 270,896 users, about 96 each.
    users = n_users or max(1, math.ceil(n_ratings / 96))
    return write_ratings_csv(directory / name, n_ratings, users, ids, seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--movies", type=int, default=45_000)
    parser.add_argument("--ratings", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=SEED)
    options = parser.parse_args()
    write_movies_dataset(options.directory, options.movies, options.seed)
    write_ratings_for_dataset(options.directory, options.ratings, seed=options.seed)


if __name__ == "__main__":
    main()
