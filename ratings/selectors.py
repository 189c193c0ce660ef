"""Read paths over a user's ratings, watchlist and dismissals, for the pages and the CSV export."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from catalog.models import Movie
from catalog.selectors import NAME_MATCHES_LIMIT, NAME_PART_MIN_LENGTH, films_titled_like
from catalog.text import spreadsheet_safe
from moviesite.sql import RowsBy
from ratings.models import (
    MAX_KEY_RATER_ID,
    MAX_KEY_SOURCE,
    DatasetRating,
    Dismissal,
    Rating,
    WatchlistEntry,
    dataset_rating_key,
)

EXPORT_HEADER = ("title", "year", "imdb_id", "tmdb_id", "rating", "rated_at")


@dataclass(frozen=True)
class ExportDialect:
    """How the ratings CSV is written for one language's spreadsheets; the importer reads each back."""

    header: tuple[str, ...]
    delimiter: str
    decimal_separator: str
    # Excel reads a CSV without a UTF-8 byte order mark in the system's code page (Amélie -> AmÃ©lie).
    byte_order_mark: bool


EXPORT_DIALECTS = {
    "en": ExportDialect(header=EXPORT_HEADER, delimiter=",", decimal_separator=".", byte_order_mark=False),
    # Excel set to Spanish splits columns on ";" (its list separator) and reads 4,5 as a number; the
    # headers are the Spanish names the importer accepts (ratings.importers.COLUMN_ALIASES).
    "es": ExportDialect(
        header=("título", "año", "imdb_id", "tmdb_id", "valoración", "fecha"),
        delimiter=";",
        decimal_separator=",",
        byte_order_mark=True,
    ),
}


@dataclass(frozen=True)
class MovieUserState:
    """What one user has done with one film: the rating widget and buttons show it."""

    score: float | None = None
    on_watchlist: bool = False
    dismissed: bool = False


def movie_user_state(*, user: User | AnonymousUser, movie: Movie) -> MovieUserState:
    if not user.is_authenticated:
        return MovieUserState()
    score = Rating.objects.filter(user=user, movie=movie).values_list("score", flat=True).first()
    return MovieUserState(
        score=score,
        on_watchlist=WatchlistEntry.objects.filter(user=user, movie=movie).exists(),
        dismissed=Dismissal.objects.filter(user=user, movie=movie).exists(),
    )


_OWN_RATING_WITH_FILM = RowsBy(Rating, "pk", "user", related="movie")


def own_rating_get(*, user: User, pk: int) -> Rating | None:
    """The user's rating with this id, its film loaded; None if there is none or it is someone else's."""
    ratings: list[Rating] = _OWN_RATING_WITH_FILM.fetch(pk, user.pk)
    return ratings[0] if ratings else None


def rating_scores_for_movies(*, user: User | AnonymousUser, movie_ids: Collection[int]) -> dict[int, float]:
    """The user's score of each of these films they rated (one query)."""
    if not user.is_authenticated or not movie_ids:
        return {}
    return dict(Rating.objects.filter(user=user, movie_id__in=list(movie_ids)).values_list("movie_id", "score"))


def rated_movie_ids(*, user: User) -> set[int]:
    return set(Rating.objects.filter(user=user).values_list("movie_id", flat=True))


def user_rating_count(*, user: User) -> int:
    return Rating.objects.filter(user=user).count()


def user_ratings(*, user: User, order: str = "recent") -> QuerySet[Rating]:
    """The user's ratings with their films, newest change first (or by score / title)."""
    orderings = {
        "recent": ("-updated_at", "-id"),
        "score": ("-score", "movie__title_search", "id"),
        "title": ("movie__title_search", "movie__release_year", "id"),
    }
    return Rating.objects.filter(user=user).select_related("movie").order_by(*orderings.get(order, orderings["recent"]))


def user_watchlist(*, user: User) -> QuerySet[WatchlistEntry]:
    return WatchlistEntry.objects.filter(user=user).select_related("movie").order_by("-added_at", "-id")


def ratings_export_rows(*, user: User, dialect: ExportDialect) -> Iterator[tuple[object, ...]]:
    """CSV rows of the user's ratings, header first, for the dialect; the importer reads each dialect back."""
    yield dialect.header
    ratings = (
        Rating.objects.filter(user=user)
        .order_by("movie__title_search", "movie__release_year", "id")
        .values_list("movie__title", "movie__release_year", "movie__imdb_id", "movie__tmdb_id", "score", "updated_at")
    )
    for title, year, imdb_id, tmdb_id, score, updated_at in ratings.iterator(chunk_size=2000):
        # Read in a spreadsheet: a title from an imported catalog must not run there (the importer undoes it),
        # nor an IMDb id a curator typed in the admin (the field takes any text).
        yield (
            spreadsheet_safe(title),
            year or "",
            spreadsheet_safe(imdb_id) or "",
            tmdb_id or "",
            f"{score:g}".replace(".", dialect.decimal_separator),
            updated_at.isoformat(timespec="seconds"),
        )


# A dataset rating's key is its (source, rater, film) packed in that order, so one source's
# ratings, or one rater's, are one range of the primary key: its index serves them, where a
# filter on the source or rater_id column read the whole table (tens of millions of rows).


def dataset_ratings_of_source(*, ratings: QuerySet[DatasetRating], source: int) -> QuerySet[DatasetRating]:
    if not 0 <= source <= MAX_KEY_SOURCE:
        return ratings.none()
    return ratings.filter(pk__gte=dataset_rating_key(source, 0, 0), pk__lt=dataset_rating_key(source + 1, 0, 0))


def dataset_ratings_of_rater(*, ratings: QuerySet[DatasetRating], rater_id: int) -> QuerySet[DatasetRating]:
    """Every source's ratings by this rater id (each source numbers its raters afresh: each rater 1 is another)."""
    if not 0 <= rater_id <= MAX_KEY_RATER_ID:
        return ratings.none()
    ranges = Q()
    for source in DatasetRating.Source:
        ranges |= Q(
            pk__gte=dataset_rating_key(int(source), rater_id, 0),
            pk__lt=dataset_rating_key(int(source), rater_id + 1, 0),
        )
    return ratings.filter(ranges)


def rows_of_user_or_film_named(*, rows: QuerySet[Any], name: str) -> QuerySet[Any]:
    """Ratings, watchlist entries or dismissals of the users whose username holds `name` (all of it under three
    characters) or of the films titled like it (catalog.selectors.films_titled_like).

    The users and films are looked up first, then the rows through their user and film indexes: icontains on
    the username and the title across the join read every row.
    """
    term = name.strip()
    users = get_user_model().objects.all()
    users = users.filter(username__icontains=term) if len(term) >= NAME_PART_MIN_LENGTH else users.filter(username=term)
    user_ids = list(users.order_by("id").values_list("id", flat=True)[:NAME_MATCHES_LIMIT])
    movie_ids = list(films_titled_like(name).values_list("id", flat=True))
    return rows.filter(Q(user_id__in=user_ids) | Q(movie_id__in=movie_ids))
