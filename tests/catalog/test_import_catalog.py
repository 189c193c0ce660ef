"""import_catalog on small files in the real formats (tests/catalog/fixtures_import.py)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalog.importers.columns import HeaderError
from catalog.models import (
    Country,
    Credit,
    Genre,
    ImportRun,
    Language,
    Movie,
    MovieLensLink,
    Person,
    StreamingTitle,
)
from catalog.services import catalog_import
from ratings.models import DatasetRating
from tests.catalog import fixtures_import as fx
from tests.factories import MovieFactory

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, Any]:
    """Everything an import writes, in a comparable form (no timestamps, no surrogate ids)."""
    movie_fields = [f.name for f in Movie._meta.concrete_fields if f.name not in ("id", "created_at", "updated_at")]
    return {
        "movies": sorted(
            tuple(str(v) for v in row)
            for row in Movie.objects.values_list(
                *[f if f != "collection" else "collection__tmdb_id" for f in movie_fields]
            )
        ),
        "genres": sorted(Movie.genres.through.objects.values_list("movie__tmdb_id", "genre__name")),
        "keywords": sorted(Movie.keywords.through.objects.values_list("movie__tmdb_id", "keyword__tmdb_id")),
        "companies": sorted(Movie.companies.through.objects.values_list("movie__tmdb_id", "company__tmdb_id")),
        "credits": sorted(
            Credit.objects.values_list(
                "movie__tmdb_id", "person__tmdb_id", "kind", "character", "order", "job", "credit_id"
            )
        ),
        "people": sorted(Person.objects.values_list("tmdb_id", "name", "name_search", "gender", "profile_path")),
        "links": sorted(MovieLensLink.objects.values_list("movielens_id", "movie__tmdb_id")),
        "ratings": sorted(
            DatasetRating.objects.values_list("source", "rater_id", "movie__tmdb_id", "score", "rated_at")
        ),
        "streaming": sorted(
            tuple(str(v) for v in row)
            for row in StreamingTitle.objects.values_list(
                "platform__slug",
                "show_id",
                "kind",
                "title",
                "title_search",
                "date_added",
                "release_year",
                "age_rating",
                "duration_value",
                "duration_unit",
                "description",
                "movie__tmdb_id",
            )
        ),
    }


def file_counts(run: ImportRun, name: str) -> dict[str, Any]:
    return next(entry for entry in run.files if entry["path"].endswith(name))


def rejects(run: ImportRun) -> list[dict[str, str]]:
    if not run.rejects_path:
        return []
    return list(csv.DictReader(io.StringIO(Path(run.rejects_path).read_text(encoding="utf-8"))))


@pytest.fixture
def dataset(tmp_path: Path) -> list[Path]:
    return [fx.write_movies_dataset(tmp_path / "the-movies-dataset"), fx.write_streaming(tmp_path / "streaming")]


def test_importing_twice_equals_importing_once(dataset: list[Path]) -> None:
    first = catalog_import(paths=dataset)
    after_first = snapshot()
    second = catalog_import(paths=dataset)

    assert snapshot() == after_first
    assert first.rows_inserted > 0
    assert (second.rows_inserted, second.rows_updated) == (0, 0)
    assert second.rows_rejected == first.rows_rejected
    assert second.status == ImportRun.Status.SUCCEEDED


def test_every_file_balances_read_against_its_outcomes(dataset: list[Path]) -> None:
    run = catalog_import(paths=dataset)

    for entry in run.files:
        assert entry["read"] == entry["inserted"] + entry["updated"] + entry["unchanged"] + entry["rejected"], entry
        assert len(entry["sha256"]) == 64
    assert run.rows_read == sum(entry["read"] for entry in run.files)


def test_it_imports_files_in_dependency_order_whatever_the_argument_order(tmp_path: Path) -> None:
    directory = fx.write_movies_dataset(tmp_path / "tmd")
    paths = [directory / name for name in ("ratings_small.csv", "credits.csv", "links.csv", "movies_metadata.csv")]

    run = catalog_import(paths=paths)

    assert [entry["format"] for entry in run.files] == ["movies_metadata", "links", "credits", "ratings_small"]
    assert Credit.objects.filter(movie__tmdb_id=862).count() == 3


def test_it_rejects_the_broken_record_with_its_line_and_reason(dataset: list[Path]) -> None:
    run = catalog_import(paths=dataset)

    metadata = "the-movies-dataset/movies_metadata.csv"
    metadata_rejects = {int(r["line"]): r for r in rejects(run) if r["file"] == metadata}
    # Physical lines: the overview of line 3 spans two, so the split record is
    # lines 6 (first half) and 7 (the half whose id is a date).
    assert metadata_rejects[6]["reason"] == "expected 24 fields as in the header, found 10"
    assert metadata_rejects[7]["field"] == "id"
    assert metadata_rejects[7]["value"] == "1997-08-20"
    assert "a date where the TMDB id belongs" in metadata_rejects[7]["reason"]
    assert metadata_rejects[9]["field"] == "budget"
    assert not Movie.objects.filter(tmdb_id=82663).exists()
    assert file_counts(run, "movies_metadata.csv")["rejected"] == 3


def test_derived_fields_are_exact_on_a_known_film(dataset: list[Path]) -> None:
    catalog_import(paths=dataset)

    toy_story = Movie.objects.get(tmdb_id=862)
    assert toy_story.release_date == dt.date(1995, 10, 30)
    assert toy_story.release_year == 1995
    assert toy_story.return_ratio == 373554033 / 30000000
    assert toy_story.runtime == 81
    assert toy_story.imdb_id == "tt0114709"
    assert toy_story.movielens_id == 1
    assert toy_story.collection is not None and toy_story.collection.name == "Toy Story Collection"
    assert sorted(toy_story.genres.values_list("name", flat=True)) == ["Animation", "Comedy", "Family"]
    assert toy_story.title_search == "toy story"
    # Ratings 4.0 (user 1) and 5.0 (user 2); user 3's 5.5 is rejected.
    assert (toy_story.ratings_count, toy_story.ratings_average) == (2, 4.5)
    crew = toy_story.credits.get(kind=Credit.Kind.CREW)
    assert (crew.person.name, crew.job, crew.department) == ("John Lasseter", "Director", "Directing")
    assert toy_story.credits.get(order=1).character == "Buzz's friend"
    assert sorted(toy_story.keywords.values_list("name", flat=True)) == ["based on children's book", "jealousy"]


def test_missing_values_get_their_defaults_and_text_is_trimmed(dataset: list[Path]) -> None:
    catalog_import(paths=dataset)

    ghost = Movie.objects.get(tmdb_id=90001)
    assert (ghost.budget, ghost.revenue, ghost.return_ratio) == (0, 0, 0)
    assert ghost.release_date is None and ghost.release_year is None and ghost.runtime is None
    assert ghost.title == "幽灵"
    assert ghost.original_title == "幽灵"
    assert ghost.overview == "Two lines\nof overview, quoted."
    assert ghost.status == "Rumored"
    assert ghost.original_language == "zh"
    assert ghost.collection is not None and ghost.collection.poster_path == ""
    assert Movie.objects.get(tmdb_id=105045).original_language == "cn"


def test_duplicate_ids_are_merged_into_one_film(dataset: list[Path]) -> None:
    run = catalog_import(paths=dataset)

    twice = Movie.objects.get(tmdb_id=105045)
    assert sorted(twice.genres.values_list("name", flat=True)) == ["Crime", "Drama"]
    assert twice.runtime == 95
    assert file_counts(run, "movies_metadata.csv")["duplicates_merged"] == 1
    assert file_counts(run, "keywords.csv")["duplicates_merged"] == 1
    # Two MovieLens ids for one film: both link, the film keeps the lowest.
    assert set(twice.movielens_links.values_list("movielens_id", flat=True)) == {690, 1533}
    assert twice.movielens_id == 690


def test_ratings_map_through_links_and_links_small(dataset: list[Path]) -> None:
    run = catalog_import(paths=dataset)

    assert DatasetRating.objects.filter(movie__tmdb_id=90001, rater_id=1).get().score == 3.5
    ratings = "the-movies-dataset/ratings_small.csv"
    reasons = {(r["line"], r["field"]): r["reason"] for r in rejects(run) if r["file"] == ratings}
    assert reasons[("6", "movieId")].startswith("not linked to any film")
    assert reasons[("7", "rating")] == "rating must be 0.5-5.0 in half steps"
    assert file_counts(run, "links.csv")["rejects_by_reason"] == {
        "tmdbId: empty: the MovieLens film has no TMDB film": 1
    }
    assert DatasetRating.objects.count() == 5


def test_streaming_quirks_are_normalised(dataset: list[Path]) -> None:
    run = catalog_import(paths=dataset)

    louis = StreamingTitle.objects.get(platform__slug="netflix", show_id="s2")
    assert (louis.age_rating, louis.duration_value, louis.duration_unit) == ("", 74, "min")
    assert louis.description == "A stand-up special\nover two lines."
    castle = StreamingTitle.objects.get(platform__slug="netflix", show_id="s3")
    assert castle.date_added == dt.date(2021, 9, 15)
    assert castle.description == "A pair of lawyers."
    assert (castle.kind, castle.duration_value, castle.duration_unit) == ("tv", 2, "season")
    hulu_show = StreamingTitle.objects.get(platform__slug="hulu", show_id="s2")
    assert (hulu_show.age_rating, hulu_show.duration_value, hulu_show.duration_unit) == ("", 1, "season")
    # s1 exists on both platforms: two titles, both matched to the film by title and year.
    assert StreamingTitle.objects.filter(show_id="s1").count() == 2
    assert set(StreamingTitle.objects.filter(show_id="s1").values_list("movie__tmdb_id", flat=True)) == {862}
    odd = [r for r in rejects(run) if r["file"] == "streaming/netflix_titles.csv"]
    assert [(r["line"], r["field"]) for r in odd] == [("6", "type")]


def test_values_wider_than_their_columns_are_cut_or_rejected(tmp_path: Path) -> None:
    directory = fx.write_values_wider_than_their_columns(tmp_path)

    run = catalog_import(paths=[directory])

    assert run.status == ImportRun.Status.SUCCEEDED
    assert {(r["file"], r["line"], r["field"]) for r in rejects(run)} == {
        ("movies_metadata.csv", "2", "production_countries"),
        ("netflix_titles.csv", "2", "duration"),
    }
    assert Genre.objects.get(tmdb_id=9901).name == "G" * 100
    assert Country.objects.get(code="FR").name == "C" * 200
    assert Language.objects.get(code="fr").name == "L" * 200
    assert Movie.objects.get(tmdb_id=9000003).overview == "Nul byte"
    assert StreamingTitle.objects.get(show_id="s2").description == "Nul byte"


def test_two_new_genres_with_one_name_become_one_genre(tmp_path: Path) -> None:
    rows = [
        fx.METADATA_HEADER,
        fx.metadata_row(id="9000001", genres="[{'id': 9901, 'name': 'Foo'}]"),
        fx.metadata_row(id="9000002", genres="[{'id': 9902, 'name': 'Foo'}]"),
    ]
    path = fx.write_text(tmp_path / "movies_metadata.csv", "\n".join(rows) + "\n")

    run = catalog_import(paths=[path])

    assert (run.rows_inserted, run.rows_rejected) == (2, 0)
    assert list(Genre.objects.filter(name="Foo").values_list("tmdb_id", flat=True)) == [9901]
    assert sorted(Movie.genres.through.objects.values_list("movie__tmdb_id", "genre__name")) == [
        (9000001, "Foo"),
        (9000002, "Foo"),
    ]


def test_columns_are_found_by_their_header_names_in_any_order(tmp_path: Path) -> None:
    film = {**fx.PLAIN_FILM, "title": "Le Titre", "original_title": "Original Titre", "unknown_extra": "x"}
    title = {**fx.PLAIN_TITLE, "director": "Jean Renoir", "country": "France", "unknown_extra": "x"}
    film = fx.with_columns_swapped(film, "title", "original_title")
    title = fx.with_columns_swapped(title, "director", "country")
    fx.write_text(tmp_path / "movies_metadata.csv", fx.csv_table([film]))
    fx.write_text(tmp_path / "netflix_titles.csv", fx.csv_table([title]))
    fx.write_text(tmp_path / "keywords.csv", "keywords,id\n\"[{'id': 931, 'name': 'jealousy'}]\",9000001\n")

    run = catalog_import(paths=[tmp_path])

    assert (run.rows_inserted, run.rows_rejected) == (3, 0)
    film_row = Movie.objects.get(tmdb_id=9000001)
    assert (film_row.title, film_row.original_title) == ("Le Titre", "Original Titre")
    assert list(film_row.keywords.values_list("name", flat=True)) == ["jealousy"]
    assert StreamingTitle.objects.values_list("director", "country").get() == ("Jean Renoir", "France")


def test_a_row_whose_width_differs_from_the_header_is_rejected_as_such(tmp_path: Path) -> None:
    text = fx.csv_table([{**fx.PLAIN_FILM, "unknown_extra": "x"}]) + fx.metadata_row(id="9000002") + "\n"
    path = fx.write_text(tmp_path / "movies_metadata.csv", text)

    run = catalog_import(paths=[path])

    assert [(r["line"], r["field"], r["reason"]) for r in rejects(run)] == [
        ("3", "row", "expected 25 fields as in the header, found 24")
    ]
    assert list(Movie.objects.values_list("tmdb_id", flat=True)) == [9000001]


def test_a_file_missing_a_column_is_refused_before_any_row(tmp_path: Path) -> None:
    film = {name: value for name, value in fx.PLAIN_FILM.items() if name not in ("title", "vote_count")}
    path = fx.write_text(tmp_path / "movies_metadata.csv", fx.csv_table([film]))

    with pytest.raises(CommandError, match=r"movies_metadata.csv: the header lacks the column\(s\) title, vote_count"):
        call_command("import_catalog", str(path), stdout=io.StringIO())
    with pytest.raises(HeaderError):
        catalog_import(paths=[path], format_name="tmdb")

    assert not Movie.objects.exists()
    assert set(ImportRun.objects.values_list("status", flat=True)) == {ImportRun.Status.FAILED}


def test_a_repeated_id_keeps_its_last_valid_record_when_a_later_one_is_malformed(tmp_path: Path) -> None:
    MovieFactory(tmdb_id=9000091)
    MovieFactory(tmdb_id=9000092)
    keywords = [
        fx.KEYWORDS_HEADER,
        "9000091,\"[{'id': 931, 'name': 'jealousy'}]\"",
        "9000091,\"[{'id': 4290, 'name': 'toy'\"",  # not a literal: rejected
        "9000092,\"[{'id': 5202, 'name': 'boy'}]\"",
        "9000092,\"[{'id': 5202, 'name': 'boy'}]\",extra",  # three fields: rejected
    ]
    tom_hanks = "[{'credit_id': 'c1', 'id': 31, 'name': 'Tom Hanks', 'character': 'Woody', 'order': 0}]"
    credits = [
        fx.CREDITS_HEADER,
        f'"{tom_hanks}",[],9000091',
        "\"[{'credit_id': 'c2', 'id': 'x', 'name': 'No Id'}]\",[],9000091",  # a person without an id
        f'"{tom_hanks}",[],9000092',
        f'"{tom_hanks}",[],9000092',  # a valid repeat: merged
    ]
    fx.write_text(tmp_path / "keywords.csv", "\n".join(keywords) + "\n")
    fx.write_text(tmp_path / "credits.csv", "\n".join(credits) + "\n")

    run = catalog_import(paths=[tmp_path])

    assert sorted(Movie.keywords.through.objects.values_list("movie__tmdb_id", "keyword__name")) == [
        (9000091, "jealousy"),
        (9000092, "boy"),
    ]
    assert sorted(Credit.objects.values_list("movie__tmdb_id", "person__name")) == [
        (9000091, "Tom Hanks"),
        (9000092, "Tom Hanks"),
    ]
    outcomes = ("read", "inserted", "unchanged", "rejected", "duplicates_merged")
    assert [file_counts(run, "keywords.csv")[name] for name in outcomes] == [4, 2, 0, 2, 0]
    assert [file_counts(run, "credits.csv")[name] for name in outcomes] == [4, 2, 1, 1, 1]


def test_a_curators_streaming_match_survives_a_reimport(dataset: list[Path]) -> None:
    from catalog.services import streaming_title_match_set

    catalog_import(paths=dataset)
    title = StreamingTitle.objects.get(platform__slug="hulu", show_id="s1")
    streaming_title_match_set(title=title, movie=Movie.objects.get(tmdb_id=105045))

    catalog_import(paths=dataset)

    title.refresh_from_db()
    assert title.match_locked and title.movie.tmdb_id == 105045


def test_it_reads_zip_and_gz_inputs(tmp_path: Path) -> None:
    source = fx.write_movies_dataset(tmp_path / "plain")
    archive = fx.write_zip(
        tmp_path / "tmd.zip",
        {
            "the-movies-dataset/movies_metadata.csv": (source / "movies_metadata.csv").read_text(encoding="utf-8"),
            "the-movies-dataset/links_small.csv": fx.LINKS_SMALL,
        },
    )
    ratings = fx.write_gz(tmp_path / "ratings_small.csv.gz", fx.RATINGS_SMALL)

    run = catalog_import(paths=[ratings, archive])

    assert [entry["format"] for entry in run.files] == ["movies_metadata", "links", "ratings_small"]
    assert Movie.objects.count() == 3
    assert DatasetRating.objects.count() == 3  # 690/1533 are only in links.csv, not in this zip


def test_a_dry_run_records_the_counts_and_writes_nothing(dataset: list[Path]) -> None:
    run = catalog_import(paths=dataset, dry_run=True)

    assert run.dry_run and run.rows_inserted > 0
    assert Movie.objects.count() == 0 and DatasetRating.objects.count() == 0
    assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.SUCCEEDED


def test_a_failure_part_way_is_recorded_and_a_rerun_repairs_it(
    dataset: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from catalog.importers import run as run_module

    clean = catalog_import(paths=dataset)
    expected = snapshot()
    Movie.objects.all().delete()

    def explode(*args: object, **kwargs: object) -> None:
        raise OSError("disk went away")

    monkeypatch.setitem(
        run_module.FORMATS, "credits", dataclasses.replace(run_module.FORMATS["credits"], importer=explode)
    )
    with pytest.raises(OSError, match="disk went away"):
        catalog_import(paths=dataset)
    failed = ImportRun.objects.order_by("-pk").first()
    assert failed is not None and failed.status == ImportRun.Status.FAILED and "disk went away" in failed.error
    monkeypatch.undo()

    catalog_import(paths=dataset)

    assert snapshot() == expected
    assert clean.status == ImportRun.Status.SUCCEEDED


def test_the_command_prints_a_summary_and_refuses_unknown_files(dataset: list[Path], tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("import_catalog", *map(str, dataset), stdout=out)
    assert "movies_metadata.csv" in out.getvalue() and "succeeded" in out.getvalue()

    stray = fx.write_text(tmp_path / "other.csv", "a,b\n1,2\n")
    with pytest.raises(CommandError, match="not a known dataset file"):
        call_command("import_catalog", str(stray), stdout=io.StringIO())


@pytest.fixture
def requested(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The rebuilds an import queued, in order: 'content' (the content index) and 'insights'."""
    import catalog.insights.services
    import recommender.services

    queued: list[str] = []
    monkeypatch.setattr(recommender.services, "content_index_rebuild_request", lambda: queued.append("content"))
    monkeypatch.setattr(catalog.insights.services, "insights_refresh_request", lambda: queued.append("insights"))
    return queued


def test_an_import_that_changed_the_catalog_queues_the_content_index_and_insights(
    dataset: list[Path], requested: list[str]
) -> None:

    catalog_import(paths=dataset)
    assert requested == ["content", "insights"]

    catalog_import(paths=dataset)
    catalog_import(paths=dataset, dry_run=True)
    assert requested == ["content", "insights"]


# Far past any real rating: 2**62, and 99999999999999 (the year 3.2 million).
FUTURE_RATINGS = (
    "userId,movieId,rating,timestamp\n"
    "900001,1,4.0,964982703\n"
    "900002,1,4.0,4611686018427387904\n"
    "900003,1,4.0,99999999999999\n"
)


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_it_rejects_ratings_dated_after_tomorrow(tmp_path: Path) -> None:
    directory = fx.write_movies_dataset(tmp_path / "tmd")
    tomorrow_and_more = int(dt.datetime.now(tz=dt.UTC).timestamp()) + 2 * 24 * 3600
    # 1e10 beside 2**63 - 1 in one block made numpy warn while pandas tried its int64 cast.
    more = f"900004,1,4.0,{tomorrow_and_more}\n900005,1,4.0,1e10\n900006,1,4.0,9223372036854775807\n"
    fx.write_text(directory / "ratings_small.csv", FUTURE_RATINGS + more)

    run = catalog_import(paths=[directory])

    assert list(DatasetRating.objects.values_list("rater_id", flat=True)) == [900001]
    reasons = {(r["line"], r["field"]): r["reason"] for r in rejects(run) if r["file"] == "ratings_small.csv"}
    assert set(reasons) == {(str(line), "timestamp") for line in range(3, 8)}
    assert all("later than a day after the import" in reason for reason in reasons.values())


def test_a_block_read_line_by_line_gives_the_same_reasons(tmp_path: Path) -> None:
    directory = fx.write_movies_dataset(tmp_path / "tmd")
    # "oops" sends the block to the line-by-line parser (a block ends before the file's last rater).
    more = "900004,1,oops,1\n900005,1,NaN,964982703\n900006,1,3.0,964982703\n"
    fx.write_text(directory / "ratings_small.csv", FUTURE_RATINGS + more)

    run = catalog_import(paths=[directory])

    reasons = {r["line"]: r["reason"] for r in rejects(run) if r["file"] == "ratings_small.csv"}
    assert "later than a day after the import" in reasons["3"]
    assert "later than a day after the import" in reasons["4"]
    assert reasons["5"] == "not a number"
    assert reasons["6"] == "rating must be 0.5-5.0 in half steps"
    assert sorted(DatasetRating.objects.values_list("rater_id", flat=True)) == [900001, 900006]


def test_an_unknown_platform_fails_before_anything_is_imported(dataset: list[Path]) -> None:
    with pytest.raises(CommandError, match="unknown platform 'hbo'"):
        call_command("import_catalog", *map(str, dataset), "--platform", "hbo", stdout=io.StringIO())

    assert Movie.objects.count() == 0 and DatasetRating.objects.count() == 0
    assert not ImportRun.objects.exists()


def test_a_run_that_fails_part_way_still_refreshes_what_it_committed(
    dataset: list[Path], monkeypatch: pytest.MonkeyPatch, requested: list[str]
) -> None:
    from catalog.importers import run as run_module

    def explode(*args: object, **kwargs: object) -> None:
        raise OSError("disk went away")

    # Streaming is imported last: films, links and ratings are committed by then.
    monkeypatch.setattr(run_module.streaming, "import_streaming", explode)
    with pytest.raises(OSError, match="disk went away"):
        catalog_import(paths=dataset)

    failed = ImportRun.objects.get()
    assert failed.status == ImportRun.Status.FAILED and "disk went away" in failed.error
    assert Movie.objects.get(tmdb_id=862).ratings_count == 2
    assert requested == ["content", "insights"]

    with pytest.raises(OSError, match="disk went away"):
        catalog_import(paths=dataset, dry_run=True)
    assert requested == ["content", "insights"]


def test_a_run_after_an_interrupted_one_requests_the_rebuilds_even_when_nothing_changes(
    dataset: list[Path], requested: list[str]
) -> None:
    catalog_import(paths=dataset)
    # Ctrl-C after the last file committed and before the rebuilds were requested (they are skipped on an interrupt).
    ImportRun.objects.filter(pk=ImportRun.objects.latest("pk").pk).update(status=ImportRun.Status.FAILED)
    requested.clear()

    rerun = catalog_import(paths=dataset)
    assert (rerun.rows_inserted, rerun.rows_updated) == (0, 0)
    assert requested == ["content", "insights"]

    catalog_import(paths=dataset)
    assert requested == ["content", "insights"]


def test_the_raters_of_ratings_csv_and_ratings_small_csv_are_kept_apart(tmp_path: Path) -> None:
    directory = fx.write_movies_dataset(tmp_path / "the-movies-dataset")
    fx.write_text(directory / "ratings.csv", "userId,movieId,rating,timestamp\r\n1,1,1.0,1425941529\r\n")

    catalog_import(paths=[directory])

    rater_one = DatasetRating.objects.filter(rater_id=1, movie__movielens_id=1)
    assert sorted(rater_one.values_list("source", "score")) == [
        (DatasetRating.Source.MOVIELENS, 1.0),
        (DatasetRating.Source.MOVIELENS_SMALL, 4.0),
    ]
