from __future__ import annotations

import pytest

from bench import run_all

MACHINE = {
    "date": "2026-01-01 00:00 UTC",
    "cores": 2,
    "memory_gb": 24.0,
    "cpu": "test CPU",
    "os": "Linux",
    "python": "3.11.7",
    "postgresql": "15.20",
    "redis": "7.0.15",
    "load_average": [0.1, 0.2, 0.3],
}


def _endpoint(label: str, rps: float, p99: float, errors: int = 0) -> dict:
    return {
        "label": label,
        "requests": int(rps * 60),
        "requests_per_s": rps,
        "p50_ms": p99 / 3,
        "p95_ms": p99 / 2,
        "p99_ms": p99,
        "errors": errors,
        "non_2xx": errors,
        "socket_errors": 0,
        "rps_vs_trivial": round(rps / 1000.0, 3),
        "p99_vs_trivial": round(p99 / 10.0, 3),
    }


SERVING = {
    "load": {
        "catalog": "generated",
        "films": 45000,
        "setup_s": {"migrate_s": 20.0, "train_s": 40.0},
        "workers": 2,
        "load_generator": "wrk",
        "connections": 16,
        "seconds_per_endpoint": 60,
        "endpoints": {
            "trivial": _endpoint("(a) ping", 1000.0, 10.0),
            "recommendations": _endpoint("(c) recommendations", 700.0, 40.0),
        },
        "targets": [
            {"target": "recommendations p99 ≤ 50 ms", "measured": "40.0 ms", "passed": True},
            {"target": "film page p99 ≤ 100 ms", "measured": "250.0 ms", "passed": False},
        ],
    },
    "soak": {
        "seconds": 300,
        "warmup_s": 20,
        "connections": 16,
        "requests": 90000,
        "requests_per_s": 300.0,
        "errors": 0,
        "kinds": {"pages": {**_endpoint("pages", 100.0, 80.0), "connections": 5}},
        "memory": {
            "workers_start_mb": 400.0,
            "workers_end_mb": 410.0,
            "growth": 0.025,
            "workers_replaced": False,
            "samples": [{"t_s": 0.0, "rss_mb": {"1": 200.0, "2": 200.0}}],
        },
        "targets": [{"target": "web workers' memory growth ≤ 10%", "measured": "+2.5%", "passed": True}],
    },
}


def _outcome(result: dict) -> dict:
    return {
        "seconds": 61.0,
        "peak_rss_mb": 300.0,
        "load_average_before": 1.0,
        "load_average_after": 1.5,
        "result": result,
    }


def test_it_writes_each_target_with_its_verdict_and_the_measured_figure() -> None:
    markdown = run_all.render({"serving": _outcome(SERVING)}, MACHINE, quick=False, note="")

    assert "## Targets: 2 PASS, 1 MISS" in markdown
    assert "| Load | film page p99 ≤ 100 ms | 250.0 ms | **MISS** |" in markdown
    assert "| Soak | web workers' memory growth ≤ 10% | +2.5% | **PASS** |" in markdown
    assert "| (c) recommendations | 700.0 | 13.33 ms | 20.00 ms | 40.00 ms | 0 (0 non-2xx) | 0.700 | 4.0x |" in markdown
    assert "| PostgreSQL | 15.20 |" in markdown
    assert "set-up: migrate 20.0 s, train 40.0 s" in markdown


def test_a_benchmark_that_crashed_is_a_miss_with_its_error() -> None:
    crashed = {"seconds": 3.0, "peak_rss_mb": 50.0, "load_average_before": 1, "load_average_after": 1}
    crashed["error"] = "ModuleNotFoundError: No module named 'bench.bench_import'"

    markdown = run_all.render({"import": crashed}, MACHINE, quick=False, note="")

    assert "**Import did not complete:** `ModuleNotFoundError: No module named 'bench.bench_import'`" in markdown
    assert "## Targets: 0 PASS, 1 MISS" in markdown


def test_a_quick_run_says_its_figures_are_not_the_benchmark() -> None:
    markdown = run_all.render({}, MACHINE, quick=True, note="other helpers were running tests")

    assert "Quick run: toy sizes" in markdown
    assert "Note: other helpers were running tests" in markdown


def test_the_svd_target_is_judged_only_at_26_million_ratings() -> None:
    recommender = {
        "content_index": {"films": 45000, "seconds": 30.0, "peak_mb": 900},
        "svd_lean": {"100000": {"seconds": 2.0, "peak_mb": 200}, "26000000": {"error": "MemoryError"}},
        "svd_surprise_baseline": {"ratings": 1000000, "seconds": 30.0, "peak_mb": 800},
        "svd_ratio_vs_surprise": {"seconds": 0.5, "peak_memory": 0.4},
        "top10_latency": {"films": 45000, "requests": 2000, "p50_ms": 5.0, "p99_ms": 20.0},
    }

    markdown = run_all.render({"recommender": _outcome(recommender)}, MACHINE, quick=False, note="")

    assert (
        "| Recommender | SVD on 26M ratings completes on this machine | 26,000,000 ratings: MemoryError | **MISS** |"
        in markdown
    )
    assert "| Recommender | content index on 45,000 films ≤ 60 s | 30.0 s on 45,000 films | **PASS** |" in markdown
    assert "lean / Surprise = 0.50x time, 0.40x peak memory" in markdown


def test_it_refuses_an_unknown_benchmark_name() -> None:
    with pytest.raises(SystemExit):
        run_all.main(["--only", "load,nonsense"])


def test_the_import_section_compares_with_the_raw_copy_of_the_same_file() -> None:
    imported = {
        "ratings": 10_000_000,
        "films": 45_000,
        "ratings_file_seconds": 25.0,
        "ratings_file_seconds_runs": [27.5, 25.0],
        "ratings_rows_per_second": 400_000,
        "raw_copy_seconds": 10.0,
        "raw_copy_seconds_runs": [10.0, 10.4],
        "raw_copy_rows_per_second": 1_000_000,
        "ratio_to_raw_copy": 2.5,
        "films_command_seconds": 100.0,
        "ratings_peak_rss_mb": 500.0,
    }

    markdown = run_all.render({"import": _outcome(imported)}, MACHINE, quick=False, note="")

    assert "| Import | ratings ≥ 300,000 rows/s | 400,000 rows/s | **PASS** |" in markdown
    assert "| Import | ratings import ≤ 2x a raw COPY's time | 2.50x | **MISS** |" in markdown
    assert "| Import | peak memory ≤ 2,048 MB at 10M ratings | 500 MB at 10,000,000 ratings | **PASS** |" in markdown
    assert "imports 27.5 s and 25.0 s, COPYs 10.0 s and 10.4 s" in markdown
