"""Small dataset files in the real formats, with every quirk the importers must handle.

Each writer puts one file in a directory and returns its path. Rows are
modelled on the public files (../shared/data/README.md): Python-literal nested
columns, duplicate ids, a broken record split over two lines with a date where
the id belongs, CRLF and LF line endings, quoted newlines, empty dates, zero
budgets, U+200B, durations in the rating column, show ids repeating across
platforms, and ratings that map to films only through links_small.csv.
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from pathlib import Path

METADATA_HEADER = (
    "adult,belongs_to_collection,budget,genres,homepage,id,imdb_id,original_language,original_title,overview,"
    "popularity,poster_path,production_companies,production_countries,release_date,revenue,runtime,"
    "spoken_languages,status,tagline,title,video,vote_average,vote_count"
)
TOY_STORY = (
    "False,\"{'id': 10194, 'name': 'Toy Story Collection', 'poster_path': '/7G9915LfUQ2lVfwMEEhDsn3kT4B.jpg', "
    "'backdrop_path': '/9FBwqcd9IRruEDUrTdcaafOMKUq.jpg'}\",30000000,\"[{'id': 16, 'name': 'Animation'}, "
    "{'id': 35, 'name': 'Comedy'}, {'id': 10751, 'name': 'Family'}]\",http://toystory.disney.com/toy-story,862,"
    'tt0114709,en,Toy Story,"Led by Woody, Andy\'s toys live happily in his room.",21.946943,'
    "/rhIRbceoE9lR4veEXuwCC2wARtG.jpg,\"[{'name': 'Pixar Animation Studios', 'id': 3}]\","
    "\"[{'iso_3166_1': 'US', 'name': 'United States of America'}]\",1995-10-30,373554033,81.0,"
    "\"[{'iso_639_1': 'en', 'name': 'English'}]\",Released,,Toy Story,False,7.7,5415"
)
# No release date, zero budget and revenue, no runtime, a collection whose
# poster is None, a Chinese title with a zero-width space, language "zh".
NO_DATE_FILM = (
    "False,\"{'id': 555, 'name': 'Ghost Collection', 'poster_path': None, 'backdrop_path': None}\",0,[],,"
    '90001,tt0090001,zh,\u200b  幽灵 ,"Two lines\nof overview, quoted.",0.5,,[],[],,0,,[],Rumored,,'
    "\u200b幽灵 ,False,0.0,0"
)
# The same TMDB id twice: the second row adds a genre and a runtime.
DUPLICATE_FIRST = "False,,1000000,\"[{'id': 18, 'name': 'Drama'}]\",,105045,tt0111613,cn,Twice,,1.2,,[],[],1994-06-01,0,,[],Released,,Twice,False,6.0,10"  # noqa: E501
DUPLICATE_SECOND = "False,,1000000,\"[{'id': 80, 'name': 'Crime'}]\",,105045,tt0111613,cn,Twice,,1.2,,[],[],1994-06-01,0,95.0,[],Released,,Twice,False,6.0,10"  # noqa: E501
# A broken original record: an unquoted overview splits the film over two
# physical lines; the second yields a row whose id is a date (shifted columns).
BROKEN_FIRST = "False,,0,[],,82663,tt0113002,en,Midnight Man,Former spy on the run"
BROKEN_SECOND = (
    " - Written by Ørnås,0.065736,/q2.jpg,\"[{'name': 'Carousel Productions', 'id': 11176}]\","
    "\"[{'iso_3166_1': 'CA', 'name': 'Canada'}]\",1997-08-20,0,104.0,\"[{'iso_639_1': 'en', 'name': 'English'}]\","
    "Released,,Midnight Man,False,6.0,1,,,,,,,,,"
)
BUDGET_NOT_A_NUMBER = "False,,/ff9qCepilowshEtG2GYWwzt2bs4.jpg,[],,90002,tt0090002,en,Odd,,1.0,,[],[],2000-01-01,0,90.0,[],Released,,Odd,False,5.0,3"  # noqa: E501

CREDITS_HEADER = "cast,crew,id"
TOY_STORY_CREDITS = (
    "\"[{'cast_id': 14, 'character': 'Woody (voice)', 'credit_id': '52fe4284c3a36847f8024f95', 'gender': 2, "
    "'id': 31, 'name': 'Tom Hanks', 'order': 0, 'profile_path': '/pQFoyx7rp09CJTAb932F2g8Nlho.jpg'}, "
    "{'cast_id': 15, 'character': \"\"Buzz's friend\"\", 'credit_id': '52fe4284c3a36847f8024f99', 'gender': 2, "
    "'id': 12898, 'name': 'Tim Allen', 'order': 1, 'profile_path': None}]\","
    "\"[{'credit_id': '52fe4284c3a36847f8024f49', 'department': 'Directing', 'gender': 2, 'id': 7879, "
    "'job': 'Director', 'name': 'John Lasseter', 'profile_path': '/7EdqiNbr4FRjIhKHyPPdFfEEEFG.jpg'}]\",862"
)
TWICE_CREDITS = (
    "\"[{'cast_id': 1, 'character': 'Himself', 'credit_id': 'aaaa0001', 'gender': 2, 'id': 31, "
    "'name': 'Tom Hanks', 'order': 0, 'profile_path': None}]\",[],105045"
)
UNKNOWN_FILM_CREDITS = "[],[],424242"

KEYWORDS_HEADER = "id,keywords"
TOY_STORY_KEYWORDS = (
    "862,\"[{'id': 931, 'name': 'jealousy'}, {'id': 15101, 'name': \"\"based on children's book\"\"}]\""
)
NO_DATE_KEYWORDS = "90001,[]"
TWICE_KEYWORDS = "105045,\"[{'id': 4290, 'name': 'toy'}]\""

# links.csv: CRLF, zero-padded IMDb ids, an empty tmdbId, two MovieLens ids for one film.
LINKS = "movieId,imdbId,tmdbId\r\n1,0114709,862\r\n690,0111613,105045\r\n1533,0117398,105045\r\n9999,0099999,\r\n"
# links_small.csv: movieId 50 maps only through this file.
LINKS_SMALL = "movieId,imdbId,tmdbId\r\n1,0114709,862\r\n50,0090001,90001\r\n"
RATINGS_SMALL = (
    "userId,movieId,rating,timestamp\r\n"
    "1,1,4.0,964982703\r\n"
    "1,50,3.5,964982224\r\n"
    "1,690,2.0,964983815\r\n"
    "2,1,5.0,964982931\r\n"
    "2,777,4.0,964982400\r\n"  # no film: rejected
    "3,1,5.5,964982931\r\n"  # out of range: rejected
    "3,1533,4.5,964981247\r\n"
)

STREAMING_HEADER = (
    "show_id,type,title,director,cast,country,date_added,release_year,rating,duration,listed_in,description"
)
NETFLIX = (
    STREAMING_HEADER + "\n"
    's1,Movie,Toy Story,John Lasseter,"Tom Hanks, Tim Allen",United States,"September 25, 2021",1995,G,81 min,'
    '"Children & Family Movies, Comedies",Toys come alive.\n'
    's2,Movie,Louis C.K. 2017,Louis C.K.,Louis C.K.,United States,"April 4, 2017",2017,74 min,,Movies,'
    '"A stand-up special\nover two lines."\n'
    's3,TV Show,Castle and Castle,,,Nigeria," September 15, 2021",2021,TV-MA,2 Seasons,TV Dramas,'
    "\u200bA pair of lawyers.\n"
    "s4,Documentary,Odd Type,,,,,2020,,90 min,,Not a known type.\n"
)
HULU = (
    STREAMING_HEADER + "\n"
    's1,Movie,Toy Story,,,United States,"October 1, 2021",1995,G,81 min,Family,Hulu\'s copy.\n'
    's2,TV Show,A Show,,,,"October 2, 2021",2019,1 Season,,Drama,Duration in the rating column.\n'
)


# A plain film, for tests that change a few of its values (see `metadata_row`).
PLAIN_FILM = {
    "adult": "False",
    "belongs_to_collection": "",
    "budget": "1000000",
    "genres": "[{'id': 18, 'name': 'Drama'}]",
    "homepage": "",
    "id": "9000001",
    "imdb_id": "tt9000001",
    "original_language": "en",
    "original_title": "Plain Film",
    "overview": "An overview.",
    "popularity": "1.5",
    "poster_path": "/p.jpg",
    "production_companies": "[{'name': 'Acme', 'id': 77}]",
    "production_countries": "[{'iso_3166_1': 'US', 'name': 'United States of America'}]",
    "release_date": "2001-02-03",
    "revenue": "3000000",
    "runtime": "90.0",
    "spoken_languages": "[{'iso_639_1': 'en', 'name': 'English'}]",
    "status": "Released",
    "tagline": "",
    "title": "Plain Film",
    "video": "False",
    "vote_average": "6.5",
    "vote_count": "10",
}
PLAIN_TITLE = {
    "show_id": "s1",
    "type": "Movie",
    "title": "Plain Title",
    "director": "Ann Director",
    "cast": "Bo Actor",
    "country": "France",
    "date_added": "September 25, 2021",
    "release_year": "2020",
    "rating": "PG",
    "duration": "90 min",
    "listed_in": "Dramas",
    "description": "A description.",
}


def csv_line(values: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(values)
    return out.getvalue()


def metadata_row(**changes: str) -> str:
    """One movies_metadata.csv line: PLAIN_FILM with `changes`, in METADATA_HEADER's order."""
    return csv_line(list({**PLAIN_FILM, **changes}.values()))


def streaming_row(**changes: str) -> str:
    """One *_titles.csv line: PLAIN_TITLE with `changes`, in STREAMING_HEADER's order."""
    return csv_line(list({**PLAIN_TITLE, **changes}.values()))


def csv_table(rows: list[dict[str, str]]) -> str:
    """A CSV file's text: the first row's keys as the header, then each row's values."""
    return "\n".join([csv_line(list(rows[0])), *(csv_line(list(row.values())) for row in rows)]) + "\n"


def with_columns_swapped(row: dict[str, str], first: str, second: str) -> dict[str, str]:
    """`row` with two columns' places exchanged: each name keeps its value."""
    order = list(row)
    i, j = order.index(first), order.index(second)
    order[i], order[j] = order[j], order[i]
    return {name: row[name] for name in order}


def write_text(path: Path, text: str, *, crlf: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.replace("\n", "\r\n") if crlf else text
    path.write_bytes(data.encode("utf-8"))
    return path


def write_metadata(directory: Path) -> Path:
    rows = [
        METADATA_HEADER,
        TOY_STORY,
        NO_DATE_FILM,
        DUPLICATE_FIRST,
        BROKEN_FIRST,
        BROKEN_SECOND,
        DUPLICATE_SECOND,
        BUDGET_NOT_A_NUMBER,
    ]
    return write_text(directory / "movies_metadata.csv", "\n".join(rows) + "\n")


def write_movies_dataset(directory: Path) -> Path:
    """A The-Movies-Dataset directory covering every quirk; returns the directory."""
    write_metadata(directory)
    credits = [CREDITS_HEADER, TOY_STORY_CREDITS, TWICE_CREDITS, UNKNOWN_FILM_CREDITS]
    write_text(directory / "credits.csv", "\n".join(credits) + "\n")
    keywords = [KEYWORDS_HEADER, TOY_STORY_KEYWORDS, NO_DATE_KEYWORDS, TWICE_KEYWORDS, TWICE_KEYWORDS]
    write_text(directory / "keywords.csv", "\n".join(keywords) + "\n")
    write_text(directory / "links.csv", LINKS)
    write_text(directory / "links_small.csv", LINKS_SMALL)
    write_text(directory / "ratings_small.csv", RATINGS_SMALL)
    return directory


def write_streaming(directory: Path) -> Path:
    write_text(directory / "netflix_titles.csv", NETFLIX)
    write_text(directory / "hulu_titles.csv", HULU, crlf=True)
    return directory


def write_values_wider_than_their_columns(directory: Path) -> Path:
    """Values SQLite stores and PostgreSQL refuses: an alpha-3 country code, names longer than their
    columns, NUL bytes, a duration beyond an integer column. Returns the directory."""
    long_names = metadata_row(
        id="9000002",
        genres=f"[{{'id': 9901, 'name': '{'G' * 150}'}}]",
        production_countries=f"[{{'iso_3166_1': 'FR', 'name': '{'C' * 250}'}}]",
        spoken_languages=f"[{{'iso_639_1': 'fr', 'name': '{'L' * 250}'}}]",
    )
    rows = [
        METADATA_HEADER,
        metadata_row(id="9000001", production_countries="[{'iso_3166_1': 'USA', 'name': 'United States'}]"),
        long_names,
        metadata_row(id="9000003", overview="Nul\x00 byte"),
    ]
    write_text(directory / "movies_metadata.csv", "\n".join(rows) + "\n")
    titles = [
        STREAMING_HEADER,
        streaming_row(show_id="s1", duration="99999999999 min"),
        streaming_row(show_id="s2", description="Nul\x00 byte"),
    ]
    write_text(directory / "netflix_titles.csv", "\n".join(titles) + "\n")
    return directory


def write_zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


def write_gz(path: Path, text: str) -> Path:
    with gzip.open(path, "wb") as stream:
        stream.write(text.encode("utf-8"))
    return path
