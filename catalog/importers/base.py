"""The bookkeeping every importer shares: sources, per-file counts, rejects, progress.

An importer gets a `Source` (a file on disk, a `.gz`, or a member of a
`.zip`) and an `ImportContext`; it reports every row it reads as exactly one
of inserted / updated / unchanged / rejected, so read = the sum, per file.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import os
import re
import sys
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from tqdm import tqdm

from catalog.text import spreadsheet_safe

REJECT_COLUMNS = ("file", "line", "field", "value", "reason")
# Real overviews are a few kilobytes; a field beyond this is a broken record, rejected.
csv.field_size_limit(16 * 1024 * 1024)
# A reject keeps at most this much of the offending value.
REJECT_VALUE_LIMIT = 200
# What a truncated or fake .zip or .gz raises when read.
ARCHIVE_ERRORS = (EOFError, zlib.error, zipfile.BadZipFile, gzip.BadGzipFile)
# A character that UTF-8 writes in more than one byte (what a legacy file lacks).
_UTF8_MULTIBYTE = re.compile("[^\x00-\x7f\udc80-\udcff]")


class UnreadableFileError(ValueError):
    """A file, archive or compressed stream that cannot be read to its end."""


@dataclass(frozen=True)
class Source:
    """One logical input file: `path` on disk, or `member` inside the zip at `path`."""

    path: Path
    member: str = ""
    # How its text is read (see `fingerprint`); not part of the file's identity.
    encoding: str = field(default="utf-8", compare=False)

    @property
    def name(self) -> str:
        """The dataset file name, without .gz: what detection and ordering look at."""
        base = Path(self.member).name if self.member else self.path.name
        return base[:-3] if base.endswith(".gz") else base

    @property
    def label(self) -> str:
        return f"{self.path}:{self.member}" if self.member else str(self.path)

    def open_binary(self) -> IO[bytes]:
        # typeshed declares GzipFile a BufferedIOBase rather than an IO[bytes];
        # it is a binary file object all the same, hence the casts.
        if self.member:
            archive = zipfile.ZipFile(self.path)
            raw: IO[bytes] = archive.open(self.member)
            return cast("IO[bytes]", gzip.GzipFile(fileobj=raw)) if self.member.endswith(".gz") else raw
        if self.path.suffix == ".gz":
            return cast("IO[bytes]", gzip.open(self.path, "rb"))
        return self.path.open("rb")

    def size(self) -> int:
        """Uncompressed size when cheaply known (progress bars), else the file size."""
        if self.member:
            with zipfile.ZipFile(self.path) as archive:
                return archive.getinfo(self.member).file_size
        return self.path.stat().st_size

    def fingerprint(self, *, text: bool) -> tuple[str, str]:
        """(sha256 of the content, the encoding to read its text in), in one read of the file.

        Reading it all finds a truncated archive.

        The encoding is UTF-8 unless the file is not valid UTF-8 and holds no
        UTF-8 character either: then it is a legacy single-byte file (a sheet
        saved by Excel on Windows), read as Windows-1252, or as Latin-1 when
        it holds one of the five bytes cp1252 leaves undefined. A UTF-8 file
        with a few stray bytes stays UTF-8 (its rows holding them are
        rejected), since reading it as cp1252 would garble every accent in it.
        `text=False` (ratings, whose bytes are parsed as numbers) skips the check.
        """
        digest = hashlib.sha256()
        utf8 = codecs.getincrementaldecoder("utf-8")()
        valid_utf8 = True
        try:
            with self.open_binary() as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
                    if text and valid_utf8:
                        valid_utf8 = _decodes(utf8, block)
            if text and valid_utf8:
                valid_utf8 = _decodes(utf8, b"", final=True)
            encoding = "utf-8" if valid_utf8 else self._legacy_encoding()
        except ARCHIVE_ERRORS as error:
            raise UnreadableFileError(f"{self.label}: cannot be read to its end ({error})") from error
        return digest.hexdigest(), encoding

    def _legacy_encoding(self) -> str:
        """The encoding of a file that is not valid UTF-8: see `fingerprint`."""
        utf8 = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        with self.open_binary() as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                if _UTF8_MULTIBYTE.search(utf8.decode(block)):
                    return "utf-8"
        cp1252 = codecs.getincrementaldecoder("cp1252")()
        with self.open_binary() as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                if not _decodes(cp1252, block):
                    return "latin-1"
        return "cp1252"

    def open_text(self, encoding: str | None = None) -> IO[str]:
        """The file as text, in `encoding` or else the file's own (`self.encoding`).

        Invalid bytes become U+FFFD; rows containing it are rejected by the importers.
        """
        return io.TextIOWrapper(self.open_binary(), encoding=encoding or self.encoding, errors="replace", newline="")


def _decodes(decoder: codecs.IncrementalDecoder, data: bytes, *, final: bool = False) -> bool:
    try:
        decoder.decode(data, final)
    except UnicodeDecodeError:
        return False
    return True


def expand_paths(paths: list[Path]) -> list[Source]:
    """Files, `.gz` files, zips (every member) and directories (every file, recursively).

    Hidden files (.DS_Store, a .git directory) are left out of a directory or
    zip; a hidden file named on its own is read.
    """
    sources: list[Source] = []
    for path in paths:
        if path.is_dir():
            sources.extend(expand_paths(sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path))))
        elif path.suffix == ".zip":
            try:
                with zipfile.ZipFile(path) as archive:
                    members = sorted(info.filename for info in archive.infolist() if not info.is_dir())
            except ARCHIVE_ERRORS as error:
                raise UnreadableFileError(f"{path}: not a readable zip archive ({error})") from error
            sources.extend(Source(path, member) for member in members if not Path(member).name.startswith("."))
        elif path.exists():
            sources.append(Source(path))
        else:
            raise FileNotFoundError(f"{path}: no such file or directory")
    return sources


def _hidden(path: Path, top: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(top).parts)


def source_labels(sources: Iterable[Source]) -> dict[Source, str]:
    """How rejects and summaries name each file: its path from the directory all the files share.

    So the links.csv of The Movies Dataset and of ml-latest stay apart
    ("the-movies-dataset/links.csv"), and files of one directory keep their
    bare names. A zip member is "archive.zip:member".
    """
    absolute = {source: source.path.absolute() for source in sources}
    if not absolute:
        return {}
    common = Path(os.path.commonpath([path.parent for path in absolute.values()]))
    return {
        source: f"{path.relative_to(common)}:{source.member}" if source.member else str(path.relative_to(common))
        for source, path in absolute.items()
    }


@dataclass
class FileCounts:
    source: Source
    format: str
    # How rejects and the summary name the file (source_labels); the bare name when not given.
    label: str = ""
    sha256: str = ""
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    # Rows that repeated an id already read in the same file, merged into it (part of `unchanged`/`updated`).
    duplicates_merged: int = 0
    # Parts of rows that were otherwise imported, each a line of the rejects file: a credit whose id
    # repeats another's with other values, an earlier row's values a repeated id replaced. Not rows,
    # so not in `balanced()`.
    left_out: int = 0
    # The encoding the file's text was read in (Source.fingerprint); "" for the formats that decode
    # it their own way (ratings, ml-100k's Latin-1 u.item, the .dat files' per-line fallback).
    encoding: str = ""
    seconds: float = 0.0
    rejects_by_reason: Counter[str] = field(default_factory=Counter)
    left_out_by_reason: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.label = self.label or self.source.name

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.source.label,
            "label": self.label,
            "format": self.format,
            "sha256": self.sha256,
            "read": self.read,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "duplicates_merged": self.duplicates_merged,
            "left_out": self.left_out,
            "encoding": self.encoding,
            "seconds": round(self.seconds, 3),
            "rejects_by_reason": dict(self.rejects_by_reason),
            "left_out_by_reason": dict(self.left_out_by_reason),
        }

    def balanced(self) -> bool:
        return self.read == self.inserted + self.updated + self.unchanged + self.rejected


class RejectWriter:
    """Appends reject lines to one CSV (file, line, field, value, reason)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._stream: IO[str] | None = None
        self._writer: Any = None

    def _ensure_open(self) -> None:
        if self._writer is None and self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._stream = self.path.open("w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._stream)
            self._writer.writerow(REJECT_COLUMNS)

    def write(self, rows: list[tuple[str, int, str, str, str]]) -> None:
        if not rows or self.path is None:
            return
        self._ensure_open()
        # Curators open this file in a spreadsheet: a value from an imported file must not run there.
        self._writer.writerows(
            [spreadsheet_safe(cell) for cell in (f, line, fld, str(value)[:REJECT_VALUE_LIMIT], reason)]
            for f, line, fld, value, reason in rows
        )

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None
            self._writer = None


ProgressFactory = Callable[..., Any]


def terminal_progress(**kwargs: Any) -> Any:
    """A tqdm bar on stderr when it is a terminal; silent otherwise."""
    return tqdm(file=sys.stderr, disable=not sys.stderr.isatty(), dynamic_ncols=True, **kwargs)


class ImportContext:
    """What one importer needs from the run: where rejects go and how to show progress."""

    def __init__(self, rejects: RejectWriter, progress: ProgressFactory = terminal_progress) -> None:
        self.rejects = rejects
        self.progress = progress

    def reject(self, counts: FileCounts, line: int, field_name: str, value: object, reason: str) -> None:
        self.reject_many(counts, [(line, field_name, value, reason)])

    def reject_many(self, counts: FileCounts, rows: list[tuple[int, str, object, str]]) -> None:
        rows = sorted(rows, key=lambda row: row[0])
        counts.rejected += len(rows)
        counts.rejects_by_reason.update(f"{fld}: {reason}" for _, fld, _, reason in rows)
        self.rejects.write([(counts.label, line, fld, str(value), reason) for line, fld, value, reason in rows])

    def leave_out(
        self, counts: FileCounts, line: int, field_name: str, value: object, reason: str, *, summary: str
    ) -> None:
        """Report part of a row that is imported without it: a rejects line, counted apart from the rows.

        `summary` is what the counts group it under (the reason without the line numbers it names).
        """
        counts.left_out += 1
        counts.left_out_by_reason[summary] += 1
        self.rejects.write([(counts.label, line, field_name, str(value), reason)])


class _PhysicalLines:
    """A text stream's lines for csv.reader, noting when the stream runs out.

    In non-strict mode csv.reader asks for another line only while a record
    is unfinished, so a record it returns after the stream ran out ended
    inside a quote that was never closed.
    """

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.exhausted = False

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self.stream.readline()
        if not line:
            self.exhausted = True
            raise StopIteration
        return line


def read_csv_records(
    source: Source,
    *,
    encoding: str | None = None,
    delimiter: str = ",",
    counts: FileCounts | None = None,
    context: ImportContext | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """(line number of the record's first physical line, fields) for each record after the header.

    Line numbers count physical lines, so a quoted overview spanning three
    lines moves the next record's number by three, as an editor shows it.
    A record the CSV parser refuses (a field over the size limit) or that
    runs into the end of the file inside an open quote is counted and
    rejected at its first line when `counts` and `context` are given (else
    ValueError), and reading starts again at the physical line after that
    one, so the lines such a record swallowed are read as records.
    """
    done = 0  # physical lines to skip when (re)opening: none, then up to a broken record's first line
    while True:
        with source.open_text(encoding) as stream:
            lines = _PhysicalLines(stream)
            for _ in range(done):
                next(lines, None)
            reader = csv.reader(lines, delimiter=delimiter)
            if done == 0:
                try:
                    next(reader)
                except StopIteration:
                    return
                except csv.Error:
                    pass
            line = done + reader.line_num + 1
            while True:
                try:
                    record = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    value, reason = "", f"unreadable CSV record: {error}"
                else:
                    if not lines.exhausted:
                        if record:
                            yield line, record
                        line = done + reader.line_num + 1
                        continue
                    value = delimiter.join(record)
                    reason = "unclosed quote: the record runs to the end of the file; the lines after it are read again"
                if counts is None or context is None:
                    raise ValueError(f"{source.label}, line {line}: {reason}")
                counts.read += 1
                context.reject(counts, line, "row", value, reason)
                done = line
                break


def read_header(source: Source, *, encoding: str | None = None) -> list[str]:
    with source.open_text(encoding) as stream:
        first = stream.readline()
    return [clean_header(name) for name in next(csv.reader([first]), [])]


def clean_header(name: str) -> str:
    return name.replace("\ufeff", "").strip()
