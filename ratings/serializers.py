"""API serializers for a user's ratings and watchlist.

The owner is never read from input: there is no `user` field at all, and the
views always pass `request.user` to the services.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import Movie
from catalog.selectors import movie_merged_into
from catalog.serializers import FilmSummaryField
from moviesite.serializers import ModelSerializer
from moviesite.sql import RowsBy
from ratings.models import MAX_SCORE, MIN_SCORE, Rating, WatchlistEntry
from ratings.services import score_validate


@extend_schema_field({"type": "number", "minimum": MIN_SCORE, "maximum": MAX_SCORE, "multipleOf": 0.5})
class ScoreField(serializers.Field):
    """A JSON number from 0.5 to 5.0 in steps of 0.5 (no strings, no booleans)."""

    default_error_messages = {"type": _("A score must be a JSON number.")}

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("type")
        try:
            return score_validate(data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error

    def to_representation(self, value: float) -> float:
        return float(value)


_MOVIE_BY_ID = RowsBy(Movie, "pk")


@extend_schema_field({"type": "integer", "minimum": 1})
class FilmIdField(serializers.PrimaryKeyRelatedField):
    """A film referenced by its id, as a JSON integer.

    The id of a film a curator merged into another stands for the film kept: it is the same film, and
    a merge leads every id of the duplicate to one film (catalog.services.film_merge), so nothing is guessed.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Movie.objects.all(), **kwargs)

    def to_internal_value(self, data: Any) -> Movie:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        movies = _MOVIE_BY_ID.fetch(data) if data >= 1 else []
        if not movies and data >= 1:
            kept = movie_merged_into(pk=data)
            movies = _MOVIE_BY_ID.fetch(kept) if kept is not None else []
        if not movies:
            self.fail("does_not_exist", pk_value=data)
        movie: Movie = movies[0]
        return movie


class RatingInputSerializer(serializers.Serializer):
    film = FilmIdField(help_text="The film's id.")
    score = ScoreField(help_text="0.5 to 5.0 in steps of 0.5.")


class RatingUpdateSerializer(serializers.Serializer):
    score = ScoreField(help_text="0.5 to 5.0 in steps of 0.5.")


class RatingSerializer(ModelSerializer):
    film = FilmSummaryField(source="movie")
    score = ScoreField(read_only=True)

    class Meta:
        model = Rating
        fields = ["id", "film", "score", "created_at", "updated_at"]
        read_only_fields = fields


class WatchlistInputSerializer(serializers.Serializer):
    film = FilmIdField(help_text="The film's id.")


class WatchlistEntrySerializer(ModelSerializer):
    film = FilmSummaryField(source="movie")

    class Meta:
        model = WatchlistEntry
        fields = ["id", "film", "added_at"]
        read_only_fields = fields
