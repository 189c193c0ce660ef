"""Issue 9, item 12: with Redis gone the site keeps serving, saves ratings and loses no retrain.

The site (gunicorn) runs against a redis-server of this test's own, which the
test kills: the machine's shared Redis is never touched. Every request is
timed: none may hang on the missing broker or cache.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import redis
from knox.models import AuthToken

from ratings.models import Rating
from recommender import services
from recommender.models import PendingTask
from recommender.serving import recommendations_for_user
from tests.factories import RatingFactory, StaffUserFactory, UserFactory
from tests.reliability.conftest import (
    PROJECT_ROOT,
    SERVER_SETTINGS_MODULE,
    PrivateRedis,
    WebServer,
    database_url_of_test_database,
    ratings_world,
    wait_until,
)

pytestmark = pytest.mark.services

# No request may take longer than this with Redis down (the publish and probe timeouts are below a second).
REQUEST_BUDGET_SECONDS = 3.0


def _timed(server: WebServer, method: str, path: str, **kwargs: Any) -> Any:
    started = time.monotonic()
    response = server.request(method, path, timeout=REQUEST_BUDGET_SECONDS * 3, **kwargs)
    elapsed = time.monotonic() - started
    assert elapsed < REQUEST_BUDGET_SECONDS, f"{method} {path} took {elapsed:.2f}s with Redis down"
    return response


def _token(user: Any) -> dict[str, str]:
    _instance, token = AuthToken.objects.create(user=user)
    return {"Authorization": f"Token {token}"}


def _dispatch_outbox(redis_url: str) -> int:
    """What beat's dispatch_pending_tasks does once Redis is back, run in a process pointed at it."""
    code = (
        "import django; django.setup()\n"
        "from recommender.tasks import dispatch_pending_tasks\n"
        "print(dispatch_pending_tasks.apply().get())\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SERVER_SETTINGS_MODULE,
        "DATABASE_URL": database_url_of_test_database(),
        "REDIS_URL": redis_url,
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return int(result.stdout.strip().splitlines()[-1])


def _queued_task_names(redis_url: str) -> list[str]:
    client = redis.Redis.from_url(redis_url)
    try:
        return [json.loads(message)["headers"]["task"] for message in client.lrange("celery", 0, -1)]
    finally:
        client.close()


def test_with_redis_killed_the_site_serves_saves_ratings_and_keeps_the_retrain_request(
    private_redis: PrivateRedis, make_web_server: Callable[..., WebServer], tmp_path: Path, charts_not_drawn: None
) -> None:
    movies = ratings_world(films=60, raters=60, per_rater=25)
    user = UserFactory()
    for movie in movies[:4]:
        RatingFactory(user=user, movie=movie, score=5.0)
    services.collaborative_retrain(params={"n_epochs": 5})
    user_headers, staff_headers = _token(user), _token(StaffUserFactory())
    server = make_web_server(REDIS_URL=private_redis.url())
    # Warm up (first request imports the URLconf and loads the models) while Redis is there.
    assert server.request("GET", "/healthz", timeout=60).status_code == 200
    assert server.request("GET", "/api/v1/me/recommendations/", headers=user_headers, timeout=60).status_code == 200

    private_redis.kill()

    assert _timed(server, "GET", "/").status_code == 200
    search = _timed(server, "GET", "/films/", params={"q": "Reliability film 1"})
    assert search.status_code == 200
    assert "Reliability film 1" in search.text
    assert _timed(server, "GET", f"/films/{movies[5].pk}/").status_code == 200
    rated = _timed(
        server, "POST", "/api/v1/me/ratings/", json={"film": movies[50].pk, "score": 4.5}, headers=user_headers
    )
    assert rated.status_code == 201, server.log()[-5000:]
    assert Rating.objects.get(user=user, movie=movies[50]).score == 4.5
    recommended = _timed(server, "GET", "/api/v1/me/recommendations/", headers=user_headers)
    assert recommended.status_code == 200, recommended.text
    # The web process serves from the model it loaded: the same list this process computes from it.
    expected = [item.movie_id for item in recommendations_for_user(user=user, limit=10)]
    assert [item["film"]["id"] for item in recommended.json()] == expected != []
    retrain = _timed(server, "POST", "/api/v1/retrain/", json={"kind": "collaborative"}, headers=staff_headers)
    assert retrain.status_code == 202, retrain.text
    assert retrain.json()["queued"] == "outbox"
    pending = PendingTask.objects.get()
    assert (pending.task_name, pending.dispatched_at) == ("recommender.tasks.retrain_collaborative", None)
    health = _timed(server, "GET", "/healthz")
    assert health.status_code == 503
    assert health.json()["checks"]["broker"]["ok"] is False
    assert health.json()["checks"]["database"]["ok"] is True

    # Redis comes back on the same address; the outbox goes out.
    revived = PrivateRedis(tmp_path / "redis-revived.log")
    revived.port = private_redis.port
    revived.start()
    try:
        assert _dispatch_outbox(revived.url()) == 1
        assert _queued_task_names(revived.url()) == ["recommender.tasks.retrain_collaborative"]
        pending.refresh_from_db()
        assert pending.dispatched_at is not None
        # The same web process, never restarted, is healthy and publishes straight to the broker again.
        assert server.request("GET", "/healthz").status_code == 200
        again = _timed(server, "POST", "/api/v1/retrain/", json={"kind": "collaborative"}, headers=staff_headers)
        assert again.json()["queued"] == "broker", again.text
        assert len(_queued_task_names(revived.url())) == 2
    finally:
        revived.kill()


def test_with_redis_killed_a_password_reset_answers_in_time_and_the_known_address_still_gets_its_mail(
    private_redis: PrivateRedis, make_web_server: Callable[..., WebServer]
) -> None:
    """The reset mail is a task's; with no broker to take it the web process sends it rather than lose it."""
    UserFactory(email="known@example.com")
    server = make_web_server(REDIS_URL=private_redis.url())
    form = server.request("GET", "/accounts/password_reset/", timeout=60)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert csrf is not None

    private_redis.kill()
    answers = [
        _timed(
            server,
            "POST",
            "/accounts/password_reset/",
            data={"csrfmiddlewaretoken": csrf.group(1), "email": address},
            allow_redirects=False,
        )
        for address in ("nobody@example.com", "known@example.com")
    ]

    assert [(answer.status_code, answer.headers["Location"]) for answer in answers] == [
        (302, "/accounts/password_reset/done/")
    ] * 2
    wait_until(lambda: "To: known@example.com" in server.log(), timeout=10, what="the reset mail", log=server.log)
    assert "broker unavailable, accounts.password_reset_mail_send runs in this process" in server.log()
    assert "nobody@example.com" not in server.log()
