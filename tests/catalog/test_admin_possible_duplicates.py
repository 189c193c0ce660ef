"""The curators' "Possible duplicates" page: each pair merged, or marked as two films, from the admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from catalog.models import DistinctFilmPair, Movie, MovieAlias
from tests.factories import MovieFactory, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("admin:catalog_movie_duplicates")
DECIDE = reverse("admin:catalog_movie_duplicate_decide")


def duplicate_pair() -> tuple[Movie, Movie]:
    """Heat from TMDB, and Heat written from a MovieLens list alone (no TMDB or IMDb id) with more ratings."""
    from_tmdb = MovieFactory(title="Heat", tmdb_id=949, imdb_id="tt0113277", ratings_count=3)
    from_movielens = MovieFactory(title="Heat", tmdb_id=None, imdb_id="", ratings_count=40)
    return from_tmdb, from_movielens


def curator_client(client: Client, *codenames: str) -> Client:
    curator = UserFactory(is_staff=True)
    curator.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(curator)
    return client


def decide(client: Client, first: Movie, second: Movie, decision: str, **extra: Any) -> Any:
    data = {"first": first.pk, "second": second.pk, "decision": decision, **extra}
    return client.post(DECIDE, data, follow=True)


def test_the_films_list_links_to_the_page(staff_client: Client) -> None:
    response = staff_client.get(reverse("admin:catalog_movie_changelist"))

    assert f'href="{PAGE}"' in response.content.decode()


def test_the_page_shows_each_pair_with_its_films_ids_ratings_and_reason(staff_client: Client) -> None:
    from_tmdb, from_movielens = duplicate_pair()

    response = staff_client.get(PAGE)

    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("admin:catalog_movie_change", args=[from_tmdb.pk]) in page
    assert reverse("admin:catalog_movie_change", args=[from_movielens.pk]) in page
    assert "tt0113277" in page and "949" in page and "40 ratings" in page
    assert "Same title, same year" in page
    assert 'value="merge"' in page and 'value="different"' in page


def test_the_page_is_paginated(staff_client: Client) -> None:
    for year in range(1950, 2001):
        MovieFactory(title=f"Film of {year}", tmdb_id=None, imdb_id="", release_year=year, release_date=None)
        MovieFactory(title=f"Film of {year}", tmdb_id=None, imdb_id="", release_year=year, release_date=None)

    first, second = staff_client.get(PAGE), staff_client.get(PAGE, {"page": 2})

    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 1
    assert "51 pairs of films" in first.content.decode()


def test_a_merge_from_the_page_keeps_the_tmdb_film_leaves_an_alias_and_is_logged(staff_client: Client) -> None:
    from_tmdb, from_movielens = duplicate_pair()

    response = decide(staff_client, from_movielens, from_tmdb, "merge", page=1)

    assert response.redirect_chain == [(f"{PAGE}?page=1", 302)]
    assert list(Movie.objects.values_list("pk", flat=True)) == [from_tmdb.pk]
    assert MovieAlias.objects.get(merged_movie_id=from_movielens.pk).movie_id == from_tmdb.pk
    message = next(str(m) for m in response.context["messages"])
    assert f"(id {from_movielens.pk}) merged into" in message and f"(id {from_tmdb.pk}), which was kept" in message
    assert LogEntry.objects.get(action_flag=DELETION).object_id == str(from_movielens.pk)
    assert LogEntry.objects.get(action_flag=CHANGE).object_id == str(from_tmdb.pk)
    assert response.context["rows"] == []


def test_not_the_same_film_takes_the_pair_off_the_page(staff_client: Client) -> None:
    from_tmdb, from_movielens = duplicate_pair()

    response = decide(staff_client, from_movielens, from_tmdb, "different")

    pair = DistinctFilmPair.objects.get()
    assert (pair.first_movie_id, pair.second_movie_id) == (from_tmdb.pk, from_movielens.pk)
    assert pair.dismissed_by == response.wsgi_request.user
    assert LogEntry.objects.get(action_flag=ADDITION).object_id == str(pair.pk)
    assert Movie.objects.count() == 2
    assert response.context["rows"] == []
    assert "are marked as different films" in next(str(m) for m in response.context["messages"])


def test_a_curator_without_the_delete_permission_sees_the_page_but_cannot_merge(client: Client) -> None:
    curator = curator_client(client, "view_movie", "change_movie")
    from_tmdb, from_movielens = duplicate_pair()

    page = curator.get(PAGE)
    merge = curator.post(DECIDE, {"first": from_tmdb.pk, "second": from_movielens.pk, "decision": "merge"})

    assert page.status_code == 200 and 'value="merge"' not in page.content.decode()
    assert merge.status_code == 403
    assert Movie.objects.count() == 2


def test_a_curator_with_change_and_delete_permissions_merges(client: Client) -> None:
    curator = curator_client(client, "view_movie", "change_movie", "delete_movie")
    from_tmdb, from_movielens = duplicate_pair()

    decide(curator, from_tmdb, from_movielens, "merge")

    assert list(Movie.objects.values_list("pk", flat=True)) == [from_tmdb.pk]


def test_staff_who_may_only_view_films_get_neither_the_page_nor_a_decision(client: Client) -> None:
    viewer = curator_client(client, "view_movie")
    from_tmdb, from_movielens = duplicate_pair()

    page = viewer.get(PAGE)
    dismiss = viewer.post(DECIDE, {"first": from_tmdb.pk, "second": from_movielens.pk, "decision": "different"})

    assert (page.status_code, dismiss.status_code) == (403, 403)
    assert f'href="{PAGE}"' not in viewer.get(reverse("admin:catalog_movie_changelist")).content.decode()
    assert not DistinctFilmPair.objects.exists()


def test_decisions_are_posts_only(staff_client: Client) -> None:
    from_tmdb, from_movielens = duplicate_pair()

    response = staff_client.get(DECIDE, {"first": from_tmdb.pk, "second": from_movielens.pk, "decision": "merge"})

    assert response.status_code == 405
    assert Movie.objects.count() == 2


def test_a_decision_without_the_csrf_token_is_refused() -> None:
    client = Client(enforce_csrf_checks=True)

    client.force_login(StaffUserFactory())
    from_tmdb, from_movielens = duplicate_pair()

    response = client.post(DECIDE, {"first": from_tmdb.pk, "second": from_movielens.pk, "decision": "merge"})

    assert response.status_code == 403
    assert Movie.objects.count() == 2


def test_a_pair_whose_film_is_gone_is_answered_with_a_message_not_an_error(staff_client: Client) -> None:
    from_tmdb, from_movielens = duplicate_pair()
    gone = from_movielens.pk
    from_movielens.delete()

    response = staff_client.post(DECIDE, {"first": from_tmdb.pk, "second": gone, "decision": "merge"}, follow=True)

    assert response.status_code == 200
    assert "no longer there to decide on" in next(str(m) for m in response.context["messages"])


def test_the_dismissed_pairs_are_listed_in_the_admin(staff_client: Client) -> None:
    from_tmdb, from_movielens = duplicate_pair()
    decide(staff_client, from_tmdb, from_movielens, "different")

    response = staff_client.get(reverse("admin:catalog_distinctfilmpair_changelist"))

    assert response.status_code == 200
    assert "Heat" in response.content.decode()


def test_the_page_speaks_spanish(staff_client: Client) -> None:
    duplicate_pair()

    page = staff_client.get(PAGE, headers={"accept-language": "es"}).content.decode()

    assert "Posibles duplicados" in page and "Mismo título, mismo año" in page and "No es la misma película" in page
    assert "1 par de películas puede ser una sola película." in page and "40 valoraciones" in page
