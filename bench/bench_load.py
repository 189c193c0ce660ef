"""Serving under load, on loopback: gunicorn (production settings, 2 workers) on
PostgreSQL and Redis, driven by wrk at 16 connections.

    .venv/bin/python -m bench.bench_load            # generated 45,000-film catalog, 60 s per endpoint
    .venv/bin/python -m bench.bench_load --quick    # demo catalog, 10 s per endpoint

Set-up, all in scratch places: a fresh PostgreSQL database (bench.common.scratch_database),
the Redis db of BENCH_REDIS_URL (flushed before and after), a temporary var dir
for model artifacts. The catalog is the demo (load_demo) or generated films and
ratings in the real file formats (bench.datagen + import_catalog); then
`manage.py train`, site users with ratings and API tokens, collectstatic, and
gunicorn bound to 127.0.0.1 on a free port.

Endpoints, each for the same duration: (a) GET /api/v1/ping (trivial JSON, the
baseline), (b) film pages, (c) /api/v1/me/recommendations/ with a token, (d)
film search through the API, and (e) a simple signed-in call (the caller's
profile: token, throttle, three queries), which shows what a signed-in request
costs besides its own work. Film ids, tokens and search words rotate so
no single row is hot. Figures: requests/s, p50/p95/p99, errors (socket errors
and non-2xx answers), and the ratios of (b)-(e) to (a). Everything is stopped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench import common

CONNECTIONS = 16
DURATION_SECONDS = 60
QUICK_DURATION_SECONDS = 10
WARMUP_SECONDS = 5
WORKERS = 2
SITE_USERS = 16
RATINGS_PER_USER = 25
GENERATED_FILMS = 45_000
GENERATED_RATINGS = 1_000_000
CATALOGS = ("demo", "generated", "tiny")
TARGETS = {
    "recommendations_p99_ms": 50.0,
    "recommendations_rps_vs_trivial": 0.60,
    "film_page_p99_ms": 100.0,
}


# --- The load generator -----------------------------------------------------------

# One wrk Lua script per run: it rotates over prepared requests, counts non-2xx
# answers per thread, and writes every figure as JSON in its `done` hook.
_WRK_SCRIPT = """
local requests = {}
local counter = 0
local threads = {}
non2xx = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for _, spec in ipairs(%(specs)s) do
    table.insert(requests, wrk.format(spec[1], spec[2], spec[3], spec[4]))
  end
  counter = math.random(#requests)
end

function request()
  counter = counter %% #requests + 1
  return requests[counter]
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local non2xx_total = 0
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + thread:get("non2xx")
  end
  local out = io.open("%(out)s", "w")
  out:write(string.format(
    '{"duration_us": %%d, "requests": %%d, "bytes": %%d, "connect": %%d, "read": %%d, "write": %%d, ' ..
    '"status": %%d, "timeout": %%d, "non2xx": %%d, "mean_us": %%f, "max_us": %%d, ' ..
    '"p50_us": %%d, "p75_us": %%d, "p90_us": %%d, "p95_us": %%d, "p99_us": %%d, "p999_us": %%d}',
    summary.duration, summary.requests, summary.bytes, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout, non2xx_total, latency.mean,
    latency.max, latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency:percentile(99.9)))
  out:close()
end
"""


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal for these values


def _lua_requests(requests: Sequence[HttpRequest]) -> str:
    rows = []
    for item in requests:
        headers = ", ".join(f"[{_lua_string(key)}] = {_lua_string(value)}" for key, value in item.headers.items())
        body = _lua_string(item.body) if item.body is not None else "nil"
        rows.append(f"{{{_lua_string(item.method)}, {_lua_string(item.path)}, {{{headers}}}, {body}}}")
    return "{\n    " + ",\n    ".join(rows) + "\n  }"


def wrk_binary() -> str:
    """wrk from Debian; installed with apt-get when missing and running as root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        common.say("wrk is missing: installing Debian's wrk with apt-get")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, env=env, capture_output=True)
        found = shutil.which("wrk")
        if not found:
            subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env, capture_output=True)
            found = shutil.which("wrk")
    if not found:
        raise RuntimeError("the load benchmarks need wrk: sudo apt-get install wrk")
    return found


@dataclass
class WrkRun:
    process: subprocess.Popen[bytes]
    out: Path
    log: Path
    log_file: Any


def start_wrk(
    *,
    base_url: str,
    requests: Sequence[HttpRequest],
    connections: int,
    seconds: float,
    workdir: Path,
    name: str,
    threads: int = 1,
) -> WrkRun:
    """Start wrk in the background; `finish_wrk` waits for it and reads its figures."""
    if not requests:
        raise ValueError(f"no requests prepared for {name}")
    out, log, script = (workdir / f"wrk-{name}.{suffix}" for suffix in ("json", "log", "lua"))
    out.unlink(missing_ok=True)
    script.write_text(_WRK_SCRIPT % {"specs": _lua_requests(requests), "out": str(out)})
    args = [
        wrk_binary(),
        f"--threads={max(1, min(threads, connections))}",
        f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=5s",
        f"--script={script}",
        base_url,
    ]
    log_file = open(log, "wb")  # noqa: SIM115 - closed by finish_wrk
    process = subprocess.Popen(args, stdout=log_file, stderr=subprocess.STDOUT)
    return WrkRun(process=process, out=out, log=log, log_file=log_file)


def finish_wrk(run: WrkRun, *, timeout: float) -> dict[str, Any]:
    try:
        run.process.wait(timeout=timeout)
    finally:
        if run.process.poll() is None:
            run.process.kill()
            run.process.wait()
        run.log_file.close()
    if run.process.returncode != 0 or not run.out.exists():
        raise RuntimeError(f"wrk failed ({run.process.returncode}): {run.log.read_text()[-2000:]}")
    raw = json.loads(run.out.read_text())
    seconds = raw["duration_us"] / 1e6
    socket_errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 2),
        "requests_per_s": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "mean_ms": round(raw["mean_us"] / 1000, 2),
        "non_2xx": raw["non2xx"],
        "socket_errors": socket_errors,
        "errors": raw["non2xx"] + socket_errors,
    }


def run_wrk(
    *, base_url: str, requests: Sequence[HttpRequest], connections: int, seconds: float, workdir: Path, name: str
) -> dict[str, Any]:
    started = start_wrk(
        base_url=base_url, requests=requests, connections=connections, seconds=seconds, workdir=workdir, name=name
    )
    return finish_wrk(started, timeout=seconds + 60)


# --- The site under test ---------------------------------------------------------------


def seed_site_users(out_path: str, *, users: int = SITE_USERS, ratings_each: int = RATINGS_PER_USER) -> None:
    """Site accounts with ratings and API tokens, plus the ids and words the load rotates over.

    Runs inside `manage.py shell -c` (so inside the site's settings); writes JSON to out_path.
    """
    import random

    from django.contrib.auth import get_user_model
    from knox.models import AuthToken

    from catalog.models import Movie
    from ratings.models import Rating
    from ratings.services import rating_set

    chooser = random.Random(8)  # a fixed seed: repeatable data, not security
    films = list(Movie.objects.filter(is_hidden=False).order_by("-ratings_count", "-popularity", "pk")[:400])
    if len(films) < ratings_each + 10:
        raise RuntimeError(f"the catalog has {len(films)} visible films; the load needs at least {ratings_each + 10}")
    user_model = get_user_model()
    tokens, rating_ids = [], []
    for index in range(users):
        user, _created = user_model.objects.get_or_create(username=f"bench{index}")
        # Signed in by API token only: a password nobody knows would cost a production hash
        # (about 0.35 s each) and change nothing the load measures.
        user.set_unusable_password()
        user.save()
        chooser.random()  # the draw the random password took: the seeded ratings stay as in earlier runs
        for movie in chooser.sample(films[:200], ratings_each):
            rating_set(user=user, movie=movie, score=chooser.choice([1.0, 2.0, 3.0, 3.5, 4.0, 4.5, 5.0]))
        tokens.append(AuthToken.objects.create(user)[1])
        rating_ids.append(list(Rating.objects.filter(user=user).values_list("pk", flat=True)))
    words = sorted(
        {
            word.lower().strip(".,:;!?'\"()")
            for movie in films[:150]
            for word in movie.title.split()
            if len(word.strip(".,:;!?'\"()")) >= 4 and word.isascii()
        }
    )
    Path(out_path).write_text(
        json.dumps(
            {
                "tokens": tokens,
                "rating_ids": rating_ids,
                "film_ids": [movie.pk for movie in films],
                "search_words": words[:60],
                "films_in_catalog": Movie.objects.count(),
                "ratings_in_catalog": Rating.objects.count(),
            }
        )
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Site:
    base_url: str
    master_pid: int
    env: dict[str, str]
    workdir: Path
    fixtures: dict[str, Any]
    setup_seconds: dict[str, float]
    catalog: str
    web_env: dict[str, str] = field(default_factory=dict)

    def worker_pids(self) -> list[int]:
        return sorted(common.child_pids(self.master_pid))

    def worker_rss_bytes(self) -> dict[int, int]:
        return {pid: common.rss_bytes(pid) for pid in self.worker_pids()}

    def auth(self, index: int) -> dict[str, str]:
        tokens = self.fixtures["tokens"]
        return {"Authorization": f"Token {tokens[index % len(tokens)]}"}


def _load_generated_catalog(env: dict[str, str], workdir: Path, *, films: int, ratings: int) -> dict[str, float]:
    from bench import datagen  # helper B's generators of the real file formats

    data_dir = workdir / "dataset"
    data_dir.mkdir(exist_ok=True)
    with common.timed() as generating:
        datagen.write_movies_dataset(data_dir, n_movies=films)
        datagen.write_ratings_for_dataset(data_dir, n_ratings=ratings)
    with common.timed() as importing:
        common.manage(["import_catalog", str(data_dir)], env=env)
    shutil.rmtree(data_dir, ignore_errors=True)
    return {"generate_data_s": round(generating.seconds, 1), "import_s": round(importing.seconds, 1)}


TINY_WORDS = [
    "silent",
    "harbor",
    "winter",
    "garden",
    "broken",
    "mirror",
    "golden",
    "river",
    "hidden",
    "empire",
    "last",
    "summer",
    "night",
    "train",
    "paper",
    "moon",
    "iron",
    "heart",
    "lost",
    "city",
    "second",
    "chance",
    "wild",
    "orchid",
    "distant",
    "shore",
]
TINY_GENRES = ("Drama", "Comedy", "Action", "Thriller", "Romance", "Animation", "Documentary", "Horror")


def write_tiny_movielens(directory: Path, *, films: int = 300, users: int = 150, ratings_each: int = 40) -> None:
    """A small ml-latest catalog (movies.csv, ratings.csv) with a fixed seed: the smoke tests' catalog."""
    import csv
    import random

    chooser = random.Random(42)  # a fixed seed: repeatable data, not security
    with open(directory / "movies.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["movieId", "title", "genres"])
        for movie_id in range(1, films + 1):
            title = f"{chooser.choice(TINY_WORDS).title()} {chooser.choice(TINY_WORDS).title()} {movie_id}"
            genres = "|".join(chooser.sample(TINY_GENRES, chooser.randint(1, 3)))
            writer.writerow([movie_id, f"{title} ({chooser.randint(1950, 2020)})", genres])
    with open(directory / "ratings.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["userId", "movieId", "rating", "timestamp"])
        for user_id in range(1, users + 1):
            # Low ids are popular: a skewed catalog like the real one.
            seen = {min(films, int(chooser.paretovariate(0.8))) for _ in range(ratings_each * 3)}
            for movie_id in sorted(seen)[:ratings_each]:
                writer.writerow([user_id, movie_id, chooser.randint(1, 10) / 2, 1_000_000_000 + user_id * 1000])


@contextlib.contextmanager
def serving_site(
    *,
    catalog: str = "demo",
    films: int = GENERATED_FILMS,
    ratings: int = GENERATED_RATINGS,
    workers: int = WORKERS,
    keep_database: bool = False,
    web_env: dict[str, str] | None = None,
    wsgi_module: str = "moviesite.wsgi",
) -> Iterator[Site]:
    """A prepared catalog served by gunicorn with the production settings; torn down on exit.

    `wsgi_module` is the Procfile's `moviesite.wsgi` except for `bench.bench_layers`,
    which serves the same site with diagnostic endpoints added (`bench.layers_wsgi`).
    """
    setup: dict[str, float] = {}
    with (
        _terminate_as_exit(),
        tempfile.TemporaryDirectory(prefix="moviesite-bench-load-") as tmp,
        common.scratch_database("load", keep=keep_database) as database_url,
        common.scratch_redis() as redis_url,
    ):
        workdir = Path(tmp)
        env = common.production_env(
            database_url=database_url,
            redis_url=redis_url,
            var_dir=workdir / "var",
            extra={"DEMO_CACHE_DIR": str(common.REPO_DIR / "var" / "demo")},
        )
        common.say(f"load: preparing a {catalog} catalog in {database_url.rsplit('/', 1)[-1]}")
        with common.timed() as step:
            common.manage(["migrate", "--noinput"], env=env)
        setup["migrate_s"] = round(step.seconds, 1)
        if catalog == "demo":
            with common.timed() as step:
                common.manage(["load_demo"], env=env)
            setup["load_demo_s"] = round(step.seconds, 1)
        elif catalog == "generated":
            setup.update(_load_generated_catalog(env, workdir, films=films, ratings=ratings))
        elif catalog == "tiny":
            write_tiny_movielens(workdir)
            with common.timed() as step:
                common.manage(["import_catalog", str(workdir / "movies.csv"), str(workdir / "ratings.csv")], env=env)
            setup["import_s"] = round(step.seconds, 1)
        else:
            raise ValueError(f"unknown catalog {catalog!r}: demo, generated or tiny")
        with common.timed() as step:
            common.manage(["train"], env=env)
        setup["train_s"] = round(step.seconds, 1)
        fixtures_path = workdir / "fixtures.json"
        with common.timed() as step:
            common.manage(
                [
                    "shell",
                    "-c",
                    f"from bench.bench_load import seed_site_users; seed_site_users({str(fixtures_path)!r})",
                ],
                env=env,
            )
        setup["site_users_s"] = round(step.seconds, 1)
        with common.timed() as step:
            common.manage(["collectstatic", "--noinput", "--verbosity", "0"], env=env)
        setup["collectstatic_s"] = round(step.seconds, 1)
        fixtures = json.loads(fixtures_path.read_text())
        port = free_port()
        log = open(workdir / "gunicorn.log", "wb")  # noqa: SIM115 - closed in the finally below
        # The Procfile's web process, bound to loopback.
        gunicorn = subprocess.Popen(
            [
                str(common.VENV_BIN / "gunicorn"),
                wsgi_module,
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--access-logfile=-",
            ],
            cwd=common.REPO_DIR,
            env={**env, **(web_env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_serving(base_url, gunicorn, workers=workers, log=workdir / "gunicorn.log")
            common.say(f"load: gunicorn ({workers} workers) serving {fixtures['films_in_catalog']} films at {base_url}")
            yield Site(
                base_url=base_url,
                master_pid=gunicorn.pid,
                env=env,
                workdir=workdir,
                fixtures=fixtures,
                setup_seconds=setup,
                catalog=catalog,
                web_env=dict(web_env or {}),
            )
        finally:
            _stop(gunicorn)
            log.close()


@contextlib.contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """SIGTERM unwinds like Ctrl-C, so gunicorn and the scratch database are cleaned up."""

    def _exit(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, _exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _wait_until_serving(base_url: str, process: subprocess.Popen[bytes], *, workers: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{base_url}/api/v1/ping", timeout=2) as response,  # noqa: S310 - loopback
        ):
            if response.status == 200 and len(common.child_pids(process.pid)) >= workers:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within 60 s:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Gunicorn's graceful stop, then the whole process group if anything lingers."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    if process.poll() is None:
        process.wait()


# --- The scenarios -------------------------------------------------------------------


def endpoint_requests(site: Site) -> dict[str, list[HttpRequest]]:
    """The four measured endpoints, each with the requests wrk rotates over."""
    films = site.fixtures["film_ids"]
    words = site.fixtures["search_words"] or ["the"]
    users = len(site.fixtures["tokens"])
    return {
        "trivial": [HttpRequest("GET", "/api/v1/ping")],
        "film_page": [HttpRequest("GET", f"/films/{pk}/") for pk in films[:200]],
        "recommendations": [
            HttpRequest("GET", "/api/v1/me/recommendations/", site.auth(index)) for index in range(users)
        ],
        "search": [HttpRequest("GET", f"/api/v1/films/?q={quote(word)}") for word in words],
        # Not a target: the floor under (c), a signed-in call that only reads the caller's profile.
        "signed_in_floor": [HttpRequest("GET", "/api/v1/me/profile/", site.auth(index)) for index in range(users)],
    }


LABELS = {
    "trivial": "(a) trivial JSON: GET /api/v1/ping",
    "film_page": "(b) film page: GET /films/<id>/",
    "recommendations": "(c) recommendations: GET /api/v1/me/recommendations/ (token)",
    "search": "(d) film search: GET /api/v1/films/?q=<word>",
    "signed_in_floor": "(e) simple signed-in call: GET /api/v1/me/profile/ (token)",
}


def _check_answers(site: Site, requests: dict[str, list[HttpRequest]]) -> None:
    """Each endpoint answers 200 once before it is loaded: a broken set-up fails loudly, not as 'fast'."""
    for name, items in requests.items():
        item = items[0]
        url = site.base_url + item.path
        request = urllib.request.Request(url, headers=item.headers, method=item.method)  # noqa: S310 - loopback
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
                if response.status != 200:
                    raise RuntimeError(f"{name}: {item.path} answered {response.status}")
        except urllib.error.HTTPError as error:
            body = error.read()[:500]
            raise RuntimeError(f"{name}: {item.path} answered {error.code}: {body!r}") from error


def measure_endpoints(
    site: Site,
    *,
    seconds: float = DURATION_SECONDS,
    connections: int = CONNECTIONS,
    warmup: float = WARMUP_SECONDS,
    requests: dict[str, list[HttpRequest]] | None = None,
    labels: dict[str, str] = LABELS,
) -> dict[str, Any]:
    """wrk against each endpoint in turn; ratios to the "trivial" one, which `requests` must hold."""
    requests = requests if requests is not None else endpoint_requests(site)
    _check_answers(site, requests)
    results: dict[str, Any] = {}
    for name, items in requests.items():
        if warmup:
            # Every worker loads its models lazily: warm them all before measuring.
            run_wrk(
                base_url=site.base_url,
                requests=items,
                connections=connections,
                seconds=warmup,
                workdir=site.workdir,
                name=f"{name}-warmup",
            )
        common.say(f"load: {labels[name]} for {seconds:.0f} s at {connections} connections")
        results[name] = run_wrk(
            base_url=site.base_url,
            requests=items,
            connections=connections,
            seconds=seconds,
            workdir=site.workdir,
            name=name,
        )
        results[name]["label"] = labels[name]
    baseline = results["trivial"]
    for figures in results.values():
        figures["rps_vs_trivial"] = common.ratio(figures["requests_per_s"], baseline["requests_per_s"])
        figures["p99_vs_trivial"] = common.ratio(figures["p99_ms"], baseline["p99_ms"])
    return results


def evaluate_targets(endpoints: dict[str, Any]) -> list[dict[str, Any]]:
    recs, film, trivial = endpoints["recommendations"], endpoints["film_page"], endpoints["trivial"]
    share = TARGETS["recommendations_rps_vs_trivial"]
    return [
        {
            "target": f"recommendations p99 ≤ {TARGETS['recommendations_p99_ms']:.0f} ms",
            "measured": f"{recs['p99_ms']} ms",
            "passed": recs["p99_ms"] <= TARGETS["recommendations_p99_ms"],
        },
        {
            "target": f"recommendations ≥ {share:.0%} of the trivial endpoint's req/s",
            "measured": f"{recs['rps_vs_trivial']:.0%} ({recs['requests_per_s']} vs {trivial['requests_per_s']} req/s)",
            "passed": (recs["rps_vs_trivial"] or 0) >= share,
        },
        {
            "target": "recommendations: 0 errors",
            "measured": f"{recs['errors']} ({recs['non_2xx']} non-2xx, {recs['socket_errors']} socket)",
            "passed": recs["errors"] == 0,
        },
        {
            "target": f"film page p99 ≤ {TARGETS['film_page_p99_ms']:.0f} ms",
            "measured": f"{film['p99_ms']} ms",
            "passed": film["p99_ms"] <= TARGETS["film_page_p99_ms"],
        },
        {
            "target": "0 errors on every endpoint",
            "measured": ", ".join(f"{name} {figures['errors']}" for name, figures in endpoints.items()),
            "passed": all(figures["errors"] == 0 for figures in endpoints.values()),
        },
    ]


def run(
    *,
    quick: bool = False,
    seconds: float | None = None,
    connections: int = CONNECTIONS,
    catalog: str | None = None,
    films: int = GENERATED_FILMS,
    ratings: int = GENERATED_RATINGS,
    warmup: float | None = None,
    web_env: dict[str, str] | None = None,
    site: Site | None = None,
) -> dict[str, Any]:
    """Measure the four endpoints; reuse `site` when given (run_all shares it with the soak)."""
    seconds = seconds if seconds is not None else (QUICK_DURATION_SECONDS if quick else DURATION_SECONDS)
    warmup = warmup if warmup is not None else (2 if quick else WARMUP_SECONDS)
    if site is None:
        with serving_site(
            catalog=catalog or ("demo" if quick else "generated"), films=films, ratings=ratings, web_env=web_env
        ) as own:
            return run(quick=quick, seconds=seconds, connections=connections, warmup=warmup, site=own)
    endpoints = measure_endpoints(site, seconds=seconds, connections=connections, warmup=warmup)
    return {
        "catalog": site.catalog,
        "films": site.fixtures["films_in_catalog"],
        "site_users": len(site.fixtures["tokens"]),
        "workers": WORKERS,
        "connections": connections,
        "seconds_per_endpoint": seconds,
        "load_generator": "wrk 4 (1 thread per process) on the same machine",
        "web_env": site.web_env,
        "setup_s": site.setup_seconds,
        "endpoints": endpoints,
        "targets": evaluate_targets(endpoints),
    }


def print_report(result: dict[str, Any]) -> None:
    print(
        f"Load: {result['catalog']} catalog ({result['films']} films), gunicorn {result['workers']} workers, "
        f"{result['connections']} connections, {result['seconds_per_endpoint']:.0f} s per endpoint"
        + (f", extra web env {result['web_env']}" if result["web_env"] else "")
    )
    print(f"{'endpoint':62} {'req/s':>8} {'p50':>7} {'p95':>7} {'p99':>7} {'errors':>6} {'x req/s':>8}")
    for figures in result["endpoints"].values():
        print(
            f"{figures['label']:62} {figures['requests_per_s']:8.1f} {figures['p50_ms']:7.2f} {figures['p95_ms']:7.2f}"
            f" {figures['p99_ms']:7.2f} {figures['errors']:6d} {figures['rps_vs_trivial']:8.3f}"
        )
    for target in result["targets"]:
        print(f"{'PASS' if target['passed'] else 'MISS'}  {target['target']}: {target['measured']}")


def parse_env_pairs(pairs: Sequence[str]) -> dict[str, str]:
    parsed = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise SystemExit(f"--web-env expects KEY=VALUE, got {pair!r}")
        parsed[key] = value
    return parsed


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="demo catalog, 10 s per endpoint")
    parser.add_argument("--seconds", type=float, help=f"per endpoint (default {DURATION_SECONDS})")
    parser.add_argument("--connections", type=int, default=CONNECTIONS)
    parser.add_argument("--catalog", choices=CATALOGS, help="default: generated (demo with --quick)")
    parser.add_argument("--films", type=int, default=GENERATED_FILMS, help="generated catalog size")
    parser.add_argument("--ratings", type=int, default=GENERATED_RATINGS, help="generated ratings")
    parser.add_argument("--web-env", action="append", default=[], metavar="KEY=VALUE", help="extra env for gunicorn")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    options = parser.parse_args(argv)
    result = run(
        quick=options.quick,
        seconds=options.seconds,
        connections=options.connections,
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
