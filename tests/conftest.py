"""Suite-wide fixtures and the rules for the `services`, `browser` and `shared_data` marks.

`services` tests need the real PostgreSQL and Redis (DATABASE_URL, REDIS_URL).
On a machine without them they are skipped, with the reason printed; with
MOVIESITE_REQUIRE_SERVICES=1 (set by .ci/run) a missing service is a failure,
and tests.ci_report says how the `services` tests fared and fails the run if one
was skipped, so .ci/run calls plain `make test`, the README's second command.
"""

from __future__ import annotations

import base64
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

REQUIRE_SERVICES = os.environ.get("MOVIESITE_REQUIRE_SERVICES") == "1"

# The real Celery worker fixtures (celery_worker_process, make_celery_worker) for `services` tests;
# where services are required, the report that no `services` test was skipped.
pytest_plugins = ["tests.celery_worker", *(["tests.ci_report"] if REQUIRE_SERVICES else [])]
REQUIRE_BROWSER = os.environ.get("MOVIESITE_REQUIRE_BROWSER") == "1"
SHARED_DATA = os.environ.get("MOVIESITE_SHARED_DATA") == "1"

# Debian's Chromium, driven by Playwright; never a browser Playwright downloads.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


# A 1x1 transparent PNG: what `charts_not_drawn` stores for every insights chart.
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


def services_problem() -> str | None:
    """Why the services tests cannot run here, or None when they can."""
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        return "DATABASE_URL does not point at PostgreSQL"
    if not redis_url.startswith("redis://"):
        return "REDIS_URL is not set"
    if not _reachable(database_url, 5432):
        return f"PostgreSQL at {urlparse(database_url).netloc} is unreachable"
    if not _reachable(redis_url, 6379):
        return f"Redis at {urlparse(redis_url).netloc} is unreachable"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    problem = services_problem()
    for item in items:
        # With services required, a missing one fails in pytest_runtest_setup instead.
        if "services" in item.keywords and problem and not REQUIRE_SERVICES:
            item.add_marker(pytest.mark.skip(reason=f"services test skipped on this machine: {problem}"))
        if "shared_data" in item.keywords and not SHARED_DATA:
            item.add_marker(pytest.mark.skip(reason="reads ../shared/data: set MOVIESITE_SHARED_DATA=1"))


def pytest_runtest_setup(item: pytest.Item) -> None:
    if "services" in item.keywords and REQUIRE_SERVICES:
        problem = services_problem()
        if problem:
            pytest.fail(f"services are required here (MOVIESITE_REQUIRE_SERVICES=1) but {problem}", pytrace=False)


def pytest_report_header(config: pytest.Config) -> list[str]:
    problem = services_problem()
    return [
        "services: "
        + ("available (PostgreSQL, Redis)" if problem is None else f"NOT available: {problem}")
        + (" [required]" if REQUIRE_SERVICES else ""),
        f"shared data check: {'on' if SHARED_DATA else 'off'}",
    ]


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test ends in the default language.

    The test client's requests leave the language they activated (a Spanish
    Accept-Language, a profile's language) on the thread, and a later test
    that renders text would read it.
    """
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def chromium(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A headless Debian Chromium (Playwright Browser); skips without it unless browsers are required."""
    if not CHROMIUM.exists():
        if REQUIRE_BROWSER:
            pytest.fail(f"MOVIESITE_REQUIRE_BROWSER=1 but {CHROMIUM} is missing (make test-deps)", pytrace=False)
        pytest.skip(f"browser test skipped: {CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test still
    # reads the database synchronously, which Django allows only with this.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def staff_client(client: Any) -> Any:
    """The test client signed in as a superuser (the admin pages' usual caller)."""
    from tests.factories import StaffUserFactory

    client.force_login(StaffUserFactory())
    return client


@pytest.fixture
def charts_not_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Insights refreshes in this process store a blank PNG for each chart instead of drawing it.

    Drawing the report's 60 charts takes 3 to 7 seconds, and every import or model put live
    asks for a refresh: for tests that load or train but never look at a chart's pixels.
    The refresh itself (figures, snapshot, generations) still runs.
    """
    monkeypatch.setattr("catalog.insights.panels.render_png", lambda panel, data: BLANK_PNG)


@pytest.fixture
def insights_refreshes_covered(transactional_db: None) -> None:
    """Every insights refresh asked for during the test counts as already done: its task skips it.

    Each model put live (and each import) queues a refresh, and a worker then spends seconds
    drawing the report's 60 charts before its next task, and a warm stop waits for it: for
    worker tests that never read the report. The task itself still runs and checks its number.
    """
    from catalog.insights.services import GENERATION_ROW
    from catalog.models import InsightsGeneration

    InsightsGeneration.objects.update_or_create(pk=GENERATION_ROW, defaults={"computed": 10**12})
