"""The API's fixed-window rate limits, on the cache the settings configure (Redis in CI)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from moviesite.cache import ResilientRedisCache, count_in_window
from moviesite.throttling import AnonRateThrottle


@pytest.fixture
def throttle(monkeypatch: pytest.MonkeyPatch) -> AnonRateThrottle:
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    return AnonRateThrottle()


def test_a_window_allows_its_rate_then_refuses_until_the_next_window(
    throttle: AnonRateThrottle, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = RequestFactory().get("/api/v1/films/", REMOTE_ADDR="192.0.2.77")
    request.user = None
    start = 1_800_000_020.0  # 20 s into a minute (1,800,000,000 is a multiple of 60)
    monkeypatch.setattr(AnonRateThrottle, "timer", lambda self: start)
    cache.delete_many([f"throttle_anon_192.0.2.77:{int(start // 60) + n}" for n in range(2)])

    allowed = [throttle.allow_request(request, None) for _ in range(4)]
    assert allowed == [True, True, True, False]
    assert throttle.wait() == pytest.approx(40.0)

    monkeypatch.setattr(AnonRateThrottle, "timer", lambda self: start + 60)
    assert throttle.allow_request(request, None) is True


def test_the_counter_counts_and_expires() -> None:
    cache.delete("window-counter-test")
    assert [count_in_window(cache, "window-counter-test", 60) for _ in range(3)] == [1, 2, 3]
    cache.delete("window-counter-test")


@pytest.mark.services
def test_throttles_count_in_one_redis_round_trip_through_djangos_cache_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """DRF's throttles hold django.core.cache.cache, a proxy: the pipelined count must still be the one used."""
    pipelined: list[str] = []
    count = ResilientRedisCache.count_in_window

    def spy(self: ResilientRedisCache, key: str, timeout: int) -> int:
        pipelined.append(key)
        return count(self, key, timeout)

    monkeypatch.setattr(ResilientRedisCache, "count_in_window", spy)
    cache.delete("proxy-counter-test")
    assert [count_in_window(cache, "proxy-counter-test", 60) for _ in range(2)] == [1, 2]
    assert pipelined == ["proxy-counter-test", "proxy-counter-test"]
    cache.delete("proxy-counter-test")
