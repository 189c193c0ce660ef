"""The embedded mode runs beat's schedule in a thread of the development server (moviesite.embedded_beat)."""

from __future__ import annotations

import http.client
import io
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from knox.models import AuthToken

from accounts.management.commands.serve_embedded import Command as ServeEmbedded
from moviesite.celery import app
from moviesite.embedded_beat import embedded_beat_start
from tests.factories import UserFactory
from tests.moviesite.test_procfile import PROJECT_ROOT, free_port


@pytest.fixture
def beat_schedule_restored() -> Iterator[None]:
    saved = app.conf.beat_schedule
    yield
    app.conf.beat_schedule = saved


@pytest.mark.django_db(transaction=True)
def test_a_due_task_runs_eagerly_in_the_beat_thread(tmp_path: Path, beat_schedule_restored: None) -> None:
    """The real Celery scheduler and the real task, on the real database: an expired token is swept."""
    user = UserFactory()
    expired, _ = AuthToken.objects.create(user=user)
    AuthToken.objects.filter(pk=expired.pk).update(expiry=timezone.now() - timedelta(hours=1))
    current, _ = AuthToken.objects.create(user=user)
    schedule = {"sweep": {"task": "accounts.expired_tokens_delete", "schedule": timedelta(seconds=0.2)}}

    beat = embedded_beat_start(app, schedule_filename=tmp_path / "schedule", schedule=schedule)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and AuthToken.objects.filter(pk=expired.pk).exists():
            time.sleep(0.1)
    finally:
        beat.stop()

    assert not beat.is_alive()
    assert list(AuthToken.objects.values_list("pk", flat=True)) == [current.pk]


def test_a_schedule_naming_an_unknown_task_is_refused_before_beat_starts(
    tmp_path: Path, beat_schedule_restored: None
) -> None:
    """Beat would send an unknown task to the embedded mode's in-memory broker, where nothing reads it."""
    schedule = {"typo": {"task": "recommender.tasks.retrain_colaborative", "schedule": timedelta(minutes=1)}}

    with pytest.raises(RuntimeError, match=r"recommender\.tasks\.retrain_colaborative"):
        embedded_beat_start(app, schedule_filename=tmp_path / "schedule", schedule=schedule)
    assert not (tmp_path / "schedule").exists()


def test_the_services_mode_gets_no_embedded_beat(tmp_path: Path, beat_schedule_restored: None) -> None:
    app.conf.task_always_eager = False
    try:
        with pytest.raises(RuntimeError, match="embedded mode only"):
            embedded_beat_start(app, schedule_filename=tmp_path / "schedule")
    finally:
        app.conf.task_always_eager = True


def test_serving_in_the_services_mode_starts_no_beat_thread(settings: Any) -> None:
    """There the Procfile's beat process sends the schedule to the worker; a second beat would run it twice."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    output = io.StringIO()

    ServeEmbedded(stdout=output)._beat_start()

    assert "Beat: not started here" in output.getvalue()
    assert not any(thread.name == "embedded-beat" for thread in threading.enumerate())


def _embedded_env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({"DJANGO_DEBUG": "1", "MOVIESITE_VAR_DIR": str(tmp_path / "var")})
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def test_make_run_s_server_serves_and_runs_beat_s_schedule(tmp_path: Path) -> None:
    """`manage.py serve_embedded` (make run): the site answers and beat keeps its schedule under the var directory."""
    env = _embedded_env(tmp_path)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=PROJECT_ROOT, env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve_embedded", f"127.0.0.1:{port}", "--noreload"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status = None
        deadline = time.monotonic() + 60
        while status is None and time.monotonic() < deadline and server.poll() is None:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/healthz")
                status = connection.getresponse().status
            except OSError:
                time.sleep(0.2)
        schedule_files = list((tmp_path / "var").glob("celerybeat-schedule-embedded*"))
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)

    assert status == 200, output
    assert "Beat: running its schedule in this process" in output
    assert "retrain-when-enough-new-ratings" in output
    assert schedule_files, output
