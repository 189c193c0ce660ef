"""Rating, watchlist, 'not interested', onboarding, my ratings and the CSV round trip, through the pages."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import Profile
from ratings.models import Dismissal, Rating, WatchlistEntry
from ratings.views import WATCHLIST_PAGE_SIZE
from tests.factories import (
    DismissalFactory,
    GenreFactory,
    MovieFactory,
    RatingFactory,
    UserFactory,
    WatchlistEntryFactory,
)

pytestmark = pytest.mark.django_db


def login_next(url: str) -> str:
    """The `next` of a redirect to the login page."""
    parts = urlsplit(url)
    assert parts.path == reverse("login")
    return parse_qs(parts.query)["next"][0]


@pytest.fixture
def user(client: Client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_it_rates_a_film_with_a_plain_form_and_goes_back(client, user):
    movie = MovieFactory()

    response = client.post(reverse("film-rate", args=[movie.pk]), {"score": "3.5", "next": "/films/"})

    assert response.status_code == 302 and response.url == "/films/"
    assert Rating.objects.get(user=user, movie=movie).score == 3.5


def test_it_changes_a_rating_and_returns_the_fragment_to_fetch(client, user):
    movie = MovieFactory()
    RatingFactory(user=user, movie=movie, score=2)

    response = client.post(reverse("film-rate", args=[movie.pk]), {"score": "4.5"}, HTTP_X_FRAGMENT="1")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<div class="movie-actions" id="actions-{movie.pk}"')
    assert 'value="4.5" checked' in html and "<html" not in html
    assert Rating.objects.get(user=user, movie=movie).score == 4.5


@pytest.mark.parametrize("score", ["0", "5.5", "3.7", "abc", ""])
def test_it_refuses_a_score_that_is_not_a_half_star_step(client, user, score):
    movie = MovieFactory()

    response = client.post(reverse("film-rate", args=[movie.pk]), {"score": score}, HTTP_X_FRAGMENT="1")

    assert response.status_code == 400
    assert not Rating.objects.filter(user=user).exists()


def test_a_refused_score_is_explained_with_the_spanish_decimal_comma(client, user):
    movie = MovieFactory()

    response = client.post(
        reverse("film-rate", args=[movie.pk]), {"score": "7"}, HTTP_ACCEPT_LANGUAGE="es", follow=True
    )

    assert "Elige una valoración de 0,5 a 5 estrellas." in response.content.decode()


def test_clearing_a_rating_deletes_it(client, user):
    movie = MovieFactory()
    RatingFactory(user=user, movie=movie, score=2)

    client.post(reverse("film-rate", args=[movie.pk]), {"clear": "1"})

    assert not Rating.objects.filter(user=user, movie=movie).exists()


def test_rating_needs_a_signed_in_user_and_a_post(client):
    movie = MovieFactory()

    anonymous = client.post(reverse("film-rate", args=[movie.pk]), {"score": "4"})
    client.force_login(UserFactory())
    put = client.put(reverse("film-rate", args=[movie.pk]))

    assert anonymous.status_code == 302 and reverse("login") in anonymous.url
    assert put.status_code == 405
    assert not Rating.objects.exists()


@pytest.mark.parametrize("name", ["film-rate", "film-watchlist", "film-not-interested"])
def test_a_signed_out_write_logs_in_and_comes_back_to_the_film_page(client, name):
    movie = MovieFactory()
    film_page = reverse("movie-detail", args=[movie.pk])

    response = client.post(reverse(name, args=[movie.pk]), {"score": "4"})

    assert response.status_code == 302
    assert login_next(response.url) == film_page


def test_a_signed_out_write_keeps_the_forms_own_safe_next(client):
    movie = MovieFactory()

    from_browse = client.post(reverse("film-rate", args=[movie.pk]), {"score": "4", "next": "/films/?q=heat"})
    from_elsewhere = client.post(reverse("film-rate", args=[movie.pk]), {"score": "4", "next": "https://evil.example/"})

    assert login_next(from_browse.url) == "/films/?q=heat"
    assert login_next(from_elsewhere.url) == reverse("movie-detail", args=[movie.pk])


@pytest.mark.parametrize("name", ["film-rate", "film-watchlist", "film-not-interested"])
def test_a_get_on_a_write_url_goes_to_the_film_page(client, name):
    movie = MovieFactory()
    client.force_login(UserFactory())

    response = client.get(reverse(name, args=[movie.pk]))

    assert response.status_code == 302 and response.url == reverse("movie-detail", args=[movie.pk])


def test_writes_need_the_csrf_token():
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(UserFactory())
    movie = MovieFactory()

    for name in ("film-rate", "film-watchlist", "film-not-interested"):
        assert csrf_client.post(reverse(name, args=[movie.pk]), {"score": "4"}).status_code == 403
    assert not Rating.objects.exists() and not WatchlistEntry.objects.exists()


def test_it_ignores_a_next_url_on_another_site(client, user):
    movie = MovieFactory()

    response = client.post(reverse("film-rate", args=[movie.pk]), {"score": "4", "next": "https://evil.example/"})

    assert response.url == reverse("movie-detail", args=[movie.pk])


def test_watchlist_add_and_remove(client, user):
    movie = MovieFactory(title="Later")

    client.post(reverse("film-watchlist", args=[movie.pk]), {"action": "add"})
    listed = client.get(reverse("watchlist")).content.decode()
    fragment = client.post(
        reverse("film-watchlist", args=[movie.pk]), {"action": "remove"}, HTTP_X_FRAGMENT="1"
    ).content.decode()

    assert "Later" in listed
    assert not WatchlistEntry.objects.filter(user=user).exists()
    assert "Add to watchlist" in fragment


def test_not_interested_hides_the_film_from_for_you_and_can_be_undone(client, user):
    wanted = MovieFactory(title="Wanted", popularity=10)
    dismissed = MovieFactory(title="Dismissed", popularity=20)

    client.post(reverse("film-not-interested", args=[dismissed.pk]), {"action": "add"})
    home = client.get(reverse("home"))
    client.post(reverse("film-not-interested", args=[dismissed.pk]), {"action": "remove"})

    titles = [card.movie.title for card in home.context["for_you"]]
    assert "Wanted" in titles and "Dismissed" not in titles
    assert not Dismissal.objects.filter(user=user).exists()
    assert wanted.pk


def test_rating_a_dismissed_film_undoes_not_interested(client, user):
    movie = MovieFactory()
    DismissalFactory(user=user, movie=movie)

    client.post(reverse("film-rate", args=[movie.pk]), {"score": "4"})

    assert not Dismissal.objects.filter(user=user, movie=movie).exists()


def test_my_ratings_lists_and_sorts_the_users_ratings_only(client, user):
    RatingFactory(user=user, movie=MovieFactory(title="Low"), score=1)
    RatingFactory(user=user, movie=MovieFactory(title="High"), score=5)
    RatingFactory(movie=MovieFactory(title="Someone else's"), score=3)

    response = client.get(reverse("my-ratings"), {"order": "score"})

    assert [rating.movie.title for rating in response.context["ratings"]] == ["High", "Low"]
    assert "Someone else" not in response.content.decode()


def test_my_ratings_makes_a_fixed_number_of_queries(client, user, django_assert_max_num_queries):
    for _index in range(20):
        RatingFactory(user=user)

    # session, user, count, page of ratings with their films
    with django_assert_max_num_queries(4):
        client.get(reverse("my-ratings"))


def test_my_ratings_are_paginated_and_the_sort_survives_paging(client, user):
    for index in range(55):
        RatingFactory(user=user, movie=MovieFactory(title=f"Film {index:02d}"), score=3)

    first = client.get(reverse("my-ratings"), {"order": "title"})
    second = client.get(reverse("my-ratings"), {"order": "title", "page": 2})

    assert len(first.context["ratings"]) == 50
    assert [rating.movie.title for rating in second.context["ratings"]] == [f"Film {i}" for i in range(50, 55)]
    assert "?order=title&amp;page=2" in first.content.decode()


def test_the_export_is_a_csv_the_import_reads_back(client, user):
    amelie = MovieFactory(title="Amélie", imdb_id="tt0211915", tmdb_id=194)
    heat = MovieFactory(title="Heat", imdb_id="tt0113277", tmdb_id=949)
    RatingFactory(user=user, movie=amelie, score=4.5)
    RatingFactory(user=user, movie=heat, score=3)

    response = client.get(reverse("ratings-export"))
    exported = b"".join(response.streaming_content)
    rows = list(csv.DictReader(io.StringIO(exported.decode())))
    Rating.objects.filter(user=user).delete()
    upload = SimpleUploadedFile("ratings.csv", exported, content_type="text/csv")
    report = client.post(reverse("ratings-import"), {"file": upload}).context["report"]

    assert response["Content-Type"].startswith("text/csv")
    assert [(row["title"], row["rating"]) for row in rows] == [("Amélie", "4.5"), ("Heat", "3")]
    assert report.created == 2 and report.unmatched == []
    assert dict(Rating.objects.filter(user=user).values_list("movie_id", "score")) == {amelie.pk: 4.5, heat.pk: 3.0}


# Titles a CSV must quote or protect in one dialect or the other.
AWKWARD_TITLES = ["Amélie", "Crouching Tiger, Hidden Dragon", "Tom; Jerry", 'The "Quoted" One', "=1+1"]


def _export(client: Client, **params: str) -> bytes:
    response = client.get(reverse("ratings-export"), params, HTTP_ACCEPT_LANGUAGE=params.pop("language", "en"))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("asked", "delimiter", "header", "score", "bom"),
    [
        ({"language": "es"}, ";", ["título", "año", "imdb_id", "tmdb_id", "valoración", "fecha"], "3,5", True),
        ({"language": "en"}, ",", ["title", "year", "imdb_id", "tmdb_id", "rating", "rated_at"], "3.5", False),
        (
            {"language": "es", "dialect": "en"},
            ",",
            ["title", "year", "imdb_id", "tmdb_id", "rating", "rated_at"],
            "3.5",
            False,
        ),
        (
            {"language": "en", "dialect": "es"},
            ";",
            ["título", "año", "imdb_id", "tmdb_id", "valoración", "fecha"],
            "3,5",
            True,
        ),
    ],
)
def test_the_export_follows_the_language_or_the_dialect_asked(client, user, asked, delimiter, header, score, bom):
    RatingFactory(user=user, movie=MovieFactory(title="Heat"), score=3.5)

    exported = _export(client, **asked)
    text = exported.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=delimiter))

    assert text.startswith("\ufeff") is bom
    assert rows[0] == header
    assert rows[1][0] == "Heat" and rows[1][4] == score


@pytest.mark.parametrize("asked", [{"language": "es"}, {"language": "en"}, {"dialect": "es"}, {"dialect": "en"}])
def test_each_dialect_of_the_export_reads_back_unchanged(client, user, asked):
    films = [MovieFactory(title=title, release_year=2000 + index) for index, title in enumerate(AWKWARD_TITLES)]
    scores = {film.pk: score for film, score in zip(films, [4.5, 3, 0.5, 5, 2.5], strict=True)}
    for movie_id, score in scores.items():
        RatingFactory(user=user, movie_id=movie_id, score=score)
    exported = _export(client, **asked)
    Rating.objects.filter(user=user).delete()

    upload = SimpleUploadedFile("ratings.csv", exported, content_type="text/csv")
    report = client.post(reverse("ratings-import"), {"file": upload}).context["report"]

    assert (report.created, report.unmatched) == (len(films), [])
    assert dict(Rating.objects.filter(user=user).values_list("movie_id", "score")) == scores


def test_the_import_page_reports_rows_it_could_not_match(client, user):
    MovieFactory(title="Heat")
    data = b"title,year,rating\nHeat,2000,4\nNo Such Film,1999,3\nHeat,2000,7\n"

    response = client.post(reverse("ratings-import"), {"file": SimpleUploadedFile("r.csv", data)})

    html = response.content.decode()
    assert response.context["report"].created == 1
    assert "No Such Film (1999)" in html and "no film with this title" in html
    assert "the rating must be 0.5 to 5" in html


def test_the_import_page_explains_an_unreadable_file(client, user):
    response = client.post(reverse("ratings-import"), {"file": SimpleUploadedFile("r.csv", b"foo,bar\n1,2\n")})

    assert response.status_code == 400
    assert "needs a" in response.content.decode()


def test_onboarding_offers_well_known_films_from_several_genres(client, user):
    genres = [GenreFactory(name=name) for name in ("Drama", "Comedy", "Horror", "Western")]
    for genre in genres:
        for index in range(10):
            MovieFactory(title=f"{genre.name} {index}", genres=[genre], ratings_count=1000 - index)
    MovieFactory(title="Obscure", genres=[genres[0]], ratings_count=0)

    response = client.get(reverse("onboarding"))

    films = [movie for movie, _state in response.context["films"]]
    first_eight_genres = {movie.genres.all()[0].name for movie in films[:8]}
    assert len(films) == 24
    assert first_eight_genres == {"Drama", "Comedy", "Horror", "Western"}
    assert "Obscure" not in [movie.title for movie in films]


def test_finishing_or_skipping_onboarding_is_remembered_and_goes_home(client, user):
    response = client.post(reverse("onboarding"), {"skip": "1"})

    assert response.url == reverse("home")
    assert Profile.objects.get(user=user).onboarded_at is not None


def test_onboarding_done_again_keeps_the_first_time(client, user):
    client.post(reverse("onboarding"), {"skip": "1"})
    first = Profile.objects.get(user=user).onboarded_at

    client.post(reverse("onboarding"), {"skip": "1"})

    assert first is not None
    assert Profile.objects.get(user=user).onboarded_at == first


def test_a_new_users_for_you_reacts_to_onboarding_ratings(client, user):
    films = [MovieFactory(title=f"Film {index}", popularity=100 - index) for index in range(10)]
    before = [card.movie.pk for card in client.get(reverse("home")).context["for_you"]]

    for movie in films[:5]:
        client.post(reverse("film-rate", args=[movie.pk]), {"score": "4"}, HTTP_X_FRAGMENT="1")
    after = [card.movie.pk for card in client.get(reverse("home")).context["for_you"]]

    assert set(before) & {movie.pk for movie in films[:5]}
    assert not set(after) & {movie.pk for movie in films[:5]}


def test_the_watchlist_page_shows_the_users_entries(client, user):
    WatchlistEntryFactory(user=user, movie=MovieFactory(title="Mine"))
    WatchlistEntryFactory(movie=MovieFactory(title="Theirs"))

    html = client.get(reverse("watchlist")).content.decode()

    assert "Mine" in html and "Theirs" not in html


def test_the_watchlist_page_lists_a_page_of_entries_newest_first_and_the_rest_on_the_next(client, user):
    """A watchlist has no limit: drawing every entry took 0.6 s for 500 films."""
    entries = [WatchlistEntryFactory(user=user) for _ in range(WATCHLIST_PAGE_SIZE + 2)]
    newest_first = [entry.pk for entry in reversed(entries)]

    first = client.get(reverse("watchlist"))
    second = client.get(reverse("watchlist"), {"page": 2})

    listed = [entry.pk for entry, _score in first.context["rows"]] + [entry.pk for entry, _ in second.context["rows"]]
    assert len(first.context["rows"]) == WATCHLIST_PAGE_SIZE
    assert listed == newest_first
    assert "?page=2" in first.content.decode()


def test_a_half_star_rating_is_shown_with_the_languages_decimal_mark_and_posted_with_a_point(client, user):
    movie = MovieFactory()
    RatingFactory(user=user, movie=movie, score=3.5)

    spanish = client.get(reverse("movie-detail", args=[movie.pk]), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    english = client.get(reverse("movie-detail", args=[movie.pk])).content.decode()

    assert "Valorada con 3,5" in spanish and "0,5 de 5" in spanish
    assert 'value="3.5" checked' in spanish and 'value="1.5"' in spanish
    assert "Rated 3.5" in english and "0.5 out of 5" in english


def test_the_watchlist_and_not_interested_buttons_say_their_state_once_in_the_label(client, user):
    movie = MovieFactory()
    WatchlistEntryFactory(user=user, movie=movie)

    html = client.get(reverse("movie-detail", args=[movie.pk])).content.decode()

    assert "Remove from watchlist" in html and "Not interested" in html
    assert "aria-pressed" not in html


@pytest.mark.parametrize(
    ("view", "action", "english", "spanish"),
    [
        ("film-watchlist", "add", "Added “Heat” to your watchlist.", "Se añadió «Heat» a Mi lista."),
        ("film-watchlist", "remove", "Removed “Heat” from your watchlist.", "Se quitó «Heat» de Mi lista."),
        ("film-not-interested", "add", "“Heat” will not be recommended to you.", "No te recomendaremos «Heat»."),
        (
            "film-not-interested",
            "remove",
            "“Heat” may be recommended to you again.",
            "Podremos volver a recomendarte «Heat».",
        ),
    ],
)
def test_a_watchlist_or_not_interested_press_says_what_it_did_with_or_without_javascript(
    client, user, view, action, english, spanish
):
    movie = MovieFactory(title="Heat")
    url = reverse(view, args=[movie.pk])

    fragment = client.post(url, {"action": action}, HTTP_X_FRAGMENT="1").content.decode()
    spanish_fragment = client.post(
        url, {"action": action}, HTTP_X_FRAGMENT="1", HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    plain = client.post(url, {"action": action, "next": "/films/"}, follow=True)

    assert f'data-announce="{english}"' in fragment
    assert f'data-announce="{spanish}"' in spanish_fragment
    assert [str(message) for message in plain.context["messages"]] == [english]


def test_the_import_page_s_example_is_a_file_a_spanish_reader_writes_and_the_import_reads(client, user):
    movie = MovieFactory(title="Amélie", release_year=2001)
    page = client.get(reverse("ratings-import"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    example = page.split('<pre class="example">')[1].split("</pre>")[0]
    assert example.startswith("título;año;valoración\nAmélie;2001;4,5")

    client.post(
        reverse("ratings-import"),
        {"file": SimpleUploadedFile("mis-notas.csv", example.split("\nimdb_id")[0].encode())},
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assert Rating.objects.get(user=user, movie=movie).score == 4.5


def test_a_page_opened_before_its_film_was_merged_rates_and_lists_the_film_kept(client, user):
    from catalog.services import film_merge

    keep, duplicate = MovieFactory(), MovieFactory()
    duplicate_pk = duplicate.pk
    film_merge(keep=keep, duplicate=duplicate)

    rated = client.post(reverse("film-rate", args=[duplicate_pk]), {"score": "4.5"}, HTTP_X_FRAGMENT="1")
    listed = client.post(reverse("film-watchlist", args=[duplicate_pk]), HTTP_X_FRAGMENT="1")
    dismissed = client.post(reverse("film-not-interested", args=[duplicate_pk]), HTTP_X_FRAGMENT="1")

    assert (rated.status_code, listed.status_code, dismissed.status_code) == (200, 200, 200)
    assert f'id="actions-{keep.pk}"' in rated.content.decode()
    assert Rating.objects.get(user=user).movie_id == keep.pk
    assert WatchlistEntry.objects.get(user=user).movie_id == keep.pk
    assert client.post(reverse("film-rate", args=[duplicate_pk + 1000]), {"score": "4.5"}).status_code == 404
