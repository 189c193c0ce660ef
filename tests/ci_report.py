"""Say how the `services` tests fared; tests/conftest.py loads it with MOVIESITE_REQUIRE_SERVICES=1.

CI must show that the tests needing PostgreSQL, Redis and a Celery worker ran
and passed, not that they were skipped; a skipped one makes the run fail.
"""

from __future__ import annotations

from collections import Counter

import pytest

_outcomes: Counter[str] = Counter()
_skipped: list[str] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if "services" not in item.keywords:
        return
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _outcomes[report.outcome] += 1
        if report.outcome == "skipped":
            _skipped.append(item.nodeid)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(_outcomes.items())) or "none ran"
    terminalreporter.write_line(f"services tests (real PostgreSQL, Redis, Celery): {summary}")
    for nodeid in _skipped:
        terminalreporter.write_line(f"  skipped, which CI does not allow: {nodeid}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _skipped and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
