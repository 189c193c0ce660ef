"""The Movies Dataset (Kaggle, TMDB metadata): movies_metadata.csv, credits.csv, keywords.csv.

Rules (README "Importing"): nested columns are Python literals read with
`ast.literal_eval`; a repeated TMDB id is merged into one film (later
non-empty values win, lists are united); the broken original records (a date
where the id belongs, shifted columns) are rejected with the reason; missing
budget/revenue are 0; release_year comes from release_date; return is
revenue / budget, 0 where the budget is 0.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from django.db import connection, models, transaction

from catalog.importers.aliases import merged_film_ids
from catalog.importers.base import FileCounts, ImportContext, RejectWriter, Source, read_csv_records
from catalog.importers.columns import HeaderColumns, header_records
from catalog.importers.curated import curated_films, curated_keep, without_curated
from catalog.importers.parsing import (
    MAX_DURATION,
    BadValue,
    check_release_year,
    imdb_text,
    parse_float,
    parse_int,
    parse_iso_date,
    parse_literal_dict,
    parse_literal_list,
    refuse_undecodable,
)
from catalog.importers.title_match import one_to_one_matches, title_year_index
from catalog.importers.upsert import (
    UpsertResult,
    bulk_insert,
    bulk_update_rows,
    drop_indexes,
    max_length,
    sync_many_to_many,
    upsert_by_key,
)
from catalog.models import (
    Collection,
    Company,
    Country,
    Credit,
    Genre,
    Keyword,
    Language,
    Movie,
    Person,
    PersonAlias,
)
from catalog.text import clean_text, normalize_title, title_key

METADATA_COLUMNS = [
    "adult",
    "belongs_to_collection",
    "budget",
    "genres",
    "homepage",
    "id",
    "imdb_id",
    "original_language",
    "original_title",
    "overview",
    "popularity",
    "poster_path",
    "production_companies",
    "production_countries",
    "release_date",
    "revenue",
    "runtime",
    "spoken_languages",
    "status",
    "tagline",
    "title",
    "video",
    "vote_average",
    "vote_count",
]
CREDITS_COLUMNS = ["cast", "crew", "id"]
KEYWORDS_COLUMNS = ["id", "keywords"]
_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Keywords made from MovieLens tags live above this id (see movielens._tag_keyword_id).
TAG_KEYWORD_IDS_FROM = 1_000_000_000
CREDITS_CHUNK = 500
Parsed = TypeVar("Parsed")
CREDIT_FIELDS = ["person_id", "kind", "character", "order", "department", "job"]
# How a film's credits are told apart when its credits are re-imported: by TMDB credit id, or,
# for a credit without one, by all its values (a tuple in CREDIT_FIELDS' order).
CreditKey = str | tuple[Any, ...]
# What happens to an earlier record of a repeated TMDB id whose values the later one does not keep.
REPLACED = "replaced by a later record of the same TMDB id"
REPLACED_VALUE = "replaced by the value of a later row of the same TMDB id"
TAG_KEYWORD_ID = "an id of the range kept for the keywords made from MovieLens tags, which no TMDB keyword has"
REPEATED_CREDIT_ID = "the credit id of an earlier credit of this record, with other values: the earlier one is kept"


@dataclass
class CreditsRecord:
    """A credits.csv record: its credits and the people they name by TMDB id.

    Credits are keyed by TMDB credit id; those without one (the model allows an
    empty credit id) are kept apart, each distinct one once. `left_out` holds
    (field, value, reason) for each item not imported: a credit repeating an
    earlier one's credit id with other values.
    """

    credits: dict[str, dict[str, Any]] = field(default_factory=dict)
    without_credit_id: list[dict[str, Any]] = field(default_factory=list)
    people: dict[int, dict[str, Any]] = field(default_factory=dict)
    left_out: list[tuple[str, str, str]] = field(default_factory=list, compare=False)


# FilmRow values computed from others (the title's search key, the year, the return): a merge
# reports the column they come from.
_DERIVED_VALUES = {"title_search", "original_title_search", "release_year", "return_ratio"}


@dataclass
class FilmRow:
    line: int
    tmdb_id: int
    values: dict[str, Any]
    collection: dict[str, Any] | None
    genres: dict[int, str] = field(default_factory=dict)
    companies: dict[int, str] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)
    languages: dict[str, str] = field(default_factory=dict)
    # The line each value comes from once a repeated id merged rows (else `line`), by name in `values`.
    lines: dict[str, int] = field(default_factory=dict)

    def merge(self, later: FilmRow) -> list[tuple[int, str, object]]:
        """A repeated id: later non-empty values win, lists are united.

        Returns (line, column, value) for each non-empty value a later one
        replaced, from the line it was read on: what the merge loses.
        """
        replaced: list[tuple[int, str, object]] = []
        for name, value in later.values.items():
            if _empty(value) and name in self.values:
                continue
            old = self.values.get(name)
            if name not in _DERIVED_VALUES and not _empty(old) and old != value:
                replaced.append((self.lines.get(name, self.line), name, old))
            self.values[name] = value
            self.lines[name] = later.line
        budget, revenue = self.values["budget"], self.values["revenue"]
        self.values["return_ratio"] = revenue / budget if budget else 0.0
        if later.collection:
            old_collection = self.collection
            if old_collection and old_collection != later.collection:
                value = f"{old_collection['tmdb_id']}: {old_collection['name']}"
                replaced.append((self.lines.get("collection", self.line), "belongs_to_collection", value))
            self.collection = later.collection
            self.lines["collection"] = later.line
        self.genres.update(later.genres)
        self.companies.update(later.companies)
        self.countries.update(later.countries)
        self.languages.update(later.languages)
        return replaced


def _empty(value: object) -> bool:
    """A value a repeated id's later row does not write over an earlier one with."""
    return value in (None, "", 0, 0.0, False)


def _tmdb_id(value: str) -> int:
    text = clean_text(value)
    if _DATE_LIKE.match(text):
        raise BadValue("a date where the TMDB id belongs (a broken original record with shifted columns)")
    number = parse_int(text, minimum=1, allow_empty=False)
    assert number is not None
    return number


def _bool(value: str) -> bool:
    text = clean_text(value)
    if text in ("True", "true", "1"):
        return True
    if text in ("False", "false", "0", ""):
        return False
    raise BadValue("not True or False (shifted columns?)")


def _named(value: str, key: str, model: type[models.Model]) -> dict[Any, str]:
    """A literal list like [{'id': 18, 'name': 'Drama'}] by id; a `key` other than "id" is a code (`model.code`).

    Codes longer than the model's column are refused; names are cut to it.
    """
    name_length = max_length(model, "name")
    code_length = None if key == "id" else max_length(model, "code")
    out: dict[Any, str] = {}
    for item in parse_literal_list(value):
        ident, name = item.get(key), clean_text(item.get("name"))
        if code_length is None:
            if not isinstance(ident, int) or isinstance(ident, bool) or ident < 1 or ident > 2**31 - 1:
                raise BadValue(f"an entry without a valid {key!r}")
        elif not isinstance(ident, str) or not 1 <= len(clean_text(ident)) <= code_length:
            raise BadValue(f"an entry without a valid {key!r} (1 to {code_length} characters)")
        else:
            ident = clean_text(ident)
        out[ident] = name[:name_length]
    return out


def parse_metadata_row(line: int, fields: list[str]) -> FilmRow:
    """One movies_metadata.csv record (fields in METADATA_COLUMNS' order) → a FilmRow, or BadValue("field: reason")."""
    refuse_undecodable(METADATA_COLUMNS, fields)
    row = dict(zip(METADATA_COLUMNS, fields, strict=True))

    def get(name: str, parser: Any, **kwargs: Any) -> Any:
        try:
            return parser(row[name], **kwargs)
        except BadValue as error:
            raise BadValue(f"{name}: {error}") from None

    tmdb_id = get("id", _tmdb_id)
    title = clean_text(row["title"]) or clean_text(row["original_title"])
    if not title:
        raise BadValue("title: empty (and no original title)")
    release_date = get("release_date", parse_iso_date)
    try:
        check_release_year(release_date.year if release_date else None)
    except BadValue as error:
        raise BadValue(f"release_date: {error}") from None
    budget = get("budget", parse_int, maximum=2**62) or 0
    revenue = get("revenue", parse_int, maximum=2**62) or 0
    runtime = get("runtime", parse_float, maximum=MAX_DURATION)
    collection = get("belongs_to_collection", parse_literal_dict)
    if collection is not None:
        ident = collection.get("id")
        if not isinstance(ident, int) or ident < 1 or ident > 2**31 - 1:
            raise BadValue("belongs_to_collection: no valid id")
        collection = {
            "tmdb_id": ident,
            "name": clean_text(collection.get("name"))[: max_length(Collection, "name")],
            "poster_path": clean_text(collection.get("poster_path") or "")[:200],
        }
    values = {
        "title": title[:500],
        "title_search": title_key(title)[:500],
        "original_title": clean_text(row["original_title"])[:500],
        "original_title_search": title_key(row["original_title"])[:500],
        "overview": clean_text(row["overview"]),
        "tagline": clean_text(row["tagline"])[:1000],
        "release_date": release_date,
        "release_year": release_date.year if release_date else None,
        "runtime": int(runtime) if runtime else None,
        "budget": budget,
        "revenue": revenue,
        "return_ratio": revenue / budget if budget else 0.0,
        "popularity": get("popularity", parse_float, maximum=1e9) or 0.0,
        "vote_average": get("vote_average", parse_float, maximum=10) or 0.0,
        "vote_count": get("vote_count", parse_int) or 0,
        "status": clean_text(row["status"])[:40],
        "original_language": clean_text(row["original_language"])[:12],
        "adult": get("adult", _bool),
        "video": get("video", _bool),
        "imdb_id": get("imdb_id", imdb_text),
        "poster_path": clean_text(row["poster_path"])[:200],
        "homepage": clean_text(row["homepage"])[:1000],
    }
    return FilmRow(
        line=line,
        tmdb_id=tmdb_id,
        values=values,
        collection=collection,
        genres=get("genres", _named, key="id", model=Genre),
        companies=get("production_companies", _named, key="id", model=Company),
        countries=get("production_countries", _named, key="iso_3166_1", model=Country),
        languages=get("spoken_languages", _named, key="iso_639_1", model=Language),
    )


def _reject_bad_value(
    context: ImportContext, counts: FileCounts, line: int, fields: list[str], error: BadValue
) -> None:
    field_name, _, reason = str(error).partition(": ")
    value = fields[METADATA_COLUMNS.index(field_name)] if field_name in METADATA_COLUMNS else ",".join(fields)
    context.reject(counts, line, field_name, value, reason or str(error))


def _genre_pks(genres: dict[int, str]) -> dict[int, int]:
    """Genres by TMDB id; a genre first known by name (e.g. from MovieLens) gets its TMDB id.

    Names are unique: a second TMDB id under a known name maps to that genre.
    """
    pks: dict[int, int] = {}
    names = {tmdb_id: name or f"Genre {tmdb_id}" for tmdb_id, name in genres.items()}
    by_tmdb = {g.tmdb_id: g for g in Genre.objects.filter(tmdb_id__in=genres)}
    by_name = {g.name: g for g in Genre.objects.filter(name__in=names.values())}
    for tmdb_id, name in sorted(names.items()):
        genre = by_tmdb.get(tmdb_id) or by_name.get(name)
        if genre is None:
            genre = Genre.objects.create(name=name, tmdb_id=tmdb_id)
            by_name[name] = genre
        elif genre.tmdb_id is None:
            genre.tmdb_id = tmdb_id
            genre.save(update_fields=["tmdb_id"])
        pks[tmdb_id] = genre.pk
    return pks


def _adopt_id_less_films(films: dict[int, FilmRow]) -> set[int]:
    """Give new TMDB films to the stored films without a TMDB id that they certainly are; return their TMDB ids.

    The demo catalog (MovieLens 100K) and the MovieLens film lists bring films
    without a TMDB id. A TMDB row is such a film when its title or original
    title and its year match (catalog.importers.title_match). The adopted film
    keeps its id, so its ratings and everything else hanging off it stay.
    """
    index = title_year_index(
        (pk, [title_search], year)
        for pk, title_search, year in Movie.objects.filter(
            tmdb_id__isnull=True, release_year__isnull=False
        ).values_list("pk", "title_search", "release_year")
    )
    if not index:
        return set()
    rows = {
        tmdb_id: ((film.values["title_search"], film.values["original_title_search"]), film.values["release_year"])
        for tmdb_id, film in films.items()
    }
    matches = one_to_one_matches(index, rows)
    known = set(Movie.objects.filter(tmdb_id__isnull=False).values_list("tmdb_id", flat=True)) if matches else set()
    adopted = {tmdb_id: pk for tmdb_id, pk in matches.items() if tmdb_id not in known}
    bulk_update_rows(Movie, ["tmdb_id"], [(tmdb_id, pk) for tmdb_id, pk in sorted(adopted.items())])
    return set(adopted)


def _count_rows(
    counts: FileCounts, lines_by_key: dict[Any, list[int]], result: UpsertResult, relation_changed: set[Any]
) -> None:
    for key, lines in lines_by_key.items():
        counts.unchanged += len(lines) - 1  # repeats merged into the first
        status = result.status(key)
        if status == "unchanged" and key in relation_changed:
            status = "updated"
        setattr(counts, status, getattr(counts, status) + 1)


@transaction.atomic
def import_metadata(source: Source, counts: FileCounts, context: ImportContext) -> None:
    columns = HeaderColumns.of(source, METADATA_COLUMNS)
    films: dict[int, FilmRow] = {}
    lines_by_key: dict[int, list[int]] = {}
    for line, fields in header_records(source, columns, counts, context):
        try:
            film = parse_metadata_row(line, fields)
        except BadValue as error:
            _reject_bad_value(context, counts, line, fields, error)
            continue
        if film.tmdb_id in films:
            counts.duplicates_merged += 1
            for earlier_line, column, value in films[film.tmdb_id].merge(film):
                reason = f"{REPLACED_VALUE}, line {line}"
                context.leave_out(counts, earlier_line, column, value, reason, summary=f"{column}: {REPLACED_VALUE}")
        else:
            films[film.tmdb_id] = film
        lines_by_key.setdefault(film.tmdb_id, []).append(line)
    # Films a curator merged into another: the film kept is written from its own TMDB id's row.
    for tmdb_id in merged_film_ids("tmdb_id", films):
        del films[tmdb_id]
        counts.unchanged += len(lines_by_key.pop(tmdb_id))

    collections = {f.collection["tmdb_id"]: f.collection for f in films.values() if f.collection}
    collection_pks = upsert_by_key(
        Collection, "tmdb_id", {k: {"name": v["name"], "poster_path": v["poster_path"]} for k, v in collections.items()}
    ).pks
    genre_pks = _genre_pks({k: v for f in films.values() for k, v in f.genres.items()})
    company_pks = upsert_by_key(
        Company, "tmdb_id", {k: {"name": v} for f in films.values() for k, v in f.companies.items()}
    ).pks
    country_pks = upsert_by_key(
        Country, "code", {k: {"name": v} for f in films.values() for k, v in f.countries.items()}
    ).pks
    language_pks = upsert_by_key(
        Language, "code", {k: {"name": v} for f in films.values() for k, v in f.languages.items()}, compare=[]
    ).pks

    rows = {
        tmdb_id: {
            **film.values,
            "collection_id": collection_pks[film.collection["tmdb_id"]] if film.collection else None,
        }
        for tmdb_id, film in films.items()
    }
    adopted = _adopt_id_less_films(films)
    # links.csv knows IMDb ids that movies_metadata leaves empty: never blank a known one.
    missing_imdb = [key for key, values in rows.items() if not values["imdb_id"]]
    known_imdb = dict(
        Movie.objects.filter(tmdb_id__in=missing_imdb).exclude(imdb_id="").values_list("tmdb_id", "imdb_id")
    )
    for key in missing_imdb:
        if key in known_imdb:
            rows[key]["imdb_id"] = known_imdb[key]
    curated = curated_keep(Movie, "tmdb_id", rows)
    result = upsert_by_key(Movie, "tmdb_id", rows)
    pk = result.pks
    changed: set[int] = set()
    changed |= sync_many_to_many(
        Movie.genres.through,
        "movie",
        "genre",
        without_curated({pk[k]: {genre_pks[g] for g in f.genres} for k, f in films.items()}, curated, "genres"),
    )
    changed |= sync_many_to_many(
        Movie.companies.through,
        "movie",
        "company",
        without_curated({pk[k]: {company_pks[c] for c in f.companies} for k, f in films.items()}, curated, "companies"),
    )
    changed |= sync_many_to_many(
        Movie.countries.through,
        "movie",
        "country",
        without_curated({pk[k]: {country_pks[c] for c in f.countries} for k, f in films.items()}, curated, "countries"),
    )
    changed |= sync_many_to_many(
        Movie.spoken_languages.through,
        "movie",
        "language",
        without_curated(
            {pk[k]: {language_pks[c] for c in f.languages} for k, f in films.items()}, curated, "spoken_languages"
        ),
    )
    pk_to_key = {value: key for key, value in pk.items()}
    _count_rows(counts, lines_by_key, result, {pk_to_key[p] for p in changed} | adopted)


def _file_ids(source: Source, columns: HeaderColumns, id_column: int) -> tuple[set[int], set[int]]:
    """The TMDB ids of a credits/keywords file, and those found on more than one record."""
    seen: set[int] = set()
    repeated: set[int] = set()
    # A scan only: unreadable records are counted and rejected by the real pass.
    scan_counts, scan_context = FileCounts(source, "scan"), ImportContext(RejectWriter(None))
    for _, record in read_csv_records(source, counts=scan_counts, context=scan_context):
        try:
            tmdb_id = _tmdb_id(columns.pick(record)[id_column])
        except BadValue:
            continue
        if tmdb_id in seen:
            repeated.add(tmdb_id)
        seen.add(tmdb_id)
    return seen, repeated


def _kept_records(
    source: Source,
    counts: FileCounts,
    context: ImportContext,
    columns: HeaderColumns,
    id_column: int,
    parse: Callable[[list[str]], Parsed],
    repeated: set[int],
) -> Iterator[tuple[int, int, Parsed]]:
    """(line, TMDB id, parsed record) for the record kept of each id: the last one that parses.

    Every other record is counted here: rejected, or merged (an earlier valid
    record of a repeated id). Repeated ids come last, once the file is read;
    an earlier record that differs from the one kept is reported as replaced.
    """
    latest_of_repeated: dict[int, tuple[int, Parsed]] = {}
    replaced: list[tuple[int, int, Parsed]] = []  # (TMDB id, line, parsed) of the earlier records
    for line, fields in header_records(source, columns, counts, context):
        try:
            tmdb_id = _tmdb_id(fields[id_column])
        except BadValue as error:
            context.reject(counts, line, "id", fields[id_column], str(error))
            continue
        try:
            parsed = parse(fields)
        except BadValue as error:
            field_name, _, reason = str(error).partition(": ")
            value = fields[columns.names.index(field_name)] if field_name in columns.names else ""
            context.reject(counts, line, field_name, value, reason)
            continue
        if tmdb_id not in repeated:
            yield line, tmdb_id, parsed
            continue
        if tmdb_id in latest_of_repeated:
            counts.duplicates_merged += 1
            counts.unchanged += 1
            replaced.append((tmdb_id, *latest_of_repeated[tmdb_id]))
        latest_of_repeated[tmdb_id] = (line, parsed)
    for tmdb_id, line, parsed in replaced:
        kept_line, kept = latest_of_repeated[tmdb_id]
        if parsed != kept:
            reason = f"{REPLACED}, line {kept_line}"
            context.leave_out(counts, line, "id", tmdb_id, reason, summary=f"id: {REPLACED}")
    for tmdb_id, (line, parsed) in latest_of_repeated.items():
        yield line, tmdb_id, parsed


def _film_chunks(
    source: Source,
    counts: FileCounts,
    context: ImportContext,
    columns: HeaderColumns,
    id_column: int,
    parse: Callable[[list[str]], Parsed],
    relation: str,
) -> Iterator[list[tuple[int, int, Parsed]]]:
    """Chunks of (line, film pk, parsed record), one record per known film (see `_kept_records`).

    `parse` takes the fields in the format's order and raises BadValue("field: reason");
    `id_column` indexes the format's columns. Records of unknown films are rejected here;
    those of films whose `relation` (credits, keywords) a curator changed are left unchanged.
    """
    ids, repeated = _file_ids(source, columns, id_column)
    films = dict(Movie.objects.filter(tmdb_id__in=ids).values_list("tmdb_id", "id"))
    merged = merged_film_ids("tmdb_id", ids)
    kept_by_curators = curated_films(films.values(), relation)
    chunk: list[tuple[int, int, Parsed]] = []
    for line, tmdb_id, parsed in _kept_records(source, counts, context, columns, id_column, parse, repeated):
        if tmdb_id in merged:
            # Merged into another film, which has its own row (see import_metadata): nothing of its own to write.
            counts.unchanged += 1
            continue
        film = films.get(tmdb_id)
        if film is None:
            context.reject(counts, line, "id", tmdb_id, "no film with this TMDB id (import movies_metadata first)")
            continue
        if film in kept_by_curators:
            counts.unchanged += 1
            continue
        chunk.append((line, film, parsed))
        if len(chunk) >= CREDITS_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _person(item: dict[str, object]) -> tuple[int, dict[str, Any]]:
    ident = item.get("id")
    if not isinstance(ident, int) or ident < 1 or ident > 2**31 - 1:
        raise BadValue("an entry without a valid person id")
    name = clean_text(item.get("name"))[:300]
    gender = item.get("gender")
    return ident, {
        "name": name,
        "name_search": normalize_title(name)[:300],
        "gender": gender if isinstance(gender, int) and 0 <= gender <= 32767 else None,
        "profile_path": clean_text(item.get("profile_path") or "")[:200],
    }


class _PeopleWritten:
    """The people one credits import writes: each is looked up and inserted once, however many films name them.

    A person named again with other values (cast and crew records disagree
    on a profile picture) is updated once, by `finish`, with the values of
    the last record naming them: the same end state as one upsert per chunk,
    without rewriting the row back and forth.
    """

    def __init__(self) -> None:
        self.written: dict[int, tuple[int, dict[str, Any]]] = {}
        self.latest: dict[int, dict[str, Any]] = {}
        self.merged: set[int] = set()

    def upsert(self, people: dict[int, dict[str, Any]]) -> dict[int, int]:
        new = {key: values for key, values in people.items() if key not in self.written}
        # People a curator merged away: their credits go to the person kept, who keeps their own values.
        for key, pk in PersonAlias.objects.filter(tmdb_id__in=list(new)).values_list("tmdb_id", "person_id"):
            self.written[key] = (pk, new.pop(key))
            self.merged.add(key)
        curated_keep(Person, "tmdb_id", new)
        for key, pk in upsert_by_key(Person, "tmdb_id", new).pks.items():
            self.written[key] = (pk, new[key])
        self.latest.update((key, values) for key, values in people.items() if key not in new and key not in self.merged)
        return {key: self.written[key][0] for key in people}

    def finish(self) -> None:
        curated_keep(Person, "tmdb_id", self.latest)
        changed = [(key, values) for key, values in self.latest.items() if values != self.written[key][1]]
        if changed:
            fields = list(changed[0][1])
            rows = [(*(values[name] for name in fields), self.written[key][0]) for key, values in changed]
            with transaction.atomic():
                bulk_update_rows(Person, fields, rows)
        self.latest.clear()


def import_credits(source: Source, counts: FileCounts, context: ImportContext) -> None:
    """credits.csv: cast, crew, id. A film's credits become exactly the file's (one transaction per chunk).

    A first load on PostgreSQL (no credit stored yet) is one transaction
    instead, with the credit table's indexes and foreign keys dropped and
    re-created at the end: a million credits kept six indexes current and
    fired two deferred foreign-key triggers each at every commit, which was
    most of the import's time. Killed part-way, it leaves no credit behind.
    """
    columns = HeaderColumns.of(source, CREDITS_COLUMNS)
    chunks = _film_chunks(source, counts, context, columns, id_column=2, parse=_parse_credits, relation="credits")
    chunks = _reporting_left_out(chunks, counts, context)
    people = _PeopleWritten()
    if connection.vendor != "postgresql" or Credit.objects.exists():
        for chunk in chunks:
            _write_credit_chunk(chunk, counts, people)
        people.finish()
        return
    table = Credit._meta.db_table
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608 - table name from the model
            first_load = not cursor.fetchone()[0]
        # Altering a foreign key alters the films' and people's tables too, which PostgreSQL
        # refuses while checks deferred by this transaction (a dry run, a test) are pending.
        connection.check_constraints()
        recreate = drop_indexes(table, primary_key=False, foreign_keys=True) if first_load else []
        for chunk in chunks:
            _write_credit_chunk(chunk, counts, people, first_load=first_load)
        people.finish()
        connection.check_constraints()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for statement in recreate:
                cursor.execute(statement)


class _LeavingOut(Protocol):
    left_out: list[tuple[str, str, str]]


WithLeftOut = TypeVar("WithLeftOut", bound=_LeavingOut)


def _reporting_left_out(
    chunks: Iterator[list[tuple[int, int, WithLeftOut]]], counts: FileCounts, context: ImportContext
) -> Iterator[list[tuple[int, int, WithLeftOut]]]:
    """The chunks, each record's left-out items reported in the rejects as it goes to be written."""
    for chunk in chunks:
        for line, _, record in chunk:
            for field_name, value, reason in record.left_out:
                # "crew[3].credit_id" is summed up as "credit_id".
                summary = f"{field_name.rpartition('.')[2]}: {reason}"
                context.leave_out(counts, line, field_name, value, reason, summary=summary)
        yield chunk


def _parse_credits(fields: list[str]) -> CreditsRecord:
    """cast, crew (fields 0 and 1) → a CreditsRecord, or BadValue("field: reason").

    An item repeating a credit id already read in the record is the same
    credit listed twice when its values are the same (nothing is lost), and
    is left out, with its reason, when they differ: the first one is kept.
    """
    refuse_undecodable(CREDITS_COLUMNS, fields)
    try:
        cast = parse_literal_list(fields[0])
    except BadValue as error:
        raise BadValue(f"cast: {error}") from None
    try:
        crew = parse_literal_list(fields[1])
    except BadValue as error:
        raise BadValue(f"crew: {error}") from None
    record = CreditsRecord()
    for column, kind, items in (("cast", Credit.Kind.CAST, cast), ("crew", Credit.Kind.CREW, crew)):
        for index, item in enumerate(items):
            try:
                person_id, person = _person(item)
            except BadValue as error:
                raise BadValue(f"{column}: {error}") from None
            order = item.get("order")
            values = {
                "person": person_id,
                "kind": str(kind),
                "character": clean_text(item.get("character"))[:1000],
                "order": order if isinstance(order, int) and 0 <= order < 2**31 else None,
                "department": clean_text(item.get("department"))[:100],
                "job": clean_text(item.get("job"))[:100],
            }
            credit_id = clean_text(item.get("credit_id"))[:40]
            if not credit_id:
                if values in record.without_credit_id:
                    continue
                record.without_credit_id.append(values)
            elif credit_id in record.credits:
                if record.credits[credit_id] != values:
                    record.left_out.append((f"{column}[{index}].credit_id", str(item), REPEATED_CREDIT_ID))
                continue
            else:
                record.credits[credit_id] = values
            record.people[person_id] = person
    return record


def _credit_key(credit_id: str, row: Mapping[str, Any]) -> CreditKey:
    return credit_id or tuple(row[name] for name in CREDIT_FIELDS)


@transaction.atomic
def _write_credit_chunk(
    chunk: list[tuple[int, int, CreditsRecord]],
    counts: FileCounts,
    written: _PeopleWritten,
    *,
    first_load: bool = False,
) -> None:
    """Make each film's credits exactly the chunk's. `first_load`: the table held no credit (nothing to compare).

    Stored credits are matched by credit id, those without one by all their
    values (see `_credit_key`), so a re-import of the same file changes nothing.
    """
    people: dict[int, dict[str, Any]] = {}
    for _, _, record in chunk:
        people.update(record.people)
    person_pks = written.upsert(people)
    wanted: dict[int, dict[CreditKey, tuple[str, dict[str, Any]]]] = {}
    for _, film, record in chunk:
        rows = [(credit_id, values) for credit_id, values in record.credits.items()]
        rows += [("", values) for values in record.without_credit_id]
        wanted[film] = {}
        for credit_id, values in rows:
            row = {**values, "person_id": person_pks[values["person"]]}
            wanted[film][_credit_key(credit_id, row)] = (credit_id, row)
    existing: dict[int, dict[CreditKey, tuple[int, Mapping[str, Any]]]] = {film: {} for film in wanted}
    to_delete: list[int] = []
    # A first load has no index on the film to look up by (and nothing to find: each film comes once).
    stored_films = [] if first_load else list(wanted)
    stored_credits = Credit.objects.filter(movie_id__in=stored_films)
    for credit in stored_credits.values("pk", "movie_id", "credit_id", *CREDIT_FIELDS):
        stored = existing[credit["movie_id"]]
        key = _credit_key(credit["credit_id"], credit)
        if key in stored:
            to_delete.append(credit["pk"])  # the same credit without a credit id twice: the file lists it once
        else:
            stored[key] = (credit["pk"], credit)
    to_create: list[tuple[Any, ...]] = []
    to_update: list[tuple[Any, ...]] = []
    status: dict[int, str] = {}
    for film, credits in wanted.items():
        stored = existing[film]
        changed = False
        for key, (credit_id, row) in credits.items():
            if key not in stored:
                to_create.append((film, credit_id, *(row[name] for name in CREDIT_FIELDS)))
                changed = True
            else:
                pk, old = stored[key]
                if any(old[name] != row[name] for name in CREDIT_FIELDS):
                    to_update.append((*(row[name] for name in CREDIT_FIELDS), pk))
                    changed = True
        extra = [pk for key, (pk, _) in stored.items() if key not in credits]
        to_delete.extend(extra)
        changed = changed or bool(extra)
        status[film] = ("inserted" if not stored else "updated") if changed else "unchanged"
    Credit.objects.filter(pk__in=to_delete).delete()
    bulk_insert(Credit, ["movie_id", "credit_id", *CREDIT_FIELDS], to_create)
    bulk_update_rows(Credit, CREDIT_FIELDS, to_update)
    for _, film, _ in chunk:
        if film in status:
            setattr(counts, status[film], getattr(counts, status[film]) + 1)


def import_keywords(source: Source, counts: FileCounts, context: ImportContext) -> None:
    """keywords.csv: id, keywords. A film's TMDB keywords become exactly the file's."""
    columns = HeaderColumns.of(source, KEYWORDS_COLUMNS)
    chunks = _film_chunks(source, counts, context, columns, id_column=0, parse=_parse_keywords, relation="keywords")
    for chunk in _reporting_left_out(chunks, counts, context):
        _write_keyword_chunk(chunk, counts)


@dataclass
class KeywordsRecord:
    """A keywords.csv record: TMDB keyword names by id; `left_out` as in CreditsRecord."""

    keywords: dict[int, str]
    left_out: list[tuple[str, str, str]] = field(default_factory=list, compare=False)


def _parse_keywords(fields: list[str]) -> KeywordsRecord:
    """keywords (field 1) → a KeywordsRecord, or BadValue("keywords: reason").

    An id in the range of the keywords made from MovieLens tags is left out:
    written, it would become (or replace) a tag's keyword.
    """
    refuse_undecodable(KEYWORDS_COLUMNS, fields)
    try:
        items = _named(fields[1], "id", Keyword)
    except BadValue as error:
        raise BadValue(f"keywords: {error}") from None
    record = KeywordsRecord({k: v for k, v in items.items() if k < TAG_KEYWORD_IDS_FROM})
    record.left_out = [("keywords", f"{k}: {v}", TAG_KEYWORD_ID) for k, v in items.items() if k >= TAG_KEYWORD_IDS_FROM]
    return record


@transaction.atomic
def _write_keyword_chunk(chunk: list[tuple[int, int, KeywordsRecord]], counts: FileCounts) -> None:
    keywords: dict[int, dict[str, Any]] = {}
    wanted: dict[int, set[int]] = {}
    for _, film, record in chunk:
        keywords.update({k: {"name": v} for k, v in record.keywords.items()})
        wanted[film] = set(record.keywords)
    keyword_pks = upsert_by_key(Keyword, "tmdb_id", keywords).pks
    had_any = set(
        Movie.keywords.through.objects.filter(
            movie_id__in=wanted, keyword__tmdb_id__lt=TAG_KEYWORD_IDS_FROM
        ).values_list("movie_id", flat=True)
    )
    changed = sync_many_to_many(
        Movie.keywords.through,
        "movie",
        "keyword",
        {film: {keyword_pks[k] for k in ids} for film, ids in wanted.items()},
        within={"keyword__tmdb_id__lt": TAG_KEYWORD_IDS_FROM},
    )
    for film in wanted:
        if film not in changed:
            counts.unchanged += 1
        elif film in had_any:
            counts.updated += 1
        else:
            counts.inserted += 1
