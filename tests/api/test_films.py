from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from catalog.models import Credit
from catalog.serializers import CAST_SHOWN, DIRECTORS_SHOWN
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


def titles(response: object) -> list[str]:
    return [film["title"] for film in response.json()["results"]]  # type: ignore[attr-defined]


def test_it_finds_films_by_title_ignoring_accents_and_case(anon_client: APIClient) -> None:
    MovieFactory(title="Amélie")
    MovieFactory(title="Heat")
    assert titles(anon_client.get("/api/v1/films/", {"q": "AMELIE"})) == ["Amélie"]


def test_a_title_search_lists_the_film_it_names_first_unless_asked_for_popularity(anon_client: APIClient) -> None:
    MovieFactory(title="Heathers", popularity=90)
    MovieFactory(title="The Heat", popularity=50)
    MovieFactory(title="Heat", popularity=10)

    assert titles(anon_client.get("/api/v1/films/", {"q": "heat"})) == ["The Heat", "Heat", "Heathers"]
    assert titles(anon_client.get("/api/v1/films/", {"q": "heat", "ordering": "relevance"})) == [
        "The Heat",
        "Heat",
        "Heathers",
    ]
    assert titles(anon_client.get("/api/v1/films/", {"q": "heat", "ordering": "popularity"})) == [
        "Heathers",
        "The Heat",
        "Heat",
    ]


def test_it_finds_a_hyphenated_title_with_or_without_the_hyphen(anon_client: APIClient) -> None:
    MovieFactory(title="Spider-Man: Far From Home")
    MovieFactory(title="Heat")
    for query in ("spider-man", "spider man", "Spider-Man Far"):
        assert titles(anon_client.get("/api/v1/films/", {"q": query})) == ["Spider-Man: Far From Home"], query


@pytest.mark.parametrize("query", ["%", "'", "¿", "..."])
def test_a_search_of_punctuation_alone_finds_no_film_instead_of_failing(anon_client: APIClient, query: str) -> None:
    MovieFactory(title="Heat")
    response = anon_client.get("/api/v1/films/", {"q": query})
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_a_title_search_lists_the_film_it_names_first(anon_client: APIClient) -> None:
    MovieFactory(title="Heathers", popularity=90)
    MovieFactory(title="The Heat", popularity=50)
    MovieFactory(title="Heat", popularity=10)
    assert titles(anon_client.get("/api/v1/films/", {"q": "heat"})) == ["The Heat", "Heat", "Heathers"]
    assert titles(anon_client.get("/api/v1/films/", {"q": "heat", "ordering": "title"}))[0] == "Heat"


def test_it_filters_films_by_genre_year_range_language_and_platform(anon_client: APIClient) -> None:
    drama = GenreFactory(name="Drama")
    netflix = PlatformFactory(slug="netflix")
    old = MovieFactory(title="Old drama", release_date=dt.date(1960, 1, 1), genres=[drama])
    nineties = MovieFactory(title="Nineties drama", release_date=dt.date(1995, 1, 1), genres=[drama])
    MovieFactory(title="Nineties comedy", release_date=dt.date(1995, 1, 1))
    french = MovieFactory(
        title="French drama", release_date=dt.date(1996, 1, 1), genres=[drama], original_language="fr"
    )
    StreamingTitleFactory(platform=netflix, movie=nineties)

    assert set(titles(anon_client.get("/api/v1/films/", {"genre": "drama"}))) == {
        old.title,
        nineties.title,
        french.title,
    }
    in_range = anon_client.get("/api/v1/films/", {"genre": "Drama", "year_from": 1990, "year_to": 1999})
    assert set(titles(in_range)) == {nineties.title, french.title}
    assert titles(anon_client.get("/api/v1/films/", {"language": "fr"})) == [french.title]
    assert titles(anon_client.get("/api/v1/films/", {"platform": "netflix"})) == [nineties.title]
    assert titles(anon_client.get("/api/v1/films/", {"year": 1960})) == [old.title]


def test_it_orders_and_paginates_films(anon_client: APIClient) -> None:
    for number in range(25):
        MovieFactory(title=f"Film {number:02d}", popularity=number)
    first = anon_client.get("/api/v1/films/", {"ordering": "title"}).json()
    assert first["count"] == 25
    assert [film["title"] for film in first["results"]][:2] == ["Film 00", "Film 01"]
    assert len(first["results"]) == 20
    second = anon_client.get("/api/v1/films/", {"ordering": "title", "page": 2}).json()
    assert [film["title"] for film in second["results"]] == [f"Film {n}" for n in range(20, 25)]
    by_popularity = anon_client.get("/api/v1/films/", {"page_size": 3}).json()
    assert [film["title"] for film in by_popularity["results"]] == ["Film 24", "Film 23", "Film 22"]


@pytest.mark.parametrize(
    "params",
    [
        {"year": "nineteen"},
        {"year": 99999},
        {"ordering": "random"},
        {"year_from": 2000, "year_to": 1990},
        {"platform": "net flix!"},
        {"page_size": 0},
        {"page_size": 101},
        {"page": ""},
        {"page": "first"},
        {"page": 0},
        # Unicode digits: isdigit() is true of them, int() refuses them.
        {"page": "\u00b2"},
        {"page_size": "\u00b2"},
        {"page": "\u0663"},
    ],
)
def test_it_answers_400_for_a_bad_filter(anon_client: APIClient, params: dict[str, object]) -> None:
    response = anon_client.get("/api/v1/films/", params)
    assert response.status_code == 400
    assert set(response.json()) & {*params, "detail"}


def test_it_shows_a_film_with_its_cast_directors_and_platforms(anon_client: APIClient) -> None:
    film = MovieFactory(title="Heat", genres=[GenreFactory(name="Crime")])
    CastCreditFactory(movie=film, person=PersonFactory(name="Al Pacino"), order=0, character="Vincent Hanna")
    CrewCreditFactory(movie=film, person=PersonFactory(name="Michael Mann"))
    StreamingTitleFactory(platform=PlatformFactory(slug="netflix"), movie=film)
    body = anon_client.get(f"/api/v1/films/{film.pk}/").json()
    assert body["genres"] == ["Crime"]
    assert [(c["name"], c["character"]) for c in body["cast"]] == [("Al Pacino", "Vincent Hanna")]
    assert [d["name"] for d in body["directors"]] == ["Michael Mann"]
    assert body["platforms"] == [{"slug": "netflix", "name": "Netflix"}]


def test_a_films_answer_loads_only_the_credits_it_shows(
    anon_client: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    film = MovieFactory(title="Heat")
    CastCreditFactory.create_batch(CAST_SHOWN + 2, movie=film)
    CrewCreditFactory(movie=film, person=PersonFactory(name="Michael Mann"))
    CrewCreditFactory.create_batch(3, movie=film, department="Camera", job="Director of Photography")
    loaded: list[int] = []
    from_db = Credit.from_db.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Credit], *args: Any) -> Credit:
        credit: Credit = from_db(cls, *args)
        loaded.append(credit.pk)
        return credit

    monkeypatch.setattr(Credit, "from_db", classmethod(counted))

    body = anon_client.get(f"/api/v1/films/{film.pk}/").json()

    assert [cast["order"] for cast in body["cast"]] == sorted(cast["order"] for cast in body["cast"])
    assert (len(body["cast"]), [director["name"] for director in body["directors"]]) == (CAST_SHOWN, ["Michael Mann"])
    assert len(loaded) == CAST_SHOWN + 1


def test_a_films_answer_lists_the_first_directors_counts_them_all_and_links_to_the_rest(
    anon_client: APIClient,
) -> None:
    film = MovieFactory(title="Paris, je t'aime")
    directors = [
        CrewCreditFactory(movie=film, person=PersonFactory(name=f"Director {number:02}"), order=number)
        for number in range(DIRECTORS_SHOWN + 2)
    ]
    CrewCreditFactory(movie=film, department="Camera", job="Director of Photography")

    body = anon_client.get(f"/api/v1/films/{film.pk}/").json()
    rest = anon_client.get(body["directors_next"]).json()

    assert [director["name"] for director in body["directors"]] == [
        credit.person.name for credit in directors[:DIRECTORS_SHOWN]
    ]
    assert body["directors_count"] == DIRECTORS_SHOWN + 2
    assert body["directors_next"] == f"http://testserver/api/v1/films/{film.pk}/directors/?page=2"
    assert rest["count"] == DIRECTORS_SHOWN + 2
    assert [director["name"] for director in rest["results"]] == [credit.person.name for credit in directors[-2:]]


def test_a_films_whole_list_of_directors_links_to_nothing_more(anon_client: APIClient) -> None:
    film = MovieFactory(title="Heat")
    CrewCreditFactory(movie=film, person=PersonFactory(name="Michael Mann"))
    undirected = MovieFactory(title="Home movie")

    body = anon_client.get(f"/api/v1/films/{film.pk}/").json()
    nobody = anon_client.get(f"/api/v1/films/{undirected.pk}/").json()

    assert (body["directors_count"], body["directors_next"]) == (1, None)
    assert (nobody["directors"], nobody["directors_count"], nobody["directors_next"]) == ([], 0, None)


def test_it_answers_404_for_an_unknown_film(anon_client: APIClient) -> None:
    assert anon_client.get("/api/v1/films/999999/").status_code == 404
    assert anon_client.get("/api/v1/films/999999/similar/").status_code == 404
    assert anon_client.get("/api/v1/films/999999/directors/").status_code == 404


def test_it_refuses_writes_to_the_catalog(alice_client: APIClient) -> None:
    film = MovieFactory()
    assert alice_client.post("/api/v1/films/", {"title": "x"}, format="json").status_code == 405
    assert alice_client.delete(f"/api/v1/films/{film.pk}/").status_code == 405


def test_a_film_s_summary_is_drawn_once_per_edit(
    anon_client: APIClient, django_assert_max_num_queries: Any, settings: Any
) -> None:
    from django.core.cache import caches

    from catalog.serializers import FilmSummarySerializer

    settings.RECOMMENDER_CATALOG_TTL = 300  # the API tests' default is 0: nothing kept
    caches["template_fragments"].clear()
    drama = GenreFactory(name="Drama")
    films = [MovieFactory(title=f"Kept {number}", genres=[drama], popularity=number) for number in range(3)]
    first = anon_client.get("/api/v1/films/", {"q": "kept"}).json()["results"]
    assert first == [FilmSummarySerializer(film).data for film in reversed(films)]

    # Kept: the count, the films the search names and the page, no genres.
    with django_assert_max_num_queries(3):
        again = anon_client.get("/api/v1/films/", {"q": "kept"}).json()["results"]
    assert again == first

    films[0].title = "Kept and edited"
    films[0].save()
    drama.name = "Renamed"
    drama.save()
    edited = anon_client.get("/api/v1/films/", {"q": "kept"}).json()["results"]
    assert edited[-1]["title"] == "Kept and edited" and edited[-1]["genres"] == ["Renamed"]
    assert edited[0]["genres"] == ["Drama"], "a film not edited keeps its summary until the TTL"


@pytest.mark.parametrize(
    ("ordering", "expected"), [("year", ["New", "Old", "Undated"]), ("-year", ["Old", "New", "Undated"])]
)
def test_films_without_a_year_come_last_in_either_year_order(
    anon_client: APIClient, ordering: str, expected: list[str]
) -> None:
    MovieFactory(title="Undated", release_date=None)
    MovieFactory(title="Old", release_date=dt.date(1950, 1, 1))
    MovieFactory(title="New", release_date=dt.date(2020, 1, 1))
    assert titles(anon_client.get("/api/v1/films/", {"ordering": ordering})) == expected


def test_the_schema_says_which_year_order_is_newest_first_and_what_rating_is(anon_client: APIClient) -> None:
    schema = anon_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    ordering = next(p for p in schema["paths"]["/api/v1/films/"]["get"]["parameters"] if p["name"] == "ordering")
    assert "`year`: newest first" in ordering["description"]
    assert "raw vote average" in ordering["description"]


def test_platform_slugs_are_read_in_any_case_and_an_unknown_one_is_named(anon_client: APIClient) -> None:
    on_netflix = MovieFactory(title="On Netflix")
    StreamingTitleFactory(platform=PlatformFactory(slug="netflix"), movie=on_netflix)
    assert titles(anon_client.get("/api/v1/films/", {"platform": "NetFlix"})) == ["On Netflix"]
    response = anon_client.get("/api/v1/films/", {"platform": "hbo"})
    assert response.status_code == 400
    message = response.json()["platform"][0]
    assert message.startswith("Unknown platform: hbo. Known platforms: ")
    assert "netflix" in message
