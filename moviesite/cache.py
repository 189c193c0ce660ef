"""A Redis cache that degrades to a miss when Redis is unreachable.

The cache only speeds things up; if Redis stops, pages must still render. Reads
return the default, writes are dropped, and a warning is logged (at most once
a minute, so a long outage does not flood the log).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache
from django.utils.connection import ConnectionProxy
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
T = TypeVar("T")
_last_warning = 0.0


def _tolerant(default: Any) -> Callable[[Callable[..., T]], Callable[..., T]]:
    def decorate(method: Callable[..., T]) -> Callable[..., T]:
        def wrapper(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> T:
            global _last_warning
            try:
                return method(self, *args, **kwargs)
            except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
                now = time.monotonic()
                if now - _last_warning > 60:
                    _last_warning = now
                    logger.warning("cache unavailable, serving without it: %s", exc)
                if method.__name__ == "get":
                    # get(key, default): callers such as DRF's throttles pass the default positionally.
                    return args[1] if len(args) > 1 else kwargs.get("default", default)  # type: ignore[no-any-return]
                return default  # type: ignore[no-any-return]

        wrapper.__name__ = method.__name__
        return wrapper

    return decorate


class ResilientRedisCache(RedisCache):
    @functools.cached_property
    def _write_client(self) -> Any:
        """One client on the write pool, kept: Django builds a new Redis client per call (0.05 ms each)."""
        return self._cache.get_client(None, write=True)

    @_tolerant(None)
    def count_in_window(self, key: str, timeout: int) -> int:
        """Add one to a counter that lives `timeout` seconds, in one round trip (INCR and EXPIRE pipelined).

        No MULTI/EXEC around the two: INCR is atomic on its own, and an EXPIRE
        that lands a moment apart from it changes nothing a window counts.
        """
        full_key = self.make_and_validate_key(key)
        with self._write_client.pipeline(transaction=False) as pipe:
            pipe.incr(full_key)
            pipe.expire(full_key, timeout)
            count, _expiry_set = pipe.execute()
        return int(count)

    get = _tolerant(None)(RedisCache.get)
    set = _tolerant(None)(RedisCache.set)
    add = _tolerant(False)(RedisCache.add)
    delete = _tolerant(False)(RedisCache.delete)
    get_many = _tolerant({})(RedisCache.get_many)
    set_many = _tolerant([])(RedisCache.set_many)
    delete_many = _tolerant(None)(RedisCache.delete_many)
    incr = _tolerant(None)(RedisCache.incr)
    touch = _tolerant(False)(RedisCache.touch)
    has_key = _tolerant(False)(RedisCache.has_key)
    clear = _tolerant(None)(RedisCache.clear)


def count_in_window(cache: BaseCache, key: str, timeout: int) -> int | None:
    """Add one to a short-lived counter and return it; None when the cache cannot count right now."""
    if isinstance(cache, ConnectionProxy):
        # django.core.cache.cache (DRF's throttles hold it): the proxy is no
        # backend instance, so resolve the backend it stands for.
        cache = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(cache, ResilientRedisCache):
        return cache.count_in_window(key, timeout)
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        return None
