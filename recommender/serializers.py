"""Output serializers for recommendations and the model registry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rest_framework import serializers

from catalog.models import Movie
from catalog.serializers import FilmSummarySerializer
from recommender.base import Recommendation
from recommender.models import ModelVersion


@dataclass(frozen=True)
class RecommendedFilm:
    film: Movie
    score: float
    reason: str


def recommended_films(recommendations: Sequence[Recommendation]) -> list[RecommendedFilm]:
    """Pair each recommendation with its film, in the recommender's order, in one query.

    A film deleted since the model was trained is skipped rather than failing the list.
    """
    columns = [name for name in FilmSummarySerializer.Meta.fields if name != "genres"]
    films = Movie.objects.only(*columns).prefetch_related("genres").in_bulk([rec.movie_id for rec in recommendations])
    return [
        RecommendedFilm(film=films[rec.movie_id], score=float(rec.score), reason=rec.reason)
        for rec in recommendations
        if rec.movie_id in films
    ]


class RecommendedFilmSerializer(serializers.Serializer):
    film = FilmSummarySerializer(read_only=True)
    score = serializers.FloatField(read_only=True, help_text="Ranking score; higher is better.")
    reason = serializers.CharField(read_only=True, help_text="Why it is here, e.g. “Because you liked Heat”.")


class ModelVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ModelVersion
        fields = [
            "id",
            "kind",
            "status",
            "params",
            "data_size",
            "metrics",
            "training_seconds",
            "checksum",
            "created_at",
            "activated_at",
            "error",
        ]
        read_only_fields = fields
