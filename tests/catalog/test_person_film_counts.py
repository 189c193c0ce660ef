"""A person's stored film count, which the people list is ordered by, follows every write of credits."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from catalog.models import Person
from catalog.services import catalog_import, person_merge
from tests.catalog import fixtures_import as fx
from tests.factories import CastCreditFactory, CrewCreditFactory, MovieFactory, PersonFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


def counted_from_credits() -> dict[int, int]:
    people = Person.objects.annotate(n=Count("credits__movie", distinct=True))
    return dict(people.values_list("id", "n"))


def test_a_credits_import_stores_each_persons_film_count(tmp_path: Path) -> None:
    catalog_import(paths=[fx.write_movies_dataset(tmp_path)])

    stored = dict(Person.objects.values_list("id", "films_count"))
    assert stored == counted_from_credits()
    assert max(stored.values()) >= 1


def test_a_merge_counts_the_films_of_both_once() -> None:
    shared, own, other = MovieFactory(), MovieFactory(), MovieFactory()
    keep, duplicate = PersonFactory(name="Tom Hanks"), PersonFactory(name="Thomas Hanks")
    CastCreditFactory(person=keep, movie=shared)
    CastCreditFactory(person=keep, movie=own)
    CrewCreditFactory(person=duplicate, movie=shared)
    CastCreditFactory(person=duplicate, movie=other)

    person_merge(keep=keep, duplicate=duplicate)

    keep.refresh_from_db()
    assert keep.films_count == 3 == counted_from_credits()[keep.pk]


def test_the_people_list_puts_the_most_credited_first() -> None:
    busy, occasional, uncredited = PersonFactory(name="Busy"), PersonFactory(name="Occasional"), PersonFactory(name="A")
    for movie in [MovieFactory(), MovieFactory()]:
        CastCreditFactory(person=busy, movie=movie)
    CastCreditFactory(person=occasional)

    body = APIClient().get("/api/v1/people/").json()

    assert [(p["name"], p["films"]) for p in body["results"]] == [("Busy", 2), ("Occasional", 1), ("A", 0)]
    assert uncredited.films_count == 0


def staff_client() -> Client:
    client = Client()
    client.force_login(StaffUserFactory())
    return client


def test_a_curator_moving_a_credit_to_another_person_recounts_both() -> None:
    credit = CastCreditFactory(person=PersonFactory(name="Wrong"))
    right = PersonFactory(name="Right")
    url = reverse("admin:catalog_credit_change", args=[credit.pk])
    form = staff_client().get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}

    response = staff_client().post(url, {**data, "movie": credit.movie_id, "person": right.pk, "_save": "Save"})

    assert response.status_code == 302
    assert dict(Person.objects.values_list("name", "films_count")) == {"Wrong": 0, "Right": 1}


def test_deleting_a_film_in_the_admin_recounts_the_people_it_credited() -> None:
    film, other = MovieFactory(), MovieFactory()
    actor = PersonFactory()
    CastCreditFactory(person=actor, movie=film)
    CastCreditFactory(person=actor, movie=other)

    response = staff_client().post(reverse("admin:catalog_movie_delete", args=[film.pk]), {"post": "yes"})

    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.films_count == 1 == counted_from_credits()[actor.pk]
