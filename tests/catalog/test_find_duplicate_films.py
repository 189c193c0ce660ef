"""`manage.py find_duplicate_films`: the possible duplicates for operators, merged by no one."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import Movie
from tests.factories import MovieFactory

pytestmark = pytest.mark.django_db


def test_the_command_prints_each_pair_with_its_reason_and_the_count_and_merges_nothing() -> None:
    first = MovieFactory(title="Heat", release_date=dt.date(1995, 12, 15), tmdb_id=949, imdb_id="tt0113277")
    second = MovieFactory(title="Heat", release_date=None, release_year=1995, tmdb_id=None, imdb_id="")
    out = StringIO()

    call_command("find_duplicate_films", stdout=out)

    assert out.getvalue().splitlines() == [
        f"{first.pk} Heat (1995) [TMDB 949, IMDb tt0113277]  ~  {second.pk} Heat (1995) [TMDB -, IMDb -]: "
        "same title, same year",
        "1 possible duplicate pair(s); curators decide them in the admin.",
    ]
    assert Movie.objects.count() == 2


def test_the_command_says_when_there_is_none() -> None:
    MovieFactory(title="Heat")
    out = StringIO()

    call_command("find_duplicate_films", stdout=out)

    assert out.getvalue() == "0 possible duplicate pair(s); curators decide them in the admin.\n"
