"""load_demo: MovieLens 100K out of the recbole wheel (downloaded once into DEMO_CACHE_DIR)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from catalog.models import ImportRun, KnowledgeFact, Movie
from ratings.models import DatasetRating

pytestmark = pytest.mark.django_db


def test_it_loads_the_demo_catalog_and_a_second_run_changes_nothing() -> None:
    out = io.StringIO()
    call_command("load_demo", stdout=out)

    demo = DatasetRating.objects.filter(source=DatasetRating.Source.ML100K)
    assert Movie.objects.filter(ml100k_id__isnull=False).count() == 1682
    assert demo.count() == 100_000
    assert demo.values("rater_id").distinct().count() == 943
    assert "1,682 films" in out.getvalue()

    toy_story = Movie.objects.get(ml100k_id=1)
    assert (toy_story.title, toy_story.release_year) == ("Toy Story", 1995)
    assert sorted(toy_story.genres.values_list("name", flat=True)) == ["Animation", "Children's", "Comedy"]
    # Popularity of a film without TMDB data is its rating count.
    assert toy_story.ratings_count == toy_story.popularity == 452
    assert Movie.objects.get(ml100k_id=543).title == "Les Misérables"
    assert Movie.objects.get(ml100k_id=12).title == "The Usual Suspects"
    assert KnowledgeFact.objects.filter(movie=toy_story, relation="film.film.actor").exists()
    assert not KnowledgeFact.objects.exclude(relation__startswith="film.").exists()
    facts = KnowledgeFact.objects.count()

    call_command("load_demo", stdout=io.StringIO())
    rerun = ImportRun.objects.order_by("-pk").first()
    assert rerun is not None and (rerun.rows_inserted, rerun.rows_updated, rerun.rows_rejected) == (0, 0, 0)
    assert KnowledgeFact.objects.count() == facts
    assert demo.count() == 100_000


def test_if_empty_skips_a_catalog_that_has_films() -> None:
    Movie.objects.create(title="Already here")
    out = io.StringIO()

    call_command("load_demo", "--if-empty", stdout=out)

    assert "already has films" in out.getvalue()
    assert Movie.objects.count() == 1
