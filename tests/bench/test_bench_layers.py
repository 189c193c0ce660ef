from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from bench import bench_layers, bench_load


def _status(url: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.services
@pytest.mark.slow
def test_each_layer_adds_what_it_names_and_every_endpoint_is_measured() -> None:
    with bench_load.serving_site(catalog="tiny", wsgi_module="bench.layers_wsgi") as site:
        paths = bench_layers.LAYER_PATHS
        drf, token, throttle = (site.base_url + paths[name] for name in ("drf", "drf_token", "drf_token_throttle"))
        assert _status(drf) == 200
        assert _status(token) == 401
        assert _status(token, {"Authorization": "Token not-a-real-token"}) == 401
        assert _status(token, site.auth(0)) == 200
        assert _status(throttle) == 401
        assert _status(throttle, site.auth(0)) == 200
        rounds = bench_layers.measure(site, rounds=1, seconds=2, connections=4, warmup=0)

    (measured,) = rounds
    assert set(measured) == set(bench_layers.LABELS)
    for name, figures in measured.items():
        assert figures["requests"] > 0, (name, figures)
        assert figures["errors"] == 0, (name, figures)
    assert measured["trivial"]["rps_vs_trivial"] == 1.0


@pytest.mark.django_db
def test_the_product_does_not_serve_the_diagnostic_endpoints(client) -> None:
    for path in bench_layers.LAYER_PATHS.values():
        assert client.get(path).status_code == 404
