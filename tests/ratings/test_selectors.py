"""Reads of one user's rows: what the film page's buttons show, the watchlist's order."""

from __future__ import annotations

import pytest

from ratings.selectors import MovieUserState, movie_user_state, user_watchlist
from tests.factories import DismissalFactory, MovieFactory, RatingFactory, UserFactory, WatchlistEntryFactory

pytestmark = pytest.mark.django_db


def test_a_film_s_buttons_show_only_what_this_user_did() -> None:
    user, other, film = UserFactory(), UserFactory(), MovieFactory()
    RatingFactory(user=other, movie=film, score=1.0)
    WatchlistEntryFactory(user=other, movie=film)
    DismissalFactory(user=other, movie=film)

    assert movie_user_state(user=user, movie=film) == MovieUserState()

    DismissalFactory(user=user, movie=film)
    assert movie_user_state(user=user, movie=film) == MovieUserState(dismissed=True)


def test_the_watchlist_lists_the_latest_addition_first() -> None:
    user = UserFactory()
    entries = [WatchlistEntryFactory(user=user) for _ in range(3)]
    WatchlistEntryFactory()

    assert [entry.pk for entry in user_watchlist(user=user)] == [entry.pk for entry in reversed(entries)]
