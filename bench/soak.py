"""A bounded soak on loopback (issue 9, item 19): 16 connections for 5 minutes
of mixed traffic against gunicorn with the production settings.

    .venv/bin/python -m bench.soak                # generated 45,000-film catalog, 5 minutes
    .venv/bin/python -m bench.soak --quick        # demo catalog, 30 seconds

The 16 connections are split over four wrk processes running at the same time,
so each kind of request gets its own latency distribution:
pages (home, browse, film pages; anonymous), search (the API and the browse
page), rating writes (POST and PUT on /api/v1/me/ratings/ with tokens of 16
site users) and recommendations (with the same tokens).

Pass: 0 errors (socket errors or non-2xx), p99 within the benchmark targets
(recommendations ≤ 50 ms; pages ≤ 100 ms, the film-page target, applied to
search and writes too), and the gunicorn workers' memory (RSS, sampled after a
warm-up and at the end) grown by at most 10%, with no worker replaced.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench import common
from bench.bench_load import (
    CATALOGS,
    GENERATED_FILMS,
    GENERATED_RATINGS,
    HttpRequest,
    Site,
    finish_wrk,
    parse_env_pairs,
    run_wrk,
    serving_site,
    start_wrk,
)

SECONDS = 300
QUICK_SECONDS = 30
WARMUP_SECONDS = 20
QUICK_WARMUP_SECONDS = 3
SAMPLE_EVERY_SECONDS = 15
MAX_MEMORY_GROWTH = 0.10
# Connections per kind of traffic; 16 in all, as in the load benchmark.
MIX = {"pages": 5, "search": 3, "rating_writes": 4, "recommendations": 4}
P99_TARGET_MS = {"pages": 100.0, "search": 100.0, "rating_writes": 100.0, "recommendations": 50.0}
SCORES = ["0.5", "1.0", "2.0", "2.5", "3.0", "3.5", "4.0", "4.5", "5.0"]


def mixed_requests(site: Site, *, seed: int = 19) -> dict[str, list[HttpRequest]]:
    chooser = random.Random(seed)  # a fixed seed: repeatable traffic, not security
    films = site.fixtures["film_ids"]
    words = site.fixtures["search_words"] or ["the"]
    users = len(site.fixtures["tokens"])
    pages = [HttpRequest("GET", "/"), HttpRequest("GET", "/films/"), HttpRequest("GET", "/films/?page=2")]
    pages += [HttpRequest("GET", f"/films/{pk}/") for pk in films[:120]]
    search = [HttpRequest("GET", f"/api/v1/films/?q={quote(word)}") for word in words]
    search += [HttpRequest("GET", f"/films/?q={quote(word)}") for word in words]
    json_headers = {"Content-Type": "application/json"}
    writes = []
    for _ in range(600):
        user = chooser.randrange(users)
        headers = {**site.auth(user), **json_headers}
        if chooser.random() < 0.5:
            body = f'{{"film": {chooser.choice(films)}, "score": {chooser.choice(SCORES)}}}'
            writes.append(HttpRequest("POST", "/api/v1/me/ratings/", headers, body))
        else:
            rating_id = chooser.choice(site.fixtures["rating_ids"][user])
            body = f'{{"score": {chooser.choice(SCORES)}}}'
            writes.append(HttpRequest("PUT", f"/api/v1/me/ratings/{rating_id}/", headers, body))
    recommendations = [HttpRequest("GET", "/api/v1/me/recommendations/", site.auth(index)) for index in range(users)]
    return {"pages": pages, "search": search, "rating_writes": writes, "recommendations": recommendations}


def _run_mix(
    site: Site, requests: dict[str, list[HttpRequest]], *, seconds: float, name: str, sample_every: float | None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """All kinds at once for `seconds`; worker memory sampled along the way."""
    started = {
        kind: start_wrk(
            base_url=site.base_url,
            requests=requests[kind],
            connections=MIX[kind],
            seconds=seconds,
            workdir=site.workdir,
            name=f"{name}-{kind}",
        )
        for kind in MIX
    }
    samples: list[dict[str, Any]] = []
    began = time.monotonic()
    if sample_every:
        while any(run.process.poll() is None for run in started.values()):
            elapsed = time.monotonic() - began
            if not samples or elapsed - samples[-1]["t_s"] >= sample_every:
                samples.append({"t_s": round(elapsed, 1), "rss_mb": _worker_rss_mb(site)})
            time.sleep(0.5)
    results = {kind: finish_wrk(run, timeout=seconds + 60) for kind, run in started.items()}
    return results, samples


def _worker_rss_mb(site: Site) -> dict[str, float]:
    return {str(pid): round(rss / 2**20, 1) for pid, rss in site.worker_rss_bytes().items()}


def run(
    *,
    quick: bool = False,
    seconds: float | None = None,
    warmup: float | None = None,
    catalog: str | None = None,
    films: int = GENERATED_FILMS,
    ratings: int = GENERATED_RATINGS,
    web_env: dict[str, str] | None = None,
    site: Site | None = None,
) -> dict[str, Any]:
    seconds = seconds if seconds is not None else (QUICK_SECONDS if quick else SECONDS)
    warmup = warmup if warmup is not None else (QUICK_WARMUP_SECONDS if quick else WARMUP_SECONDS)
    if site is None:
        with serving_site(
            catalog=catalog or ("demo" if quick else "generated"), films=films, ratings=ratings, web_env=web_env
        ) as own:
            return run(quick=quick, seconds=seconds, warmup=warmup, site=own)
    requests = mixed_requests(site)
    common.say(f"soak: warming up for {warmup:.0f} s")
    for kind in MIX:
        run_wrk(
            base_url=site.base_url,
            requests=requests[kind],
            connections=2,
            seconds=warmup,
            workdir=site.workdir,
            name=f"soak-warmup-{kind}",
        )
    workers_before = site.worker_pids()
    rss_before = site.worker_rss_bytes()
    common.say(f"soak: {seconds:.0f} s, {sum(MIX.values())} connections ({MIX})")
    kinds, samples = _run_mix(site, requests, seconds=seconds, name="soak", sample_every=SAMPLE_EVERY_SECONDS)
    workers_after = site.worker_pids()
    rss_after = site.worker_rss_bytes()
    start_mb = sum(rss_before.values()) / 2**20
    end_mb = sum(rss_after.values()) / 2**20
    growth = (end_mb - start_mb) / start_mb if start_mb else float("nan")
    per_worker_growth = {
        str(pid): round((rss_after.get(pid, 0) - rss) / rss, 4) if rss else None for pid, rss in rss_before.items()
    }
    for kind, figures in kinds.items():
        figures["connections"] = MIX[kind]
        figures["p99_target_ms"] = P99_TARGET_MS[kind]
    total_requests = sum(figures["requests"] for figures in kinds.values())
    total_errors = sum(figures["errors"] for figures in kinds.values())
    memory = {
        "workers_start_mb": round(start_mb, 1),
        "workers_end_mb": round(end_mb, 1),
        "growth": round(growth, 4),
        "per_worker_growth": per_worker_growth,
        "workers_replaced": workers_before != workers_after,
        "samples": samples,
    }
    targets = [
        {"target": "0 errors", "measured": f"{total_errors} of {total_requests} requests", "passed": total_errors == 0},
        *(
            {
                "target": f"{kind} p99 ≤ {P99_TARGET_MS[kind]:.0f} ms",
                "measured": f"{figures['p99_ms']} ms",
                "passed": figures["p99_ms"] <= P99_TARGET_MS[kind],
            }
            for kind, figures in kinds.items()
        ),
        {
            "target": f"web workers' memory growth ≤ {MAX_MEMORY_GROWTH:.0%}",
            "measured": f"{growth:+.1%} ({start_mb:.0f} → {end_mb:.0f} MB over {len(rss_before)} workers)",
            "passed": growth <= MAX_MEMORY_GROWTH and not memory["workers_replaced"],
        },
    ]
    if memory["workers_replaced"]:
        targets.append({"target": "no worker replaced", "measured": "a worker was restarted", "passed": False})
    return {
        "catalog": site.catalog,
        "films": site.fixtures["films_in_catalog"],
        "web_env": site.web_env,
        "seconds": seconds,
        "warmup_s": warmup,
        "connections": sum(MIX.values()),
        "requests": total_requests,
        "requests_per_s": round(total_requests / seconds, 1),
        "errors": total_errors,
        "kinds": kinds,
        "memory": memory,
        "targets": targets,
    }


def print_report(result: dict[str, Any]) -> None:
    print(
        f"Soak: {result['catalog']} catalog ({result['films']} films), {result['connections']} connections, "
        f"{result['seconds']:.0f} s: {result['requests']} requests ({result['requests_per_s']} req/s), "
        f"{result['errors']} errors"
    )
    print(f"{'kind':18} {'conns':>5} {'req/s':>8} {'p50':>7} {'p95':>7} {'p99':>7} {'errors':>6}")
    for kind, figures in result["kinds"].items():
        print(
            f"{kind:18} {figures['connections']:5d} {figures['requests_per_s']:8.1f} {figures['p50_ms']:7.2f}"
            f" {figures['p95_ms']:7.2f} {figures['p99_ms']:7.2f} {figures['errors']:6d}"
        )
    memory = result["memory"]
    print(f"workers' RSS {memory['workers_start_mb']} → {memory['workers_end_mb']} MB ({memory['growth']:+.1%})")
    for target in result["targets"]:
        print(f"{'PASS' if target['passed'] else 'MISS'}  {target['target']}: {target['measured']}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"demo catalog, {QUICK_SECONDS} s")
    parser.add_argument("--seconds", type=float, help=f"soak length (default {SECONDS})")
    parser.add_argument(
        "--warmup", type=float, help=f"warm-up before the first memory sample (default {WARMUP_SECONDS})"
    )
    parser.add_argument("--catalog", choices=CATALOGS, help="default: generated (demo with --quick)")
    parser.add_argument("--films", type=int, default=GENERATED_FILMS)
    parser.add_argument("--ratings", type=int, default=GENERATED_RATINGS)
    parser.add_argument("--web-env", action="append", default=[], metavar="KEY=VALUE", help="extra env for gunicorn")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    options = parser.parse_args(argv)
    result = run(
        quick=options.quick,
        seconds=options.seconds,
        warmup=options.warmup,
        catalog=options.catalog,
        films=options.films,
        ratings=options.ratings,
        web_env=parse_env_pairs(options.web_env),
    )
    print_report(result)
    if options.json:
        options.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
