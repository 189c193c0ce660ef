"""Helpers shared by the benchmarks: timing, peak memory of a child process,
percentiles, machine information and scratch PostgreSQL databases / Redis dbs.

Environment (all optional):
- BENCH_ADMIN_DATABASE_URL: a PostgreSQL URL allowed to CREATE/DROP databases
  (default: the `postgres` database on DATABASE_URL's server, else
  postgres://postgres@127.0.0.1:5432/postgres);
- BENCH_DB_PREFIX: prefix of every scratch database name (default
  `<DATABASE_URL's database>_bench`, else moviesite_bench);
- BENCH_REDIS_URL: the Redis database the serving benchmarks may flush
  (default redis://127.0.0.1:6379/7); nothing else in Redis is touched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import platform
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO_DIR = Path(__file__).resolve().parent.parent
VENV_BIN = REPO_DIR / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")


def _default_admin_url_and_prefix() -> tuple[str, str]:
    # With DATABASE_URL set (CI, a helper's own database), scratch databases sit
    # next to it and are named after it, so a benchmark never touches others'.
    configured = urlsplit(os.environ.get("DATABASE_URL", ""))
    if configured.scheme.startswith("postgres") and configured.path.strip("/"):
        admin = urlunsplit((configured.scheme, configured.netloc, "/postgres", "", ""))
        return admin, f"{configured.path.strip('/')}_bench"
    return "postgres://postgres@127.0.0.1:5432/postgres", "moviesite_bench"


ADMIN_DATABASE_URL = os.environ.get("BENCH_ADMIN_DATABASE_URL") or _default_admin_url_and_prefix()[0]
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX") or _default_admin_url_and_prefix()[1]

_DB_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


# --- Timing and statistics --------------------------------------------------


@dataclass
class Stopwatch:
    started: float = field(default_factory=time.perf_counter)
    seconds: float = 0.0


@contextlib.contextmanager
def timed() -> Iterator[Stopwatch]:
    """`with timed() as watch: ...` then `watch.seconds` (wall clock)."""
    watch = Stopwatch()
    try:
        yield watch
    finally:
        watch.seconds = time.perf_counter() - watch.started


def percentile(values: Sequence[float], pct: float) -> float:
    """The pct-th percentile (0-100) with linear interpolation, like numpy's default."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency_summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/max in milliseconds of a list of durations in seconds."""
    millis = [value * 1000 for value in seconds]
    return {
        "count": len(millis),
        "p50_ms": round(percentile(millis, 50), 3),
        "p95_ms": round(percentile(millis, 95), 3),
        "p99_ms": round(percentile(millis, 99), 3),
        "max_ms": round(max(millis), 3) if millis else math.nan,
    }


def ratio(value: float | None, baseline: float | None) -> float | None:
    if value is None or not baseline or math.isnan(baseline) or math.isnan(value):
        return None
    return round(value / baseline, 3)


# --- Child processes and memory -----------------------------------------------


# Starts the measured command from a process of a few megabytes and writes the
# command's peak RSS (KiB, from wait4) to the file named by argv[1]; exits with
# the command's status (128 + signal when it was killed).
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as peak:
    peak.write(str(usage.ru_maxrss))
sys.exit(128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))
"""


@dataclass
class ChildResult:
    args: list[str]
    returncode: int
    seconds: float
    peak_rss_bytes: int
    stdout: str
    stderr: str

    @property
    def peak_rss_mb(self) -> float:
        return round(self.peak_rss_bytes / 2**20, 1)


class ChildFailed(RuntimeError):
    pass


def run_measured(
    args: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path = REPO_DIR,
    timeout: float | None = None,
    check: bool = True,
    echo: bool = False,
    live_stderr: bool = False,
) -> ChildResult:
    """Run a command; return its wall time and peak RSS (from wait4's rusage).

    ru_maxrss covers the child and the descendants it waited for, so a
    `manage.py` command that forks workers is measured as its largest process.
    Linux also counts the memory a child inherits at fork, before its exec, so
    the command is started by a small launcher process (`_LAUNCHER`) and its
    peak is read there: a large parent (pytest, a benchmark driver) does not
    inflate the figure. Output goes through temporary files, so a chatty child
    never blocks on a pipe; with live_stderr the child's progress goes straight
    to this process's stderr.
    """
    with (
        tempfile.TemporaryFile("w+") as out,
        tempfile.TemporaryFile("w+") as err,
        tempfile.NamedTemporaryFile("r", suffix=".maxrss") as peak_file,
    ):
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-S", "-c", _LAUNCHER, peak_file.name, *args],
            cwd=cwd,
            env=dict(env) if env else None,
            stdout=out,
            stderr=None if live_stderr else err,
            start_new_session=True,
        )
        deadline = None if timeout is None else started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        reported = peak_file.read().strip()
        out.seek(0)
        err.seek(0)
        result = ChildResult(
            args=list(args),
            returncode=process.returncode,
            seconds=seconds,
            peak_rss_bytes=int(reported or usage.ru_maxrss) * 1024,
            stdout=out.read(),
            stderr=err.read(),
        )
    if echo:
        sys.stdout.write(result.stdout)
    if check and result.returncode != 0:
        tail = (result.stderr or result.stdout)[-3000:]
        raise ChildFailed(f"{' '.join(args)} exited with {result.returncode} after {seconds:.1f}s:\n{tail}")
    return result


def rss_bytes(pid: int) -> int:
    """Resident set size of one live process (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return 0


def child_pids(pid: int) -> list[int]:
    """Direct children of a live process (gunicorn's workers, for its master)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return [int(value) for value in children.read().split()]
    except FileNotFoundError:
        return []


# --- Machine ----------------------------------------------------------------------


def _meminfo_bytes(key: str) -> int | None:
    with contextlib.suppress(OSError), open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith(f"{key}:"):
                return int(line.split()[1]) * 1024
    return None


def postgres_version(url: str = ADMIN_DATABASE_URL) -> str:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3) as connection:
            return str(connection.execute("SHOW server_version").fetchone()[0])
    except psycopg.Error as exc:
        return f"unreachable ({type(exc).__name__})"


def redis_version(url: str = REDIS_URL) -> str:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
        return str(client.info("server")["redis_version"])
    except redis.RedisError as exc:
        return f"unreachable ({type(exc).__name__})"


def machine_info() -> dict[str, Any]:
    load1, load5, load15 = os.getloadavg()
    memory = _meminfo_bytes("MemTotal")
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "memory_gb": round(memory / 2**30, 1) if memory else None,
        "cpu": _cpu_model(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "postgresql": postgres_version(),
        "redis": redis_version(),
        "load_average": [round(load1, 2), round(load5, 2), round(load15, 2)],
    }


def _cpu_model() -> str:
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


# --- Scratch services ---------------------------------------------------------------


def database_url_for(name: str, base: str = ADMIN_DATABASE_URL) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


@contextlib.contextmanager
def scratch_database(suffix: str, *, keep: bool = False) -> Iterator[str]:
    """A fresh PostgreSQL database named `<BENCH_DB_PREFIX>_<suffix>`; dropped afterwards.

    Yields its URL. Only databases with the prefix are ever created or dropped.
    """
    import psycopg
    from psycopg import sql

    name = f"{DB_PREFIX}_{suffix}".lower()
    if not _DB_NAME.match(name):
        raise ValueError(f"{name!r} is not a usable database name (letters, digits, underscores; 63 at most)")

    def _drop(connection: psycopg.Connection[Any]) -> None:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True, connect_timeout=5) as connection:
        _drop(connection)
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield database_url_for(name)
    finally:
        if not keep:
            with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True, connect_timeout=5) as connection:
                _drop(connection)


@contextlib.contextmanager
def scratch_redis(url: str = REDIS_URL) -> Iterator[str]:
    """Empty the one Redis database of `url` before and after (FLUSHDB, never FLUSHALL)."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


def production_env(
    *, database_url: str, redis_url: str, var_dir: Path, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Environment of a production-settings process on plain-HTTP loopback.

    A fresh random secret key, DEBUG off, HTTPS redirects and secure cookies off
    (there is no TLS on loopback), the API throttles raised far above what a
    benchmark sends (throttling itself still runs on every request, in Redis).
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "moviesite.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_hex(32),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "MOVIESITE_VAR_DIR": str(var_dir),
            "API_THROTTLE_ANON": "10000000/minute",
            "API_THROTTLE_USER": "10000000/minute",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra or {})
    return env


def manage(
    args: Sequence[str], *, env: Mapping[str, str], timeout: float | None = None, echo: bool = False
) -> ChildResult:
    return run_measured([PYTHON, "manage.py", *args], env=env, timeout=timeout, echo=echo)


# --- Output ---------------------------------------------------------------------


def say(message: str) -> None:
    """Progress on stderr, so a benchmark's stdout stays its figures."""
    sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()
