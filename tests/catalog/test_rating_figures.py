"""A film's rating figures: the dataset part counted at import, site ratings folded in by beat (embedded: at once).

Beat folds in only the films rated since its last run (their RatingChange rows) every
RATING_FIGURES_REFRESH_SECONDS, and recounts every film hourly.
"""

from __future__ import annotations

import datetime as dt
import importlib
import threading
import types

import pytest
from django.apps import apps
from django.db import connection, transaction

from catalog.models import Movie
from catalog.services import (
    movie_rating_figures_refresh_changed,
    movie_rating_stats_refresh,
    movie_rating_stats_refresh_site,
)
from catalog.tasks import recount_rating_figures, refresh_rating_figures
from moviesite.celery import app as celery_app
from ratings.models import DatasetRating, Rating, RatingChange
from ratings.services import rating_delete, rating_set, ratings_bulk_set, ratings_delete
from tests.factories import DatasetRatingFactory, MovieFactory, RatingFactory, UserFactory


def figures(movie: Movie) -> tuple[int, float, int, float]:
    movie.refresh_from_db()
    return movie.ratings_count, movie.ratings_average, movie.dataset_ratings_count, movie.dataset_ratings_total


@pytest.mark.django_db
def test_the_import_refresh_counts_dataset_and_site_ratings_apart() -> None:
    film, unrated = MovieFactory(), MovieFactory()
    for score in (5.0, 4.0, 3.5):
        DatasetRatingFactory(movie=film, score=score)
    RatingFactory(movie=film, score=1.0)
    unrated.ratings_count, unrated.ratings_average = 7, 3.0  # stale, from an earlier import
    unrated.save()

    assert movie_rating_stats_refresh() == 2
    assert figures(film) == (4, round((5 + 4 + 3.5 + 1) / 4, 4), 3, 12.5)
    assert figures(unrated) == (0, 0.0, 0, 0.0)


@pytest.mark.django_db
def test_the_site_refresh_folds_in_new_changed_and_deleted_ratings_from_the_stored_dataset_part() -> None:
    film, other = MovieFactory(), MovieFactory()
    DatasetRatingFactory(movie=film, score=4.0)
    DatasetRatingFactory(movie=film, score=2.0)
    kept = RatingFactory(movie=film, score=5.0)
    dropped = RatingFactory(movie=other, score=3.0)
    movie_rating_stats_refresh()
    # The dataset ratings are read by imports only: gone from the table, still in the film's part.
    DatasetRating.objects.all().delete()
    RatingFactory(movie=film, score=0.5)
    Rating.objects.filter(pk=kept.pk).update(score=4.5)
    dropped.delete()

    assert movie_rating_stats_refresh_site() == 2
    assert figures(film) == (4, round((4 + 2 + 4.5 + 0.5) / 4, 4), 2, 6.0)
    assert figures(other) == (0, 0.0, 0, 0.0)


@pytest.mark.django_db
def test_only_changed_films_are_written_and_a_second_run_changes_nothing() -> None:
    rated, untouched = MovieFactory(), MovieFactory()
    movie_rating_stats_refresh()
    before = {movie.pk: movie.updated_at for movie in Movie.objects.all()}
    RatingFactory(movie=rated, score=3.0)

    assert movie_rating_stats_refresh_site() == 1
    after = {movie.pk: movie.updated_at for movie in Movie.objects.all()}
    assert after[rated.pk] > before[rated.pk]  # its cached cards and page are redrawn
    assert after[untouched.pk] == before[untouched.pk]
    assert movie_rating_stats_refresh_site() == 0
    assert Movie.objects.get(pk=rated.pk).updated_at == after[rated.pk]


@pytest.mark.django_db
def test_a_refresh_of_chosen_films_leaves_the_others_alone() -> None:
    chosen, other = MovieFactory(), MovieFactory()
    RatingFactory(movie=chosen, score=2.0)
    RatingFactory(movie=other, score=4.0)

    assert movie_rating_stats_refresh_site(movie_ids=[chosen.pk]) == 1
    assert figures(chosen)[:2] == (1, 2.0)
    assert figures(other)[:2] == (0, 0.0)
    assert movie_rating_stats_refresh_site(movie_ids=[]) == 0
    assert figures(other)[:2] == (0, 0.0)


@pytest.mark.django_db
def test_films_without_tmdb_data_take_their_rating_count_as_popularity() -> None:
    demo_film = MovieFactory(tmdb_id=None, popularity=0)
    tmdb_film = MovieFactory(popularity=12.5)
    for _ in range(3):
        RatingFactory(movie=demo_film)
        RatingFactory(movie=tmdb_film)

    movie_rating_stats_refresh_site()
    assert Movie.objects.get(pk=demo_film.pk).popularity == 3
    assert Movie.objects.get(pk=tmdb_film.pk).popularity == 12.5


@pytest.mark.django_db
def test_without_a_broker_a_rating_write_refreshes_its_film_once_committed(
    django_capture_on_commit_callbacks: object, settings: object
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the embedded mode: no beat
    user, film, other = UserFactory(), MovieFactory(), MovieFactory()
    DatasetRatingFactory(movie=film, score=1.0)
    movie_rating_stats_refresh()

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        rating_set(user=user, movie=film, score=5)
    assert figures(film)[:2] == (2, 3.0)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        ratings_bulk_set(user=user, scores={film.pk: 4.0, other.pk: 2.0})
    assert (figures(film)[:2], figures(other)[:2]) == ((2, 2.5), (1, 2.0))
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        rating_delete(user=user, movie=film)
    assert figures(film)[:2] == (1, 1.0)


@pytest.mark.django_db
def test_with_a_broker_a_rating_write_leaves_the_film_row_to_beats_task(
    django_capture_on_commit_callbacks: object, settings: object
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False  # services mode: beat runs catalog.tasks.refresh_rating_figures
    user, film = UserFactory(), MovieFactory()
    written = Movie.objects.get(pk=film.pk).updated_at

    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # type: ignore[operator]
        rating_set(user=user, movie=film, score=3.5)
    assert callbacks == []
    assert figures(film)[:2] == (0, 0.0)
    assert Movie.objects.get(pk=film.pk).updated_at == written

    assert refresh_rating_figures.apply().get() == 1
    assert figures(film)[:2] == (1, 3.5)


def test_beat_runs_the_refresh_at_the_configured_interval_and_the_recount_hourly(settings: object) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-rating-figures"]  # type: ignore[attr-defined]
    assert entry["task"] == refresh_rating_figures.name
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"] == dt.timedelta(seconds=settings.RATING_FIGURES_REFRESH_SECONDS)  # type: ignore[attr-defined]
    recount = settings.CELERY_BEAT_SCHEDULE["recount-rating-figures"]  # type: ignore[attr-defined]
    assert recount["task"] == recount_rating_figures.name
    assert recount["task"] in celery_app.tasks
    assert recount["schedule"].minute == {35} and len(recount["schedule"].hour) == 24


@pytest.mark.django_db
def test_every_rating_write_records_its_films_and_the_refresh_folds_in_only_those(settings: object) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False  # type: ignore[attr-defined]
    user, rated, bulk, deleted, untouched = UserFactory(), *MovieFactory.create_batch(4)
    RatingFactory(user=user, movie=deleted, score=2.0)
    Movie.objects.filter(pk=untouched.pk).update(ratings_count=9, ratings_average=1.0)  # stale, unrated since

    rating_set(user=user, movie=rated, score=4.0)
    ratings_bulk_set(user=user, scores={bulk.pk: 3.0})
    rating_delete(user=user, movie=deleted)
    recorded = sorted(RatingChange.objects.values_list("movie_id", flat=True))

    assert recorded == sorted([rated.pk, bulk.pk, deleted.pk])
    assert movie_rating_figures_refresh_changed() == 2  # the deleted rating was never counted in
    assert (figures(rated)[:2], figures(bulk)[:2], figures(deleted)[:2]) == ((1, 4.0), (1, 3.0), (0, 0.0))
    assert figures(untouched)[:2] == (9, 1.0)
    assert not RatingChange.objects.exists()
    assert movie_rating_figures_refresh_changed() == 0
    assert recount_rating_figures.apply().get() == 1
    assert figures(untouched)[:2] == (0, 0.0)


@pytest.mark.django_db
def test_a_curator_s_bulk_delete_records_each_film_once() -> None:
    first, second = MovieFactory(), MovieFactory()
    for film in (first, first, second):
        RatingFactory(movie=film)

    ratings_delete(ratings=Rating.objects.all())

    assert sorted(RatingChange.objects.values_list("movie_id", flat=True)) == sorted([first.pk, second.pk])


@pytest.mark.django_db
def test_a_rating_write_that_fails_records_no_change() -> None:
    user, film = UserFactory(), MovieFactory()

    with pytest.raises(RuntimeError), transaction.atomic():
        rating_set(user=user, movie=film, score=4.0)
        raise RuntimeError("the request failed after the rating")

    assert not Rating.objects.exists()
    assert not RatingChange.objects.exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_rating_still_being_written_during_a_refresh_waits_for_the_next_one(settings: object) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False  # type: ignore[attr-defined]  # beat's refresh, not the write's
    user, film = UserFactory(), MovieFactory()
    written, refreshed = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def rate_and_commit_late() -> None:
        try:
            with transaction.atomic():
                rating_set(user=user, movie=film, score=4.5)
                written.set()
                refreshed.wait(timeout=30)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    writer = threading.Thread(target=rate_and_commit_late)
    writer.start()
    assert written.wait(timeout=30)
    during = movie_rating_figures_refresh_changed()
    refreshed.set()
    writer.join()

    assert errors == []
    assert during == 0
    assert figures(film)[:2] == (0, 0.0)
    assert movie_rating_figures_refresh_changed() == 1
    assert figures(film)[:2] == (1, 4.5)


@pytest.mark.django_db
def test_the_migration_fills_the_dataset_part_of_existing_films() -> None:
    film = MovieFactory()
    DatasetRatingFactory(movie=film, score=4.5)
    DatasetRatingFactory(movie=film, score=2.0)
    Movie.objects.filter(pk=film.pk).update(dataset_ratings_count=0, dataset_ratings_total=0)
    migration = importlib.import_module("catalog.migrations.0005_movie_dataset_rating_parts")

    migration.fill_dataset_parts(apps, types.SimpleNamespace(connection=connection))
    assert figures(film)[2:] == (2, 6.5)
