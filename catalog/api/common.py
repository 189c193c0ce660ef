"""Pieces every API view shares: pagination, error bodies and their schema."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from catalog.analytics import AmbiguousError, AnalyticsError, NotFoundError
from catalog.models import Platform, StreamingTitle
from catalog.pagination import CatalogPaginator, DeferredJoinPaginator
from catalog.selectors import movie_merged_into


def authenticated_user(request: Request) -> User:
    """The caller of a view behind IsAuthenticated: always a real User, never AnonymousUser.

    The permission already turned anonymous callers away with a 401; the check
    makes that invariant visible to the type checker and fails the same way if
    a view ever forgets the permission.
    """
    user = request.user
    if not isinstance(user, User):
        raise exceptions.NotAuthenticated
    return user


class StaffWithPermission(permissions.BasePermission):
    """Staff who also hold the view's `required_permission`, the one the admin asks for the same rows.

    Staff status alone opens the admin's door, not its models: without this a
    curator given only catalog rights could activate a model through the API.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_staff and user.has_perm(view.required_permission))


def _whole_number(raw: str) -> int | None:
    """The number written in ASCII digits, else None.

    Not `isdigit()`: it is true of "²" and other Unicode digits that `int()` refuses.
    """
    return int(raw) if raw.isascii() and raw.isdecimal() else None


class Pagination(PageNumberPagination):
    django_paginator_class = DeferredJoinPaginator
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and raw not in self.last_page_strings and (_whole_number(raw) or 0) < 1:
            raise exceptions.ValidationError({self.page_query_param: [_("A page number from 1.")]})
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request: Any) -> int:
        """The page size asked for, or the default; a bad value is a 400, not silently ignored."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = _whole_number(raw)
        if size is None or not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("A whole number from 1 to %(highest)d.") % {"highest": self.max_page_size}
                    ]
                }
            )
        return size

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return parameters


class CatalogPagination(Pagination):
    """Pagination of catalog searches: totals cached briefly per process (catalog.pagination)."""

    django_paginator_class = CatalogPaginator


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in words.")


# DRF's 400 body: messages per field name, or `detail` (one message, e.g. a JSON parse
# error, or a list of them).
_MESSAGES = {"type": "array", "items": {"type": "string"}}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"oneOf": [{"type": "string"}, _MESSAGES]}},
    "additionalProperties": {"oneOf": [_MESSAGES, {"type": "object"}, {"type": "string"}]},
}


class CandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="The film's title or the person's name.")
    year = serializers.IntegerField(allow_null=True, help_text="Release year (films).")
    films = serializers.IntegerField(allow_null=True, help_text="Films credited (people).")


class AmbiguousSerializer(serializers.Serializer):
    detail = serializers.CharField()
    candidates = CandidateSerializer(many=True)


BAD_REQUEST = OpenApiResponse(
    VALIDATION_ERROR_SCHEMA,
    description="A parameter is missing or invalid; the body names it and says why.",
    examples=[OpenApiExample("Bad parameter", value={"year": ["Ensure this value is less than or equal to 2200."]})],
)
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Nothing answers to this id or name.")
AMBIGUOUS = OpenApiResponse(
    AmbiguousSerializer,
    description=(
        "Multiple Choices: several films (or people) answer to the name. The body lists the candidates with "
        "their ids; ask again with `year` or `id` (films) or use `/api/v1/people/{id}/` (people)."
    ),
    examples=[
        OpenApiExample(
            "Two films titled Heat",
            value={
                "detail": "2 films are titled “Heat”: add the year, or give the id of one, to choose.",
                "candidates": [
                    {"id": 12, "name": "Heat", "year": 1986, "films": None},
                    {"id": 13, "name": "Heat", "year": 1995, "films": None},
                ],
            },
        )
    ],
)
NOT_AUTHENTICATED = OpenApiResponse(ErrorSerializer, description="No valid session or token.")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Not allowed (staff only, or the CSRF token is missing).")


class FilmMergedSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Which film this one was merged into, in words.")
    film = serializers.IntegerField(help_text="The id of the film kept.")


FILM_MERGED = OpenApiResponse(
    FilmMergedSerializer,
    description=(
        "Moved Permanently: a curator merged this film into another (two records of one film). `Location` is the "
        "same URL with the kept film's id, query string kept; `film` is that id. The merge is for good."
    ),
    examples=[
        OpenApiExample("Merged into film 7", value={"detail": "Film 12 was merged into film 7.", "film": 7}),
    ],
)
FILM_MERGED_LOCATION = OpenApiParameter(
    "Location",
    OpenApiTypes.URI,
    OpenApiParameter.HEADER,
    description="The same URL with the kept film's id (a 301 only).",
    response=[301],
)


def film_merged_response(*, merged: int, kept: int, location: str) -> Response:
    """301 to the kept film's URL, the body naming it too (DRF clients often do not follow redirects)."""
    detail = _("Film %(merged)d was merged into film %(kept)d.") % {"merged": merged, "kept": kept}
    return Response(
        {"detail": detail, "film": kept},
        status=status.HTTP_301_MOVED_PERMANENTLY,
        headers={"Location": location},
    )


def _with_query(path: str, query: QueryDict) -> str:
    return f"{path}?{query.urlencode()}" if query else path


class FollowsMergedFilms:
    """For views of one film by its id in the path (`pk`): a merged film's id answers 301 to the same view of
    the film kept, query string kept, as its HTML page does. Only a 404 is followed: nothing else changes."""

    kwargs: dict[str, Any]
    request: Any

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, Http404 | exceptions.NotFound):
            merged = int(self.kwargs["pk"])
            kept = movie_merged_into(pk=merged)
            if kept is not None:
                path = reverse(self.request.resolver_match.view_name, kwargs={**self.kwargs, "pk": kept})
                return film_merged_response(merged=merged, kept=kept, location=_with_query(path, self.request.GET))
        return super().handle_exception(exc)  # type: ignore[misc]


def merged_film_in_query_response(request: Request, *, merged: int) -> Response | None:
    """301 to the same URL with `id=` the film kept, when `merged` is the id of a merged film; else None."""
    kept = movie_merged_into(pk=merged)
    if kept is None:
        return None
    query = request.query_params.copy()
    query["id"] = str(kept)
    return film_merged_response(merged=merged, kept=kept, location=_with_query(request.path, query))


def analytics_error_response(error: AnalyticsError) -> Response:
    """404 for an unknown name, 300 with the candidates for an ambiguous one."""
    if isinstance(error, AmbiguousError):
        candidates = CandidateSerializer(error.candidates, many=True).data
        return Response({"detail": error.message, "candidates": candidates}, status=status.HTTP_300_MULTIPLE_CHOICES)
    if isinstance(error, NotFoundError):
        return Response({"detail": error.message}, status=status.HTTP_404_NOT_FOUND)
    return Response({"detail": error.message}, status=status.HTTP_400_BAD_REQUEST)


def platform_slugs_known(slugs: Sequence[str]) -> list[str]:
    """The slugs as the platforms store them, whatever their case; an unknown one is a ValidationError
    that names it and lists the known platforms (rather than a filter that silently matches nothing)."""
    known = {slug.lower(): slug for slug in Platform.objects.order_by("slug").values_list("slug", flat=True)}
    unknown = [slug for slug in slugs if slug.lower() not in known]
    if unknown:
        raise serializers.ValidationError(
            _("Unknown platform: %(slugs)s. Known platforms: %(known)s.")
            % {"slugs": ", ".join(unknown), "known": ", ".join(known.values())}
        )
    return [known[slug.lower()] for slug in slugs]


# The streaming datasets write a title's type "Movie" or "TV Show"; the API's values are movie and tv.
_STREAMING_KINDS = {
    StreamingTitle.Kind.MOVIE.value: StreamingTitle.Kind.MOVIE,
    StreamingTitle.Kind.TV_SHOW.value: StreamingTitle.Kind.TV_SHOW,
    "tv show": StreamingTitle.Kind.TV_SHOW,
}


@extend_schema_field({"type": "string", "enum": ["movie", "tv", "Movie", "TV Show"]})
class StreamingKindField(serializers.ChoiceField):
    """A streaming title's type: `movie` or `tv`, or the dataset's `Movie` and `TV Show`, in any case."""

    default_error_messages = {
        "invalid_choice": gettext_lazy("“{input}” is not a title type. Valid types: movie, tv (or Movie, TV Show).")
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=StreamingTitle.Kind.choices, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        kind = _STREAMING_KINDS.get(" ".join(str(data).split()).casefold())
        if kind is None:
            self.fail("invalid_choice", input=data)
        return kind.value


def validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    """Parse query parameters with a serializer; a bad value raises a 400 naming the field."""
    # A plain dict, not the QueryDict: DRF reads an empty query value as "not given" for
    # HTML-form input, while here `?year=` is a mistake worth a 400.
    plain = {key: data[key] for key in data} if hasattr(data, "getlist") else data
    serializer = serializer_class(data=plain)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
