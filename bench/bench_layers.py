"""What a signed-in API call costs, layer by layer, under the load benchmark's conditions.

    .venv/bin/python -m bench.bench_layers                  # demo catalog, 2 rounds of 30 s per endpoint
    .venv/bin/python -m bench.bench_layers --quick          # demo catalog, 1 round of 10 s

Not a target of its own: it explains issue 8's "recommendations ≥ 60% of the trivial
endpoint's requests/s". The same site as `bench.bench_load` (gunicorn, production settings,
2 workers, PostgreSQL and Redis, wrk at 16 connections), served through `bench.layers_wsgi`,
which adds three endpoints that answer a constant through DRF, each with one more layer:

    ping                        the trivial endpoint, a plain Django view (the baseline)
    DRF alone                   no authentication, no throttle
    + token check               the site's token authentication (one query)
    + throttle                  the per-user rate limit (one Redis round trip)
    recommendations             the real endpoint: all of the above plus its own work

Rounds alternate the endpoints, so a machine that drifts drifts for all of them.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import common
from bench.bench_load import CATALOGS, CONNECTIONS, HttpRequest, Site, measure_endpoints, serving_site

LAYER_PATHS = {
    "drf": "/bench/layers/drf/",
    "drf_token": "/bench/layers/drf-token/",
    "drf_token_throttle": "/bench/layers/drf-token-throttle/",
}
LABELS = {
    "trivial": "ping: plain Django view (baseline)",
    "drf": "DRF alone",
    "drf_token": "DRF + token check",
    "drf_token_throttle": "DRF + token check + throttle",
    "recommendations": "recommendations (all of it)",
}
SECONDS = 30
QUICK_SECONDS = 10


def layer_requests(site: Site) -> dict[str, list[HttpRequest]]:
    def signed_in(path: str) -> list[HttpRequest]:
        return [HttpRequest("GET", path, site.auth(index)) for index in range(len(site.fixtures["tokens"]))]

    return {
        "trivial": [HttpRequest("GET", "/api/v1/ping")],
        "drf": [HttpRequest("GET", LAYER_PATHS["drf"])],
        "drf_token": signed_in(LAYER_PATHS["drf_token"]),
        "drf_token_throttle": signed_in(LAYER_PATHS["drf_token_throttle"]),
        "recommendations": signed_in("/api/v1/me/recommendations/"),
    }


def measure(site: Site, *, rounds: int, seconds: float, connections: int, warmup: float) -> list[dict[str, Any]]:
    measured = []
    for number in range(1, rounds + 1):
        common.say(f"layers: round {number} of {rounds}")
        measured.append(
            measure_endpoints(
                site,
                seconds=seconds,
                connections=connections,
                warmup=warmup,
                requests=layer_requests(site),
                labels=LABELS,
            )
        )
    return measured


def run(
    *,
    quick: bool = False,
    rounds: int | None = None,
    seconds: float | None = None,
    connections: int = CONNECTIONS,
    catalog: str = "demo",
    warmup: float | None = None,
) -> dict[str, Any]:
    rounds = rounds if rounds is not None else (1 if quick else 2)
    seconds = seconds if seconds is not None else (QUICK_SECONDS if quick else SECONDS)
    warmup = warmup if warmup is not None else (2 if quick else 5)
    with serving_site(catalog=catalog, wsgi_module="bench.layers_wsgi") as site:
        measured = measure(site, rounds=rounds, seconds=seconds, connections=connections, warmup=warmup)
        films = site.fixtures["films_in_catalog"]
    return {
        "catalog": catalog,
        "films": films,
        "connections": connections,
        "seconds_per_endpoint": seconds,
        "rounds": measured,
    }


def print_report(result: dict[str, Any]) -> None:
    rounds = result["rounds"]
    print(
        f"Layers: {result['catalog']} catalog ({result['films']} films), {result['connections']} connections, "
        f"{result['seconds_per_endpoint']:.0f} s per endpoint, {len(rounds)} round(s); req/s (share of ping)"
    )
    for name, label in LABELS.items():
        cells = [f"{each[name]['requests_per_s']:8.1f} ({each[name]['rps_vs_trivial']:.0%})" for each in rounds]
        errors = sum(each[name]["errors"] for each in rounds)
        print(f"{label:36} " + "  ".join(cells) + f"   errors {errors}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"1 round of {QUICK_SECONDS} s per endpoint")
    parser.add_argument("--rounds", type=int, help="default 2 (1 with --quick)")
    parser.add_argument("--seconds", type=float, help=f"per endpoint and round (default {SECONDS})")
    parser.add_argument("--connections", type=int, default=CONNECTIONS)
    parser.add_argument("--catalog", choices=CATALOGS, default="demo")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    options = parser.parse_args(argv)
    result = run(
        quick=options.quick,
        rounds=options.rounds,
        seconds=options.seconds,
        connections=options.connections,
        catalog=options.catalog,
    )
    print_report(result)
    if options.json:
        options.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
