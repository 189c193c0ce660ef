"""A curator merges two records of the same film (catalog.services.film_merge and the films' admin action).

Every row that hangs off the duplicate moves to the film kept or is dropped as a
repeat, the external ids lead later imports to the film kept, and the
duplicate's old address leads there too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from catalog.models import Credit, ImportRun, KnowledgeFact, Movie, MovieAlias, MovieLensLink, Person, StreamingTitle
from catalog.services import catalog_import, film_merge, film_merge_order, movie_rating_stats_refresh
from ratings.models import DatasetRating, Dismissal, Rating, WatchlistEntry
from ratings.services import ratings_import
from recommender.serving import recommendations_for_user, similar_movies
from tests.catalog import fixtures_import as fx
from tests.factories import (
    CastCreditFactory,
    CompanyFactory,
    CountryFactory,
    CrewCreditFactory,
    DatasetRatingFactory,
    DismissalFactory,
    GenreFactory,
    KeywordFactory,
    KnowledgeFactFactory,
    MovieFactory,
    PersonFactory,
    RatingFactory,
    StreamingTitleFactory,
    UserFactory,
    WatchlistEntryFactory,
)
from tests.recommender_state import fresh_recommender_state  # noqa: F401 - autouse: empties the recommender's caches

pytestmark = pytest.mark.django_db

EARLIER = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
LATER = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)


def rate(user: Any, movie: Movie, score: float, at: dt.datetime) -> Rating:
    rating = RatingFactory(user=user, movie=movie, score=score)
    Rating.objects.filter(pk=rating.pk).update(created_at=at, updated_at=at)
    return rating


# --- The service -------------------------------------------------------------------


def test_it_moves_every_row_of_the_duplicate_to_the_film_kept_and_deletes_it() -> None:
    keep, duplicate = MovieFactory(title="Heat"), MovieFactory(title="Heat (copy)")
    drama, thriller = GenreFactory(name="Drama"), GenreFactory(name="Thriller")
    keep.genres.set([drama])
    duplicate.genres.set([drama, thriller])
    duplicate.keywords.set([KeywordFactory()])
    duplicate.companies.set([CompanyFactory()])
    duplicate.countries.set([CountryFactory()])
    actor = PersonFactory(name="Al Pacino")
    CastCreditFactory(movie=duplicate, person=actor, character="Vincent Hanna")
    KnowledgeFactFactory(movie=duplicate, relation="film.actor", entity="m.01")
    title = StreamingTitleFactory(movie=duplicate)
    MovieLensLink.objects.create(movielens_id=6, movie=duplicate)
    user = UserFactory()
    rate(user, duplicate, 4.5, EARLIER)
    WatchlistEntryFactory(user=UserFactory(), movie=duplicate)
    DismissalFactory(user=UserFactory(), movie=duplicate)
    DatasetRatingFactory(movie=duplicate, rater_id=7, score=3.0)

    kept = film_merge(keep=keep, duplicate=duplicate)

    assert not Movie.objects.filter(pk=duplicate.pk).exists()
    assert set(kept.genres.values_list("name", flat=True)) == {"Drama", "Thriller"}
    assert (kept.keywords.count(), kept.companies.count(), kept.countries.count()) == (1, 1, 1)
    assert Credit.objects.get(person=actor).movie_id == keep.pk
    assert KnowledgeFact.objects.get().movie_id == keep.pk
    assert StreamingTitle.objects.get(pk=title.pk).movie_id == keep.pk
    assert MovieLensLink.objects.get(movielens_id=6).movie_id == keep.pk
    assert Rating.objects.get(user=user).movie_id == keep.pk
    assert WatchlistEntry.objects.get().movie_id == keep.pk
    assert Dismissal.objects.get().movie_id == keep.pk
    moved = DatasetRating.objects.get()
    assert (moved.movie_id, moved.rater_id, moved.score) == (keep.pk, 7, 3.0)
    # The key packs the film: the moved row is found by it, as a re-import of the dataset would.
    assert DatasetRating.objects.filter(pk=DatasetRating.keyed(source=1, rater_id=7, movie=keep).pk).exists()
    # The genres, companies, countries, keywords and credits it gained stay as the merge left them.
    assert {"genres", "keywords", "companies", "countries", "credits"} <= set(kept.curated_fields)


def test_a_user_who_rated_both_films_keeps_the_later_rating_and_the_figures_follow() -> None:
    keep, duplicate = MovieFactory(), MovieFactory()
    changed_mind, kept_first, only_duplicate = UserFactory(), UserFactory(), UserFactory()
    rate(changed_mind, keep, 2.0, EARLIER)
    rate(changed_mind, duplicate, 5.0, LATER)  # the later one wins
    rate(kept_first, keep, 1.0, LATER)
    rate(kept_first, duplicate, 3.0, EARLIER)
    rate(only_duplicate, duplicate, 4.0, EARLIER)

    kept = film_merge(keep=keep, duplicate=duplicate)

    scores = dict(Rating.objects.filter(movie=kept).values_list("user_id", "score"))
    assert scores == {changed_mind.pk: 5.0, kept_first.pk: 1.0, only_duplicate.pk: 4.0}
    assert Rating.objects.get(user=changed_mind).updated_at == LATER
    assert (kept.ratings_count, kept.ratings_average) == (3, pytest.approx(10 / 3, abs=1e-4))
    # The figures are what a full recount gives.
    assert movie_rating_stats_refresh() == 0


def test_a_dataset_rater_who_rated_both_films_keeps_the_later_rating() -> None:
    keep, duplicate = MovieFactory(), MovieFactory()
    DatasetRatingFactory(movie=keep, rater_id=1, score=2.0, rated_at=100)
    DatasetRatingFactory(movie=duplicate, rater_id=1, score=5.0, rated_at=200)  # later: wins
    DatasetRatingFactory(movie=keep, rater_id=2, score=1.0, rated_at=300)  # later: stays
    DatasetRatingFactory(movie=duplicate, rater_id=2, score=4.0, rated_at=50)
    DatasetRatingFactory(movie=duplicate, rater_id=3, score=3.0, rated_at=50)
    movie_rating_stats_refresh()

    kept = film_merge(keep=keep, duplicate=duplicate)

    scores = dict(DatasetRating.objects.values_list("rater_id", "score"))
    assert scores == {1: 5.0, 2: 1.0, 3: 3.0}
    assert set(DatasetRating.objects.values_list("movie_id", flat=True)) == {kept.pk}
    assert (kept.dataset_ratings_count, kept.dataset_ratings_total) == (3, 9.0)
    assert (kept.ratings_count, kept.ratings_average) == (3, 3.0)
    assert movie_rating_stats_refresh() == 0


def test_watchlists_and_not_interested_stay_once_per_user() -> None:
    keep, duplicate = MovieFactory(), MovieFactory()
    both, rated = UserFactory(), UserFactory()
    WatchlistEntryFactory(user=both, movie=keep)
    WatchlistEntryFactory(user=both, movie=duplicate)
    DismissalFactory(user=both, movie=keep)
    DismissalFactory(user=both, movie=duplicate)
    rate(rated, keep, 4.0, EARLIER)
    DismissalFactory(user=rated, movie=duplicate)  # rating a film undoes "not interested"

    film_merge(keep=keep, duplicate=duplicate)

    assert list(WatchlistEntry.objects.values_list("user_id", "movie_id")) == [(both.pk, keep.pk)]
    assert list(Dismissal.objects.values_list("user_id", "movie_id")) == [(both.pk, keep.pk)]


def test_repeated_credits_and_facts_are_dropped_and_people_are_recounted() -> None:
    keep, duplicate = MovieFactory(), MovieFactory()
    director = PersonFactory()
    CrewCreditFactory(movie=keep, person=director)
    CrewCreditFactory(movie=duplicate, person=director)  # the same role: a repeat
    KnowledgeFactFactory(movie=keep, relation="film.director", entity="m.02")
    KnowledgeFactFactory(movie=duplicate, relation="film.director", entity="m.02")
    Person.objects.filter(pk=director.pk).update(films_count=2)

    film_merge(keep=keep, duplicate=duplicate)

    assert Credit.objects.filter(person=director).count() == 1
    assert KnowledgeFact.objects.count() == 1
    assert Person.objects.get(pk=director.pk).films_count == 1


def test_the_film_kept_takes_the_duplicates_ids_where_it_has_none_and_aliases_the_others() -> None:
    keep = MovieFactory(tmdb_id=949, imdb_id="", movielens_id=6, ml100k_id=None)
    duplicate = MovieFactory(tmdb_id=950, imdb_id="tt0113277", movielens_id=None, ml100k_id=81)

    kept = film_merge(keep=keep, duplicate=duplicate)

    assert (kept.tmdb_id, kept.imdb_id, kept.movielens_id, kept.ml100k_id) == (949, "tt0113277", 6, 81)
    alias = MovieAlias.objects.get()
    assert (alias.merged_movie_id, alias.movie_id, alias.tmdb_id) == (duplicate.pk, keep.pk, 950)
    assert (alias.movielens_id, alias.ml100k_id, alias.imdb_id) == (None, None, "")


def test_a_users_ratings_file_naming_the_duplicates_ids_rates_the_film_kept() -> None:
    keep = MovieFactory(tmdb_id=949, imdb_id="tt0113277", title="Heat")
    duplicate = MovieFactory(tmdb_id=950, imdb_id="tt9999999", title="Heat (copy)")
    film_merge(keep=keep, duplicate=duplicate)
    user = UserFactory()

    report = ratings_import(user=user, data=b"tmdb_id,rating\n950,4\n")
    by_imdb = ratings_import(user=UserFactory(), data=b"imdb_id,rating\ntt9999999,3\n")

    assert (report.created, report.unmatched, by_imdb.created, by_imdb.unmatched) == (1, [], 1, [])
    assert set(Rating.objects.values_list("movie_id", flat=True)) == {keep.pk}


def test_a_film_merged_again_brings_its_aliases_along() -> None:
    first, second, third = MovieFactory(), MovieFactory(), MovieFactory()
    film_merge(keep=second, duplicate=first)

    film_merge(keep=third, duplicate=second)

    assert set(MovieAlias.objects.values_list("merged_movie_id", "movie_id")) == {
        (first.pk, third.pk),
        (second.pk, third.pk),
    }


def test_the_curators_fixes_of_the_film_kept_win() -> None:
    keep = MovieFactory(overview="", tagline="", runtime=None, curated_fields=["overview", "genres"])
    duplicate = MovieFactory(overview="From the copy.", tagline="A tagline.", runtime=170, is_hidden=True)
    keep.genres.set([GenreFactory(name="Crime")])
    duplicate.genres.set([GenreFactory(name="Drama")])

    kept = film_merge(keep=keep, duplicate=duplicate)

    assert (kept.overview, kept.tagline, kept.runtime) == ("", "A tagline.", 170)
    assert list(kept.genres.values_list("name", flat=True)) == ["Crime"]
    assert {"overview", "genres", "tagline", "runtime"} <= set(kept.curated_fields)
    assert kept.is_hidden  # a film a curator hid stays out of recommendations


def test_the_film_kept_is_the_one_with_a_tmdb_id_else_the_more_rated_else_the_older_record() -> None:
    older, newer = MovieFactory.build(pk=1, tmdb_id=None), MovieFactory.build(pk=2, tmdb_id=None)
    with_tmdb = MovieFactory.build(pk=3, tmdb_id=603, ratings_count=0)
    more_rated = MovieFactory.build(pk=4, tmdb_id=None, ratings_count=9)

    assert film_merge_order(newer, with_tmdb) == (with_tmdb, newer)
    assert film_merge_order(with_tmdb, more_rated) == (with_tmdb, more_rated)
    assert film_merge_order(older, more_rated) == (more_rated, older)
    assert film_merge_order(newer, older) == (older, newer)


def test_a_film_cannot_be_merged_into_itself() -> None:
    film = MovieFactory()
    with pytest.raises(ValueError, match="itself"):
        film_merge(keep=film, duplicate=film)


# --- Pages and recommendations after a merge -----------------------------------------------


def test_the_duplicates_old_page_redirects_for_good_to_the_film_kept(client: Client) -> None:
    keep, duplicate = MovieFactory(title="Heat"), MovieFactory(title="Heat (copy)")
    old_page = reverse("movie-detail", args=[duplicate.pk])

    film_merge(keep=keep, duplicate=duplicate)

    response = client.get(old_page)
    assert response.status_code == 301
    assert response["Location"] == reverse("movie-detail", args=[keep.pk])
    assert client.get(reverse("movie-detail", args=[999999])).status_code == 404


def test_the_film_kept_shows_what_it_took_at_once_though_its_page_was_cached(client: Client) -> None:
    keep, duplicate = MovieFactory(title="Heat"), MovieFactory(title="Heat (copy)")
    CastCreditFactory(movie=duplicate, person=PersonFactory(name="Val Kilmer"), character="Chris Shiherlis")
    page = reverse("movie-detail", args=[keep.pk])
    assert "Val Kilmer" not in client.get(page).content.decode()

    film_merge(keep=keep, duplicate=duplicate)

    assert "Val Kilmer" in client.get(page).content.decode()


def test_recommendations_drop_the_merged_film_while_the_snapshot_still_holds_it(client: Client) -> None:
    user = UserFactory()
    keep, duplicate = MovieFactory(title="Heat", popularity=90), MovieFactory(title="Heat (copy)", popularity=95)
    for index in range(4):
        MovieFactory(title=f"Other {index}", popularity=50 - index)
    rate(user, duplicate, 5.0, EARLIER)
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200  # the catalog snapshot now holds both films

    film_merge(keep=keep, duplicate=duplicate)

    response = client.get(reverse("home"))
    assert response.status_code == 200
    shown = {card.movie.pk for card in response.context["for_you"]}
    assert shown and not {keep.pk, duplicate.pk} & shown  # gone, and rated (through the duplicate)
    assert duplicate.pk not in {item.movie_id for item in recommendations_for_user(user=user, limit=10)}
    assert duplicate.pk not in {item.movie_id for item in similar_movies(movie_id=keep.pk, limit=10)}
    moved = client.get(reverse("api-film-similar", args=[duplicate.pk]))
    assert (moved.status_code, moved["Location"]) == (301, reverse("api-film-similar", args=[keep.pk]))


# --- The admin action --------------------------------------------------------------------


def merge_in_admin(client: Client, *films: Movie) -> Any:
    return client.post(
        reverse("admin:catalog_movie_changelist"),
        {"action": "merge_films", "_selected_action": [film.pk for film in films]},
        follow=True,
    )


def test_the_admin_keeps_the_film_with_a_tmdb_id_and_says_so(staff_client: Client) -> None:
    from_movielens = MovieFactory(title="Heat", tmdb_id=None, ratings_count=40)
    from_tmdb = MovieFactory(title="Heat", tmdb_id=949, ratings_count=3)

    response = merge_in_admin(staff_client, from_movielens, from_tmdb)

    assert list(Movie.objects.values_list("pk", flat=True)) == [from_tmdb.pk]
    message = next(str(m) for m in response.context["messages"])
    assert f"(id {from_movielens.pk}) merged into" in message and f"(id {from_tmdb.pk}), which was kept" in message
    deletion, change = LogEntry.objects.get(action_flag=DELETION), LogEntry.objects.get(action_flag=CHANGE)
    assert deletion.object_id == str(from_movielens.pk)
    assert change.object_id == str(from_tmdb.pk)
    assert f"(id {from_movielens.pk}) into this film" in change.get_change_message()


def test_between_two_films_with_tmdb_ids_the_admin_keeps_the_more_rated(staff_client: Client) -> None:
    less, more = MovieFactory(ratings_count=2), MovieFactory(ratings_count=9)

    merge_in_admin(staff_client, less, more)

    assert list(Movie.objects.values_list("pk", flat=True)) == [more.pk]


def test_the_admin_merges_exactly_two_films(staff_client: Client) -> None:
    films = [MovieFactory() for _ in range(3)]

    response = merge_in_admin(staff_client, *films)

    assert Movie.objects.count() == 3
    assert "Select exactly two films to merge." in response.content.decode()


def test_merging_films_needs_the_permission_to_delete_them(client: Client) -> None:
    curator = UserFactory(is_staff=True)
    curator.user_permissions.set(Permission.objects.filter(codename__in=["view_movie", "change_movie"]))
    client.force_login(curator)
    keep, duplicate = MovieFactory(), MovieFactory()

    merge_in_admin(client, keep, duplicate)

    assert Movie.objects.count() == 2


# --- Imports after a merge ---------------------------------------------------------------


def file_counts(run: ImportRun) -> dict[str, tuple[int, int, int]]:
    return {
        entry["format"]: (entry["inserted"], entry["updated"], entry["rejected"])
        for entry in run.files
        if "inserted" in entry
    }


def films_and_everything_on_them() -> list[object]:
    return [
        sorted(Movie.objects.values_list("pk", "tmdb_id", "movielens_id", "ml100k_id", "title", "overview")),
        sorted(Credit.objects.values_list("movie_id", "person_id", "character", "job")),
        sorted(MovieLensLink.objects.values_list("movielens_id", "movie_id")),
        sorted(DatasetRating.objects.values_list("pk", "movie_id", "score")),
        sorted(Movie.genres.through.objects.values_list("movie_id", "genre_id")),
    ]


def test_reimporting_the_movies_dataset_after_merging_two_tmdb_films_changes_nothing(tmp_path: Path) -> None:
    metadata = [
        fx.METADATA_HEADER,
        fx.metadata_row(id="9000001", imdb_id="tt9000001", title="Plain Film"),
        fx.metadata_row(
            id="9000002", imdb_id="tt9000002", title="Plain Film", genres="[{'id': 53, 'name': 'Thriller'}]"
        ),
    ]
    fx.write_text(tmp_path / "tmd" / "movies_metadata.csv", "\n".join(metadata) + "\n")
    cast = "'character': 'Hero', 'gender': 2, 'id': 31, 'name': 'Tom Hanks', 'order': 0, 'profile_path': None"
    extra = "'character': 'Sidekick', 'gender': 2, 'id': 32, 'name': 'Tim Allen', 'order': 1, 'profile_path': None"
    credits = [
        fx.CREDITS_HEADER,
        f"\"[{{'cast_id': 1, 'credit_id': 'a1', {cast}}}]\",[],9000001",
        f"\"[{{'cast_id': 1, 'credit_id': 'b1', {cast}}}, {{'cast_id': 2, 'credit_id': 'b2', {extra}}}]\",[],9000002",
    ]
    fx.write_text(tmp_path / "tmd" / "credits.csv", "\n".join(credits) + "\n")
    fx.write_text(tmp_path / "tmd" / "links.csv", "movieId,imdbId,tmdbId\n1,9000001,9000001\n2,9000002,9000002\n")
    ratings = "userId,movieId,rating,timestamp\n1,1,4.0,1000\n1,2,2.0,2000\n2,2,5.0,1500\n"
    fx.write_text(tmp_path / "tmd" / "ratings.csv", ratings)
    catalog_import(paths=[tmp_path / "tmd"])
    keep, duplicate = Movie.objects.get(tmdb_id=9000001), Movie.objects.get(tmdb_id=9000002)

    film_merge(keep=keep, duplicate=duplicate)
    before = films_and_everything_on_them()
    again = catalog_import(paths=[tmp_path / "tmd"])

    assert again.status == ImportRun.Status.SUCCEEDED
    # Rater 1's two lines are now two ratings of one film: the importer keeps the latest, as the merge did,
    # and reports the other.
    assert file_counts(again) == {
        "movies_metadata": (0, 0, 0),
        "links": (0, 0, 0),
        "credits": (0, 0, 0),
        "ratings": (0, 0, 1),
    }
    assert "the latest rating is kept" in str(again.rejects_by_reason)
    assert films_and_everything_on_them() == before
    assert list(Movie.objects.values_list("tmdb_id", "movielens_id")) == [(9000001, 1)]
    # Rater 1 rated both copies: the later rating (2.0) stayed.
    assert sorted(DatasetRating.objects.values_list("rater_id", "score")) == [(1, 2.0), (2, 5.0)]
    assert sorted(Credit.objects.values_list("character", flat=True)) == ["Hero", "Sidekick"]


def test_reimporting_movielens_100k_after_a_merge_creates_no_second_film(tmp_path: Path) -> None:
    metadata = [
        fx.METADATA_HEADER,
        fx.metadata_row(id="201", title="Hamlet", release_date="1996-12-25"),
        fx.metadata_row(id="202", title="Hamlet", release_date="1996-01-01"),
    ]
    fx.write_text(tmp_path / "tmd" / "movies_metadata.csv", "\n".join(metadata) + "\n")
    flags = "|".join("1" if index == 8 else "0" for index in range(19))
    fx.write_text(tmp_path / "ml-100k" / "u.item", f"1|Hamlet (1996)|01-Jan-1996||http://x|{flags}\n")
    fx.write_text(tmp_path / "ml-100k" / "u.data", "1\t1\t5\t881250949\n")
    catalog_import(paths=[tmp_path / "tmd"])
    catalog_import(paths=[tmp_path / "ml-100k"])
    # Two TMDB films could be it: the MovieLens film stays its own, for a curator to merge.
    from_movielens = Movie.objects.get(ml100k_id=1)
    assert from_movielens.tmdb_id is None
    keep = Movie.objects.get(tmdb_id=201)

    film_merge(keep=keep, duplicate=from_movielens)
    before = films_and_everything_on_them()
    again = catalog_import(paths=[tmp_path / "ml-100k"])

    assert all(counts == (0, 0, 0) for counts in file_counts(again).values()), file_counts(again)
    assert films_and_everything_on_them() == before
    assert Movie.objects.get(ml100k_id=1).pk == keep.pk
    assert DatasetRating.objects.get().movie_id == keep.pk


def test_a_merged_films_own_movielens_100k_id_still_finds_the_film_kept(tmp_path: Path) -> None:
    flags = "|".join("1" if index == 8 else "0" for index in range(19))
    items = f"1|Heat (1995)|01-Jan-1995||http://x|{flags}\n2|Heat (1995)|01-Jan-1995||http://x|{flags}\n"
    fx.write_text(tmp_path / "ml-100k" / "u.item", items)
    fx.write_text(tmp_path / "ml-100k" / "u.data", "1\t1\t5\t881250949\n2\t2\t3\t881250950\n")
    catalog_import(paths=[tmp_path / "ml-100k"])
    keep, duplicate = Movie.objects.get(ml100k_id=1), Movie.objects.get(ml100k_id=2)

    film_merge(keep=keep, duplicate=duplicate)
    before = films_and_everything_on_them()
    again = catalog_import(paths=[tmp_path / "ml-100k"])

    assert all(counts == (0, 0, 0) for counts in file_counts(again).values()), file_counts(again)
    assert films_and_everything_on_them() == before
    assert Movie.objects.count() == 1
    assert MovieAlias.objects.get().ml100k_id == 2
    assert sorted(DatasetRating.objects.values_list("rater_id", "movie_id")) == [(1, keep.pk), (2, keep.pk)]


def test_reimporting_the_knowledge_graph_after_a_merge_keeps_the_merged_films_facts(tmp_path: Path) -> None:
    demo = tmp_path / "ml-100k"
    fx.write_text(
        demo / "ml-100k.item",
        "item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq\n"
        "1\tHeat\t1995\tAction\n2\tHeat\t1995\tCrime\n",
    )
    fx.write_text(demo / "ml-100k.link", "item_id:token\tentity_id:token\n1\tm.heat\n2\tm.heat2\n")
    fx.write_text(
        demo / "ml-100k.kg",
        "head_id:token\trelation_id:token\ttail_id:token\n"
        "m.heat\tfilm.film.director\tm.mann\nm.heat2\tfilm.film.actor\tm.deniro\n",
    )
    catalog_import(paths=[demo])
    keep, duplicate = Movie.objects.get(ml100k_id=1), Movie.objects.get(ml100k_id=2)

    film_merge(keep=keep, duplicate=duplicate)
    again = catalog_import(paths=[demo])

    assert all(counts == (0, 0, 0) for counts in file_counts(again).values()), file_counts(again)
    assert sorted(KnowledgeFact.objects.values_list("movie_id", "entity")) == [
        (keep.pk, "m.deniro"),
        (keep.pk, "m.mann"),
    ]
    assert Movie.objects.count() == 1
