"""Refresh requests coalesce by generation number: queued requests a finished run covered cost nothing.

The runs here are real refreshes, but their charts' pixels are not what these tests read: charts_not_drawn.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

import catalog.insights.compute
from catalog.insights.selectors import insights_snapshot_current
from catalog.insights.services import insights_generation_request
from catalog.models import InsightsGeneration
from catalog.tasks import refresh_insights


def _generations() -> tuple[int, int]:
    row = InsightsGeneration.objects.get()
    return row.requested, row.computed


@pytest.mark.django_db
def test_requests_queued_before_a_run_starts_cost_one_refresh(fixture_catalog, insights_dir, charts_not_drawn) -> None:
    # An import, then two models put live, each queueing a task before a worker takes the first.
    queued = [insights_generation_request() for _request in range(3)]

    first_id = refresh_insights.apply(kwargs={"generation": queued[0]}).get()
    assert first_id is not None
    assert [refresh_insights.apply(kwargs={"generation": number}).get() for number in queued[1:]] == [None, None]

    assert insights_snapshot_current().id == first_id
    assert _generations() == (queued[-1], queued[-1])


@pytest.mark.django_db
def test_a_request_made_while_a_run_reads_the_catalog_gets_a_run_of_its_own(
    fixture_catalog, insights_dir, charts_not_drawn, monkeypatch: pytest.MonkeyPatch
) -> None:
    compute = catalog.insights.compute.insights_compute
    arrived_during_the_run: list[int] = []

    def compute_while_a_request_arrives(**kwargs):  # type: ignore[no-untyped-def]
        # The real computation, with a request (an import committing) at its start.
        if not arrived_during_the_run:
            arrived_during_the_run.append(insights_generation_request())
        return compute(**kwargs)

    monkeypatch.setattr(catalog.insights.compute, "insights_compute", compute_while_a_request_arrives)
    first = insights_generation_request()

    first_id = refresh_insights.apply(kwargs={"generation": first}).get()
    # The run started before the request: it may not have seen its data.
    assert _generations() == (arrived_during_the_run[0], first)
    second_id = refresh_insights.apply(kwargs={"generation": arrived_during_the_run[0]}).get()

    assert second_id not in (None, first_id)
    assert insights_snapshot_current().id == second_id
    assert _generations() == (arrived_during_the_run[0], arrived_during_the_run[0])


@pytest.mark.django_db
def test_a_task_without_a_generation_always_refreshes(fixture_catalog, insights_dir, charts_not_drawn) -> None:
    # Tasks queued before generations existed carry none.
    first_id = refresh_insights.apply().get()
    second_id = refresh_insights.apply().get()
    assert None not in (first_id, second_id) and first_id != second_id


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_each_get_their_own_generation_on_postgresql() -> None:
    assert connection.vendor == "postgresql"
    threads_count, requests_each = 6, 10
    barrier = threading.Barrier(threads_count)
    numbers: list[int] = []
    errors: list[BaseException] = []

    def request_many() -> None:
        try:
            barrier.wait(timeout=10)
            numbers.extend(insights_generation_request() for _request in range(requests_each))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=request_many) for _thread in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(numbers) == list(range(1, threads_count * requests_each + 1))
    assert InsightsGeneration.objects.get().requested == threads_count * requests_each
