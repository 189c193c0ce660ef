from __future__ import annotations

import os
import sys

import psycopg
import pytest

from bench import common


def test_it_interpolates_percentiles_like_numpy() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]

    assert common.percentile(values, 50) == 5.5
    assert common.percentile(values, 99) == pytest.approx(9.91)
    assert common.percentile([7.0], 99) == 7.0


def test_it_summarises_latencies_in_milliseconds() -> None:
    summary = common.latency_summary_ms([0.001, 0.002, 0.003])

    assert summary["count"] == 3
    assert summary["p50_ms"] == 2.0
    assert summary["max_ms"] == 3.0


def test_it_gives_no_ratio_without_a_baseline() -> None:
    assert common.ratio(50.0, 200.0) == 0.25
    assert common.ratio(50.0, 0.0) is None
    assert common.ratio(None, 10.0) is None


def test_it_measures_the_peak_memory_of_a_child_process() -> None:
    child = common.run_measured(
        [sys.executable, "-c", "block = bytearray(150 * 2**20); block[::4096] = b'x' * len(block[::4096])"]
    )

    assert child.returncode == 0
    assert 150 <= child.peak_rss_mb < 400
    assert child.seconds > 0


def test_a_large_parent_does_not_inflate_the_childs_peak_memory() -> None:
    # Linux counts the pages a child inherits at fork in its ru_maxrss; the launcher keeps them out.
    parent_ballast = bytearray(400 * 2**20)
    parent_ballast[:: 2**12] = b"x" * len(parent_ballast[:: 2**12])

    child = common.run_measured([sys.executable, "-c", "pass"])

    assert child.peak_rss_mb < 100
    del parent_ballast


def test_it_raises_with_the_childs_output_when_the_child_fails() -> None:
    with pytest.raises(common.ChildFailed, match="no such thing"):
        common.run_measured([sys.executable, "-c", "import sys; sys.exit('no such thing')"])


def test_it_kills_a_child_that_overruns_its_timeout() -> None:
    child = common.run_measured([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5, check=False)

    assert child.returncode != 0
    assert child.seconds < 10


def test_it_reads_the_rss_of_a_live_process() -> None:
    assert common.rss_bytes(os.getpid()) > 10 * 2**20
    assert common.rss_bytes(2**22 + 12345) == 0


def test_it_describes_the_machine() -> None:
    machine = common.machine_info()

    assert machine["cores"] == os.cpu_count()
    assert machine["python"].startswith("3.")
    assert len(machine["load_average"]) == 3


def test_it_refuses_a_database_name_that_is_not_an_identifier() -> None:
    with pytest.raises(ValueError, match="not a usable database name"), common.scratch_database("bad-name; drop"):
        pass


def test_production_env_turns_debug_off_and_sets_a_strong_key(tmp_path) -> None:
    env = common.production_env(database_url="postgres://x/y", redis_url="redis://z/7", var_dir=tmp_path)

    assert env["DJANGO_DEBUG"] == "0"
    assert len(env["DJANGO_SECRET_KEY"]) >= 50
    assert env["DATABASE_URL"] == "postgres://x/y"
    assert env["MOVIESITE_VAR_DIR"] == str(tmp_path)


@pytest.mark.services
def test_it_creates_and_drops_a_scratch_database() -> None:
    with common.scratch_database("selftest") as url, psycopg.connect(url) as connection:
        assert connection.execute("SELECT current_database()").fetchone()[0].endswith("_selftest")
    with psycopg.connect(common.ADMIN_DATABASE_URL) as connection:
        name = url.rsplit("/", 1)[-1]
        assert connection.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [name]).fetchone()[0] == 0
