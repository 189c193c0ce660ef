"""The one computation behind /insights/ and `catalog_report`.

`insights_compute()` reads the database and returns a language-neutral,
JSON-serialisable dict: numbers, keys and codes only; every label is put on
at render time in the reader's language (`catalog.insights.sections`).

It has to stay cheap at the full dataset's size (45k films, 26M ratings):
per-film fields are read as one narrow values_list (45k tuples), every
rating figure is aggregated in SQL (GROUP BY score and year, counts of
counts per rater and per film), so no more than tens of thousands of rows
ever reach pandas.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import ExtractYear
from django.utils import timezone

from catalog.insights import analysis
from catalog.models import (
    Collection,
    Company,
    Country,
    Credit,
    Genre,
    ImportRun,
    Keyword,
    KnowledgeFact,
    Movie,
    Person,
    Platform,
    StreamingTitle,
)
from moviesite.sql import quoted_table
from ratings.models import DatasetRating, Rating
from recommender.models import EvaluationRun, ModelVersion

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
TOP_CATEGORIES = 20
OUTLIERS_LISTED = 25
IMPORT_RUNS_SHOWN = 30
AGE_RATINGS_SHOWN = 15

# Per-film scalar fields read for distributions, completeness and correlation.
MOVIE_FIELDS = [
    "id",
    "title",
    "tmdb_id",
    "imdb_id",
    "release_date",
    "release_year",
    "runtime",
    "budget",
    "revenue",
    "return_ratio",
    "popularity",
    "vote_average",
    "vote_count",
    "ratings_count",
    "ratings_average",
    "original_language",
    "overview",
    "tagline",
    "poster_path",
    "homepage",
    "status",
]
# Numeric fields of the correlation matrix; 0 means "unknown" for the starred
# ones in the dataset (a budget of 0, a runtime of 0), so they become missing.
CORRELATION_FIELDS = [
    "release_year",
    "runtime",
    "budget",
    "revenue",
    "return_ratio",
    "popularity",
    "vote_average",
    "vote_count",
    "ratings_count",
    "ratings_average",
]
ZERO_IS_UNKNOWN = {"runtime", "budget", "revenue", "return_ratio", "ratings_average"}
# Per-rater and per-film long-tail bins: 1, 2-4, 5-9, 10-19, 20-49, ...
TAIL_EDGES = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, np.inf]
RELEASE_YEAR_STEP = 10
RUNTIME_EDGES = [*range(0, 241, 15), np.inf]
VOTE_AVERAGE_EDGES = [float(step) for step in range(11)]
VOTE_COUNT_EDGES = [*analysis.log_edges(0, 5), np.inf]
POPULARITY_EDGES = [0.0, *analysis.log_edges(-3, 3, 2), np.inf]
MONEY_EDGES = [*analysis.log_edges(0, 10, 2), np.inf]
RETURN_EDGES = [0.0, *analysis.log_edges(-4, 5, 2), np.inf]
SEASON_EDGES = [1, 2, 3, 4, 5, 10, np.inf]


def insights_compute(*, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Every figure of the report, as a JSON-serialisable dict."""
    started = time.monotonic()
    movies = _movie_frame()
    # Ratings per film (one GROUP BY per ratings table) serve completeness and the long tail.
    per_film = _ratings_per_film()
    data: dict[str, Any] = {"schema": SCHEMA_VERSION, "generated_at": timezone.now().isoformat()}
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("ratings", lambda: _ratings(movies, per_film)),
        # After ratings: their totals come from the ratings aggregates, not another scan.
        ("catalog", lambda: _catalog_counts(data["ratings"])),
        ("completeness", lambda: _completeness(movies, per_film)),
        ("distributions", lambda: _distributions(movies)),
        ("money", lambda: _money(movies)),
        ("correlation", lambda: _correlation(movies)),
        ("categories", lambda: _categories(movies)),
        ("streaming", _streaming),
        ("imports", _imports),
        ("recommender", _recommender),
    ]
    for name, step in steps:
        step_started = time.monotonic()
        data[name] = step()
        logger.info("insights: %s computed in %.2fs", name, time.monotonic() - step_started)
        if progress:
            progress(name)
    data["compute_seconds"] = round(time.monotonic() - started, 3)
    data["database"] = connection.vendor
    return data


def _movie_frame() -> pd.DataFrame:
    rows = Movie.objects.order_by().values_list(*MOVIE_FIELDS)
    frame = pd.DataFrame.from_records(list(rows.iterator(chunk_size=5000)), columns=MOVIE_FIELDS)
    for field in ("release_year", "runtime", "tmdb_id"):
        frame[field] = pd.to_numeric(frame[field], errors="coerce").astype("Float64")
    return frame


# --- Catalog size and completeness -----------------------------------------
def _catalog_counts(ratings: dict[str, Any]) -> dict[str, int]:
    sources = ratings["sources"]
    return {
        "films": Movie.objects.count(),
        "people": Person.objects.count(),
        "credits": Credit.objects.count(),
        "knowledge_facts": KnowledgeFact.objects.count(),
        "genres": Genre.objects.count(),
        "keywords": Keyword.objects.count(),
        "collections": Collection.objects.count(),
        "companies": Company.objects.count(),
        "countries": Country.objects.count(),
        "platforms": Platform.objects.count(),
        "streaming_titles": StreamingTitle.objects.count(),
        "streaming_unmatched": StreamingTitle.objects.filter(movie__isnull=True).count(),
        "site_ratings": sources["site"]["ratings"],
        "site_raters": sources["site"]["raters"],
        "dataset_ratings": sources["dataset"]["ratings"],
        "dataset_raters": sources["dataset"]["raters"],
        "import_runs": ImportRun.objects.count(),
        "model_versions": ModelVersion.objects.count(),
    }


def _completeness(movies: pd.DataFrame, per_film: dict[str, pd.Series]) -> dict[str, Any]:
    """Films missing each field; for relations, films with none."""
    missing = {
        "tmdb_id": int(movies["tmdb_id"].isna().sum()),
        "imdb_id": int((movies["imdb_id"] == "").sum()),
        "release_date": int(movies["release_date"].isna().sum()),
        "runtime": int((movies["runtime"].isna() | (movies["runtime"] == 0)).sum()),
        "budget": int((movies["budget"] == 0).sum()),
        "revenue": int((movies["revenue"] == 0).sum()),
        "vote_count": int((movies["vote_count"] == 0).sum()),
        "original_language": int((movies["original_language"] == "").sum()),
        "overview": int((movies["overview"] == "").sum()),
        "tagline": int((movies["tagline"] == "").sum()),
        "poster_path": int((movies["poster_path"] == "").sum()),
        "homepage": int((movies["homepage"] == "").sum()),
    }
    without = Movie.objects.order_by()
    relations = {
        "genres": Movie.genres.through.objects.filter(movie=OuterRef("pk")),
        "credits": Credit.objects.filter(movie=OuterRef("pk")),
        "keywords": Movie.keywords.through.objects.filter(movie=OuterRef("pk")),
        "countries": Movie.countries.through.objects.filter(movie=OuterRef("pk")),
        "companies": Movie.companies.through.objects.filter(movie=OuterRef("pk")),
    }
    for name, related in relations.items():
        missing[name] = without.filter(~Exists(related)).count()
    missing["ratings"] = int((~movies["id"].isin(_films_rated(per_film).index)).sum())
    per_platform = StreamingTitle.objects.order_by().values("platform__slug").annotate(titles=Count("id"))
    unmatched = dict(
        StreamingTitle.objects.filter(movie__isnull=True)
        .order_by()
        .values("platform__slug")
        .annotate(n=Count("id"))
        .values_list("platform__slug", "n")
    )
    return {
        "films": len(movies),
        "missing": missing,
        "streaming": [
            [row["platform__slug"], row["titles"], unmatched.get(row["platform__slug"], 0)]
            for row in per_platform.order_by("platform__slug")
        ],
    }


# --- Distributions ----------------------------------------------------------
def _distribution(values: pd.Series, edges: list[float], *, missing: int) -> dict[str, Any]:
    return {
        "stats": analysis.describe(values.astype(float)),
        "missing": missing,
        "edges": [analysis.as_number(edge) for edge in edges],
        "counts": analysis.binned_counts(values.astype(float), edges),
    }


def _distributions(movies: pd.DataFrame) -> dict[str, Any]:
    years = movies["release_year"].dropna()
    if years.empty:
        year_edges: list[float] = [1900, 2030]
    else:
        first = int(years.min()) // RELEASE_YEAR_STEP * RELEASE_YEAR_STEP
        last = int(years.max()) // RELEASE_YEAR_STEP * RELEASE_YEAR_STEP + RELEASE_YEAR_STEP
        year_edges = [float(year) for year in range(first, last + 1, RELEASE_YEAR_STEP)]
    runtime = movies["runtime"].where(movies["runtime"] > 0)
    voted = movies["vote_count"] > 0
    dates = pd.to_datetime(movies["release_date"])
    return {
        # Decades [1990, 2000): the last edge is past the newest film's decade.
        "release_year": {
            **_distribution(years, year_edges, missing=len(movies) - len(years)),
            # TMDB often writes a film known only by its year as released on 1 January.
            "first_of_january": int(((dates.dt.month == 1) & (dates.dt.day == 1)).sum()),
        },
        "runtime": _distribution(runtime.dropna(), RUNTIME_EDGES, missing=int(runtime.isna().sum())),
        "vote_average": _distribution(
            movies.loc[voted, "vote_average"], VOTE_AVERAGE_EDGES, missing=int((~voted).sum())
        ),
        "vote_count": _distribution(movies.loc[voted, "vote_count"], VOTE_COUNT_EDGES, missing=int((~voted).sum())),
        "popularity": _distribution(movies["popularity"], POPULARITY_EDGES, missing=0),
    }


def _money(movies: pd.DataFrame) -> dict[str, Any]:
    """Budget, revenue and return: log-scale distributions with outliers flagged and listed."""
    result = {}
    for field, edges in (("budget", MONEY_EDGES), ("revenue", MONEY_EDGES), ("return_ratio", RETURN_EDGES)):
        values = movies[field].astype(float)
        known = values[values > 0]
        low, high, mask = analysis.log_outliers(values)
        flagged = movies.loc[mask, ["id", "title", "release_year", "budget", "revenue", "return_ratio"]].copy()
        # Most extreme first: distance from the median on the log scale.
        median_log = np.log10(known).median() if not known.empty else 0.0
        flagged["distance"] = (np.log10(flagged[field].astype(float)) - median_log).abs()
        flagged = flagged.sort_values(["distance", "id"], ascending=[False, True])
        result[field] = {
            "stats": analysis.describe(known),
            "missing": int(len(values) - len(known)),
            "edges": [analysis.as_number(edge) for edge in edges],
            "counts": analysis.binned_counts(known, edges),
            "fences": [analysis.as_number(low), analysis.as_number(high)],
            "outliers_low": int((mask & (values < low)).sum()),
            "outliers_high": int((mask & (values > high)).sum()),
            "outliers": [
                {
                    "id": int(row.id),
                    "title": row.title,
                    "year": None if pd.isna(row.release_year) else int(row.release_year),
                    "budget": int(row.budget),
                    "revenue": int(row.revenue),
                    "return_ratio": analysis.as_number(row.return_ratio),
                }
                for row in flagged.head(OUTLIERS_LISTED).itertuples()
            ],
        }
    return result


def _correlation(movies: pd.DataFrame) -> dict[str, Any]:
    frame = movies[CORRELATION_FIELDS].astype(float)
    for field in ZERO_IS_UNKNOWN:
        frame[field] = frame[field].where(frame[field] > 0)
    # TMDB gives a film nobody voted for an average of 0: unknown, not the lowest score.
    frame["vote_average"] = frame["vote_average"].where(frame["vote_count"] > 0)
    return {
        "fields": CORRELATION_FIELDS,
        "matrix": analysis.rank_correlation(frame),
        "known": {field: int(frame[field].notna().sum()) for field in CORRELATION_FIELDS},
    }


# --- Counts by category -----------------------------------------------------
def _top_with_other(pairs: list[tuple[str, int]], total: int) -> dict[str, Any]:
    top = pairs[:TOP_CATEGORIES]
    return {"top": [[name, count] for name, count in top], "other": total - sum(count for _, count in top)}


def _categories(movies: pd.DataFrame) -> dict[str, Any]:
    genres = list(
        Genre.objects.annotate(n=Count("movies")).filter(n__gt=0).order_by("-n", "name").values_list("name", "n")
    )
    languages = movies.loc[movies["original_language"] != "", "original_language"].value_counts()
    language_pairs = sorted(languages.items(), key=lambda item: (-item[1], item[0]))
    countries = list(
        Country.objects.annotate(n=Count("movies")).filter(n__gt=0).order_by("-n", "name").values_list("name", "n")
    )
    country_links = Movie.countries.through.objects.count()
    sizes = list(Collection.objects.annotate(n=Count("movies")).order_by("-n", "name").values_list("name", "n"))
    size_counts = pd.Series([n for _, n in sizes], dtype="int64").value_counts().sort_index()
    return {
        "genres": [[name, n] for name, n in genres],
        "languages": _top_with_other([(str(code), int(n)) for code, n in language_pairs], int(languages.sum())),
        "countries": _top_with_other(countries, country_links),
        "collection_sizes": [[int(size), int(count)] for size, count in size_counts.items()],
        "largest_collections": [[name, n] for name, n in sizes[:10] if n > 0],
    }


# --- Ratings ----------------------------------------------------------------
def _dataset_year_sql() -> str:
    if connection.vendor == "postgresql":
        return "EXTRACT(YEAR FROM to_timestamp(rated_at) AT TIME ZONE 'UTC')::int"
    return "CAST(strftime('%Y', rated_at, 'unixepoch') AS INTEGER)"


def _fetch(sql: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchall())


def _frequency(sql: str) -> pd.Series:
    rows = _fetch(sql)
    return pd.Series({int(size): int(count) for size, count in rows}, dtype="int64").sort_index()


def _tail(frequency: pd.Series) -> dict[str, Any]:
    return {
        "summary": analysis.frequency_summary(frequency),
        "counts": analysis.binned_frequency(frequency, TAIL_EDGES),
    }


def _ratings_per_film() -> dict[str, pd.Series]:
    """Ratings per film id for each source ("site", "dataset"); films with none are absent."""
    return {
        source: pd.Series(dict(model.objects.order_by().values_list("movie_id").annotate(n=Count("id"))), dtype="int64")
        for source, model in (("site", Rating), ("dataset", DatasetRating))
    }


def _films_rated(per_film: dict[str, pd.Series]) -> pd.Series:
    return per_film["site"].add(per_film["dataset"], fill_value=0).astype("int64")


def _ratings(movies: pd.DataFrame, per_film: dict[str, pd.Series]) -> dict[str, Any]:
    dataset = quoted_table(DatasetRating)
    # One scan of the big table for scores and years together.
    score_year = _fetch(
        f"SELECT score, {_dataset_year_sql()} AS year, COUNT(*) FROM {dataset} GROUP BY score, year"  # noqa: S608
    )
    dataset_frame = pd.DataFrame(score_year, columns=["score", "year", "n"])
    site_frame = pd.DataFrame(
        list(
            Rating.objects.order_by()
            .annotate(year=ExtractYear("created_at"))
            .values_list("score", "year")
            .annotate(n=Count("id"))
        ),
        columns=["score", "year", "n"],
    )
    scores = sorted(set(dataset_frame["score"]).union(site_frame["score"]))
    site_by_score = site_frame.groupby("score")["n"].sum()
    dataset_by_score = dataset_frame.groupby("score")["n"].sum()
    years = sorted(set(dataset_frame["year"].dropna()).union(site_frame["year"].dropna()))
    site_by_year = site_frame.groupby("year")["n"].sum()
    dataset_by_year = dataset_frame.groupby("year")["n"].sum()

    site_per_rater = _frequency(
        f"SELECT n, COUNT(*) FROM (SELECT COUNT(*) AS n FROM {quoted_table(Rating)} GROUP BY user_id) t GROUP BY n"  # noqa: S608
    )
    dataset_per_rater = _frequency(
        f"SELECT n, COUNT(*) FROM (SELECT COUNT(*) AS n FROM {dataset} GROUP BY source, rater_id) t GROUP BY n"  # noqa: S608
    )
    rated = _films_rated(per_film)
    per_film_frequency = rated.value_counts().sort_index()

    def source_summary(frame: pd.DataFrame, per_rater: pd.Series, films: pd.Series) -> dict[str, Any]:
        total = int(frame["n"].sum())
        mean = float((frame["score"] * frame["n"]).sum() / total) if total else None
        return {
            "ratings": total,
            "raters": int(per_rater.sum()),
            "films": len(films),
            "mean_score": mean,
        }

    return {
        "scores": [
            [float(score), int(site_by_score.get(score, 0)), int(dataset_by_score.get(score, 0))] for score in scores
        ],
        "years": [[int(year), int(site_by_year.get(year, 0)), int(dataset_by_year.get(year, 0))] for year in years],
        "tail_edges": [analysis.as_number(edge) for edge in TAIL_EDGES],
        "per_rater": {"site": _tail(site_per_rater), "dataset": _tail(dataset_per_rater)},
        "per_film": {**_tail(per_film_frequency), "unrated": int(len(movies) - len(rated))},
        "sources": {
            "site": source_summary(site_frame, site_per_rater, per_film["site"]),
            "dataset": source_summary(dataset_frame, dataset_per_rater, per_film["dataset"]),
        },
    }


# --- Streaming --------------------------------------------------------------
STREAMING_FIELDS = [
    "platform__slug",
    "kind",
    "title_search",
    "release_year",
    "date_added",
    "age_rating",
    "duration_value",
    "duration_unit",
    "movie_id",
]


def _streaming() -> dict[str, Any]:
    rows = StreamingTitle.objects.order_by().values_list(*STREAMING_FIELDS)
    titles = pd.DataFrame.from_records(list(rows.iterator(chunk_size=5000)), columns=STREAMING_FIELDS)
    titles = titles.rename(columns={"platform__slug": "platform"})
    platforms = sorted(titles["platform"].unique().tolist())
    if titles.empty:
        return {"platforms": [], "titles": 0}

    kinds = titles.groupby(["platform", "kind"]).size()
    by_kind = [
        [
            platform,
            int(kinds.get((platform, StreamingTitle.Kind.MOVIE.value), 0)),
            int(kinds.get((platform, StreamingTitle.Kind.TV_SHOW.value), 0)),
        ]
        for platform in platforms
    ]

    rated = titles.assign(age_rating=titles["age_rating"].replace("", None))
    rating_totals = rated["age_rating"].value_counts()
    shown_ratings = sorted(rating_totals.index[:AGE_RATINGS_SHOWN], key=lambda code: (-rating_totals[code], code))
    age_table = rated.assign(
        age_rating=rated["age_rating"].where(rated["age_rating"].isin(shown_ratings) | rated["age_rating"].isna(), "*")
    )
    age_counts = age_table.fillna({"age_rating": ""}).groupby(["age_rating", "platform"]).size()
    age_rows = [
        [code, *[int(age_counts.get((code, platform), 0)) for platform in platforms]]
        for code in [*shown_ratings, "*", ""]
    ]

    movies_minutes = titles[(titles["duration_unit"] == StreamingTitle.DurationUnit.MINUTES)]
    shows_seasons = titles[(titles["duration_unit"] == StreamingTitle.DurationUnit.SEASONS)]
    duration = {
        "minute_edges": [analysis.as_number(edge) for edge in RUNTIME_EDGES],
        "season_edges": [analysis.as_number(edge) for edge in SEASON_EDGES],
        "platforms": [
            {
                "platform": platform,
                "minutes": analysis.describe(
                    movies_minutes.loc[movies_minutes["platform"] == platform, "duration_value"].astype(float)
                ),
                "minute_counts": analysis.binned_counts(
                    movies_minutes.loc[movies_minutes["platform"] == platform, "duration_value"].astype(float),
                    RUNTIME_EDGES,
                ),
                "seasons": analysis.describe(
                    shows_seasons.loc[shows_seasons["platform"] == platform, "duration_value"].astype(float)
                ),
                "season_counts": analysis.binned_counts(
                    shows_seasons.loc[shows_seasons["platform"] == platform, "duration_value"].astype(float),
                    SEASON_EDGES,
                ),
            }
            for platform in platforms
        ],
        "unknown": int(titles["duration_value"].isna().sum()),
    }

    added_year = pd.to_datetime(titles["date_added"]).dt.year
    added = titles.assign(year=added_year).groupby(["year", "platform"]).size()
    added_years = sorted({int(year) for year in added_year.dropna()})
    year_added = {
        "years": [[year, *[int(added.get((year, platform), 0)) for platform in platforms]] for year in added_years],
        "unknown": [int(added_year[titles["platform"] == platform].isna().sum()) for platform in platforms],
    }

    decade = (titles["release_year"].astype("Float64") // 10 * 10).astype("Int64")
    released = titles.assign(decade=decade).groupby(["decade", "platform"]).size()
    decades = sorted({int(value) for value in decade.dropna()})
    release_decades = [[d, *[int(released.get((d, platform), 0)) for platform in platforms]] for d in decades]

    return {
        "platforms": platforms,
        "names": dict(Platform.objects.filter(slug__in=platforms).values_list("slug", "name")),
        "titles": len(titles),
        "by_kind": by_kind,
        "age_ratings": age_rows,
        "duration": duration,
        "year_added": year_added,
        "release_decades": release_decades,
        "overlap": _platform_overlap(titles, platforms),
    }


def _platform_overlap(titles: pd.DataFrame, platforms: list[str]) -> dict[str, Any]:
    """Titles two platforms share: the same matched film, else the same normalised title and year."""
    year = titles["release_year"].astype("Int64").astype(str)
    identity = ("t:" + titles["title_search"] + "|" + year).where(
        titles["movie_id"].isna(), "m:" + titles["movie_id"].astype("Int64").astype(str)
    )
    keyed = titles.assign(identity=identity)[["platform", "identity"]].drop_duplicates()
    members = {platform: set(keyed.loc[keyed["platform"] == platform, "identity"]) for platform in platforms}
    matrix = [[len(members[a] & members[b]) for b in platforms] for a in platforms]
    spread = keyed.groupby("identity")["platform"].nunique().value_counts().sort_index()
    return {
        "matrix": matrix,
        "by_platform_count": [[int(k), int(n)] for k, n in spread.items()],
        "distinct": int(keyed["identity"].nunique()),
    }


# --- Import history and the recommender -------------------------------------
def _imports() -> dict[str, Any]:
    runs = list(
        ImportRun.objects.order_by("-started_at", "-id").values(
            "id",
            "started_at",
            "status",
            "rows_read",
            "rows_inserted",
            "rows_updated",
            "rows_unchanged",
            "rows_rejected",
            "rejects_by_reason",
            "duration_seconds",
        )[:IMPORT_RUNS_SHOWN]
    )
    totals: dict[str, int] = {}
    for reasons in ImportRun.objects.values_list("rejects_by_reason", flat=True).iterator():
        for reason, count in (reasons or {}).items():
            totals[str(reason)] = totals.get(str(reason), 0) + int(count)
    return {
        "runs": [
            {**run, "started_at": run["started_at"].isoformat(), "rejects_by_reason": run["rejects_by_reason"] or {}}
            for run in reversed(runs)
        ],
        "rejects_by_reason": sorted(
            ([reason, n] for reason, n in totals.items()), key=lambda item: (-item[1], item[0])
        ),
        "total_runs": ImportRun.objects.count(),
    }


def _numeric_metrics(metrics: Any) -> dict[str, float]:
    if not isinstance(metrics, dict):
        return {}
    return {
        str(name): float(value)
        for name, value in metrics.items()
        if isinstance(value, (int, float)) and not isinstance(value, bool)
    }


def _recommender() -> dict[str, Any]:
    versions = [
        {
            "id": version.pk,
            "kind": version.kind,
            "status": version.status,
            "created_at": version.created_at.isoformat(),
            "activated_at": version.activated_at.isoformat() if version.activated_at else None,
            "training_seconds": version.training_seconds,
            "data_size": {k: v for k, v in (version.data_size or {}).items() if isinstance(v, (int, float))},
            "metrics": _numeric_metrics(version.metrics),
        }
        for version in ModelVersion.objects.order_by("created_at", "id")
    ]
    evaluations = [
        {
            "id": run.pk,
            "created_at": run.created_at.isoformat(),
            "results": {
                str(recommender): _numeric_metrics(metrics) for recommender, metrics in (run.results or {}).items()
            },
        }
        for run in EvaluationRun.objects.order_by("created_at", "id")
    ]
    return {
        "versions": versions,
        "active": [version["id"] for version in versions if version["status"] == ModelVersion.Status.ACTIVE],
        "evaluations": evaluations,
    }
