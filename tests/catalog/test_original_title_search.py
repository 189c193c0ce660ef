"""A film is found by its original title too: TMDB files Spanish films under their English title."""

from __future__ import annotations

import importlib
import types
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from catalog.models import Movie
from catalog.selectors import MovieFilters, movie_search, movie_title_suggestions
from catalog.services import catalog_import
from tests.catalog import fixtures_import as fx
from tests.factories import MovieFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pans_labyrinth() -> Movie:
    MovieFactory(title="Heat", original_title="Heat")
    return MovieFactory(title="Pan's Labyrinth", original_title="El laberinto del fauno")


@pytest.mark.parametrize("query", ["El laberinto del fauno", "laberinto", "EL LABERINTO", "Pan's"])
def test_the_site_search_finds_a_film_by_its_original_title(client: Client, pans_labyrinth: Movie, query: str) -> None:
    response = client.get(reverse("movie-list"), {"q": query}, HTTP_ACCEPT_LANGUAGE="es")

    assert [movie.pk for movie in response.context["page"].object_list] == [pans_labyrinth.pk]


def test_a_card_found_by_its_original_title_shows_it_in_its_language(client: Client, pans_labyrinth: Movie) -> None:
    Movie.objects.filter(pk=pans_labyrinth.pk).update(original_language="es")

    by_original = client.get(reverse("movie-list"), {"q": "laberinto"}).content.decode()
    by_title = client.get(reverse("movie-list"), {"q": "pan's"}).content.decode()

    assert '<span class="card-original" lang="es">El laberinto del fauno</span>' in by_original
    assert "card-original" not in by_title


def test_the_api_search_finds_a_film_by_its_original_title_accents_aside(pans_labyrinth: Movie) -> None:
    film = MovieFactory(title="Talk to Her", original_title="Hable con ella")
    MovieFactory(title="Open Your Eyes", original_title="Abre los ojos")

    body = APIClient().get("/api/v1/films/", {"q": "hable con ella"}).json()
    accented = APIClient().get("/api/v1/films/", {"q": "ÉL LABERINTO"}).json()

    assert [row["id"] for row in body["results"]] == [film.pk]
    assert [row["id"] for row in accented["results"]] == [pans_labyrinth.pk]


def test_a_curator_s_edit_of_the_original_title_is_searchable_at_once(client: Client, pans_labyrinth: Movie) -> None:
    pans_labyrinth.original_title = "Le Labyrinthe de Pan"
    pans_labyrinth.save()

    assert Movie.objects.get(original_title_search="le labyrinthe de pan") == pans_labyrinth


def test_the_tmdb_import_stores_the_original_title_s_key(tmp_path: Path) -> None:
    film = {**fx.PLAIN_FILM, "title": "The Sea Inside", "original_title": "Mar adentro"}
    catalog_import(paths=[fx.write_text(tmp_path / "movies_metadata.csv", fx.csv_table([film]))])

    assert Movie.objects.get(title="The Sea Inside").original_title_search == "mar adentro"


def test_the_migration_fills_the_key_of_films_already_stored(pans_labyrinth: Movie) -> None:
    Movie.objects.update(original_title_search="")
    migration = importlib.import_module("catalog.migrations.0013_original_title_search")

    migration.fill_original_title_search(apps, types.SimpleNamespace(connection=connection))

    assert Movie.objects.get(pk=pans_labyrinth.pk).original_title_search == "el laberinto del fauno"


@pytest.mark.services
def test_on_postgresql_both_title_keys_are_searched_through_their_trigram_indexes(pans_labyrinth: Movie) -> None:
    assert connection.vendor == "postgresql"
    sql, params = movie_search(filters=MovieFilters(query="laberinto")).query.sql_with_params()
    with connection.cursor() as cursor:
        # Sequential and plain index scans (the popularity order's) ruled out: the plan shows whether the
        # trigram indexes can serve the filter at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "movie_title_search_trgm" in plan
    assert "movie_original_title_search_trgm" in plan


def test_a_misspelt_original_title_suggests_the_film(pans_labyrinth: Movie) -> None:
    MovieFactory(title="Laura", original_title="Laura")

    suggestions = movie_title_suggestions(query="laberinto del fuano")

    assert [movie.pk for movie in suggestions] == [pans_labyrinth.pk]


@pytest.mark.services
def test_on_postgresql_original_title_suggestions_use_its_trigram_index(pans_labyrinth: Movie) -> None:
    assert connection.vendor == "postgresql"
    with CaptureQueriesContext(connection) as queries:
        suggestions = movie_title_suggestions(query="laberinto del fuano")
    [search] = [query["sql"] for query in queries if "word_similarity(" in query["sql"].lower()]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', '0.3', true)")
        cursor.execute(f"EXPLAIN {search}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert [movie.pk for movie in suggestions] == [pans_labyrinth.pk]
    assert "movie_original_title_search_trgm" in plan
