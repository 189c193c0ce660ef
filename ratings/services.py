"""Write paths for a user's ratings, watchlist and dismissals."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import Movie
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
def rating_set(*, user: AbstractBaseUser, movie: Movie, score: object) -> Rating:
    """Create or change the user's rating of a film. Rating a film undoes 'not interested'."""
    value = score_validate(score)
    rating, created = Rating.objects.select_for_update().get_or_create(
        user=user, movie=movie, defaults={"score": value}
    )
    if not created and rating.score != value:
        rating.score = value
        rating.save(update_fields=["score", "updated_at"])
    Dismissal.objects.filter(user=user, movie=movie).delete()
    return rating


def rating_delete(*, user: AbstractBaseUser, movie: Movie) -> bool:
    deleted, _count = Rating.objects.filter(user=user, movie=movie).delete()
    return deleted > 0


def watchlist_add(*, user: AbstractBaseUser, movie: Movie) -> WatchlistEntry:
    entry, _created = WatchlistEntry.objects.get_or_create(user=user, movie=movie)
    return entry


def watchlist_remove(*, user: AbstractBaseUser, movie: Movie) -> bool:
    deleted, _count = WatchlistEntry.objects.filter(user=user, movie=movie).delete()
    return deleted > 0


def dismissal_add(*, user: AbstractBaseUser, movie: Movie) -> Dismissal:
    """'Not interested': hide the film from this user's recommendations."""
    dismissal, _created = Dismissal.objects.get_or_create(user=user, movie=movie)
    return dismissal


def dismissal_remove(*, user: AbstractBaseUser, movie: Movie) -> bool:
    deleted, _count = Dismissal.objects.filter(user=user, movie=movie).delete()
    return deleted > 0
