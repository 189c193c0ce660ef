"""Write paths for a user's ratings, watchlist and dismissals."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Profile
from catalog.models import Movie
from ratings.importers import UnmatchedRow, match_ratings_rows, parse_ratings_csv
from ratings.models import ALLOWED_SCORES, Dismissal, Rating, WatchlistEntry


def score_validate(score: object) -> float:
    """A score as a float in 0.5..5.0 by halves, or a ValidationError saying why."""
    try:
        value = float(score)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise ValidationError({"score": _("A score must be a number.")}) from exc
    if value not in ALLOWED_SCORES:
        raise ValidationError({"score": _("A score must be between 0.5 and 5 in steps of 0.5.")})
    return value


@transaction.atomic
def rating_set(*, user: User, movie: Movie, score: object) -> tuple[Rating, bool]:
    """Create or change the user's rating of a film; (the rating as stored, whether it is new).

    Rating a film undoes 'not interested'.
    """
    value = score_validate(score)
    rating, created = Rating.objects.select_for_update().get_or_create(
        user=user, movie=movie, defaults={"score": value}
    )
    if not created and rating.score != value:
        rating.score = value
        rating.save(update_fields=["score", "updated_at"])
    Dismissal.objects.filter(user=user, movie=movie).delete()
    return rating, created


def rating_delete(*, user: User, movie: Movie) -> bool:
    deleted, _count = Rating.objects.filter(user=user, movie=movie).delete()
    return deleted > 0


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
