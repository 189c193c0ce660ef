"""bench.bench_layers: its diagnostic endpoints exist only in bench.layers_wsgi.

They are measured end to end, on one served site with the load benchmark, in
tests/bench/test_bench_load.py.
"""

from __future__ import annotations

import pytest

from bench import bench_layers


@pytest.mark.django_db
def test_the_product_does_not_serve_the_diagnostic_endpoints(client) -> None:
    for path in bench_layers.LAYER_PATHS.values():
        assert client.get(path).status_code == 404
