"""Recommender benchmarks: content index, SVD training (lean feeding vs Surprise's own path), top-10 latency.

Every case runs in a fresh child process so its peak memory (max RSS) is its
own. Data is generated with a fixed seed, shaped like the real catalog
(45,000 films, Zipf-distributed keywords, cast and ratings) and never written
to disk.

    .venv/bin/python -m bench.bench_recommender                 # 100K, 1M, 5M
    .venv/bin/python -m bench.bench_recommender --sizes 100000,1000000,5000000,26000000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO_DIR = Path(__file__).resolve().parent.parent
SEED = 20240601
N_FILMS = 45_000
RATINGS_PER_USER = 96  # the full MovieLens ratings.csv: 26M ratings by 270,896 users


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "moviesite.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    sys.path.insert(0, str(REPO_DIR))
    import django

    django.setup()


def _zipf_ids(rng: np.random.Generator, size: int, n: int, a: float = 1.3) -> np.ndarray:
    return (rng.zipf(a, size=size) - 1) % n


def generate_documents(n_films: int = N_FILMS, seed: int = SEED) -> list[Any]:
    from recommender.content import FilmDocument

    rng = np.random.default_rng(seed)
    vocabulary = [f"w{index}" for index in range(20_000)]
    documents = []
    for movie_id in range(1, n_films + 1):
        document = FilmDocument(movie_id=movie_id)
        document.tokens["genre"] = [f"g{g}" for g in rng.choice(20, size=rng.integers(1, 4), replace=False)]
        document.tokens["keyword"] = [f"k{k}" for k in _zipf_ids(rng, int(rng.integers(0, 11)), 20_000)]
        document.tokens["cast"] = [f"p{p}" for p in _zipf_ids(rng, 5, 100_000, 1.2)]
        document.tokens["director"] = [f"p{100_000 + int(_zipf_ids(rng, 1, 20_000)[0])}"]
        if rng.random() < 0.1:
            document.tokens["collection"] = [f"c{rng.integers(2000)}"]
        document.overview = " ".join(vocabulary[i] for i in _zipf_ids(rng, 30, len(vocabulary), 1.1))
        documents.append(document)
    return documents


def generate_ratings(
    n_ratings: int, n_items: int = N_FILMS, seed: int = SEED
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """(users, items, scores): popular films rated more, scores from a hidden taste model, in halves."""
    rng = np.random.default_rng(seed)
    n_users = max(1, n_ratings // RATINGS_PER_USER)
    users = rng.integers(0, n_users, size=n_ratings, dtype=np.int32)
    items = _zipf_ids(rng, n_ratings, n_items, 1.15).astype(np.int32)
    taste_users = rng.normal(0, 0.6, size=(n_users, 4)).astype(np.float32)
    taste_items = rng.normal(0, 0.6, size=(n_items, 4)).astype(np.float32)
    quality = rng.normal(0, 0.5, size=n_items).astype(np.float32)
    raw = np.empty(n_ratings, dtype=np.float32)
    for start in range(0, n_ratings, 1 << 22):
        end = start + (1 << 22)
        u, i = users[start:end], items[start:end]
        raw[start:end] = 3.5 + quality[i] + np.einsum("ij,ij->i", taste_users[u], taste_items[i])
        raw[start:end] += rng.normal(0, 0.7, size=len(u)).astype(np.float32)
    scores = np.clip(np.round(raw * 2) / 2, 0.5, 5.0).astype(np.float32)
    return users, items, scores, n_users


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """CPU time of this process: on a shared, busy machine wall time overstates the work."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def case_content(n_films: int) -> dict[str, Any]:
    _django()
    from recommender.content import content_index_build

    documents = generate_documents(n_films)
    started, cpu = time.perf_counter(), _cpu_seconds()
    arrays = content_index_build(documents, k=50)
    seconds = time.perf_counter() - started
    return {
        "films": n_films,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(_cpu_seconds() - cpu, 2),
        "peak_mb": round(_peak_mb()),
        "k": arrays["scores"].shape[1],
    }


def case_svd_lean(n_ratings: int) -> dict[str, Any]:
    _django()
    from recommender.collaborative import svd_train

    users, items, scores, n_users = generate_ratings(n_ratings)
    baseline_mb = _peak_mb()
    cpu = _cpu_seconds()
    factors = svd_train(users=users, items=items, scores=scores, n_users=n_users, n_items=N_FILMS)
    return {
        "ratings": n_ratings,
        "seconds": round(factors.seconds, 2),
        "cpu_seconds": round(_cpu_seconds() - cpu, 2),
        "peak_mb": round(_peak_mb()),
        "data_mb": round(baseline_mb),
    }


def case_svd_surprise(n_ratings: int) -> dict[str, Any]:
    """Surprise's documented path: a DataFrame through Dataset.load_from_df and build_full_trainset."""
    import pandas as pd
    from surprise import SVD, Dataset, Reader

    from recommender.collaborative import DEFAULT_SVD_PARAMS

    users, items, scores, _n_users = generate_ratings(n_ratings)
    started, cpu = time.perf_counter(), _cpu_seconds()
    frame = pd.DataFrame({"user": users, "item": items, "score": scores})
    del users, items, scores
    trainset = Dataset.load_from_df(frame, Reader(rating_scale=(0.5, 5.0))).build_full_trainset()
    del frame
    SVD(random_state=0, **DEFAULT_SVD_PARAMS).fit(trainset)
    return {
        "ratings": n_ratings,
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(_cpu_seconds() - cpu, 2),
        "peak_mb": round(_peak_mb()),
    }


def case_latency(n_films: int, n_requests: int = 2000) -> dict[str, Any]:
    """A user's top-10 from the hybrid with every model loaded, in process (no database)."""
    _django()
    from recommender.base import UserHistory
    from recommender.catalog_data import CatalogSnapshot
    from recommender.collaborative import svd_train
    from recommender.content import content_index_build
    from recommender.ratings_data import RatingsData
    from recommender.recommenders import HybridRecommender
    from recommender.scoring import NeighbourModel, SvdModel
    from recommender.training import item_neighbours_build

    rng = np.random.default_rng(SEED)
    movie_ids = np.arange(1, n_films + 1, dtype=np.int64)
    snapshot = CatalogSnapshot(
        token=1,
        movie_ids=movie_ids,
        titles=[f"Film {i}" for i in movie_ids],
        tmdb_vote_counts=rng.integers(0, 5000, n_films).astype(float),
        tmdb_vote_averages=rng.uniform(2, 9, n_films),
        weighted_rating=rng.uniform(2, 4.5, n_films),
        prior=rng.uniform(0, 1, n_films),
        hidden=np.zeros(n_films, dtype=bool),
        genre_names={1: "Drama"},
        genre_members={1: np.arange(0, n_films, 3)},
        primary_genre=np.ones(n_films, dtype=np.int64),
    )
    content = NeighbourModel.from_arrays(
        version_id=1, kind="content", arrays=content_index_build(generate_documents(n_films), k=50)
    )
    users, items, scores, n_users = generate_ratings(1_000_000, n_items=n_films)
    data = RatingsData(
        users=users,
        items=items,
        scores=scores,
        user_keys=np.arange(1, n_users + 1, dtype=np.int64),
        movie_ids=movie_ids,
        site_updated_at=np.zeros(len(scores)),
    )
    neighbours = NeighbourModel.from_arrays(
        version_id=2, kind="item_neighbours", arrays=item_neighbours_build(data, k=50)
    )
    factors = svd_train(users=users, items=items, scores=scores, n_users=n_users, n_items=n_films)
    svd = SvdModel(
        version_id=3,
        movie_ids=movie_ids,
        item_factors=factors.item_factors,
        item_biases=factors.item_biases,
        global_mean=factors.global_mean,
        user_ids=np.zeros(0, dtype=np.int64),
        user_factors=np.zeros((0, factors.item_factors.shape[1]), dtype=np.float32),
        user_biases=np.zeros(0, dtype=np.float32),
        user_counts=np.zeros(0, dtype=np.int64),
        ratings_cutoff=0.0,
    )
    hybrid = HybridRecommender(snapshot, svd=svd, content=content, item_neighbours=neighbours)
    histories = []
    for _ in range(200):
        rated = rng.choice(movie_ids, size=int(rng.integers(5, 200)), replace=False)
        histories.append(UserHistory(ratings={int(m): float(rng.integers(1, 11)) / 2 for m in rated}, user_key="u0"))
    for history in histories[:20]:
        hybrid.recommend(history, limit=10)  # warm the aligned arrays
    timings = []
    for request in range(n_requests):
        started = time.perf_counter()
        hybrid.recommend(histories[request % len(histories)], limit=10)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "films": n_films,
        "requests": n_requests,
        "p50_ms": round(float(np.percentile(timings, 50)), 3),
        "p99_ms": round(float(np.percentile(timings, 99)), 3),
        "peak_mb": round(_peak_mb()),
    }


CASES = {
    "content": case_content,
    "svd_lean": case_svd_lean,
    "svd_surprise": case_svd_surprise,
    "latency": case_latency,
}


def _in_child(case: str, size: int) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.bench_recommender", "--child", case, str(size)],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        return {"error": completed.stderr.strip().splitlines()[-1] if completed.stderr.strip() else "failed"}
    return json.loads(completed.stdout.strip().splitlines()[-1])


def run(
    *, sizes: tuple[int, ...] = (100_000, 1_000_000, 5_000_000), baseline_size: int = 1_000_000, films: int = N_FILMS
) -> dict[str, Any]:
    """Every figure, each with its baseline where one exists; returns a dict for bench/run_all.py."""
    results: dict[str, Any] = {"content_index": _in_child("content", films)}
    print(f"content index, {films:,} films: {results['content_index']}")
    results["svd_lean"] = {}
    for size in sizes:
        results["svd_lean"][size] = _in_child("svd_lean", size)
        print(f"SVD lean feeding, {size:,} ratings: {results['svd_lean'][size]}")
    baseline = _in_child("svd_surprise", baseline_size)
    results["svd_surprise_baseline"] = baseline
    print(f"SVD through Surprise's Dataset, {baseline_size:,} ratings: {baseline}")
    lean = results["svd_lean"].get(baseline_size) or _in_child("svd_lean", baseline_size)
    if "peak_mb" in lean and "peak_mb" in baseline:
        results["svd_ratio_vs_surprise"] = {
            "peak_memory": round(lean["peak_mb"] / baseline["peak_mb"], 3),
            "seconds": round(lean["seconds"] / baseline["seconds"], 3),
            "cpu_seconds": round(lean["cpu_seconds"] / baseline["cpu_seconds"], 3),
        }
        print(f"lean / Surprise's path at {baseline_size:,}: {results['svd_ratio_vs_surprise']}")
    results["top10_latency"] = _in_child("latency", films)
    print(f"top-10 latency, {films:,} films: {results['top10_latency']}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000,5000000")
    parser.add_argument("--baseline-size", type=int, default=1_000_000)
    parser.add_argument("--films", type=int, default=N_FILMS)
    parser.add_argument("--child", nargs=2, metavar=("CASE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CASES[args.child[0]](int(args.child[1]))))
        return
    run(
        sizes=tuple(int(size) for size in args.sizes.split(",")),
        baseline_size=args.baseline_size,
        films=args.films,
    )


if __name__ == "__main__":
    main()
