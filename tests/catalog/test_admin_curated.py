"""A curator's fix in the admin survives the next import of the same files (catalog.importers.curated)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from catalog.models import Credit, Genre, Movie, Person, StreamingTitle
from catalog.services import catalog_import
from tests.catalog import fixtures_import as fx
from tests.factories import (
    CastCreditFactory,
    GenreFactory,
    KeywordFactory,
    MovieFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

TOY_STORY_TMDB_ID = 862
TOM_HANKS_TMDB_ID = 31


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """The small The-Movies-Dataset directory, imported once: Toy Story with Tom Hanks and keywords."""
    directory = fx.write_movies_dataset(tmp_path / "tmd")
    catalog_import(paths=[directory])
    return directory


def change_form_data(client: Client, url: str) -> dict[str, Any]:
    """What the admin change page would post back unchanged."""
    form = client.get(url).context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, list):
            value = [getattr(item, "pk", item) for item in value]
        data[name] = getattr(value, "pk", value)
    return data


def toy_story() -> Movie:
    return Movie.objects.get(tmdb_id=TOY_STORY_TMDB_ID)


def test_a_fixed_title_overview_and_genres_survive_the_next_import(staff_client: Client, dataset: Path) -> None:
    film = toy_story()
    western = GenreFactory(name="Western")
    url = reverse("admin:catalog_movie_change", args=[film.pk])
    data = change_form_data(staff_client, url)
    data.update({"title": "Toy Story (restored)", "overview": "Fixed by a curator.", "genres": [western.pk]})

    assert staff_client.post(url, data).status_code == 302
    catalog_import(paths=[dataset])

    film = toy_story()
    assert (film.title, film.title_search, film.overview) == (
        "Toy Story (restored)",
        "toy story restored",
        "Fixed by a curator.",
    )
    assert list(film.genres.values_list("name", flat=True)) == ["Western"]
    assert film.vote_count == 5415  # what the curator did not touch still comes from the file
    assert sorted(film.curated_fields) == ["genres", "overview", "title"]


def test_fixed_credits_and_keywords_survive_the_next_import(staff_client: Client, dataset: Path) -> None:
    film = toy_story()
    woody = Credit.objects.get(movie=film, character="Woody (voice)")
    credit_url = reverse("admin:catalog_credit_change", args=[woody.pk])
    credit = change_form_data(staff_client, credit_url)
    credit["character"] = "Woody"
    url = reverse("admin:catalog_movie_change", args=[film.pk])
    data = change_form_data(staff_client, url)
    data["keywords"] = [KeywordFactory(name="cowboy doll").pk]

    assert staff_client.post(credit_url, credit).status_code == 302
    assert staff_client.post(url, data).status_code == 302
    catalog_import(paths=[dataset])

    assert Credit.objects.filter(movie=film, character="Woody").exists()
    assert not Credit.objects.filter(movie=film, character="Woody (voice)").exists()
    assert list(film.keywords.values_list("name", flat=True)) == ["cowboy doll"]


def test_a_renamed_person_keeps_the_name_after_the_next_import(staff_client: Client, dataset: Path) -> None:
    person = Person.objects.get(tmdb_id=TOM_HANKS_TMDB_ID)
    url = reverse("admin:catalog_person_change", args=[person.pk])
    data = change_form_data(staff_client, url)
    data["name"] = "Thomas J. Hanks"

    assert staff_client.post(url, data).status_code == 302
    catalog_import(paths=[dataset])

    assert Person.objects.get(pk=person.pk).name == "Thomas J. Hanks"


def test_releasing_a_film_lets_the_next_import_restore_the_file_s_values(staff_client: Client, dataset: Path) -> None:
    film = toy_story()
    url = reverse("admin:catalog_movie_change", args=[film.pk])
    data = change_form_data(staff_client, url)
    data["title"] = "Toy Story (restored)"
    staff_client.post(url, data)

    staff_client.post(
        reverse("admin:catalog_movie_changelist"), {"action": "let_imports_update", "_selected_action": [film.pk]}
    )
    catalog_import(paths=[dataset])

    assert (toy_story().title, toy_story().curated_fields) == ("Toy Story", [])


def test_a_fixed_budget_recomputes_the_return(staff_client: Client) -> None:
    film = MovieFactory(budget=100, revenue=300, return_ratio=3.0)
    url = reverse("admin:catalog_movie_change", args=[film.pk])
    data = change_form_data(staff_client, url)
    data["budget"] = 150

    assert staff_client.post(url, data).status_code == 302

    assert Movie.objects.get(pk=film.pk).return_ratio == 2.0


def test_a_film_saved_unchanged_keeps_nothing_from_imports(staff_client: Client) -> None:
    film = MovieFactory()
    Genre.objects.create(name="Drama")
    url = reverse("admin:catalog_movie_change", args=[film.pk])

    assert staff_client.post(url, change_form_data(staff_client, url)).status_code == 302

    assert Movie.objects.get(pk=film.pk).curated_fields == []


def test_a_merge_survives_the_next_import(staff_client: Client, dataset: Path) -> None:
    tom = Person.objects.get(tmdb_id=TOM_HANKS_TMDB_ID)
    keep = PersonFactory(name="Tom Hanks", tmdb_id=TOM_HANKS_TMDB_ID + 1_000_000)  # a second TMDB entry for him
    for _ in range(tom.credits.count() + 1):  # the merge keeps the one with more credits
        CastCreditFactory(person=keep)

    staff_client.post(
        reverse("admin:catalog_person_changelist"), {"action": "merge_people", "_selected_action": [keep.pk, tom.pk]}
    )
    catalog_import(paths=[dataset])

    assert not Person.objects.filter(tmdb_id=TOM_HANKS_TMDB_ID).exists()
    woody = Credit.objects.get(movie=toy_story(), character="Woody (voice)")
    assert (woody.person_id, Person.objects.get(pk=keep.pk).name) == (keep.pk, "Tom Hanks")
    person_page = staff_client.get(reverse("admin:catalog_person_change", args=[keep.pk])).content.decode()
    assert str(TOM_HANKS_TMDB_ID) in person_page


def test_a_film_page_names_its_kept_fields_in_spanish(staff_client: Client) -> None:
    film = MovieFactory(curated_fields=["credits", "release_year", "title"])

    url = reverse("admin:catalog_movie_change", args=[film.pk])
    html = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert "créditos, año de estreno, título" in html


def test_a_fixed_streaming_title_survives_the_next_import(staff_client: Client, tmp_path: Path) -> None:
    directory = fx.write_streaming(tmp_path / "streaming")
    catalog_import(paths=[directory])
    title = StreamingTitle.objects.get(platform__slug="netflix", show_id="s1")
    url = reverse("admin:catalog_streamingtitle_change", args=[title.pk])
    data = change_form_data(staff_client, url)
    data.update({"duration_value": 82, "description": "Toys come alive (fixed).", "date_added": "2021-09-25"})

    assert staff_client.post(url, data).status_code == 302
    catalog_import(paths=[directory])

    title = StreamingTitle.objects.get(pk=title.pk)
    assert (title.duration_value, title.duration_unit, title.description) == (82, "min", "Toys come alive (fixed).")
    assert title.age_rating == "G"
    assert sorted(title.curated_fields) == ["description", "duration_value"]


def test_a_demo_film_s_fixed_title_and_genres_survive_the_next_demo_items_import(
    staff_client: Client, tmp_path: Path
) -> None:
    # u.item: id|title|release date|video date|IMDb URL|19 genre flags (Children's and Comedy here).
    flags = "|".join("1" if index in (4, 5) else "0" for index in range(19))
    items = fx.write_text(tmp_path / "ml-100k" / "u.item", f"3|Love Bug, The (1969)|01-Jan-1969||http://x|{flags}\n")
    catalog_import(paths=[items.parent])
    film = Movie.objects.get(ml100k_id=3)
    url = reverse("admin:catalog_movie_change", args=[film.pk])
    data = change_form_data(staff_client, url)
    data.update({"title": "The Love Bug", "genres": [GenreFactory(name="Fantasy").pk]})

    assert staff_client.post(url, data).status_code == 302
    catalog_import(paths=[items.parent])

    film = Movie.objects.get(pk=film.pk)
    assert (film.title, list(film.genres.values_list("name", flat=True))) == ("The Love Bug", ["Fantasy"])
