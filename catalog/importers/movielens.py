"""MovieLens files: ml-100k (u.item, and the recbole .item), ml-latest movies.csv,
links.csv / links_small.csv (shared with The Movies Dataset) and tags.csv, and
the "::"-separated movies.dat and tags.dat of MovieLens 1M and 10M.

Tags become catalog Keywords (see `import_tags`): they describe a film the way
TMDB keywords do, so the content index reads both through one relation.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import transaction

from catalog.importers.aliases import merged_film_ids
from catalog.importers.base import FileCounts, ImportContext, Source, read_csv_records
from catalog.importers.columns import HeaderColumns, header_records
from catalog.importers.curated import curated_films, curated_keep, without_curated
from catalog.importers.parsing import (
    ML100K_GENRES,
    BadValue,
    check_release_year,
    display_title,
    imdb_text,
    parse_int,
    refuse_undecodable,
    split_ml100k_genres,
)
from catalog.importers.title_match import one_to_one_matches, title_year_index
from catalog.importers.upsert import bulk_insert, bulk_update_rows, max_length, sync_many_to_many, upsert_by_key
from catalog.models import Genre, Keyword, Movie, MovieLensLink
from catalog.services import film_merge
from catalog.text import clean_text, normalize_title, title_key

logger = logging.getLogger(__name__)

_YEAR_SUFFIX = re.compile(r"^(?P<title>.*?)\s*\((?P<year>\d{4})(?:[-\u2013]\d{0,4})?\)\s*$")
# Films whose only genre is this get none: it means "no genre listed".
_NO_GENRE = {"unknown", "(no genres listed)"}
# The columns each comma-separated file is read by, found by name in its header.
MOVIES_COLUMNS = ["movieId", "title", "genres"]
LINKS_COLUMNS = ["movieId", "imdbId", "tmdbId"]
TAGS_COLUMNS = ["movieId", "tag"]
# The fields of MovieLens 1M / 10M `.dat` files that rows and rejects name.
DAT_MOVIES_COLUMNS = ["MovieID", "Title", "Genres"]
DAT_TAGS_COLUMNS = ["MovieID", "Tag"]
REPLACED = "replaced by a later row of the same MovieLens id"


@dataclass
class FilmRecord:
    line: int
    key: int
    title: str
    year: int | None
    genres: list[str]
    release_date: object = None

    def imported(self) -> tuple[object, ...]:
        """What of the record is written to the film (all but its line and id)."""
        return (self.title, self.year, self.genres, self.release_date)


def _records_of_width(
    source: Source, counts: FileCounts, context: ImportContext, width: int, *, delimiter: str = ","
) -> Iterator[tuple[int, list[str]]]:
    """The file's records that have exactly `width` fields; every record read is counted, the others rejected."""
    for line, fields in read_csv_records(source, delimiter=delimiter, counts=counts, context=context):
        counts.read += 1
        if len(fields) != width:
            context.reject(counts, line, "row", delimiter.join(fields), f"expected {width} fields, found {len(fields)}")
            continue
        yield line, fields


def genre_ids(names: set[str]) -> dict[str, int]:
    """Genre primary keys by name, creating the missing ones."""
    known = dict(Genre.objects.filter(name__in=names).values_list("name", "id"))
    for name in sorted(names - known.keys()):
        known[name] = Genre.objects.get_or_create(name=name)[0].pk
    return known


def _split_title_year(raw: str) -> tuple[str, int | None]:
    match = _YEAR_SUFFIX.match(clean_text(raw))
    if match:
        return match["title"], int(match["year"])
    return clean_text(raw), None


def _parse_ml100k_date(value: str) -> object:
    import datetime as dt

    text = clean_text(value)
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, "%d-%b-%Y").date()  # noqa: DTZ007 - a calendar date
    except ValueError:
        raise BadValue("not a date like 01-Jan-1995") from None


def read_recbole_items(source: Source, counts: FileCounts, context: ImportContext) -> list[FilmRecord]:
    """`ml-100k.item`: item_id, movie_title, release_year, class (tab-separated, UTF-8)."""
    records: list[FilmRecord] = []
    for line, fields in _records_of_width(source, counts, context, 4, delimiter="\t"):
        item_id, title, year, genres = fields
        try:
            key = parse_int(item_id, minimum=1, allow_empty=False)
            names = split_ml100k_genres(genres)
        except BadValue as error:
            context.reject(counts, line, "row", "\t".join(fields), str(error))
            continue
        # Two real records carry no usable year ("unkonwn", "V"): the film is
        # kept, with the year from a "(1995)" title suffix or none.
        title, title_year = _split_title_year(title)
        try:
            parsed_year = parse_int(year, minimum=1870, maximum=2100) or title_year
        except BadValue:
            parsed_year = title_year
        if not clean_text(title) or "\ufffd" in title:
            context.reject(counts, line, "movie_title", title, "empty or not valid UTF-8")
            continue
        records.append(FilmRecord(line, key, display_title(title), parsed_year, names))  # type: ignore[arg-type]
    return records


def read_uitem(source: Source, counts: FileCounts, context: ImportContext) -> list[FilmRecord]:
    """ml-100k's raw `u.item`: pipe-separated, latin-1, 5 fields then 19 genre flags."""
    records: list[FilmRecord] = []
    with source.open_text("latin-1") as stream:
        for line, raw in enumerate(stream, start=1):
            text = raw.rstrip("\r\n")
            if not text.strip():
                continue
            counts.read += 1
            fields = text.split("|")
            if len(fields) != 5 + len(ML100K_GENRES):
                context.reject(
                    counts, line, "row", text, f"expected {5 + len(ML100K_GENRES)} fields, found {len(fields)}"
                )
                continue
            try:
                key = parse_int(fields[0], minimum=1, allow_empty=False)
                release_date = _parse_ml100k_date(fields[2])
                flags = fields[5:]
                if any(flag not in ("0", "1") for flag in flags):
                    raise BadValue("genre flags must be 0 or 1")
            except BadValue as error:
                context.reject(counts, line, "row", text, str(error))
                continue
            title, year = _split_title_year(fields[1])
            if not title:
                context.reject(counts, line, "movie title", fields[1], "empty")
                continue
            year = year or (release_date.year if release_date else None)  # type: ignore[attr-defined]
            try:
                check_release_year(year)
            except BadValue as error:
                context.reject(counts, line, "row", text, str(error))
                continue
            names = [genre for genre, flag in zip(ML100K_GENRES, flags, strict=True) if flag == "1"]
            records.append(FilmRecord(line, key, display_title(title), year, names, release_date))  # type: ignore[arg-type]
    return records


def _merge_duplicates(
    records: list[FilmRecord], counts: FileCounts, context: ImportContext, id_column: str
) -> dict[int, FilmRecord]:
    """Later rows with the same id win; each repeat is counted as merged.

    An earlier row whose title, year, genres or date the later one does not
    share is reported as replaced, naming the line that replaced it.
    """
    merged: dict[int, FilmRecord] = {}
    replaced: list[FilmRecord] = []
    for record in records:
        if record.key in merged:
            counts.duplicates_merged += 1
            replaced.append(merged[record.key])
        merged[record.key] = record
    for earlier in replaced:
        kept = merged[earlier.key]
        if earlier.imported() != kept.imported():
            reason = f"{REPLACED}, line {kept.line}"
            context.leave_out(counts, earlier.line, id_column, earlier.key, reason, summary=f"{id_column}: {REPLACED}")
    return merged


@transaction.atomic
def write_films(
    records: list[FilmRecord],
    counts: FileCounts,
    context: ImportContext,
    *,
    key_field: str,
    id_column: str,
    with_release_date: bool = False,
) -> dict[int, int]:
    """Upsert films keyed by `key_field` (ml100k_id or movielens_id, the file's `id_column`) with their genres."""
    merged = _merge_duplicates(records, counts, context, id_column)
    rows: dict[int, dict[str, object]] = {}
    for key, record in merged.items():
        values: dict[str, object] = {
            "title": record.title[:500],
            "title_search": title_key(record.title)[:500],
            "release_year": record.year,
        }
        if with_release_date:
            values["release_date"] = record.release_date
        rows[key] = values
    curated = curated_keep(Movie, key_field, rows)
    result = upsert_by_key(Movie, key_field, rows)
    names = {name for record in merged.values() for name in record.genres if name not in _NO_GENRE}
    ids = genre_ids(names)
    desired = {
        result.pks[key]: {ids[name] for name in record.genres if name not in _NO_GENRE}
        for key, record in merged.items()
    }
    desired = without_curated(desired, curated, "genres")
    changed_relations = sync_many_to_many(Movie.genres.through, "movie", "genre", desired)
    if key_field == "movielens_id":
        upsert_by_key(MovieLensLink, "movielens_id", {key: {"movie_id": result.pks[key]} for key in merged})
    pk_to_key = {pk: key for key, pk in result.pks.items()}
    updated = set(result.updated) | {pk_to_key[pk] for pk in changed_relations} - result.inserted
    # Every row of the file counts once: the first of a repeated id as what
    # happened to the film, the repeats as unchanged (merged into it).
    seen: set[int] = set()
    for record in records:
        if record.key in seen:
            counts.unchanged += 1
            continue
        seen.add(record.key)
        if record.key in result.inserted:
            counts.inserted += 1
        elif record.key in updated:
            counts.updated += 1
        else:
            counts.unchanged += 1
    return result.pks


def _not_known_from_tmdb(records: list[FilmRecord], counts: FileCounts, *, key_field: str) -> list[FilmRecord]:
    """The records to write: a film known from TMDB keeps its TMDB title, year and genres.

    MovieLens films get their TMDB id through links.csv (ml-latest) or by
    title and year, whichever comes first: a TMDB film stored before is given
    the MovieLens id of the record it certainly is (`_adopt_tmdb_films`; the
    other way round, tmdb._adopt_id_less_films). A record whose film is known
    from TMDB counts as unchanged, or as updated when it has just been adopted.
    A record of a film a curator merged into another (catalog.importers.aliases)
    counts as unchanged: the film kept is written from its own id's record.
    """
    merged = merged_film_ids(key_field, [record.key for record in records])
    if merged:
        counts.unchanged += sum(1 for record in records if record.key in merged)
        records = [record for record in records if record.key not in merged]
    adopted = _adopt_tmdb_films(records, key_field=key_field)
    known = _ids_leading_to_films([r.key for r in records], key_field=key_field, tmdb_only=True)
    for record in records:
        if record.key in adopted:
            adopted.discard(record.key)  # its repeats, if any, are merged into it: unchanged
            counts.updated += 1
        elif record.key in known:
            counts.unchanged += 1
    return [record for record in records if record.key not in known]


def _ids_leading_to_films(keys: list[int], *, key_field: str, tmdb_only: bool) -> set[int]:
    """The ids among `keys` that lead to a stored film (one known from TMDB if `tmdb_only`).

    A film's own id, or for MovieLens ids any of its links: links.csv gives one
    TMDB film several MovieLens ids, and a film keeps only the lowest as its own.
    """
    films = Movie.objects.filter(tmdb_id__isnull=False) if tmdb_only else Movie.objects.all()
    ids = set(films.filter(**{f"{key_field}__in": keys}).values_list(key_field, flat=True))
    if key_field == "movielens_id":
        links = MovieLensLink.objects.filter(movielens_id__in=keys)
        if tmdb_only:
            links = links.filter(movie__tmdb_id__isnull=False)
        ids |= set(links.values_list("movielens_id", flat=True))
    return ids


def _adopt_tmdb_films(records: list[FilmRecord], *, key_field: str) -> set[int]:
    """Give the records' MovieLens ids to the stored TMDB films they certainly are; return the ids given.

    Only ids no film holds yet, and only TMDB films without one: in one
    import of The Movies Dataset with MovieLens 100K (or 1M's movies.dat
    without a links.csv), the MovieLens films were written beside their TMDB
    films as second copies when movies_metadata came first.
    """
    held = _ids_leading_to_films([r.key for r in records], key_field=key_field, tmdb_only=False)
    rows = {record.key: ([title_key(record.title)], record.year) for record in records if record.key not in held}
    if not rows:
        return set()
    index = title_year_index(
        (pk, [title_search, original_title_search], year)
        for pk, title_search, original_title_search, year in Movie.objects.filter(
            tmdb_id__isnull=False, release_year__isnull=False, **{f"{key_field}__isnull": True}
        ).values_list("pk", "title_search", "original_title_search", "release_year")
    )
    matches = one_to_one_matches(index, rows)
    bulk_update_rows(Movie, [key_field], [(key, pk) for key, pk in sorted(matches.items())])
    if key_field == "movielens_id" and matches:
        upsert_by_key(MovieLensLink, "movielens_id", {key: {"movie_id": pk} for key, pk in matches.items()})
    return set(matches)


def import_recbole_items(source: Source, counts: FileCounts, context: ImportContext) -> None:
    records = read_recbole_items(source, counts, context)
    records = _not_known_from_tmdb(records, counts, key_field="ml100k_id")
    write_films(records, counts, context, key_field="ml100k_id", id_column="item_id")


def import_uitem(source: Source, counts: FileCounts, context: ImportContext) -> None:
    records = _not_known_from_tmdb(read_uitem(source, counts, context), counts, key_field="ml100k_id")
    write_films(records, counts, context, key_field="ml100k_id", id_column="movie id", with_release_date=True)


def import_movies_csv(source: Source, counts: FileCounts, context: ImportContext) -> None:
    """ml-latest `movies.csv`: movieId, title ("Toy Story (1995)"), genres ("A|B")."""
    rows: list[tuple[int, list[str]]] = []
    for line, fields in header_records(source, HeaderColumns.of(source, MOVIES_COLUMNS), counts, context):
        try:
            refuse_undecodable(MOVIES_COLUMNS, fields)
        except BadValue as error:
            field_name, _, reason = str(error).partition(": ")
            context.reject(counts, line, field_name, fields[MOVIES_COLUMNS.index(field_name)], reason)
            continue
        rows.append((line, fields))
    _import_movielens_films(rows, MOVIES_COLUMNS, counts, context)


def import_movies_dat(source: Source, counts: FileCounts, context: ImportContext) -> None:
    """MovieLens 1M / 10M `movies.dat`: MovieID::Title::Genres, the same values as movies.csv."""
    _import_movielens_films(
        list(dat_records(source, counts, context, 3, text_field=1)), DAT_MOVIES_COLUMNS, counts, context
    )


def _import_movielens_films(
    rows: list[tuple[int, list[str]]], names: list[str], counts: FileCounts, context: ImportContext
) -> None:
    """Rows of (line, [movie id, "Title (year)", "Genre|Genre"]) → films keyed by MovieLens id."""
    records: list[FilmRecord] = []
    genre_name_length = max_length(Genre, "name")
    for line, fields in rows:
        try:
            key = parse_int(fields[0], minimum=1, allow_empty=False)
        except BadValue as error:
            context.reject(counts, line, names[0], fields[0], str(error))
            continue
        title, year = _split_title_year(fields[1])
        if not title:
            context.reject(counts, line, names[1], fields[1], "empty")
            continue
        try:
            check_release_year(year)
        except BadValue as error:
            context.reject(counts, line, names[1], fields[1], str(error))
            continue
        genres = [clean_text(name)[:genre_name_length] for name in fields[2].split("|") if clean_text(name)]
        records.append(FilmRecord(line, key, display_title(title), year, genres))  # type: ignore[arg-type]
    records = _not_known_from_tmdb(records, counts, key_field="movielens_id")
    write_films(records, counts, context, key_field="movielens_id", id_column=names[0])


def dat_records(
    source: Source, counts: FileCounts, context: ImportContext, width: int, *, text_field: int
) -> Iterator[tuple[int, list[str]]]:
    """MovieLens 1M / 10M `.dat` lines: no header, no quoting, `width` fields split at "::".

    The free-text field (`text_field`: a title, a tag) keeps any "::" of its
    own. A line that is not UTF-8 is read as Latin-1, the encoding of ml-1m's
    movies.dat ("Misérables, Les").
    """
    with source.open_binary() as stream:
        for line, raw in enumerate(stream, start=1):
            data = raw.rstrip(b"\r\n")
            if not data.strip():
                continue
            counts.read += 1
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
            fields = text.split("::")
            extra = len(fields) - width
            if extra > 0:
                joined = "::".join(fields[text_field : text_field + extra + 1])
                fields = [*fields[:text_field], joined, *fields[text_field + extra + 1 :]]
            if len(fields) != width:
                context.reject(
                    counts, line, "row", text, f'expected {width} fields separated by "::", found {len(fields)}'
                )
                continue
            yield line, fields


@transaction.atomic
def import_links(source: Source, counts: FileCounts, context: ImportContext) -> None:
    """links.csv / links_small.csv: movieId, imdbId, tmdbId.

    Each MovieLens id is linked to the film with that TMDB id (the film must
    exist: import movies_metadata first). The film keeps the lowest MovieLens
    id as `movielens_id`; every id is kept in MovieLensLink for ratings.
    """
    films = dict(Movie.objects.filter(tmdb_id__isnull=False).values_list("tmdb_id", "id"))
    # A merged film's TMDB id links to the film kept (catalog.importers.aliases).
    films.update(merged_film_ids("tmdb_id").items())
    merged_movielens_ids = merged_film_ids("movielens_id")
    links: dict[int, tuple[int, int, str]] = {}
    lines: dict[int, list[int]] = {}
    replaced: list[tuple[int, int, tuple[int, int, str]]] = []  # (line, MovieLens id, link) of earlier rows
    for line, fields in header_records(source, HeaderColumns.of(source, LINKS_COLUMNS), counts, context):
        movielens_field, imdb_field, tmdb_field = fields
        try:
            movielens_id = parse_int(movielens_field, minimum=1, allow_empty=False)
        except BadValue as error:
            context.reject(counts, line, "movieId", movielens_field, str(error))
            continue
        try:
            imdb_id = imdb_text(imdb_field)
        except BadValue as error:
            context.reject(counts, line, "imdbId", imdb_field, str(error))
            continue
        try:
            tmdb_id = parse_int(tmdb_field, minimum=1)
        except BadValue as error:
            context.reject(counts, line, "tmdbId", tmdb_field, str(error))
            continue
        if tmdb_id is None:
            context.reject(counts, line, "tmdbId", "", "empty: the MovieLens film has no TMDB film")
            continue
        film = films.get(tmdb_id)
        if film is None:
            context.reject(counts, line, "tmdbId", tmdb_id, "no film with this TMDB id (import movies_metadata first)")
            continue
        assert movielens_id is not None  # allow_empty=False
        if movielens_id in links:
            counts.duplicates_merged += 1
            replaced.append((lines[movielens_id][-1], movielens_id, links[movielens_id]))
        links[movielens_id] = (film, tmdb_id, imdb_id)
        lines.setdefault(movielens_id, []).append(line)
    # A later row of a MovieLens id replaces the earlier ones whole: report those it differs from.
    for line, movielens_id, link in replaced:
        if link != links[movielens_id]:
            reason = f"{REPLACED}, line {lines[movielens_id][-1]}"
            context.leave_out(counts, line, "movieId", movielens_id, reason, summary=f"movieId: {REPLACED}")
    result = upsert_by_key(
        MovieLensLink, "movielens_id", {key: {"movie_id": film} for key, (film, _, _) in links.items()}
    )
    _merge_movielens_copies({movielens_id: film for movielens_id, (film, _, _) in links.items()})
    # The film's own movielens_id: the lowest MovieLens id linked to it.
    lowest: dict[int, int] = {}
    for movielens_id, (film, _, _) in links.items():
        if movielens_id in merged_movielens_ids:
            continue  # a merged film's id: linked, never the film kept's own
        lowest[film] = min(lowest.get(film, movielens_id), movielens_id)
    stored = {
        pk: (movielens_id, imdb_id)
        for pk, movielens_id, imdb_id in Movie.objects.filter(pk__in=lowest).values_list(
            "pk", "movielens_id", "imdb_id"
        )
    }
    # Another film may hold the id from an earlier import (e.g. ml-latest movies.csv): free it first.
    holders = dict(
        Movie.objects.filter(movielens_id__in=lowest.values()).exclude(pk__in=lowest).values_list("movielens_id", "pk")
    )
    if holders:
        Movie.objects.filter(pk__in=holders.values()).update(movielens_id=None)
    film_changed: set[int] = set()
    film_updates: list[tuple[object, ...]] = []
    for film, movielens_id in lowest.items():
        current_ml, current_imdb = stored[film]
        imdb_id = links[movielens_id][2]
        new_imdb = imdb_id if imdb_id and not current_imdb else current_imdb
        if current_ml != movielens_id or new_imdb != current_imdb:
            film_updates.append((movielens_id, new_imdb, film))
            film_changed.add(film)
    bulk_update_rows(Movie, ["movielens_id", "imdb_id"], film_updates)
    for movielens_id, line_numbers in lines.items():
        film = links[movielens_id][0]
        status = result.status(movielens_id)
        if status == "unchanged" and film in film_changed and lowest[film] == movielens_id:
            status = "updated"
        for index, _ in enumerate(line_numbers):
            if index < len(line_numbers) - 1:
                counts.unchanged += 1
            elif status == "inserted":
                counts.inserted += 1
            elif status == "updated":
                counts.updated += 1
            else:
                counts.unchanged += 1


def _merge_movielens_copies(films_by_movielens_id: dict[int, int]) -> int:
    """Merge the films written from a MovieLens film list alone into the TMDB films links.csv names for them.

    movies.csv (or movies.dat) imported before links.csv writes a film without
    a TMDB id for each MovieLens film that no TMDB film's title and year
    matched ("Seven (a.k.a. Se7en)" against "Se7en"). Once links.csv gives its
    MovieLens id to the TMDB film, that copy would stay behind as a second
    film, holding whatever ratings an earlier import gave it; it is merged
    into the TMDB film instead (catalog.services.film_merge, taking none of
    the copy's values). Returns how many were merged.
    """
    copies = Movie.objects.filter(tmdb_id__isnull=True, movielens_id__in=list(films_by_movielens_id)).values_list(
        "pk", "movielens_id"
    )
    merged = 0
    for pk, movielens_id in list(copies):
        keep = films_by_movielens_id.get(movielens_id) if movielens_id is not None else None
        if keep is None or keep == pk:
            continue
        film_merge(keep=Movie(pk=keep), duplicate=Movie(pk=pk), take_values=False)
        merged += 1
    if merged:
        logger.info("links: %s films written from MovieLens lists alone merged into their TMDB films", merged)
    return merged


TAG_KEYWORD_IDS = 1_000_000_000  # tag keywords take ids 1e9 .. 2e9 - 1, far above TMDB's (< 300,000)


def _tag_keyword_id(key: str) -> int:
    """The first id a tag's `normalize_title` key tries in Keyword's TMDB id space (see `_tag_keyword_ids`)."""
    return TAG_KEYWORD_IDS + zlib.crc32(key.encode()) % TAG_KEYWORD_IDS


def _tag_keyword_ids(keys: Iterable[str]) -> dict[str, int]:
    """A keyword id for each tag's `normalize_title` key: the id its hash gives, or the next one free.

    A billion ids hold ml-25m's 70,000 distinct tags with a few hash
    collisions ("tag 40271" and "tag 43157" share one): the second tag takes
    the next id no other tag holds, so it never becomes the first's keyword.
    A tag stored before keeps the id it has, so re-imports find the same keywords.
    """
    holders: dict[int, str] = {}
    ids: dict[str, int] = {}
    for stored_id, name in Keyword.objects.filter(tmdb_id__gte=TAG_KEYWORD_IDS).values_list("tmdb_id", "name"):
        assert stored_id is not None  # filtered on
        holders[stored_id] = normalize_title(name)
        ids.setdefault(holders[stored_id], stored_id)
    for key in sorted(set(keys) - ids.keys()):
        keyword = _tag_keyword_id(key)
        while keyword in holders:
            keyword = TAG_KEYWORD_IDS + (keyword + 1 - TAG_KEYWORD_IDS) % TAG_KEYWORD_IDS
        holders[keyword] = key
        ids[key] = keyword
    return ids


def import_tags(source: Source, counts: FileCounts, context: ImportContext) -> None:
    """ml-latest tags.csv: userId, movieId, tag, timestamp → the film's keywords."""
    rows = (
        (line, fields[0], fields[1])
        for line, fields in header_records(source, HeaderColumns.of(source, TAGS_COLUMNS), counts, context)
    )
    _import_tag_rows(rows, TAGS_COLUMNS, counts, context)


def import_tags_dat(source: Source, counts: FileCounts, context: ImportContext) -> None:
    """MovieLens 10M tags.dat: UserID::MovieID::Tag::Timestamp, the same values as tags.csv."""
    rows = ((line, fields[1], fields[2]) for line, fields in dat_records(source, counts, context, 4, text_field=2))
    _import_tag_rows(rows, DAT_TAGS_COLUMNS, counts, context)


@transaction.atomic
def _import_tag_rows(
    rows: Iterable[tuple[int, str, str]], names: list[str], counts: FileCounts, context: ImportContext
) -> None:
    """Rows of (line, MovieLens id, tag) → keywords added to the films.

    Tags are folded case- and accent-insensitively, so "dark comedy" from
    many users is one keyword; they add to the film's keywords, never remove.
    """
    movie_id_name, tag_name = names
    links = dict(MovieLensLink.objects.values_list("movielens_id", "movie_id"))
    wanted: dict[int, str] = {}
    pairs: list[tuple[int, str, str]] = []  # (film, the tag's key, the tag)
    keys: dict[str, str] = {}  # tag -> normalize_title(tag), computed once per distinct tag
    for line, movie_id_text, tag_text in rows:
        try:
            movielens_id = parse_int(movie_id_text, minimum=1, allow_empty=False)
        except BadValue as error:
            context.reject(counts, line, movie_id_name, movie_id_text, str(error))
            continue
        tag = clean_text(tag_text)[:200]
        if not tag or "\ufffd" in tag:
            context.reject(counts, line, tag_name, tag_text, "empty or not valid UTF-8")
            continue
        film = links.get(movielens_id)  # type: ignore[arg-type]
        if film is None:
            context.reject(
                counts, line, movie_id_name, movielens_id, "not linked to any film (import the films and links first)"
            )
            continue
        key = keys.get(tag)
        if key is None:
            key = keys[tag] = normalize_title(tag)
        pairs.append((film, key, tag))
    keyword_ids = _tag_keyword_ids(keys.values())
    for _, key, tag in pairs:
        wanted.setdefault(keyword_ids[key], tag)
    upsert_by_key(Keyword, "tmdb_id", {key: {"name": name} for key, name in wanted.items()}, compare=[])
    keyword_pks = dict(Keyword.objects.filter(tmdb_id__in=wanted).values_list("tmdb_id", "pk"))
    through = Movie.keywords.through
    existing = set(
        through.objects.filter(movie_id__in={film for film, _, _ in pairs}).values_list("movie_id", "keyword_id")
    )
    kept_by_curators = curated_films({film for film, _, _ in pairs}, "keywords")
    new_links: set[tuple[int, int]] = set()
    for film, key, _ in pairs:
        link = (film, keyword_pks[keyword_ids[key]])
        if link in existing or link in new_links or film in kept_by_curators:
            counts.unchanged += 1
        else:
            new_links.add(link)
            counts.inserted += 1
    bulk_insert(through, ["movie_id", "keyword_id"], sorted(new_links))
