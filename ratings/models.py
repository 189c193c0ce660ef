"""What people think of films: site users' ratings, watchlist and dismissals,
and the ratings of public-dataset raters (kept apart from site accounts)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from catalog.models import Movie

# 0.5, 1.0, ... 5.0: the only scores anyone can give, enforced by the database.
ALLOWED_SCORES = tuple(step / 2 for step in range(1, 11))
MIN_SCORE, MAX_SCORE = ALLOWED_SCORES[0], ALLOWED_SCORES[-1]


class Rating(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("user")
    )
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("film"))
    score = models.FloatField(_("score"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        indexes = [
            models.Index(fields=["user", "-updated_at"], name="rating_user_recent"),
            # Every rating, newest change first: the admin's list (hundreds of thousands of rows) reads its
            # page from here instead of sorting the table.
            models.Index(fields=["-updated_at", "-id"], name="rating_recent"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["user", "movie"], name="rating_one_per_user_and_movie"),
            models.CheckConstraint(condition=Q(score__in=ALLOWED_SCORES), name="rating_score_half_steps"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.movie}: {self.score}"


# A dataset rating's primary key packs its unique key (source, rater, film) into
# one bigint: source in the top 4 bits, then 31 bits of rater id, then 28 of
# film id (63 bits, a positive PostgreSQL bigint). See DatasetRating.
RATER_KEY_BITS = 31
FILM_KEY_BITS = 28
MAX_KEY_SOURCE = 2**4 - 1
MAX_KEY_RATER_ID = 2**RATER_KEY_BITS - 1
MAX_KEY_FILM_ID = 2**FILM_KEY_BITS - 1


def dataset_rating_key(source: Any, rater_id: Any, movie_id: Any) -> Any:
    """The primary key of a dataset rating, from ints or numpy arrays of int64."""
    return source * 2 ** (RATER_KEY_BITS + FILM_KEY_BITS) + rater_id * 2**FILM_KEY_BITS + movie_id


def dataset_rating_key_sql(source: str, rater_id: str, movie_id: str) -> str:
    """The same as SQL text over three bigint expressions (raw-SQL writers)."""
    return f"{source} * {2 ** (RATER_KEY_BITS + FILM_KEY_BITS)} + {rater_id} * {2**FILM_KEY_BITS} + {movie_id}"


def dataset_rating_key_matches() -> Q:
    """The database's check that a row's source, rater and film are the bit fields of its key.

    Written as decoding the key rather than encoding the columns: for a key
    >= 0 every field decoded from it lies within its bits, so no range needs a
    check of its own (nor source >= 0 or rater >= 0), and the key is exactly
    dataset_rating_key(source, rater, film). One comparison and three
    shift-and-mask equalities per row: a 10M-row COPY took 8.1-9.7 s with it
    against 8.9-10.3 s with the encoding form and its five range checks.
    """
    key = F("id")
    return (
        Q(id__gte=0)
        & Q(source=key.bitrightshift(RATER_KEY_BITS + FILM_KEY_BITS))
        & Q(rater_id=key.bitrightshift(FILM_KEY_BITS).bitand(MAX_KEY_RATER_ID))
        & Q(movie_id=key.bitand(MAX_KEY_FILM_ID))
    )


class DatasetRating(models.Model):
    """A rating from a public dataset, by a rater who is not a site account.

    Tens of millions of rows: kept narrow (integer ids, unix timestamp) and
    loaded with COPY on PostgreSQL. Training reads it with a raw cursor.

    The primary key is (source, rater, film) packed into one number
    (dataset_rating_key), checked by the database: one index serves as both
    the primary key and the unique key, so a bulk load builds one index
    instead of two (a third of its time), and re-importing a row finds it by
    its key. Build rows with `DatasetRating.keyed(...)`.
    """

    class Source(models.IntegerChoices):
        # The Movies Dataset's ratings.csv and ml-latest share one rater id space.
        MOVIELENS = 1, "MovieLens"
        ML100K = 2, "MovieLens 100K"
        # Their raters are other people again (each release drew its own
        # sample); their film ids are MovieLens ids, as in ml-latest.
        ML1M = 3, "MovieLens 1M"
        ML10M = 4, "MovieLens 10M"
        # The Movies Dataset's ratings_small.csv is ml-latest-small's sample,
        # its users numbered afresh: user 1 there is not user 1 of ratings.csv.
        MOVIELENS_SMALL = 5, "MovieLens (ratings_small.csv)"
        # The numbered releases and today's ml-latest-small: each drew its own
        # users again (ml-25m's user 1 is not ml-20m's), film ids still MovieLens ids.
        ML20M = 6, "MovieLens 20M"
        ML25M = 7, "MovieLens 25M"
        ML32M = 8, "MovieLens 32M"
        ML_LATEST_SMALL = 9, "MovieLens latest-small"

    id = models.BigIntegerField(primary_key=True, editable=False)
    # Not Positive...Field: the key's check already keeps both >= 0 (dataset_rating_key_matches).
    source = models.SmallIntegerField(_("source"), choices=Source.choices)
    rater_id = models.IntegerField(_("rater id"))
    # No database FOREIGN KEY and no index of its own on a bulk-loaded table:
    # the FK's deferred per-row check at commit cost more than the COPY itself,
    # and keeping a movie_id index up to date under random film ids doubled the
    # load time (bench/bench_import.py). The importer only writes film ids it
    # mapped from existing films; nothing looks ratings up by film alone
    # (training and the stats scan the table), and Django still cascades a
    # film's deletion (on_delete is emulated by the ORM either way), with one
    # scan of this table.
    movie = models.ForeignKey(
        Movie,
        on_delete=models.CASCADE,
        related_name="dataset_ratings",
        db_constraint=False,
        db_index=False,
        verbose_name=_("film"),
    )
    score = models.FloatField(_("score"))
    rated_at = models.BigIntegerField(_("rated at"), help_text=_("Unix timestamp from the dataset."))

    class Meta:
        verbose_name = _("dataset rating")
        verbose_name_plural = _("dataset ratings")
        constraints = [
            # The key is the packed (source, rater, film), each within its bits: so
            # the primary key is unique exactly when (source, rater, film) is.
            models.CheckConstraint(condition=dataset_rating_key_matches(), name="dataset_rating_key"),
            models.CheckConstraint(
                condition=Q(score__gte=0.5) & Q(score__lte=5),
                name="dataset_rating_score_range",
                violation_error_message=_("The score must be between 0.5 and 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} rater {self.rater_id} → {self.movie_id}: {self.score}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and self.id is None:
            self.id = dataset_rating_key(int(self.source), self.rater_id, self.movie_id)
        super().save(*args, **kwargs)

    @classmethod
    def keyed(cls, *, source: int, rater_id: int, movie: Movie | None = None, **fields: Any) -> DatasetRating:
        """A new row with its key filled in (bulk_create does not call save)."""
        movie_id = movie.pk if movie is not None else fields.pop("movie_id")
        return cls(
            id=dataset_rating_key(int(source), rater_id, movie_id),
            source=source,
            rater_id=rater_id,
            movie_id=movie_id,
            **fields,
        )


class WatchlistEntry(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watchlist", verbose_name=_("user")
    )
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="watchlisted_by", verbose_name=_("film"))
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["-added_at", "-id"]
        verbose_name = _("watchlist entry")
        verbose_name_plural = _("watchlist entries")
        constraints = [models.UniqueConstraint(fields=["user", "movie"], name="watchlist_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user} ♥ {self.movie}"


class Dismissal(models.Model):
    """'Not interested': the film never comes back in this user's recommendations."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dismissals", verbose_name=_("user")
    )
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="dismissed_by", verbose_name=_("film"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("not interested")
        verbose_name_plural = _("not interested")
        constraints = [models.UniqueConstraint(fields=["user", "movie"], name="dismissal_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user} ✗ {self.movie}"


class RatingChange(models.Model):
    """A film whose site ratings changed and whose figures have not been refreshed since.

    Every rating write appends one row (no lock, no unique key: two raters of
    one film never wait for each other); the refresh takes the rows it can see
    and recounts only those films (catalog.services.movie_rating_figures_refresh_changed).
    A plain id, no foreign key: the rating write checks nothing more, and a
    deleted film's rows refresh nothing.
    """

    id = models.BigAutoField(primary_key=True)
    movie_id = models.BigIntegerField(_("film id"))

    class Meta:
        verbose_name = _("rating change")
        verbose_name_plural = _("rating changes")

    def __str__(self) -> str:
        return f"film {self.movie_id} changed"
