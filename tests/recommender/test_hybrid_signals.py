"""What each signal of the hybrid makes of a user's ratings, with models trained on the test's own catalog."""

from __future__ import annotations

import pytest

from recommender import services
from recommender.serving import recommendations_for_user
from tests.factories import GenreFactory, MovieFactory, RatingFactory, UserFactory

pytestmark = pytest.mark.django_db


def ids(ranking) -> list[int]:
    return [item.movie_id for item in ranking]


def test_films_like_one_the_user_disliked_come_after_films_like_nothing_they_rated() -> None:
    western, musical, drama = GenreFactory(name="Western"), GenreFactory(name="Musical"), GenreFactory(name="Drama")
    hated = MovieFactory(title="Hated", overview="", genres=[western])
    loved = MovieFactory(title="Loved", overview="", genres=[musical])
    like_hated = MovieFactory(title="Like Hated", overview="", genres=[western])
    like_loved = MovieFactory(title="Like Loved", overview="", genres=[musical])
    unrelated = MovieFactory(title="Unrelated", overview="", genres=[drama])
    user = UserFactory()
    RatingFactory(user=user, movie=hated, score=1.0)
    RatingFactory(user=user, movie=loved, score=5.0)
    services.content_index_rebuild()

    ranked = recommendations_for_user(user=user, limit=3)

    assert ids(ranked) == [like_loved.pk, unrelated.pk, like_hated.pk]
    assert ranked[0].reason == "Because you liked Loved"


def test_a_film_rated_below_three_and_a_half_is_never_called_liked_even_above_the_user_s_mean() -> None:
    western, drama = GenreFactory(name="Western"), GenreFactory(name="Drama")
    user = UserFactory()
    for title in ("Awful", "Dreadful"):
        RatingFactory(user=user, movie=MovieFactory(title=title, overview="", genres=[drama]), score=1.0)
    RatingFactory(user=user, movie=MovieFactory(title="Middling", overview="", genres=[western]), score=3.0)
    like_middling = MovieFactory(title="Like Middling", overview="", genres=[western])
    services.content_index_rebuild()

    ranked = recommendations_for_user(user=user, limit=1)

    assert ids(ranked) == [like_middling.pk]
    assert ranked[0].reason == "Popular in Western"
