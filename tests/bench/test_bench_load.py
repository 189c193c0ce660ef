from __future__ import annotations

import csv
import http.server
import json
import os
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import psycopg
import pytest

from bench import bench_layers, bench_load, common, soak
from bench.bench_load import HttpRequest
from tests.conftest import REQUIRE_SERVICES

# Where services are required (CI) a missing wrk is a failure, not a skip: `make test` installs it.
needs_wrk = pytest.mark.skipif(
    shutil.which("wrk") is None and not REQUIRE_SERVICES, reason="wrk is not installed (make test-deps)"
)


class _Recorder(http.server.BaseHTTPRequestHandler):
    """200 on /ok, 404 elsewhere; keeps every POST body it receives."""

    bodies: list[bytes] = []

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
        self._answer()

    def _answer(self) -> None:
        status = 200 if self.path == "/ok" else 404
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    _Recorder.bodies = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@needs_wrk
def test_wrk_counts_every_answer_that_is_not_2xx_as_an_error(local_server, tmp_path) -> None:
    figures = bench_load.run_wrk(
        base_url=local_server,
        requests=[HttpRequest("GET", "/ok"), HttpRequest("GET", "/missing")],
        connections=2,
        seconds=1,
        workdir=tmp_path,
        name="mixed",
    )

    assert figures["requests"] > 10
    assert 0.3 < figures["non_2xx"] / figures["requests"] < 0.7
    assert figures["errors"] == figures["non_2xx"] + figures["socket_errors"]
    assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"] <= figures["max_ms"]


@needs_wrk
def test_wrk_sends_the_prepared_headers_and_json_bodies(local_server, tmp_path) -> None:
    body = '{"film": 7, "score": 4.5, "note": "quotes \\" and \\\\ survive"}'

    figures = bench_load.run_wrk(
        base_url=local_server,
        requests=[HttpRequest("POST", "/ok", {"Content-Type": "application/json"}, body)],
        connections=1,
        seconds=1,
        workdir=tmp_path,
        name="post",
    )

    assert figures["errors"] == 0
    assert _Recorder.bodies
    assert all(json.loads(received) == json.loads(body) for received in _Recorder.bodies)


def test_the_tiny_catalog_is_in_the_movielens_format_and_repeatable(tmp_path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()

    bench_load.write_tiny_movielens(first, films=50, users=10, ratings_each=8)
    bench_load.write_tiny_movielens(second, films=50, users=10, ratings_each=8)

    with open(first / "movies.csv") as movies, open(first / "ratings.csv") as ratings:
        movie_rows, rating_rows = list(csv.reader(movies)), list(csv.reader(ratings))
    assert movie_rows[0] == ["movieId", "title", "genres"]
    assert rating_rows[0] == ["userId", "movieId", "rating", "timestamp"]
    assert len(movie_rows) == 51
    assert all(0.5 <= float(row[2]) <= 5.0 for row in rating_rows[1:])
    assert (first / "ratings.csv").read_bytes() == (second / "ratings.csv").read_bytes()


def _status(url: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def _layer_statuses(site: bench_load.Site) -> dict[str, int]:
    """Each diagnostic endpoint answers as its layers say: without a valid token, the token layers refuse."""
    paths = bench_layers.LAYER_PATHS
    drf, token, throttle = (site.base_url + paths[name] for name in ("drf", "drf_token", "drf_token_throttle"))
    return {
        "drf": _status(drf),
        "drf_token": _status(token),
        "drf_token with a wrong token": _status(token, {"Authorization": "Token not-a-real-token"}),
        "drf_token signed in": _status(token, site.auth(0)),
        "drf_token_throttle": _status(throttle),
        "drf_token_throttle signed in": _status(throttle, site.auth(0)),
    }


def test_it_refuses_a_web_env_pair_without_an_equals_sign() -> None:
    assert bench_load.parse_env_pairs(["OPENBLAS_NUM_THREADS=1"]) == {"OPENBLAS_NUM_THREADS": "1"}
    with pytest.raises(SystemExit):
        bench_load.parse_env_pairs(["OPENBLAS_NUM_THREADS"])


@needs_wrk
@pytest.mark.services
@pytest.mark.slow
def test_load_layers_and_soak_run_end_to_end_on_a_tiny_catalog_and_leave_nothing_running() -> None:
    """One site for the three benchmarks: preparing one (migrate, import, train) is most of the time.

    It is served through bench.layers_wsgi, the site plus bench_layers' diagnostic endpoints.
    """
    with bench_load.serving_site(catalog="tiny", wsgi_module="bench.layers_wsgi") as site:
        master = site.master_pid
        database = site.env["DATABASE_URL"].rsplit("/", 1)[-1]
        layer_statuses = _layer_statuses(site)
        # wrk's shortest run (1 s) each: the checks below are about every part answering, not its speed.
        (layers,) = bench_layers.measure(site, rounds=1, seconds=1, connections=4, warmup=0)
        load = bench_load.run(seconds=1, warmup=1, connections=4, site=site)
        soaked = soak.run(seconds=1, warmup=1, site=site)

    assert layer_statuses == {
        "drf": 200,
        "drf_token": 401,
        "drf_token with a wrong token": 401,
        "drf_token signed in": 200,
        "drf_token_throttle": 401,
        "drf_token_throttle signed in": 200,
    }
    assert set(layers) == set(bench_layers.LABELS)
    for name, figures in layers.items():
        assert figures["requests"] > 0, (name, figures)
        assert figures["errors"] == 0, (name, figures)
    assert layers["trivial"]["rps_vs_trivial"] == 1.0

    for name, figures in load["endpoints"].items():
        assert figures["requests"] > 0, (name, figures)
        assert figures["non_2xx"] == 0, (name, figures)
    assert load["endpoints"]["trivial"]["rps_vs_trivial"] == 1.0
    assert {target["target"] for target in load["targets"]} >= {"recommendations: 0 errors"}
    for kind, figures in soaked["kinds"].items():
        assert figures["requests"] > 0, kind
        assert figures["non_2xx"] == 0, (kind, figures)
    assert soaked["memory"]["workers_start_mb"] > 0
    assert soaked["memory"]["workers_replaced"] is False
    assert not os.path.exists(f"/proc/{master}")
    with psycopg.connect(common.ADMIN_DATABASE_URL) as connection:
        assert connection.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [database]).fetchone()[0] == 0
