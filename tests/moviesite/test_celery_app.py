from __future__ import annotations

from django.conf import settings

from moviesite.celery import app, ping


def test_the_celery_app_reads_the_reliability_settings_from_django() -> None:
    conf = app.conf

    assert conf.task_serializer == conf.result_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    visibility = conf.broker_transport_options["visibility_timeout"]
    assert conf.task_soft_time_limit < conf.task_time_limit < visibility


def test_tasks_run_in_process_in_the_embedded_mode(db: None) -> None:
    assert settings.CELERY_TASK_ALWAYS_EAGER is True

    result = ping.delay().get(timeout=5)

    assert result["pong"] is True
