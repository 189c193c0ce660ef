"""Dataset ratings (MovieLens ratings.csv / ratings_small.csv, u.data, .inter, ratings.dat) at scale.

The file is read in blocks of a few megabytes cut at line ends (and where the
rater changes, so one rater's ratings never straddle two transactions). A
block is parsed by pandas' C parser when it is clean, or line by line when it
is not, so every bad line gets its own reject. Valid rows then go to the
database in one transaction per block:

- PostgreSQL, first load of a block: when no rating of this source exists yet
  for any rater in the block's rater id range, none of its rows can conflict,
  so the validated, mapped rows are COPYed straight into the ratings table in
  PostgreSQL's binary format (built with numpy, no per-row Python). This is the
  path of a first import and of the blocks a killed import never committed.
- PostgreSQL, otherwise (a re-import, overlapping raters, or a concurrent
  import that got there first): COPY (psycopg 3 `cursor.copy`) into a
  session-temporary staging table, then one `INSERT ... SELECT ... ON CONFLICT
  DO UPDATE` that maps MovieLens ids to films in SQL and counts what it
  inserted and updated.
- SQLite: `executemany` of the same upsert.

- PostgreSQL, bulk mode: a file at least twice the size of the whole table
  (a first load) is loaded in ONE transaction: lock the table, drop its
  primary key, COPY every block whose raters are new, re-create the key,
  commit. Keeping a 10M-row unique index current row by row cost several
  times the COPY itself; building it once costs less than the COPY. The
  primary key is the packed (source, rater, film) (ratings.models.
  dataset_rating_key, computed here with numpy), so it is the only index.
  Even this key, whose values arrive in ascending order (every insert on
  the index's rightmost page), loaded slower kept in place: 15.1 and 15.0 s
  against 11.5 and 10.1 s dropped and rebuilt (10M rows, alternated runs,
  2026-12-01).
  DDL is transactional, so a killed bulk load leaves the table as it was.
  Blocks whose raters the table already holds, or that an earlier block of
  the file touched (a file not sorted by rater), are set aside on disk and
  go through the upsert, in file order, once the indexes are back.

Blocks are parsed and validated in a background thread while the database
ingests the previous one. Memory is bounded by the block size whatever the
file size. A block that fails half-way rolls back alone; re-running the file
repairs it, because the upsert is idempotent.
"""

from __future__ import annotations

import bisect
import contextlib
import csv
import io
import queue
import tempfile
import threading
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import IO, Any, cast

import numpy as np
import pandas as pd
from django.db import IntegrityError, connection, transaction

from catalog.importers.aliases import merged_film_ids
from catalog.importers.base import FileCounts, ImportContext, Source
from catalog.importers.upsert import drop_indexes
from catalog.models import Movie, MovieAlias, MovieLensLink
from ratings.models import ALLOWED_SCORES, MAX_KEY_FILM_ID, DatasetRating, dataset_rating_key, dataset_rating_key_sql

BLOCK_BYTES = 16 * 1024 * 1024
MAX_RATER_ID = 2**31 - 1
# A rating's timestamp may lie at most this far past the import's clock (a
# day absorbs clocks and time zones); later ones are rejected: no rating is
# from the future, and values near 2**62 broke PostgreSQL's to_timestamp and
# overflowed a Sum on SQLite.
TIMESTAMP_MARGIN_SECONDS = 24 * 60 * 60
TIMESTAMP_TOO_LATE = "timestamp later than a day after the import (a rating from the future)"
COLUMNS = ("rater", "item", "score", "ts")
STAGING_TABLE = "moviesite_rating_staging"
# One row of PostgreSQL's binary COPY format for (id, source, rater_id,
# movie_id, score, rated_at): a field count, then each field's byte length and
# value, all big-endian.
BINARY_ROW = np.dtype(
    [
        ("fields", ">i2"),
        ("id_length", ">i4"),
        ("id", ">i8"),
        ("source_length", ">i4"),
        ("source", ">i2"),
        ("rater_length", ">i4"),
        ("rater", ">i4"),
        ("movie_length", ">i4"),
        ("movie", ">i8"),
        ("score_length", ">i4"),
        ("score", ">f8"),
        ("ts_length", ">i4"),
        ("ts", ">i8"),
    ]
)
COPY_COLUMNS = "(id, source, rater_id, movie_id, score, rated_at)"
BINARY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
BINARY_TRAILER = b"\xff\xff"
# Bulk mode (module docstring) only for files of at least this many rows, and
# only when the table holds at most half as many rows as the file brings.
BULK_MIN_ROWS = 2_000_000
BULK_MAINTENANCE_WORK_MEM = "1GB"
# Parallel workers for the index builds. One worker beside the leader uses
# both cores of a 2-core host once the COPY is done (the parser thread has
# finished): 10M-row primary key in 1.5-2.0 s against 2.0-2.8 s serial and
# 2.0-2.2 s with two workers (2026-12-01, alternated runs). An earlier
# measurement found two workers slower than a serial build (15.3-18.9 s
# against 14.0-14.4 s per import): three processes on two cores.
BULK_INDEX_WORKERS = 1


@dataclass(frozen=True)
class RatingsLayout:
    """How one ratings format is laid out."""

    source: int  # DatasetRating.Source
    delimiter: str
    has_header: bool
    # "movielens": item ids are MovieLens ids, mapped through MovieLensLink;
    # "ml100k": item ids are MovieLens 100K ids (Movie.ml100k_id).
    id_space: str
    field_names: tuple[str, str, str, str] = ("userId", "movieId", "rating", "timestamp")
    # MovieLens 1M and 10M separate fields by "::", read as a tab (DoubleColonAsTab).
    double_colon: bool = False


MOVIELENS_CSV = RatingsLayout(DatasetRating.Source.MOVIELENS, ",", True, "movielens")
MOVIELENS_SMALL_CSV = RatingsLayout(DatasetRating.Source.MOVIELENS_SMALL, ",", True, "movielens")
ML20M_CSV = RatingsLayout(DatasetRating.Source.ML20M, ",", True, "movielens")
ML25M_CSV = RatingsLayout(DatasetRating.Source.ML25M, ",", True, "movielens")
ML32M_CSV = RatingsLayout(DatasetRating.Source.ML32M, ",", True, "movielens")
ML_LATEST_SMALL_CSV = RatingsLayout(DatasetRating.Source.ML_LATEST_SMALL, ",", True, "movielens")
ML100K_UDATA = RatingsLayout(
    DatasetRating.Source.ML100K, "\t", False, "ml100k", ("user_id", "item_id", "rating", "timestamp")
)
RECBOLE_INTER = RatingsLayout(
    DatasetRating.Source.ML100K, "\t", True, "ml100k", ("user_id", "item_id", "rating", "timestamp")
)
DAT_FIELD_NAMES = ("UserID", "MovieID", "Rating", "Timestamp")
ML1M_DAT = RatingsLayout(DatasetRating.Source.ML1M, "\t", False, "movielens", DAT_FIELD_NAMES, double_colon=True)
ML10M_DAT = RatingsLayout(DatasetRating.Source.ML10M, "\t", False, "movielens", DAT_FIELD_NAMES, double_colon=True)


class DoubleColonAsTab(io.RawIOBase):
    """A MovieLens 1M/10M `.dat` stream with each "::" read as a tab.

    pandas' fast parser and PostgreSQL's COPY take one-character separators;
    ratings.dat holds only numbers, so no field can contain either. A lone ":"
    ending one read waits for the next, so a "::" split between two reads is
    still one separator.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self._raw = raw
        self._carry = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        while True:
            chunk = self._raw.read(-1 if size is None else size)
            data, self._carry = (self._carry + chunk).replace(b"::", b"\t"), b""
            if chunk and data.endswith(b":"):
                data, self._carry = data[:-1], b":"
            if data or not chunk:
                return data


def latest_timestamp() -> int:
    """The latest timestamp a rating imported now may have (TIMESTAMP_MARGIN_SECONDS)."""
    return int(time.time()) + TIMESTAMP_MARGIN_SECONDS


def film_lookup(id_space: str) -> np.ndarray:
    """An array indexed by dataset item id giving the film's primary key (0: none)."""
    if id_space == "ml100k":
        pairs = list(Movie.objects.filter(ml100k_id__isnull=False).values_list("ml100k_id", "id"))
        # A merged film's ratings are the film kept's (MovieLens ids do the same through MovieLensLink).
        pairs += list(merged_film_ids("ml100k_id").items())
    else:
        pairs = list(MovieLensLink.objects.values_list("movielens_id", "movie_id"))
    if not pairs:
        return np.zeros(1, dtype=np.int64)
    keys = np.fromiter((key for key, _ in pairs), dtype=np.int64, count=len(pairs))
    values = np.fromiter((value for _, value in pairs), dtype=np.int64, count=len(pairs))
    lookup = np.zeros(int(keys.max()) + 1, dtype=np.int64)
    lookup[keys] = values
    return lookup


def iter_blocks(stream: IO[bytes], *, skip_header: bool, delimiter: bytes) -> Iterator[tuple[int, bytes, int]]:
    """Yield (first line number, block of whole lines, its line count) with blocks cut between raters."""
    line = 1
    carry = b""
    header_pending = skip_header
    while True:
        chunk = stream.read(BLOCK_BYTES)
        data = carry + chunk
        if not data:
            return
        if header_pending:
            end = data.find(b"\n")
            if end < 0 and chunk:
                carry = data
                continue
            data = data[end + 1 :] if end >= 0 else b""
            line += 1
            header_pending = False
        if chunk:
            cut = _rater_boundary(data, delimiter)
            block, carry = data[:cut], data[cut:]
        else:
            block, carry = data, b""
            if block and not block.endswith(b"\n"):
                block += b"\n"
        if block:
            lines = block.count(b"\n")
            yield line, block, lines
            line += lines
        if not chunk:
            return


def _rater_boundary(data: bytes, delimiter: bytes) -> int:
    """Where to cut `data`: after the last line whose rater differs from the final complete line's."""
    last_end = data.rfind(b"\n")
    if last_end < 0:
        return 0
    last_start = data.rfind(b"\n", 0, last_end) + 1
    rater = data[last_start:last_end].split(delimiter, 1)[0]
    position = last_start
    while position > 0:
        previous_start = data.rfind(b"\n", 0, position - 1) + 1
        if data[previous_start : position - 1].split(delimiter, 1)[0] != rater:
            return position
        position = previous_start
    # The whole block is one rater: cut at the last line end anyway.
    return last_end + 1


def _fast_parse(block: bytes, lines: int, delimiter: str) -> pd.DataFrame | None:
    """Parse a clean block of `lines` lines with pandas' C parser; None when any line needs a closer look."""
    try:
        # A block mixing a float like 1e10 with a timestamp near 2**63 in one
        # column makes numpy warn while pandas tries the int64 cast that fails.
        with np.errstate(invalid="ignore"):
            frame = pd.read_csv(
                io.BytesIO(block),
                sep=delimiter,
                header=None,
                names=[*COLUMNS, "extra"],
                dtype={"rater": "int64", "item": "int64", "score": "float64", "ts": "int64", "extra": "object"},
                skip_blank_lines=False,
                engine="c",
                encoding="utf-8",
                encoding_errors="strict",
                quoting=csv.QUOTE_NONE,
            )
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, OverflowError):
        return None
    if frame["extra"].notna().any() or len(frame) != lines:
        return None
    return frame.drop(columns="extra")


def _slow_parse(
    block: bytes, first_line: int, layout: RatingsLayout, latest: int
) -> tuple[pd.DataFrame, list[tuple[int, str, object, str]]]:
    """Line by line: every line is a row of the frame or a reject.

    A rating that is a number but not a valid one (NaN, 7) stays in the frame
    for _validate to reject, with the reason the fast path gives it.
    """
    rows: list[tuple[int, int, int, float, int]] = []
    rejects: list[tuple[int, str, object, str]] = []
    names = layout.field_names
    for offset, raw in enumerate(block.split(b"\n")[:-1]):
        line = first_line + offset
        raw = raw.rstrip(b"\r")
        if not raw.strip():
            rejects.append((line, "row", "", "empty line"))
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            rejects.append((line, "row", raw[:80].decode("utf-8", "replace"), "not valid UTF-8"))
            continue
        try:
            fields = next(csv.reader([text], delimiter=layout.delimiter), [])
        except csv.Error as error:
            rejects.append((line, "row", text, f"unreadable: {error}"))
            continue
        if len(fields) != 4:
            rejects.append((line, "row", text, f"expected 4 fields, found {len(fields)}"))
            continue
        values: list[float] = []
        for name, value in zip(names, fields, strict=True):
            try:
                number = float(value.strip())
            except ValueError:
                rejects.append((line, name, value, "not a number"))
                break
            if name != names[2] and not (np.isfinite(number) and number.is_integer()):
                rejects.append((line, name, value, "not a whole number"))
                break
            if name == names[3] and number > latest:
                rejects.append((line, name, value, TIMESTAMP_TOO_LATE))
                break
            if name != names[2] and abs(number) > 2**62:
                rejects.append((line, name, value, "out of range"))
                break
            values.append(number)
        else:
            rows.append((line, int(values[0]), int(values[1]), values[2], int(values[3])))
    frame = pd.DataFrame(rows, columns=["line", *COLUMNS])
    frame = frame.astype({"line": "int64", "rater": "int64", "item": "int64", "score": "float64", "ts": "int64"})
    return frame, rejects


def _validate(
    frame: pd.DataFrame, lookup: np.ndarray, layout: RatingsLayout, latest: int
) -> tuple[pd.DataFrame, list[tuple[int, str, object, str]]]:
    """Range checks, id mapping and duplicate resolution, vectorised. Returns (valid rows, rejects)."""
    rater_name, item_name, score_name, ts_name = layout.field_names
    rejects: list[tuple[int, str, object, str]] = []
    bad = np.zeros(len(frame), dtype=bool)

    def flag(mask: np.ndarray, field_name: str, column: str, reason: str) -> None:
        new = mask & ~bad
        if new.any():
            for line, value in zip(frame["line"].to_numpy()[new], frame[column].to_numpy()[new], strict=True):
                rejects.append((int(line), field_name, value, reason))
            bad[new] = True

    raters = frame["rater"].to_numpy()
    items = frame["item"].to_numpy()
    flag((raters < 1) | (raters > MAX_RATER_ID), rater_name, "rater", f"rater id must be 1..{MAX_RATER_ID}")
    flag(~frame["score"].isin(ALLOWED_SCORES).to_numpy(), score_name, "score", "rating must be 0.5-5.0 in half steps")
    timestamps = frame["ts"].to_numpy()
    flag(timestamps < 0, ts_name, "ts", "timestamp must not be negative")
    flag(timestamps > latest, ts_name, "ts", TIMESTAMP_TOO_LATE)
    in_range = (items >= 0) & (items < len(lookup))
    films = np.zeros(len(frame), dtype=np.int64)
    films[in_range] = lookup[items[in_range]]
    flag(films == 0, item_name, "item", "not linked to any film (import the films and links first)")
    flag(
        films > MAX_KEY_FILM_ID,
        item_name,
        "item",
        f"linked to film id {MAX_KEY_FILM_ID + 1} or above, beyond what a dataset rating's key holds",
    )

    valid = frame.loc[~bad].assign(movie=films[~bad])
    order, duplicated = _key_order(valid["rater"].to_numpy(), valid["movie"].to_numpy())
    if duplicated:
        # Two MovieLens ids of one film rated by one rater: the latest rating wins
        # (ties: the higher MovieLens id), the same rule as the PostgreSQL upsert.
        ordered = valid.sort_values(["rater", "movie", "ts", "item"], kind="stable")
        superseded = ordered.duplicated(["rater", "movie"], keep="last")
        for line, value in zip(ordered.loc[superseded, "line"], ordered.loc[superseded, "item"], strict=True):
            rejects.append(
                (
                    int(line),
                    item_name,
                    value,
                    "the rater rated this film again (another line or id); the latest rating is kept",
                )
            )
        valid = ordered.loc[~superseded]
    else:
        valid = valid.iloc[order]
    # Valid rows leave in key order (rater, film): see binary_rows.
    valid.attrs["had_duplicates"] = duplicated
    return valid, rejects


def _key_order(raters: np.ndarray, films: np.ndarray) -> tuple[np.ndarray, bool]:
    """The order that sorts rows by (rater, film), and whether any (rater, film) pair repeats.

    One int64 key per row sorts several times faster than pandas' sort_values
    on two columns; film ids past 2**32 fall back to np.lexsort. The sort is
    numpy's stable one (timsort), which finds the runs a file sorted by rater
    (MovieLens files are) leaves in the keys: 12.5 ms against quicksort's 32.8
    for a block of 550,000 such rows, 50 against 42 ms when the raters are in
    random order (2026-12-01, AMD EPYC).
    """
    if len(raters) == 0:
        return np.arange(0), False
    if int(films.max()) < 2**32:
        keys = (raters.astype(np.int64) << 32) | films.astype(np.int64)
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        return order, bool((ordered[1:] == ordered[:-1]).any())
    order = np.lexsort((films, raters))
    same = (raters[order][1:] == raters[order][:-1]) & (films[order][1:] == films[order][:-1])
    return order, bool(same.any())


@dataclass
class _Block:
    """One block of the file, parsed and validated, ready to be counted and written."""

    size: int  # bytes of the file it covers (progress)
    read: int
    rejects: list[tuple[int, str, object, str]]
    valid: pd.DataFrame
    raw: bytes | None  # the block as read, when every line parsed cleanly (COPY it as is)
    # PostgreSQL: the valid rows in binary COPY format (no header or trailer), built in the
    # parser thread so it overlaps the database ingesting the previous block.
    copy_rows: memoryview | None = None


def _parse_blocks(
    stream: IO[bytes], layout: RatingsLayout, lookup: np.ndarray, *, latest: int, copy_rows: bool
) -> Iterator[_Block]:
    delimiter = layout.delimiter
    for first_line, block, lines in iter_blocks(stream, skip_header=layout.has_header, delimiter=delimiter.encode()):
        frame = _fast_parse(block, lines, delimiter)
        parse_rejects: list[tuple[int, str, object, str]] = []
        raw_block: bytes | None = block
        if frame is None:
            frame, parse_rejects = _slow_parse(block, first_line, layout, latest)
            raw_block = None
        else:
            frame.insert(0, "line", np.arange(first_line, first_line + len(frame), dtype=np.int64))
        valid, rejects = _validate(frame, lookup, layout, latest)
        rows = binary_rows(valid, int(layout.source)) if copy_rows and len(valid) else None
        yield _Block(len(block), len(frame) + len(parse_rejects), parse_rejects + rejects, valid, raw_block, rows)


def _read_ahead(items: Iterator[_Block]) -> Generator[_Block]:
    """Produce `items` in a background thread, one ahead of the consumer.

    pandas' parser and numpy's sorts release the GIL, so parsing block N+1
    overlaps with the database ingesting block N (2 cores: one each). Closing
    this generator stops the thread; an error in the thread is raised here.
    """
    handoff: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def put(entry: tuple[bool, Any]) -> bool:
        while not stop.is_set():
            try:
                handoff.put(entry, timeout=0.1)
            except queue.Full:
                continue
            return True
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((True, item)):
                    return
        except BaseException as error:  # noqa: BLE001 - handed to the consumer, which raises it
            put((False, error))
        else:
            put((False, None))

    thread = threading.Thread(target=produce, name="ratings-parser", daemon=True)
    thread.start()
    try:
        while True:
            more, value = handoff.get()
            if not more:
                if value is not None:
                    raise value
                return
            yield value
    finally:
        stop.set()
        thread.join()


def import_ratings(source: Source, layout: RatingsLayout, counts: FileCounts, context: ImportContext) -> None:
    lookup = film_lookup(layout.id_space)
    # One bound for the whole file, so Python and the PostgreSQL upsert agree on every row.
    latest = latest_timestamp()
    with (
        source.open_binary() as raw,
        # A "::" file's blocks are shorter than the file by its separators: bytes done, no percentage.
        context.progress(
            total=None if layout.double_colon else source.size(), unit="B", unit_scale=True, desc=counts.label
        ) as bar,
        contextlib.closing(
            _read_ahead(
                _parse_blocks(
                    cast("IO[bytes]", DoubleColonAsTab(raw)) if layout.double_colon else raw,
                    layout,
                    lookup,
                    latest=latest,
                    copy_rows=connection.vendor == "postgresql",
                )
            )
        ) as blocks,
    ):
        if connection.vendor != "postgresql":
            writer = _SqliteWriter(layout)
            for block in blocks:
                _write_block(block, writer, counts, context)
                bar.update(block.size)
            return
        postgres = _PostgresWriter(layout, latest=latest)
        first = next(blocks, None)
        if first is None:
            return
        rest = _chain(first, blocks)
        estimated_rows = source.size() * first.read // max(first.size, 1)
        if estimated_rows >= BULK_MIN_ROWS and postgres.table_rows_at_most(estimated_rows // 2):
            _BulkLoad(postgres, counts, context, bar).run(rest)
            return
        for block in rest:
            _write_block(block, postgres, counts, context)
            bar.update(block.size)


def _chain(first: _Block, rest: Iterator[_Block]) -> Iterator[_Block]:
    yield first
    yield from rest


def _write_block(
    block: _Block, writer: _SqliteWriter | _PostgresWriter, counts: FileCounts, context: ImportContext
) -> None:
    counts.read += block.read
    context.reject_many(counts, block.rejects)
    if len(block.valid):
        inserted, updated = writer.write(block.valid, block.raw)
        counts.inserted += inserted
        counts.updated += updated
        counts.unchanged += len(block.valid) - inserted - updated


class _RaterRanges:
    """Rater id ranges [low, high] already written: a block overlapping one is not new."""

    def __init__(self) -> None:
        self.lows: list[int] = []
        self.highs: list[int] = []

    def overlaps(self, low: int, high: int) -> bool:
        # The last range starting at or before `high` is the only one that can
        # reach `low` once ranges are merged (see add).
        index = bisect.bisect_right(self.lows, high) - 1
        return index >= 0 and self.highs[index] >= low

    def add(self, low: int, high: int) -> None:
        index = bisect.bisect_left(self.lows, low)
        self.lows.insert(index, low)
        self.highs.insert(index, high)
        # Merge overlapping neighbours so the ranges stay disjoint and sorted.
        merged_lows: list[int] = []
        merged_highs: list[int] = []
        for start, end in zip(self.lows, self.highs, strict=True):
            if merged_highs and start <= merged_highs[-1]:
                merged_highs[-1] = max(merged_highs[-1], end)
            else:
                merged_lows.append(start)
                merged_highs.append(end)
        self.lows, self.highs = merged_lows, merged_highs


class _BulkLoad:
    """Bulk mode (module docstring): one transaction, indexes dropped and rebuilt, new raters only."""

    COLUMNS = ("line", "rater", "item", "score", "ts", "movie")

    def __init__(self, writer: _PostgresWriter, counts: FileCounts, context: ImportContext, bar: Any) -> None:
        self.writer = writer
        self.counts = counts
        self.context = context
        self.bar = bar
        self.deferred_sizes: list[int] = []

    def run(self, blocks: Iterator[_Block]) -> None:
        with tempfile.TemporaryFile(prefix="ratings-deferred-") as spill:
            self._load(blocks, spill)
            # Committed: the set-aside blocks go through the upsert, in file order.
            spill.seek(0)
            for size in self.deferred_sizes:
                valid = pd.DataFrame({name: np.load(spill, allow_pickle=False) for name in self.COLUMNS})
                _write_block(_Block(size, 0, [], valid, None), self.writer, self.counts, self.context)
                self.bar.update(size)

    def _load(self, blocks: Iterator[_Block], spill: IO[bytes]) -> None:
        writer, table = self.writer, self.writer.table
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
            # Raters of this source the table already holds: few, or bulk mode was not chosen.
            cursor.execute(
                f"SELECT DISTINCT rater_id FROM {table} WHERE source = %s ORDER BY rater_id",  # noqa: S608
                [writer.source],
            )
            known = np.array([rater for (rater,) in cursor.fetchall()], dtype=np.int64)
            recreate = drop_indexes(table, primary_key=True, foreign_keys=False)
            written = _RaterRanges()
            sql = f"COPY {table} {COPY_COLUMNS} FROM STDIN WITH (FORMAT binary)"
            with cursor.cursor.copy(sql) as copy:
                copy.write(BINARY_HEADER)
                for block in blocks:
                    self.counts.read += block.read
                    self.context.reject_many(self.counts, block.rejects)
                    valid = block.valid
                    if not len(valid):
                        self.bar.update(block.size)
                        continue
                    raters = valid["rater"].to_numpy()
                    low, high = int(raters.min()), int(raters.max())
                    if written.overlaps(low, high) or _any_known(known, raters):
                        for name in self.COLUMNS:
                            np.save(spill, valid[name].to_numpy(), allow_pickle=False)
                        self.deferred_sizes.append(block.size)
                    else:
                        copy.write(block.copy_rows or binary_rows(valid, writer.source))
                        self.counts.inserted += len(valid)
                        self.bar.update(block.size)
                    written.add(low, high)
                copy.write(BINARY_TRAILER)
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{BULK_MAINTENANCE_WORK_MEM}'")
            cursor.execute(f"SET LOCAL max_parallel_maintenance_workers = {BULK_INDEX_WORKERS}")
            for statement in recreate:
                cursor.execute(statement)


def _any_known(known: np.ndarray, raters: np.ndarray) -> bool:
    if not len(known):
        return False
    found = np.searchsorted(known, raters)
    return bool((known[np.minimum(found, len(known) - 1)] == raters).any())


class _SqliteWriter:
    def __init__(self, layout: RatingsLayout) -> None:
        self.source = int(layout.source)

    def write(self, valid: pd.DataFrame, raw_block: bytes | None) -> tuple[int, int]:
        table = DatasetRating._meta.db_table
        keys, raters, films = _keyed_columns(valid, self.source)
        rows = list(
            zip(
                keys.tolist(),
                [self.source] * len(valid),
                raters.tolist(),
                films.tolist(),
                valid["score"].tolist(),
                valid["ts"].tolist(),
                strict=True,
            )
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - table name from the model
            before = cursor.fetchone()[0]
            changes_before = connection.connection.total_changes
            cursor.executemany(
                f"INSERT INTO {table} {COPY_COLUMNS} VALUES (%s, %s, %s, %s, %s, %s) "  # noqa: S608
                "ON CONFLICT (id) DO UPDATE "
                "SET score = excluded.score, rated_at = excluded.rated_at "
                f"WHERE {table}.score IS NOT excluded.score OR {table}.rated_at IS NOT excluded.rated_at",
                rows,
            )
            changed = connection.connection.total_changes - changes_before
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            inserted = cursor.fetchone()[0] - before
        return inserted, changed - inserted


def _keyed_columns(valid: pd.DataFrame, source: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows' primary keys (ratings.models.dataset_rating_key), raters and films, as int64."""
    raters = valid["rater"].to_numpy().astype(np.int64)
    films = valid["movie"].to_numpy().astype(np.int64)
    return dataset_rating_key(np.int64(source), raters, films), raters, films


def binary_rows(valid: pd.DataFrame, source: int) -> memoryview:
    """The rows in binary COPY format (no header or trailer), in the order given (_validate's: key order).

    In that order every insert lands on the primary key's rightmost page,
    and a bulk load's index build finds its input already sorted. The
    result is a view of the rows' array, not a copy of it.
    """
    rows = np.empty(len(valid), dtype=BINARY_ROW)
    rows["fields"] = 6
    for name, size in (("id", 8), ("source", 2), ("rater", 4), ("movie", 8), ("score", 8), ("ts", 8)):
        rows[f"{name}_length"] = size
    rows["id"], raters, films = _keyed_columns(valid, source)
    rows["source"] = source
    rows["rater"] = raters
    rows["movie"] = films
    rows["score"] = valid["score"].to_numpy()
    rows["ts"] = valid["ts"].to_numpy()
    return rows.view(np.uint8).data


class _PostgresWriter:
    def __init__(self, layout: RatingsLayout, *, latest: int) -> None:
        self.layout = layout
        self.source = int(layout.source)
        self.table = table = DatasetRating._meta.db_table
        # Table names below come from the models, never from input.
        if layout.id_space == "ml100k":
            movies = Movie._meta.db_table
            aliases = MovieAlias._meta.db_table
            mapping = (
                f"(SELECT ml100k_id AS item_id, id AS movie_id FROM {movies} WHERE ml100k_id IS NOT NULL"  # noqa: S608
                f" UNION ALL SELECT ml100k_id, movie_id FROM {aliases} WHERE ml100k_id IS NOT NULL)"
            )
        else:
            mapping = f"(SELECT movielens_id AS item_id, movie_id FROM {MovieLensLink._meta.db_table})"  # noqa: S608
        # The WHERE repeats _validate's rules so a raw block COPYed as it is
        # yields exactly the rows Python accepted; write() checks the count.
        self.upsert = f"""
            WITH src AS (
                SELECT {{distinct}} s.rater_id, m.movie_id, s.score, s.rated_at
                FROM {STAGING_TABLE} s JOIN {mapping} m ON m.item_id = s.item_id
                WHERE s.rater_id BETWEEN 1 AND {MAX_RATER_ID}
                  AND s.score BETWEEN 0.5 AND 5 AND s.score * 2 = trunc(s.score * 2)
                  AND s.rated_at BETWEEN 0 AND {int(latest)}
                {{order}}
            ), up AS (
                INSERT INTO {table} {COPY_COLUMNS}
                SELECT {dataset_rating_key_sql("%s::bigint", "rater_id::bigint", "movie_id::bigint")},
                       %s, rater_id, movie_id, score, rated_at FROM src
                ON CONFLICT (id) DO UPDATE
                    SET score = EXCLUDED.score, rated_at = EXCLUDED.rated_at
                    WHERE ({table}.score, {table}.rated_at) IS DISTINCT FROM (EXCLUDED.score, EXCLUDED.rated_at)
                RETURNING (xmax = 0) AS inserted
            )
            SELECT (SELECT count(*) FROM src), count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
            FROM up
        """  # noqa: S608 - table names come from the models

    def _copy(self, cursor: object, payload: bytes, delimiter: str) -> None:
        delimiter_sql = "E'\\t'" if delimiter == "\t" else f"'{delimiter}'"
        sql = (
            f"COPY {STAGING_TABLE} (rater_id, item_id, score, rated_at) FROM STDIN "
            f"WITH (FORMAT csv, DELIMITER {delimiter_sql})"
        )
        raw_cursor = cursor.cursor  # type: ignore[attr-defined]
        with raw_cursor.copy(sql) as copy:
            view = memoryview(payload)
            for start in range(0, len(view), 1 << 20):
                copy.write(view[start : start + (1 << 20)])

    def table_rows_at_most(self, limit: int) -> bool:
        """Whether the table (every source) holds at most `limit` rows; counts no further than that."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {self.table} LIMIT %s) AS head", [limit + 1])  # noqa: S608
            return int(cursor.fetchone()[0]) <= limit

    def _insert_new(self, cursor: object, valid: pd.DataFrame) -> bool:
        """COPY the block straight into the table when none of its raters has a rating yet; False otherwise."""
        from psycopg import errors as psycopg_errors  # only on PostgreSQL

        raters = valid["rater"].to_numpy()
        cursor.execute(  # type: ignore[attr-defined]
            f"SELECT EXISTS (SELECT 1 FROM {self.table} WHERE source = %s AND rater_id BETWEEN %s AND %s)",  # noqa: S608
            [self.source, int(raters.min()), int(raters.max())],
        )
        if cursor.fetchone()[0]:  # type: ignore[attr-defined]
            return False
        sql = f"COPY {self.table} {COPY_COLUMNS} FROM STDIN WITH (FORMAT binary)"
        try:
            # A concurrent import may have inserted some of these raters since
            # the check: the primary key refuses the COPY and the upsert takes over.
            # psycopg sends a large buffer in slices of its own.
            with transaction.atomic(), cursor.cursor.copy(sql) as copy:  # type: ignore[attr-defined]
                copy.write(BINARY_HEADER)
                copy.write(binary_rows(valid, self.source))
                copy.write(BINARY_TRAILER)
        except (IntegrityError, psycopg_errors.IntegrityError):
            return False
        return True

    def write(self, valid: pd.DataFrame, raw_block: bytes | None) -> tuple[int, int]:
        with transaction.atomic(), connection.cursor() as cursor:
            # A block is re-runnable, so losing the last commits in a crash is harmless.
            cursor.execute("SET LOCAL synchronous_commit = off")
            if self._insert_new(cursor, valid):
                return len(valid), 0
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {STAGING_TABLE} "
                "(rater_id bigint, item_id bigint, score double precision, rated_at bigint)"
            )
            staged = False
            if raw_block is not None:
                try:
                    with transaction.atomic():
                        cursor.execute(f"TRUNCATE {STAGING_TABLE}")
                        self._copy(cursor, raw_block, self.layout.delimiter)
                        staged = True
                except Exception:  # noqa: BLE001 - any COPY complaint: stage the cleaned rows instead
                    staged = False
            if not staged:
                cursor.execute(f"TRUNCATE {STAGING_TABLE}")
                text = valid[list(COLUMNS)].to_csv(header=False, index=False, sep=",", lineterminator="\n")
                self._copy(cursor, text.encode(), ",")
            # Fresh statistics, or the planner takes the staging table for empty
            # and joins it by nested loop (minutes instead of a second per block).
            cursor.execute(f"ANALYZE {STAGING_TABLE}")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            if valid.attrs.get("had_duplicates", True):
                # One row per (rater, film), the same rule as _validate: latest timestamp, then higher id.
                upsert = self.upsert.format(
                    distinct="DISTINCT ON (s.rater_id, m.movie_id)",
                    order="ORDER BY s.rater_id, m.movie_id, s.rated_at DESC, s.item_id DESC",
                )
            else:
                upsert = self.upsert.format(distinct="", order="")
            cursor.execute(upsert, [self.source, self.source])
            selected, inserted, updated = cursor.fetchone()
            if selected != len(valid):
                raise RuntimeError(
                    f"ratings block: the database selected {selected} valid rows where the importer found {len(valid)}"
                )
            cursor.execute(f"TRUNCATE {STAGING_TABLE}")
        return int(inserted), int(updated)
