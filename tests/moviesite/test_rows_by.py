"""moviesite.sql.RowsBy: the same instances the ORM builds, from one statement built once.

Run on SQLite locally and on PostgreSQL in CI, so the converters of both are
exercised (SQLite hands dates and booleans back raw; the ORM converts them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken, get_token_model

from accounts.models import Profile
from catalog.models import Movie
from moviesite.sql import RowsBy
from ratings.models import Rating
from tests.factories import CollectionFactory, MovieFactory, ProfileFactory, RatingFactory, UserFactory

pytestmark = pytest.mark.django_db


def _fields(instance: models.Model) -> dict[str, Any]:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_a_film_and_its_collection_equal_what_the_orm_loads() -> None:
    collection = CollectionFactory(name="The Trilogy")
    film = MovieFactory(
        collection=collection, release_date=dt.date(1999, 12, 31), adult=True, budget=10**11, vote_average=7.25
    )
    [loaded] = RowsBy(Movie, "pk", related="collection").fetch(film.pk)
    expected = Movie.objects.select_related("collection").get(pk=film.pk)
    assert _fields(loaded) == _fields(expected)
    assert isinstance(loaded.release_date, dt.date)
    assert loaded.adult is True
    assert loaded.updated_at.tzinfo is not None
    assert _fields(loaded.collection) == _fields(expected.collection)
    assert loaded._state.adding is False
    assert loaded._state.db == "default"


def test_the_related_row_is_loaded_by_the_same_statement() -> None:
    film = MovieFactory(collection=CollectionFactory())
    rows = RowsBy(Movie, "pk", related="collection")
    rows.fetch(film.pk)
    with CaptureQueriesContext(connection) as captured:
        [loaded] = rows.fetch(film.pk)
        assert loaded.collection.name
    assert len(captured.captured_queries) == 1


def test_an_empty_nullable_key_gives_none_without_a_query() -> None:
    film = MovieFactory(collection=None)
    [loaded] = RowsBy(Movie, "pk", related="collection").fetch(film.pk)
    with CaptureQueriesContext(connection) as captured:
        assert loaded.collection is None
    assert captured.captured_queries == []


def test_every_field_must_match() -> None:
    rating = RatingFactory(score=3.5)
    other_user = UserFactory()
    rows = RowsBy(Rating, "pk", "user", related="movie")
    [loaded] = rows.fetch(rating.pk, rating.user.pk)
    assert (loaded.pk, loaded.score, loaded.movie.title) == (rating.pk, 3.5, rating.movie.title)
    assert rows.fetch(rating.pk, other_user.pk) == []


def test_no_row_and_values_no_column_can_hold_give_an_empty_list() -> None:
    rows = RowsBy(Movie, "pk")
    assert rows.fetch(987654) == []
    assert rows.fetch(2**63) == []
    assert rows.fetch(-(2**70)) == []


def test_several_rows_come_back_each_with_its_related_row() -> None:
    """knox's token lookup: a key prefix may be shared; each token carries its own user."""
    first, second = UserFactory(), UserFactory()
    for user in (first, second):
        AuthToken.objects.create(user)
    token_model = get_token_model()
    token_model.objects.update(token_key="samekey8")
    loaded = RowsBy(get_token_model, "token_key", related="user").fetch("samekey8")
    assert sorted(token.user.username for token in loaded) == sorted([first.username, second.username])
    for token in loaded:
        assert token.user_id == token.user.pk


def test_a_one_to_one_of_the_related_row_comes_in_the_same_statement() -> None:
    """The token lookup also brings the user's profile (for the answer's language), or None without one."""
    with_profile, without = ProfileFactory(language="es").user, UserFactory()
    rows = RowsBy(get_token_model, "user", related="user", related_one="profile")
    for user in (with_profile, without):
        AuthToken.objects.create(user)
        rows.fetch(user.pk)
    with CaptureQueriesContext(connection) as captured:
        [token] = rows.fetch(with_profile.pk)
        [other] = rows.fetch(without.pk)
        assert token.user.profile.language == "es"
        assert token.user.profile.user is token.user
        with pytest.raises(Profile.DoesNotExist):
            other.user.profile  # noqa: B018 - the access is the test
    assert len(captured.captured_queries) == 2
    assert _fields(token.user.profile) == _fields(Profile.objects.get(user=with_profile))


def test_wrong_use_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one field"):
        RowsBy(Movie)
    with pytest.raises(TypeError, match="expected 2 values"):
        RowsBy(Rating, "pk", "user").fetch(1)
    with pytest.raises(TypeError, match="not a foreign key"):
        RowsBy(Movie, "pk", related="genres").fetch(1)
    with pytest.raises(ValueError, match="name `related` too"):
        RowsBy(Rating, "pk", related_one="profile")
    with pytest.raises(TypeError, match="not a reverse one-to-one"):
        RowsBy(Rating, "pk", related="user", related_one="ratings").fetch(1)
