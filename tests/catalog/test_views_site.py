"""The catalog pages: home, browse/search, film and person pages."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse

from catalog.models import Movie
from recommender.services import collaborative_retrain
from tests.factories import (
    CastCreditFactory,
    CollectionFactory,
    CrewCreditFactory,
    DatasetRatingFactory,
    GenreFactory,
    KeywordFactory,
    ModelVersionFactory,
    MovieFactory,
    PersonFactory,
    PlatformFactory,
    ProfileFactory,
    RatingFactory,
    StaffUserFactory,
    StreamingTitleFactory,
    UserFactory,
)
from tests.recommender_state import fresh_recommender_state  # noqa: F401 - autouse: empties the recommender's caches

pytestmark = pytest.mark.django_db


def titles_in(response, key: str = "rows") -> list[str]:
    return [movie.title for movie, *_score_and_original in response.context[key]]


# --- Browse and search ---------------------------------------------------------


def test_search_finds_an_accented_title_without_accents_or_case(client):
    MovieFactory(title="Amélie", release_date=dt.date(2001, 4, 25))
    MovieFactory(title="Heat")

    response = client.get(reverse("movie-list"), {"q": "AMELIE"})

    assert titles_in(response) == ["Amélie"]
    assert "Amélie" in response.content.decode()


def test_the_search_box_lists_the_film_of_that_title_first_and_can_still_sort_by_popularity(client):
    MovieFactory(title="The Godfather", popularity=90)
    MovieFactory(title="Her", popularity=10)
    MovieFactory(title="Hercules", popularity=50)

    best_match = client.get(reverse("movie-list"), {"q": "her"})
    by_popularity = client.get(reverse("movie-list"), {"q": "her", "sort": "popularity"})

    assert titles_in(best_match) == ["Her", "The Godfather", "Hercules"]
    assert titles_in(by_popularity) == ["The Godfather", "Hercules", "Her"]
    page = best_match.content.decode()
    assert page.index('<option value="relevance">Best match</option>') < page.index('<option value="popularity">')


def test_a_search_that_finds_nothing_suggests_close_titles(client):
    amelie = MovieFactory(title="Amélie")

    response = client.get(reverse("movie-list"), {"q": "amelei"})

    assert titles_in(response) == []
    assert response.context["suggestions"] == [amelie]
    assert "Did you mean:" in response.content.decode()


@pytest.mark.parametrize("query", ["%", "_", "'", "¿", "...", "—", "🎬"])
def test_a_search_of_punctuation_alone_finds_nothing_instead_of_failing(client, query):
    MovieFactory(title="Heat")

    response = client.get(reverse("movie-list"), {"q": query})

    assert response.status_code == 200
    assert titles_in(response) == []


def test_a_search_lists_the_films_it_names_first_then_every_match_by_popularity(client):
    MovieFactory(title="A Clockwork Orange", popularity=90)
    MovieFactory(title="Ransom", popularity=50)
    MovieFactory(title="Ran", popularity=5)
    MovieFactory(title="The Godfather: Part II", popularity=80)
    MovieFactory(title="The Godfather", popularity=70)
    MovieFactory(title="Il padrino", original_title="Godfather", popularity=1)
    MovieFactory(title="Mob Godfathers", popularity=100)

    assert titles_in(client.get(reverse("movie-list"), {"q": "ran"})) == ["Ran", "A Clockwork Orange", "Ransom"]
    assert titles_in(client.get(reverse("movie-list"), {"q": "godfather"})) == [
        "The Godfather",
        "Il padrino",
        "Mob Godfathers",
        "The Godfather: Part II",
    ]


def test_the_films_a_search_names_open_the_first_page_and_the_rest_follow_page_by_page(client):
    for index in range(25):
        MovieFactory(title=f"Heat wave {index:02d}", popularity=100 - index)
    MovieFactory(title="Heat", popularity=1)

    first = titles_in(client.get(reverse("movie-list"), {"q": "heat"}))
    second = titles_in(client.get(reverse("movie-list"), {"q": "heat", "page": 2}))

    assert first[0] == "Heat" and len(first) + len(second) == 26
    assert first[1:] + second == [f"Heat wave {index:02d}" for index in range(25)]


def test_a_search_sorted_by_title_or_year_keeps_that_order(client):
    MovieFactory(title="Ransom", release_year=1996)
    MovieFactory(title="Ran", release_year=1985)
    MovieFactory(title="A Clockwork Orange", release_year=1971)

    by_title = client.get(reverse("movie-list"), {"q": "ran", "sort": "title"})
    oldest_first = client.get(reverse("movie-list"), {"q": "ran", "sort": "-year"})

    assert titles_in(by_title) == ["A Clockwork Orange", "Ran", "Ransom"]
    assert titles_in(oldest_first) == ["A Clockwork Orange", "Ran", "Ransom"]


@pytest.mark.parametrize("field", ["genre", "language", "sort"])
def test_a_filter_value_the_form_refuses_is_named_next_to_its_field(client, field):
    """An old link's genre or language: the page was titled "Error:" and the select marked invalid,
    pointing (aria-describedby) at a message the page never drew."""
    MovieFactory(title="Heat", genres=[GenreFactory(name="Crime")], original_language="en")

    page = client.get(reverse("movie-list"), {field: "nope"}).content.decode()

    assert f'id="id_{field}_error"' in page
    assert "Select a valid choice. nope is not one of the available choices." in page


def test_films_sharing_a_title_are_told_apart_by_year(client):
    MovieFactory(title="Solaris", release_date=dt.date(1972, 3, 20))
    MovieFactory(title="Solaris", release_date=dt.date(2002, 11, 27))

    response = client.get(reverse("movie-list"), {"q": "solaris", "sort": "-year"})

    html = response.content.decode()
    assert titles_in(response) == ["Solaris", "Solaris"]
    assert html.index("1972") < html.index("2002")


def test_it_filters_by_genre_year_range_language_and_platform(client):
    drama = GenreFactory(name="Drama")
    comedy = GenreFactory(name="Comedy")
    netflix = PlatformFactory(slug="netflix")
    wanted = MovieFactory(title="Wanted", genres=[drama], release_date=dt.date(1995, 1, 1), original_language="fr")
    StreamingTitleFactory(platform=netflix, movie=wanted, title="Wanted")
    MovieFactory(title="Wrong genre", genres=[comedy], release_date=dt.date(1995, 1, 1), original_language="fr")
    MovieFactory(title="Too old", genres=[drama], release_date=dt.date(1980, 1, 1), original_language="fr")
    MovieFactory(title="Wrong language", genres=[drama], release_date=dt.date(1995, 1, 1), original_language="en")
    MovieFactory(title="Not streaming", genres=[drama], release_date=dt.date(1995, 1, 1), original_language="fr")

    response = client.get(
        reverse("movie-list"),
        {"genre": "Drama", "year_from": 1990, "year_to": 2000, "language": "fr", "platform": "netflix"},
    )

    assert titles_in(response) == ["Wanted"]


def test_it_sorts_by_rating_and_by_year(client):
    MovieFactory(title="Middle", vote_average=7, vote_count=100, release_date=dt.date(1990, 1, 1))
    MovieFactory(title="Best", vote_average=9, vote_count=100, release_date=dt.date(1970, 1, 1))
    MovieFactory(title="Worst", vote_average=3, vote_count=100, release_date=dt.date(2010, 1, 1))

    by_rating = client.get(reverse("movie-list"), {"sort": "weighted"})
    by_year = client.get(reverse("movie-list"), {"sort": "year"})

    assert titles_in(by_rating) == ["Best", "Middle", "Worst"]
    assert titles_in(by_year) == ["Worst", "Middle", "Best"]


def test_the_rating_sort_weighs_the_number_of_ratings_when_there_are_no_tmdb_votes(client):
    MovieFactory(title="One perfect rating", ratings_count=1, ratings_average=5.0)
    MovieFactory(title="Loved by many", ratings_count=500, ratings_average=4.4)
    MovieFactory(title="Disliked by many", ratings_count=500, ratings_average=2.0)

    response = client.get(reverse("movie-list"), {"sort": "weighted"})

    assert titles_in(response) == ["Loved by many", "One perfect rating", "Disliked by many"]


def test_it_paginates_and_keeps_the_filters_in_the_page_links(client):
    for index in range(30):
        MovieFactory(title=f"Paged {index:02d}", popularity=100 - index)

    first = client.get(reverse("movie-list"), {"q": "paged"})
    second = client.get(reverse("movie-list"), {"q": "paged", "page": 2})

    assert len(first.context["rows"]) == 24
    assert titles_in(second) == [f"Paged {index:02d}" for index in range(24, 30)]
    assert "?q=paged&amp;page=2" in first.content.decode()


def test_an_inverted_year_range_shows_an_error_instead_of_failing(client):
    MovieFactory(title="Anything")

    response = client.get(reverse("movie-list"), {"year_from": 2000, "year_to": 1990})

    assert response.status_code == 200
    assert "must not be after" in response.content.decode()


def test_the_list_page_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    genres = [GenreFactory(name=f"G{index}") for index in range(3)]
    user = UserFactory()
    for _index in range(24):
        movie = MovieFactory(genres=genres)
        RatingFactory(user=user, movie=movie, score=4)
    client.force_login(user)
    client.get(reverse("movie-list"))  # warm the facet cache and the session
    caches["template_fragments"].clear()

    # session, user, count, page, genres of the cards to draw, the user's scores (facets are cached)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("movie-list"))
    assert len(response.context["rows"]) == 24
    # Every card is kept now: no genres to load.
    with django_assert_max_num_queries(5):
        again = client.get(reverse("movie-list"))
    first_title = titles_in(response)[0]
    assert card_of(again.content.decode(), first_title) == card_of(response.content.decode(), first_title)


# --- Film page -------------------------------------------------------------------


def film_with_everything():
    drama = GenreFactory(name="Drama")
    movie = MovieFactory(
        title="Heat",
        release_date=dt.date(1995, 12, 15),
        runtime=170,
        budget=60_000_000,
        revenue=187_436_818,
        return_ratio=187_436_818 / 60_000_000,
        vote_average=7.7,
        vote_count=1886,
        collection=CollectionFactory(name="Heat Collection"),
        genres=[drama],
        keywords=[KeywordFactory(name="robbery"), KeywordFactory(name="los angeles")],
    )
    director = PersonFactory(name="Michael Mann")
    CrewCreditFactory(movie=movie, person=director)
    for index in range(15):
        CastCreditFactory(movie=movie, person=PersonFactory(name=f"Actor {index:02d}"), order=index)
    StreamingTitleFactory(platform=PlatformFactory(slug="netflix"), movie=movie, title="Heat")
    StreamingTitleFactory(platform=PlatformFactory(slug="hulu"), movie=movie, title="Heat")
    return movie, director


def test_the_film_page_shows_facts_people_keywords_and_platforms(client):
    movie, director = film_with_everything()

    html = client.get(reverse("movie-detail", args=[movie.pk])).content.decode()

    for text in (
        "Heat",
        "1995",
        "170 min",
        "Drama",
        "Heat Collection",
        "$60,000,000",
        "$187,436,818",
        "3.12",
        "7.7/10",
        "1,886 votes",
        "robbery",
        "los angeles",
        "Netflix",
        "Hulu",
    ):
        assert text in html, text
    assert f'href="{reverse("person-detail", args=[director.pk])}"' in html
    # Top-billed cast only: twelve of the fifteen.
    assert "Actor 11" in html and "Actor 12" not in html


@override_settings(TMDB_IMAGE_BASE_URL="")
def test_the_film_page_uses_the_local_placeholder_without_an_image_host(client):
    movie = MovieFactory(title="No poster", poster_path="/abc.jpg")

    html = client.get(reverse("movie-detail", args=[movie.pk])).content.decode()

    assert "img/poster-placeholder.svg" in html
    assert 'alt="Poster of No poster"' in html


@override_settings(TMDB_IMAGE_BASE_URL="https://image.tmdb.org/t/p/w342")
def test_the_film_page_uses_the_tmdb_poster_when_both_are_present(client):
    movie = MovieFactory(title="With poster", poster_path="/abc.jpg")

    html = client.get(reverse("movie-detail", args=[movie.pk])).content.decode()

    assert 'src="https://image.tmdb.org/t/p/w342/abc.jpg"' in html


def test_the_film_page_shows_the_signed_in_users_rating_and_watchlist_state(client):
    movie = MovieFactory()
    user = UserFactory()
    RatingFactory(user=user, movie=movie, score=3.5)
    client.force_login(user)

    html = client.get(reverse("movie-detail", args=[movie.pk])).content.decode()

    assert 'value="3.5" checked' in html
    assert "Add to watchlist" in html and "Not interested" in html


def test_an_unknown_film_is_a_404(client):
    assert client.get(reverse("movie-detail", args=[999999])).status_code == 404


def test_the_film_page_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    movie, _director = film_with_everything()
    user = UserFactory()
    client.force_login(user)
    client.get(reverse("movie-detail", args=[movie.pk]))  # load the recommender snapshot once

    # session, user, film, genres, keywords, cast, directors, platforms, similar, rating, watchlist, dismissal
    with django_assert_max_num_queries(12):
        client.get(reverse("movie-detail", args=[movie.pk]))
    # More credits must not mean more queries.
    for index in range(15, 40):
        CastCreditFactory(movie=movie, person=PersonFactory(name=f"Actor {index:02d}"), order=index)
    with django_assert_max_num_queries(12):
        client.get(reverse("movie-detail", args=[movie.pk]))


# --- Person page ---------------------------------------------------------------


def test_the_person_page_lists_films_roles_and_return_figures(client):
    person = PersonFactory(name="Kevin Costner")
    hit = MovieFactory(title="Hit", budget=10, revenue=50, return_ratio=5.0, release_date=dt.date(1990, 1, 1))
    flop = MovieFactory(title="Flop", budget=10, revenue=5, return_ratio=0.5, release_date=dt.date(1995, 1, 1))
    unknown = MovieFactory(title="Unknown budget", release_date=dt.date(2000, 1, 1))
    CastCreditFactory(person=person, movie=hit, character="John Dunbar")
    CrewCreditFactory(person=person, movie=hit)  # he directed it too: the film counts once
    CastCreditFactory(person=person, movie=flop, character="The Mariner")
    CastCreditFactory(person=person, movie=unknown, character="Someone")

    response = client.get(reverse("person-detail", args=[person.pk]))

    detail = response.context["detail"]
    assert detail.film_count == 3
    assert detail.total_return == pytest.approx(5.5)
    assert detail.average_return == pytest.approx(5.5 / 3)
    assert [film.movie.title for film in detail.films] == ["Unknown budget", "Flop", "Hit"]
    assert detail.films[2].roles == ["John Dunbar", "Director"]
    html = response.content.decode()
    assert "5.50\u00d7" in html and "1.83\u00d7" in html


# --- Home ------------------------------------------------------------------------


def test_home_for_a_visitor_shows_popular_and_top_rated_rows(client):
    MovieFactory(title="Most popular", popularity=99)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "Most popular" in [movie.title for movie in response.context["popular_now"]]
    assert "for_you" not in response.context


def test_home_for_you_has_reasons_and_never_a_film_the_user_rated(client):
    user = UserFactory()
    seen = MovieFactory(title="Seen it", popularity=100)
    for index in range(6):
        MovieFactory(title=f"Candidate {index}", popularity=50 - index)
    RatingFactory(user=user, movie=seen, score=5)
    client.force_login(user)

    response = client.get(reverse("home"))

    cards = response.context["for_you"]
    assert cards
    assert "Seen it" not in [card.movie.title for card in cards]
    assert all(card.reason for card in cards)


def test_home_shows_what_is_new_on_the_users_platforms(client):
    user = UserFactory()
    netflix = PlatformFactory(slug="netflix")
    hulu = PlatformFactory(slug="hulu")
    ProfileFactory(user=user).platforms.set([netflix])
    older = MovieFactory(title="Older on Netflix")
    newer = MovieFactory(title="Newer on Netflix")
    elsewhere = MovieFactory(title="Only on Hulu")
    StreamingTitleFactory(platform=netflix, movie=older, date_added=dt.date(2021, 1, 1))
    StreamingTitleFactory(platform=netflix, movie=newer, date_added=dt.date(2021, 6, 1))
    StreamingTitleFactory(platform=hulu, movie=elsewhere, date_added=dt.date(2021, 9, 1))
    client.force_login(user)

    response = client.get(reverse("home"))

    assert [item.movie.title for item in response.context["new_on_platforms"]] == [
        "Newer on Netflix",
        "Older on Netflix",
    ]
    assert "On Netflix since 1 Jun 2021" in response.content.decode()

    # Spanish writes months in lower case and in full: not 'desde el 1 Jun 2021'.
    client.post(reverse("set_language"), {"language": "es"})
    spanish = client.get(reverse("home"))
    assert "En Netflix desde el 1 de junio de 2021" in spanish.content.decode()


def test_home_shows_staff_the_active_models_and_the_admin_link(client):
    client.force_login(StaffUserFactory())

    html = client.get(reverse("home")).content.decode()

    assert "Active models" in html
    assert reverse("admin:index") in html


def test_home_names_the_active_models_and_dates_their_activation_in_the_users_language(client):
    ModelVersionFactory(
        kind="collaborative", status="active", activated_at=dt.datetime(2026, 12, 1, 11, 32, tzinfo=dt.UTC)
    )
    client.force_login(StaffUserFactory())

    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert "colaborativo (SVD)</strong>" in html
    assert "2026-12-01T11:32" not in html and "01/12/2026 11:32" in html


def test_home_tells_staff_which_active_model_this_process_does_not_serve(client):
    film = MovieFactory()
    for rater in range(1, 4):
        DatasetRatingFactory(rater_id=rater, movie=film, score=4.0)
    collaborative_retrain()
    ModelVersionFactory(kind="content", status="active", artifact_path="/nonexistent/content.npz", checksum="0" * 64)
    client.force_login(StaffUserFactory())

    html = client.get(reverse("home")).content.decode()

    assert html.count("not served by this process") == 1
    assert "content similarity</strong> v" in html.split("not served by this process")[0].rsplit("<li>", 1)[1]


@pytest.mark.parametrize("staff", [False, True])
def test_the_signed_in_home_has_one_level_one_heading(client, staff):
    client.force_login(StaffUserFactory() if staff else UserFactory())

    html = client.get(reverse("home")).content.decode()

    assert html.count("<h1") == 1


def test_home_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    genres = [GenreFactory(name=f"G{index}") for index in range(3)]
    netflix = PlatformFactory(slug="netflix")
    user = UserFactory()
    ProfileFactory(user=user).platforms.set([netflix])
    for index in range(30):
        movie = MovieFactory(genres=genres, popularity=index, vote_count=100 + index, vote_average=6)
        StreamingTitleFactory(platform=netflix, movie=movie, date_added=dt.date(2021, 1, 1) + dt.timedelta(days=index))
    for rated in Movie.objects.all()[:3]:
        RatingFactory(user=user, movie=rated, score=4)
    client.force_login(user)
    client.get(reverse("home"))  # load the recommender snapshot once

    # Constant in the number of films: session, user, history (2), for you (3), rating count,
    # platforms, new on platforms (2), popular now (2), top rated (3).
    with django_assert_max_num_queries(16):
        response = client.get(reverse("home"))
    assert len(response.context["popular_now"]) == 12
    assert len(response.context["new_on_platforms"]) == 12


class AssetCollector(HTMLParser):
    """Every URL a page makes the browser load: stylesheets, scripts, images, icons."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in {"script", "img"} and values.get("src"):
            self.urls.append(values["src"])
        if tag == "link" and values.get("href"):
            self.urls.append(values["href"])


def test_every_asset_of_the_pages_is_served_by_the_app(client):
    movie, director = film_with_everything()
    client.force_login(UserFactory())
    urls: list[str] = []
    for page in (
        reverse("home"),
        reverse("movie-list"),
        reverse("movie-detail", args=[movie.pk]),
        reverse("person-detail", args=[director.pk]),
        reverse("onboarding"),
        reverse("my-ratings"),
        reverse("watchlist"),
    ):
        collector = AssetCollector()
        collector.feed(client.get(page).content.decode())
        urls.extend(collector.urls)

    assert urls
    assert [url for url in urls if not url.startswith("/")] == []


def test_the_header_switches_a_visitors_language_and_sends_a_signed_in_user_to_the_profile(client):
    visitor = client.get(reverse("home")).content.decode()
    client.force_login(UserFactory())
    member = client.get(reverse("home")).content.decode()

    assert f'action="{reverse("set_language")}"' in visitor
    assert f'action="{reverse("set_language")}"' not in member
    assert f'class="lang" href="{reverse("profile")}"' in member


def header(html: str) -> str:
    return html[html.index("<header") : html.index("</header>")]


def test_the_header_shows_each_kind_of_visitor_their_links_in_their_language(client):
    """The header's links are a cached fragment per language and kind of visitor; its forms are drawn each time."""
    visitor = header(client.get(reverse("home")).content.decode())
    client.force_login(UserFactory())
    member = header(client.get(reverse("home")).content.decode())
    member_again = header(client.get(reverse("home")).content.decode())
    client.force_login(StaffUserFactory())
    staff = header(client.get(reverse("home")).content.decode())
    client.logout()
    spanish = header(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es").content.decode())

    assert reverse("login") in visitor and reverse("my-ratings") not in visitor
    assert reverse("my-ratings") in member and reverse("login") not in member
    assert reverse("admin:index") not in member and reverse("admin:index") in staff
    assert f'action="{reverse("logout")}"' in member and f'action="{reverse("logout")}"' not in visitor
    assert "Browse" in visitor and "Browse" not in spanish

    def csrf(html: str) -> str:
        return html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]

    # A fresh token per response (Django masks it anew), so no visitor gets another's from a cache.
    assert csrf(member) != csrf(member_again)


def similar_row(html: str) -> str:
    start = html.index('id="similar"')
    return html[start : html.index("</section>", start)]


def test_the_similar_row_is_drawn_once_and_still_drops_a_film_hidden_since(client):
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from recommender import services

    drama = GenreFactory(name="Drama")
    source = MovieFactory(title="Source", genres=[drama])
    twins = [MovieFactory(title=f"Twin {n}", genres=[drama]) for n in range(3)]
    services.content_index_rebuild()
    url = reverse("movie-detail", args=[source.pk])
    first = client.get(url).content.decode()
    assert all(twin.title in first for twin in twins)

    # Drawn again after the fragments are emptied, then served from them: the
    # film's row and the hidden-film check still run, nothing else.
    caches["template_fragments"].clear()  # in each process's memory, whatever the mode
    with CaptureQueriesContext(connection) as drawing:
        drawn = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as reusing:
        again = client.get(url).content.decode()
    assert similar_row(again) == similar_row(drawn) == similar_row(first)
    assert len(drawing) > 2
    assert len(reusing) == 2

    twins[0].is_hidden = True
    twins[0].save()
    after = client.get(url).content.decode()
    assert twins[0].title not in after
    assert twins[1].title in after


def test_the_film_facts_are_drawn_once_per_edit(client, django_assert_max_num_queries):
    movie, director = film_with_everything()
    url = reverse("movie-detail", args=[movie.pk])
    first = client.get(url).content.decode()
    assert director.name in first

    # Served again: the film's own row and the similar films' hidden check,
    # nothing about genres, credits, keywords or platforms.
    with django_assert_max_num_queries(2):
        again = client.get(url).content.decode()
    assert director.name in again and movie.title in again

    movie.title = "A New Title"
    movie.save()
    assert "A New Title" in client.get(url).content.decode()


# --- Cached fragments of the browse page ---------------------------------------------


def card_of(html: str, title: str) -> str:
    """The <li class="card"> holding this title."""
    end = html.index(f'<span class="card-title">{title}</span>')
    start = html.rindex('<li class="card">', 0, end)
    return html[start : html.index("</li>", end) + len("</li>")]


def test_a_card_link_is_named_by_the_title_alone(client):
    MovieFactory(title="Heat")

    card = card_of(client.get(reverse("movie-list")).content.decode(), "Heat")

    assert '<img class="poster"' in card and 'alt=""' in card and "Poster of" not in card


def test_a_card_is_drawn_once_per_film_edit_and_language_and_keeps_each_user_s_score(client):
    caches["template_fragments"].clear()
    drama = GenreFactory(name="Drama")
    movie = MovieFactory(
        title="Cached Card", genres=[drama, GenreFactory(name="Comedy")], release_date=dt.date(1999, 1, 1)
    )
    url = reverse("movie-list")
    first = card_of(client.get(url).content.decode(), "Cached Card")
    assert "1999 · Comedy, Drama" in first and "Your rating" not in first

    # The same card is kept: a genre renamed without an edit of the film waits for the TTL.
    drama.name = "Renamed"
    drama.save()
    assert "Drama" in card_of(client.get(url).content.decode(), "Cached Card")

    # An edit of the film draws it again, at once.
    movie.title = "Edited Card"
    movie.save()
    edited = card_of(client.get(url).content.decode(), "Edited Card")
    assert "Renamed" in edited

    # Per language, and the viewer's own score is never part of what is kept.
    spanish = card_of(client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode(), "Edited Card")
    assert "Comedia" in spanish and "Comedy" in edited
    for score in (2.5, 4.0):
        user = UserFactory()
        RatingFactory(user=user, movie=movie, score=score)
        client.force_login(user)
        card = card_of(client.get(url).content.decode(), "Edited Card")
        assert f"Your rating: {score:g} ★" in card
        client.logout()


def test_the_filter_form_is_drawn_per_values_sent_and_choices_offered(client):
    from django.core.cache import cache

    from catalog.selectors import FACETS_CACHE_KEY

    caches["template_fragments"].clear()
    cache.delete(FACETS_CACHE_KEY)
    GenreFactory(name="Drama")
    GenreFactory(name="Comedy")
    MovieFactory(title="Anything")
    url = reverse("movie-list")

    drama = client.get(url, {"genre": "Drama"}).content.decode()
    comedy = client.get(url, {"genre": "Comedy"}).content.decode()
    assert '<option value="Drama" selected>' in drama and '<option value="Comedy" selected>' not in drama
    assert '<option value="Comedy" selected>' in comedy
    assert "must not be after" in client.get(url, {"year_from": 2000, "year_to": 1990}).content.decode()
    assert 'value="heat"' in client.get(url, {"q": "heat"}).content.decode()

    # A genre imported since shows once the facets are read again.
    GenreFactory(name="Western")
    cache.delete(FACETS_CACHE_KEY)
    assert '<option value="Western">' in client.get(url, {"genre": "Drama"}).content.decode()
    spanish = client.get(url, {"genre": "Drama"}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Aplicar filtros" in spanish


def test_an_unknown_page_is_a_translated_404_with_the_site_navigation(client):
    english = client.get(reverse("movie-detail", args=[999999]))
    spanish = client.get(reverse("movie-detail", args=[999999]), HTTP_ACCEPT_LANGUAGE="es")

    assert english.status_code == 404 and spanish.status_code == 404
    assert "<h1>Page not found</h1>" in english.content.decode()
    html = spanish.content.decode()
    assert "<h1>Página no encontrada</h1>" in html
    assert f'href="{reverse("movie-list")}"' in html and 'class="site-header"' in html


def test_a_non_staff_user_gets_a_translated_403_page(client):
    client.force_login(UserFactory())

    response = client.get(reverse("insights"), HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>Acceso denegado</h1>" in html and 'class="site-header"' in html


def test_the_500_page_renders_without_a_request_context_or_the_database(rf, django_assert_num_queries):
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("es"), django_assert_num_queries(0):
        response = server_error(rf.get("/films/1/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="es">' in html and "Algo ha fallado" in html and 'href="/"' in html


def test_an_expired_form_gets_the_site_s_own_page_in_the_reader_s_language():
    # A film page left open overnight: its rating form posts a stale CSRF token.
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(UserFactory())
    movie = MovieFactory()

    response = client.post(reverse("film-rate", args=[movie.pk]), {"score": "4"})

    html = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="es">' in html and 'class="site-header"' in html
    assert "<h1>Este formulario ha caducado</h1>" in html
    assert "DEBUG" not in html


def test_an_expired_form_under_the_api_answers_json(rf):
    from moviesite.api import csrf_failure

    response = csrf_failure(rf.post("/api/v1/anything/"), reason="CSRF cookie not set.")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"


def test_the_400_page_is_the_site_s_and_translated(rf):
    from django.core.exceptions import SuspiciousOperation
    from django.utils import translation

    from moviesite.api import bad_request

    with translation.override("es"):
        response = bad_request(rf.get("/films/"), SuspiciousOperation("bad"))

    html = response.content.decode()
    assert response.status_code == 400
    assert '<html lang="es">' in html and "<h1>Solicitud incorrecta</h1>" in html


def test_genre_names_are_translated_where_shown_and_kept_as_filter_values(client):
    caches["default"].clear()  # the browse facets of earlier tests
    movie = MovieFactory(title="Paths of Glory", genres=[GenreFactory(name="War"), GenreFactory(name="Sci-Fi")])

    film = client.get(reverse("movie-detail", args=[movie.pk]), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    browse = client.get(reverse("movie-list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    english = client.get(reverse("movie-list")).content.decode()

    assert '?genre=War">Bélica</a>' in film and ">Ciencia ficción</a>" in film
    assert '<option value="War">Bélica</option>' in browse
    assert "Bélica, Ciencia ficción" in browse or "Ciencia ficción, Bélica" in browse
    assert '<option value="War">War</option>' in english
    assert client.get(reverse("movie-list"), {"genre": "War"}).context["page"].paginator.count == 1


def test_a_genre_name_no_catalog_knows_is_shown_as_stored():
    from django.utils import translation

    from catalog.genres import genre_label

    with translation.override("es"):
        assert genre_label("Mockumentary") == "Mockumentary"
        assert genre_label("Children's") == "Infantil"


def test_original_languages_are_shown_by_name_and_filtered_by_code(client):
    caches["default"].clear()  # the browse facets of earlier tests
    french = MovieFactory(title="Amélie", original_language="fr")
    MovieFactory(title="Chungking Express", original_language="cn")

    film = client.get(reverse("movie-detail", args=[french.pk]), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    browse = client.get(reverse("movie-list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert "<li>Francés</li>" in film
    assert '<option value="fr">Francés</option>' in browse and '<option value="cn">Cantonés</option>' in browse
    assert [movie.title for movie in client.get(reverse("movie-list"), {"language": "fr"}).context["page"]] == [
        "Amélie"
    ]


def test_a_search_over_200_characters_shows_its_error_and_no_film(client):
    MovieFactory(title="Heat")

    response = client.get(reverse("movie-list"), {"q": "x" * 201})

    assert response.context["form"].errors["q"]
    assert response.context["rows"] == [] and "Heat" not in response.content.decode()


def test_a_person_with_no_known_budget_shows_no_return_figures(client):
    person = PersonFactory()
    CastCreditFactory(person=person, movie=MovieFactory(budget=0, revenue=0))

    html = client.get(reverse("person-detail", args=[person.pk])).content.decode()

    assert "0.00" not in html
    assert "<dt>Total return</dt><dd>—</dd>" in html and "<dt>Average return</dt><dd>—</dd>" in html


def test_a_person_with_no_films_gets_a_sentence_not_an_empty_table(client):
    person = PersonFactory()

    html = client.get(reverse("person-detail", args=[person.pk]), HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert "<table" not in html
    assert "No hay películas de esta persona en el catálogo." in html


def test_a_spanish_film_page_marks_the_catalogs_english_text_as_english(client):
    movie = MovieFactory(tagline="Big heat.", overview="Cops and robbers in Los Angeles.", keywords=[KeywordFactory()])

    html = client.get(reverse("movie-detail", args=[movie.pk]), HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert '<html lang="es">' in html
    assert '<p class="tagline" lang="en">Big heat.</p>' in html
    assert '<p class="overview" lang="en">Cops and robbers in Los Angeles.</p>' in html
    assert '<ul class="inline-list tags" lang="en">' in html


def test_the_header_offers_each_other_language_as_a_button_named_in_it(client):
    english = client.get(reverse("movie-list")).content.decode()
    spanish = client.get(reverse("movie-list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert '<button type="submit" name="language" value="es" lang="es" class="lang">Español</button>' in english
    assert '<button type="submit" name="language" value="en" lang="en" class="lang">English</button>' in spanish
    assert "<select" not in english.split("</header>")[0]


@pytest.mark.parametrize(
    ("language", "attribute"), [("es", ' lang="es"'), ("cn", ' lang="yue"'), ("xx", ' lang="zxx"'), ("", "")]
)
def test_the_original_title_is_marked_with_the_film_s_language(client, language, attribute):
    # WCAG 3.1.2: on an English page a screen reader read "El laberinto del fauno" with English sounds.
    movie = MovieFactory(title="Pan's Labyrinth", original_title="El laberinto del fauno", original_language=language)

    html = client.get(reverse("movie-detail", args=[movie.pk])).content.decode()

    assert f'<p class="muted"{attribute}>El laberinto del fauno</p>' in html


@pytest.mark.parametrize(("query", "language"), [("acción", "es"), ("accion", "es"), ("Action", "en")])
def test_a_genre_typed_into_the_search_offers_its_filter(client, query, language):
    caches["default"].clear()  # the browse facets of earlier tests
    MovieFactory(title="Heat", genres=[GenreFactory(name="Action")])

    response = client.get(reverse("movie-list"), {"q": query}, HTTP_ACCEPT_LANGUAGE=language)

    label = "Ver las películas del género Acción" if language == "es" else "See the films in the genre Action"
    assert f'<a href="{reverse("movie-list")}?genre=Action">{label}</a>' in response.content.decode()


def test_a_title_search_offers_no_genre(client):
    MovieFactory(title="Heat", genres=[GenreFactory(name="Action")])

    response = client.get(reverse("movie-list"), {"q": "heat"})

    assert response.context["searched_genres"] == []
