from __future__ import annotations

import datetime as dt

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


# The person answer's lists hold the first page of the credits endpoint (PERSON_CREDITS_SHOWN = its page size).
SHOWN = 20


def test_a_persons_answer_shows_the_first_credits_of_each_kind_and_links_to_the_rest(anon_client: APIClient) -> None:
    person = PersonFactory(name="Samuel L. Jackson")
    for day in range(SHOWN + 1):
        CastCreditFactory(person=person, movie=MovieFactory(release_date=dt.date(1990, 1, 1 + day)))
    CrewCreditFactory.create_batch(2, person=person)

    body = anon_client.get(f"/api/v1/people/{person.pk}/").json()

    assert (len(body["acting"]), body["acting_count"]) == (SHOWN, SHOWN + 1)
    assert body["acting_next"] == f"http://testserver/api/v1/people/{person.pk}/credits/?kind=cast&page=2"
    assert (len(body["crew"]), body["crew_count"], body["crew_next"]) == (2, 2, None)
    rest = anon_client.get(body["acting_next"]).json()
    assert rest["count"] == SHOWN + 1
    assert [film["release_year"] for film in rest["results"]] == [1990]
    assert {film["id"] for film in body["acting"]}.isdisjoint(film["id"] for film in rest["results"])
    # The figures still cover every film, not only those listed.
    assert body["as_actor"]["films_count"] == SHOWN + 1


def test_a_persons_credits_are_paged_oldest_film_first_and_undated_last(anon_client: APIClient) -> None:
    person = PersonFactory(name="Marion Cotillard")
    for title, released in [("Undated", None), ("Inception", dt.date(2010, 7, 8)), ("Taxi", dt.date(1998, 4, 8))]:
        CastCreditFactory(person=person, movie=MovieFactory(title=title, release_date=released), character=title)
    url = f"/api/v1/people/{person.pk}/credits/"

    first = anon_client.get(url, {"kind": "cast", "page_size": 2}).json()
    second = anon_client.get(first["next"]).json()

    assert [(film["title"], film["role"]) for film in first["results"]] == [
        ("Taxi", "Taxi"),
        ("Inception", "Inception"),
    ]
    assert [film["title"] for film in second["results"]] == ["Undated"]
    assert anon_client.get(url, {"kind": "crew"}).json()["count"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [({}, "kind"), ({"kind": "director"}, "kind"), ({"kind": "cast", "page": "0"}, "page"),
     ({"kind": "cast", "page_size": "101"}, "page_size")],
)  # fmt: skip
def test_a_persons_credits_refuse_a_bad_parameter_naming_it(
    anon_client: APIClient, params: dict[str, str], field: str
) -> None:
    person = CastCreditFactory().person

    response = anon_client.get(f"/api/v1/people/{person.pk}/credits/", params)

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_the_credits_of_an_unknown_person_are_a_404(anon_client: APIClient) -> None:
    assert anon_client.get("/api/v1/people/999999/credits/", {"kind": "cast"}).status_code == 404


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
