"""Migration 0015 rewrites the stored title keys with title_key, and back with normalize_title."""

from __future__ import annotations

import importlib
import types

import pytest
from django.apps import apps
from django.db import connection

from catalog.models import Movie, StreamingTitle
from catalog.services import streaming_titles_match
from tests.factories import MovieFactory, StreamingTitleFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("catalog.migrations.0015_title_keys_punctuation_aside")
schema_editor = types.SimpleNamespace(connection=connection)


def stored_keys() -> list[tuple[str, ...]]:
    films = Movie.objects.order_by("pk").values_list("title_search", "original_title_search")
    titles = StreamingTitle.objects.order_by("pk").values_list("title_search")
    return [*films, *titles]


def test_it_recomputes_every_stored_key_in_batches_and_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(migration, "BATCH", 2)  # three films: two batches
    MovieFactory(title="Spider-Man: Far From Home", original_title="Spider-Man: Far From Home", release_year=2019)
    MovieFactory(title="Oliver & Company", original_title="", release_year=1988)
    MovieFactory(title="Amélie", original_title="Le Fabuleux Destin d’Amélie Poulain")  # noqa: RUF001
    StreamingTitleFactory(title="Spider-Man Far from Home", release_year=2019)

    migration.punctuation_kept(apps, schema_editor)
    assert stored_keys() == [
        ("spider-man: far from home", "spider-man: far from home"),
        ("oliver & company", ""),
        ("amelie", "le fabuleux destin d’amelie poulain"),  # noqa: RUF001
        ("spider-man far from home",),
    ]

    migration.punctuation_aside(apps, schema_editor)
    assert stored_keys() == [
        ("spider man far from home", "spider man far from home"),
        ("oliver and company", ""),
        ("amelie", "le fabuleux destin damelie poulain"),
        ("spider man far from home",),
    ]


def test_after_it_films_stored_before_match_their_platform_titles() -> None:
    film = MovieFactory(title="Spider-Man: Far From Home", release_year=2019)
    title = StreamingTitleFactory(title="Spider-Man Far from Home", release_year=2019)
    migration.punctuation_kept(apps, schema_editor)
    assert streaming_titles_match() == 0

    migration.punctuation_aside(apps, schema_editor)

    assert streaming_titles_match() == 1
    title.refresh_from_db()
    assert title.movie_id == film.pk
