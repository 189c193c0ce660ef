"""A small catalog for the analytics tests, described as plain rows.

The rows are created in the database with the factories, and the same rows
become pandas frames, so each test computes its expected answer with pandas
from the data rather than hard-coding it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from catalog.models import Movie, Person, StreamingTitle
from tests.factories import (
    CastCreditFactory,
    CrewCreditFactory,
    MovieFactory,
    PersonFactory,
    PlatformFactory,
    StreamingTitleFactory,
)

D = dt.date
# key, title, release date, budget, revenue, popularity, vote count, vote average, moviesite average, ratings count
FILMS: list[tuple[str, str, dt.date | None, int, int, float, int, float, float, int]] = [
    ("heat95", "Heat", D(1995, 12, 15), 60_000_000, 187_436_818, 17.92, 1886, 7.7, 4.5, 12),
    ("heat86", "Heat", D(1986, 10, 10), 17_000_000, 2_900_000, 2.1, 40, 5.1, 2.5, 3),
    ("amelie", "Amélie", D(2001, 4, 25), 10_000_000, 173_921_954, 12.3, 3403, 7.8, 4.0, 30),
    ("toy", "Toy Story", D(1995, 10, 30), 30_000_000, 373_554_033, 21.95, 5415, 7.7, 3.9, 40),
    ("jumanji", "Jumanji", D(1995, 12, 15), 65_000_000, 262_797_249, 17.02, 2413, 6.9, 3.2, 20),
    ("sabrina", "Sabrina", D(1995, 12, 15), 58_000_000, 0, 6.68, 141, 6.2, 3.0, 5),
    ("huck", "Tom and Huck", D(1995, 12, 22), 0, 0, 2.56, 45, 5.4, 0.0, 0),
    ("death", "Sudden Death", D(1995, 12, 22), 35_000_000, 64_350_171, 5.23, 174, 5.5, 2.8, 4),
    ("golden", "GoldenEye", D(1995, 11, 16), 58_000_000, 352_194_034, 14.69, 1194, 6.6, 3.5, 9),
    ("garden", "The Secret Garden", None, 0, 0, 1.0, 0, 0.0, 0.0, 0),
    ("fauno", "El laberinto del fauno", D(2006, 10, 11), 19_000_000, 83_258_226, 9.5, 2900, 7.6, 4.2, 15),
    ("delicat", "Delicatessen", D(1991, 4, 17), 0, 1_794_187, 4.1, 400, 7.3, 3.8, 6),
]
# person, film key
CAST = [
    ("Al Pacino", "heat95"),
    ("Robert De Niro", "heat95"),
    ("Robin Williams", "jumanji"),
    ("Tom Hanks", "toy"),
    ("Audrey Tautou", "amelie"),
    ("Dominique Pinon", "amelie"),
    ("Dominique Pinon", "delicat"),
    ("Penélope Cruz", "fauno"),
    ("Penélope Cruz", "golden"),
    ("Penélope Cruz", "huck"),
    ("John Smith", "sabrina"),
    ("John Smith#2", "death"),  # a namesake: a second person called John Smith
]
DIRECTORS = [
    ("Michael Mann", "heat95"),
    ("Jean-Pierre Jeunet", "amelie"),
    ("Jean-Pierre Jeunet", "delicat"),
    ("Guillermo del Toro", "fauno"),
]
# platform, show title, type, release year, duration, unit, cast, film key
STREAMING = [
    ("netflix", "Heat", "movie", 1995, 170, "min", "Al Pacino, Robert De Niro, Val Kilmer", "heat95"),
    ("netflix", "Jumanji", "movie", 1995, 104, "min", "Robin Williams, Kirsten Dunst", "jumanji"),
    ("netflix", "Sabrina", "movie", 1995, 127, "min", "Harrison Ford, Julia Ormond", "sabrina"),
    ("netflix", "GoldenEye", "movie", 1995, 130, "min", "Pierce Brosnan, Robin Williams ", "golden"),
    ("netflix", "Friends", "tv", 1995, 10, "season", "Jennifer Aniston, Robin Williams", None),
    ("netflix", "Sudden Death", "movie", 1995, 111, "min", "Jean-Claude Van Damme", "death"),
    ("netflix", "Amélie", "movie", 2001, 122, "min", "Audrey Tautou,Mathieu Kassovitz", "amelie"),
    ("netflix", "Tiny Show", "tv", 2001, 2, "season", "", None),
    ("hulu", "Toy Story", "movie", 1995, 81, "min", "", "toy"),
    ("hulu", "Heat", "movie", 1995, 170, "min", "", "heat95"),
    ("hulu", "Old Show", "tv", 1995, 3, "season", "", None),
    ("disney_plus", "Toy Story", "movie", 1995, 81, "min", "Tom Hanks, Tim Allen", "toy"),
    ("disney_plus", "Jumanji", "movie", 1995, 104, "min", "Robin Williams, Bonnie Hunt", "jumanji"),
    ("disney_plus", "Tom and Huck", "movie", 1995, 97, "min", "Jonathan Taylor Thomas, Brad Renfro", "huck"),
]


@dataclass
class AnalyticsCatalog:
    films: dict[str, Movie]
    people: dict[str, Person]
    titles: list[StreamingTitle]
    films_df: pd.DataFrame
    cast_df: pd.DataFrame
    directors_df: pd.DataFrame
    streaming_df: pd.DataFrame


def _return_ratio(budget: int, revenue: int) -> float:
    return revenue / budget if budget else 0.0


def analytics_catalog_build() -> AnalyticsCatalog:
    films: dict[str, Movie] = {}
    for key, title, released, budget, revenue, popularity, votes, average, site_average, site_count in FILMS:
        films[key] = MovieFactory(
            title=title,
            release_date=released,
            release_year=released.year if released else None,
            budget=budget,
            revenue=revenue,
            return_ratio=_return_ratio(budget, revenue),
            popularity=popularity,
            vote_count=votes,
            vote_average=average,
            ratings_average=site_average,
            ratings_count=site_count,
        )
    people: dict[str, Person] = {}
    for name in dict.fromkeys([name for name, _key in CAST + DIRECTORS]):
        people[name] = PersonFactory(name=name.split("#")[0])
    for name, key in CAST:
        CastCreditFactory(person=people[name], movie=films[key])
    for name, key in DIRECTORS:
        CrewCreditFactory(person=people[name], movie=films[key])
    titles = [
        StreamingTitleFactory(
            platform=PlatformFactory(slug=platform),
            title=title,
            kind=kind,
            release_year=year,
            duration_value=duration,
            duration_unit=unit,
            cast=cast,
            movie=films[key] if key else None,
        )
        for platform, title, kind, year, duration, unit, cast, key in STREAMING
    ]
    film_columns = ["key", "title", "release_date", "budget", "revenue", "popularity", "vote_count", "vote_average"]
    films_df = pd.DataFrame([row[:8] for row in FILMS], columns=film_columns).assign(
        release_date=lambda df: pd.to_datetime(df["release_date"]),
        ratings_average=[row[8] for row in FILMS],
        ratings_count=[row[9] for row in FILMS],
    )
    films_df["return_ratio"] = (films_df["revenue"] / films_df["budget"]).where(films_df["budget"] > 0, 0.0)
    return AnalyticsCatalog(
        films=films,
        people=people,
        titles=titles,
        films_df=films_df,
        cast_df=pd.DataFrame(CAST, columns=["person", "key"]),
        directors_df=pd.DataFrame(DIRECTORS, columns=["person", "key"]),
        streaming_df=pd.DataFrame(
            STREAMING, columns=["platform", "title", "type", "year", "duration", "unit", "cast", "key"]
        ),
    )


def expected_row(frame: pd.DataFrame, **equal: Any) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for column, value in equal.items():
        mask &= frame[column] == value
    return frame[mask]
