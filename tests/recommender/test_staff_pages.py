from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from recommender import services
from recommender.models import ModelVersion
from tests.celery_worker import queued_task_ids
from tests.factories import ModelVersionFactory, StaffUserFactory, UserFactory, verified_artifact

pytestmark = pytest.mark.django_db


def staff_client() -> Client:
    client = Client()
    client.force_login(StaffUserFactory())
    return client


def test_the_staff_page_lists_versions_with_their_metrics() -> None:
    ModelVersionFactory(status=ModelVersion.Status.READY, metrics={"holdout_rmse": 0.9123})
    response = staff_client().get(reverse("staff-status"))
    assert response.status_code == 200
    assert b"0.9123" in response.content


def test_a_visitor_who_is_not_staff_cannot_see_or_use_it() -> None:
    client = Client()
    client.force_login(UserFactory())
    assert client.get(reverse("staff-status")).status_code == 302
    version = ModelVersionFactory(artifact_path="/x.npz", checksum="a" * 64)
    assert client.post(reverse("staff-activate", args=[version.pk])).status_code == 302
    version.refresh_from_db()
    assert version.status == ModelVersion.Status.READY


def test_staff_can_activate_a_version_from_the_page() -> None:
    version = ModelVersionFactory(**verified_artifact())
    response = staff_client().post(reverse("staff-activate", args=[version.pk]))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == ModelVersion.Status.ACTIVE


def test_in_embedded_mode_a_retrain_from_the_page_says_it_has_run(settings: Any) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True

    response = staff_client().post(reverse("staff-retrain"), {"kind": "content"}, follow=True)

    assert b"The retrain ran (task " in response.content
    assert b"Retrain queued" not in response.content


def test_with_a_worker_a_retrain_from_the_page_is_queued(
    eager: Callable[[bool], None], django_capture_on_commit_callbacks
) -> None:
    eager(False)
    queued_task_ids()  # nothing left over from another test

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client().post(reverse("staff-retrain"), {"kind": "content"}, follow=True)

    (task_id,) = queued_task_ids()
    assert f"Retrain queued (task {task_id}).".encode() in response.content
    assert b"The retrain ran" not in response.content
    assert not ModelVersion.objects.exists()


@pytest.mark.parametrize(
    ("in_process", "message"),
    [
        (True, b"The retrain of content ran in this process: any version it trained is listed."),
        (False, b"Retrain of content queued."),
    ],
)
def test_the_admin_retrain_action_says_whether_it_ran_or_was_queued(
    eager: Callable[[bool], None], django_capture_on_commit_callbacks, in_process: bool, message: bytes
) -> None:
    eager(in_process)
    queued_task_ids()
    version = ModelVersionFactory(kind="content")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client().post(
            reverse("admin:recommender_modelversion_changelist"),
            {"action": "retrain_kind", "_selected_action": [version.pk]},
            follow=True,
        )

    assert message in response.content
    assert len(queued_task_ids()) == (0 if in_process else 1)


def test_the_admin_lists_model_versions() -> None:
    ModelVersionFactory(metrics={"holdout_rmse": 0.95})
    response = staff_client().get(reverse("admin:recommender_modelversion_changelist"))
    assert response.status_code == 200
    assert b"0.9500" in response.content


def test_each_activate_button_names_its_version_to_screen_readers() -> None:
    first, second = ModelVersionFactory(), ModelVersionFactory()

    html = staff_client().get(reverse("staff-status")).content.decode()
    spanish = staff_client().get(reverse("staff-status"), HTTP_ACCEPT_LANGUAGE="es").content.decode()

    for version in [first, second]:
        assert f'Activate<span class="visually-hidden"> version {version.pk}</span></button>' in html
        assert f'Activar<span class="visually-hidden"> versión {version.pk}</span></button>' in spanish
    assert "<th></th>" not in html
    assert '<th><span class="visually-hidden">Actions</span></th>' in html


def test_the_staff_page_rounds_float_metrics_and_keeps_other_values() -> None:
    ModelVersionFactory(
        status=ModelVersion.Status.ACTIVE,
        metrics={"holdout_rmse": 0.9414671659469604, "ratings": 100000, "note": "warm start"},
        training_seconds=12.3456789,
    )

    html = staff_client().get(reverse("staff-status")).content.decode()
    spanish = staff_client().get(reverse("staff-status"), HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert "0.9414671659469604" not in html
    # jsonb on PostgreSQL keeps its own key order: each metric on its own.
    for shown in ["holdout_rmse 0.9415", "ratings 100000", "note warm start"]:
        assert shown in html
    assert "<td>12.3457</td>" in html
    assert "holdout_rmse 0,9415" in spanish


def test_the_staff_page_tables_scroll_inside_the_page() -> None:
    ModelVersionFactory(status=ModelVersion.Status.ACTIVE)

    html = staff_client().get(reverse("staff-status")).content.decode()

    assert html.count('<div class="table-scroll">\n  <table>') == html.count("<table>") == 2


def some_dataset_ratings() -> None:
    from tests.factories import DatasetRatingFactory, MovieFactory

    films = [MovieFactory() for _ in range(4)]
    for rater in range(1, 6):
        for film in films:
            DatasetRatingFactory(rater_id=rater, movie=film, score=float(1 + (rater + film.pk) % 5))


def test_the_staff_page_says_when_this_process_cannot_serve_the_active_version() -> None:
    from pathlib import Path

    from recommender.registry import registry

    some_dataset_ratings()
    services.collaborative_retrain()
    good = ModelVersion.objects.get(kind="collaborative", status="active")
    assert registry.active().svd.version_id == good.pk  # type: ignore[union-attr]
    services.collaborative_retrain(force=True)
    broken = ModelVersion.objects.get(kind="collaborative", status="active")
    Path(broken.artifact_path).write_bytes(b"not what was trained")

    page = staff_client().get(reverse("staff-status")).content.decode()
    assert f"could not load collaborative (SVD) v{broken.pk}" in page
    assert f"still serves v{good.pk}" in page

    registry.reset()  # a process started since: nothing loaded before the broken version
    page = staff_client().get(reverse("staff-status")).content.decode()
    assert "serves no model of this kind" in page


def test_the_staff_page_raises_no_alarm_right_after_a_rollback(settings: Any) -> None:
    settings.RECOMMENDER_REGISTRY_CHECK_SECONDS = 3600
    some_dataset_ratings()
    services.collaborative_retrain()
    older = ModelVersion.objects.get(kind="collaborative", status="active")
    services.collaborative_retrain(force=True)
    client = staff_client()
    assert b"could not load" not in client.get(reverse("staff-status")).content

    response = client.post(reverse("staff-activate", args=[older.pk]), follow=True)

    assert b"could not load" not in response.content


@pytest.mark.django_db(transaction=True)  # the request runs in autocommit, as served
def test_in_embedded_mode_a_retrain_that_trained_nothing_says_so(settings: Any, charts_not_drawn: None) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    some_dataset_ratings()
    client = staff_client()
    first = client.post(reverse("staff-retrain"), {"kind": "collaborative"}, follow=True)
    assert b"its version is listed below" in first.content

    response = client.post(reverse("staff-retrain"), {"kind": "collaborative"}, follow=True)

    assert b"and trained nothing: the data is unchanged" in response.content
    assert b"its version is listed below" not in response.content


@pytest.mark.django_db(transaction=True)  # the request runs in autocommit, as served
def test_in_embedded_mode_a_retrain_that_failed_says_so(settings: Any, tmp_path: Any) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    some_dataset_ratings()
    settings.MODEL_ARTIFACTS_DIR = str(tmp_path / "not-a-directory")
    (tmp_path / "not-a-directory").write_text("")

    response = staff_client().post(reverse("staff-retrain"), {"kind": "collaborative"}, follow=True)

    assert b"and failed: the error is on its version below" in response.content
    assert b"File exists" in response.content


@pytest.fixture
def beat_mark() -> Iterator[Callable[[float | None], None]]:
    from django.core.cache import cache

    from moviesite.beat_liveness import BEAT_SEEN_KEY

    def seen_seconds_ago(seconds: float | None) -> None:
        if seconds is None:
            cache.delete(BEAT_SEEN_KEY)
        else:
            cache.set(BEAT_SEEN_KEY, time.time() - seconds, timeout=None)

    yield seen_seconds_ago
    cache.delete(BEAT_SEEN_KEY)


def test_the_staff_page_says_when_beat_was_last_seen(beat_mark: Callable[[float | None], None]) -> None:
    beat_mark(30)
    page = staff_client().get(reverse("staff-status")).content.decode()
    assert re.search(r"was last seen 3\d seconds ago\.", page)  # 30, or a little more on a slow machine
    assert "not running" not in page

    beat_mark(600)
    page = staff_client().get(reverse("staff-status")).content.decode()
    assert re.search(r"Beat was last seen 6\d\d seconds ago: the scheduled retrains and rating-figure refreshes", page)

    beat_mark(None)
    page = staff_client().get(reverse("staff-status"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "No se ha visto a beat" in page
