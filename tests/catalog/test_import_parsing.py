"""The pure value parsers behind the importers."""

from __future__ import annotations

import ast
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.importers.base import Source
from catalog.importers.parsing import (
    BadValue,
    display_title,
    imdb_text,
    parse_duration,
    parse_int,
    parse_iso_date,
    parse_literal_list,
    parse_long_date,
    python_literal,
    split_ml100k_genres,
)
from catalog.importers.run import detect_format


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Misérables, Les", "Les Misérables"),
        ("Usual Suspects, The", "The Usual Suspects"),
        ("Enfer, L'", "L'Enfer"),
        ("Horseman on the Roof, The (Hussard sur le toit, Le)", "The Horseman on the Roof (Le Hussard sur le toit)"),
        ("Die xue shuang xiong (Killer, The)", "Die xue shuang xiong (The Killer)"),
        ("I, Worst of All (Yo, la peor de todas)", "I, Worst of All (Yo, la peor de todas)"),
        ("Toy Story", "Toy Story"),
    ],
)
def test_it_moves_movielens_trailing_articles_to_the_front(raw: str, shown: str) -> None:
    assert display_title(raw) == shown


def test_it_matches_multi_character_genres_greedily() -> None:
    assert split_ml100k_genres("Animation Children's Comedy Film-Noir Sci-Fi") == [
        "Animation",
        "Children's",
        "Comedy",
        "Film-Noir",
        "Sci-Fi",
    ]
    with pytest.raises(BadValue):
        split_ml100k_genres("Comedy Space-Opera")


def test_it_parses_python_literals_without_eval() -> None:
    assert parse_literal_list("[{'id': 18, 'name': 'Drama'}]") == [{"id": 18, "name": "Drama"}]
    assert parse_literal_list("") == []
    with pytest.raises(BadValue):
        parse_literal_list("__import__('os').system('true')")
    with pytest.raises(BadValue):
        parse_literal_list("{'id': 1}")


def test_it_reads_streaming_dates_and_durations() -> None:
    assert parse_long_date(" September 25, 2021") == dt.date(2021, 9, 25)
    assert parse_long_date("") is None
    assert parse_duration("90 min") == (90, "min")
    assert parse_duration("1 Season") == (1, "season")
    with pytest.raises(BadValue):
        parse_duration("TV-MA")
    with pytest.raises(BadValue, match="out of range"):
        parse_duration("99999999999 min")


@pytest.mark.parametrize("text", ["2021-W01-1", "20210105", "2021-01-05T00:00", "2021-1-5", "2021-02-30"])
def test_it_reads_only_year_month_day_dates(text: str) -> None:
    assert parse_iso_date("1995-10-30") == dt.date(1995, 10, 30)
    assert parse_iso_date("") is None
    with pytest.raises(BadValue, match="not a YYYY-MM-DD date"):
        parse_iso_date(text)


def test_it_keeps_imdb_ids_as_zero_padded_text() -> None:
    assert imdb_text("0114709") == "tt0114709"
    assert imdb_text("114709") == "tt0114709"
    assert imdb_text("tt0114709") == "tt0114709"
    assert imdb_text("") == ""


def test_it_rejects_fractional_and_out_of_range_integers() -> None:
    assert parse_int("81.0") == 81
    with pytest.raises(BadValue):
        parse_int("81.5")
    with pytest.raises(BadValue):
        parse_int("-1")


def test_it_detects_formats_from_headers_and_names(tmp_path) -> None:
    (tmp_path / "x.csv").write_text("movieId,imdbId,tmdbId\n1,0114709,862\n")
    (tmp_path / "u.data").write_text("196\t242\t3\t881250949\n")
    (tmp_path / "y.csv").write_text("show_id,type,title,director\n")

    assert detect_format(Source(tmp_path / "x.csv")) == "links"
    assert detect_format(Source(tmp_path / "u.data")) == "ml100k_ratings"
    assert detect_format(Source(tmp_path / "y.csv")) == "streaming"


def test_it_detects_files_read_by_column_name_whatever_their_column_order(tmp_path) -> None:
    headers = {
        "credits": "id,cast,crew",
        "keywords": "keywords,id,note",
        "links": "tmdbId,movieId,imdbId",
        "movielens_movies": "genres,title,movieId",
        "movielens_tags": "tag,movieId,userId,timestamp",
        "streaming": "title,show_id,type,director",
        "movies_metadata": "title,belongs_to_collection,imdb_id,id",
    }
    for expected, header in headers.items():
        path = tmp_path / f"{expected}.csv"
        path.write_text(header + "\n")
        assert detect_format(Source(path)) == expected, header


python_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=12,
)  # fmt: skip


@given(python_values)
def test_the_fast_literal_reader_agrees_with_ast_literal_eval(value: object) -> None:
    text = repr(value)
    assert python_literal(text) == ast.literal_eval(text)


def test_the_fast_literal_reader_refuses_what_literal_eval_refuses() -> None:
    for text in ["NaN", "[Infinity]", "__import__('os')", "[{'a': foo}]", "[null]", "{'a': true}", '["x", false]']:
        with pytest.raises((ValueError, SyntaxError)):
            python_literal(text)
