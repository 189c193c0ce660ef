"""Django's local-memory cache, keeping values as they are instead of pickled copies.

For the caches of things the site builds itself and never changes once built
(the template_fragments alias: rendered HTML fragments, film summaries).
LocMemCache pickles every value it stores and unpickles a fresh copy on every
read, and checks every key for memcached's limits: reading back the twenty
summaries of a search page or the ten of a recommendations list that way cost
about 7% of a recommendations call (py-spy, in process on PostgreSQL), more
than the dictionary lookups it stands for. Here a read is a lookup under the
cache's lock, and `get_many` takes the lock once.

What stays LocMemCache's: expiry (a timeout of 0 keeps nothing), MAX_ENTRIES
and CULL_FREQUENCY, one store per LOCATION shared by the process's threads,
`clear()`. The price of no copy: a caller must not change a value it read.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from threading import Lock
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache


class InProcessCache(LocMemCache):
    # LocMemCache's own state and helpers, which django-stubs does not declare.
    _cache: OrderedDict[str, Any]
    _lock: Lock
    _has_expired: Callable[[str], bool]
    _delete: Callable[[str], bool]
    _set: Callable[[str, Any, Any], None]

    def validate_key(self, key: str) -> None:
        """The site's own keys are short and plain; memcached's limits do not apply in memory."""

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._set(key, value, timeout)
                return True
            return False

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            return self._get_locked(key, default)

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        missing = object()
        made = {self.make_and_validate_key(key, version=version): key for key in keys}
        found = {}
        with self._lock:
            for made_key, key in made.items():
                value = self._get_locked(made_key, missing)
                if value is not missing:
                    found[key] = value
        return found

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            self._set(key, value, timeout)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                raise ValueError(f"Key '{key}' not found")
            value = self._cache[key] + delta
            self._cache[key] = value
            self._cache.move_to_end(key, last=False)
        return value

    def _get_locked(self, key: str, default: Any) -> Any:
        if self._has_expired(key):
            self._delete(key)
            return default
        self._cache.move_to_end(key, last=False)
        return self._cache[key]
