"""Reference lists: genres, platforms, streaming titles."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from catalog.api.common import (
    BAD_REQUEST,
    NOT_FOUND,
    Pagination,
    StreamingKindField,
    platform_slugs_known,
    validated,
)
from catalog.api.films import MAX_YEAR, MIN_YEAR
from catalog.models import Genre, Platform, StreamingTitle
from catalog.serializers import GenreSerializer, PlatformSerializer, StreamingTitleSerializer


@extend_schema(
    tags=["catalog"],
    summary="Genres",
    description="Every genre with its number of films, by name. Not paginated: the list is short.",
    responses={200: GenreSerializer(many=True)},
)
class GenreListApi(generics.ListAPIView):
    serializer_class = GenreSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Genre]:
        return Genre.objects.annotate(films=Count("movies", distinct=True)).order_by("name")


@extend_schema(
    tags=["catalog"],
    summary="Streaming platforms",
    description="Every platform with the size of its catalog. Not paginated: the list is short.",
    responses={200: PlatformSerializer(many=True)},
)
class PlatformListApi(generics.ListAPIView):
    serializer_class = PlatformSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Platform]:
        return Platform.objects.annotate(title_count=Count("titles", distinct=True)).order_by("name")


class StreamingFilterSerializer(serializers.Serializer):
    platform = serializers.SlugField(
        required=False, max_length=50, help_text="Platform slug (`netflix`), any case; unknown is a 400."
    )
    type = StreamingKindField(
        required=False, help_text="`movie` or `tv` (the dataset's `Movie` and `TV Show` too), any case."
    )
    year = serializers.IntegerField(required=False, min_value=MIN_YEAR, max_value=MAX_YEAR, help_text="Release year.")

    def validate_platform(self, value: str) -> str:
        return platform_slugs_known([value])[0]


@extend_schema(
    tags=["catalog"],
    summary="Streaming titles",
    description="The platforms' catalogs (films and TV shows), filtered by platform, type and release year.",
    parameters=[StreamingFilterSerializer],
    responses={200: StreamingTitleSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
)
class StreamingTitleListApi(generics.ListAPIView):
    serializer_class = StreamingTitleSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[StreamingTitle]:
        params = validated(StreamingFilterSerializer, self.request.query_params)
        titles = StreamingTitle.objects.select_related("platform")
        if "platform" in params:
            titles = titles.filter(platform__slug=params["platform"])
        if "type" in params:
            titles = titles.filter(kind=params["type"])
        if "year" in params:
            titles = titles.filter(release_year=params["year"])
        return titles.order_by("platform__name", "title_search", "id")
