"""movies_metadata.csv onto films stored without a TMDB id (the MovieLens 100K demo): one film, not two."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from catalog.models import ImportRun, Movie, MovieLensLink, StreamingTitle
from catalog.services import catalog_import, streaming_titles_match
from ratings.models import DatasetRating
from tests.catalog import fixtures_import as fx
from tests.factories import DatasetRatingFactory, GenreFactory, KnowledgeFactFactory, MovieFactory, RatingFactory

pytestmark = pytest.mark.django_db


def demo_film(title: str, year: int, ml100k_id: int) -> Movie:
    """A film as load_demo stores it: MovieLens 100K id, title and year, no TMDB or IMDb id."""
    return MovieFactory(
        tmdb_id=None, imdb_id="", ml100k_id=ml100k_id, title=title, original_title="", release_year=year
    )


def metadata_row(tmdb_id: int, title: str, release_date: str, original_title: str = "") -> str:
    return (
        f"False,,0,\"[{{'id': 18, 'name': 'Drama'}}]\",,{tmdb_id},tt{tmdb_id:07d},en,{original_title or title},,"
        f"1.5,,[],[],{release_date},0,90.0,[],Released,,{title},False,6.0,10"
    )


def import_metadata(directory: Path, *rows: str) -> ImportRun:
    fx.write_text(directory / "movies_metadata.csv", "\n".join([fx.METADATA_HEADER, *rows]) + "\n")
    return catalog_import(paths=[directory])


def metadata_counts(run: ImportRun) -> dict[str, Any]:
    entry = next(entry for entry in run.files if entry["format"] == "movies_metadata")
    return {name: entry[name] for name in ("read", "inserted", "updated", "unchanged", "rejected")}


def test_a_tmdb_film_is_written_onto_the_demo_film_with_its_title_and_year(tmp_path: Path) -> None:
    godfather = demo_film("The Godfather", 1972, ml100k_id=127)
    DatasetRatingFactory(movie=godfather, source=DatasetRating.Source.ML100K)
    rating = RatingFactory(movie=godfather)
    KnowledgeFactFactory(movie=godfather)

    rows = [metadata_row(238, "The Godfather", "1972-03-14"), metadata_row(239, "Another Film", "1972-01-01")]
    run = import_metadata(tmp_path, *rows)

    assert Movie.objects.filter(title_search="the godfather").count() == 1
    film = Movie.objects.get(pk=godfather.pk)
    assert (film.tmdb_id, film.ml100k_id, film.imdb_id, film.vote_count) == (238, 127, "tt0000238", 10)
    assert film.dataset_ratings.count() == 1 and film.facts.count() == 1
    rating.refresh_from_db()
    assert rating.movie_id == godfather.pk
    assert metadata_counts(run) == {"read": 2, "inserted": 1, "updated": 1, "unchanged": 0, "rejected": 0}

    again = import_metadata(tmp_path, *rows)
    assert metadata_counts(again) == {"read": 2, "inserted": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    assert Movie.objects.count() == 2


def test_it_matches_the_original_title_other_punctuation_and_a_year_either_side(tmp_path: Path) -> None:
    dead_tired = demo_film("Grosse Fatigue", 1994, ml100k_id=1)
    cousin = demo_film("Salut cousin!", 1996, ml100k_id=2)
    love_bug = demo_film("The Love Bug", 1969, ml100k_id=3)

    import_metadata(
        tmp_path,
        metadata_row(101, "Dead Tired", "1994-03-09", original_title="Grosse fatigue"),
        metadata_row(102, "Salut cousin !", "1996-12-18"),
        metadata_row(103, "The Love Bug", "1968-12-24"),
    )

    assert Movie.objects.count() == 3
    assert sorted(Movie.objects.values_list("pk", "tmdb_id", "title", "release_year")) == [
        (dead_tired.pk, 101, "Dead Tired", 1994),
        (cousin.pk, 102, "Salut cousin !", 1996),
        (love_bug.pk, 103, "The Love Bug", 1968),
    ]


def test_ambiguous_or_distant_matches_stay_separate_films(tmp_path: Path) -> None:
    # Two stored films could be the incoming Hamlet; two incoming films could be the stored Heat.
    hamlets = [demo_film("Hamlet", 1996, ml100k_id=1), demo_film("Hamlet", 1996, ml100k_id=2)]
    heat = demo_film("Heat", 1995, ml100k_id=3)
    # Two years apart is another film as far as the import can tell.
    desert_winds = demo_film("Desert Winds", 1995, ml100k_id=4)
    # The same year wins over a year either side, so this is not ambiguous.
    crash, crash_a_year_later = demo_film("Crash", 1996, ml100k_id=5), demo_film("Crash", 1997, ml100k_id=6)
    stored_tmdb_film = MovieFactory(title="Sabrina", release_year=1995)
    demo_sabrina = demo_film("Sabrina", 1995, ml100k_id=7)

    run = import_metadata(
        tmp_path,
        metadata_row(201, "Hamlet", "1996-12-25"),
        metadata_row(202, "Heat", "1995-12-15"),
        metadata_row(203, "Heat", "1995-06-01"),
        metadata_row(204, "Desert Winds", "1997-01-01"),
        metadata_row(205, "Crash", "1996-10-04"),
        metadata_row(stored_tmdb_film.tmdb_id, "Sabrina", "1995-12-15"),
    )

    assert Movie.objects.filter(tmdb_id__isnull=True).count() == 6
    for film in [*hamlets, heat, desert_winds, crash_a_year_later, demo_sabrina]:
        film.refresh_from_db()
        assert film.tmdb_id is None, film
    crash.refresh_from_db()
    assert crash.tmdb_id == 205
    assert Movie.objects.get(pk=stored_tmdb_film.pk).tmdb_id == stored_tmdb_film.tmdb_id
    assert metadata_counts(run) == {"read": 6, "inserted": 4, "updated": 2, "unchanged": 0, "rejected": 0}


def test_links_ratings_and_streaming_reach_the_one_film(tmp_path: Path) -> None:
    toy_story = demo_film("Toy Story", 1995, ml100k_id=1)
    toy_story.genres.set([GenreFactory(name="Children's")])
    dataset = [fx.write_movies_dataset(tmp_path / "the-movies-dataset"), fx.write_streaming(tmp_path / "streaming")]

    first = catalog_import(paths=dataset)
    second = catalog_import(paths=dataset)

    film = Movie.objects.get(title_search="toy story")
    assert (film.pk, film.tmdb_id, film.movielens_id) == (toy_story.pk, 862, 1)
    assert sorted(film.genres.values_list("name", flat=True)) == ["Animation", "Comedy", "Family"]
    assert MovieLensLink.objects.get(movielens_id=1).movie_id == toy_story.pk
    assert film.dataset_ratings.count() == 2
    assert set(StreamingTitle.objects.filter(title="Toy Story").values_list("movie_id", flat=True)) == {film.pk}
    assert first.status == second.status == ImportRun.Status.SUCCEEDED
    assert (second.rows_inserted, second.rows_updated) == (0, 0)


def test_reimporting_the_demo_items_leaves_the_tmdb_title_year_and_genres(tmp_path: Path) -> None:
    # u.item: id|title|release date|video date|IMDb URL|19 genre flags (Children's and Comedy here).
    flags = "|".join("1" if index in (4, 5) else "0" for index in range(19))
    fx.write_text(tmp_path / "ml-100k" / "u.item", f"3|Love Bug, The (1969)|01-Jan-1969||http://x|{flags}\n")
    catalog_import(paths=[tmp_path / "ml-100k"])
    import_metadata(tmp_path / "tmd", metadata_row(103, "The Love Bug", "1968-12-24"))

    run = catalog_import(paths=[tmp_path / "ml-100k"])

    film = Movie.objects.get(ml100k_id=3)
    assert (film.tmdb_id, film.title, film.release_year) == (103, "The Love Bug", 1968)
    assert list(film.genres.values_list("name", flat=True)) == ["Drama"]
    assert (run.rows_read, run.rows_unchanged) == (1, 1)


def test_platform_titles_spelt_with_other_punctuation_reach_their_films(tmp_path: Path) -> None:
    import_metadata(
        tmp_path / "tmd",
        metadata_row(429617, "Spider-Man: Far From Home", "2019-06-28"),
        metadata_row(353081, "Mission: Impossible - Fallout", "2018-07-13"),
        metadata_row(12230, "Oliver & Company", "1988-11-18"),
        metadata_row(1, "Face/Off", "1997-06-27"),
        metadata_row(2, "Face Off", "1997-01-01"),
    )
    titles = [
        fx.streaming_row(show_id="s1", title="Spider-Man Far from Home", release_year="2019"),
        fx.streaming_row(show_id="s2", title="Mission: Impossible \u2013 Fallout", release_year="2018"),
        fx.streaming_row(show_id="s3", title="Oliver and Company", release_year="1988"),
        fx.streaming_row(show_id="s4", title="Face-Off", release_year="1997"),  # two films could be it
    ]
    fx.write_text(tmp_path / "streaming" / "disney_plus_titles.csv", "\n".join([fx.STREAMING_HEADER, *titles]) + "\n")

    catalog_import(paths=[tmp_path / "streaming"])

    matched = dict(StreamingTitle.objects.values_list("show_id", "movie__tmdb_id"))
    assert matched == {"s1": 429617, "s2": 353081, "s3": 12230, "s4": None}


def test_platform_decorated_titles_reach_their_films_and_a_reimport_changes_nothing(tmp_path: Path) -> None:
    import_metadata(
        tmp_path / "tmd",
        metadata_row(230896, "Iron Man & Hulk: Heroes United", "2013-12-03"),
        metadata_row(100402, "Captain America: The Winter Soldier", "2014-03-20"),
        metadata_row(714, "Tomorrow Never Dies", "1997-12-11"),
        metadata_row(36557, "The World Is Not Enough", "1999-11-08"),
        metadata_row(1, "Hamlet", "1990-12-19"),
        metadata_row(2, "Hamlet", "1990-05-01"),
        metadata_row(19913, "(500) Days of Summer", "2009-07-17"),
        metadata_row(3, "Days of Summer", "2009-01-01"),
    )
    titles = [
        fx.streaming_row(show_id="s1", title="Marvel's Iron Man & Hulk: Heroes United", release_year="2013"),
        fx.streaming_row(
            show_id="s2", title="Marvel Studios' Captain America: The Winter Soldier", release_year="2014"
        ),
        fx.streaming_row(show_id="s3", title="Tomorrow Never Dies [English Subtitled]", release_year="1997"),
        fx.streaming_row(show_id="s4", title="The World is Not Enough (4K UHD)", release_year="2000"),
        fx.streaming_row(show_id="s5", title="Hamlet (Director's Cut)", release_year="1990"),  # two films could be it
        fx.streaming_row(show_id="s6", title="(500) Days of Summer", release_year="2009"),
    ]
    streaming = tmp_path / "streaming"
    fx.write_text(streaming / "amazon_prime_titles.csv", "\n".join([fx.STREAMING_HEADER, *titles]) + "\n")

    catalog_import(paths=[streaming])
    first = dict(StreamingTitle.objects.values_list("show_id", "movie__tmdb_id"))
    again = catalog_import(paths=[streaming])

    assert first == {"s1": 230896, "s2": 100402, "s3": 714, "s4": 36557, "s5": None, "s6": 19913}
    assert dict(StreamingTitle.objects.values_list("show_id", "movie__tmdb_id")) == first
    assert StreamingTitle.objects.filter(title="The World is Not Enough (4K UHD)", title_search__contains="4k").exists()
    assert (again.rows_inserted, again.rows_updated, again.rows_unchanged) == (0, 0, 6)
    assert streaming_titles_match() == 0


def test_a_tmdb_title_with_other_punctuation_is_written_onto_the_demo_film(tmp_path: Path) -> None:
    # MovieLens 100K and TMDB spell these two differently (a colon or a spaced hyphen, an en dash).
    free_willy = demo_film("Free Willy 2: The Adventure Home", 1995, ml100k_id=1)
    mission = demo_film("Mission: Impossible - Fallout", 2018, ml100k_id=2)

    import_metadata(
        tmp_path,
        metadata_row(9948, "Free Willy 2 - The Adventure Home", "1995-07-19"),
        metadata_row(353081, "Mission: Impossible \u2013 Fallout", "2018-07-13"),
    )

    assert Movie.objects.count() == 2
    assert Movie.objects.get(pk=free_willy.pk).tmdb_id == 9948
    assert Movie.objects.get(pk=mission.pk).tmdb_id == 353081


def uitem_line(ml100k_id: int, title: str, date: str) -> str:
    """A u.item line (id|title|release date|video date|IMDb URL|19 genre flags), as Drama."""
    flags = "|".join("1" if index == 8 else "0" for index in range(19))
    return f"{ml100k_id}|{title}|{date}||http://x|{flags}"


def file_counts(run: ImportRun, file_format: str) -> dict[str, Any]:
    entry = next(entry for entry in run.files if entry["format"] == file_format)
    return {name: entry[name] for name in ("read", "inserted", "updated", "unchanged", "rejected")}


def test_movielens_100k_imported_after_tmdb_reaches_the_tmdb_films(tmp_path: Path) -> None:
    import_metadata(
        tmp_path / "tmd",
        metadata_row(238, "The Godfather", "1972-03-14"),
        metadata_row(103, "The Love Bug", "1968-12-24"),
        metadata_row(9948, "Free Willy 2 - The Adventure Home", "1995-07-19"),
    )
    items = [
        uitem_line(127, "Godfather, The (1972)", "01-Jan-1972"),
        uitem_line(3, "Love Bug, The (1969)", "01-Jan-1969"),
        uitem_line(1020, "Free Willy 2: The Adventure Home (1995)", "01-Jan-1995"),
        uitem_line(50, "Star Wars (1977)", "01-Jan-1977"),
    ]
    fx.write_text(tmp_path / "ml-100k" / "u.item", "\n".join(items) + "\n")
    fx.write_text(tmp_path / "ml-100k" / "u.data", "1\t127\t5\t881250949\n2\t3\t4\t881250950\n")

    run = catalog_import(paths=[tmp_path / "ml-100k"])

    assert Movie.objects.count() == 4
    films = dict(Movie.objects.values_list("ml100k_id", "tmdb_id"))
    assert films == {127: 238, 3: 103, 1020: 9948, 50: None}
    godfather = Movie.objects.get(tmdb_id=238)
    assert (godfather.title, godfather.dataset_ratings.count()) == ("The Godfather", 1)
    assert Movie.objects.get(tmdb_id=103).dataset_ratings.count() == 1
    assert file_counts(run, "ml100k_items") == {"read": 4, "inserted": 1, "updated": 3, "unchanged": 0, "rejected": 0}

    again = catalog_import(paths=[tmp_path / "ml-100k"])
    assert file_counts(again, "ml100k_items") == {"read": 4, "inserted": 0, "updated": 0, "unchanged": 4, "rejected": 0}
    assert Movie.objects.count() == 4


def test_one_run_of_tmdb_and_movielens_100k_keeps_one_film_whichever_file_comes_first(tmp_path: Path) -> None:
    fx.write_text(
        tmp_path / "a" / "movies_metadata.csv",
        f"{fx.METADATA_HEADER}\n{metadata_row(238, 'The Godfather', '1972-03-14')}\n",
    )
    fx.write_text(tmp_path / "b" / "u.item", uitem_line(127, "Godfather, The (1972)", "01-Jan-1972") + "\n")

    catalog_import(paths=[tmp_path / "a", tmp_path / "b"])
    assert list(Movie.objects.values_list("tmdb_id", "ml100k_id")) == [(238, 127)]

    Movie.objects.all().delete()
    catalog_import(paths=[tmp_path / "b", tmp_path / "a"])
    assert list(Movie.objects.values_list("tmdb_id", "ml100k_id")) == [(238, 127)]


def test_a_movielens_film_that_could_be_two_tmdb_films_stays_its_own(tmp_path: Path) -> None:
    import_metadata(
        tmp_path / "tmd",
        metadata_row(201, "Hamlet", "1996-12-25"),
        metadata_row(202, "Hamlet", "1996-01-01"),
        metadata_row(203, "Heat", "1995-12-15"),
    )
    items = [
        uitem_line(1, "Hamlet (1996)", "01-Jan-1996"),
        uitem_line(2, "Heat (1995)", "01-Jan-1995"),
        uitem_line(3, "Heat (1995)", "01-Jan-1995"),
    ]
    fx.write_text(tmp_path / "ml-100k" / "u.item", "\n".join(items) + "\n")

    catalog_import(paths=[tmp_path / "ml-100k"])

    assert Movie.objects.count() == 6
    assert Movie.objects.filter(tmdb_id__isnull=False, ml100k_id__isnull=False).count() == 0


def test_movielens_1m_movies_without_links_reach_the_tmdb_films(tmp_path: Path) -> None:
    import_metadata(tmp_path / "tmd", metadata_row(862, "Toy Story", "1995-10-30"))
    fx.write_text(tmp_path / "ml-1m" / "movies.dat", "1::Toy Story (1995)::Animation|Children's|Comedy\n")

    catalog_import(paths=[tmp_path / "ml-1m"])

    film = Movie.objects.get()
    assert (film.tmdb_id, film.movielens_id, film.title) == (862, 1, "Toy Story")
    assert MovieLensLink.objects.get(movielens_id=1).movie_id == film.pk


def test_a_movielens_copy_is_merged_into_the_tmdb_film_links_csv_names(tmp_path: Path) -> None:
    # ml-latest's title is not TMDB's: no title match, so movies.csv wrote a film of its own, rated since.
    fx.write_text(tmp_path / "ml" / "movies.csv", "movieId,title,genres\n47,Seven (a.k.a. Se7en) (1995),Thriller\n")
    fx.write_text(tmp_path / "ml" / "ratings.csv", "userId,movieId,rating,timestamp\n1,47,5.0,1147880044\n")
    catalog_import(paths=[tmp_path / "ml"])
    copy = Movie.objects.get(movielens_id=47)
    assert copy.tmdb_id is None and copy.dataset_ratings.count() == 1

    import_metadata(tmp_path / "tmd", metadata_row(807, "Se7en", "1995-09-22"))
    fx.write_text(tmp_path / "links" / "links.csv", "movieId,imdbId,tmdbId\n47,0114369,807\n")
    catalog_import(paths=[tmp_path / "links"])

    film = Movie.objects.get()
    assert (film.tmdb_id, film.movielens_id, film.title) == (807, 47, "Se7en")
    assert film.dataset_ratings.count() == 1
    assert film.curated_fields == []
    assert MovieLensLink.objects.get(movielens_id=47).movie_id == film.pk

    again = catalog_import(paths=[tmp_path / "ml", tmp_path / "links"])
    assert Movie.objects.count() == 1
    assert (again.rows_inserted, again.rows_updated) == (0, 0)


def test_a_second_movielens_id_of_a_tmdb_film_writes_no_copy(tmp_path: Path) -> None:
    import_metadata(tmp_path / "tmd", metadata_row(807, "Se7en", "1995-09-22"))
    fx.write_text(tmp_path / "links" / "links.csv", "movieId,imdbId,tmdbId\n47,0114369,807\n99047,0114369,807\n")
    catalog_import(paths=[tmp_path / "links"])

    fx.write_text(
        tmp_path / "ml" / "movies.csv",
        "movieId,title,genres\n47,Seven (a.k.a. Se7en) (1995),Thriller\n99047,Se7en (1995),Thriller\n",
    )
    run = catalog_import(paths=[tmp_path / "ml"])

    assert Movie.objects.count() == 1
    assert file_counts(run, "movielens_movies") == {
        "read": 2, "inserted": 0, "updated": 0, "unchanged": 2, "rejected": 0
    }  # fmt: skip
