"""The analytics endpoints answer the company's questions; every expected value comes from pandas."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from rest_framework.test import APIClient

from catalog.analytics import (
    CANDIDATES_SHOWN,
    DIRECTOR_FILMS_DEFAULT,
    DIRECTOR_FILMS_MAX,
    MIN_VOTES_FOR_AVERAGE,
    TIED_TITLES_SHOWN,
)
from tests.api.analytics_catalog import AnalyticsCatalog, analytics_catalog_build
from tests.factories import (
    CastCreditFactory,
    CrewCreditFactory,
    MovieFactory,
    PersonFactory,
    PlatformFactory,
    StreamingTitleFactory,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/analytics"


@pytest.fixture
def catalog(db: None) -> AnalyticsCatalog:
    return analytics_catalog_build()


def get(client: APIClient, path: str, **params: Any) -> Any:
    return client.get(f"{BASE}/{path}/", params)


@pytest.mark.parametrize(("name", "number"), [("septiembre", 9), ("December", 12), ("diciembre", 12), ("OCTUBRE", 10)])
def test_it_counts_films_released_in_a_month(
    anon_client: APIClient, catalog: AnalyticsCatalog, name: str, number: int
) -> None:
    expected = int((catalog.films_df["release_date"].dt.month == number).sum())
    response = get(anon_client, "films-by-month", month=name)
    assert response.status_code == 200
    assert response.json() == {"month": number, "films": expected}


@pytest.mark.parametrize(
    ("name", "iso"), [("miércoles", 3), ("miercoles", 3), ("Wednesday", 3), ("viernes", 5), ("mié", 3), ("vie", 5)]
)
def test_it_counts_films_released_on_a_weekday(
    anon_client: APIClient, catalog: AnalyticsCatalog, name: str, iso: int
) -> None:
    expected = int((catalog.films_df["release_date"].dt.day_of_week + 1 == iso).sum())
    assert expected > 0
    response = get(anon_client, "films-by-weekday", day=name)
    assert response.status_code == 200
    assert response.json() == {"day": iso, "films": expected}


@pytest.mark.parametrize(("path", "param"), [("films-by-month", "month"), ("films-by-weekday", "day")])
def test_it_answers_400_with_a_message_for_an_unknown_month_or_day(
    anon_client: APIClient, catalog: AnalyticsCatalog, path: str, param: str
) -> None:
    response = get(anon_client, path, **{param: "brumaire"})
    assert response.status_code == 400
    assert "brumaire" in response.json()[param][0]
    assert get(anon_client, path).status_code == 400


@pytest.mark.parametrize(("path", "param"), [("films-by-month", "month"), ("films-by-weekday", "day")])
@pytest.mark.parametrize("digit", ["\u1369", "\u0663"])
def test_it_answers_400_for_a_month_or_day_in_unicode_digits(
    anon_client: APIClient, catalog: AnalyticsCatalog, path: str, param: str, digit: str
) -> None:
    response = get(anon_client, path, **{param: digit})
    assert response.status_code == 400
    assert param in response.json()


def test_it_gives_a_titles_year_and_popularity_ignoring_accents_and_case(
    anon_client: APIClient, catalog: AnalyticsCatalog
) -> None:
    row = catalog.films_df.set_index("key").loc["amelie"]
    response = get(anon_client, "title-popularity", title="AMELIE")
    assert response.status_code == 200
    body = response.json()
    assert body["release_year"] == row["release_date"].year
    assert body["popularity"] == pytest.approx(row["popularity"])


def test_it_lists_the_candidates_when_several_films_share_a_title(
    anon_client: APIClient, catalog: AnalyticsCatalog
) -> None:
    heats = catalog.films_df[catalog.films_df["title"] == "Heat"]
    response = get(anon_client, "title-popularity", title="heat")
    assert response.status_code == 300
    body = response.json()
    assert sorted(c["year"] for c in body["candidates"]) == sorted(heats["release_date"].dt.year.tolist())
    assert "year" in body["detail"]
    chosen = get(anon_client, "title-popularity", title="heat", year=1986)
    assert chosen.status_code == 200
    assert chosen.json()["popularity"] == pytest.approx(
        heats[heats["release_date"].dt.year == 1986]["popularity"].item()
    )


def test_it_answers_404_with_a_message_for_an_unknown_title(anon_client: APIClient, catalog: AnalyticsCatalog) -> None:
    response = get(anon_client, "title-votes", title="No Such Film")
    assert response.status_code == 404
    assert "No Such Film" in response.json()["detail"]


def test_it_gives_votes_only_for_titles_with_enough_of_them(anon_client: APIClient, catalog: AnalyticsCatalog) -> None:
    frame = catalog.films_df.drop_duplicates("title", keep=False)
    for _index, row in frame.iterrows():
        body = get(anon_client, "title-votes", title=row["title"]).json()
        if row["vote_count"] >= MIN_VOTES_FOR_AVERAGE:
            assert body["enough_votes"] is True
            assert body["vote_count"] == row["vote_count"]
            assert body["vote_average"] == pytest.approx(row["vote_average"])
        else:
            assert body["enough_votes"] is False
            assert body["vote_count"] is None
            assert body["vote_average"] is None
            if row["vote_count"] == 0:
                assert "no TMDB vote data" in body["message"]
            else:
                assert str(MIN_VOTES_FOR_AVERAGE) in body["message"]


def test_it_says_when_a_title_has_no_vote_data_at_all(anon_client: APIClient) -> None:
    MovieFactory(title="Star Wars", vote_count=0, vote_average=0)
    body = get(anon_client, "title-votes", title="star wars").json()
    assert (body["enough_votes"], body["vote_count"]) == (False, None)
    assert body["message"] == "There is no TMDB vote data for “Star Wars”."


def test_the_votes_message_of_a_film_without_a_year_does_not_say_none(anon_client: APIClient) -> None:
    MovieFactory(title="Undated Hit", release_date=None, release_year=None, vote_count=2500, vote_average=7.1)
    body = get(anon_client, "title-votes", title="undated hit").json()
    assert body["message"] == "“Undated Hit” has 2,500 votes with an average of 7.1."


def test_the_votes_message_writes_the_count_and_average_as_the_reader_writes_numbers(anon_client: APIClient) -> None:
    MovieFactory(title="Toy Story", release_year=1995, vote_count=5415, vote_average=7.7)
    response = anon_client.get(f"{BASE}/title-votes/", {"title": "toy story"}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.json()["message"] == "“Toy Story” (1995) tiene 5\xa0415 votos con una media de 7,7."


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("title-votes", "title"),
        ("title-popularity", "title"),
        ("similar", "title"),
        ("actor", "name"),
        ("director", "name"),
    ],
)
@pytest.mark.parametrize("blank", ["\u200b", " \ufeff "])
def test_it_answers_400_naming_a_title_or_name_of_invisible_characters_only(
    anon_client: APIClient, path: str, param: str, blank: str
) -> None:
    response = get(anon_client, path, **{param: blank})
    assert response.status_code == 400
    assert list(response.json()) == [param]


def _actor_expectation(catalog: AnalyticsCatalog, person: str) -> pd.Series:
    films = catalog.cast_df[catalog.cast_df["person"] == person].merge(catalog.films_df, on="key")
    return pd.Series(
        {
            "films_count": len(films),
            "total_return": films["return_ratio"].sum(),
            "average_return": films["return_ratio"].mean(),
            "films_with_known_budget": int((films["budget"] > 0).sum()),
            "average_return_known_budget": films.loc[films["budget"] > 0, "return_ratio"].mean(),
        }
    )


@pytest.mark.parametrize("person", ["Penélope Cruz", "Dominique Pinon", "Al Pacino"])
def test_it_gives_an_actors_films_and_return(anon_client: APIClient, catalog: AnalyticsCatalog, person: str) -> None:
    expected = _actor_expectation(catalog, person)
    response = get(anon_client, "actor", name=person.upper().replace("É", "E"))
    assert response.status_code == 200
    body = response.json()
    assert body["films_count"] == expected["films_count"]
    for figure in ["total_return", "average_return", "average_return_known_budget"]:
        assert body[figure] == pytest.approx(expected[figure])
    assert body["films_with_known_budget"] == expected["films_with_known_budget"]


def test_a_film_with_a_budget_but_no_revenue_has_no_known_return(anon_client: APIClient) -> None:
    # TMDB writes 0 for an unknown revenue, as for an unknown budget: Sabrina's return is unknown, not 0.
    films = pd.DataFrame(
        [("Sabrina", 58_000_000, 0), ("Heat", 60_000_000, 187_436_818), ("Tom and Huck", 0, 0)],
        columns=["title", "budget", "revenue"],
    )
    films["return_ratio"] = (films["revenue"] / films["budget"]).where(films["budget"] > 0, 0.0)
    actor = PersonFactory(name="Julia Ormond")
    for row in films.itertuples():
        movie = MovieFactory(title=row.title, budget=row.budget, revenue=row.revenue, return_ratio=row.return_ratio)
        CastCreditFactory(person=actor, movie=movie)
    known = films[(films["budget"] > 0) & (films["revenue"] > 0)]

    body = get(anon_client, "actor", name="julia ormond").json()

    assert body["films_with_known_return"] == len(known) == 1
    assert body["average_known_return"] == pytest.approx(known["return_ratio"].mean())
    assert body["films_with_known_budget"] == int((films["budget"] > 0).sum())


def test_an_actor_with_no_known_return_has_no_average_return_rather_than_zero(anon_client: APIClient) -> None:
    CastCreditFactory(person=PersonFactory(name="Valérie Lemercier"), movie=MovieFactory(budget=58_000_000, revenue=0))

    body = get(anon_client, "actor", name="valerie lemercier").json()

    assert (body["films_with_known_return"], body["average_known_return"]) == (0, None)


def test_it_lists_the_namesakes_when_two_actors_share_a_name(anon_client: APIClient, catalog: AnalyticsCatalog) -> None:
    response = get(anon_client, "actor", name="john smith")
    assert response.status_code == 300
    assert len(response.json()["candidates"]) == 2


def test_it_answers_404_for_a_person_who_never_acted(anon_client: APIClient, catalog: AnalyticsCatalog) -> None:
    assert get(anon_client, "actor", name="Michael Mann").status_code == 404
    assert get(anon_client, "director", name="Al Pacino").status_code == 404
    assert get(anon_client, "actor", name="Nobody At All").status_code == 404


@pytest.mark.parametrize("person", ["Jean-Pierre Jeunet", "Guillermo del Toro"])
def test_it_gives_a_directors_return_and_each_film(
    anon_client: APIClient, catalog: AnalyticsCatalog, person: str
) -> None:
    films = (
        catalog.directors_df[catalog.directors_df["person"] == person]
        .merge(catalog.films_df, on="key")
        .sort_values("release_date")
    )
    response = get(anon_client, "director", name=person.lower())
    assert response.status_code == 200
    body = response.json()
    assert body["total_return"] == pytest.approx(films["return_ratio"].sum())
    assert [f["title"] for f in body["films"]] == films["title"].tolist()
    assert [f["release_date"] for f in body["films"]] == films["release_date"].dt.strftime("%Y-%m-%d").tolist()
    assert [f["budget"] for f in body["films"]] == films["budget"].tolist()
    assert [f["revenue"] for f in body["films"]] == films["revenue"].tolist()
    assert [f["return_ratio"] for f in body["films"]] == pytest.approx(films["return_ratio"].tolist())


def test_a_directors_undated_film_comes_last_on_every_database(anon_client: APIClient) -> None:
    # SQLite sorts NULL first and PostgreSQL last: the order must not depend on the database.
    director = PersonFactory(name="Marc Caro")
    rows = [("Undated Short", None), ("Delicatessen", dt.date(1991, 4, 17)), ("Lost Children", dt.date(1995, 5, 17))]
    for title, released in rows:
        CrewCreditFactory(person=director, movie=MovieFactory(title=title, release_date=released))
    films = pd.DataFrame(rows, columns=["title", "release_date"]).astype({"release_date": "datetime64[ns]"})
    expected = films.sort_values("release_date", na_position="last")["title"].tolist()

    body = get(anon_client, "director", name="marc caro").json()

    assert [film["title"] for film in body["films"]] == expected


def test_namesake_films_without_a_year_are_listed_last_on_every_database(anon_client: APIClient) -> None:
    years = [None, 1995, 1986]
    for year in years:
        MovieFactory(title="Heat", release_year=year, release_date=dt.date(year, 1, 1) if year else None)

    body = get(anon_client, "title-votes", title="heat").json()

    assert [candidate["year"] for candidate in body["candidates"]] == [1986, 1995, None]


def test_more_namesakes_than_are_listed_are_all_counted_in_the_message(anon_client: APIClient) -> None:
    MovieFactory.create_batch(CANDIDATES_SHOWN + 1, title="Hamlet")
    for _ in range(CANDIDATES_SHOWN + 2):
        CastCreditFactory(person=PersonFactory(name="John Smith"))

    films = get(anon_client, "title-votes", title="hamlet").json()
    people = get(anon_client, "actor", name="john smith").json()

    assert len(films["candidates"]) == CANDIDATES_SHOWN
    assert films["detail"].startswith(f"{CANDIDATES_SHOWN + 1} films")
    assert len(people["candidates"]) == CANDIDATES_SHOWN
    assert people["detail"].startswith(f"{CANDIDATES_SHOWN + 2} people")


@pytest.mark.parametrize(
    ("platform", "year", "unit", "stored_unit"),
    [("netflix", 1995, "min", "min"), ("Netflix", 1995, "seasons", "season"), ("disney", 1995, "minutos", "min")],
)
def test_it_finds_the_longest_title_for_a_year_platform_and_unit(
    anon_client: APIClient, catalog: AnalyticsCatalog, platform: str, year: int, unit: str, stored_unit: str
) -> None:
    slug = {"netflix": "netflix", "disney": "disney_plus"}[platform.lower()]
    frame = catalog.streaming_df
    candidates = frame[(frame["platform"] == slug) & (frame["year"] == year) & (frame["unit"] == stored_unit)]
    expected = candidates.sort_values(["duration", "title"], ascending=[False, True]).iloc[0]
    response = get(anon_client, "streaming/longest", platform=platform, year=year, unit=unit)
    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["duration_value"], body["duration_unit"]) == (
        expected["title"],
        expected["duration"],
        stored_unit,
    )


def test_the_longest_title_answer_lists_the_titles_just_as_long(anon_client: APIClient) -> None:
    shows = pd.DataFrame(
        [("Ragnarok", 2), ("Castle and Castle", 2), ("Tiny", 1), ("The World's Most Amazing Vacation Rentals", 2)],
        columns=["title", "seasons"],
    )
    for row in shows.itertuples():
        StreamingTitleFactory(
            title=row.title, kind="tv", release_year=2021, duration_value=row.seasons, duration_unit="season"
        )
    longest = sorted(shows.loc[shows["seasons"] == shows["seasons"].max(), "title"])

    body = get(anon_client, "streaming/longest", platform="netflix", year=2021, unit="season").json()

    assert [body["title"], *body["tied_with"]] == longest
    assert body["tied_count"] == len(longest) - 1


def test_it_answers_404_when_no_title_fits_and_400_for_an_unknown_unit(
    anon_client: APIClient, catalog: AnalyticsCatalog
) -> None:
    assert get(anon_client, "streaming/longest", platform="netflix", year=1950, unit="min").status_code == 404
    response = get(anon_client, "streaming/longest", platform="netflix", year=1995, unit="hours")
    assert response.status_code == 400
    assert "unit" in response.json()


@pytest.mark.parametrize("platform", ["netflix", "hulu", "disney_plus"])
def test_it_counts_the_titles_on_a_platform(anon_client: APIClient, catalog: AnalyticsCatalog, platform: str) -> None:
    frame = catalog.streaming_df
    response = get(anon_client, "streaming/count", platform=platform)
    assert response.json() == {"platform": platform, "titles": int((frame["platform"] == platform).sum())}
    films_only = get(anon_client, "streaming/count", platform=platform, type="movie").json()
    assert films_only["titles"] == int(((frame["platform"] == platform) & (frame["type"] == "movie")).sum())
    # The dataset's own spelling of the type counts the same titles.
    assert get(anon_client, "streaming/count", platform=platform, type="Movie").json() == films_only


@pytest.mark.parametrize("name", ["Prime Video", "prime", "Amazon Prime Video", "amazon"])
def test_amazon_prime_video_answers_to_the_names_people_call_it(anon_client: APIClient, name: str) -> None:
    StreamingTitleFactory(platform=PlatformFactory(slug="amazon_prime", name="Amazon Prime Video"))
    StreamingTitleFactory(platform=PlatformFactory(slug="netflix", name="Netflix"))
    assert get(anon_client, "streaming/count", platform=name).json() == {"platform": "amazon_prime", "titles": 1}


def test_it_answers_404_naming_the_known_platforms_for_an_unknown_one(
    anon_client: APIClient, catalog: AnalyticsCatalog
) -> None:
    response = get(anon_client, "streaming/count", platform="betamax")
    assert response.status_code == 404
    assert "netflix" in response.json()["detail"]


@pytest.mark.parametrize(
    ("platform", "year", "score"), [("netflix", 1995, 3.0), ("netflix", 1995, 0), ("hulu", 1995, 4)]
)
def test_it_counts_films_on_a_platform_rated_above_a_score_in_a_year(
    anon_client: APIClient, catalog: AnalyticsCatalog, platform: str, year: int, score: float
) -> None:
    titles = catalog.streaming_df.merge(catalog.films_df, on="key", suffixes=("", "_film"))
    chosen = titles[
        (titles["platform"] == platform)
        & (titles["type"] == "movie")
        & (titles["year"] == year)
        & (titles["ratings_count"] > 0)
        & (titles["ratings_average"] > score)
    ]
    response = get(anon_client, "streaming/rated-above", platform=platform, year=year, score=score)
    assert response.status_code == 200
    assert response.json()["films"] == chosen["key"].nunique()


def test_a_score_with_a_decimal_comma_is_read_as_spanish_readers_write_it(
    anon_client: APIClient, catalog: AnalyticsCatalog
) -> None:
    with_point = get(anon_client, "streaming/rated-above", platform="netflix", year=1995, score="3.4")
    with_comma = get(anon_client, "streaming/rated-above", platform="netflix", year=1995, score="3,4")
    assert with_comma.status_code == 200
    assert with_comma.json() == with_point.json()
    assert get(anon_client, "streaming/rated-above", platform="netflix", year=1995, score="3,4,5").status_code == 400


def test_it_refuses_a_score_outside_the_rating_scale(anon_client: APIClient, catalog: AnalyticsCatalog) -> None:
    response = get(anon_client, "streaming/rated-above", platform="netflix", year=1995, score=11)
    assert response.status_code == 400
    assert "score" in response.json()


@pytest.mark.parametrize(("platform", "year"), [("netflix", 1995), ("disney_plus", 1995), ("netflix", 2001)])
def test_it_finds_the_most_frequent_actor_on_a_platform_in_a_year(
    anon_client: APIClient, catalog: AnalyticsCatalog, platform: str, year: int
) -> None:
    frame = catalog.streaming_df
    names = (
        frame[(frame["platform"] == platform) & (frame["year"] == year)]["cast"]
        .str.split(",")
        .explode()
        .str.strip()
        .loc[lambda s: s != ""]
    )
    counts = (
        names.value_counts().rename_axis("name").reset_index().sort_values(["count", "name"], ascending=[False, True])
    )
    response = get(anon_client, "streaming/top-actor", platform=platform, year=year)
    assert response.status_code == 200
    body = response.json()
    assert (body["actor"], body["appearances"]) == (counts.iloc[0]["name"], counts.iloc[0]["count"])


@pytest.mark.parametrize(
    ("casts", "message"),
    [
        (["Ana Gil"], "Ana Gil appears in 1 Netflix title from 2020."),
        (["Ana Gil", "Ana Gil, Bo Li"], "Ana Gil appears in 2 Netflix titles from 2020."),
    ],
)
def test_the_top_actor_message_agrees_in_number(anon_client: APIClient, casts: list[str], message: str) -> None:
    for cast in casts:
        StreamingTitleFactory(cast=cast, release_year=2020)
    assert get(anon_client, "streaming/top-actor", platform="netflix", year=2020).json()["message"] == message


def test_the_top_actor_answer_says_how_many_names_tie_with_it(anon_client: APIClient) -> None:
    casts = ["Cy Young, Ana Gil", "Bo Li, Dee Dee", "Ana Gil, Bo Li"]
    for cast in casts:
        StreamingTitleFactory(cast=cast, release_year=2020)
    counts = pd.Series([name.strip() for cast in casts for name in cast.split(",")]).value_counts()
    tied = sorted(counts[counts == counts.max()].index)

    body = get(anon_client, "streaming/top-actor", platform="netflix", year=2020).json()

    assert (body["actor"], body["appearances"], body["tied_with"]) == (tied[0], counts.max(), len(tied) - 1)
    assert body["message"] == "Ana Gil appears in 2 Netflix titles from 2020. 1 other name appears as often."
    spanish = anon_client.get(
        f"{BASE}/streaming/top-actor/", {"platform": "netflix", "year": 2020}, HTTP_ACCEPT_LANGUAGE="es"
    ).json()
    assert (
        spanish["message"]
        == "Ana Gil aparece en 2 títulos de Netflix de 2020. Otro nombre más aparece las mismas veces."
    )


def test_the_top_actor_counts_a_name_once_whatever_its_accents_or_case(anon_client: APIClient) -> None:
    # Netflix's cast lists write "Sergi López" and "Sergi Lopez", once both in the same title.
    casts = ["Sergi López, Sergi Lopez, Ivana Baquero", "Sergi López", "SERGI LOPEZ, Ariadna Gil", "Ariadna Gil"]
    for cast in casts:
        StreamingTitleFactory(cast=cast, release_year=2006)

    body = get(anon_client, "streaming/top-actor", platform="netflix", year=2006).json()

    assert (body["actor"], body["appearances"], body["tied_with"]) == ("Sergi López", 3, 0)


def test_the_top_actor_answer_tells_a_year_without_titles_from_titles_without_cast(
    anon_client: APIClient, catalog: AnalyticsCatalog
) -> None:
    body = get(anon_client, "streaming/top-actor", platform="hulu", year=1990).json()
    assert (body["actor"], body["titles"]) == (None, 0)
    assert body["message"] == "Hulu has no title from 1990."
    without_cast = get(anon_client, "streaming/top-actor", platform="hulu", year=1995).json()
    assert without_cast["titles"] == int(
        ((catalog.streaming_df["platform"] == "hulu") & (catalog.streaming_df["year"] == 1995)).sum()
    )
    assert without_cast["message"] == "No Hulu title from 1995 lists its cast."


def test_it_says_so_when_a_platform_lists_no_cast(anon_client: APIClient, catalog: AnalyticsCatalog) -> None:
    body = get(anon_client, "streaming/top-actor", platform="hulu", year=1995).json()
    assert body["actor"] is None
    assert "Hulu" in body["message"]


def test_it_answers_400_naming_each_missing_parameter(anon_client: APIClient, catalog: AnalyticsCatalog) -> None:
    response = get(anon_client, "streaming/rated-above", platform="netflix")
    assert response.status_code == 400
    assert set(response.json()) == {"year", "score"}


def test_a_directors_answer_lists_the_first_films_asked_for_and_counts_them_all(anon_client: APIClient) -> None:
    director = PersonFactory(name="Agnès Varda")
    films = pd.DataFrame(
        [
            ("Cléo de 5 à 7", dt.date(1962, 4, 11), 2.0),
            ("Le Bonheur", dt.date(1965, 2, 10), 3.0),
            ("Sans toit", None, 5.0),
        ],
        columns=["title", "release_date", "return_ratio"],
    )
    for row in films.itertuples():
        CrewCreditFactory(
            person=director,
            movie=MovieFactory(title=row.title, release_date=row.release_date, return_ratio=row.return_ratio),
        )

    body = get(anon_client, "director", name="agnes varda", limit=2).json()

    assert [film["title"] for film in body["films"]] == ["Cléo de 5 à 7", "Le Bonheur"]
    assert body["films_count"] == len(films)
    assert body["total_return"] == pytest.approx(films["return_ratio"].sum())


def test_a_directors_answer_lists_a_hundred_films_unless_asked_for_more(anon_client: APIClient) -> None:
    director = PersonFactory(name="Michael Curtiz")
    CrewCreditFactory.create_batch(DIRECTOR_FILMS_DEFAULT + 1, person=director)

    body = get(anon_client, "director", name="michael curtiz").json()
    more = get(anon_client, "director", name="michael curtiz", limit=DIRECTOR_FILMS_MAX).json()

    assert (len(body["films"]), body["films_count"]) == (DIRECTOR_FILMS_DEFAULT, DIRECTOR_FILMS_DEFAULT + 1)
    assert (len(more["films"]), more["films_count"]) == (DIRECTOR_FILMS_DEFAULT + 1, DIRECTOR_FILMS_DEFAULT + 1)
    assert more["total_return"] == pytest.approx(body["total_return"])


@pytest.mark.parametrize("limit", ["0", "-1", str(DIRECTOR_FILMS_MAX + 1), "ten", ""])
def test_a_directors_answer_refuses_a_bad_limit_naming_it(anon_client: APIClient, limit: str) -> None:
    CrewCreditFactory(person=PersonFactory(name="Jane Campion"))

    response = get(anon_client, "director", name="jane campion", limit=limit)

    assert response.status_code == 400
    assert list(response.json()) == ["limit"]


def test_the_longest_title_answer_names_fifty_titles_just_as_long_and_counts_them_all(
    anon_client: APIClient,
) -> None:
    for number in range(TIED_TITLES_SHOWN + 2):
        StreamingTitleFactory(title=f"Show {number:03d}", kind="tv", duration_value=1, duration_unit="season")

    body = get(anon_client, "streaming/longest", platform="netflix", year=2020, unit="season").json()

    assert body["title"] == "Show 000"
    assert body["tied_with"] == [f"Show {number:03d}" for number in range(1, TIED_TITLES_SHOWN + 1)]
    assert body["tied_count"] == TIED_TITLES_SHOWN + 1
