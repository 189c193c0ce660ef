from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import Profile
from tests.factories import GenreFactory, MovieFactory, PlatformFactory, RatingFactory, StreamingTitleFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/recommendations/"


def ranked_films() -> list[Any]:
    drama = GenreFactory(name="Drama")
    return [
        MovieFactory(title="Best", vote_count=5000, vote_average=8.5, genres=[drama]),
        MovieFactory(title="Good", vote_count=3000, vote_average=7.5, genres=[drama]),
        MovieFactory(title="Fine", vote_count=2000, vote_average=6.5, genres=[drama]),
    ]


def test_it_recommends_films_with_a_reason_and_never_one_already_rated(alice: Any, alice_client: APIClient) -> None:
    best, good, fine = ranked_films()
    RatingFactory(user=alice, movie=best, score=5.0)
    body = alice_client.get(URL, {"limit": 5}).json()
    ids = [item["film"]["id"] for item in body]
    assert best.pk not in ids
    assert set(ids) == {good.pk, fine.pk}
    assert all(item["reason"] for item in body)


def test_it_honours_the_limit(alice_client: APIClient) -> None:
    ranked_films()
    assert len(alice_client.get(URL, {"limit": 1}).json()) == 1
    assert alice_client.get(URL, {"limit": 0}).status_code == 400
    assert alice_client.get(URL, {"limit": 51}).status_code == 400


def test_it_keeps_to_the_platforms_in_my_profile(alice: Any, alice_client: APIClient) -> None:
    _best, good, _fine = ranked_films()
    netflix = PlatformFactory(slug="netflix")
    StreamingTitleFactory(platform=netflix, movie=good)
    profile, _created = Profile.objects.get_or_create(user=alice)
    assert alice_client.get(URL, {"platforms": "mine"}).json() == []
    profile.platforms.set([netflix])
    body = alice_client.get(URL, {"platforms": "mine"}).json()
    assert [item["film"]["id"] for item in body] == [good.pk]
    assert "Netflix" in body[0]["reason"]
    assert [item["film"]["id"] for item in alice_client.get(URL, {"platforms": "netflix"}).json()] == [good.pk]
    assert alice_client.get(URL, {"platforms": "net flix"}).status_code == 400


def test_platform_slugs_are_read_in_any_case_and_an_unknown_one_is_named(alice_client: APIClient) -> None:
    _best, good, _fine = ranked_films()
    StreamingTitleFactory(platform=PlatformFactory(slug="netflix"), movie=good)
    assert [item["film"]["id"] for item in alice_client.get(URL, {"platforms": "Netflix"}).json()] == [good.pk]
    response = alice_client.get(URL, {"platforms": "netflix,hbo"})
    assert response.status_code == 400
    message = response.json()["platforms"][0]
    assert message.startswith("Unknown platform: hbo. Known platforms: ")
    assert "netflix" in message


def test_it_needs_a_logged_in_user(anon_client: APIClient) -> None:
    assert anon_client.get(URL).status_code == 401


def test_it_makes_a_fixed_number_of_queries_whatever_the_list_length(
    alice: Any, alice_client: APIClient, settings: Any, django_assert_max_num_queries: Any
) -> None:
    drama = GenreFactory(name="Drama")
    films = [MovieFactory(vote_count=1000 + n, vote_average=7.0, genres=[drama]) for n in range(15)]
    RatingFactory(user=alice, movie=films[0], score=4.0)
    settings.RECOMMENDER_CATALOG_TTL = 300
    settings.RECOMMENDER_REGISTRY_CHECK_SECONDS = 300
    alice_client.get(URL, {"limit": 1})  # loads the snapshot and the registry once
    # The token and its owner's other tokens (knox), the history, the hidden
    # check, the films and their genres.
    with django_assert_max_num_queries(6):
        assert len(alice_client.get(URL, {"limit": 2}).json()) == 2
    with django_assert_max_num_queries(6):
        first = alice_client.get(URL, {"limit": 10}).json()
    # The films' summaries are kept: asked again, no film is loaded.
    with django_assert_max_num_queries(4):
        assert alice_client.get(URL, {"limit": 10}).json() == first


def test_a_film_summary_refreshes_with_the_catalog_snapshot(alice_client: APIClient, settings: Any) -> None:
    from recommender.catalog_data import catalog_snapshot_clear

    best, _good, _fine = ranked_films()
    settings.RECOMMENDER_CATALOG_TTL = 300
    assert alice_client.get(URL, {"limit": 1}).json()[0]["film"]["title"] == "Best"
    best.title = "Best, restored"
    best.save()
    catalog_snapshot_clear()  # what RECOMMENDER_CATALOG_TTL seconds do
    assert alice_client.get(URL, {"limit": 1}).json()[0]["film"]["title"] == "Best, restored"
