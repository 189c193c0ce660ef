"""Shared parts of the fault tests: a ratings world, free ports, a private Redis, a gunicorn site.

The fault tests break real things (a worker, Redis, PostgreSQL connections, an
import process), so most of them run the site and the worker as subprocesses
against the test database and talk to them over loopback, like production does.
The machine's shared Redis is never stopped: the Redis-down test starts its own
redis-server on a free port and kills that one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import requests

from catalog.models import Genre, Movie
from ratings.models import DatasetRating
from tests.recommender_state import fresh_recommender_state, recommender_ttls_off  # noqa: F401 - autouse

PROJECT_ROOT = Path(__file__).resolve().parents[2]
GUNICORN_BIN = PROJECT_ROOT / ".venv" / "bin" / "gunicorn"
# The web process: the test settings, but tasks go to the broker (never in-process).
SERVER_SETTINGS_MODULE = "tests.reliability.fault_settings"
READY_TIMEOUT_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ratings_world(*, films: int = 120, raters: int = 150, per_rater: int = 40, seed: int = 7) -> list[Movie]:
    """Films and MovieLens-style ratings with two taste groups, enough for a holdout RMSE.

    Raters with an even id love the first half of the films and dislike the
    rest; odd raters the opposite. Written in bulk: the point is the fault, not the factory.
    """
    drama, _ = Genre.objects.get_or_create(name="Drama", defaults={"tmdb_id": 18})
    movies = Movie.objects.bulk_create(
        Movie(
            tmdb_id=700000 + index,
            imdb_id=f"tt{8000000 + index:07d}",
            title=f"Reliability film {index}",
            original_title=f"Reliability film {index}",
            overview="A film for the fault tests.",
            release_year=1990 + index % 30,
            runtime=100,
            popularity=float(index % 17),
            vote_count=100 + index,
            vote_average=5.0 + (index % 5),
            original_language="en",
        )
        for index in range(films)
    )
    for movie in movies:
        movie.genres.add(drama)
    rng = np.random.default_rng(seed)
    half = films // 2
    rows = []
    for rater in range(1, raters + 1):
        for film_index in rng.choice(films, size=per_rater, replace=False):
            liked = (film_index < half) == (rater % 2 == 0)
            score = float(np.clip(np.round(((4.5 if liked else 1.5) + rng.normal(0, 0.5)) * 2) / 2, 0.5, 5.0))
            rows.append(
                DatasetRating.keyed(
                    source=DatasetRating.Source.MOVIELENS,
                    rater_id=rater,
                    movie=movies[int(film_index)],
                    score=score,
                    rated_at=1_000_000_000 + rater,
                )
            )
    DatasetRating.objects.bulk_create(rows, batch_size=5000)
    return movies


def database_url_of_test_database() -> str:
    from tests.celery_worker import _database_url_for_test_database

    return _database_url_for_test_database()


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log_path: Path, what: str) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = log_path.read_text(errors="replace")[-4000:]
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{log}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on {port} in {READY_TIMEOUT_SECONDS}s")


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


class PrivateRedis:
    """A redis-server of this test's own on a free loopback port, nothing persisted."""

    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> PrivateRedis:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        with self.log_path.open("ab") as log_file:
            self.process = subprocess.Popen(
                [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_for_port(self.port, self.process, self.log_path, "redis-server")
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path / "redis.log").start()
    yield server
    server.kill()


class WebServer:
    """gunicorn serving the site on a free port, on the test database."""

    def __init__(self, *, log_path: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None
        self.session = requests.Session()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pids(self) -> set[int]:
        """The master and its workers (a worker the test sees must be the same one later)."""
        if self.process is None:
            return set()
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {self.process.pid, *(int(pid) for pid in children.read_text().split())}

    def start(self) -> WebServer:
        with self.log_path.open("ab") as log_file:
            self.process = subprocess.Popen(
                [
                    str(GUNICORN_BIN),
                    "moviesite.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "1",
                    "--threads",
                    "4",
                    "--timeout",
                    "30",
                ],
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_for_port(self.port, self.process, self.log_path, "gunicorn")
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def request(self, method: str, path: str, *, timeout: float = 10, **kwargs: Any) -> requests.Response:
        return self.session.request(method, self.base_url + path, timeout=timeout, **kwargs)

    def stop(self) -> None:
        # Keep-alive connections left open hold gunicorn's graceful stop for about two seconds.
        self.session.close()
        _stop(self.process)


@pytest.fixture
def make_web_server(transactional_db: None, tmp_path: Path) -> Iterator[Callable[..., WebServer]]:
    servers: list[WebServer] = []

    def make(**extra_env: str) -> WebServer:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SERVER_SETTINGS_MODULE,
            "DATABASE_URL": database_url_of_test_database(),
            "PYTHONUNBUFFERED": "1",
            **extra_env,
        }
        server = WebServer(log_path=tmp_path / f"gunicorn-{len(servers)}.log", env=env)
        servers.append(server)
        return server.start()

    yield make
    for server in servers:
        server.stop()


def wait_until(
    predicate: Callable[[], Any],
    *,
    timeout: float,
    interval: float = 0.2,
    what: str,
    log: Callable[[], str] | None = None,
) -> Any:
    """The predicate's first truthy value; on timeout an AssertionError with the tail of `log`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    tail = f"\n{log()[-4000:]}" if log else ""
    raise AssertionError(f"timed out after {timeout}s waiting for {what}{tail}")
