"""Similar films come from the real content index, built by the recommender's own service."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from recommender.services import content_index_rebuild
from tests.factories import GenreFactory, KeywordFactory, MovieFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed_films() -> dict[str, Any]:
    """Space films sharing genre and keywords with Alien to different degrees, and unrelated romances."""
    scifi, romance = GenreFactory(name="Science Fiction"), GenreFactory(name="Romance")
    space, robots, love, paris = (KeywordFactory(name=n) for n in ["space", "robots", "love", "paris"])
    films = {
        "alien": MovieFactory(title="Alien", genres=[scifi], keywords=[space, robots]),
        "aliens": MovieFactory(title="Aliens", genres=[scifi], keywords=[space, robots]),
        "moon": MovieFactory(title="Moon", genres=[scifi], keywords=[space]),
    }
    for title in ["Solaris", "Gravity", "Sunshine", "Silent Running"]:
        films[title] = MovieFactory(title=title, genres=[scifi])
    for number in range(3):
        MovieFactory(title=f"Romance {number}", genres=[romance], keywords=[love, paris])
    assert content_index_rebuild(force=True) is not None
    return films


def test_a_films_similar_films_share_its_content(anon_client: APIClient, indexed_films: dict[str, Any]) -> None:
    body = anon_client.get(f"/api/v1/films/{indexed_films['alien'].pk}/similar/", {"limit": 2}).json()
    assert [item["film"]["title"] for item in body] == ["Aliens", "Moon"]
    assert "Science Fiction" in body[0]["reason"]
    assert all(item["reason"] for item in body)


def test_the_analytics_question_gives_five_similar_films_by_title(
    anon_client: APIClient, indexed_films: dict[str, Any]
) -> None:
    response = anon_client.get("/api/v1/analytics/similar/", {"title": "ALIENS"})
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 5
    assert [item["film"]["title"] for item in body[:2]] == ["Alien", "Moon"]
    assert all(item["film"]["genres"] == ["Science Fiction"] for item in body)
    assert anon_client.get("/api/v1/analytics/similar/", {"title": "Nothing"}).status_code == 404
