"""A recommendation's reason is in the visitor's language, whichever signal chose the film."""

from __future__ import annotations

import pytest
from django.utils import translation

from recommender import services
from recommender.serving import recommendations_for_user, similar_movies
from tests.factories import (
    CastCreditFactory,
    GenreFactory,
    MovieFactory,
    PersonFactory,
    PlatformFactory,
    RatingFactory,
    StreamingTitleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_film_s_neighbours_say_what_they_share_in_spanish() -> None:
    drama, hanks = GenreFactory(name="Drama"), PersonFactory(name="Tom Hanks")
    source, twin = MovieFactory(genres=[drama]), MovieFactory(genres=[drama])
    for film in (source, twin):
        CastCreditFactory(movie=film, person=hanks, order=0)
    services.content_index_rebuild()

    with translation.override("es"):
        (similar,) = similar_movies(movie_id=source.pk, limit=5)

    assert similar.movie_id == twin.pk
    assert similar.reason.startswith("En común: ")
    assert similar.reason.endswith("Tom Hanks")


def test_because_you_liked_and_the_platform_are_said_in_spanish() -> None:
    musical = GenreFactory(name="Musical")
    loved = MovieFactory(title="Loved", overview="", genres=[musical])
    like_loved = MovieFactory(title="Like Loved", overview="", genres=[musical])
    StreamingTitleFactory(platform=PlatformFactory(slug="netflix"), movie=like_loved)
    user = UserFactory()
    RatingFactory(user=user, movie=loved, score=5.0)
    services.content_index_rebuild()

    with translation.override("es"):
        (anywhere,) = recommendations_for_user(user=user, limit=1)
        (on_netflix,) = recommendations_for_user(user=user, limit=1, platform_slugs=["netflix"])

    assert anywhere.movie_id == on_netflix.movie_id == like_loved.pk
    assert anywhere.reason == "Porque te gustó Loved"
    assert on_netflix.reason == "En Netflix · Porque te gustó Loved"
