"""Reading a user's ratings CSV and matching its rows to films."""

from __future__ import annotations

import codecs
import csv
import datetime as dt

import pytest
from django.utils import translation

from ratings.importers import RatingsFileError, match_ratings_rows, parse_ratings_csv, title_keys
from ratings.models import Rating
from ratings.services import ratings_import
from tests.factories import DismissalFactory, MovieFactory, RatingFactory, UserFactory


def test_it_reads_title_year_rating_with_a_decimal_comma_and_a_bom():
    rows = parse_ratings_csv("\ufefftitle;year;rating\r\nAmélie;2001;4,5\r\n".encode())

    assert [(row.line, row.title, row.year, row.score) for row in rows] == [(2, "Amélie", 2001, 4.5)]


def test_it_reads_imdb_ids_in_every_spelling_and_imdbs_ten_point_export():
    data = b"Const,Your Rating,Title\ntt0114709,9,Toy Story\n0113277,6,Heat\n"

    rows = parse_ratings_csv(data)

    assert [(row.imdb_number, row.score) for row in rows] == [(114709, 4.5), (113277, 3.0)]


def test_a_bad_rating_or_a_row_without_a_film_carries_its_problem():
    rows = parse_ratings_csv(b"title,rating\nHeat,6\nHeat,3.3\n,4\n")

    assert [row.problem for row in rows] == [
        "the rating must be 0.5 to 5 in steps of 0.5",
        "the rating must be 0.5 to 5 in steps of 0.5",
        "no title, IMDb id or TMDB id",
    ]


def test_a_row_without_a_rating_says_so_rather_than_calling_it_out_of_range():
    # IMDb's watchlist export and Letterboxd's diary list films watched or saved but not rated.
    rows = parse_ratings_csv(b"Const,Your Rating,Title\ntt0113277,,Heat\n")

    assert [row.problem for row in rows] == ["no rating"]


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"title,year\nHeat,1995\n", "'rating' column"), (b"rating,comment\n4,good\n", "'title'")],
)
def test_a_file_without_the_needed_columns_is_refused_with_a_reason(data, message):
    with pytest.raises(RatingsFileError, match=message):
        parse_ratings_csv(data)


@pytest.mark.parametrize(
    "start",
    [b"PK\x03\x04\x14\x00\x00\x00\x08\x00", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"],
    ids=["xlsx-or-zip", "xls"],
)
def test_a_workbook_or_an_archive_is_refused_as_such_rather_than_as_a_header_of_binary_bytes(start):
    with pytest.raises(RatingsFileError, match="not a CSV file") as refused:
        parse_ratings_csv(start + b"\x8f\xcb\x0e\xc1@title,rating\nHeat,4\n")
    assert "\x8f" not in str(refused.value)


def test_a_latin1_file_is_read_too():
    rows = parse_ratings_csv("title,rating\nAmélie,4\n".encode("latin-1"))

    assert rows[0].title == "Amélie"


def test_a_windows_1252_file_keeps_its_curly_quotes_dashes_and_euro_sign():
    # What Excel on Windows saves: 0x93/0x94 quotes, 0x96 dash, 0x80 euro, 0x92 apostrophe.
    data = b"t\xedtulo;a\xf1o;valoraci\xf3n\r\n\x93Amor\x94 \x96 100 \x80;2001;4,5\r\nDon\x92t Look Up;2021;3\r\n"

    rows = parse_ratings_csv(data)

    assert [row.title for row in rows] == ["\u201cAmor\u201d \u2013 100 \u20ac", "Don\u2019t Look Up"]


@pytest.mark.django_db
def test_a_windows_1252_file_matches_a_title_with_an_apostrophe():
    user = UserFactory()
    film = MovieFactory(title="Don\u2019t Look Up", release_year=2021)

    report = ratings_import(user=user, data="title,year,rating\nDon\u2019t Look Up,2021,4\n".encode("cp1252"))

    assert (report.created, report.unmatched) == (1, [])
    assert Rating.objects.get(user=user).movie == film


@pytest.mark.django_db
def test_a_title_typed_with_other_punctuation_matches_the_film():
    # Excel on Windows turns the apostrophe curly; a list drops the colon or writes "and" for "&".
    dont_look_up = MovieFactory(title="Don't Look Up", release_year=2021)
    far_from_home = MovieFactory(title="Spider-Man: Far From Home", release_year=2019)
    oliver = MovieFactory(title="Oliver & Company", release_year=1988)
    data = b"title,year,rating\nDon\x92t Look Up,2021,4\nSpider-Man Far from Home,2019,3\nOliver and Company,1988,5\n"

    result = match_ratings_rows(parse_ratings_csv(data))

    assert result.scores == {dont_look_up.pk: 4.0, far_from_home.pk: 3.0, oliver.pk: 5.0}
    assert result.unmatched == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_excel_s_unicode_text_utf16_with_tabs_is_read(encoding):
    # Excel's "Unicode Text (*.txt)": UTF-16 with its byte order mark, tab-separated.
    data = "t\u00edtulo\ta\u00f1o\tvaloraci\u00f3n\r\nAm\u00e9lie\t2001\t4,5\r\n".encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data

    rows = parse_ratings_csv(data)

    assert [(row.title, row.year, row.score, row.problem) for row in rows] == [("Amélie", 2001, 4.5, "")]


def test_a_byte_windows_1252_leaves_undefined_is_read_as_latin1():
    rows = parse_ratings_csv(b"title,rating\nAm\xe9lie \x81,4\n")

    assert rows[0].title == "Amélie \x81"


def test_title_keys_move_a_trailing_article_to_the_front():
    assert title_keys("Misérables, Les") == ["miserables les", "les miserables"]
    assert title_keys("Avventura, L'") == ["avventura l", "lavventura"]
    assert title_keys("Heat") == ["heat"]


@pytest.mark.django_db
def test_rows_match_by_tmdb_then_imdb_then_title_and_year():
    by_tmdb = MovieFactory(title="By TMDB", tmdb_id=949)
    by_imdb = MovieFactory(title="By IMDb", imdb_id="tt0114709")
    amelie = MovieFactory(title="Amélie", release_date=dt.date(2001, 4, 25))
    matrix = MovieFactory(title="The Matrix", release_date=dt.date(1999, 3, 31))
    old = MovieFactory(title="Solaris", release_date=dt.date(1972, 1, 1))
    MovieFactory(title="Solaris", release_date=dt.date(2002, 1, 1))
    data = (
        b"tmdb_id,imdb_id,title,year,rating\n"
        b"949,,,,5\n"
        b",114709,,,4\n"
        b",,AMELIE,2002,3.5\n"  # a year off by one still matches a single film
        b',,"Matrix, The",1999,4.5\n'
        b",,Solaris,1972,2\n"
        b",,Solaris,,2\n"
        b",,Solaris,1990,2\n"
        b",,Nothing Like It,2000,2\n"
        b"12345678,,,,2\n"
    )

    result = match_ratings_rows(parse_ratings_csv(data))

    assert result.rows_read == 9
    assert result.scores == {by_tmdb.pk: 5.0, by_imdb.pk: 4.0, amelie.pk: 3.5, matrix.pk: 4.5, old.pk: 2.0}
    assert [(row.line, row.row, row.reason) for row in result.unmatched] == [
        (7, "Solaris", "several films have this title: add the year"),
        (8, "Solaris (1990)", "no film with this title in 1990"),
        (9, "Nothing Like It (2000)", "no film with this title"),
        (10, "tmdb 12345678", "no film with this id"),
    ]


@pytest.mark.django_db
def test_importing_creates_updates_and_counts_unchanged_ratings_and_clears_dismissals():
    user = UserFactory()
    new, changed, same = (MovieFactory(title=title) for title in ("New", "Changed", "Same"))
    RatingFactory(user=user, movie=changed, score=1)
    RatingFactory(user=user, movie=same, score=3)
    DismissalFactory(user=user, movie=new)

    report = ratings_import(user=user, data=b"title,rating\nNew,5\nChanged,2\nSame,3\n")
    again = ratings_import(user=user, data=b"title,rating\nNew,5\nChanged,2\nSame,3\n")

    assert (report.rows_read, report.created, report.updated, report.unchanged) == (3, 1, 1, 1)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert dict(Rating.objects.filter(user=user).values_list("movie__title", "score")) == {
        "New": 5.0,
        "Changed": 2.0,
        "Same": 3.0,
    }
    assert not user.dismissals.exists()


def test_a_bad_rating_is_explained_with_the_spanish_decimal_comma():
    with translation.override("es"):
        rows = parse_ratings_csv(b"title,rating\nHeat,6\n")

    assert rows[0].problem == "la valoración debe estar entre 0,5 y 5, en pasos de 0,5"


@pytest.mark.parametrize(
    "header",
    ["título;año;valoración", "Titulo;Ano;Puntuacion", "TÍTULO;AÑO;NOTA", "\ufefftítulo;año;puntuación"],
)
def test_it_reads_a_sheet_a_spanish_speaker_wrote_with_spanish_column_names(header):
    rows = parse_ratings_csv(f"{header}\r\nAmélie;2001;4,5\r\n".encode())

    assert [(row.title, row.year, row.score, row.problem) for row in rows] == [("Amélie", 2001, 4.5, "")]


def test_a_header_without_a_rating_names_the_spanish_column_to_spanish_readers():
    with translation.override("es"), pytest.raises(RatingsFileError, match="'rating' o 'valoración'"):
        parse_ratings_csv("título;año\r\nAmélie;2001\r\n".encode())


@pytest.mark.django_db
def test_a_row_naming_a_film_by_its_original_title_is_matched():
    # A Spanish speaker's list names the Spanish title, which TMDB files under the English one.
    labyrinth = MovieFactory(title="Pan's Labyrinth", original_title="El laberinto del fauno", release_year=2006)
    heat = MovieFactory(title="Heat", original_title="Heat", release_year=1995)
    rows = parse_ratings_csv("título;año;valoración\r\nEl laberinto del fauno;2006;4,5\r\nHeat;;4\r\n".encode())

    result = match_ratings_rows(rows)

    assert result.scores == {labyrinth.pk: 4.5, heat.pk: 4.0}
    assert result.unmatched == []


@pytest.mark.django_db
def test_an_id_or_year_no_column_can_hold_leaves_its_row_unmatched_rather_than_failing_the_file():
    heat = MovieFactory(title="Heat", release_year=1995, tmdb_id=949)
    data = b"tmdb_id,title,year,rating\n99999999999999999999,,,4\n1e30,,,3\n,Heat,inf,2\n,Heat,-1e400,2\n949,,,5\n"

    result = match_ratings_rows(parse_ratings_csv(data))

    assert result.scores == {heat.pk: 5.0}
    assert [(row.line, row.row, row.reason) for row in result.unmatched] == [
        (2, "tmdb 99999999999999999999", "no film with this id"),
        (3, "tmdb 1000000000000000019884624838656", "no film with this id"),
        # A year that is no number reads as none: the rows name Heat by title alone.
        (4, "Heat", "the film is rated again on line 5, whose rating is kept"),
        (5, "Heat", "the film is rated again on line 6, whose rating is kept"),
    ]


def test_a_row_with_more_fields_than_the_header_is_a_problem_not_a_rating_read_by_position():
    # A decimal comma in a comma-separated file: "4,5" is two cells; trailing empty cells are harmless.
    rows = parse_ratings_csv(b"title,year,rating\nHeat,1995,4,5\nSolaris,1972,3,,\n")

    assert [(row.line, row.problem) for row in rows] == [
        (2, "the row has 4 fields where the header has 3: quote a value holding a comma"),
        (3, ""),
    ]
    assert rows[1].score == 3.0


def test_a_quote_left_open_before_a_long_rest_refuses_the_file_naming_the_line_instead_of_failing():
    data = b'title,rating\nHeat,4\n"Solaris,3\n' + b"Film,4\n" * 30_000
    # The csv module's own limit, which the web process runs with (the catalog importers raise it).
    previous = csv.field_size_limit(131_072)
    try:
        with pytest.raises(RatingsFileError, match=r"^Line 3 cannot be read: a value is far too long"):
            parse_ratings_csv(data)
    finally:
        csv.field_size_limit(previous)


def test_a_row_spanning_lines_is_reported_at_its_first_line():
    rows = parse_ratings_csv(b'title,rating\n"Heat\nHeat",9\nSolaris,3\n')

    assert [(row.line, row.problem != "") for row in rows] == [(2, True), (4, False)]


@pytest.mark.django_db
def test_a_film_rated_twice_keeps_the_later_rating_and_lists_the_earlier_row():
    heat = MovieFactory(title="Heat", release_year=1995, tmdb_id=949)
    solaris = MovieFactory(title="Solaris", release_year=1972)
    data = b"tmdb_id,title,year,rating\n,Heat,1995,2\n,Solaris,1972,3\n949,,,4.5\n"

    result = match_ratings_rows(parse_ratings_csv(data))

    assert result.scores == {heat.pk: 4.5, solaris.pk: 3.0}
    assert [(row.line, row.row, row.reason) for row in result.unmatched] == [
        (2, "Heat (1995)", "the film is rated again on line 4, whose rating is kept"),
    ]
    assert result.rows_read == len(result.scores) + len(result.unmatched)
