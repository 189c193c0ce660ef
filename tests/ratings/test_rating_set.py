"""ratings.services.rating_set: one upsert, on either database."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from catalog.models import Movie
from catalog.services import movie_rating_stats_refresh
from ratings.models import Dismissal, Rating
from ratings.services import rating_delete, rating_set, ratings_bulk_set
from tests.factories import DatasetRatingFactory, DismissalFactory, MovieFactory, RatingFactory, UserFactory


@pytest.mark.django_db
def test_it_creates_then_changes_and_says_which() -> None:
    user, film = UserFactory(), MovieFactory()
    created, is_new = rating_set(user=user, movie=film, score="4.5")
    assert is_new
    changed, is_new_again = rating_set(user=user, movie=film, score=2)
    assert not is_new_again
    assert changed.pk == created.pk
    stored = Rating.objects.get(user=user, movie=film)
    assert (stored.score, stored.created_at, stored.updated_at) == (2.0, changed.created_at, changed.updated_at)
    assert changed.updated_at > created.updated_at
    assert changed.created_at == created.created_at


@pytest.mark.django_db
def test_the_same_score_again_changes_nothing() -> None:
    rating = RatingFactory(score=3.0)
    again, is_new = rating_set(user=rating.user, movie=rating.movie, score=3.0)
    assert not is_new
    assert (again.pk, again.updated_at) == (rating.pk, Rating.objects.get(pk=rating.pk).updated_at)
    assert again.updated_at == rating.updated_at


@pytest.mark.django_db
def test_rating_clears_not_interested_for_that_user_and_film_only() -> None:
    user, film, other_film = UserFactory(), MovieFactory(), MovieFactory()
    DismissalFactory(user=user, movie=film)
    DismissalFactory(user=user, movie=other_film)
    someone_else = DismissalFactory(movie=film)
    rating_set(user=user, movie=film, score=4)
    assert set(Dismissal.objects.values_list("pk", flat=True)) == {
        Dismissal.objects.get(user=user, movie=other_film).pk,
        someone_else.pk,
    }


@pytest.mark.django_db
def test_a_bad_score_writes_nothing() -> None:
    user, film = UserFactory(), MovieFactory()
    DismissalFactory(user=user, movie=film)
    with pytest.raises(ValidationError) as refused:
        rating_set(user=user, movie=film, score=7)
    assert "score" in refused.value.message_dict
    assert not Rating.objects.exists()
    assert Dismissal.objects.filter(user=user, movie=film).exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_many_requests_rating_one_film_at_once_leave_one_rating_and_one_creation() -> None:
    user, film = UserFactory(), MovieFactory()
    outcomes: list[bool] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def rate(score: float) -> None:
        try:
            start.wait()
            outcomes.append(rating_set(user=user, movie=film, score=score)[1])
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=rate, args=(0.5 + index * 0.5,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == [False] * 7 + [True]
    assert Rating.objects.filter(user=user, movie=film).count() == 1
    film.refresh_from_db()
    stored = Rating.objects.get(user=user, movie=film).score
    assert (film.ratings_count, film.ratings_average) == (1, pytest.approx(stored))


def _figures(film: Movie) -> tuple[int, float, float]:
    film.refresh_from_db()
    return film.ratings_count, film.ratings_average, film.popularity


def _assert_figures_as_a_full_refresh_gives(film: Movie) -> None:
    kept = _figures(film)
    movie_rating_stats_refresh()
    count, average, popularity = _figures(film)
    assert kept == (count, pytest.approx(average, abs=1e-4), popularity)


@pytest.mark.django_db
def test_site_ratings_change_the_films_figures_along_with_its_dataset_ratings() -> None:
    # Two dataset ratings (4 and 2) counted by the last import's refresh; no TMDB data, so
    # the film's popularity is its rating count.
    film = MovieFactory(tmdb_id=None, popularity=0)
    DatasetRatingFactory(movie=film, score=4.0)
    DatasetRatingFactory(movie=film, score=2.0)
    movie_rating_stats_refresh()
    ana, ben = UserFactory(), UserFactory()

    rating_set(user=ana, movie=film, score=5)
    assert _figures(film) == (3, pytest.approx(11 / 3), 3)
    rating_set(user=ben, movie=film, score=0.5)
    assert _figures(film) == (4, pytest.approx(11.5 / 4), 4)
    rating_set(user=ana, movie=film, score=1)
    assert _figures(film) == (4, pytest.approx(7.5 / 4), 4)
    _assert_figures_as_a_full_refresh_gives(film)
    assert rating_delete(user=ben, movie=film)
    assert _figures(film) == (3, pytest.approx(7 / 3), 3)
    assert not rating_delete(user=ben, movie=film)
    assert _figures(film) == (3, pytest.approx(7 / 3), 3)
    _assert_figures_as_a_full_refresh_gives(film)


@pytest.mark.django_db
def test_the_last_rating_deleted_leaves_no_average_and_tmdb_popularity_untouched() -> None:
    film = MovieFactory(tmdb_id=603, popularity=42.5)
    user = UserFactory()
    rating_set(user=user, movie=film, score=4)
    assert _figures(film) == (1, 4.0, 42.5)
    rating_delete(user=user, movie=film)
    assert _figures(film) == (0, 0.0, 42.5)


@pytest.mark.django_db
def test_the_same_score_again_leaves_the_figures_alone() -> None:
    film = MovieFactory()
    user = UserFactory()
    rating_set(user=user, movie=film, score=3)
    rating_set(user=user, movie=film, score=3)
    assert _figures(film)[:2] == (1, 3.0)


@pytest.mark.django_db
def test_a_ratings_import_changes_each_films_figures() -> None:
    kept, changed, new = MovieFactory(), MovieFactory(), MovieFactory()
    DatasetRatingFactory(movie=new, score=3.0)
    user = UserFactory()
    rating_set(user=user, movie=kept, score=2)
    rating_set(user=user, movie=changed, score=2)
    movie_rating_stats_refresh()

    assert ratings_bulk_set(user=user, scores={kept.pk: 2, changed.pk: 4, new.pk: 5}) == (1, 1, 1)

    assert _figures(kept)[:2] == (1, 2.0)
    assert _figures(changed)[:2] == (1, 4.0)
    assert _figures(new)[:2] == (2, 4.0)
    for film in (kept, changed, new):
        _assert_figures_as_a_full_refresh_gives(film)
