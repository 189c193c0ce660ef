"""Training runs, the registry switch and what a serving process does with a bad artifact."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import IntegrityError, transaction

from recommender import services
from recommender.models import ModelVersion, PendingTask
from recommender.registry import registry
from recommender.serving import recommendations_for_user, similar_movies
from tests.factories import DatasetRatingFactory, GenreFactory, ModelVersionFactory, MovieFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_catalog() -> list:
    """Twelve films and 30 dataset raters: raters 0-14 like films 0-5, raters 15-29 like films 6-11."""
    drama, comedy = GenreFactory(name="Drama"), GenreFactory(name="Comedy")
    films = [MovieFactory(title=f"Film {n}", genres=[drama if n < 6 else comedy]) for n in range(12)]
    for rater in range(30):
        for n, film in enumerate(films):
            if (rater + n) % 4 == 0:
                continue
            likes = (n < 6) == (rater < 15)
            DatasetRatingFactory(rater_id=rater + 1, movie=film, score=5.0 if likes else 1.5)
    return films


def active(kind: str) -> ModelVersion | None:
    return ModelVersion.objects.filter(kind=kind, status=ModelVersion.Status.ACTIVE).first()


def test_training_activates_one_version_of_each_kind(small_catalog: list) -> None:
    services.content_index_rebuild()
    trained = services.collaborative_retrain()
    assert {version.kind for version in trained} == {"collaborative", "item_neighbours"}
    for kind in ModelVersion.Kind.values:
        version = active(kind)
        assert version is not None and len(version.checksum) == 64 and Path(version.artifact_path).exists()
    assert active("collaborative").metrics["holdout_rmse"] >= 0  # type: ignore[union-attr]


def test_versions_with_the_same_id_in_two_databases_never_share_an_artifact_file() -> None:
    here, elsewhere = ModelVersionFactory.build(pk=7), ModelVersionFactory.build(pk=7)

    names = {services.artifact_name(here), services.artifact_name(elsewhere)}

    assert len(names) == 2 and all(name.startswith("collaborative-v7-") for name in names)


def test_a_retrain_on_unchanged_data_does_nothing(small_catalog: list) -> None:
    services.collaborative_retrain()
    assert services.collaborative_retrain() == []
    assert ModelVersion.objects.filter(kind="collaborative").count() == 1


def test_a_new_users_recommendations_change_right_after_one_rating(small_catalog: list) -> None:
    services.content_index_rebuild()
    services.collaborative_retrain()
    user = UserFactory()
    before = [item.movie_id for item in recommendations_for_user(user=user, limit=5)]
    from ratings.services import rating_set

    rating_set(user=user, movie=small_catalog[8], score=5.0)
    after = recommendations_for_user(user=user, limit=5)
    assert [item.movie_id for item in after] != before
    assert small_catalog[8].pk not in [item.movie_id for item in after]
    # The comedy lover's neighbours are the other comedies (films 6-11).
    assert sum(item.movie_id in {film.pk for film in small_catalog[6:]} for item in after) >= 4


def test_a_corrupt_artifact_is_refused_and_the_previous_version_keeps_serving(
    small_catalog: list, caplog: pytest.LogCaptureFixture
) -> None:
    services.collaborative_retrain()
    good = active("collaborative")
    assert registry.active().svd.version_id == good.pk  # type: ignore[union-attr]

    services.collaborative_retrain(force=True)
    tampered = active("collaborative")
    assert tampered.pk != good.pk  # type: ignore[union-attr]
    Path(tampered.artifact_path).write_bytes(b"not what was trained")  # type: ignore[union-attr]
    registry.forget()
    assert registry.active().svd.version_id == good.pk  # type: ignore[union-attr]
    assert "refused collaborative version" in caplog.text
    assert ModelVersion.objects.filter(kind="collaborative", status="active").count() == 1
    user = UserFactory()
    assert recommendations_for_user(user=user, limit=3)


def test_a_refused_artifact_is_served_once_it_is_right_again_without_a_restart(
    small_catalog: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.collaborative_retrain()
    version = active("collaborative")
    path = Path(version.artifact_path)  # type: ignore[union-attr]
    trained = path.read_bytes()
    path.write_bytes(b"half-copied")
    assert registry.active().svd is None

    path.write_bytes(trained)
    assert registry.active().svd is None, "retried before REFUSED_RETRY_SECONDS"
    monkeypatch.setattr("recommender.registry.REFUSED_RETRY_SECONDS", 0.0)
    assert registry.active().svd.version_id == version.pk  # type: ignore[union-attr]


def test_a_process_with_no_model_serves_popularity_when_the_only_artifact_is_corrupt(small_catalog: list) -> None:
    services.collaborative_retrain()
    Path(active("collaborative").artifact_path).write_bytes(b"garbage")  # type: ignore[union-attr]
    assert registry.active().svd is None
    assert len(recommendations_for_user(user=None, limit=3)) == 3


def test_a_candidate_worse_than_the_active_one_is_kept_as_rejected(small_catalog: list, settings) -> None:
    services.collaborative_retrain()
    current = active("collaborative")
    current.metrics = {**current.metrics, "holdout_rmse": 0.01}  # type: ignore[union-attr]
    current.save()  # type: ignore[union-attr]
    settings.RECOMMENDER_RMSE_TOLERANCE = 0.001
    services.collaborative_retrain(force=True)
    newest = ModelVersion.objects.filter(kind="collaborative").order_by("-id").first()
    assert newest.status == ModelVersion.Status.REJECTED  # type: ignore[union-attr]
    assert "worse than active version" in newest.error  # type: ignore[union-attr]
    assert active("collaborative").pk == current.pk  # type: ignore[union-attr]


def test_a_candidate_worse_only_within_the_tolerance_goes_live(small_catalog: list, settings) -> None:
    services.collaborative_retrain()
    current = active("collaborative")
    trained_rmse = current.metrics["holdout_rmse"]  # type: ignore[union-attr]
    current.metrics = {**current.metrics, "holdout_rmse": trained_rmse - 0.01}  # type: ignore[union-attr]
    current.save()  # type: ignore[union-attr]
    settings.RECOMMENDER_RMSE_TOLERANCE = 0.02
    services.collaborative_retrain(force=True)
    newest = ModelVersion.objects.filter(kind="collaborative").order_by("-id").first()
    # The same data and seed: the candidate is worse than the recorded figure, by less than the tolerance.
    assert trained_rmse - 0.01 < newest.metrics["holdout_rmse"] < trained_rmse + 0.01  # type: ignore[union-attr]
    assert newest.status == ModelVersion.Status.ACTIVE  # type: ignore[union-attr]
    assert newest.error == ""  # type: ignore[union-attr]


def test_the_process_that_trained_a_version_serves_it_at_once(small_catalog: list, settings) -> None:
    """Embedded mode: the retrain runs in the web process, which must not wait for its next registry check."""
    settings.RECOMMENDER_REGISTRY_CHECK_SECONDS = 300
    services.collaborative_retrain()
    first = active("collaborative")
    assert registry.active().svd.version_id == first.pk  # type: ignore[union-attr]
    services.collaborative_retrain(force=True)
    newest = active("collaborative")
    assert newest.pk != first.pk  # type: ignore[union-attr]
    assert registry.active().svd.version_id == newest.pk  # type: ignore[union-attr]


def test_staff_can_roll_back_to_an_older_version(small_catalog: list) -> None:
    services.collaborative_retrain()
    first = active("collaborative")
    services.collaborative_retrain(force=True)
    services.model_version_activate(version=first)  # type: ignore[arg-type]
    assert active("collaborative").pk == first.pk  # type: ignore[union-attr]
    assert ModelVersion.objects.filter(kind="collaborative", status="active").count() == 1


def test_a_failed_version_cannot_be_activated() -> None:
    failed = ModelVersionFactory(status=ModelVersion.Status.FAILED)
    with pytest.raises(services.RegistryError):
        services.model_version_activate(version=failed)


def test_the_database_refuses_two_active_versions_of_one_kind() -> None:
    ModelVersionFactory(status=ModelVersion.Status.ACTIVE)
    with pytest.raises(IntegrityError), transaction.atomic():
        ModelVersionFactory(status=ModelVersion.Status.ACTIVE)


def test_a_run_killed_mid_training_is_marked_failed_by_the_next_run(small_catalog: list) -> None:
    stale = ModelVersionFactory(kind="collaborative", status=ModelVersion.Status.TRAINING)
    services.collaborative_retrain()
    stale.refresh_from_db()
    assert stale.status == ModelVersion.Status.FAILED


@pytest.mark.django_db(transaction=True)
def test_a_retrain_request_goes_to_the_outbox_when_the_broker_is_down(monkeypatch: pytest.MonkeyPatch) -> None:
    from moviesite.celery import app
    from recommender import tasks

    def broker_down(*args: object, **kwargs: object) -> None:
        raise OSError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    # Services mode: tasks are published (to the in-memory broker here), not run in this process.
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    with monkeypatch.context() as broker:
        broker.setattr(tasks.retrain_collaborative, "apply_async", broker_down)
        assert services.retrain_request() is None
    pending = PendingTask.objects.get()
    assert pending.task_name == "recommender.tasks.retrain_collaborative"
    assert "Connection refused" in pending.last_error

    # The next successful publish sends what waited.
    assert services.content_index_rebuild_request() is not None
    pending.refresh_from_db()
    assert pending.dispatched_at is not None
    assert services.pending_tasks_dispatch() == 0


def test_in_embedded_mode_a_failed_training_run_is_reported_failed_not_kept_for_a_broker(
    small_catalog: list, settings, tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    services.content_index_rebuild()
    serving = active("content")
    MovieFactory(title="New film")  # new catalog data, so the rebuild really trains
    settings.MODEL_ARTIFACTS_DIR = str(tmp_path / "not-a-directory")
    (tmp_path / "not-a-directory").write_text("")

    with django_capture_on_commit_callbacks(execute=True):
        task_id = services.retrain_request(kind="content")

    assert task_id is not None
    assert not PendingTask.objects.exists()
    failed = ModelVersion.objects.filter(kind="content").latest("id")
    assert failed.status == ModelVersion.Status.FAILED
    assert "File exists" in failed.error
    assert active("content") == serving


def test_a_catalog_whose_films_share_no_feature_gets_an_index_without_neighbours() -> None:
    """A first small import (a film or two, nothing in common) must not fail the content index."""
    heist = MovieFactory(overview="A heist in Los Angeles.")
    MovieFactory(overview="")

    version = services.content_index_rebuild()

    assert version is not None and version.status == ModelVersion.Status.ACTIVE
    assert similar_movies(movie_id=heist.pk) == []


def test_a_tampered_artifact_cannot_be_activated(small_catalog: list) -> None:
    services.collaborative_retrain()
    first = active("collaborative")
    services.collaborative_retrain(force=True)
    Path(first.artifact_path).write_bytes(b"tampered")  # type: ignore[union-attr]
    with pytest.raises(services.RegistryError, match="does not match"):
        services.model_version_activate(version=first)  # type: ignore[arg-type]
    assert active("collaborative").pk != first.pk  # type: ignore[union-attr]
