"""`make_curator`: a staff account that is not a superuser can do a curator's whole job, and no more."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from catalog.models import Movie, Person
from catalog.services import catalog_import
from ratings.models import Rating
from recommender.models import ModelVersion
from tests.catalog import fixtures_import as fx
from tests.factories import (
    CastCreditFactory,
    ModelVersionFactory,
    MovieFactory,
    PersonFactory,
    RatingFactory,
    UserFactory,
    verified_artifact,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client: Client) -> Client:
    """Signed in as "carla", made a curator by the command."""
    carla = UserFactory(username="carla")
    call_command("make_curator", "carla", stdout=StringIO())
    client.force_login(carla)
    return client


def test_the_command_makes_a_staff_member_who_is_not_a_superuser() -> None:
    user = UserFactory(username="carla")
    out = StringIO()

    call_command("make_curator", "carla", stdout=out)
    call_command("make_curator", "carla", stdout=out)  # again: nothing doubles

    user.refresh_from_db()
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Curators"]
    assert user.has_perm("catalog.change_movie") and user.has_perm("ratings.delete_rating")
    assert not user.has_perm("auth.view_user") and not user.has_perm("catalog.change_importrun")
    assert "carla is a curator" in out.getvalue()


def test_the_command_names_an_unknown_user() -> None:
    with pytest.raises(CommandError, match="No user is called 'nobody'"):
        call_command("make_curator", "nobody")


def test_a_curator_fixes_films_people_and_ratings(curator_client: Client) -> None:
    film = MovieFactory(title="Teh Matrix")
    keep, duplicate = PersonFactory(name="Keanu Reeves"), PersonFactory(name="Keanu  Reeves")
    CastCreditFactory(person=keep, movie=film)
    rating = RatingFactory(score=1.0)
    people = reverse("admin:catalog_person_changelist")

    film_page = curator_client.get(reverse("admin:catalog_movie_change", args=[film.pk]))
    hidden = curator_client.post(
        reverse("admin:catalog_movie_changelist"),
        {"action": "hide_from_recommendations", "_selected_action": [film.pk]},
    )
    merged = curator_client.post(people, {"action": "merge_people", "_selected_action": [keep.pk, duplicate.pk]})
    rated = curator_client.post(reverse("admin:ratings_rating_change", args=[rating.pk]), {"score": "4.5"})

    assert film_page.status_code == 200
    assert (hidden.status_code, merged.status_code, rated.status_code) == (302, 302, 302)
    assert Movie.objects.get(pk=film.pk).is_hidden
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert Rating.objects.get(pk=rating.pk).score == 4.5


def test_a_curator_reads_an_import_run_and_downloads_its_rejects(curator_client: Client, tmp_path: Path) -> None:
    run = catalog_import(paths=[fx.write_movies_dataset(tmp_path / "tmd")])

    page = curator_client.get(reverse("admin:catalog_importrun_change", args=[run.pk]))
    rejects = curator_client.get(reverse("admin:catalog_importrun_rejects", args=[run.pk]))

    assert page.status_code == 200
    assert rejects.status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "auth_user_changelist",
        "auth_group_changelist",
        "accounts_profile_changelist",
        "ratings_watchlistentry_changelist",
    ],
)
def test_a_curator_sees_no_accounts_nor_users_lists(curator_client: Client, name: str) -> None:
    assert curator_client.get(reverse(f"admin:{name}")).status_code == 403


def test_a_curator_reads_the_model_registry_but_cannot_activate_nor_retrain(curator_client: Client) -> None:
    version = ModelVersionFactory(**verified_artifact())
    changelist = reverse("admin:recommender_modelversion_changelist")

    page = curator_client.get(reverse("staff-status")).content.decode()
    admin_page = curator_client.get(changelist)
    admin_action = curator_client.post(changelist, {"action": "activate_selected", "_selected_action": [version.pk]})
    page_activate = curator_client.post(reverse("staff-activate", args=[version.pk]))
    page_retrain = curator_client.post(reverse("staff-retrain"), {"kind": "content"})
    api_activate = curator_client.post(reverse("api-model-version-activate", args=[version.pk]))

    assert admin_page.status_code == 200
    assert "activate_selected" not in admin_page.content.decode()
    assert reverse("staff-activate", args=[version.pk]) not in page
    assert reverse("staff-retrain") not in page
    assert "activate_selected" not in admin_action.content.decode()
    assert (page_activate.status_code, page_retrain.status_code) == (403, 403)
    assert api_activate.status_code == 403
    version.refresh_from_db()
    assert version.status == ModelVersion.Status.READY
