"""The OpenAPI schema at /api/schema/, generated once per process and language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.request import Request
from rest_framework.response import Response

# The generated schema per language code of settings.LANGUAGES, never anything a client wrote.
_SCHEMAS: dict[str, dict[str, Any]] = {}


def schema_language() -> str:
    """The language the schema's texts come out in: the active one, or the default when it is not offered."""
    try:
        return translation.get_supported_language_variant(translation.get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


@receiver(setting_changed)
def schemas_forget(**kwargs: Any) -> None:
    """Drop every generated schema (settings changed under a test, which may change the schema)."""
    _SCHEMAS.clear()


class SchemaApi(SpectacularAPIView):
    """drf-spectacular's schema view, generating the schema once per process and language.

    Generating walks every endpoint and serializer: 60-90 ms a request on an idle machine, up to
    260 ms under load. The schema depends only on the code, which a deploy restarts, and on the
    language of its texts; it is public (SERVE_PUBLIC), so it is generated without the caller's
    request, the same for every client. The API has no versions: a `?version=` is not written into
    the schema, so no client can make the process keep one schema per word it sends. Two threads
    that miss at once both generate; the second copy replaces an identical first.
    """

    def _get_schema_response(self, request: Request) -> Response:
        language = schema_language()
        schema = _SCHEMAS.get(language)
        if schema is None:
            generator = self.generator_class(urlconf=self.urlconf, api_version=self.api_version, patterns=self.patterns)
            with translation.override(language):
                schema = _SCHEMAS[language] = generator.get_schema(request=None, public=self.serve_public)
        filename = self._get_filename(request, self.api_version)
        return Response(data=schema, headers={"Content-Disposition": f'inline; filename="{filename}"'})
