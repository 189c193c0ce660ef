"""What the database connection must allow, whatever its options."""

from __future__ import annotations

import pytest

from catalog.models import Movie
from tests.factories import MovieFactory

pytestmark = [pytest.mark.django_db, pytest.mark.services]


def test_a_query_with_more_than_65535_parameters_runs() -> None:
    """The importers look up whole chunks of ids at once (45,000 films in one IN list).

    PostgreSQL's protocol carries at most 65,535 bound parameters, so with
    server-side binding (psycopg 3's default, Django's OPTIONS
    server_side_binding) such a query fails; the client-side binding Django
    uses by default sends them inline. This pins that choice.
    """
    film = MovieFactory()
    ids = [film.pk, *range(-70_000, 0)]
    assert Movie.objects.filter(pk__in=ids).count() == 1
