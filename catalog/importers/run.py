"""One import run: detect each file's format, order the files, import, record an ImportRun.

Order: films first (movies_metadata, movies.csv, u.item, .item), then links,
then what hangs off films (credits, keywords, tags, knowledge graph), then
ratings; streaming catalogs any time, matched to films once everything is in.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import re
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from catalog.importers import knowledge, movielens, streaming, tmdb
from catalog.importers.base import (
    ARCHIVE_ERRORS,
    FileCounts,
    ImportContext,
    RejectWriter,
    Source,
    UnreadableFileError,
    expand_paths,
    read_header,
    source_labels,
    terminal_progress,
)
from catalog.importers.ratings import (
    ML1M_DAT,
    ML10M_DAT,
    ML20M_CSV,
    ML25M_CSV,
    ML32M_CSV,
    ML100K_UDATA,
    ML_LATEST_SMALL_CSV,
    MOVIELENS_CSV,
    MOVIELENS_SMALL_CSV,
    RECBOLE_INTER,
    import_ratings,
)
from catalog.models import ImportRun

logger = logging.getLogger(__name__)

Importer = Callable[[Source, FileCounts, ImportContext], None]


@dataclass(frozen=True)
class Format:
    name: str
    family: str  # what --format accepts besides the exact name
    stage: int  # import order: 0 films, 1 links, 2 film details, 3 ratings, 4 streaming
    importer: Importer
    # Read as text in the file's own encoding (Source.fingerprint finds it); the others decode their own way.
    reads_text: bool = True


def _ratings(layout: Any) -> Importer:
    def importer(source: Source, counts: FileCounts, context: ImportContext) -> None:
        import_ratings(source, layout, counts, context)

    return importer


def _knowledge_graph(source: Source, counts: FileCounts, context: ImportContext) -> None:
    link_name = source.member or source.path.name
    link_name = link_name[: -len(".kg")] + ".link"
    link = Source(source.path, link_name) if source.member else Source(source.path.with_name(Path(link_name).name))
    knowledge.import_knowledge_graph(source, link, counts, context)


FORMATS = {
    fmt.name: fmt
    for fmt in (
        Format("movies_metadata", "tmdb", 0, tmdb.import_metadata),
        Format("movielens_movies", "movielens", 0, movielens.import_movies_csv),
        Format("ml100k_items", "movielens", 0, movielens.import_uitem, reads_text=False),
        Format("recbole_items", "movielens", 0, movielens.import_recbole_items),
        Format("movielens_dat_movies", "movielens", 0, movielens.import_movies_dat, reads_text=False),
        Format("links", "tmdb", 1, movielens.import_links),
        Format("credits", "tmdb", 2, tmdb.import_credits),
        Format("keywords", "tmdb", 2, tmdb.import_keywords),
        Format("movielens_tags", "movielens", 2, movielens.import_tags),
        Format("movielens_dat_tags", "movielens", 2, movielens.import_tags_dat, reads_text=False),
        Format("recbole_kg", "movielens", 2, _knowledge_graph),
        Format("ratings", "tmdb", 3, _ratings(MOVIELENS_CSV), reads_text=False),
        Format("ratings_small", "tmdb", 3, _ratings(MOVIELENS_SMALL_CSV), reads_text=False),
        Format("ml100k_ratings", "movielens", 3, _ratings(ML100K_UDATA), reads_text=False),
        Format("recbole_ratings", "movielens", 3, _ratings(RECBOLE_INTER), reads_text=False),
        Format("ml1m_ratings", "movielens", 3, _ratings(ML1M_DAT), reads_text=False),
        Format("ml10m_ratings", "movielens", 3, _ratings(ML10M_DAT), reads_text=False),
        Format("ml20m_ratings", "movielens", 3, _ratings(ML20M_CSV), reads_text=False),
        Format("ml25m_ratings", "movielens", 3, _ratings(ML25M_CSV), reads_text=False),
        Format("ml32m_ratings", "movielens", 3, _ratings(ML32M_CSV), reads_text=False),
        Format("ml_latest_small_ratings", "movielens", 3, _ratings(ML_LATEST_SMALL_CSV), reads_text=False),
        Format("streaming", "streaming", 4, streaming.import_streaming),
    )
}
FAMILIES = {"tmdb", "movielens", "streaming"}
# Recognised but not imported on their own (read by another format, or of no use here).
# The tag genome of ml-20m/ml-25m/ml-latest (genome-*.csv) is not used: tags.csv gives the keywords.
IGNORED_NAMES = {
    "README.md", "README", "u.user", "u.info", "u.genre", "u.occupation", "users.dat",
    "genome-scores.csv", "genome-tags.csv",
}  # fmt: skip
IGNORED_SUFFIXES = (".link", ".user", ".md", ".txt", ".yaml", ".json", ".py", ".whl", ".html", ".pl", ".sh")
# MovieLens 1M and 10M name their headerless "::" files alike; the raters of
# their ratings.dat differ, told apart by the release's directory in the zip.
DAT_FORMATS = {"movies.dat": "movielens_dat_movies", "tags.dat": "movielens_dat_tags"}
DAT_RATINGS_DIRECTORIES = {"ml-1m": "ml1m_ratings", "ml-10m100k": "ml10m_ratings", "ml-10m": "ml10m_ratings"}
# The same holds for the ratings.csv of the numbered releases and of today's
# ml-latest-small. The Movies Dataset's ratings.csv (a 2017 ml-latest) and
# ml-latest's own keep the shared "ratings" source.
CSV_RATINGS_DIRECTORIES = {
    "ml-20m": "ml20m_ratings",
    "ml-25m": "ml25m_ratings",
    "ml-32m": "ml32m_ratings",
    "ml-latest-small": "ml_latest_small_ratings",
}


def detect_format(source: Source) -> str | None:
    """The format of one file from its header line (or, for headerless ml-100k files, its name)."""
    name = source.name
    if name == "u.item":
        return "ml100k_items"
    if name == "u.data" or re.fullmatch(r"u[1-5ab]\.(base|test)", name):
        return "ml100k_ratings"
    if name in DAT_FORMATS:
        return DAT_FORMATS[name]
    if name == "ratings.dat":
        return DAT_RATINGS_DIRECTORIES.get(release_directory(source))
    try:
        header = read_header(source)
    except UnicodeDecodeError:
        return None
    except (OSError, *ARCHIVE_ERRORS) as error:
        raise UnreadableFileError(f"{source.label}: cannot be read ({error})") from error
    if not header:
        return None
    first = header[0]
    # recbole files are tab-separated with typed names ("item_id:token").
    columns = [column.split(":")[0] for column in first.split("\t")] if "\t" in first else header
    as_set = set(columns)
    # Files read by column name are recognised by names, in any order and with extra columns;
    # the two wide formats by a few of theirs, so a missing column is reported by the importer.
    if {"id", "imdb_id", "belongs_to_collection"} <= as_set:
        return "movies_metadata"
    if set(tmdb.CREDITS_COLUMNS) <= as_set:
        return "credits"
    if set(tmdb.KEYWORDS_COLUMNS) <= as_set:
        return "keywords"
    if set(movielens.LINKS_COLUMNS) <= as_set:
        return "links"
    if columns == ["userId", "movieId", "rating", "timestamp"]:
        if name == "ratings_small.csv":
            return "ratings_small"
        return CSV_RATINGS_DIRECTORIES.get(release_directory(source), "ratings")
    if set(movielens.MOVIES_COLUMNS) <= as_set:
        return "movielens_movies"
    if set(movielens.TAGS_COLUMNS) <= as_set:
        return "movielens_tags"
    if {"show_id", "type", "title"} <= as_set:
        return "streaming"
    if columns[:2] == ["item_id", "movie_title"]:
        return "recbole_items"
    if columns[:3] == ["user_id", "item_id", "rating"]:
        return "recbole_ratings"
    if columns == ["head_id", "relation_id", "tail_id"]:
        return "recbole_kg"
    return None


def release_directory(source: Source) -> str:
    """The lower-cased name of the directory holding the file (in the zip, or on disk)."""
    return (Path(source.member).parent.name if source.member else source.path.parent.name).lower()


class UnknownFileError(ValueError):
    pass


def plan_sources(sources: list[Source], format_name: str | None) -> tuple[list[tuple[Source, Format]], list[Source]]:
    """(files to import in dependency order, files skipped as not a dataset file)."""
    planned: list[tuple[int, int, Source, Format]] = []
    skipped: list[Source] = []
    for index, source in enumerate(sources):
        ignored = source.name in IGNORED_NAMES or source.name.endswith(IGNORED_SUFFIXES)
        try:
            detected = detect_format(source)
        except UnreadableFileError:
            if not ignored:
                raise
            detected = None
        if format_name in FORMATS:
            detected = format_name
        elif (
            format_name in FAMILIES
            and detected
            and FORMATS[detected].family != format_name
            # links.csv and ratings.csv are MovieLens files too.
            and not (format_name == "movielens" and detected in ("links", "ratings", "ratings_small"))
        ):
            raise UnknownFileError(
                f"{source.label}: recognised as {detected} ({FORMATS[detected].family}), "
                f"not a {format_name} file as --format says"
            )
        if detected is None:
            if ignored:
                skipped.append(source)
                continue
            if source.name == "ratings.dat":
                raise UnknownFileError(
                    f"{source.label}: a MovieLens 1M or 10M ratings file outside the release's directory "
                    "(ml-1m, ml-10M100K), so whose raters it holds is unknown; "
                    "pass --format ml1m_ratings or --format ml10m_ratings"
                )
            raise UnknownFileError(
                f"{source.label}: not a known dataset file (header not recognised); pass --format to say what it is"
            )
        fmt = FORMATS[detected]
        planned.append((fmt.stage, index, source, fmt))
    planned.sort(key=lambda item: (item[0], item[1]))
    return [(source, fmt) for _, _, source, fmt in planned], skipped


def run_import(
    *,
    paths: list[Path],
    format_name: str | None = None,
    platform: str | None = None,
    dry_run: bool = False,
    progress: Callable[..., Any] | None = None,
    sources: list[tuple[Source, str]] | None = None,
) -> ImportRun:
    """Import files and record the run. `sources` bypasses detection (load_demo)."""
    if sources is not None:
        plan = sorted(((s, FORMATS[f]) for s, f in sources), key=lambda item: item[1].stage)
        skipped: list[Source] = []
    else:
        plan, skipped = plan_sources(expand_paths(paths), format_name)
    # Everything that can fail before a row is read fails here, before anything is imported:
    # an unknown platform, and (hashing reads every file to its end) a truncated archive.
    platforms = {
        source: streaming.platform_for(source, platform).slug for source, fmt in plan if fmt.name == "streaming"
    }
    # Each file is read once here: its hash, and the encoding its text is read in.
    fingerprints = {source: source.fingerprint(text=fmt.reads_text) for source, fmt in plan}
    plan = [(dataclasses.replace(source, encoding=fingerprints[source][1]), fmt) for source, fmt in plan]
    labels = source_labels([source for source, _ in plan] + skipped)
    skipped_entries = [
        {"path": source.label, "label": labels[source], "format": "skipped", "read": 0} for source in skipped
    ]
    run = ImportRun.objects.create(dry_run=dry_run)
    follows_a_failed_run = not dry_run and _previous_run_failed(run)
    rejects_path = Path(settings.IMPORTS_DIR) / str(run.pk) / "rejects.csv"
    # A leftover from another database that numbered its runs the same way.
    rejects_path.unlink(missing_ok=True)
    writer = RejectWriter(rejects_path)
    context = ImportContext(writer, progress or terminal_progress)
    started = time.monotonic()
    files: list[FileCounts] = []
    try:
        # Real runs commit file by file (ratings block by block); a dry run
        # wraps everything in one transaction and rolls it back.
        with transaction.atomic() if dry_run else contextlib.nullcontext():
            for source, fmt in plan:
                sha256, encoding = fingerprints[source]
                counts = FileCounts(
                    source=source,
                    format=fmt.name,
                    label=labels[source],
                    sha256=sha256,
                    encoding=encoding if fmt.reads_text else "",
                )
                files.append(counts)
                logger.info("importing %s as %s", source.label, fmt.name)
                file_started = time.monotonic()
                try:
                    if fmt.name == "streaming":
                        streaming.import_streaming(source, counts, context, platform=platforms[source])
                    else:
                        fmt.importer(source, counts, context)
                except ARCHIVE_ERRORS as error:
                    # Changed since it was hashed, or a member read apart from it (a .link beside a .kg).
                    raise UnreadableFileError(f"{source.label}: cannot be read to its end ({error})") from error
                counts.seconds = time.monotonic() - file_started
                if not counts.balanced():
                    raise RuntimeError(f"{source.label}: counts do not add up ({counts.as_json()})")
                if not dry_run:
                    _record(run, files, skipped_entries, rejects_path, started, status=ImportRun.Status.RUNNING)
            run.streaming_match = _after_import(files)
            if dry_run:
                transaction.set_rollback(True)
    except BaseException as error:
        writer.close()
        _record(run, files, skipped_entries, rejects_path, started, status=ImportRun.Status.FAILED)
        run.error = "".join(traceback.format_exception_only(type(error), error)).strip()
        run.save(update_fields=["error"])
        # Not after Ctrl-C: whoever stopped the run does not want the refresh either.
        if not dry_run and isinstance(error, Exception):
            _after_partial_import(files)
        raise
    writer.close()
    _record(run, files, skipped_entries, rejects_path, started, status=ImportRun.Status.SUCCEEDED)
    if not dry_run and (run.rows_inserted or run.rows_updated or follows_a_failed_run):
        _planner_statistics_refresh()
        _request_rebuilds()
    return run


def _previous_run_failed(run: ImportRun) -> bool:
    """Whether the real import before `run` ended without succeeding.

    What it committed may never have been followed by the rebuilds (a run
    stopped by Ctrl-C or killed skips them), and re-running the same files
    finds every row unchanged: so after a failed run the rebuilds are
    requested whatever this run changes.
    """
    previous = (
        ImportRun.objects.filter(dry_run=False, pk__lt=run.pk).order_by("-pk").values_list("status", flat=True).first()
    )
    return previous is not None and previous != ImportRun.Status.SUCCEEDED


def _after_partial_import(files: list[FileCounts]) -> None:
    """A run failed after some files committed changes: bring what is derived from them up to date.

    A re-run finds those rows unchanged and would queue nothing, so this is
    the only time their rating figures, streaming matches, content index
    and insights get refreshed. A failure here is logged; the import's own
    error is the one raised.
    """
    changed = [counts for counts in files if counts.inserted or counts.updated]
    if not changed:
        return
    try:
        _after_import(changed)
        _planner_statistics_refresh()
        _request_rebuilds()
    except Exception:
        logger.exception("the refresh after a failed import failed too")


def _planner_statistics_refresh() -> None:
    """ANALYZE after a bulk load, as PostgreSQL's docs advise.

    Until the planner has statistics it guesses, and at catalog size its
    guesses are slow: before this, a film page's credits query scanned every
    director (60 ms instead of 1) until autovacuum came round, and a server
    without autovacuum never does. ANALYZE samples a fixed number of rows per
    table, so it takes seconds even at tens of millions of ratings.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _request_rebuilds() -> None:
    """The content index and the insights read the catalog: queue their refresh (after commit)."""
    from catalog.insights.services import insights_refresh_request
    from recommender.services import content_index_rebuild_request

    content_index_rebuild_request()
    insights_refresh_request()


def _after_import(files: list[FileCounts]) -> dict[str, int]:
    """Refresh what the imported files feed; returns the streaming match's counts when it ran, else {}."""
    from catalog.selectors import streaming_match_counts
    from catalog.services import movie_rating_stats_refresh, person_film_counts_refresh, streaming_titles_match

    stages = {FORMATS[counts.format].stage for counts in files}
    credits = any(counts.format == "credits" for counts in files)
    if stages & {0, 1, 3}:
        movie_rating_stats_refresh()
    streaming_match: dict[str, int] = {}
    # Films and streaming titles are what is matched, and credits name the directors that choose.
    if stages & {0, 4} or credits:
        changed = streaming_titles_match()
        streaming_match = {**streaming_match_counts(), "changed": changed}
    if credits:
        person_film_counts_refresh()
    return streaming_match


def _record(
    run: ImportRun,
    files: list[FileCounts],
    skipped: list[dict[str, Any]],
    rejects_path: Path,
    started: float,
    *,
    status: str,
) -> None:
    reasons: Counter[str] = Counter()
    for counts in files:
        reasons.update({f"{counts.label}: {reason}": n for reason, n in counts.rejects_by_reason.items()})
    run.files = [counts.as_json() for counts in files] + skipped
    run.rows_read = sum(counts.read for counts in files)
    run.rows_inserted = sum(counts.inserted for counts in files)
    run.rows_updated = sum(counts.updated for counts in files)
    run.rows_unchanged = sum(counts.unchanged for counts in files)
    run.rows_rejected = sum(counts.rejected for counts in files)
    run.rejects_by_reason = dict(reasons.most_common())
    run.rejects_path = str(rejects_path) if rejects_path.exists() else ""
    run.duration_seconds = round(time.monotonic() - started, 3)
    run.status = status
    if status != ImportRun.Status.RUNNING:
        run.finished_at = timezone.now()
    # The run row is saved outside the import's transaction so a failure
    # (or a dry run's rollback) still leaves its record.
    ImportRun.objects.filter(pk=run.pk).update(
        files=run.files,
        rows_read=run.rows_read,
        rows_inserted=run.rows_inserted,
        rows_updated=run.rows_updated,
        rows_unchanged=run.rows_unchanged,
        rows_rejected=run.rows_rejected,
        rejects_by_reason=run.rejects_by_reason,
        rejects_path=run.rejects_path,
        streaming_match=run.streaming_match,
        duration_seconds=run.duration_seconds,
        status=run.status,
        finished_at=run.finished_at,
    )
