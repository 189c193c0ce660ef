"""Recommendations for the current user, and the model registry for staff."""

from __future__ import annotations

import re
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.api.common import (
    BAD_REQUEST,
    FORBIDDEN,
    NOT_AUTHENTICATED,
    NOT_FOUND,
    ErrorSerializer,
    Pagination,
    authenticated_user,
    platform_slugs_known,
    validated,
)
from catalog.models import Platform
from moviesite.parsers import JSONParser
from recommender.models import ModelVersion
from recommender.serializers import ModelVersionSerializer, RecommendedFilmSerializer, recommended_films_data
from recommender.services import TASK_FOR_KIND, RegistryError, model_version_activate, retrain_request
from recommender.serving import recommendations_for_user

AUTH_ERRORS = {401: NOT_AUTHENTICATED, 403: FORBIDDEN}
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
MINE = "mine"


class RecommendationParamsSerializer(serializers.Serializer):
    limit = serializers.IntegerField(required=False, default=10, min_value=1, max_value=50)
    platforms = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=(
            "`mine`: only films on the platforms in your profile; or platform slugs separated by commas "
            "(any case; an unknown one is a 400). "
            "With `mine` and no platform in your profile the list is empty."
        ),
    )

    def validate_platforms(self, value: str) -> list[str] | str:
        if value.strip().lower() == MINE:
            return MINE
        slugs = [slug.strip() for slug in value.split(",") if slug.strip()]
        for slug in slugs:
            if not _SLUG.match(slug):
                raise serializers.ValidationError(_("“%(slug)s” is not a platform slug.") % {"slug": slug})
        return platform_slugs_known(slugs)


class MyRecommendationsApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["me"],
        summary="My recommendations",
        description=(
            "Films for you, best first, each with the reason it is there. Never a film you rated or marked "
            "not interested. With few ratings the list leans on content and popularity; it reacts to a new "
            "rating at once."
        ),
        parameters=[RecommendationParamsSerializer],
        responses={200: RecommendedFilmSerializer(many=True), 400: BAD_REQUEST, **AUTH_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = validated(RecommendationParamsSerializer, request.query_params)
        platforms: Any = params.get("platforms") or None
        user = authenticated_user(request)
        if platforms == MINE:
            platforms = list(Platform.objects.filter(subscribers__user=user).values_list("slug", flat=True))
            if not platforms:
                return Response([])
        recommendations = recommendations_for_user(user=user, limit=params["limit"], platform_slugs=platforms)
        return Response(recommended_films_data(recommendations))


@extend_schema(
    tags=["staff"],
    summary="Model versions (staff)",
    description="Every trained artifact, newest first, with its parameters, data size, metrics and status.",
    responses={200: ModelVersionSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND, **AUTH_ERRORS},
)
class ModelVersionListApi(generics.ListAPIView):
    serializer_class = ModelVersionSerializer
    pagination_class = Pagination
    permission_classes = [permissions.IsAdminUser]
    queryset = ModelVersion.objects.order_by("-created_at", "-id")


@extend_schema(
    tags=["staff"],
    summary="A model version (staff)",
    responses={200: ModelVersionSerializer, 404: NOT_FOUND, **AUTH_ERRORS},
)
class ModelVersionDetailApi(generics.RetrieveAPIView):
    serializer_class = ModelVersionSerializer
    permission_classes = [permissions.IsAdminUser]
    queryset = ModelVersion.objects.all()


class ChangesModelVersions(permissions.BasePermission):
    """Activating and retraining change what every visitor is served: the recommender's change permission."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.has_perm("recommender.change_modelversion"))


class ModelVersionActivateApi(APIView):
    permission_classes = [permissions.IsAdminUser, ChangesModelVersions]
    parser_classes = [JSONParser]

    @extend_schema(
        tags=["staff"],
        summary="Activate a model version (staff)",
        description=(
            "Make this version the one served for its kind, in one atomic switch (activating an older "
            "version is a rollback). Its artifact is checked against its recorded checksum first. "
            "A version still training or that failed cannot be activated (409)."
        ),
        request=None,
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="The version's id.")],
        responses={
            200: ModelVersionSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            409: OpenApiResponse(
                ErrorSerializer, description="The version cannot serve (still training, failed, or no artifact)."
            ),
            **AUTH_ERRORS,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        version = get_object_or_404(ModelVersion, pk=pk)
        try:
            version = model_version_activate(version=version)
        except RegistryError as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        return Response(ModelVersionSerializer(version).data)


class RetrainInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=list(TASK_FOR_KIND),
        default=ModelVersion.Kind.COLLABORATIVE,
        help_text=(
            "`collaborative` retrains the SVD model, `content` rebuilds the content index, "
            "`item_neighbours` recomputes the co-rating neighbours."
        ),
    )


class RetrainQueuedSerializer(serializers.Serializer):
    kind = serializers.CharField()
    task_id = serializers.CharField(allow_null=True, help_text="The Celery task id; null when it went to the outbox.")
    queued = serializers.ChoiceField(
        choices=["broker", "outbox"],
        help_text="`outbox` when the broker was unreachable: the request is kept and sent when it is back.",
    )


class RetrainApi(APIView):
    permission_classes = [permissions.IsAdminUser, ChangesModelVersions]
    parser_classes = [JSONParser]

    @extend_schema(
        tags=["staff"],
        summary="Queue a retrain (staff)",
        description=(
            "Queue a retrain of the collaborative model or a rebuild of the content index. Answers 202 at "
            "once; the work runs in a Celery worker (in-process in the embedded mode). Two requests at the "
            "same moment lead to one training run."
        ),
        request=RetrainInputSerializer,
        responses={202: RetrainQueuedSerializer, 400: BAD_REQUEST, **AUTH_ERRORS},
        examples=[
            OpenApiExample("Retrain SVD", value={"kind": "collaborative"}, request_only=True),
            OpenApiExample(
                "Queued",
                value={"kind": "collaborative", "task_id": "9f1c6a0e-...", "queued": "broker"},
                response_only=True,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        kind = validated(RetrainInputSerializer, request.data)["kind"]
        task_id = retrain_request(kind=kind)
        body = {"kind": kind, "task_id": task_id, "queued": "broker" if task_id else "outbox"}
        return Response(body, status=status.HTTP_202_ACCEPTED)
