"""A prolific person's page lists their films a page at a time, with figures summed over all of them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.selectors import PERSON_FILMS_PAGE
from tests.factories import CastCreditFactory, CrewCreditFactory, MovieFactory, PersonFactory

pytestmark = pytest.mark.django_db


def person_with_films(count: int) -> int:
    person = PersonFactory()
    for day in range(count):
        movie = MovieFactory(
            budget=10, revenue=20, return_ratio=2.0, release_date=dt.date(1990, 1, 1) + dt.timedelta(day)
        )
        CastCreditFactory(person=person, movie=movie, character=f"Role {day}")
    return person.pk


def test_a_prolific_person_s_page_shows_one_page_of_films_and_figures_over_all(client: Client) -> None:
    pk = person_with_films(PERSON_FILMS_PAGE + 3)
    url = reverse("person-detail", args=[pk])

    first = client.get(url)
    last = client.get(url, {"page": 2})

    assert first.context["detail"].film_count == PERSON_FILMS_PAGE + 3
    assert first.context["detail"].total_return == pytest.approx(2.0 * (PERSON_FILMS_PAGE + 3))
    assert len(first.context["detail"].films) == PERSON_FILMS_PAGE
    assert first.context["detail"].films[0].roles == [f"Role {PERSON_FILMS_PAGE + 2}"]  # newest first
    assert [film.roles for film in last.context["detail"].films] == [["Role 2"], ["Role 1"], ["Role 0"]]
    assert 'rel="next"' in first.content.decode()


def test_a_person_s_page_costs_the_same_queries_however_many_films(client: Client) -> None:
    def queries(films: int) -> int:
        pk = person_with_films(films)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("person-detail", args=[pk])).status_code == 200
        return len(captured)

    assert queries(2) == queries(PERSON_FILMS_PAGE + 5)


def test_a_film_the_person_acted_in_and_directed_counts_once_with_both_roles(client: Client) -> None:
    person, movie = PersonFactory(), MovieFactory()
    CastCreditFactory(person=person, movie=movie, character="Himself")
    CrewCreditFactory(person=person, movie=movie)

    detail = client.get(reverse("person-detail", args=[person.pk])).context["detail"]

    assert detail.film_count == 1
    assert detail.films[0].roles == ["Himself", "Director"]


def test_a_person_s_jobs_are_named_in_spanish_and_characters_kept_as_written(client: Client) -> None:
    person, movie = PersonFactory(), MovieFactory()
    CastCreditFactory(person=person, movie=movie, character="Director")  # a character who happens to be called so
    CrewCreditFactory(person=person, movie=movie, job="Screenplay")
    CrewCreditFactory(person=person, movie=movie, job="Original Music Composer")
    CrewCreditFactory(person=person, movie=movie, job="Second Unit Orchestrator")  # TMDB's long tail: as stored

    response = client.get(reverse("person-detail", args=[person.pk]), HTTP_ACCEPT_LANGUAGE="es")

    assert response.context["detail"].films[0].roles == [
        "Director",
        "Guion",
        "Música original",
        "Second Unit Orchestrator",
    ]
