"""Hostile but realistic inputs found by an adversarial pass over the importers (files in the real formats)."""

from __future__ import annotations

import csv
import io
import zlib
from pathlib import Path

import pytest

from catalog.importers import tmdb
from catalog.models import ImportRun, Keyword, Movie
from catalog.services import catalog_import
from tests.catalog import fixtures_import as fx
from tests.factories import MovieFactory

pytestmark = pytest.mark.django_db


def rejects(run: ImportRun) -> list[dict[str, str]]:
    if not run.rejects_path:
        return []
    return list(csv.DictReader(io.StringIO(Path(run.rejects_path).read_text(encoding="utf-8"))))


def write_ml_latest(directory: Path, tags: str) -> Path:
    """A small ml-latest: movies.csv (whose films link their own MovieLens ids) and tags.csv."""
    directory.mkdir(parents=True, exist_ok=True)
    movies = "movieId,title,genres\n1,Toy Story (1995),Comedy\n2,Jumanji (1995),Fantasy\n"
    fx.write_text(directory / "movies.csv", movies)
    fx.write_text(directory / "tags.csv", "userId,movieId,tag,timestamp\n" + tags)
    return directory


def test_a_tag_s_keyword_id_is_the_hash_of_its_folded_form(tmp_path: Path) -> None:
    """Pinned: a tag imported by an earlier version must find the same keyword id."""
    catalog_import(paths=[write_ml_latest(tmp_path / "ml", "1,1,  Épique   FILM ,1139045764\n")])

    assert dict(Keyword.objects.values_list("name", "tmdb_id")) == {
        "Épique   FILM": 1_000_000_000 + zlib.crc32(b"epique film") % 1_000_000_000
    }


def test_a_tmdb_keyword_with_an_id_of_the_tags_range_is_left_out_and_reported(tmp_path: Path) -> None:
    MovieFactory(tmdb_id=9000091)
    keywords = [fx.KEYWORDS_HEADER, "9000091,\"[{'id': 931, 'name': 'jealousy'}, {'id': 1000000007, 'name': 'odd'}]\""]
    fx.write_text(tmp_path / "keywords.csv", "\n".join(keywords) + "\n")

    run = catalog_import(paths=[tmp_path])

    assert list(Movie.objects.get(tmdb_id=9000091).keywords.values_list("name", flat=True)) == ["jealousy"]
    assert [(r["line"], r["field"], r["value"], r["reason"]) for r in rejects(run)] == [
        ("2", "keywords", "1000000007: odd", tmdb.TAG_KEYWORD_ID)
    ]
    assert next(entry for entry in run.files if entry["format"] == "keywords")["left_out"] == 1


def test_two_tags_whose_keyword_ids_collide_stay_two_keywords(tmp_path: Path) -> None:
    # crc32 % 10**9 is the same for these two tags (any ~40,000 distinct tags hold such a pair; ml-25m has 70,000).
    first = write_ml_latest(tmp_path / "first", "1,1,tag 40271,1139045764\n1,2,tag 43157,1139045765\n")

    catalog_import(paths=[first])

    assert sorted(Movie.objects.get(movielens_id=1).keywords.values_list("name", flat=True)) == ["tag 40271"]
    assert sorted(Movie.objects.get(movielens_id=2).keywords.values_list("name", flat=True)) == ["tag 43157"]
    kept = dict(Keyword.objects.values_list("name", "tmdb_id"))

    # Re-imported, and the second tag arriving alone in another file: the same keywords, nothing new.
    again = catalog_import(paths=[first])
    alone = write_ml_latest(tmp_path / "alone", "2,2,Tag 43157,1139045766\n")
    catalog_import(paths=[alone / "tags.csv"])

    assert again.rows_inserted == 0
    assert dict(Keyword.objects.values_list("name", "tmdb_id")) == kept
    assert sorted(Movie.objects.get(movielens_id=2).keywords.values_list("name", flat=True)) == ["tag 43157"]


def test_a_bad_links_value_is_rejected_naming_its_column(tmp_path: Path) -> None:
    fx.write_metadata(tmp_path)
    links = fx.write_text(
        tmp_path / "links.csv",
        "movieId,imdbId,tmdbId\n1,0114709,862\n2,abc,862\n-3,0113497,862\n4,0113497,8844.5\n",
        crlf=True,
    )

    run = catalog_import(paths=[tmp_path / "movies_metadata.csv", links])

    links_rejects = [r for r in rejects(run) if r["file"] == "links.csv"]
    assert [(r["file"], r["line"], r["field"], r["value"], r["reason"]) for r in links_rejects] == [
        ("links.csv", "3", "imdbId", "abc", "not an IMDb id"),
        ("links.csv", "4", "movieId", "-3", "out of range 1..2147483647"),
        ("links.csv", "5", "tmdbId", "8844.5", "not a whole number"),
    ]
    assert Movie.objects.get(movielens_id=1).tmdb_id == 862


def test_a_credit_without_a_person_id_is_rejected_naming_its_column_and_value(tmp_path: Path) -> None:
    fx.write_metadata(tmp_path)
    no_id_in_crew = "[],\"[{'credit_id': 'c2', 'department': 'Directing', 'job': 'Director', 'name': 'Nobody'}]\",862"
    no_id_in_cast = "\"[{'cast_id': 1, 'character': None, 'credit_id': 'c1', 'name': 'Nobody'}]\",[],862"
    credits = [fx.CREDITS_HEADER, no_id_in_crew, no_id_in_cast, fx.TOY_STORY_CREDITS]
    fx.write_text(tmp_path / "credits.csv", "\n".join(credits) + "\n")

    run = catalog_import(paths=[tmp_path / "movies_metadata.csv", tmp_path / "credits.csv"])

    found = [(r["line"], r["field"], r["value"], r["reason"]) for r in rejects(run) if r["file"] == "credits.csv"]
    assert found == [
        ("2", "crew", no_id_in_crew[4:-5].replace('""', '"'), "an entry without a valid person id"),
        ("3", "cast", no_id_in_cast[1:-8].replace('""', '"'), "an entry without a valid person id"),
    ]
    assert Movie.objects.get(tmdb_id=862).credits.count() == 3


def test_a_release_year_no_film_can_have_is_rejected_not_stored(tmp_path: Path) -> None:
    metadata = [
        fx.METADATA_HEADER,
        fx.metadata_row(id="9000001", release_date="0001-01-01"),
        fx.metadata_row(id="9000002", release_date="9999-12-31"),
        fx.metadata_row(id="9000003", release_date="1874-12-09"),
    ]
    fx.write_text(tmp_path / "tmdb" / "movies_metadata.csv", "\n".join(metadata) + "\n")
    movies = "movieId,title,genres\n1,Old (0000),Drama\n2,Far (9999),Drama\n3,Near (2031),Drama\n"
    fx.write_text(tmp_path / "ml" / "movies.csv", movies)

    run = catalog_import(paths=[tmp_path / "tmdb", tmp_path / "ml"])

    assert [(r["file"], r["line"], r["field"], r["value"], r["reason"]) for r in rejects(run)] == [
        ("tmdb/movies_metadata.csv", "2", "release_date", "0001-01-01", "year 1 outside 1850..2100"),
        ("tmdb/movies_metadata.csv", "3", "release_date", "9999-12-31", "year 9999 outside 1850..2100"),
        ("ml/movies.csv", "2", "title", "Old (0000)", "year 0 outside 1850..2100"),
        ("ml/movies.csv", "3", "title", "Far (9999)", "year 9999 outside 1850..2100"),
    ]
    assert sorted(Movie.objects.values_list("release_year", flat=True)) == [1874, 2031]


def test_knowledge_graph_text_is_cleaned_and_undecodable_text_rejected(tmp_path: Path) -> None:
    demo = tmp_path / "ml-100k"
    demo.mkdir()
    (demo / "ml-100k.item").write_bytes(
        b"item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq\n"
        b"1\tToy Story\t1995\tAnimation Children's Comedy\n"
    )
    (demo / "ml-100k.link").write_bytes(b"item_id:token\tentity_id:token\n1\tm.toy\n")
    (demo / "ml-100k.kg").write_bytes(
        b"head_id:token\trelation_id:token\ttail_id:token\n"
        b"m.toy\tfilm.film.actor\tm.t\xffom\n"  # Latin-1 byte: not UTF-8
        b"m.toy\tfilm.film.genre\tm.ani\x00me\n"  # NUL byte, which PostgreSQL refuses
        b"m.toy\tfilm.film.director\t\x00\n"  # nothing once cleaned
        b"m.toy\tfilm.film.prequel\tm.toy0\n"
        b"m.toy\tfilm.film.country\tm.espa\xc3\xb1a\n"  # UTF-8: so the file is UTF-8 with one stray byte
    )

    run = catalog_import(paths=[demo])

    found = [(r["line"], r["field"], r["reason"]) for r in rejects(run) if r["file"].endswith(".kg")]
    assert found == [
        ("2", "tail_id", "not valid UTF-8 (the file may be in another encoding)"),
        ("4", "row", "expected head, relation and tail"),
    ]
    toy_story = Movie.objects.get(ml100k_id=1)
    assert sorted(toy_story.facts.values_list("relation", "entity")) == [
        ("film.film.country", "m.españa"),
        ("film.film.genre", "m.anime"),
        ("film.film.prequel", "m.toy0"),
    ]
