"""The dataset ratings' admin at tens of millions of rows: a rater's or a source's ratings are key ranges."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ratings.models import DatasetRating
from tests.factories import DatasetRatingFactory, MovieFactory

pytestmark = pytest.mark.django_db

URL = "admin:ratings_datasetrating_changelist"


def listed(staff_client: Client, params: dict[str, str]) -> tuple[list[int], list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(reverse(URL), params)
    assert response.status_code == 200
    return [rating.pk for rating in response.context["cl"].result_list], [query["sql"] for query in queries]


def test_a_rater_s_ratings_are_found_by_key_range_in_every_source(staff_client: Client) -> None:
    film, other_film = MovieFactory(), MovieFactory()
    theirs = [
        DatasetRatingFactory(rater_id=42, movie=film),
        DatasetRatingFactory(rater_id=42, movie=other_film),
        DatasetRatingFactory(rater_id=42, movie=film, source=DatasetRating.Source.ML100K),
    ]
    DatasetRatingFactory(rater_id=41, movie=film)
    DatasetRatingFactory(rater_id=43, movie=film)

    found, sql = listed(staff_client, {"q": "42"})

    assert sorted(found) == sorted(rating.pk for rating in theirs)
    assert not any('"rater_id"' in statement.partition("WHERE")[2] for statement in sql)
    assert listed(staff_client, {"q": "forty-two"})[0] == []


def test_the_source_filter_reads_a_range_of_the_key(staff_client: Client) -> None:
    film = MovieFactory()
    movielens = DatasetRatingFactory(rater_id=7, movie=film)
    ml100k = DatasetRatingFactory(rater_id=7, movie=film, source=DatasetRating.Source.ML100K)

    found_ml100k, sql = listed(staff_client, {"source": str(DatasetRating.Source.ML100K.value)})
    found_movielens, _sql = listed(staff_client, {"source": str(DatasetRating.Source.MOVIELENS.value)})

    assert (found_ml100k, found_movielens) == ([ml100k.pk], [movielens.pk])
    assert not any('"source"' in statement.partition("WHERE")[2] for statement in sql)


def test_the_dataset_ratings_list_sorts_by_its_key_only(staff_client: Client) -> None:
    DatasetRatingFactory()

    assert list(staff_client.get(reverse(URL)).context["cl"].sortable_by) == ["pk"]


def test_the_dataset_ratings_list_never_counts_its_rows_once_per_source(staff_client: Client) -> None:
    """The admin's "Show counts" (`?_facets`) ran a COUNT per source over the whole table: over 12 minutes
    on 3 million ratings, never answered."""
    DatasetRatingFactory()

    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(reverse("admin:ratings_datasetrating_changelist"), {"_facets": "True"})

    assert response.status_code == 200
    assert not any("FILTER (WHERE" in query["sql"] for query in queries)
