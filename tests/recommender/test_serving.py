from __future__ import annotations

import pytest

from recommender.serving import popular_movies, recommendations_for_user
from tests.factories import (
    DismissalFactory,
    GenreFactory,
    MovieFactory,
    PlatformFactory,
    RatingFactory,
    StreamingTitleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def make_ranked_films() -> list:
    """Four films whose TMDB votes give a clear weighted-rating order: best first."""
    drama = GenreFactory(name="Drama")
    comedy = GenreFactory(name="Comedy")
    return [
        MovieFactory(title="Best", vote_count=5000, vote_average=8.5, genres=[drama]),
        MovieFactory(title="Good", vote_count=3000, vote_average=7.5, genres=[comedy]),
        MovieFactory(title="Fine", vote_count=2000, vote_average=6.5, genres=[drama]),
        MovieFactory(title="Weak", vote_count=3000, vote_average=3.0, genres=[comedy]),
    ]


def test_it_ranks_popular_films_by_weighted_rating() -> None:
    films = make_ranked_films()
    ranked = popular_movies(limit=4)
    assert [item.movie_id for item in ranked] == [film.pk for film in films]


def test_it_limits_popular_films_to_a_genre_and_says_so() -> None:
    best, _good, fine, _weak = make_ranked_films()
    ranked = popular_movies(limit=10, genre="drama")
    assert [item.movie_id for item in ranked] == [best.pk, fine.pk]
    assert ranked[0].reason == "Popular in drama"


def test_it_serves_popularity_to_an_anonymous_visitor() -> None:
    films = make_ranked_films()
    ranked = recommendations_for_user(user=None, limit=2)
    assert [item.movie_id for item in ranked] == [films[0].pk, films[1].pk]
    assert ranked[0].reason == "Popular in Drama"


def test_it_never_recommends_rated_dismissed_or_hidden_films() -> None:
    best, good, fine, weak = make_ranked_films()
    user = UserFactory()
    RatingFactory(user=user, movie=best, score=5.0)
    DismissalFactory(user=user, movie=good)
    fine.is_hidden = True
    fine.save()
    ranked = recommendations_for_user(user=user, limit=10)
    assert [item.movie_id for item in ranked] == [weak.pk]


def test_it_keeps_to_the_platforms_asked_for() -> None:
    _best, good, _fine, _weak = make_ranked_films()
    StreamingTitleFactory(platform=PlatformFactory(slug="netflix"), movie=good)
    ranked = recommendations_for_user(user=UserFactory(), limit=10, platform_slugs=["netflix"])
    assert [item.movie_id for item in ranked] == [good.pk]
    assert ranked[0].reason.startswith("On Netflix")


def test_a_user_s_history_reads_ratings_dismissals_and_the_latest_change_exactly() -> None:
    from recommender.serving import user_history

    user, other = UserFactory(), UserFactory()
    rated, newer, dismissed = MovieFactory(), MovieFactory(), MovieFactory()
    RatingFactory(user=user, movie=rated, score=3.5)
    latest = RatingFactory(user=user, movie=newer, score=5.0)
    DismissalFactory(user=user, movie=dismissed)
    RatingFactory(user=other, movie=dismissed, score=1.0)

    history = user_history(user)

    assert history.ratings == {rated.pk: 3.5, newer.pk: 5.0}
    assert history.excluded == frozenset({dismissed.pk})
    assert history.user_key == f"u{user.pk}"
    assert history.latest_rating_at == pytest.approx(latest.updated_at.timestamp(), abs=1e-6)


def test_the_latest_change_is_the_newest_update_not_the_newest_rating() -> None:
    from recommender.serving import user_history

    user, other = UserFactory(), UserFactory()
    first, second = MovieFactory(), MovieFactory()
    older = RatingFactory(user=user, movie=first, score=2.0)
    RatingFactory(user=user, movie=second, score=4.0)
    older.score = 4.5
    older.save()  # re-rated after the second film: the newest change
    RatingFactory(user=other, movie=second, score=1.0)  # later still, but another user's

    history = user_history(user)

    older.refresh_from_db()
    assert history.ratings == {first.pk: 4.5, second.pk: 4.0}
    assert history.latest_rating_at == pytest.approx(older.updated_at.timestamp(), abs=1e-6)


def test_a_user_with_no_ratings_has_no_latest_change_but_keeps_the_dismissals() -> None:
    from recommender.serving import user_history

    user, dismissed = UserFactory(), MovieFactory()
    DismissalFactory(user=user, movie=dismissed)
    RatingFactory(movie=dismissed, score=3.0)

    history = user_history(user)

    assert history.ratings == {}
    assert history.excluded == frozenset({dismissed.pk})
    assert history.latest_rating_at is None


def test_films_hidden_at_the_top_do_not_shorten_the_list() -> None:
    """More hidden films than the serving margin sit above the visible ones: the list is still full."""
    from catalog.services import movie_hidden_set

    films = [MovieFactory(vote_count=5000 - 100 * rank, vote_average=8.0) for rank in range(8)]
    movie_hidden_set(movies=films[:5], hidden=True)

    assert [item.movie_id for item in popular_movies(limit=3)] == [film.pk for film in films[5:]]
    assert [item.movie_id for item in recommendations_for_user(user=UserFactory(), limit=3)] == [
        film.pk for film in films[5:]
    ]
