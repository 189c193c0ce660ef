"""Curators edit and delete users' ratings in the admin: validated like the site, and the films' figures follow."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Movie
from catalog.services import movie_rating_stats_refresh_site
from ratings.models import Rating
from tests.factories import MovieFactory, RatingFactory

pytestmark = pytest.mark.django_db


def figures(movie_id: int) -> tuple[int, float]:
    movie = Movie.objects.get(pk=movie_id)
    return movie.ratings_count, movie.ratings_average


def test_a_changed_score_reaches_the_film_s_figures(
    staff_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    rating = RatingFactory(score=4.0)
    RatingFactory(movie=rating.movie, score=2.0)
    movie_rating_stats_refresh_site()
    url = reverse("admin:ratings_rating_change", args=[rating.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"score": "5"})

    assert response.status_code == 302
    assert figures(rating.movie_id) == (2, 3.5)


def test_deleting_ratings_one_or_many_reaches_the_films_figures(
    staff_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    film = MovieFactory()
    first, second, third = (RatingFactory(movie=film, score=score) for score in (1.0, 3.0, 5.0))
    movie_rating_stats_refresh_site()

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("admin:ratings_rating_delete", args=[first.pk]), {"post": "yes"})
    assert figures(film.pk) == (2, 4.0)

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:ratings_rating_changelist"),
            {"action": "delete_selected", "_selected_action": [second.pk, third.pk], "post": "yes"},
        )
    assert figures(film.pk) == (0, 0)
    assert not Rating.objects.exists()


def test_a_score_off_the_half_steps_is_refused_with_the_site_s_message_in_spanish(staff_client: Client) -> None:
    rating = RatingFactory(score=4.0)

    response = staff_client.post(
        reverse("admin:ratings_rating_change", args=[rating.pk]), {"score": "7"}, HTTP_ACCEPT_LANGUAGE="es"
    )

    assert response.status_code == 200
    assert "La puntuación debe estar entre 0,5 y 5, en pasos de 0,5." in response.content.decode()
    assert Rating.objects.get(pk=rating.pk).score == 4.0


def test_the_user_and_film_of_a_rating_cannot_be_changed(staff_client: Client) -> None:
    rating = RatingFactory(score=4.0)
    other = MovieFactory()

    staff_client.post(reverse("admin:ratings_rating_change", args=[rating.pk]), {"movie": other.pk, "score": "3"})

    assert Rating.objects.get(pk=rating.pk).movie_id == rating.movie_id
    assert not Rating.objects.filter(movie=other).exists()


def test_a_curator_adds_a_rating_for_a_user(staff_client: Client) -> None:
    rating = RatingFactory(score=4.0)
    film = MovieFactory()

    response = staff_client.post(
        reverse("admin:ratings_rating_add"), {"user": rating.user_id, "movie": film.pk, "score": "2.5"}
    )

    assert response.status_code == 302
    assert Rating.objects.get(user=rating.user_id, movie=film).score == 2.5


def test_the_ratings_list_reads_no_distinct_values_and_counts_at_most_a_cap(staff_client: Client) -> None:
    RatingFactory(score=4.5)
    RatingFactory(score=2.0)
    url = reverse("admin:ratings_rating_changelist")

    with CaptureQueriesContext(connection) as queries:
        listing = staff_client.get(url)
    statements = [query["sql"] for query in queries]  # the next request empties the log
    filtered = staff_client.get(url, {"score": "4.5"}).content.decode()

    assert listing.status_code == 200
    assert not any("DISTINCT" in sql for sql in statements)
    assert all("LIMIT" in sql for sql in statements if "COUNT(" in sql and "ratings_rating" in sql)
    assert filtered.count('class="field-score"') == 1
