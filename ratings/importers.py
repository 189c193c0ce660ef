"""Read a user's ratings from a CSV file and match its rows to films.

Accepted columns (header names are case- and accent-insensitive; aliases in brackets,
the Spanish ones for a sheet a Spanish speaker writes):
- `rating` [score, valoración, puntuación, nota] 0.5-5 in halves (a decimal comma
  is fine), or IMDb's `Your Rating` [your rating] on a 1-10 scale, halved;
- and a way to find the film, tried in this order: `tmdb_id` [tmdb, tmdbid],
  `imdb_id` [imdb, imdbid, const] (`tt0114709`, `0114709` or `114709`),
  `title` [name, título] with an optional `year` [release_year, año].

moviesite's own export (title, year, imdb_id, tmdb_id, rating, rated_at)
reads back unchanged. Parsing is pure; matching reads the catalog in batches
(a few queries per file, not per row).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.utils.translation import gettext as _

from catalog.models import Movie, MovieAlias
from catalog.text import clean_text, normalize_title, spreadsheet_unescape, title_key
from ratings.models import ALLOWED_SCORES

T = TypeVar("T")
MAX_ROWS = 50_000
LOOKUP_BATCH = 500
MAX_TMDB_ID = 2**31 - 1  # Movie.tmdb_id is a PositiveIntegerField

COLUMN_ALIASES = {
    "rating": "rating",
    "score": "rating",
    "your rating": "rating10",
    "title": "title",
    "name": "title",
    "year": "year",
    "release_year": "year",
    "imdb_id": "imdb_id",
    "imdbid": "imdb_id",
    "imdb": "imdb_id",
    "const": "imdb_id",
    "tmdb_id": "tmdb_id",
    "tmdbid": "tmdb_id",
    "tmdb": "tmdb_id",
    # Spanish, as normalize_title writes them (título -> titulo, año -> ano).
    "titulo": "title",
    "ano": "year",
    "valoracion": "rating",
    "puntuacion": "rating",
    "nota": "rating",
}
# "Matrix, The" is how some lists file titles; the catalog keeps "The Matrix".
TRAILING_ARTICLE = re.compile(r"^(?P<rest>.+), (?P<article>the|a|an|les|la|le|el|los|las|il|das|der|die|l')$")
IMDB_ID = re.compile(r"^(?:tt)?0*(\d{1,10})$", re.IGNORECASE)


class RatingsFileError(ValueError):
    """The file as a whole cannot be read (encoding, header, size)."""


@dataclass(frozen=True)
class CsvRatingRow:
    line: int
    score: float | None
    title: str = ""
    year: int | None = None
    imdb_number: int | None = None
    tmdb_id: int | None = None
    problem: str = ""  # why the row cannot be used, when it cannot

    def describe(self) -> str:
        if self.title:
            return f"{self.title} ({self.year})" if self.year else self.title
        if self.tmdb_id:
            return f"tmdb {self.tmdb_id}"
        if self.imdb_number:
            return f"tt{self.imdb_number:07d}"
        return ""


@dataclass(frozen=True)
class UnmatchedRow:
    line: int
    row: str
    reason: str


@dataclass
class RatingsFile:
    rows_read: int = 0
    scores: dict[int, float] = field(default_factory=dict)  # movie id -> score; a later row wins
    unmatched: list[UnmatchedRow] = field(default_factory=list)


def _decode(data: bytes) -> str:
    """UTF-16 with its BOM, else UTF-8 (with or without a BOM), else Windows-1252, else Latin-1.

    Excel's "Unicode Text" is UTF-16 with a BOM (and tabs): read as cp1252, every
    other byte was a NUL and the header named no column. A sheet saved by Excel on
    Windows as CSV is cp1252: read as Latin-1 its curly quotes, dashes and €
    (0x80-0x9f) became invisible control characters. Latin-1 is left for the five
    bytes cp1252 does not define.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _delimiter(header: str) -> str:
    """The separator the header line uses most: `,`, `;` or a tab (`,` when it has none).

    Column names hold none of them, where titles in the rows may: csv.Sniffer,
    which reads the rows too, gave up on the site's own Spanish export once one
    title held a `;` ("Tom; Jerry", quoted), and the file was refused.
    """
    counts = {candidate: header.count(candidate) for candidate in ",;\t"}
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","


def _parse_score(raw: str, *, ten_point: bool) -> float | None:
    text = clean_text(raw).replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    if ten_point:
        value = round(value) / 2
    return value if value in ALLOWED_SCORES else None


def _parse_int(raw: str) -> int | None:
    text = clean_text(raw)
    if not text:
        return None
    try:
        return int(text)  # exact, however long
    except ValueError:
        pass
    try:
        return int(float(text))
    except (ValueError, OverflowError):  # OverflowError: "inf", "1e400"
        return None


def _parse_year(raw: str) -> int | None:
    """A year, or None for what is no year ("inf", 1e30): the row is then matched on its title alone."""
    value = _parse_int(raw)
    return value if value is not None and 0 <= value <= 9999 else None


def _next_record(reader: Any) -> list[str] | None:
    """The reader's next record, None at the end; one the csv module cannot read ends the file.

    It cannot read a value longer than its size limit, most often a quote never
    closed, which swallows the rest of the file.
    """
    line = reader.line_num + 1  # where the record starts (a quoted value may span lines)
    try:
        return next(reader, None)  # type: ignore[no-any-return]
    except csv.Error as error:
        raise RatingsFileError(
            _("Line %(line)s cannot be read: a value is far too long, or a quote is never closed.") % {"line": line}
        ) from error


# An .xlsx workbook and a ZIP archive (Letterboxd's export) start with a ZIP header, an .xls
# with OLE2's: read as text they were refused for a header of binary bytes, shown as such.
SPREADSHEET_OR_ARCHIVE_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def parse_ratings_csv(data: bytes) -> list[CsvRatingRow]:
    """Rows of a ratings CSV; a row that cannot be used carries its problem. Raises RatingsFileError."""
    if data.startswith(SPREADSHEET_OR_ARCHIVE_SIGNATURES):
        raise RatingsFileError(
            _(
                "This is an Excel workbook or a ZIP archive, not a CSV file: save the sheet as CSV, or "
                "extract the archive and choose the CSV file of ratings in it (ratings.csv in a Letterboxd export)."
            )
        )
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.partition("\n")[0]))
    header = _next_record(reader)
    if not header:
        raise RatingsFileError(_("The file is empty."))
    columns = {index: COLUMN_ALIASES.get(normalize_title(name)) for index, name in enumerate(header)}
    known = set(columns.values())
    if not known & {"rating", "rating10"}:
        raise RatingsFileError(
            _("Line 1: the header needs a 'rating' column (found: %(header)s).") % {"header": ", ".join(header)}
        )
    if not known & {"title", "imdb_id", "tmdb_id"}:
        raise RatingsFileError(_("Line 1: the header needs a 'title', 'imdb_id' or 'tmdb_id' column."))

    rows: list[CsvRatingRow] = []
    while True:
        line = reader.line_num + 1  # where the next row starts (a quoted value may span lines)
        values = _next_record(reader)
        if values is None:
            break
        if not any(value.strip() for value in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise RatingsFileError(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
        cells = {columns[i]: value for i, value in enumerate(values) if columns.get(i)}
        ten_point = "rating10" in cells and "rating" not in cells
        score = _parse_score(cells.get("rating10" if ten_point else "rating", ""), ten_point=ten_point)
        imdb_match = IMDB_ID.match(clean_text(cells.get("imdb_id", "")))
        row = CsvRatingRow(
            line=line,
            score=score,
            title=spreadsheet_unescape(clean_text(cells.get("title", ""))),
            year=_parse_year(cells.get("year", "")),
            imdb_number=int(imdb_match.group(1)) if imdb_match else None,
            tmdb_id=_parse_int(cells.get("tmdb_id", "")),
        )
        if any(value.strip() for value in values[len(header) :]):
            # "Heat,1995,4,5" under "title,year,rating": the rating is 4,5 written with a decimal
            # comma, not 4; reading the cells by position would store a rating the user did not give.
            row = _with_problem(
                row,
                _("the row has %(found)s fields where the header has %(expected)s: quote a value holding a comma")
                % {"found": len(values), "expected": len(header)},
            )
        elif score is None and not clean_text(cells.get("rating10" if ten_point else "rating", "")):
            # A watched-but-unrated row (Letterboxd's diary, IMDb's watchlist export): not a bad rating.
            row = _with_problem(row, _("no rating"))
        elif score is None:
            row = _with_problem(row, _("the rating must be 0.5 to 5 in steps of 0.5"))
        elif not (row.title or row.imdb_number or row.tmdb_id):
            row = _with_problem(row, _("no title, IMDb id or TMDB id"))
        rows.append(row)
    return rows


def _with_problem(row: CsvRatingRow, problem: str) -> CsvRatingRow:
    return CsvRatingRow(
        line=row.line,
        score=row.score,
        title=row.title,
        year=row.year,
        imdb_number=row.imdb_number,
        tmdb_id=row.tmdb_id,
        problem=problem,
    )


def title_keys(title: str) -> list[str]:
    """The `title_key`s a title may be filed under: as written, and with a trailing article moved to the front."""
    written = normalize_title(title)
    keys = [title_key(written)]
    moved = TRAILING_ARTICLE.match(written)
    if moved:
        article = moved.group("article")
        front = f"{article}{moved.group('rest')}" if article.endswith("'") else f"{article} {moved.group('rest')}"
        keys.append(title_key(front))
    return keys


def _batched(values: Iterable[T], size: int) -> Iterable[list[T]]:
    batch: list[T] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _films_by_tmdb_id(tmdb_ids: set[int]) -> dict[int, int]:
    """Films by TMDB id; an id no TMDB id column can hold (1e30) finds none rather than failing the query."""
    found: dict[int, int] = {}
    storable = {tmdb_id for tmdb_id in tmdb_ids if 0 < tmdb_id <= MAX_TMDB_ID}
    for batch in _batched(storable, LOOKUP_BATCH):
        for tmdb_id, movie_id in Movie.objects.filter(tmdb_id__in=batch).values_list("tmdb_id", "id"):
            found[tmdb_id or 0] = movie_id
        # A film a curator merged into another: the film kept.
        for tmdb_id, movie_id in MovieAlias.objects.filter(tmdb_id__in=batch).values_list("tmdb_id", "movie_id"):
            found.setdefault(tmdb_id or 0, movie_id)
    return found


def _films_by_imdb_number(numbers: set[int]) -> dict[int, int]:
    """IMDb ids are stored as 'tt' + at least seven digits; match either spelling of each number."""
    found: dict[int, int] = {}
    for batch in _batched(numbers, LOOKUP_BATCH):
        spellings = [f"tt{number:07d}" for number in batch] + [f"tt{number}" for number in batch]
        for imdb_id, movie_id in Movie.objects.filter(imdb_id__in=spellings).values_list("imdb_id", "id"):
            found[int(imdb_id[2:])] = movie_id
        for imdb_id, movie_id in MovieAlias.objects.filter(imdb_id__in=spellings).values_list("imdb_id", "movie_id"):
            found.setdefault(int(imdb_id[2:]), movie_id)
    return found


def _films_by_title_key(keys: set[str]) -> dict[str, list[tuple[int, int | None]]]:
    """Normalised title -> [(film id, release year)], by the film's title or its original title.

    A Spanish speaker's list names "El laberinto del fauno", which TMDB files as "Pan's Labyrinth".
    """
    found: dict[str, dict[int, int | None]] = {}
    for batch in _batched(keys, LOOKUP_BATCH):
        for key_field in ("title_search", "original_title_search"):
            for movie_id, key, year in Movie.objects.filter(**{f"{key_field}__in": batch}).values_list(
                "id", key_field, "release_year"
            ):
                found.setdefault(key, {})[movie_id] = year
    return {key: list(films.items()) for key, films in found.items()}


def match_ratings_rows(rows: list[CsvRatingRow]) -> RatingsFile:
    """Find each row's film: TMDB id, then IMDb id, then title and year. Unmatched rows say why."""
    tmdb_ids = {row.tmdb_id for row in rows if row.tmdb_id}
    imdb_numbers = {row.imdb_number for row in rows if row.imdb_number}
    keys = {key for row in rows if row.title for key in title_keys(row.title)}

    by_tmdb = _films_by_tmdb_id(tmdb_ids)
    by_imdb = _films_by_imdb_number(imdb_numbers)
    by_title = _films_by_title_key(keys)

    result = RatingsFile(rows_read=len(rows))
    rated_on: dict[int, CsvRatingRow] = {}  # film -> the row whose rating it has so far
    for row in rows:
        if row.problem:
            result.unmatched.append(UnmatchedRow(line=row.line, row=row.describe(), reason=row.problem))
            continue
        movie_id: int | None = by_tmdb.get(row.tmdb_id or 0) or by_imdb.get(row.imdb_number or 0)
        reason = ""
        if movie_id is None and row.title:
            movie_id, reason = _match_title(row, by_title)
        elif movie_id is None:
            reason = _("no film with this id")
        if movie_id is None:
            result.unmatched.append(UnmatchedRow(line=row.line, row=row.describe(), reason=reason))
            continue
        assert row.score is not None
        earlier = rated_on.get(movie_id)
        if earlier is not None:
            # The later row wins; the earlier one is listed, so every row read is accounted for.
            reason = _("the film is rated again on line %(line)s, whose rating is kept") % {"line": row.line}
            result.unmatched.append(UnmatchedRow(line=earlier.line, row=earlier.describe(), reason=reason))
        rated_on[movie_id] = row
        result.scores[movie_id] = row.score
    result.unmatched.sort(key=lambda unmatched: unmatched.line)
    return result


def _match_title(row: CsvRatingRow, by_title: dict[str, list[tuple[int, int | None]]]) -> tuple[int | None, str]:
    # One film may answer to both keys of a title (as written and with its article moved).
    candidates = list(dict.fromkeys(film for key in title_keys(row.title) for film in by_title.get(key, [])))
    if not candidates:
        return None, _("no film with this title")
    if row.year is None:
        if len(candidates) == 1:
            return candidates[0][0], ""
        return None, _("several films have this title: add the year")
    # Release years differ by one between sources often enough to allow it when unambiguous.
    for tolerance in (0, 1):
        near = [movie_id for movie_id, year in candidates if year is not None and abs(year - row.year) <= tolerance]
        if len(near) == 1:
            return near[0], ""
        if len(near) > 1:
            return None, _("several films have this title and year")
    return None, _("no film with this title in %(year)s") % {"year": row.year}
