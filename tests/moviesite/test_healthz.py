from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from recommender.models import ModelVersion
from tests.factories import ModelVersionFactory

pytestmark = pytest.mark.django_db

# /healthz must answer within about two seconds whatever Redis does.
HEALTHZ_DEADLINE_SECONDS = 2.5


@pytest.fixture
def closed_port() -> int:
    """A local port nothing listens on (connections are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A local port that accepts connections and never answers, like a wedged Redis."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield int(server.getsockname()[1])


def _healthz_with_redis_at(client: Client, port: int) -> tuple[int, dict, float]:
    url = f"redis://127.0.0.1:{port}/1"
    started = time.perf_counter()
    with override_settings(REDIS_URL=url, CELERY_BROKER_URL=url):
        response = client.get("/healthz")
    return response.status_code, response.json(), time.perf_counter() - started


def test_it_reports_the_database_and_cache_as_healthy(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert body["models"] == []
    assert response.headers["Cache-Control"].startswith("max-age=0")


@override_settings(REDIS_URL="")
def test_in_the_embedded_mode_tasks_run_in_process_so_no_worker_is_asked_for(client: Client) -> None:
    assert client.get("/healthz").json()["worker"] == {"ok": True, "mode": "eager (tasks run in-process)"}


def test_it_lists_the_active_model_versions_only(client: Client) -> None:
    active = ModelVersionFactory(status=ModelVersion.Status.ACTIVE)
    ModelVersionFactory(status=ModelVersion.Status.READY)

    models = client.get("/healthz").json()["models"]

    assert [entry["id"] for entry in models] == [active.pk]


def test_its_public_answer_names_the_models_without_their_figures(client: Client) -> None:
    """Found in the security round: anyone could read the rating and user counts and when the latest rating came."""
    ModelVersionFactory(
        status=ModelVersion.Status.ACTIVE,
        metrics={"holdout_rmse": 0.93},
        data_size={"n_users": 943, "fingerprint": {"site_ratings": 12, "site_latest": "2026-12-01T19:52:02+00:00"}},
    )

    (entry,) = client.get("/healthz").json()["models"]

    assert set(entry) == {"kind", "id", "activated_at"}


def test_it_answers_503_quickly_when_redis_refuses_connections(client: Client, closed_port: int) -> None:
    status, body, seconds = _healthz_with_redis_at(client, closed_port)

    assert status == 503
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["broker"]["ok"] is False
    assert body["worker"] == {"ok": False, "error": "BrokerDown"}
    assert seconds < HEALTHZ_DEADLINE_SECONDS


def test_it_answers_503_within_the_deadline_when_redis_hangs(
    client: Client, silent_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="moviesite.health"):
        status, body, seconds = _healthz_with_redis_at(client, silent_port)

    assert status == 503
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["cache"]["error"] == "TimeoutError"
    assert "broker check failed: OperationalError: Timeout" in caplog.text
    assert seconds < HEALTHZ_DEADLINE_SECONDS


def test_a_failure_is_named_without_the_services_address_which_goes_to_the_log(
    client: Client, closed_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="moviesite.health"):
        status, body, _seconds = _healthz_with_redis_at(client, closed_port)

    assert status == 503
    public = json.dumps(body)
    assert str(closed_port) not in public and "127.0.0.1" not in public
    assert body["checks"]["cache"]["error"] == "ConnectionError"
    assert str(closed_port) in caplog.text


@pytest.fixture
def beat_never_seen() -> Iterator[None]:
    from django.core.cache import cache

    from moviesite.beat_liveness import BEAT_SEEN_KEY

    cache.delete(BEAT_SEEN_KEY)
    yield
    cache.delete(BEAT_SEEN_KEY)


def test_beat_never_seen_is_reported_without_failing_the_status(client: Client, beat_never_seen: None) -> None:
    """As with the worker: the site serves without beat, scheduled work waits."""
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["beat"] == {"ok": False, "error": "BeatNotSeen"}


def test_a_task_run_directly_is_no_sign_of_beat(client: Client, beat_never_seen: None) -> None:
    from accounts.tasks import expired_tokens_delete_task

    expired_tokens_delete_task.delay()

    assert client.get("/healthz").json()["beat"]["error"] == "BeatNotSeen"


def test_a_task_sent_as_beat_sends_it_marks_beat_seen(client: Client, beat_never_seen: None) -> None:
    """Beat's Scheduler.apply_async adds this header; the task's start (task_prerun) marks beat seen."""
    from accounts.tasks import expired_tokens_delete_task

    expired_tokens_delete_task.apply_async(headers={"celery_beat_task": True})

    beat = client.get("/healthz").json()["beat"]
    # The answer itself may take a second: it waits up to 0.5 s for a worker in the services mode.
    assert beat["ok"] is True
    assert beat["seen_seconds_ago"] <= 5


@pytest.mark.django_db(transaction=True)
def test_beat_starting_marks_it_seen(client: Client, tmp_path: Path, beat_never_seen: None) -> None:
    from django.core.cache import cache

    from moviesite.beat_liveness import BEAT_SEEN_KEY
    from moviesite.celery import app
    from moviesite.embedded_beat import embedded_beat_start

    saved = app.conf.beat_schedule
    schedule = {"sweep": {"task": "accounts.expired_tokens_delete", "schedule": timedelta(hours=1)}}
    beat = embedded_beat_start(app, schedule_filename=tmp_path / "schedule", schedule=schedule)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and cache.get(BEAT_SEEN_KEY) is None:
            time.sleep(0.05)
    finally:
        beat.stop()
        app.conf.beat_schedule = saved

    assert client.get("/healthz").json()["beat"]["ok"] is True


def test_beat_is_late_once_it_missed_two_runs_of_its_shortest_interval(client: Client, beat_never_seen: None) -> None:
    from django.core.cache import cache

    from moviesite.beat_liveness import BEAT_SEEN_KEY, beat_late_after_seconds

    assert beat_late_after_seconds() == 180  # three of the shortest interval (the outbox's minute)
    cache.set(BEAT_SEEN_KEY, time.time() - 170, timeout=None)
    assert client.get("/healthz").json()["beat"]["ok"] is True

    cache.set(BEAT_SEEN_KEY, time.time() - 200, timeout=None)
    late = client.get("/healthz")

    assert late.status_code == 200
    beat = late.json()["beat"]
    assert (beat["ok"], beat["error"]) == (False, "BeatLate")
    assert 200 <= beat["seen_seconds_ago"] <= 205


def test_with_the_cache_down_beat_s_state_is_unknown(client: Client, closed_port: int) -> None:
    status, body, _ = _healthz_with_redis_at(client, closed_port)

    assert status == 503
    assert body["beat"] == {"ok": False, "error": "CacheDown"}


@pytest.fixture
def answers_reused_for(settings: Any) -> Iterator[Callable[[float], None]]:
    """Turn on the reuse of /healthz answers (off in the test settings), from a clean slate."""
    from moviesite.health import RECENT_ANSWER

    def reuse(seconds: float) -> None:
        settings.HEALTHZ_CACHE_SECONDS = seconds

    RECENT_ANSWER.forget()
    yield reuse
    RECENT_ANSWER.forget()


def test_a_flood_of_healthz_requests_checks_the_services_once(
    client: Client, answers_reused_for: Callable[[float], None]
) -> None:
    """Found in the security round: every call checked the database, Redis, the broker and pinged the workers."""
    answers_reused_for(2)
    first = client.get("/healthz")

    with CaptureQueriesContext(connection) as queries:
        flood = [client.get("/healthz") for _ in range(50)]

    assert len(queries) == 0
    assert {response.status_code for response in flood} == {first.status_code} == {200}
    assert all(response.json() == first.json() for response in flood)
    assert all(response.headers["Cache-Control"].startswith("max-age=0") for response in flood)


def test_no_caller_is_ever_refused_however_often_it_asks(
    client: Client, answers_reused_for: Callable[[float], None]
) -> None:
    """A load balancer polls from one address, often: it must never meet a 429."""
    answers_reused_for(2)

    statuses = {client.get("/healthz", REMOTE_ADDR="10.0.0.9").status_code for _ in range(300)}

    assert statuses == {200}


def test_an_answer_older_than_the_reuse_time_is_checked_again(
    client: Client, answers_reused_for: Callable[[float], None]
) -> None:
    answers_reused_for(0.2)
    assert client.get("/healthz").json()["models"] == []
    active = ModelVersionFactory(status=ModelVersion.Status.ACTIVE)
    assert client.get("/healthz").json()["models"] == [], "within the reuse time the last answer stands"

    time.sleep(0.25)

    assert [entry["id"] for entry in client.get("/healthz").json()["models"]] == [active.pk]


def test_a_degraded_answer_is_reused_too_so_an_outage_is_not_probed_by_every_request(
    client: Client, closed_port: int, answers_reused_for: Callable[[float], None]
) -> None:
    answers_reused_for(2)
    status, _body, _seconds = _healthz_with_redis_at(client, closed_port)
    assert status == 503

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/healthz")

    assert again.status_code == 503
    assert again.json()["checks"]["cache"] == {"ok": False, "error": "ConnectionError"}
    assert len(queries) == 0


@pytest.mark.services
def test_with_no_worker_back_to_back_checks_each_wait_about_the_ping_timeout_only(
    client: Client, answers_reused_for: Callable[[float], None]
) -> None:
    """Found measuring /healthz: each ping left its 1 s reply poll pending on the pooled broker connection,
    and the next ping woke on its empty reply and waited its whole timeout again: 0.9-1.0 s a check."""
    from moviesite.health import PROBE_TIMEOUT_SECONDS

    answers_reused_for(0)
    durations = []
    for _ in range(4):
        started = time.perf_counter()
        body = client.get("/healthz").json()
        durations.append(time.perf_counter() - started)
        assert body["worker"] == {"ok": False, "error": "NoWorkerAnswered"}
        time.sleep(0.1)

    # The ping's timeout, a 0.1 s poll and Redis's 0.1 s timer tick (0.7 s), and a little for the rest.
    # Most checks, not all: one slowed by a busy CI machine is not the fault this guards against
    # (every check after the first took 0.9 s or more with it).
    assert sorted(durations)[1] < PROBE_TIMEOUT_SECONDS + 0.3, [round(duration, 2) for duration in durations]
