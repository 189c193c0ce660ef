"""A repeated id merges or replaces its earlier rows; what that loses is in the rejects, naming the line that won."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.importers import movielens, streaming, tmdb
from catalog.models import Credit, Movie, MovieLensLink, StreamingTitle
from catalog.services import catalog_import
from tests.catalog import fixtures_import as fx
from tests.catalog.test_import_catalog import file_counts, rejects
from tests.factories import MovieFactory

pytestmark = pytest.mark.django_db


def left_out(run: object) -> list[tuple[str, str, str, str, str]]:
    return [(r["file"], r["line"], r["field"], r["value"], r["reason"]) for r in rejects(run)]  # type: ignore[arg-type]


def test_a_repeated_film_reports_the_earlier_values_a_later_row_replaced(tmp_path: Path) -> None:
    rows = [
        fx.METADATA_HEADER,
        fx.metadata_row(overview="The first overview.", tagline="First", runtime="90.0"),
        fx.metadata_row(overview="The second overview.", tagline="", runtime="95.0"),
    ]
    fx.write_text(tmp_path / "movies_metadata.csv", "\n".join(rows) + "\n")

    run = catalog_import(paths=[tmp_path])

    replaced = f"{tmdb.REPLACED_VALUE}, line 3"
    assert left_out(run) == [
        ("movies_metadata.csv", "2", "overview", "The first overview.", replaced),
        ("movies_metadata.csv", "2", "runtime", "90", replaced),
    ]
    film = Movie.objects.get(tmdb_id=9000001)
    assert (film.overview, film.tagline, film.runtime) == ("The second overview.", "First", 95)
    counts = file_counts(run, "movies_metadata.csv")
    assert [counts[name] for name in ("read", "inserted", "unchanged", "rejected", "duplicates_merged")] == [
        2,
        1,
        1,
        0,
        1,
    ]
    assert counts["left_out"] == 2


def test_a_repeat_that_only_adds_values_reports_nothing(tmp_path: Path) -> None:
    """The fixture's film 105045: the second row adds a genre and a runtime."""
    run = catalog_import(paths=[fx.write_metadata(tmp_path)])

    assert file_counts(run, "movies_metadata.csv")["duplicates_merged"] == 1
    assert file_counts(run, "movies_metadata.csv")["left_out"] == 0


def test_a_merged_film_s_return_follows_its_merged_budget_and_revenue(tmp_path: Path) -> None:
    rows = [
        fx.METADATA_HEADER,
        fx.metadata_row(budget="1000", revenue="0"),
        fx.metadata_row(budget="0", revenue="5000"),
    ]
    fx.write_text(tmp_path / "movies_metadata.csv", "\n".join(rows) + "\n")

    catalog_import(paths=[tmp_path])

    film = Movie.objects.get(tmdb_id=9000001)
    assert (film.budget, film.revenue, film.return_ratio) == (1000, 5000, 5.0)


def test_an_earlier_keywords_or_credits_record_unlike_the_kept_one_is_reported(tmp_path: Path) -> None:
    MovieFactory(tmdb_id=9000091)
    MovieFactory(tmdb_id=9000092)
    keywords = [
        fx.KEYWORDS_HEADER,
        "9000091,\"[{'id': 931, 'name': 'jealousy'}]\"",
        "9000092,\"[{'id': 5202, 'name': 'boy'}]\"",
        "9000091,\"[{'id': 4290, 'name': 'toy'}]\"",
        "9000092,\"[{'id': 5202, 'name': 'boy'}]\"",  # the same again: nothing lost
    ]
    woody = "[{'credit_id': 'c1', 'id': 31, 'name': 'Tom Hanks', 'character': 'Woody', 'order': 0}]"
    credits = [fx.CREDITS_HEADER, f'"{woody}",[],9000091', f'"{woody.replace("Woody", "Sheriff")}",[],9000091']
    fx.write_text(tmp_path / "keywords.csv", "\n".join(keywords) + "\n")
    fx.write_text(tmp_path / "credits.csv", "\n".join(credits) + "\n")

    run = catalog_import(paths=[tmp_path])

    assert left_out(run) == [
        ("credits.csv", "2", "id", "9000091", f"{tmdb.REPLACED}, line 3"),
        ("keywords.csv", "2", "id", "9000091", f"{tmdb.REPLACED}, line 4"),
    ]
    assert list(Credit.objects.values_list("character", flat=True)) == ["Sheriff"]
    assert sorted(Movie.keywords.through.objects.values_list("movie__tmdb_id", "keyword__name")) == [
        (9000091, "toy"),
        (9000092, "boy"),
    ]
    assert file_counts(run, "keywords.csv")["duplicates_merged"] == 2
    assert file_counts(run, "keywords.csv")["left_out"] == 1


def test_an_earlier_link_or_streaming_title_or_movielens_film_unlike_the_kept_one_is_reported(tmp_path: Path) -> None:
    MovieFactory(tmdb_id=862)
    MovieFactory(tmdb_id=8844)
    fx.write_text(tmp_path / "links.csv", "movieId,imdbId,tmdbId\n1,0114709,862\n1,0113497,8844\n2,0113497,8844\n")
    titles = [fx.STREAMING_HEADER, fx.streaming_row(title="First Title"), fx.streaming_row(title="Second Title")]
    fx.write_text(tmp_path / "netflix_titles.csv", "\n".join(titles) + "\n")
    movies = "movieId,title,genres\n500,Old Name (1999),Drama\n500,New Name (1999),Drama\n501,Same (2001),Comedy\n"
    fx.write_text(tmp_path / "ml" / "movies.csv", movies + "501,Same (2001),Comedy\n")

    run = catalog_import(paths=[tmp_path])

    assert left_out(run) == [
        ("ml/movies.csv", "2", "movieId", "500", f"{movielens.REPLACED}, line 3"),
        ("links.csv", "2", "movieId", "1", f"{movielens.REPLACED}, line 3"),
        ("netflix_titles.csv", "2", "show_id", "s1", f"{streaming.REPLACED}, line 3"),
    ]
    assert MovieLensLink.objects.get(movielens_id=1).movie.tmdb_id == 8844
    assert StreamingTitle.objects.get().title == "Second Title"
    assert Movie.objects.get(movielens_id=500).title == "New Name"
    for entry in run.files:
        assert entry["read"] == entry["inserted"] + entry["updated"] + entry["unchanged"] + entry["rejected"]
