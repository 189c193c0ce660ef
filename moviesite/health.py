"""/healthz: is every part the site needs reachable, and which models serve?"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from moviesite.beat_liveness import beat_state
from recommender.selectors import active_model_versions_summary

logger = logging.getLogger(__name__)


def _check(fn: Any) -> dict[str, Any]:
    """One probe. A failure is named by its kind only: the answer is public, and a driver's message
    carries host names, ports and user names. The whole message goes to the log, on one line."""
    started = time.perf_counter()
    try:
        detail = fn()
    except Exception as exc:  # noqa: BLE001 - any failure means the part is down
        logger.warning("healthz: %s check failed: %s: %s", fn.__name__.strip("_"), type(exc).__name__, exc)
        return {"ok": False, "error": type(exc).__name__}
    result: dict[str, Any] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    if detail:
        result.update(detail)
    return result


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


# Each probe of a network service gives up after this long, so /healthz answers
# within about two seconds even when Redis accepts connections but never replies.
PROBE_TIMEOUT_SECONDS = 0.5


def _cache() -> dict[str, Any]:
    key = "healthz:probe"
    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=PROBE_TIMEOUT_SECONDS, socket_timeout=PROBE_TIMEOUT_SECONDS
        )
        try:
            client.ping()
        finally:
            client.close()
        return {"backend": "redis"}
    cache.set(key, "ok", 5)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return what was stored")
    return {"backend": "locmem"}


def _broker() -> dict[str, Any]:
    from kombu import Connection

    timeouts = {"socket_connect_timeout": PROBE_TIMEOUT_SECONDS, "socket_timeout": PROBE_TIMEOUT_SECONDS}
    with Connection(
        settings.CELERY_BROKER_URL, connect_timeout=PROBE_TIMEOUT_SECONDS, transport_options=timeouts
    ) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=PROBE_TIMEOUT_SECONDS)
        conn.default_channel.client.ping()
        return {"transport": conn.transport_cls}


class NoWorkerAnswered(Exception):
    """No Celery worker answered a ping through the broker."""


# The worker ping reads its replies with Redis BRPOPs this long, and waits for them this long.
WORKER_PING_POLL_SECONDS = 0.1
WORKER_PING_TIMEOUT_SECONDS = PROBE_TIMEOUT_SECONDS - WORKER_PING_POLL_SECONDS


def _worker() -> dict[str, Any]:
    """A worker's main process answers control pings even while its pool trains a model.

    The ping reads its replies with a BRPOP that Redis holds for kombu's polling interval, 1 s by
    default, twice the probe's timeout. When no worker answered, the ping gave up and left that
    BRPOP pending, and the next user of the connection waited for it: the next ping on the pooled
    connection woke on its empty reply and waited its whole timeout again (about a second per
    /healthz under back-to-back checks), and closing the connection read it. So the ping has a
    connection of its own with short polls: it ends within its timeout plus a poll and Redis's
    timer tick (0.1 s each), about 0.7 s at most, and closing it has nothing left to wait for.
    """
    from moviesite.celery import app

    short_polls = {"polling_interval": WORKER_PING_POLL_SECONDS, "socket_connect_timeout": PROBE_TIMEOUT_SECONDS}
    with app.connection_for_write(connect_timeout=PROBE_TIMEOUT_SECONDS, transport_options=short_polls) as conn:
        if not app.control.ping(timeout=WORKER_PING_TIMEOUT_SECONDS, limit=1, connection=conn):
            raise NoWorkerAnswered
    return {}


def _worker_state(broker: dict[str, Any]) -> dict[str, Any]:
    """Reported, not required: the site serves without a worker (retrains and refreshes wait)."""
    if not settings.REDIS_URL:
        return {"ok": True, "mode": "eager (tasks run in-process)"}
    if not broker["ok"]:
        return {"ok": False, "error": "BrokerDown"}
    return _check(_worker)


class RecentAnswer:
    """The process's last /healthz answer, reused for HEALTHZ_CACHE_SECONDS.

    A full check queries the database, opens three Redis connections and pings
    the workers: about 7 ms in the services mode, and half a second while no
    worker answers, holding a web worker. Anyone may call /healthz,
    so without this a flood held every web worker and pinged the workers
    with every request. A limit per address is no answer: a load balancer
    must never be refused, and behind a proxy many clients share one address.
    Threads wait for the check under way instead of starting their own.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.forget()

    def forget(self) -> None:
        self.body: dict[str, Any] = {}
        self.status = 0
        self.made_at = float("-inf")

    def get_or_check(self) -> tuple[dict[str, Any], int]:
        with self.lock:
            if time.monotonic() - self.made_at >= settings.HEALTHZ_CACHE_SECONDS:
                self.body, self.status = _check_everything()
                self.made_at = time.monotonic()
            return self.body, self.status


RECENT_ANSWER = RecentAnswer()


def _check_everything() -> tuple[dict[str, Any], int]:
    checks: dict[str, Any] = {"database": _check(_database), "cache": _check(_cache)}
    if settings.REDIS_URL:
        checks["broker"] = _check(_broker)
    else:
        checks["broker"] = {"ok": True, "mode": "eager (tasks run in-process)"}
    worker = _worker_state(checks["broker"])
    try:
        models = active_model_versions_summary() if checks["database"]["ok"] else []
    except Exception:  # noqa: BLE001 - health must answer even with a broken registry
        models = []
    healthy = all(check["ok"] for check in checks.values())
    body = {
        "status": "ok" if healthy else "degraded",
        "checks": checks,
        "worker": worker,
        "beat": beat_state(cache_ok=checks["cache"]["ok"]),
        "models": models,
    }
    return body, 200 if healthy else 503


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    body, status = RECENT_ANSWER.get_or_check()
    return JsonResponse(body, status=status)
