"""The users' ratings, watchlists and dismissals in the admin at a site's size: newest first from an index, and
searched by (part of) a username or film title through indexes, not by reading every row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ratings.models import Rating
from tests.factories import (
    DismissalFactory,
    MovieFactory,
    RatingFactory,
    UserFactory,
    WatchlistEntryFactory,
)

pytestmark = pytest.mark.django_db


def test_the_ratings_list_order_is_an_index_of_the_table(staff_client: Client) -> None:
    RatingFactory()

    changelist = staff_client.get(reverse("admin:ratings_rating_changelist")).context["cl"]
    indexed = [list(index.fields) for index in Rating._meta.indexes]

    assert list(changelist.queryset.query.order_by) in indexed


@pytest.mark.parametrize(
    ("name", "factory"),
    [("rating", RatingFactory), ("watchlistentry", WatchlistEntryFactory), ("dismissal", DismissalFactory)],
)
def test_rows_are_searched_by_username_or_film_title_without_like_across_the_join(
    staff_client: Client, name: str, factory: type
) -> None:
    agnes, film = UserFactory(username="agnes"), MovieFactory(title="Cléo de 5 à 7")
    hers, the_film_s = factory(user=agnes), factory(movie=film)
    namesake = factory(user=UserFactory(username="agnes2"))
    factory(user=UserFactory(username="ag"))
    factory(user=UserFactory(username="jacques"))
    url = reverse(f"admin:ratings_{name}_changelist")

    with CaptureQueriesContext(connection) as queries:
        by_user = staff_client.get(url, {"q": "agnes"}).context["cl"].result_list
    by_title = staff_client.get(url, {"q": "CLEO DE 5 A 7"}).context["cl"].result_list
    by_part_of_title = staff_client.get(url, {"q": "cleo"}).context["cl"].result_list
    short = staff_client.get(url, {"q": "ag"}).context["cl"].result_list

    assert sorted(row.pk for row in by_user) == sorted([hers.pk, namesake.pk])
    assert [row.pk for row in by_title] == [the_film_s.pk]
    assert [row.pk for row in by_part_of_title] == [the_film_s.pk]
    assert [row.user.username for row in short] == ["ag"]
    table = f'"ratings_{name}"'
    assert not any(" LIKE " in query["sql"] and table in query["sql"].split("WHERE")[0] for query in queries)
