"""Write paths for a user's ratings, watchlist and dismissals."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Profile
from catalog.models import Movie
from catalog.services import movie_rating_figures_follow
from moviesite.sql import aware, prepared_statements, quoted_column, quoted_table
from ratings.importers import UnmatchedRow, match_ratings_rows, parse_ratings_csv
from ratings.models import ALLOWED_SCORES, Dismissal, Rating, RatingChange, WatchlistEntry


def score_validate(score: object) -> float:
    """A score as a float in 0.5..5.0 by halves, or a ValidationError saying why."""
    try:
        value = float(score)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise ValidationError({"score": _("A score must be a number.")}) from exc
    if value not in ALLOWED_SCORES:
        raise ValidationError({"score": _("A score must be between 0.5 and 5 in steps of 0.5.")})
    return value


def rating_set(*, user: User, movie: Movie, score: object) -> tuple[Rating, bool]:
    """Create or change the user's rating of a film; (the rating as stored, whether it is new).

    Rating a film undoes 'not interested'. One upsert, so two requests rating
    the same film at once cannot collide; an unchanged score keeps its
    `updated_at`. On PostgreSQL the 'not interested' is cleared and the
    RatingChange recorded by the same statement (one round trip, atomic by
    itself); SQLite, which allows no DELETE inside a WITH, runs the three in
    one transaction. The film's rating figures follow within a minute
    (catalog.services.movie_rating_figures_follow).
    """
    value = score_validate(score)
    now = timezone.now()
    if connection.vendor == "postgresql":
        row = _rating_upsert(user=user, movie=movie, score=value, now=now, clear_dismissal=True)
    else:
        with transaction.atomic():
            row = _rating_upsert(user=user, movie=movie, score=value, now=now, clear_dismissal=False)
            Dismissal.objects.filter(user=user, movie=movie).delete()
            _ratings_changed(movie_ids=[movie.pk])
    movie_rating_figures_follow()
    pk, stored_score, created_at, updated_at = row
    rating = Rating.from_db(
        connection.alias,
        ["id", "user_id", "movie_id", "score", "created_at", "updated_at"],
        [pk, user.pk, movie.pk, stored_score, aware(created_at), aware(updated_at)],
    )
    rating.user, rating.movie = user, movie
    # Only an inserted row carries this call's own timestamp as its creation time.
    return rating, rating.created_at == now


def _rating_upsert(
    *, user: User, movie: Movie, score: float, now: datetime.datetime, clear_dismissal: bool
) -> tuple[Any, ...]:
    params: list[Any] = [score, now, now, user.pk, movie.pk]
    if clear_dismissal:
        params = [user.pk, movie.pk, movie.pk, *params]
    with prepared_statements(), connection.cursor() as cursor:
        cursor.execute(_rating_upsert_sql(clear_dismissal=clear_dismissal), params)
        row: tuple[Any, ...] = cursor.fetchone()
    return row


@functools.cache
def _rating_upsert_sql(*, clear_dismissal: bool) -> str:
    """INSERT the rating, or change its score (and updated_at only when the score changes); RETURNING the row."""
    table, score, updated = quoted_table(Rating), quoted_column(Rating, "score"), quoted_column(Rating, "updated_at")
    user, movie = quoted_column(Rating, "user"), quoted_column(Rating, "movie")
    sql = (
        f"INSERT INTO {table} ({score}, {quoted_column(Rating, 'created_at')}, {updated}, {user}, {movie}) "  # noqa: S608 - names from the models
        f"VALUES (%s, %s, %s, %s, %s) ON CONFLICT ({user}, {movie}) DO UPDATE SET {score} = EXCLUDED.{score}, "
        f"{updated} = CASE WHEN {table}.{score} = EXCLUDED.{score} THEN {table}.{updated} ELSE EXCLUDED.{updated} END "
        f"RETURNING {quoted_column(Rating, 'id')}, {score}, {quoted_column(Rating, 'created_at')}, {updated}"
    )
    if clear_dismissal:
        sql = (
            f"WITH cleared AS (DELETE FROM {quoted_table(Dismissal)} "  # noqa: S608 - names from the models
            f"WHERE {quoted_column(Dismissal, 'user')} = %s AND {quoted_column(Dismissal, 'movie')} = %s), "
            f"changed AS (INSERT INTO {quoted_table(RatingChange)} ({quoted_column(RatingChange, 'movie_id')}) "
            f"VALUES (%s)) {sql}"
        )
    return sql


def _ratings_changed(*, movie_ids: Collection[int]) -> None:
    """Record in the write's own transaction that these films' site ratings changed, for their figures."""
    RatingChange.objects.bulk_create([RatingChange(movie_id=movie_id) for movie_id in sorted(set(movie_ids))])


@transaction.atomic
def rating_delete(*, user: User, movie: Movie) -> bool:
    deleted, _count = Rating.objects.filter(user=user, movie=movie).delete()
    if deleted:
        _ratings_changed(movie_ids=[movie.pk])
        movie_rating_figures_follow()
    return deleted > 0


@transaction.atomic
def ratings_delete(*, ratings: QuerySet[Rating]) -> int:
    """Delete these ratings (a curator's bulk delete); their films' figures follow as after rating_delete."""
    movie_ids = set(ratings.values_list("movie_id", flat=True))
    deleted, _count = ratings.delete()
    _ratings_changed(movie_ids=movie_ids)
    movie_rating_figures_follow()
    return deleted


def watchlist_add(*, user: User, movie: Movie) -> tuple[WatchlistEntry, bool]:
    """Save a film to the user's watchlist; (the entry, whether it is new)."""
    return WatchlistEntry.objects.get_or_create(user=user, movie=movie)


def watchlist_remove(*, user: User, movie: Movie) -> bool:
    deleted, _count = WatchlistEntry.objects.filter(user=user, movie=movie).delete()
    return deleted > 0


def dismissal_add(*, user: User, movie: Movie) -> Dismissal:
    """'Not interested': hide the film from this user's recommendations."""
    dismissal, _created = Dismissal.objects.get_or_create(user=user, movie=movie)
    return dismissal


def dismissal_remove(*, user: User, movie: Movie) -> bool:
    deleted, _count = Dismissal.objects.filter(user=user, movie=movie).delete()
    return deleted > 0


@dataclass(frozen=True)
class RatingsImportReport:
    rows_read: int
    created: int
    updated: int
    unchanged: int
    unmatched: list[UnmatchedRow]


@transaction.atomic
def ratings_bulk_set(*, user: User, scores: dict[int, float]) -> tuple[int, int, int]:
    """Set many of the user's ratings at once (movie id -> score); returns (created, updated, unchanged).

    Same rules as rating_set: scores validated, rated films leave 'not interested'.
    """
    values = {movie_id: score_validate(score) for movie_id, score in scores.items()}
    existing = {
        rating.movie_id: rating
        for rating in Rating.objects.select_for_update().filter(user=user, movie_id__in=list(values))
    }
    now = timezone.now()
    to_create = [
        Rating(user=user, movie_id=movie_id, score=score)
        for movie_id, score in values.items()
        if movie_id not in existing
    ]
    to_update = []
    for movie_id, rating in existing.items():
        if rating.score != values[movie_id]:
            rating.score = values[movie_id]
            rating.updated_at = now
            to_update.append(rating)
    Rating.objects.bulk_create(to_create, batch_size=1000)
    Rating.objects.bulk_update(to_update, ["score", "updated_at"], batch_size=1000)
    Dismissal.objects.filter(user=user, movie_id__in=list(values)).delete()
    _ratings_changed(movie_ids=[rating.movie_id for rating in [*to_create, *to_update]])
    movie_rating_figures_follow()
    return len(to_create), len(to_update), len(existing) - len(to_update)


def ratings_import(*, user: User, data: bytes) -> RatingsImportReport:
    """Import a CSV of ratings (see ratings.importers for the columns) and report what did not match.

    Raises RatingsFileError when the file as a whole is unreadable.
    """
    matched = match_ratings_rows(parse_ratings_csv(data))
    created, updated, unchanged = ratings_bulk_set(user=user, scores=matched.scores)
    return RatingsImportReport(
        rows_read=matched.rows_read,
        created=created,
        updated=updated,
        unchanged=unchanged,
        unmatched=matched.unmatched,
    )


def onboarding_complete(*, user: User) -> None:
    """Remember that the user finished (or skipped) onboarding; the first time counts."""
    Profile.objects.get_or_create(user=user)
    Profile.objects.filter(user=user, onboarded_at__isnull=True).update(onboarded_at=timezone.now())
