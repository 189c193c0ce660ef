"""A curator's fix of a film's content features reaches the content index at the nightly rebuild."""

from __future__ import annotations

import pytest
from celery import current_app
from django.conf import settings
from django.test import Client
from django.urls import reverse

from recommender import services, tasks
from recommender.models import ModelVersion
from tests.factories import GenreFactory, MovieFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


def nightly_content_rebuild() -> None:
    """Run what beat runs at night for the content index (`tasks` registers it)."""
    assert tasks.rebuild_content_index.name in current_app.tasks
    (task_name,) = [
        entry["task"]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "recommender.tasks.rebuild_content_index"
    ]
    current_app.tasks[task_name].apply()


def test_a_genre_fixed_in_the_admin_reaches_the_content_index_overnight(client: Client) -> None:
    drama, comedy = GenreFactory(name="Drama"), GenreFactory(name="Comedy")
    films = [MovieFactory(genres=[drama if n < 3 else comedy]) for n in range(6)]
    services.content_index_rebuild()
    before = ModelVersion.objects.get(kind=ModelVersion.Kind.CONTENT, status=ModelVersion.Status.ACTIVE)
    client.force_login(StaffUserFactory())
    url = reverse("admin:catalog_movie_change", args=[films[0].pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "genres"}
    data.update({"genres": [comedy.pk], "collection": ""})

    assert client.post(url, data).status_code == 302
    nightly_content_rebuild()

    after = ModelVersion.objects.get(kind=ModelVersion.Kind.CONTENT, status=ModelVersion.Status.ACTIVE)
    assert after.pk != before.pk
