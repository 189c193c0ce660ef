"""Staff-only catalog endpoints: the history of imports."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from catalog.api.common import BAD_REQUEST, FORBIDDEN, NOT_AUTHENTICATED, NOT_FOUND, Pagination, StaffWithPermission
from catalog.models import ImportRun
from catalog.serializers import ImportRunSerializer


@extend_schema(
    tags=["staff"],
    summary="Import runs (staff)",
    description="Every catalog import, newest first, with its row counts and rejects by reason.",
    responses={
        200: ImportRunSerializer(many=True),
        400: BAD_REQUEST,
        401: NOT_AUTHENTICATED,
        403: FORBIDDEN,
        404: NOT_FOUND,
    },
)
class ImportRunListApi(generics.ListAPIView):
    serializer_class = ImportRunSerializer
    pagination_class = Pagination
    permission_classes = [StaffWithPermission]
    # The admin's rejects download asks the same.
    required_permission = "catalog.view_importrun"
    queryset = ImportRun.objects.order_by("-started_at", "-id")


@extend_schema_view(
    get=extend_schema(
        tags=["staff"],
        summary="An import run (staff)",
        responses={200: ImportRunSerializer, 401: NOT_AUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
)
class ImportRunDetailApi(generics.RetrieveAPIView):
    serializer_class = ImportRunSerializer
    permission_classes = [StaffWithPermission]
    # The admin's rejects download asks the same.
    required_permission = "catalog.view_importrun"
    queryset = ImportRun.objects.all()
