"""The current user's ratings and watchlist (/api/v1/me/...).

Every query starts from `request.user`: another user's row is simply not
there, so it answers 404, and list endpoints show only the caller's rows.
Writes go through ratings.services; only JSON bodies are accepted.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer, Serializer

from catalog.api.common import (
    BAD_REQUEST,
    FORBIDDEN,
    NOT_AUTHENTICATED,
    NOT_FOUND,
    Pagination,
    authenticated_user,
)
from catalog.models import Movie
from moviesite.parsers import JSONParser
from ratings.models import Rating, WatchlistEntry
from ratings.selectors import own_rating_get
from ratings.serializers import (
    RatingInputSerializer,
    RatingSerializer,
    RatingUpdateSerializer,
    WatchlistEntrySerializer,
    WatchlistInputSerializer,
)
from ratings.services import rating_delete, rating_set, watchlist_add, watchlist_remove

TAG = "me"
AUTH_ERRORS = {401: NOT_AUTHENTICATED, 403: FORBIDDEN}
# The write endpoints take a film's id; these paths take the row's own `id`, which a client
# reading the docs alone took for the film's (DELETE /me/watchlist/<film id>/ answered 404).
RATING_ID = OpenApiParameter(
    "id",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="The rating's own `id` (as in the list of your ratings and the answer to rating a film), "
    "not the film's id.",
)
WATCHLIST_ENTRY_ID = OpenApiParameter(
    "id",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="The watchlist entry's own `id` (as in your watchlist and the answer to adding a film), "
    "not the film's id.",
)


class OwnRowsApi(GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser]
    pagination_class = Pagination
    # What a POST or PUT reads; `serializer_class` is what every answer shows.
    input_serializer_class: type[BaseSerializer] | None = None

    def get_serializer_class(self) -> type[BaseSerializer]:
        """The input serializer for writes, so OPTIONS describes the fields a client sends.

        DRF's SimpleMetadata describes POST and PUT with `get_serializer()` on a copy of
        the request carrying that method; the output serializer would show `film` and
        `score` as read-only.
        """
        if self.input_serializer_class is not None and self.request.method in ("POST", "PUT", "PATCH"):
            return self.input_serializer_class
        return super().get_serializer_class()


def _own_ratings(request: Request) -> QuerySet[Rating]:
    return (
        Rating.objects.filter(user=authenticated_user(request))
        .select_related("movie")
        .prefetch_related("movie__genres")
    )


def _written_data(row: Rating | WatchlistEntry, movie: Movie, serializer_class: type[Serializer]) -> Any:
    """A rating or watchlist entry just written, as the API shows it.

    Its film is at hand already, and its summary is usually kept
    (film_summaries_data): then nothing more is read.
    """
    row.movie = movie
    return serializer_class(row).data


def _own_watchlist(request: Request) -> QuerySet[WatchlistEntry]:
    return (
        WatchlistEntry.objects.filter(user=authenticated_user(request))
        .select_related("movie")
        .prefetch_related("movie__genres")
    )


class MyRatingListApi(OwnRowsApi):
    serializer_class = RatingSerializer
    input_serializer_class = RatingInputSerializer

    def get_queryset(self) -> QuerySet[Rating]:
        return _own_ratings(self.request)

    @extend_schema(
        tags=[TAG],
        summary="My ratings",
        description="Your ratings, most recently changed first.",
        responses={200: RatingSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND, **AUTH_ERRORS},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(RatingSerializer(page, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Rate a film",
        description=(
            "Rate a film from 0.5 to 5.0 in steps of 0.5. Rating a film you already rated changes the "
            "score (200); a new rating answers 201. Fields other than `film` and `score` are ignored. "
            "The id of a film a curator merged into another rates the film kept: the answer's `film` is that one."
        ),
        request=RatingInputSerializer,
        responses={
            201: OpenApiResponse(RatingSerializer, description="Rated."),
            200: OpenApiResponse(RatingSerializer, description="Your earlier rating was changed."),
            400: BAD_REQUEST,
            **AUTH_ERRORS,
        },
        examples=[OpenApiExample("Four and a half stars", value={"film": 1, "score": 4.5}, request_only=True)],
    )
    def post(self, request: Request) -> Response:
        serializer = RatingInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        movie = serializer.validated_data["film"]
        rating, created = rating_set(
            user=authenticated_user(request), movie=movie, score=serializer.validated_data["score"]
        )
        return Response(
            _written_data(rating, movie, RatingSerializer),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class MyRatingDetailApi(OwnRowsApi):
    serializer_class = RatingSerializer
    input_serializer_class = RatingUpdateSerializer

    def get_queryset(self) -> QuerySet[Rating]:
        return _own_ratings(self.request)

    @extend_schema(
        tags=[TAG],
        parameters=[RATING_ID],
        summary="One of my ratings",
        responses={200: RatingSerializer, 404: NOT_FOUND, **AUTH_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(RatingSerializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    def _update(self, request: Request, pk: int) -> Response:
        user = authenticated_user(request)
        rating = own_rating_get(user=user, pk=pk)
        if rating is None:
            raise NotFound
        movie = rating.movie
        serializer = RatingUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rating, _created = rating_set(user=user, movie=movie, score=serializer.validated_data["score"])
        return Response(_written_data(rating, movie, RatingSerializer))

    @extend_schema(
        tags=[TAG],
        parameters=[RATING_ID],
        summary="Change one of my ratings",
        request=RatingUpdateSerializer,
        responses={200: RatingSerializer, 400: BAD_REQUEST, 404: NOT_FOUND, **AUTH_ERRORS},
        examples=[OpenApiExample("Three stars", value={"score": 3.0}, request_only=True)],
    )
    def put(self, request: Request, pk: int) -> Response:
        return self._update(request, pk)

    @extend_schema(
        tags=[TAG],
        parameters=[RATING_ID],
        summary="Change one of my ratings",
        request=RatingUpdateSerializer,
        responses={200: RatingSerializer, 400: BAD_REQUEST, 404: NOT_FOUND, **AUTH_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        return self._update(request, pk)

    @extend_schema(
        tags=[TAG],
        parameters=[RATING_ID],
        summary="Delete one of my ratings",
        responses={204: None, 404: NOT_FOUND, **AUTH_ERRORS},
    )
    def delete(self, request: Request, pk: int) -> Response:
        rating = get_object_or_404(self.get_queryset(), pk=pk)
        rating_delete(user=authenticated_user(request), movie=rating.movie)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyWatchlistApi(OwnRowsApi):
    serializer_class = WatchlistEntrySerializer
    input_serializer_class = WatchlistInputSerializer

    def get_queryset(self) -> QuerySet[WatchlistEntry]:
        return _own_watchlist(self.request)

    @extend_schema(
        tags=[TAG],
        summary="My watchlist",
        description="Films you saved to watch later, most recent first.",
        responses={200: WatchlistEntrySerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND, **AUTH_ERRORS},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(WatchlistEntrySerializer(page, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Add a film to my watchlist",
        description=(
            "Adding a film already there changes nothing and answers 200; a new entry answers 201. The id of a film "
            "a curator merged into another adds the film kept: the answer's `film` is that one."
        ),
        request=WatchlistInputSerializer,
        responses={
            201: OpenApiResponse(WatchlistEntrySerializer, description="Added."),
            200: OpenApiResponse(WatchlistEntrySerializer, description="Already there."),
            400: BAD_REQUEST,
            **AUTH_ERRORS,
        },
        examples=[OpenApiExample("Save a film", value={"film": 1}, request_only=True)],
    )
    def post(self, request: Request) -> Response:
        serializer = WatchlistInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        movie = serializer.validated_data["film"]
        entry, created = watchlist_add(user=authenticated_user(request), movie=movie)
        return Response(
            _written_data(entry, movie, WatchlistEntrySerializer),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class MyWatchlistEntryApi(OwnRowsApi):
    serializer_class = WatchlistEntrySerializer

    def get_queryset(self) -> QuerySet[WatchlistEntry]:
        return _own_watchlist(self.request)

    @extend_schema(
        tags=[TAG],
        parameters=[WATCHLIST_ENTRY_ID],
        summary="One entry of my watchlist",
        responses={200: WatchlistEntrySerializer, 404: NOT_FOUND, **AUTH_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(WatchlistEntrySerializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    @extend_schema(
        tags=[TAG],
        parameters=[WATCHLIST_ENTRY_ID],
        summary="Remove a film from my watchlist",
        responses={204: None, 404: NOT_FOUND, **AUTH_ERRORS},
    )
    def delete(self, request: Request, pk: int) -> Response:
        entry = get_object_or_404(self.get_queryset(), pk=pk)
        watchlist_remove(user=authenticated_user(request), movie=entry.movie)
        return Response(status=status.HTTP_204_NO_CONTENT)
