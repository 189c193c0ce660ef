from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import (
    CastCreditFactory,
    CrewCreditFactory,
    GenreFactory,
    MovieFactory,
    PersonFactory,
    PlatformFactory,
    StreamingTitleFactory,
)

pytestmark = pytest.mark.django_db


def test_it_searches_people_by_name_ignoring_accents(anon_client: APIClient) -> None:
    cruz = PersonFactory(name="Penélope Cruz")
    PersonFactory(name="Tom Cruise")
    CastCreditFactory(person=cruz)
    body = anon_client.get("/api/v1/people/", {"q": "penelope"}).json()
    assert [(p["name"], p["films"]) for p in body["results"]] == [("Penélope Cruz", 1)]


def test_it_shows_a_persons_films_and_return_figures(anon_client: APIClient) -> None:
    person = PersonFactory(name="Kenneth Branagh")
    hit = MovieFactory(title="Thor", budget=100, revenue=400, return_ratio=4.0)
    unknown = MovieFactory(title="Hamlet", budget=0, revenue=0, return_ratio=0.0)
    CastCreditFactory(person=person, movie=unknown, character="Hamlet")
    CastCreditFactory(person=person, movie=hit, character="Cameo")
    CrewCreditFactory(person=person, movie=hit)
    body = anon_client.get(f"/api/v1/people/{person.pk}/").json()
    assert {f["title"] for f in body["acting"]} == {"Thor", "Hamlet"}
    assert [(f["title"], f["role"]) for f in body["crew"]] == [("Thor", "Director")]
    assert body["as_actor"]["films_count"] == 2
    assert body["as_actor"]["total_return"] == pytest.approx(4.0)
    assert body["as_actor"]["average_return"] == pytest.approx(2.0)
    assert body["as_actor"]["average_return_known_budget"] == pytest.approx(4.0)
    assert body["as_director"] == {"films_count": 1, "total_return": 4.0}
    assert anon_client.get("/api/v1/people/999999/").status_code == 404


def test_it_lists_genres_with_their_film_counts(anon_client: APIClient) -> None:
    drama = GenreFactory(name="Drama")
    GenreFactory(name="Western")
    MovieFactory(genres=[drama])
    MovieFactory(genres=[drama])
    assert {g["name"]: g["films"] for g in anon_client.get("/api/v1/genres/").json()} == {"Drama": 2, "Western": 0}


def test_it_lists_platforms_with_their_catalog_sizes(anon_client: APIClient) -> None:
    StreamingTitleFactory(platform=PlatformFactory(slug="hulu"))
    sizes = {p["slug"]: p["titles"] for p in anon_client.get("/api/v1/platforms/").json()}
    assert sizes["hulu"] == 1


def test_it_filters_streaming_titles_by_platform_type_and_year(anon_client: APIClient) -> None:
    netflix, hulu = PlatformFactory(slug="netflix"), PlatformFactory(slug="hulu")
    StreamingTitleFactory(platform=netflix, title="Film 2020", release_year=2020)
    StreamingTitleFactory(platform=netflix, title="Show 2020", kind="tv", release_year=2020)
    StreamingTitleFactory(platform=netflix, title="Film 2019", release_year=2019)
    StreamingTitleFactory(platform=hulu, title="Hulu film 2020", release_year=2020)
    body = anon_client.get("/api/v1/streaming-titles/", {"platform": "netflix", "type": "movie", "year": 2020}).json()
    assert [t["title"] for t in body["results"]] == ["Film 2020"]
    assert anon_client.get("/api/v1/streaming-titles/", {"type": "film"}).status_code == 400


@pytest.mark.parametrize(
    ("spelling", "expected"), [("Movie", "Film"), ("TV Show", "Show"), ("tv show", "Show"), ("MOVIE", "Film")]
)
def test_it_reads_the_datasets_own_type_spellings_in_any_case(
    anon_client: APIClient, spelling: str, expected: str
) -> None:
    StreamingTitleFactory(title="Film")
    StreamingTitleFactory(title="Show", kind="tv")
    body = anon_client.get("/api/v1/streaming-titles/", {"type": spelling}).json()
    assert [t["title"] for t in body["results"]] == [expected]


def test_an_unknown_type_is_a_400_listing_the_valid_ones(anon_client: APIClient) -> None:
    response = anon_client.get("/api/v1/streaming-titles/", {"type": "film"})
    assert response.status_code == 400
    assert response.json()["type"] == ["“film” is not a title type. Valid types: movie, tv (or Movie, TV Show)."]


@pytest.mark.parametrize("params", [{"page": "\u00b2"}, {"page_size": "\u00b2"}, {"page_size": "\u1369"}])
def test_it_answers_400_for_a_page_written_in_unicode_digits(anon_client: APIClient, params: dict[str, str]) -> None:
    response = anon_client.get("/api/v1/people/", params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_it_explains_a_bad_page_in_spanish(anon_client: APIClient) -> None:
    body = anon_client.get("/api/v1/people/", {"page_size": 0}, HTTP_ACCEPT_LANGUAGE="es").json()
    assert body == {"page_size": ["Un número entero del 1 al 100."]}
    body = anon_client.get("/api/v1/people/", {"page": "x"}, HTTP_ACCEPT_LANGUAGE="es").json()
    assert body == {"page": ["Un número de página a partir de 1."]}


def test_streaming_titles_read_the_platform_in_any_case_and_refuse_an_unknown_one(anon_client: APIClient) -> None:
    StreamingTitleFactory(platform=PlatformFactory(slug="netflix"), title="Roma")
    assert anon_client.get("/api/v1/streaming-titles/", {"platform": "Netflix"}).json()["count"] == 1
    response = anon_client.get("/api/v1/streaming-titles/", {"platform": "hbo"})
    assert response.status_code == 400
    assert "hbo" in response.json()["platform"][0]
    assert "netflix" in response.json()["platform"][0]
