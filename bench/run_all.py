"""Every benchmark in one run, figures written to BENCHMARKS.md (`make bench`).

    .venv/bin/python -m bench.run_all                  # full sizes, writes BENCHMARKS.md
    .venv/bin/python -m bench.run_all --quick          # toy sizes, writes BENCHMARKS.tmp.md (git-ignored)
    .venv/bin/python -m bench.run_all --only load,soak

Order: import, recommender, pages, then serving (the load benchmark and the
soak share one prepared site: the soak's rating writes come after the load's
reads). Each benchmark runs in its own child process (`--child NAME`), so one
benchmark's settings and memory never leak into the next and a crash in one is
reported in BENCHMARKS.md instead of ending the run. Every figure is written
next to its baseline measured in the same run, with the ratio, and each target
with PASS or MISS and the measured figure.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench import common

BENCHMARKS = ("import", "recommender", "pages", "serving")
OUTPUT = common.REPO_DIR / "BENCHMARKS.md"
QUICK_OUTPUT = common.REPO_DIR / "BENCHMARKS.tmp.md"
RECOMMENDER_SIZES = (100_000, 1_000_000, 5_000_000, 26_000_000)
IMPORT_RATINGS = 10_000_000
IMPORT_TARGET_ROWS_PER_S = 300_000
IMPORT_TARGET_VS_COPY = 2.0
METADATA_TARGET_S = 180.0
IMPORT_PEAK_TARGET_MB = 2048
CONTENT_INDEX_TARGET_S = 60.0
PAGES_TARGET_P99_MS = 150.0


# --- Running the benchmarks -------------------------------------------------------------


def _options(name: str, *, quick: bool) -> dict[str, Any]:
    """What each benchmark is asked to do, at full size or as a smoke."""
    if name == "import":
        return {"ratings": 100_000, "films": 1_000, "quick": True} if quick else {"ratings": IMPORT_RATINGS}
    if name == "recommender":
        return (
            {"sizes": (100_000,), "baseline_size": 100_000, "films": 2_000}
            if quick
            else {"sizes": RECOMMENDER_SIZES, "baseline_size": 1_000_000}
        )
    if name == "pages":
        return {"requests": 10, "warmup": 2} if quick else {"requests": 100, "warmup": 10}
    if name == "serving":
        return {"quick": quick}
    raise ValueError(name)


def _run_serving(*, quick: bool) -> dict[str, Any]:
    from bench import bench_load, soak

    catalog = "demo" if quick else "generated"
    with bench_load.serving_site(catalog=catalog) as site:
        load = bench_load.run(quick=quick, site=site)
        bench_load.print_report(load)
        soaked = soak.run(quick=quick, site=site)
        soak.print_report(soaked)
    return {"load": load, "soak": soaked}


def _run_pages(**options: Any) -> dict[str, Any]:
    from bench import bench_pages

    # On PostgreSQL like production, in a scratch database of its own.
    with common.scratch_database("pages") as database_url:
        return bench_pages.run(database_url=database_url, **options)


def _run_import(**options: Any) -> dict[str, Any]:
    from bench import bench_import

    result = bench_import.run(**options)
    bench_import.print_report(result)
    return result


RUNNERS: dict[str, Callable[..., dict[str, Any]]] = {
    "import": _run_import,
    "recommender": lambda **options: importlib.import_module("bench.bench_recommender").run(**options),
    "pages": _run_pages,
    "serving": _run_serving,
}


def run_child(name: str, options: dict[str, Any], out: Path) -> None:
    """Inside the child process: one benchmark, its figures as JSON in `out`."""
    try:
        result = RUNNERS[name](**options)
    except BaseException as error:
        out.write_text(json.dumps({"error": f"{type(error).__name__}: {error}"[:2000]}))
        raise
    out.write_text(json.dumps({"result": result}, indent=2, default=str))


def run_benchmark(name: str, *, quick: bool, workdir: Path) -> dict[str, Any]:
    out = workdir / f"{name}.json"
    options = _options(name, quick=quick)
    load_before = os.getloadavg()[0]
    common.say(f"run_all: {name} {json.dumps(options)}")
    args = [common.PYTHON, "-m", "bench.run_all", "--child", name, "--options", json.dumps(options), "--out", str(out)]
    try:
        child = common.run_measured(args, check=False, echo=True, live_stderr=True)
    except OSError as error:
        return {"error": str(error)}
    outcome: dict[str, Any] = {
        "seconds": round(child.seconds, 1),
        "peak_rss_mb": child.peak_rss_mb,
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
        "options": options,
    }
    written = json.loads(out.read_text()) if out.exists() else {}
    if child.returncode != 0 or "result" not in written:
        outcome["error"] = written.get("error") or f"exit {child.returncode} without figures"
        return outcome
    outcome["result"] = written["result"]
    return outcome


# --- Writing BENCHMARKS.md ------------------------------------------------------------------


def _fmt(value: Any, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}{unit}"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{unit}"
    return f"{value}{unit}"


def _verdict(passed: bool | None) -> str:
    return "n/a" if passed is None else ("**PASS**" if passed else "**MISS**")


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _get(data: Any, *path: Any, default: Any = None) -> Any:
    for key in path:
        if isinstance(data, dict):
            data = data.get(key, data.get(str(key)))
        else:
            return default
        if data is None:
            return default
    return data


class Report:
    """Collects the markdown and the target verdicts while the sections are written."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.targets: list[tuple[str, str, str, bool | None]] = []

    def target(self, section: str, target: str, measured: str, passed: bool | None) -> None:
        self.targets.append((section, target, measured, passed))

    def section_failed(self, title: str, outcome: dict[str, Any]) -> bool:
        if "result" in outcome:
            return False
        self.lines += [f"**{title} did not complete:** `{outcome.get('error', 'not run')}`", ""]
        self.target(title, "benchmark completes", outcome.get("error", "not run")[:200], False)
        return True


def _runs(seconds: list[float] | None) -> str:
    return "n/a" if not seconds else " and ".join(f"{value:.1f} s" for value in seconds)


def _section_import(report: Report, outcome: dict[str, Any]) -> None:
    report.lines += ["## Import", ""]
    if report.section_failed("Import", outcome):
        return
    result = outcome["result"]
    rows = result.get("ratings")
    rows_per_s = result.get("ratings_rows_per_second")
    vs_copy = result.get("ratio_to_raw_copy")
    films = result.get("films")
    metadata_s = result.get("films_command_seconds")
    peak_mb = result.get("ratings_peak_rss_mb")
    report.lines += [
        f"Generated The Movies Dataset files ({_fmt(films)} films with credits, keywords, links) and a ratings.csv "
        f"of {_fmt(rows)} rows ({_fmt(result.get('ratings_csv_mb'), ' MB')}), imported with `manage.py "
        "import_catalog` into a scratch PostgreSQL database; the baseline is a raw `COPY` of the same ratings.csv "
        "into a bare table (no index, no constraint) in the same database right after. The pair is measured "
        "twice (the ratings table emptied in between) and each side's figure is its fastest run: imports "
        f"{_runs(result.get('ratings_file_seconds_runs'))}, COPYs {_runs(result.get('raw_copy_seconds_runs'))}. "
        "Before each timed step the database is settled (VACUUM ANALYZE, a CHECKPOINT, no autovacuum worker "
        f"running): at most {_fmt(result.get('settle_seconds_before_import'), ' s')} before an import and "
        f"{_fmt(result.get('settle_seconds_before_copy'), ' s')} before a COPY.",
        "",
    ]
    report.lines += _table(
        ["figure", "measured", "baseline (same run)", "ratio"],
        [
            [
                f"ratings import, {_fmt(rows)} rows",
                f"{_fmt(result.get('ratings_file_seconds'), ' s')} = {_fmt(rows_per_s, ' rows/s', 0)}",
                f"raw COPY: {_fmt(result.get('raw_copy_seconds'), ' s', 2)} = "
                f"{_fmt(result.get('raw_copy_rows_per_second'), ' rows/s', 0)}",
                f"{_fmt(vs_copy, 'x', 2)} the COPY time",
            ],
            [
                f"metadata import, {_fmt(films)} films (command wall time)",
                _fmt(metadata_s, " s"),
                "—",
                f"per file: {result.get('films_per_file_seconds', 'n/a')}",
            ],
            ["peak memory (max RSS) of the ratings import", _fmt(peak_mb, " MB", 0), "—", "—"],
            ["peak memory of the metadata import", _fmt(result.get("films_peak_rss_mb"), " MB", 0), "—", "—"],
            [
                "re-import of the same ratings (nothing changes)",
                _fmt(result.get("ratings_rerun_seconds"), " s"),
                "—",
                f"{_fmt(result.get('ratings_rerun_changed'))} rows changed",
            ],
        ],
    )
    report.target(
        "Import",
        f"ratings ≥ {IMPORT_TARGET_ROWS_PER_S:,} rows/s",
        _fmt(rows_per_s, " rows/s", 0),
        None if rows_per_s is None else rows_per_s >= IMPORT_TARGET_ROWS_PER_S,
    )
    report.target(
        "Import",
        f"ratings import ≤ {IMPORT_TARGET_VS_COPY:.0f}x a raw COPY's time",
        _fmt(vs_copy, "x", 2),
        None if vs_copy is None else vs_copy <= IMPORT_TARGET_VS_COPY,
    )
    report.target(
        "Import",
        f"45,000 films' metadata ≤ {METADATA_TARGET_S:.0f} s",
        f"{_fmt(metadata_s, ' s')} for {_fmt(films)} films",
        None if metadata_s is None or not films or films < 45_000 else metadata_s <= METADATA_TARGET_S,
    )
    report.target(
        "Import",
        f"peak memory ≤ {IMPORT_PEAK_TARGET_MB:,} MB at 10M ratings",
        f"{_fmt(peak_mb, ' MB', 0)} at {_fmt(rows)} ratings",
        None if peak_mb is None or not rows or rows < 10_000_000 else peak_mb <= IMPORT_PEAK_TARGET_MB,
    )


def _section_recommender(report: Report, outcome: dict[str, Any]) -> None:
    report.lines += ["## Recommender", ""]
    if report.section_failed("Recommender", outcome):
        return
    result = outcome["result"]
    content = result.get("content_index", {})
    report.lines += [
        f"Content index on {_fmt(content.get('films'))} films: {_fmt(content.get('seconds'), ' s')}, "
        f"peak {_fmt(content.get('peak_mb'), ' MB', 0)}"
        + (f" — **failed**: `{content['error']}`" if "error" in content else ""),
        "",
    ]
    content_s = content.get("seconds")
    report.target(
        "Recommender",
        f"content index on 45,000 films ≤ {CONTENT_INDEX_TARGET_S:.0f} s",
        f"{_fmt(content_s, ' s')} on {_fmt(content.get('films'))} films",
        None if content_s is None else content_s <= CONTENT_INDEX_TARGET_S,
    )
    baseline = result.get("svd_surprise_baseline", {})
    ratios = result.get("svd_ratio_vs_surprise", {})
    rows = []
    for size, figures in (result.get("svd_lean") or {}).items():
        rows.append(
            [
                f"{int(size):,}",
                _fmt(figures.get("seconds"), " s"),
                _fmt(figures.get("peak_mb"), " MB", 0),
                figures.get("error", "completed"),
            ]
        )
    report.lines += ["SVD training with lean feeding (each size in its own process):", ""]
    report.lines += _table(["ratings", "training time", "peak memory", "outcome"], rows)
    report.lines += [
        f"Baseline in the same run: Surprise's own `Dataset.load_from_df` path on {_fmt(baseline.get('ratings'))} "
        f"ratings took {_fmt(baseline.get('seconds'), ' s')} at {_fmt(baseline.get('peak_mb'), ' MB', 0)} peak; "
        f"lean / Surprise = {_fmt(ratios.get('seconds'), 'x', 2)} time, {_fmt(ratios.get('peak_memory'), 'x', 2)} "
        "peak memory.",
        "",
    ]
    largest = max((int(size) for size in (result.get("svd_lean") or {})), default=0)
    largest_figures = _get(result, "svd_lean", largest, default={})
    completed = bool(largest_figures) and "error" not in largest_figures
    report.target(
        "Recommender",
        "SVD on 26M ratings completes on this machine",
        f"{largest:,} ratings: "
        + (
            f"{_fmt(largest_figures.get('seconds'), ' s')}, peak {_fmt(largest_figures.get('peak_mb'), ' MB', 0)}"
            if completed
            else str(largest_figures.get("error", "not run"))
        ),
        completed if largest >= 26_000_000 else None,
    )
    latency = result.get("top10_latency", {})
    report.lines += [
        f"A user's top-10 in process ({_fmt(latency.get('films'))} films, {_fmt(latency.get('requests'))} requests): "
        f"p50 {_fmt(latency.get('p50_ms'), ' ms', 2)}, p99 {_fmt(latency.get('p99_ms'), ' ms', 2)}.",
        "",
    ]


def _section_pages(report: Report, outcome: dict[str, Any]) -> None:
    report.lines += ["## Page render time (in process, Django test client)", ""]
    if report.section_failed("Pages", outcome):
        return
    result = outcome["result"]
    report.lines += [
        f"{result.get('films')} films on {result.get('database')}, "
        f"{result.get('requests_per_page')} requests per page; "
        "baseline: a view returning a constant through the same middleware stack.",
        "",
    ]
    rows = []
    for name, figures in result.get("pages", {}).items():
        rows.append(
            [
                name,
                _fmt(figures.get("p50_ms"), " ms", 2),
                _fmt(figures.get("p99_ms"), " ms", 2),
                _fmt(figures.get("p50_cpu_ms"), " ms", 2),
                _fmt(figures.get("p50_vs_baseline"), "x"),
                _verdict(figures.get("within_target")),
            ]
        )
    report.lines += _table(
        ["page", "p50", "p99", "CPU p50", "p50 vs trivial", f"p99 ≤ {PAGES_TARGET_P99_MS:.0f} ms"], rows
    )
    slow = [name for name, figures in result.get("pages", {}).items() if not figures.get("within_target")]
    report.target(
        "Pages",
        f"every page's render p99 ≤ {PAGES_TARGET_P99_MS:.0f} ms",
        "all within" if not slow else "over: " + ", ".join(slow),
        not slow,
    )


def _section_load(report: Report, outcome: dict[str, Any]) -> None:
    report.lines += ["## Serving under load (gunicorn + wrk on loopback)", ""]
    if report.section_failed("Load", outcome):
        return
    result = outcome["result"]["load"]
    setup = ", ".join(
        f"{step.removesuffix('_s').replace('_', ' ')} {seconds} s" for step, seconds in result["setup_s"].items()
    )
    report.lines += [
        f"{result['catalog']} catalog ({_fmt(result['films'])} films; set-up: {setup}); gunicorn with the "
        f"production settings, {result['workers']} workers, on PostgreSQL and Redis; {result['load_generator']}, "
        f"{result['connections']} connections, {result['seconds_per_endpoint']:.0f} s per endpoint after a warm-up. "
        "Errors are socket errors plus non-2xx answers. Baseline: (a), measured in the same run.",
        "",
    ]
    rows = []
    for figures in result["endpoints"].values():
        rows.append(
            [
                figures["label"],
                _fmt(figures["requests_per_s"]),
                _fmt(figures["p50_ms"], " ms", 2),
                _fmt(figures["p95_ms"], " ms", 2),
                _fmt(figures["p99_ms"], " ms", 2),
                f"{figures['errors']} ({figures['non_2xx']} non-2xx)",
                _fmt(figures["rps_vs_trivial"], "", 3),
                _fmt(figures["p99_vs_trivial"], "x", 1),
            ]
        )
    report.lines += _table(["endpoint", "req/s", "p50", "p95", "p99", "errors", "req/s ÷ (a)", "p99 ÷ (a)"], rows)
    for target in result["targets"]:
        report.target("Load", target["target"], target["measured"], target["passed"])


def _section_soak(report: Report, outcome: dict[str, Any]) -> None:
    report.lines += ["## Soak (issue 9, item 19)", ""]
    if report.section_failed("Soak", outcome):
        return
    result = outcome["result"]["soak"]
    memory = result["memory"]
    report.lines += [
        f"{result['seconds']:.0f} s at {result['connections']} connections on the same site, right after the load "
        f"benchmark: {_fmt(result['requests'])} requests ({_fmt(result['requests_per_s'])} req/s), "
        f"{result['errors']} errors.",
        "",
    ]
    rows = [
        [
            kind,
            figures["connections"],
            _fmt(figures["requests_per_s"]),
            _fmt(figures["p50_ms"], " ms", 2),
            _fmt(figures["p95_ms"], " ms", 2),
            _fmt(figures["p99_ms"], " ms", 2),
            figures["errors"],
        ]
        for kind, figures in result["kinds"].items()
    ]
    report.lines += _table(["traffic", "connections", "req/s", "p50", "p95", "p99", "errors"], rows)
    timeline = ", ".join(
        f"{sample['t_s']:.0f} s: {sum(sample['rss_mb'].values()):.0f} MB" for sample in memory["samples"]
    )
    report.lines += [
        f"Web workers' RSS after the {result['warmup_s']:.0f} s warm-up: {memory['workers_start_mb']} MB; at the end: "
        f"{memory['workers_end_mb']} MB ({memory['growth']:+.1%}); worker replaced: "
        f"{_fmt(memory['workers_replaced'])}. Samples: {timeline}.",
        "",
    ]
    for target in result["targets"]:
        report.target("Soak", target["target"], target["measured"], target["passed"])


def render(outcomes: dict[str, dict[str, Any]], machine: dict[str, Any], *, quick: bool, note: str) -> str:
    report = Report()
    sections: dict[str, Callable[[Report, dict[str, Any]], None]] = {
        "import": _section_import,
        "recommender": _section_recommender,
        "pages": _section_pages,
    }
    for name, section in sections.items():
        if name in outcomes:
            section(report, outcomes[name])
    if "serving" in outcomes:
        _section_load(report, outcomes["serving"])
        _section_soak(report, outcomes["serving"])
    head = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (`python -m bench.run_all{' --quick' if quick else ''}`) on {machine['date']}. "
        "Every ratio compares with a baseline measured in the same run. Generated data in the real file formats, "
        "with a fixed seed, in a temporary directory.",
        "",
    ]
    if quick:
        head += ["**Quick run: toy sizes, for a smoke test only; these are not the benchmark figures.**", ""]
    head += _table(
        ["machine", ""],
        [
            ["cores", machine["cores"]],
            ["memory", f"{machine['memory_gb']} GB"],
            ["CPU", machine["cpu"]],
            ["OS", machine["os"]],
            ["Python", machine["python"]],
            ["PostgreSQL", machine["postgresql"]],
            ["Redis", machine["redis"]],
            ["load average (1, 5, 15 min) at the start", ", ".join(str(value) for value in machine["load_average"])],
        ],
    )
    durations = [
        [
            name,
            _fmt(outcome.get("seconds"), " s", 0),
            _fmt(outcome.get("peak_rss_mb"), " MB", 0),
            f"{outcome.get('load_average_before')} → {outcome.get('load_average_after')}",
        ]
        for name, outcome in outcomes.items()
    ]
    head += ["Wall time of each benchmark (its own process) and the 1-minute load average around it:", ""]
    head += _table(["benchmark", "wall time", "max RSS of its process tree", "load average"], durations)
    if note:
        head += [f"Note: {note}", ""]
    passed = sum(1 for *_rest, ok in report.targets if ok)
    missed = sum(1 for *_rest, ok in report.targets if ok is False)
    head += [f"## Targets: {passed} PASS, {missed} MISS", ""]
    head += _table(
        ["area", "target", "measured", "verdict"],
        [[area, target, measured, _verdict(ok)] for area, target, measured, ok in report.targets],
    )
    return "\n".join(head + report.lines).rstrip() + "\n"


# --- Entry point -----------------------------------------------------------------------------------


def run(
    *, quick: bool = False, only: Sequence[str] = BENCHMARKS, out: Path | None = None, note: str = ""
) -> dict[str, Any]:
    machine = common.machine_info()
    outcomes: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="moviesite-bench-") as tmp:
        for name in BENCHMARKS:
            if name in only:
                outcomes[name] = run_benchmark(name, quick=quick, workdir=Path(tmp))
    target = out or (QUICK_OUTPUT if quick else OUTPUT)
    target.write_text(render(outcomes, machine, quick=quick, note=note))
    common.say(f"run_all: figures written to {target}")
    return {"machine": machine, "outcomes": outcomes, "output": str(target)}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="toy sizes; writes BENCHMARKS.tmp.md")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help=f"comma-separated subset of {BENCHMARKS}")
    parser.add_argument("--out", type=Path, help="where to write the markdown")
    parser.add_argument(
        "--note",
        default=os.environ.get("BENCH_NOTE", ""),
        help="a remark written under the machine table, e.g. other load (default: $BENCH_NOTE)",
    )
    parser.add_argument("--json", type=Path, help="also write every figure as JSON here")
    parser.add_argument("--child", choices=BENCHMARKS, help=argparse.SUPPRESS)
    parser.add_argument("--options", default="{}", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child:
        run_child(options.child, json.loads(options.options), options.out)
        return
    only = [name.strip() for name in options.only.split(",") if name.strip()]
    unknown = set(only) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}; choose from {', '.join(BENCHMARKS)}")
    result = run(quick=options.quick, only=only, out=options.out, note=options.note)
    if options.json:
        options.json.write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
