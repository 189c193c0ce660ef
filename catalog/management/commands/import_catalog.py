"""Import public dataset files into the catalog.

    manage.py import_catalog PATH [PATH ...] [--format F] [--platform P] [--dry-run]

PATH is a file (.csv or .dat, also gzipped), a .zip or a directory (every
known file in it, hidden files skipped). Each file's format is detected from
its header (a headerless MovieLens file from its name); files are imported in
dependency order (films → links → credits/keywords/tags/facts → ratings;
streaming catalogs matched to films at the end). Every run is recorded as an ImportRun
with per-file counts and a rejects CSV under settings.IMPORTS_DIR/<run id>/.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import Style
from django.db import connection

from catalog.importers.base import UnreadableFileError
from catalog.importers.columns import HeaderError
from catalog.importers.run import FAMILIES, FORMATS, UnknownFileError
from catalog.importers.streaming import UnknownPlatformError
from catalog.models import ImportRun
from catalog.services import catalog_import, import_runs_unfinished_close
from recommender.locks import exclusive_lock

IMPORT_LOCK = "catalog-import"


@contextlib.contextmanager
def one_import_at_a_time() -> Iterator[None]:
    """Refuse to start while another import_catalog or load_demo runs.

    Two imports of the same files race to insert the same new rows, and the
    loser stops half-way on a duplicate key. The lock dies with its holder,
    so an import killed or interrupted never blocks the next one.
    """
    with exclusive_lock(IMPORT_LOCK) as taken:
        if not taken:
            raise CommandError("Another import (import_catalog or load_demo) is running: wait for it to finish.")
        import_runs_unfinished_close()
        yield


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Ctrl-C: one line saying what to do instead of a chain of tracebacks.

    An interrupt that lands inside a query leaves psycopg's connection busy,
    so what reaches here may be the database error of the clean-up that
    followed; the KeyboardInterrupt is then in its context.
    """
    try:
        yield
    except BaseException as error:
        if not _caused_by_interrupt(error):
            raise
        connection.close()
        raise CommandError(
            "Interrupted. What was committed stays; run the same command again to import the rest.", returncode=130
        ) from None


def _caused_by_interrupt(error: BaseException | None) -> bool:
    while error is not None:
        if isinstance(error, KeyboardInterrupt):
            return True
        error = error.__context__
    return False


def write_summary(stdout: Any, style: Style, run: ImportRun) -> None:
    """The per-file table, totals, top reject reasons, parts of rows left out and files not read as UTF-8."""
    header = (
        f"{'file':<44} {'format':<24} {'read':>10} {'inserted':>10} {'updated':>9} {'unchanged':>10} {'rejected':>9}"
    )
    stdout.write(header)
    for entry in run.files:
        # Runs recorded before files had a label show the bare file name.
        name = entry.get("label") or Path(entry["path"].split(":")[-1]).name
        if entry.get("format") == "skipped":
            stdout.write(f"{name:<44} (skipped: not a dataset file)")
            continue
        stdout.write(
            f"{name:<44} {entry['format']:<24} {entry['read']:>10,} {entry['inserted']:>10,} {entry['updated']:>9,} "
            f"{entry['unchanged']:>10,} {entry['rejected']:>9,}"
        )
    stdout.write(
        f"{'total':<44} {'':<16} {run.rows_read:>10,} {run.rows_inserted:>10,} {run.rows_updated:>9,} "
        f"{run.rows_unchanged:>10,} {run.rows_rejected:>9,}"
    )
    for reason, count in list(run.rejects_by_reason.items())[:15]:
        stdout.write(f"  rejected {count:>8,} x {reason}")
    left_out = Counter(
        {
            f"{entry.get('label', '')}: {reason}": count
            for entry in run.files
            for reason, count in entry.get("left_out_by_reason", {}).items()
        }
    )
    for reason, count in left_out.most_common(15):
        stdout.write(f"  left out {count:>8,} x {reason}")
    for entry in run.files:
        if entry.get("encoding") not in (None, "", "utf-8"):
            stdout.write(f"{entry.get('label', '')}: not UTF-8, read as {entry['encoding']}")
    # Only when there are streaming films: a run of film files alone says nothing about them.
    if run.streaming_match.get("films"):
        match = run.streaming_match
        stdout.write(
            f"Streaming films matched to a catalog film: {match['matched']:,} of {match['films']:,} "
            f"({match['changed']:,} changed by this run)"
        )
        if match["directors_differ"]:
            stdout.write(
                f"  left unmatched {match['directors_differ']:>8,} x the film of their title and year has other "
                "directors (admin: streaming titles, filter 'directors differ from its film's')"
            )
    if run.rejects_path:
        stdout.write(f"Rejected rows and parts of rows: {run.rejects_path}")
    verdict = "Dry run (rolled back)" if run.dry_run else "Import"
    stdout.write(style.SUCCESS(f"{verdict} {run.pk} {run.status} in {run.duration_seconds:.1f} s."))


class Command(BaseCommand):
    help = (
        "Import The Movies Dataset, MovieLens (ml-100k, ml-1m, ml-10m, ml-20m/25m/32m, ml-latest) "
        "and streaming catalog files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="Files, .gz, .zip or directories.")
        parser.add_argument(
            "--format",
            choices=sorted(FAMILIES | FORMATS.keys()),
            help="What the files are (a family: tmdb, movielens, streaming; or one exact format). Default: detect.",
        )
        parser.add_argument("--platform", help="Streaming platform slug when the file name does not say it.")
        parser.add_argument("--dry-run", action="store_true", help="Read and validate everything, then roll back.")

    def handle(self, *args: Any, **options: Any) -> None:
        with interruptible(), one_import_at_a_time():
            try:
                run = catalog_import(
                    paths=options["paths"],
                    format_name=options["format"],
                    platform=options["platform"],
                    dry_run=options["dry_run"],
                )
            except (
                FileNotFoundError,
                UnknownFileError,
                UnknownPlatformError,
                UnreadableFileError,
                HeaderError,
            ) as error:
                raise CommandError(str(error)) from error
        write_summary(self.stdout, self.style, run)
