"""Output serializers for recommendations and the model registry."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.cache import caches
from rest_framework import serializers

from catalog.models import Movie
from catalog.serializers import FilmSummarySerializer, film_summaries_keep
from moviesite.serializers import ModelSerializer
from recommender.base import Recommendation
from recommender.models import ModelVersion
from recommender.serving import serving_epoch


def recommended_films_data(recommendations: Sequence[Recommendation]) -> list[dict[str, Any]]:
    """The API's answer for a list of recommendations, in the recommender's order.

    Shaped by RecommendedFilmSerializer. A film's summary is the same for every
    caller, so each is kept in the process's memory (the template_fragments
    cache, per catalog snapshot: it refreshes with RECOMMENDER_CATALOG_TTL) and
    only the films not there are loaded, in one query and one for their genres.
    A film deleted since the model was trained is skipped rather than failing the list.
    """
    local = caches["template_fragments"]
    epoch = serving_epoch()
    keys = {rec.movie_id: f"film-summary:{epoch}:{rec.movie_id}" for rec in recommendations}
    found = local.get_many(list(keys.values()))
    summaries = {movie_id: found[key] for movie_id, key in keys.items() if key in found}
    missing = [movie_id for movie_id in keys if movie_id not in summaries]
    if missing:
        columns = [name for name in FilmSummarySerializer.Meta.fields if name != "genres"]
        films = Movie.objects.only(*columns).in_bulk(missing)
        drawn = film_summaries_keep({keys[movie_id]: film for movie_id, film in films.items()})
        summaries.update({movie_id: drawn[keys[movie_id]] for movie_id in films})
    return [
        {"film": summaries[rec.movie_id], "score": float(rec.score), "reason": rec.reason}
        for rec in recommendations
        if rec.movie_id in summaries
    ]


class RecommendedFilmSerializer(serializers.Serializer):
    film = FilmSummarySerializer(read_only=True)
    score = serializers.FloatField(read_only=True, help_text="Ranking score; higher is better.")
    reason = serializers.CharField(read_only=True, help_text="Why it is here, e.g. “Because you liked Heat”.")


class ModelVersionSerializer(ModelSerializer):
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
