"""The users' admin at a site's size: a user with thousands of ratings can be deleted from a page that counts them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ratings.models import Rating
from tests.factories import DismissalFactory, RatingFactory, UserFactory, WatchlistEntryFactory

pytestmark = pytest.mark.django_db


def delete_page(staff_client: Client, rows: int) -> tuple[int, str]:
    user = UserFactory()
    for _ in range(rows):
        RatingFactory(user=user)
        WatchlistEntryFactory(user=user)
        DismissalFactory(user=user)
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(reverse("admin:auth_user_delete", args=[user.pk]))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_a_user_s_delete_page_costs_the_same_queries_however_many_ratings_they_have(staff_client: Client) -> None:
    few, _html = delete_page(staff_client, rows=1)
    many, html = delete_page(staff_client, rows=25)

    assert many == few
    assert "Ratings: 25" in html and "Watchlist entries: 25" in html


def test_deleting_a_user_from_the_summarised_page_still_removes_their_ratings(staff_client: Client) -> None:
    rating = RatingFactory()

    response = staff_client.post(reverse("admin:auth_user_delete", args=[rating.user.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Rating.objects.exists()
