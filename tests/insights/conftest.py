"""A small catalog with the dataset's quirks, written by the tests themselves.

Each film has a role (see the comments) so a test can reason about what the
report should say; the expected numbers are still recomputed independently
with the ORM, pandas or plain Python in each test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings

from catalog.insights.services import insights_refresh
from catalog.models import Movie, StreamingTitle
from recommender.models import EvaluationRun, ModelVersion
from tests.factories import (
    CastCreditFactory,
    CollectionFactory,
    CountryFactory,
    CrewCreditFactory,
    DatasetRatingFactory,
    GenreFactory,
    ImportRunFactory,
    KeywordFactory,
    ModelVersionFactory,
    MovieFactory,
    PlatformFactory,
    RatingFactory,
    StaffUserFactory,
    StreamingTitleFactory,
    UserFactory,
)

# Unix timestamps in three different years (UTC).
TS_1997 = int(dt.datetime(1997, 6, 1, tzinfo=dt.UTC).timestamp())
TS_2005 = int(dt.datetime(2005, 12, 31, 23, 0, tzinfo=dt.UTC).timestamp())
TS_2016 = int(dt.datetime(2016, 1, 1, 0, 30, tzinfo=dt.UTC).timestamp())


@dataclass
class FixtureCatalog:
    movies: list[Movie]
    outlier: Movie
    staff: object


@pytest.fixture
def insights_dir(tmp_path: Path):
    with override_settings(INSIGHTS_DIR=tmp_path / "insights"):
        yield tmp_path / "insights"


def _film(title: str, *, budget: int = 0, revenue: int = 0, **fields: object) -> Movie:
    return MovieFactory(
        title=title,
        budget=budget,
        revenue=revenue,
        return_ratio=revenue / budget if budget else 0.0,
        **fields,
    )


@pytest.fixture
def fixture_catalog(db: None) -> FixtureCatalog:
    return build_fixture_catalog()


@pytest.fixture(scope="module")
def refreshed_catalog(django_db_setup: None, django_db_blocker, tmp_path_factory) -> Iterator[FixtureCatalog]:
    """The fixture catalog and one English snapshot of it, shared by a module's tests.

    Drawing 30 charts takes seconds, so the page tests share one snapshot.
    The rows live in an outer transaction (like TestCase.setUpTestData):
    each test runs in a savepoint inside it, and the whole is rolled back
    when the module is done.
    """
    insights = tmp_path_factory.mktemp("insights")
    with django_db_blocker.unblock(), override_settings(INSIGHTS_DIR=insights):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            catalog = build_fixture_catalog()
            insights_refresh(languages=["en"])
            yield catalog
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def build_fixture_catalog() -> FixtureCatalog:
    drama, comedy, horror = GenreFactory(name="Drama"), GenreFactory(name="Comedy"), GenreFactory(name="Horror")
    us = CountryFactory(code="US", name="United States of America")
    fr = CountryFactory(code="FR", name="France")
    saga = CollectionFactory(name="Saga")
    solo = CollectionFactory(name="Solo")
    keyword = KeywordFactory(name="heist")

    movies = []
    # Ordinary films with known money figures (returns 2x to 4x).
    for index in range(10):
        budget = (index + 1) * 10_000_000
        movies.append(
            _film(
                f"Regular {index}",
                budget=budget,
                revenue=budget * (2 + index % 3),
                runtime=80 + index * 10,
                release_date=dt.date(1960 + index * 6, 5, 1),
                vote_count=10 ** (index % 5),
                vote_average=4.0 + index * 0.5,
                popularity=0.5 + index * 3,
                original_language="fr" if index % 4 == 0 else "en",
                genres=[drama] if index % 2 else [drama, comedy],
            )
        )
    # The dataset's famous error: a budget of $1 and a return in the millions.
    outlier = _film(
        "Budget Typo",
        budget=1,
        revenue=12_000_000,
        runtime=95,
        release_date=dt.date(1995, 3, 3),
        vote_count=50,
        vote_average=6.1,
        genres=[horror],
    )
    movies.append(outlier)
    # Unknowns: no release date, runtime 0, no votes, no genres, no language.
    movies.append(
        _film("Unknown Everything", runtime=0, release_date=None, vote_count=0, vote_average=0, original_language="")
    )
    movies.append(_film("Runtime Missing", runtime=None, release_date=dt.date(2015, 1, 1), vote_count=3))

    for movie in movies[:6]:
        movie.countries.add(us)
    for movie in movies[4:7]:
        movie.countries.add(fr)
    movies[0].collection = saga
    movies[1].collection = saga
    movies[2].collection = solo
    for movie in movies[:3]:
        movie.save()
    for movie in movies[:2]:
        CastCreditFactory(movie=movie)
        CrewCreditFactory(movie=movie)
    for movie in movies[:3]:
        movie.keywords.add(keyword)

    # Site users: alice rates three films, bob one.
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    for movie, score in zip(movies[:3], (5.0, 3.5, 4.0), strict=True):
        RatingFactory(user=alice, movie=movie, score=score)
    RatingFactory(user=bob, movie=movies[0], score=2.0)
    # Dataset raters 1-3 with 4, 2 and 1 ratings over three years.
    for rater, films, stamp in ((1, movies[:4], TS_1997), (2, movies[3:5], TS_2005), (3, [outlier], TS_2016)):
        for movie in films:
            DatasetRatingFactory(rater_id=rater, movie=movie, score=4.5 if rater == 1 else 3.0, rated_at=stamp)

    # Streaming: Netflix and Hulu share one matched film and one unmatched title+year.
    netflix, hulu = PlatformFactory(slug="netflix"), PlatformFactory(slug="hulu")
    StreamingTitleFactory(platform=netflix, title="Regular 0", movie=movies[0], release_year=1960,
                          age_rating="PG", date_added=dt.date(2019, 5, 1), duration_value=80)  # fmt: skip
    StreamingTitleFactory(platform=netflix, title="Lost Show", kind=StreamingTitle.Kind.TV_SHOW, release_year=2018,
                          duration_value=3, duration_unit=StreamingTitle.DurationUnit.SEASONS, age_rating="TV-MA",
                          date_added=dt.date(2020, 1, 1))  # fmt: skip
    StreamingTitleFactory(platform=netflix, title="Unique Doc", release_year=2001, duration_value=50)
    StreamingTitleFactory(platform=hulu, title="REGULAR 0 (Hulu cut)", movie=movies[0], release_year=1960,
                          age_rating="PG", date_added=dt.date(2020, 2, 2), duration_value=82)  # fmt: skip
    StreamingTitleFactory(platform=hulu, title="Lost  Show", kind=StreamingTitle.Kind.TV_SHOW, release_year=2018,
                          duration_value=1, duration_unit=StreamingTitle.DurationUnit.SEASONS)  # fmt: skip

    ImportRunFactory(rows_read=100, rows_inserted=90, rows_rejected=10,
                     rejects_by_reason={"id is not a number": 7, "no such film": 3})  # fmt: skip
    ImportRunFactory(rows_read=100, rows_unchanged=99, rows_rejected=1, rejects_by_reason={"no such film": 1})

    old = ModelVersionFactory(status=ModelVersion.Status.READY, metrics={"rmse": 0.95, "mae": 0.75})
    ModelVersionFactory(status=ModelVersion.Status.ACTIVE, metrics={"rmse": 0.91, "mae": 0.72, "note": "text"})
    evaluation = EvaluationRun.objects.create(results={"svd": {"ndcg@10": 0.2}, "popularity": {"ndcg@10": 0.1}})
    evaluation.model_versions.add(old)

    return FixtureCatalog(movies=movies, outlier=outlier, staff=StaffUserFactory(username="curator"))
