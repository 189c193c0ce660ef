"""A real Celery worker in a subprocess, for `services` tests.

Usage (the test module imports the fixture, or lists this module in
`pytest_plugins`):

    from tests.celery_worker import celery_worker_process  # noqa: F401

    @pytest.mark.services
    def test_something(celery_worker_process):
        result = some_task.delay(...).get(timeout=30)
        celery_worker_process.kill()      # SIGKILL, like an OOM kill
        celery_worker_process.restart()   # a fresh worker on the same queue

The worker runs `celery -A moviesite worker --pool solo` with the same settings
module, secret, var/ directory and cache key prefix as the test process, against
REDIS_URL and the *test* database pytest-django created (DATABASE_URL is
rewritten to its name). Tests using it get a transactional database, so rows
they create are committed and visible to the worker. While a worker runs,
`.delay()` in the test process publishes to Redis instead of running eagerly.

`make_celery_worker(**extra_env)` starts further workers, e.g. with a short
CELERY_VISIBILITY_TIMEOUT so that a SIGKILLed task is redelivered quickly.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CELERY_BIN = PROJECT_ROOT / ".venv" / "bin" / "celery"
READY_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 20


def _database_url_for_test_database() -> str:
    from django.db import connection

    db = connection.settings_dict
    if not db["ENGINE"].endswith("postgresql"):
        raise RuntimeError("a real Celery worker needs PostgreSQL (DATABASE_URL); SQLite test databases are private")
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    return f"postgres://{credentials}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class CeleryWorkerProcess:
    """One worker subprocess; `.stop()` (warm shutdown), `.kill()` (SIGKILL), `.restart()`."""

    def __init__(self, *, log_path: Path, extra_env: dict[str, str] | None = None, pool: str = "solo") -> None:
        self.log_path = log_path
        self.pool = pool
        self.hostname = f"test-{uuid.uuid4().hex[:8]}@%h"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "tests.settings"),
            "DATABASE_URL": _database_url_for_test_database(),
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self) -> CeleryWorkerProcess:
        if self.alive:
            return self
        self.starts += 1
        log_offset = len(self.log())
        with self.log_path.open("ab") as log_file:
            self.process = subprocess.Popen(
                [
                    str(CELERY_BIN),
                    "-A",
                    "moviesite",
                    "worker",
                    "--pool",
                    self.pool,
                    "--concurrency",
                    "1",
                    "--hostname",
                    self.hostname,
                    "--loglevel",
                    "INFO",
                    "--without-gossip",
                    "--without-mingle",
                ],
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                # Own process group, so kill() takes the pool children with it.
                start_new_session=True,
            )
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if " ready." in self.log()[log_offset:]:
                return self
            if self.process.poll() is not None:
                raise RuntimeError(f"the Celery worker exited with {self.process.returncode}:\n{self.log()[-4000:]}")
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"the Celery worker was not ready in {READY_TIMEOUT_SECONDS}s:\n{self.log()[-4000:]}")

    def stop(self) -> None:
        """Warm shutdown (SIGTERM): the current task finishes; SIGKILL if it takes too long."""
        if not self.alive or self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL to the whole worker process group: no cleanup, no acknowledgement."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=STOP_TIMEOUT_SECONDS)

    def restart(self) -> CeleryWorkerProcess:
        self.stop()
        return self.start()


def _queued_messages() -> Iterator[Any]:
    """Take the messages waiting on the broker's default queue off it, one at a time, each acknowledged."""
    from moviesite.celery import app

    with app.connection_for_read() as connection:
        queue = connection.SimpleQueue(app.conf.task_default_queue)
        while True:
            try:
                message = queue.get(timeout=0.1)
            except queue.Empty:
                break
            message.ack()
            yield message
        queue.close()


def queued_task_ids() -> list[str]:
    """The ids of the tasks waiting on the broker (in memory in the embedded mode), taken off it."""
    return [message.headers["id"] for message in _queued_messages()]


def queued_tasks_run() -> list[str]:
    """Take the waiting tasks off the broker and run each here from its message, as a worker would; their names."""
    from moviesite.celery import app

    names = []
    for message in _queued_messages():
        args, kwargs, _embed = message.decode()
        names.append(message.headers["task"])
        app.tasks[message.headers["task"]].apply(args=args, kwargs=kwargs, throw=True)
    return names


@pytest.fixture
def eager(settings: Any) -> Iterator[Callable[[bool], None]]:
    """Switch between running tasks in this process and publishing them to the broker."""
    from moviesite.celery import app

    previous = app.conf.task_always_eager

    def switch(in_process: bool) -> None:
        settings.CELERY_TASK_ALWAYS_EAGER = in_process
        app.conf.task_always_eager = in_process

    yield switch
    app.conf.task_always_eager = previous
    queued_task_ids()


def _use_the_broker() -> Callable[[], None]:
    """Make `.delay()` publish to Redis in this process; returns the undo."""
    from moviesite.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    return lambda: setattr(app.conf, "task_always_eager", previous)


@pytest.fixture
def make_celery_worker(
    transactional_db: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., CeleryWorkerProcess]]:
    from moviesite.celery import app

    workers: list[CeleryWorkerProcess] = []
    undo = _use_the_broker()
    # Messages left in the queue by an earlier run would otherwise run here.
    app.control.purge()
    log_dir = tmp_path_factory.mktemp("celery-worker")

    def make(**extra_env: Any) -> CeleryWorkerProcess:
        worker = CeleryWorkerProcess(
            log_path=log_dir / f"worker-{len(workers)}.log", extra_env={k: str(v) for k, v in extra_env.items()}
        )
        workers.append(worker)
        return worker.start()

    yield make
    for worker in workers:
        worker.stop()
    undo()


@pytest.fixture
def celery_worker_process(make_celery_worker: Callable[..., CeleryWorkerProcess]) -> CeleryWorkerProcess:
    return make_celery_worker()
