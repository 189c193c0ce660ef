"""The ratings import's POSTs are limited per account (RATINGS_IMPORT_THROTTLE, 20 an hour by default).

Found by timing uploads: one file of 40,000 rows held a web worker for 2 to 6
seconds (SQLite; matching, then writing every rating and queueing the films'
figures), and nothing limited how often a signed-in script could send it, so
one account could keep every worker busy. The API's rate limits do not cover
the site's pages.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from moviesite.throttling import ScopedRateThrottle
from ratings.models import Rating
from tests.factories import MovieFactory, UserFactory

pytestmark = pytest.mark.django_db

MID_WINDOW = 1_800_000_030.0  # 30 s into an hour: no window rolls over during a test


@pytest.fixture(autouse=True)
def two_imports_an_hour(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # DRF reads the rates once at import; the suite's settings raise them for every other test.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"ratings_import": "2/hour"})
    monkeypatch.setattr(ScopedRateThrottle, "timer", lambda self: MID_WINDOW)
    cache.clear()
    yield
    cache.clear()


def _import(client: Client, address: str = "192.0.2.90") -> int:
    upload = SimpleUploadedFile("ratings.csv", b"title,year,rating\nHeat,1995,4\n")
    return client.post(reverse("ratings-import"), {"file": upload}, REMOTE_ADDR=address).status_code


def test_an_account_sending_imports_too_often_is_paused_before_the_file_is_read() -> None:
    MovieFactory(title="Heat", release_year=1995)
    user = UserFactory()
    client = Client()
    client.force_login(user)

    sent = [_import(client) for _ in range(2)]
    Rating.objects.all().delete()
    paused = client.post(
        reverse("ratings-import"), {"file": SimpleUploadedFile("r.csv", b"title,year,rating\nHeat,1995,4\n")}
    )

    assert sent == [200, 200]
    assert paused.status_code == 429
    assert 1 <= int(paused["Retry-After"]) <= 3600
    assert not Rating.objects.exists()  # refused before the file was read
    assert _import(client, address="192.0.2.91") == 429  # another address is the same account
    assert client.get(reverse("ratings-import")).status_code == 200  # showing the form does not count


def test_another_account_still_imports() -> None:
    MovieFactory(title="Heat", release_year=1995)
    busy, other = Client(), Client()
    busy.force_login(UserFactory())
    other.force_login(UserFactory())
    for _ in range(3):
        _import(busy)

    assert _import(other) == 200
