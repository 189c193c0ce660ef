"""Reads behind the site pages: search filters, cards, onboarding set, popular and platform rows, title suggestions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.selectors import (
    MovieFilters,
    movie_cards,
    movie_filter_facets,
    movie_search,
    movie_title_suggestions,
    movies_new_on_platforms,
    movies_popular_now,
    onboarding_candidates,
)
from tests.factories import GenreFactory, MovieFactory, PlatformFactory, StreamingTitleFactory

pytestmark = pytest.mark.django_db


def test_movie_cards_keep_the_ranking_order_and_drop_unknown_ids():
    first, second = MovieFactory(popularity=1), MovieFactory(popularity=99)

    cards = movie_cards(movie_ids=[first.pk, 123456789, second.pk])

    assert [movie.pk for movie in cards] == [first.pk, second.pk]


def test_onboarding_deals_films_out_genre_by_genre_and_leaves_out_hidden_and_excluded_ones():
    drama, western = GenreFactory(name="Drama"), GenreFactory(name="Western")
    dramas = [MovieFactory(title=f"Drama {index}", genres=[drama], ratings_count=500 - index) for index in range(5)]
    westerns = [
        MovieFactory(title=f"Western {index}", genres=[western], ratings_count=10 - index) for index in range(2)
    ]
    MovieFactory(title="Hidden", genres=[western], ratings_count=1000, is_hidden=True)

    chosen = onboarding_candidates(limit=5, exclude=[dramas[0].pk])

    assert [movie.title for movie in chosen] == ["Drama 1", "Western 0", "Drama 2", "Western 1", "Drama 3"]
    assert westerns


def test_a_film_with_several_genres_goes_to_the_less_represented_one():
    drama, war = GenreFactory(name="Drama"), GenreFactory(name="War")
    MovieFactory(title="Plain drama", genres=[drama], ratings_count=100)
    MovieFactory(title="War drama", genres=[drama, war], ratings_count=90)
    MovieFactory(title="Another drama", genres=[drama], ratings_count=80)

    chosen = onboarding_candidates(limit=2)

    assert [movie.title for movie in chosen] == ["Plain drama", "War drama"]


def test_new_on_platforms_lists_a_film_once_newest_first_and_skips_hidden_and_unmatched_titles():
    netflix, hulu = PlatformFactory(slug="netflix"), PlatformFactory(slug="hulu")
    both = MovieFactory(title="On both")
    StreamingTitleFactory(platform=netflix, movie=both, date_added=dt.date(2021, 1, 1))
    StreamingTitleFactory(platform=hulu, movie=both, date_added=dt.date(2021, 5, 1))
    StreamingTitleFactory(platform=netflix, movie=MovieFactory(title="Hidden", is_hidden=True))
    StreamingTitleFactory(platform=netflix, movie=None, date_added=dt.date(2021, 9, 1))
    StreamingTitleFactory(platform=netflix, movie=MovieFactory(title="Undated"), date_added=None)

    rows = movies_new_on_platforms(platform_ids=[netflix.pk, hulu.pk])

    assert [(row.movie.title, row.platform_name) for row in rows] == [("On both", "Hulu"), ("Undated", "Netflix")]


def test_the_filter_facets_come_from_the_catalog_and_are_cached():
    cache.clear()
    MovieFactory(genres=[GenreFactory(name="Drama")], original_language="fr")

    first = movie_filter_facets()
    MovieFactory(original_language="ja")
    second = movie_filter_facets()

    assert first.genres == ["Drama"] and first.languages == ["fr"]
    assert ("netflix", "Netflix") in first.platforms
    assert second == first
    cache.clear()


def test_a_misspelt_search_suggests_the_close_title():
    MovieFactory(title="Amélie", release_date=dt.date(2001, 4, 25))
    MovieFactory(title="Alien")

    suggestions = movie_title_suggestions(query="amelei")

    assert [movie.title for movie in suggestions][:1] == ["Amélie"]


def test_a_misspelt_search_suggests_a_title_behind_a_leading_article():
    MovieFactory(title="Goldfinger", popularity=50)
    MovieFactory(title="The Godfather", popularity=10)
    MovieFactory(title="El laberinto del fauno")

    assert [movie.title for movie in movie_title_suggestions(query="godfater")][:1] == ["The Godfather"]
    assert [movie.title for movie in movie_title_suggestions(query="laberinot")][:1] == ["El laberinto del fauno"]


def test_a_misspelt_search_suggests_a_longer_title_starting_with_it():
    MovieFactory(title="The Godfather Part II")
    MovieFactory(title="Heat")

    assert [movie.title for movie in movie_title_suggestions(query="godfahter")] == ["The Godfather Part II"]


@pytest.mark.services
def test_on_postgresql_suggestions_use_trigram_similarity():
    assert connection.vendor == "postgresql"
    MovieFactory(title="The Fabulous Destiny of Amélie Poulain")
    MovieFactory(title="Heat")

    suggestions = movie_title_suggestions(query="amelei poulain")

    assert [movie.title for movie in suggestions] == ["The Fabulous Destiny of Amélie Poulain"]


@pytest.mark.services
def test_on_postgresql_suggestions_are_found_through_the_title_trigram_index():
    assert connection.vendor == "postgresql"
    MovieFactory(title="The Godfather")
    MovieFactory(title="Heat")

    with CaptureQueriesContext(connection) as queries:
        suggestions = movie_title_suggestions(query="godfater")
    [search] = [query["sql"] for query in queries if "word_similarity(" in query["sql"].lower()]
    with connection.cursor() as cursor:
        # With a sequential scan ruled out, the plan shows whether the index can serve the filter at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', '0.3', true)")
        cursor.execute(f"EXPLAIN {search}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert [movie.title for movie in suggestions] == ["The Godfather"]
    assert "movie_title_search_trgm" in plan


def test_a_year_range_includes_both_of_its_ends():
    before, first, last, after = (MovieFactory(release_date=dt.date(year, 6, 1)) for year in (1999, 2000, 2001, 2002))

    found = movie_search(filters=MovieFilters(year_from=2000, year_to=2001, sort="year"))

    assert [movie.pk for movie in found] == [last.pk, first.pk]
    assert before.pk not in [movie.pk for movie in movie_search(filters=MovieFilters(year_from=2000))]
    assert after.pk not in [movie.pk for movie in movie_search(filters=MovieFilters(year_to=2001))]


def test_a_film_on_several_of_the_platforms_asked_for_is_listed_once():
    film, elsewhere = MovieFactory(), MovieFactory()
    for slug in ("netflix", "hulu"):
        StreamingTitleFactory(platform=PlatformFactory(slug=slug), movie=film)
    StreamingTitleFactory(platform=PlatformFactory(slug="disney_plus"), movie=elsewhere)

    found = movie_search(filters=MovieFilters(platforms=("netflix", "hulu")))

    assert [movie.pk for movie in found] == [film.pk]
    assert found.count() == 1


def test_popular_now_leaves_out_hidden_and_excluded_films():
    top = MovieFactory(popularity=300, is_hidden=True)
    second, third, fourth = (MovieFactory(popularity=value) for value in (200, 100, 50))

    assert [movie.pk for movie in movies_popular_now(limit=2, exclude=[second.pk])] == [third.pk, fourth.pk]
    assert top.pk not in [movie.pk for movie in movies_popular_now()]


def test_the_weighted_sort_puts_tmdb_votes_and_site_ratings_on_one_scale():
    tmdb_middling = MovieFactory(title="TMDB 7 of 10", vote_count=100, vote_average=7.0)
    site_liked = MovieFactory(title="Site 4.5 of 5", vote_count=0, ratings_count=100, ratings_average=4.5)
    unrated = MovieFactory(title="Unrated", vote_count=0, ratings_count=0)

    found = movie_search(filters=MovieFilters(sort="weighted"))

    assert [movie.pk for movie in found] == [site_liked.pk, tmdb_middling.pk, unrated.pk]


@pytest.mark.parametrize("query", ["spider-man", "spider man", "SPIDER–MAN far", "Spider-Man: Far From Home"])  # noqa: RUF001
def test_a_search_finds_a_title_whatever_its_punctuation(query):
    film = MovieFactory(title="Spider-Man: Far From Home")
    MovieFactory(title="Spider Woman")

    assert list(movie_search(filters=MovieFilters(query=query))) == [film]


def test_a_search_reads_and_as_an_ampersand_and_curly_apostrophes_as_straight_ones():
    cats_and_dogs = MovieFactory(title="Cats & Dogs")
    schindlers_list = MovieFactory(title="Schindler's List")

    assert list(movie_search(filters=MovieFilters(query="cats and dogs"))) == [cats_and_dogs]
    assert list(movie_search(filters=MovieFilters(query="Schindler’s"))) == [schindlers_list]  # noqa: RUF001


def test_a_search_of_punctuation_alone_finds_nothing():
    MovieFactory(title="What?")

    assert list(movie_search(filters=MovieFilters(query="?"))) == []


def test_a_search_lists_the_film_of_that_title_before_more_popular_films_that_merely_contain_it():
    tin_cup = MovieFactory(title="Tin Cup", popularity=90)
    up_close = MovieFactory(title="Up Close and Personal", popularity=50)
    pump_up = MovieFactory(title="Pump Up the Volume", popularity=70)
    up = MovieFactory(title="Up", popularity=10)

    found = list(movie_search(filters=MovieFilters(query="up")))

    assert found == [up, tin_cup, pump_up, up_close]


def test_a_search_names_a_film_by_its_original_title_too():
    ran = MovieFactory(title="Chaos", original_title="Ran", popularity=5)
    ransom = MovieFactory(title="Ransom", popularity=80)
    rango = MovieFactory(title="Rango", popularity=60)
    orange = MovieFactory(title="A Clockwork Orange", popularity=99)

    assert list(movie_search(filters=MovieFilters(query="ran"))) == [ran, orange, ransom, rango]


def test_a_search_sorted_by_popularity_or_year_is_not_reranked_by_match():
    popular = MovieFactory(title="Tin Cup", popularity=90, release_year=1996)
    exact = MovieFactory(title="Up", popularity=10, release_year=2009)

    assert list(movie_search(filters=MovieFilters(query="up", sort="popularity"))) == [popular, exact]
    assert list(movie_search(filters=MovieFilters(query="up", sort="year"))) == [exact, popular]


def test_a_search_with_a_genre_filter_keeps_the_match_order():
    drama = GenreFactory(name="Drama")
    contains = MovieFactory(title="Heathers", popularity=90, genres=[drama])
    exact = MovieFactory(title="Heat", popularity=10, genres=[drama])

    assert list(movie_search(filters=MovieFilters(query="heat", genre="drama"))) == [exact, contains]


def test_a_search_counts_a_title_with_an_article_before_the_search_as_naming_it():
    godfather_part_two = MovieFactory(title="The Godfather: Part II", popularity=80)
    el_padrino = MovieFactory(title="The Godfather", original_title="El padrino", popularity=60)
    padrino_story = MovieFactory(title="Padrinos", popularity=99)

    assert list(movie_search(filters=MovieFilters(query="godfather"))) == [el_padrino, godfather_part_two]
    assert list(movie_search(filters=MovieFilters(query="padrino"))) == [el_padrino, padrino_story]
