"""catalog.services.streaming_titles_match: a streaming film joins the one catalog film with its title and year."""

from __future__ import annotations

import pytest

from catalog.services import streaming_titles_match
from tests.factories import MovieFactory, StreamingTitleFactory

pytestmark = pytest.mark.django_db


def test_a_title_and_year_shared_by_two_films_matches_neither() -> None:
    MovieFactory(title="Hamlet", release_year=1990)
    MovieFactory(title="Hamlet", release_year=1990)
    only = MovieFactory(title="Henry V", release_year=1989)
    ambiguous = StreamingTitleFactory(title="Hamlet", release_year=1990)
    clear = StreamingTitleFactory(title="Henry V", release_year=1989)

    assert streaming_titles_match() == 1

    ambiguous.refresh_from_db()
    clear.refresh_from_db()
    assert ambiguous.movie_id is None
    assert clear.movie_id == only.pk
