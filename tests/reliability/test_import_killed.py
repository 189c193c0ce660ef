"""Issue 9, item 14: an import SIGKILLed part-way and run again ends exactly like a clean import.

import_catalog runs as its own process on a generated MovieLens directory, with
ratings read in 512 kB blocks (16 MB in production) so that a small file spans
several committed blocks, and is killed after the first one is committed. The
state after the re-run is compared, by content and counts, with a clean import
of the same files into emptied tables.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from django.db import connection

from catalog.models import Genre, ImportRun, Movie, MovieLensLink
from ratings.models import DatasetRating
from tests.reliability.conftest import PROJECT_ROOT, SERVER_SETTINGS_MODULE, database_url_of_test_database, wait_until

pytestmark = pytest.mark.services

FILMS = 1000
# About 2.5 MB: five blocks of RATINGS_BLOCK_BYTES.
RATINGS = 100_000
RATINGS_BLOCK_BYTES = 1 << 19
IMPORT = (
    "import sys, django; django.setup()\n"
    "from catalog.importers import ratings\n"
    f"ratings.BLOCK_BYTES = {RATINGS_BLOCK_BYTES}\n"
    "from django.core.management import call_command\n"
    "call_command('import_catalog', sys.argv[1])\n"
)
# Bulk mode (one transaction, indexes dropped and re-created) for any file size.
BULK_IMPORT = IMPORT.replace("from django.core.management", "ratings.BULK_MIN_ROWS = 1\nfrom django.core.management")
# The same with a pause before each block is placed, so that once the first block's rows
# are in the COPY the statement stays open for seconds: the kill lands inside it however
# fast the machine is. Only the import to be killed needs it.
PAUSED_BULK_IMPORT = BULK_IMPORT.replace(
    "from django.core.management",
    "import time\n"
    "_overlaps = ratings._RaterRanges.overlaps\n"
    "ratings._RaterRanges.overlaps = lambda ranges, low, high: time.sleep(0.5) or _overlaps(ranges, low, high)\n"
    "from django.core.management",
)
GENRES = ["Action", "Comedy", "Drama", "Horror", "Romance", "Thriller"]


def _write_movielens(directory: Path) -> int:
    """movies.csv and ratings.csv in ml-latest's layout; returns the distinct (rater, film) pairs."""
    directory.mkdir()
    with (directory / "movies.csv").open("w", encoding="utf-8") as movies:
        movies.write("movieId,title,genres\n")
        for film in range(1, FILMS + 1):
            genres = "|".join(GENRES[(film + step) % len(GENRES)] for step in range(film % 3 + 1))
            movies.write(f'{film},"Killed import film {film}, part {film % 7} ({1950 + film % 70})",{genres}\n')
    rng = np.random.default_rng(14)
    raters = rng.integers(1, 20_000, RATINGS)
    films = rng.integers(1, FILMS + 1, RATINGS)
    scores = rng.integers(1, 11, RATINGS) / 2
    stamps = rng.integers(900_000_000, 1_500_000_000, RATINGS)
    lines = np.char.add(
        np.char.add(np.char.add(raters.astype(str), ","), np.char.add(films.astype(str), ",")),
        np.char.add(np.char.add(np.char.mod("%.1f", scores), ","), stamps.astype(str)),
    )
    (directory / "ratings.csv").write_text("userId,movieId,rating,timestamp\n" + "\n".join(lines) + "\n")
    return len(set(zip(raters.tolist(), films.tolist(), strict=True)))


def _import(directory: Path, script: str = IMPORT) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SERVER_SETTINGS_MODULE,
        "DATABASE_URL": database_url_of_test_database(),
        "PYTHONPATH": str(PROJECT_ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-c", script, str(directory)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _finish(process: subprocess.Popen[bytes]) -> None:
    try:
        output, _ = process.communicate(timeout=180)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 0, output.decode(errors="replace")[-3000:]


def _table(model: type) -> str:
    return model._meta.db_table  # type: ignore[attr-defined]


def _catalog_state() -> dict[str, object]:
    """Counts and an order-independent content hash of every imported table, by natural keys (never ids)."""
    movie, genre, rating, link = _table(Movie), _table(Genre), _table(DatasetRating), _table(MovieLensLink)
    movie_genres = _table(Movie.genres.through)
    # Table names come from the models: nothing here is user input.
    queries = {
        "films": f"SELECT count(*), md5(string_agg(concat_ws('|', movielens_id, title, release_year), ';' "  # noqa: S608
        f"ORDER BY movielens_id)) FROM {movie}",
        "genres": f"SELECT count(*), md5(string_agg(name, ';' ORDER BY name)) FROM {genre}",  # noqa: S608
        "film_genres": f"SELECT count(*), md5(string_agg(concat_ws('|', m.movielens_id, g.name), ';' "  # noqa: S608
        f"ORDER BY m.movielens_id, g.name)) FROM {movie_genres} mg JOIN {movie} m ON m.id = mg.movie_id "
        f"JOIN {genre} g ON g.id = mg.genre_id",
        "links": f"SELECT count(*), md5(string_agg(concat_ws('|', l.movielens_id, m.movielens_id), ';' "  # noqa: S608
        f"ORDER BY l.movielens_id)) FROM {link} l LEFT JOIN {movie} m ON m.id = l.movie_id",
        "ratings": f"SELECT count(*), md5(string_agg(concat_ws('|', r.source, r.rater_id, m.movielens_id, r.score, "  # noqa: S608
        f"r.rated_at), ';' ORDER BY r.source, r.rater_id, m.movielens_id)) FROM {rating} r "
        f"JOIN {movie} m ON m.id = r.movie_id",
    }
    state: dict[str, object] = {}
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            cursor.execute(sql)  # table names from the models, no input
            state[name] = tuple(cursor.fetchone())
    return state


def _empty_the_catalog() -> None:
    tables = ", ".join(_table(model) for model in (DatasetRating, MovieLensLink, Movie, Genre, ImportRun))
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} CASCADE")


def _kill_when(process: subprocess.Popen[bytes], condition: Callable[[], bool], *, what: str) -> None:
    """SIGKILL the import's process group as soon as `condition` holds; fail if it finished first."""
    wait_until(lambda: condition() or process.poll() is not None, timeout=240, interval=0.05, what=what)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the import finished before it could be killed: make the file bigger"


def test_an_import_killed_part_way_then_run_again_equals_a_clean_import(transactional_db: None, tmp_path: Path) -> None:
    directory = tmp_path / "ml-latest"
    distinct_pairs = _write_movielens(directory)

    _kill_when(_import(directory), DatasetRating.objects.exists, what="the first ratings block to be committed")
    part_way = DatasetRating.objects.count()
    assert 0 < part_way < distinct_pairs
    assert ImportRun.objects.get().status != ImportRun.Status.SUCCEEDED

    _finish(_import(directory))
    after_rerun = _catalog_state()
    _empty_the_catalog()
    _finish(_import(directory))
    clean = _catalog_state()

    assert after_rerun == clean
    assert clean["films"][0] == FILMS  # type: ignore[index]
    assert clean["ratings"][0] == distinct_pairs  # type: ignore[index]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {_table(DatasetRating)} "  # noqa: S608
            "GROUP BY source, rater_id, movie_id HAVING count(*) > 1) duplicates"
        )
        assert cursor.fetchone()[0] == 0


def _indexes() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [_table(DatasetRating)])
        return sorted(cursor.fetchall())


def _rows_copied_so_far() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(tuples_processed), 0) FROM pg_stat_progress_copy WHERE relid = %s::regclass",
            [_table(DatasetRating)],
        )
        return int(cursor.fetchone()[0])


def test_a_bulk_load_killed_inside_its_transaction_leaves_nothing_and_a_re_run_equals_a_clean_import(
    transactional_db: None, tmp_path: Path
) -> None:
    directory = tmp_path / "ml-latest"
    distinct_pairs = _write_movielens(directory)
    indexes_before = _indexes()

    _kill_when(
        _import(directory, PAUSED_BULK_IMPORT),
        lambda: _rows_copied_so_far() > 0,
        what="the bulk load's COPY to be under way",
    )
    # The server ends the killed session's transaction: the rows and the dropped indexes roll back.
    wait_until(lambda: _rows_copied_so_far() == 0, timeout=30, interval=0.05, what="the killed session to end")
    assert DatasetRating.objects.count() == 0
    assert _indexes() == indexes_before

    _finish(_import(directory, BULK_IMPORT))
    after_rerun = _catalog_state()
    _empty_the_catalog()
    _finish(_import(directory, BULK_IMPORT))
    clean = _catalog_state()

    assert after_rerun == clean
    assert clean["ratings"][0] == distinct_pairs  # type: ignore[index]
    assert _indexes() == indexes_before
