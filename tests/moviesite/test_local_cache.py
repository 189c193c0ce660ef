from __future__ import annotations

import threading
import time

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache

from moviesite.local_cache import InProcessCache


@pytest.fixture
def cache() -> InProcessCache:
    kept = InProcessCache("test-in-process", {"OPTIONS": {"MAX_ENTRIES": 6, "CULL_FREQUENCY": 3}})
    kept.clear()
    return kept


def test_the_fragments_alias_uses_it() -> None:
    assert isinstance(caches["template_fragments"], InProcessCache)


def test_it_keeps_the_value_itself_where_locmem_keeps_a_copy(cache: InProcessCache) -> None:
    summary = {"id": 7, "genres": ["Drama"]}
    cache.set("film", summary, 60)
    assert cache.get("film") is summary
    assert cache.get_many(["film", "absent"]) == {"film": summary}
    assert cache.get_many(["film"])["film"] is summary

    copying = LocMemCache("test-locmem-copies", {})
    copying.set("film", summary, 60)
    assert copying.get("film") == summary and copying.get("film") is not summary


def test_a_timeout_of_zero_keeps_nothing_and_entries_expire(cache: InProcessCache) -> None:
    cache.set("never", "x", 0)
    cache.set_many({"short": "y"}, 0.05)
    assert cache.get("never") is None
    assert cache.get_many(["never", "short"]) == {"short": "y"}
    time.sleep(0.1)
    assert cache.get_many(["short"]) == {}
    assert cache.get("short", "gone") == "gone"


def test_it_stays_within_max_entries(cache: InProcessCache) -> None:
    for number in range(20):
        cache.set(f"key-{number}", number, 60)
    kept = cache.get_many([f"key-{number}" for number in range(20)])
    assert 0 < len(kept) <= 6
    assert kept.get("key-19") == 19, "the newest entry survives culling"


def test_add_incr_delete_and_clear_behave_as_in_django(cache: InProcessCache) -> None:
    assert cache.add("count", 1, 60) is True
    assert cache.add("count", 5, 60) is False
    assert cache.incr("count", 2) == 3
    assert cache.get("count") == 3
    with pytest.raises(ValueError, match="not found"):
        cache.incr("absent")
    assert cache.delete("count") is True
    assert cache.get("count") is None
    cache.set("left", 1, 60)
    cache.clear()
    assert cache.get_many(["left"]) == {}


def test_threads_share_one_store(cache: InProcessCache) -> None:
    def write(start: int) -> None:
        for number in range(start, start + 3):
            cache.set(f"thread-{number}", number, 60)

    threads = [threading.Thread(target=write, args=(start,)) for start in (0, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get_many([f"thread-{number}" for number in range(6)]) == {f"thread-{n}": n for n in range(6)}
