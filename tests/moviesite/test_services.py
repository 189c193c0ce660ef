"""The real parts: PostgreSQL, Redis as broker and result backend, a Celery worker process.

Skipped on a machine without them; required (failing if missing) with
MOVIESITE_REQUIRE_SERVICES=1, as .ci/run sets.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client

from accounts.tasks import user_deactivate_task
from moviesite.beat_liveness import BEAT_SEEN_KEY
from moviesite.celery import ping
from ratings.services import rating_set
from tests.celery_worker import CELERY_BIN, PROJECT_ROOT, CeleryWorkerProcess
from tests.factories import MovieFactory, UserFactory

pytestmark = pytest.mark.services

RESULT_TIMEOUT_SECONDS = 30
RESET_MAIL_TASK_DONE = re.compile(r"Task accounts\.password_reset_mail_send\[[^\]]+\] succeeded")


def test_a_task_sent_through_redis_runs_in_the_worker_on_the_test_database(
    celery_worker_process: CeleryWorkerProcess,
) -> None:
    result = ping.delay()

    answer = result.get(timeout=RESULT_TIMEOUT_SECONDS)

    assert answer["pong"] is True
    assert answer["pid"] == celery_worker_process.pid
    assert answer["database"] == connection.settings_dict["NAME"]
    assert settings.CELERY_BROKER_URL.startswith("redis://")


def test_the_worker_changes_rows_the_test_process_then_sees(celery_worker_process: CeleryWorkerProcess) -> None:
    user = UserFactory()

    assert user_deactivate_task.delay(user.pk).get(timeout=RESULT_TIMEOUT_SECONDS) is True

    user.refresh_from_db()
    assert user.is_active is False


def test_a_restarted_worker_still_serves_the_queue(celery_worker_process: CeleryWorkerProcess) -> None:
    first_pid = celery_worker_process.pid

    celery_worker_process.kill()
    assert not celery_worker_process.alive
    celery_worker_process.restart()

    answer = ping.delay().get(timeout=RESULT_TIMEOUT_SECONDS)
    assert answer["pid"] == celery_worker_process.pid != first_pid


def test_the_worker_sends_the_password_reset_mail_of_a_known_address_and_none_for_an_unknown_one(
    celery_worker_process: CeleryWorkerProcess,
) -> None:
    """The request only queues the address: the worker looks it up and mails (to its console here)."""
    UserFactory(email="known@example.com")
    client = Client()

    unknown = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    known = client.post("/accounts/password_reset/", {"email": "known@example.com"})

    assert (known.status_code, known["Location"], known.content) == (
        unknown.status_code,
        unknown["Location"],
        unknown.content,
    )
    deadline = time.monotonic() + RESULT_TIMEOUT_SECONDS
    while time.monotonic() < deadline and len(RESET_MAIL_TASK_DONE.findall(celery_worker_process.log())) < 2:
        time.sleep(0.2)
    log = celery_worker_process.log()
    assert log.count("Subject: Reset your moviesite password") == 1, log[-3000:]
    assert "To: known@example.com" in log
    assert "nobody@example.com" not in log


@pytest.mark.django_db
def test_healthz_reports_the_real_postgresql_redis_cache_and_broker(client: Client) -> None:
    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 200, body
    assert body["checks"]["database"] == {**body["checks"]["database"], "ok": True, "vendor": "postgresql"}
    assert body["checks"]["cache"]["backend"] == "redis"
    assert body["checks"]["broker"]["ok"] is True
    assert body["checks"]["broker"]["transport"] == "redis"


def test_healthz_reports_whether_a_worker_answers_without_failing_the_site_when_none_does(
    client: Client, celery_worker_process: CeleryWorkerProcess
) -> None:
    with_worker = client.get("/healthz")

    celery_worker_process.stop()
    without_worker = client.get("/healthz")

    assert with_worker.status_code == 200 and with_worker.json()["worker"]["ok"] is True
    assert without_worker.status_code == 200, "the web serves without a worker: not a 503"
    assert without_worker.json()["worker"] == {"ok": False, "error": "NoWorkerAnswered"}
    assert without_worker.json()["status"] == "ok"


def test_beat_s_schedule_reaches_the_worker_which_folds_a_new_rating_into_its_film(
    celery_worker_process: CeleryWorkerProcess, tmp_path: Path, settings: Any
) -> None:
    """The Procfile's three roles end to end: a rating is written, a real `celery beat` process sends
    `refresh_rating_figures` through Redis on schedule, the real worker runs it on PostgreSQL."""
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as in the services mode: no refresh on commit
    cache.delete(BEAT_SEEN_KEY)
    assert Client().get("/healthz").json()["beat"] == {"ok": False, "error": "BeatNotSeen"}
    film = MovieFactory()
    rating_set(user=UserFactory(), movie=film, score=4.5)
    film.refresh_from_db()
    assert film.ratings_count == 0  # with a broker the write leaves the film to beat
    beat_env = {**celery_worker_process.env, "RATING_FIGURES_REFRESH_SECONDS": "5"}

    with (tmp_path / "beat.log").open("wb") as log:
        beat = subprocess.Popen(
            [str(CELERY_BIN), "-A", "moviesite", "beat", "--loglevel", "INFO", "-s", str(tmp_path / "schedule")],
            cwd=PROJECT_ROOT,
            env=beat_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and beat.poll() is None:
                film.refresh_from_db()
                if film.ratings_count:
                    break
                time.sleep(0.5)
        finally:
            beat.terminate()
            beat.wait(timeout=30)

    beat_log = (tmp_path / "beat.log").read_text(errors="replace")
    assert (film.ratings_count, film.ratings_average) == (1, 4.5), beat_log + celery_worker_process.log()[-3000:]
    assert "Sending due task refresh-rating-figures" in beat_log
    assert "catalog.tasks.refresh_rating_figures" in celery_worker_process.log()
    # What the beat and worker processes marked in Redis, read by the web side.
    assert Client().get("/healthz").json()["beat"]["ok"] is True
