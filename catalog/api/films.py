"""Films: search and browse, detail, similar films."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.api.common import (
    BAD_REQUEST,
    FILM_MERGED,
    FILM_MERGED_LOCATION,
    NOT_FOUND,
    CatalogPagination,
    FollowsMergedFilms,
    Pagination,
    platform_slugs_known,
    validated,
)
from catalog.models import Credit, Movie
from catalog.selectors import (
    SORTS,
    MovieFilters,
    TitleSearch,
    film_detail_queryset,
    film_directors,
    movie_search,
)
from catalog.serializers import (
    DIRECTORS_SHOWN,
    CrewCreditSerializer,
    FilmDetailSerializer,
    FilmSummarySerializer,
    film_summaries_data,
)
from recommender.serializers import RecommendedFilmSerializer, recommended_films_data
from recommender.serving import similar_movies

MIN_YEAR, MAX_YEAR = 1800, 2200
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


class FilmFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Words of the title; accents and case ignored."
    )
    genre = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=(
            "Genre name as the API writes it (`Science Fiction`), or as the site shows it in English or Spanish "
            "(`Ciencia ficción`); case and accents ignored."
        ),
    )
    year = serializers.IntegerField(required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)
    year_from = serializers.IntegerField(required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)
    year_to = serializers.IntegerField(required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)
    platform = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=(
            "Platform slug, or several separated by commas (`netflix,hulu`): films on any of them. "
            "Any case; an unknown slug is a 400 listing the known ones."
        ),
    )
    language = serializers.CharField(
        required=False, allow_blank=True, max_length=12, help_text="Original language code (`en`, `fr`)."
    )
    ordering = serializers.ChoiceField(
        choices=list(SORTS),
        default="relevance",
        help_text=(
            "Sort order. `relevance` (the default): with `q`, the films whose title (or original title) is the "
            "search first (an article before it aside: `heat` finds *Heat* and *The Heat*), then every match by "
            "popularity; without `q`, as `popularity`. `popularity`: most popular first (see the field). "
            "`rating`: TMDB's raw vote "
            "average, highest first, however few the votes. `weighted`: a Bayesian average of TMDB's votes "
            "(or of the ratings in moviesite for a film without them) that pulls films with few votes towards "
            "a middling score. `votes`: most TMDB votes first. `year`: newest first; "
            "`-year`: oldest first; films without a year come last either way. `title`: A to Z."
        ),
    )

    def validate_platform(self, value: str) -> list[str]:
        slugs = [slug.strip() for slug in value.split(",") if slug.strip()]
        for slug in slugs:
            if not _SLUG.match(slug):
                raise serializers.ValidationError(_("“%(slug)s” is not a platform slug.") % {"slug": slug})
        return platform_slugs_known(slugs)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        year_from, year_to = attrs.get("year_from"), attrs.get("year_to")
        if year_from is not None and year_to is not None and year_from > year_to:
            raise serializers.ValidationError({"year_to": [_("year_to must not be before year_from.")]})
        return attrs


@extend_schema(
    tags=["films"],
    summary="Search and browse films",
    description=(
        "Films matching every filter given, paginated (20 a page, `page_size` up to 100). "
        "The title search is accent- and case-insensitive: `q=amelie` finds *Amélie*."
    ),
    parameters=[FilmFilterSerializer],
    responses={200: FilmSummarySerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
    examples=[
        OpenApiExample(
            "Dramas of the nineties",
            value={"q": "", "genre": "Drama", "year_from": 1990, "year_to": 1999},
            request_only=True,
        ),
    ],
)
class FilmListApi(generics.ListAPIView):
    serializer_class = FilmSummarySerializer
    pagination_class = CatalogPagination

    def get_queryset(self) -> QuerySet[Movie] | TitleSearch:  # type: ignore[override]
        """The films in order; a title search in best-match order is a `TitleSearch`, paged like a queryset."""
        params = validated(FilmFilterSerializer, self.request.query_params)
        filters = MovieFilters(
            query=params.get("q", ""),
            genre=params.get("genre", ""),
            year=params.get("year"),
            year_from=params.get("year_from"),
            year_to=params.get("year_to"),
            language=params.get("language", ""),
            platforms=tuple(params.get("platform", [])),
            sort=params["ordering"],
        )
        return movie_search(filters=filters)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A page of films, each summary drawn once per edit (film_summaries_data)."""
        page = self.paginate_queryset(self.get_queryset()) or []
        return self.get_paginated_response(film_summaries_data(page))


@extend_schema(
    tags=["films"],
    summary="A film",
    description=(
        f"Facts, genres, the top-billed cast, the first {DIRECTORS_SHOWN} directors (with how many there are and a "
        "link to the rest, `/api/v1/films/{id}/directors/`) and the streaming platforms that carry it. "
        "The id of a film merged into another answers 301 to the film kept."
    ),
    parameters=[FILM_MERGED_LOCATION],
    responses={200: FilmDetailSerializer, 301: FILM_MERGED, 404: NOT_FOUND},
)
class FilmDetailApi(FollowsMergedFilms, generics.RetrieveAPIView):
    serializer_class = FilmDetailSerializer

    def get_queryset(self) -> QuerySet[Movie]:
        return film_detail_queryset()


@extend_schema(
    tags=["films"],
    summary="A film's directors",
    description=(
        "Every director of the film in billing order, paginated (20 a page, `page_size` up to 100): the rest of the "
        "`directors` list of `/api/v1/films/{id}/`, whose `directors_next` links here. The id of a film merged "
        "into another answers 301 to the film kept's directors."
    ),
    parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="The film's id."), FILM_MERGED_LOCATION],
    responses={200: CrewCreditSerializer(many=True), 301: FILM_MERGED, 400: BAD_REQUEST, 404: NOT_FOUND},
)
class FilmDirectorListApi(FollowsMergedFilms, generics.ListAPIView):
    serializer_class = CrewCreditSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Credit]:
        return film_directors(movie=get_object_or_404(Movie, pk=self.kwargs["pk"]))


class LimitSerializer(serializers.Serializer):
    limit = serializers.IntegerField(required=False, default=10, min_value=1, max_value=50)


class FilmSimilarApi(FollowsMergedFilms, APIView):
    @extend_schema(
        tags=["films"],
        summary="Films similar to this one",
        description=(
            "Content neighbours (genres, keywords, cast, director, collection, overview), best first, "
            "each with a short reason. The id of a film merged into another answers 301 to the film kept's."
        ),
        parameters=[
            LimitSerializer,
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="The film's id."),
            FILM_MERGED_LOCATION,
        ],
        responses={200: RecommendedFilmSerializer(many=True), 301: FILM_MERGED, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        params = validated(LimitSerializer, request.query_params)
        movie = get_object_or_404(Movie, pk=pk)
        return Response(recommended_films_data(similar_movies(movie_id=movie.pk, limit=params["limit"])))
